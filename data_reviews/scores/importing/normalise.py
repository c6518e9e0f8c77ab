"""Converting the text of an export's cells into the values the app stores: subjects, grades,
windows, school years, dates, numbers, and schools matched by name or code."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from data_reviews.scores.importing.formats import GENDERS, GROUP_ALIASES, YES
from data_reviews.scores.importing.reading import ROW, header_key
from data_reviews.screening_calendar import SchoolCalendar


def per_unique(values: pd.Series, convert: Any) -> pd.Series:
    """Apply `convert` to each distinct value once: files repeat schools, grades and dates."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    converted = convert(pd.Series(uniques, dtype="object"))
    return pd.Series(converted.to_numpy()[codes], index=values.index)


SUBJECTS = {
    "reading": "reading",
    "read": "reading",
    "ela": "reading",
    "englishlanguagearts": "reading",
    "literacy": "reading",
    "earlyreading": "reading",
    "areading": "reading",
    "cbmreading": "reading",
    "readingcomposite": "reading",
    "math": "math",
    "maths": "math",
    "mathematics": "math",
    "amath": "math",
    "earlymath": "math",
    "cbmmath": "math",
    "languageusage": "language",
    "language": "language",
    "science": "science",
    "generalscience": "science",
    "writing": "writing",
}
WINDOW_WORDS = {
    "fall": "fall",
    "autumn": "fall",
    "boy": "fall",
    "beginning": "fall",
    "beginningofyear": "fall",
    "winter": "winter",
    "moy": "winter",
    "middle": "winter",
    "middleofyear": "winter",
    "spring": "spring",
    "eoy": "spring",
    "end": "spring",
    "endofyear": "spring",
}
GRADE_WORDS = {"k": "K", "kg": "K", "kindergarten": "K", "0": "K", "00": "K", "pk": "PK", "prek": "PK"}
YEAR_PATTERN = re.compile(r"(?<!\d)(\d{4})(?:\s*[-/]\s*(\d{2,4}))?(?!\d)")


def normalise_subject(values: pd.Series) -> pd.Series:
    keys = values.map(header_key)
    direct = keys.map(SUBJECTS)
    guessed = keys.map(lambda k: "math" if "math" in k else ("reading" if "read" in k else np.nan))
    return direct.astype("object").fillna(guessed.astype("object"))


def normalise_grade(values: pd.Series) -> pd.Series:
    cleaned = values.str.strip().str.casefold().str.replace(r"^grade\s*", "", regex=True)
    cleaned = cleaned.str.replace(r"(st|nd|rd|th)$", "", regex=True).str.replace(r"\.0+$", "", regex=True)
    words = cleaned.map(GRADE_WORDS)
    numbers = pd.to_numeric(cleaned, errors="coerce")
    numeric = numbers.where((numbers >= 1) & (numbers <= 13) & (numbers == numbers.round()))
    as_text = numeric.map(lambda n: str(int(n)) if pd.notna(n) else np.nan)
    return words.astype("object").fillna(as_text.astype("object"))


def window_and_year(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """'Fall 2013-2014', 'BOY', 'Winter' → ('fall', 2013), ('fall', NaN), ('winter', NaN)."""
    words = values.str.casefold().str.extract(r"([a-z]+(?:\s+of\s+year)?)", expand=False).fillna("")
    window = words.str.replace(r"\s+", "", regex=True).map(WINDOW_WORDS)
    return window, school_year_from_text(values)


def school_year_from_text(values: pd.Series) -> pd.Series:
    """'2013-2014', '2013-14' and '2013' all mean the school year starting in 2013."""
    found = values.str.extract(YEAR_PATTERN)
    return pd.to_numeric(found[0], errors="coerce")


def parse_dates(values: pd.Series) -> pd.Series:
    stripped = values.str.strip().str.split(" ").str[0].fillna("")
    result = pd.to_datetime(stripped, format="%m/%d/%Y", errors="coerce")
    for fmt in ("%Y-%m-%d", "%m/%d/%y", "%m-%d-%Y", "%Y/%m/%d"):
        missing = result.isna() & (stripped != "")
        if not missing.any():
            break
        result = result.fillna(pd.to_datetime(stripped.where(missing, ""), format=fmt, errors="coerce"))
    return result


def window_from_dates(dates: pd.Series, calendar: SchoolCalendar | None = None) -> pd.Series:
    """The screening window of each test date, by the district's windows when it has them.

    Without windows: August to November is fall, December to February winter, March to July
    spring. With them: the window that opened most recently on or before the date in its school
    year (a make-up test after the window closed still counts), and before the first, the first.
    """
    window = pd.Series(np.nan, index=dates.index, dtype="object")
    if calendar is None or not calendar.windows:
        month = dates.dt.month
        window[month.isin([8, 9, 10, 11])] = "fall"
        window[month.isin([12, 1, 2])] = "winter"
        window[month.isin([3, 4, 5, 6, 7])] = "spring"
        return window
    ordered = calendar.windows_in_order()
    names = np.array([name for name, _opens in ordered], dtype="object")
    opens = np.array([position for _name, position in ordered])
    known = dates.notna()
    here = ((dates[known].dt.month * 100 + dates[known].dt.day - calendar.start) % 1300).to_numpy()
    which = np.maximum(np.searchsorted(opens, here, side="right") - 1, 0)
    window[known] = names[which]
    return window


def school_year_from_dates(dates: pd.Series, calendar: SchoolCalendar | None = None) -> pd.Series:
    """The school year a test date belongs to, named by the year it starts (July 1 unless the
    district says otherwise)."""
    start = (calendar or SchoolCalendar()).start
    before_start = (dates.dt.month * 100 + dates.dt.day) < start
    return (dates.dt.year - before_start.astype("float64")).astype("float64")


def parse_numbers(values: pd.Series) -> pd.Series:
    cleaned = values.str.strip().str.rstrip("%").str.replace(",", "", regex=False)
    return pd.to_numeric(cleaned, errors="coerce")


class SchoolIndex:
    """Finds a school id from a name or code as an export spells it (and saved mappings)."""

    def __init__(
        self, schools: list[tuple[int, str, str]], mappings: Mapping[str, int] | None = None
    ) -> None:
        self.names = {pk: name for pk, name, _code in schools}
        self.lookup: dict[str, int] = {}
        for pk, name, code in schools:
            self.lookup[school_key(name)] = pk
            if code:
                self.lookup[school_key(code)] = pk
        for source, pk in (mappings or {}).items():
            self.lookup[school_key(source)] = pk

    def match(self, values: pd.Series) -> pd.Series:
        return values.map(lambda v: self.lookup.get(school_key(v), np.nan))

    def suggest(self, names: list[str]) -> dict[str, int]:
        """The likely school for each name that matched nothing, where one stands out."""
        choices = {pk: school_words(name) for pk, name in self.names.items()}
        suggestions: dict[str, int] = {}
        for name in names:
            found = process.extract(
                school_words(name), choices, scorer=fuzz.token_sort_ratio, score_cutoff=SUGGEST_SCORE, limit=2
            )
            # Two schools as close as each other: the coordinator chooses, nothing is pre-selected.
            if found and (len(found) == 1 or found[0][1] > found[1][1]):
                suggestions[name] = int(found[0][2])
        return suggestions


# Exports and rosters spell the same school differently: these words count as the same.
SCHOOL_WORD_FORMS = (
    (re.compile(r"\belementary school\b|\belementary\b|\belem\b"), "es"),
    # A name ending in Middle or High ("Mount Hood High") names the school, as "... High School" does.
    (re.compile(r"\bmiddle school\b|\bmiddle$"), "ms"),
    (re.compile(r"\bhigh school\b|\bhigh$"), "hs"),
    (re.compile(r"\bsaint\b"), "st"),
    (re.compile(r"\bmount\b"), "mt"),
)
SUGGEST_SCORE = 85


def school_words(value: str) -> str:
    """A school name with punctuation dropped and its common words in one form: "Mt. Hood High
    School" and "Mount Hood HS" both read "mt hood hs"."""
    words = " ".join(re.sub(r"[^\w\s]", " ", str(value).casefold()).split())
    for pattern, form in SCHOOL_WORD_FORMS:
        words = pattern.sub(form, words)
    # "Elementary ES" and the like say the kind of school twice.
    return re.sub(r"\b(es|ms|hs)( \1)+\b", r"\1", words)


def school_key(value: str) -> str:
    return " ".join(str(value).split()).casefold()


def student_groups(frame: pd.DataFrame) -> pd.Series:
    """A list of student-group labels for each row from whatever demographic columns exist."""
    columns = {header_key(c): c for c in frame.columns if c != ROW}
    parts: list[pd.Series] = []
    for label, aliases in GROUP_ALIASES.items():
        column = next((columns[a] for a in aliases if a in columns), None)
        if column is None:
            continue
        values = frame[column].astype(str).str.strip()
        if label == "ethnicity":
            parts.append(values.where(values != "", None))
        elif label == "gender":
            parts.append(values.str.casefold().map(GENDERS))
        else:
            # numpy's stubs leave None out of where()'s choices; it makes an object array of label or None.
            chosen = np.where(values.str.casefold().isin(YES), label, None)  # type: ignore[call-overload]
            parts.append(pd.Series(chosen, index=values.index))
    if not parts:
        return pd.Series([[] for _ in range(len(frame))], index=frame.index, dtype="object")
    stacked = pd.concat(parts, axis=1)
    return pd.Series(
        [[g for g in row if isinstance(g, str) and g] for row in stacked.itertuples(index=False)],
        index=frame.index,
        dtype="object",
    )
