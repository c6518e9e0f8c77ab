"""The district settings form: validation and layout only; the service saves."""

from __future__ import annotations

import calendar
import re
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms

from coordinators.district_settings import (
    DISTRICT_SETTINGS_FIELDS,
    ROSTER_STAFF_ROLES,
    DistrictSettings,
    TargetDays,
    WindowDates,
    roster_invite_roles,
)
from coordinators.models import ImplementationStage
from coordinators.operator_views import time_zone_choices
from data_reviews.models import Window
from data_reviews.screening_calendar import SchoolCalendar

MONTHS = [(n, calendar.month_name[n]) for n in range(1, 13)]
WEEKDAYS = [(n, calendar.day_name[n]) for n in range(7)]
HOURS = [(h, f"{(h % 12) or 12}:00 {'AM' if h < 12 else 'PM'}") for h in range(24)]
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
DONT_INVITE = "Keep on the roster, don't invite"
WINDOW_PARTS = ("opens_month", "opens_day", "closes_month", "closes_day")


def _month_field(label: str, *, required: bool = True) -> forms.TypedChoiceField:
    choices = MONTHS if required else [("", "—"), *MONTHS]
    return forms.TypedChoiceField(
        label=label, choices=choices, coerce=int, required=required, empty_value=None
    )


def _day_field(label: str, *, required: bool = True, most: int = 31) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=1, max_value=most, required=required)


def _days_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(31),
        max_digits=4,
        decimal_places=1,
    )


class DistrictSettingsForm(forms.Form):
    name = forms.CharField(label="District name", max_length=200)
    time_zone = forms.ChoiceField(
        label="Time zone", choices=time_zone_choices, help_text="Every date and time people see is in it."
    )
    school_year_start_month = _month_field("School year starts (month)")
    school_year_start_day = _day_field("School year starts (day)", most=28)
    approval_reminder_days = forms.IntegerField(
        label="Remind executive leaders of a waiting approval every",
        min_value=1,
        max_value=30,
        help_text="Days. From twice that, the coordinators hear too.",
    )
    digest_weekday = forms.TypedChoiceField(label="Weekly digest day", choices=WEEKDAYS, coerce=int)
    digest_hour = forms.TypedChoiceField(label="Weekly digest time", choices=HOURS, coerce=int)
    min_group_size = forms.IntegerField(
        label="Smallest student group shown",
        min_value=5,
        max_value=100,
        help_text="Student groups smaller than this are left out of every group figure, so no student can be "
        "picked out.",
    )
    raw_file_retention_days = forms.IntegerField(
        label="Delete uploaded screener files after",
        min_value=1,
        max_value=365,
        help_text="Days after their import is done or abandoned. The results stay.",
    )
    result_retention_years = forms.IntegerField(
        label="Keep student-level screener results for",
        min_value=1,
        max_value=20,
        help_text="School years, the current one included.",
    )
    sign_in_domains = forms.CharField(
        label="Email domains people sign in with",
        required=False,
        max_length=1000,
        help_text="Separated by commas, e.g. mvps.org, mvps.k12.mn.us. Leave empty to allow any.",
    )
    single_sign_on_only = forms.BooleanField(
        label="Single sign-on only",
        required=False,
        help_text="People of the district sign in only through single sign-on; their passwords stop working.",
    )

    def __init__(self, *args: Any, read_only: bool = False, own_email: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.own_domain = own_email.rpartition("@")[2].lower()
        for window, label in Window.choices:
            self.fields[f"{window}_opens_month"] = _month_field(f"{label} opens (month)", required=False)
            self.fields[f"{window}_opens_day"] = _day_field(f"{label} opens (day)", required=False)
            self.fields[f"{window}_closes_month"] = _month_field(f"{label} closes (month)", required=False)
            self.fields[f"{window}_closes_day"] = _day_field(f"{label} closes (day)", required=False)
        for stage, label in ImplementationStage.choices:
            self.fields[f"target_{stage}_min"] = _days_field(f"{label}: at least")
            self.fields[f"target_{stage}_max"] = _days_field(f"{label}: at most")
        roles = [("", DONT_INVITE), *((role.value, role.label) for role in roster_invite_roles())]
        for roster_role, label in ROSTER_STAFF_ROLES:
            self.fields[f"roster_{roster_role}"] = forms.ChoiceField(
                label=label, choices=roles, required=False
            )
        if read_only:
            for form_field in self.fields.values():
                form_field.disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = self._layout()
        if not read_only:
            self.helper.add_input(Submit("submit", "Save the settings"))

    def _layout(self) -> Layout:
        def pair(*names: str) -> Row:
            return Row(
                *(Column(name, css_class="col-6 col-md-3") for name in names), css_class="align-items-end"
            )

        return Layout(
            Fieldset(
                "The district", "name", "time_zone", pair("school_year_start_month", "school_year_start_day")
            ),
            Fieldset(
                "Screening windows",
                HTML(
                    '<p class="form-text mt-0">A test date belongs to the window that opened most recently '
                    "before it in its school year, so a make-up test after a window closed still counts for "
                    "it. Leave all three empty for the usual rule: August to November is fall, December to "
                    "February winter, March to July spring.</p>"
                ),
                *(pair(*(f"{window}_{part}" for part in WINDOW_PARTS)) for window in Window.values),
            ),
            Fieldset(
                "Reminders",
                "approval_reminder_days",
                pair("digest_weekday", "digest_hour"),
            ),
            Fieldset(
                "Coordinator time targets (days a month)",
                *(pair(f"target_{stage}_min", f"target_{stage}_max") for stage in ImplementationStage.values),
            ),
            Fieldset("Student data", "min_group_size", "raw_file_retention_days", "result_retention_years"),
            Fieldset(
                "Roster: the role each kind of rostered staff is invited in",
                Row(
                    *(
                        Column(f"roster_{roster_role}", css_class="col-md-6")
                        for roster_role, _label in ROSTER_STAFF_ROLES
                    )
                ),
            ),
            Fieldset("Sign-in", "sign_in_domains", "single_sign_on_only"),
        )

    @staticmethod
    def initial_from(current: DistrictSettings) -> dict[str, Any]:
        district = current.district
        initial: dict[str, Any] = {name: getattr(district, name) for name in DISTRICT_SETTINGS_FIELDS}
        initial["sign_in_domains"] = ", ".join(district.sign_in_domains)
        for window, dates in current.windows.items():
            initial.update(zip((f"{window}_{part}" for part in WINDOW_PARTS), dates, strict=True))
        for stage, (least, most) in current.time_targets.items():
            initial[f"target_{stage}_min"], initial[f"target_{stage}_max"] = least, most
        for roster_role, _label in ROSTER_STAFF_ROLES:
            initial[f"roster_{roster_role}"] = district.roster_roles.get(roster_role, "")
        return initial

    def clean_sign_in_domains(self) -> list[str]:
        domains = [d.strip().lower().lstrip("@") for d in self.cleaned_data["sign_in_domains"].split(",")]
        domains = list(dict.fromkeys(d for d in domains if d))
        wrong = [d for d in domains if not DOMAIN.match(d)]
        if wrong:
            raise forms.ValidationError(
                f"{', '.join(wrong)} is not an email domain such as mvps.org. Separate domains with commas."
            )
        if domains and self.own_domain and self.own_domain not in domains:
            raise forms.ValidationError(
                f"Add {self.own_domain} too: it is the domain of your own address, and without it you "
                "could not sign in."
            )
        return domains

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.windows = self._clean_windows(data)
        self.time_targets = self._clean_targets(data)
        return data

    def _clean_windows(self, data: dict[str, Any]) -> dict[str, WindowDates]:
        windows: dict[str, WindowDates] = {}
        for window, label in Window.choices:
            names = [f"{window}_{part}" for part in WINDOW_PARTS]
            if any(name in self.errors for name in names):
                continue
            given = [data.get(name) for name in names]
            values = [int(v) for v in given if v is not None]
            if not values:
                continue
            if len(values) < len(names):
                self.add_error(
                    names[0], f"Give the {label.lower()} window's opening and closing month and day."
                )
                continue
            om, od, cm, cd = values
            for month, day, name in ((om, od, names[1]), (cm, cd, names[3])):
                if day > calendar.monthrange(2024, month)[1]:
                    self.add_error(name, f"{calendar.month_name[month]} has no day {day}.")
            windows[window] = (om, od, cm, cd)
        if self.errors or not windows:
            return windows
        if len(windows) < len(Window.values):
            self.add_error(
                None, "Give all three screening windows, or none to use the usual fall, winter and spring."
            )
            return windows
        start_month, start_day = data.get("school_year_start_month"), data.get("school_year_start_day")
        if start_month is None or start_day is None:
            return windows
        year = SchoolCalendar(start_month=start_month, start_day=start_day)
        previous_close, previous_label = -1, ""
        for window, label in Window.choices:
            om, od, cm, cd = windows[window]
            opens, closes = year.position(om, od), year.position(cm, cd)
            if closes < opens:
                self.add_error(
                    f"{window}_closes_month", f"The {label.lower()} window closes before it opens."
                )
            elif opens <= previous_close:
                self.add_error(
                    f"{window}_opens_month",
                    f"The {label.lower()} window opens before the {previous_label.lower()} window closes "
                    "(school years run from the start day above).",
                )
            previous_close, previous_label = closes, label
        return windows

    def _clean_targets(self, data: dict[str, Any]) -> dict[str, TargetDays]:
        targets: dict[str, TargetDays] = {}
        for stage, label in ImplementationStage.choices:
            least, most = data.get(f"target_{stage}_min"), data.get(f"target_{stage}_max")
            if least is None and most is None:
                continue
            if least is None or most is None:
                self.add_error(
                    f"target_{stage}_min", f"Give both the least and the most days for {label.lower()}."
                )
            elif least > most:
                self.add_error(f"target_{stage}_max", "The most days must be at least the least.")
            else:
                targets[stage] = (least, most)
        return targets

    def settings_data(self) -> dict[str, Any]:
        """The district's own fields, as the service takes them."""
        data = {name: self.cleaned_data[name] for name in DISTRICT_SETTINGS_FIELDS if name != "roster_roles"}
        data["roster_roles"] = {
            roster_role: self.cleaned_data[f"roster_{roster_role}"]
            for roster_role, _label in ROSTER_STAFF_ROLES
            if self.cleaned_data.get(f"roster_{roster_role}")
        }
        return data
