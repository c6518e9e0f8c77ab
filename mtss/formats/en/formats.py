"""How dates and times are written on every page, export and email: the US way, "Mar 9, 2026, 8:44 PM".

Django's own English formats write "8:44 p.m.", which reads as "p.m.." when a sentence ends with
the time. Settings such as TIME_FORMAT do not apply while a locale's formats exist, so these
replace them (FORMAT_MODULE_PATH in settings).
"""

DATE_FORMAT = "M j, Y"
TIME_FORMAT = "g:i A"
DATETIME_FORMAT = "M j, Y, g:i A"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "F j"
SHORT_DATE_FORMAT = "m/d/Y"
SHORT_DATETIME_FORMAT = "m/d/Y g:i A"
FIRST_DAY_OF_WEEK = 0
