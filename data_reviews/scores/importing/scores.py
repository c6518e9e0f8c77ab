"""Checking a screener export's rows: one result per student, subject and window, with its tier.

Each step reads its columns, converts every distinct value once, and names the rows it cannot
use; the format (formats.py) says where the columns, the subject, the window and the measure
come from, so nothing here knows a vendor by name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from data_reviews.scores.importing import normalise as n
from data_reviews.scores.importing import problems as p
from data_reviews.scores.importing.formats import FIELDS, SCORE_REQUIRED, Format, find_columns
from data_reviews.scores.importing.reading import ROW, header_key
from data_reviews.scores.importing.result import Preview
from data_reviews.screening_calendar import SchoolCalendar

SCORE_COLUMNS = [
    ROW,
    "school_id",
    "student_id",
    "grade",
    "subject",
    "school_year",
    "window",
    "test_date",
    "score",
    "percentile",
    "benchmark_category",
    "measure",
    "official",
    "student_groups",
    "tier",
]


def _subject_from_file_name(fmt: Format, file_name: str) -> str | None:
    if not fmt.subject_from_file_name:
        return None
    guessed = n.normalise_subject(pd.Series([file_name]))[0]
    return guessed if isinstance(guessed, str) else None


def _missing(fmt: Format, found: Mapping[str, str], file_name: str) -> list[str]:
    subject_known = bool(
        fmt.subject or _subject_from_measure(fmt, found) or _subject_from_file_name(fmt, file_name)
    )
    missing = [f for f in SCORE_REQUIRED if f not in found and not (f == "subject" and subject_known)]
    if not ({"window", "test_date"} & set(found)):
        missing.append("window")
    if not ({"score", "percentile", "benchmark_category"} & set(found)):
        missing.append("percentile")
    return missing


def _subject_from_measure(fmt: Format, found: Mapping[str, str]) -> bool:
    return fmt.subject_from_measure and "subject" not in found and "measure" in found and not fmt.subject


def score_preview(
    table: pd.DataFrame,
    *,
    fmt: Format,
    schools: n.SchoolIndex,
    mapping: Mapping[str, str] | None,
    file_name: str,
    rules: list[Any] | None,
    calendar: SchoolCalendar | None = None,
) -> Preview:
    from data_reviews.scores.analysis import compute_tiers

    columns = [c for c in table.columns if c != ROW]
    found = find_columns(columns, fmt.aliases, mapping or None)
    result = Preview(frame=pd.DataFrame(columns=SCORE_COLUMNS), rows_read=len(table), columns=columns)
    result.missing_fields = _missing(fmt, found, file_name)
    if result.missing_fields or table.empty:
        return result
    rows = _Rows(table, found)
    out = pd.DataFrame({ROW: table[ROW]})
    unmatched = _students_and_schools(rows, out, schools)
    _grades_and_subjects(rows, out, fmt, found, file_name)
    _windows_and_years(rows, out, fmt, calendar)
    _values(rows, out, fmt, columns)

    bad_rows = result.record_problems(rows.problems)
    result.unmatched_schools = dict(sorted(unmatched.items()))
    result.school_suggestions = schools.suggest(list(result.unmatched_schools))
    good = out[~out[ROW].isin(bad_rows)].copy()
    good["school_id"] = good["school_id"].astype("int64")
    good["school_year"] = good["school_year"].astype("int64")
    good, result.set_aside = keep_one_per_window(good)
    good["tier"] = compute_tiers(good, rules or []) if not good.empty else pd.Series(dtype="float64")
    result.frame = good.reset_index(drop=True)
    return result


class _Rows:
    """The table's columns as the format found them, and the problems found in them so far."""

    def __init__(self, table: pd.DataFrame, found: Mapping[str, str]) -> None:
        self.table, self.found = table, found
        self.problems: list[p.Problem] = []
        self.no_student = pd.Series(False, index=table.index)

    def text(self, name: str) -> pd.Series:
        if name in self.found:
            column = self.table[self.found[name]].astype(str)
            return n.per_unique(column, lambda u: u.str.strip()).astype("object")
        return pd.Series("", index=self.table.index, dtype="object")

    def refuse(self, mask: pd.Series, field: str, values: pd.Series, reason: str) -> None:
        self.problems += p.where(self.table, mask, FIELDS[field], values, reason)


def _students_and_schools(rows: _Rows, out: pd.DataFrame, schools: n.SchoolIndex) -> Counter[str]:
    student = rows.text("student_id").str.replace(r"\.0$", "", regex=True)
    rows.no_student = student == ""
    rows.refuse(rows.no_student, "student_id", student, p.STUDENT_ID_MISSING)
    out["student_id"] = student.str.slice(0, 64)
    school_text = rows.text("school")
    school_ids = n.per_unique(school_text, schools.match).astype("float64")
    unmatched = school_ids.isna()
    rows.refuse(unmatched, "school", school_text, p.SCHOOL_UNMATCHED)
    out["school_id"] = school_ids
    return Counter(school_text[unmatched].tolist())


def _grades_and_subjects(
    rows: _Rows, out: pd.DataFrame, fmt: Format, found: Mapping[str, str], file_name: str
) -> None:
    grade_text = rows.text("grade")
    grade = n.per_unique(grade_text, n.normalise_grade)
    # Without a student id the roster cannot give the row its grade: the missing id is the problem.
    bad_grade = grade.isna() & ~(rows.no_student & (grade_text == ""))
    rows.refuse(bad_grade, "grade", grade_text, "The grade is not K or a number from 1 to 13.")
    out["grade"] = grade

    index = rows.table.index
    if "subject" in found or _subject_from_measure(fmt, found):
        subject_text = rows.text("subject" if "subject" in found else "measure")
        subject = n.per_unique(subject_text, n.normalise_subject)
    else:
        fixed = fmt.subject or _subject_from_file_name(fmt, file_name) or np.nan
        subject_text = pd.Series(fixed, index=index)
        subject = pd.Series(fixed, index=index, dtype="object")
    rows.refuse(
        subject.isna(),
        "subject",
        subject_text,
        "The subject is not reading, math, language usage, science or writing.",
    )
    out["subject"] = subject


def _windows_and_years(rows: _Rows, out: pd.DataFrame, fmt: Format, calendar: SchoolCalendar | None) -> None:
    date_text = rows.text("test_date")
    dates = pd.to_datetime(n.per_unique(date_text, n.parse_dates))
    rows.refuse(
        (date_text != "") & dates.isna(),
        "test_date",
        date_text,
        "The date is not like 9/16/2013 or 2013-09-16.",
    )
    out["test_date"] = dates

    index = rows.table.index
    window_text = rows.text("window")
    if "window" in rows.found:
        window = n.per_unique(window_text, lambda u: n.window_and_year(u)[0])
        year_in_window = n.per_unique(window_text, n.school_year_from_text).astype("float64")
    else:
        window = pd.Series(np.nan, index=index, dtype="object")
        year_in_window = pd.Series(np.nan, index=index, dtype="float64")
    # A term the file names but that is no screening window (e.g. "Summer 2013-2014") is refused:
    # its test date would otherwise put it in a window it was never part of.
    unknown_term = window.isna() & window_text.str.contains(r"[A-Za-z]", regex=True)
    for term, term_rows in window_text[unknown_term].groupby(window_text[unknown_term]).groups.items():
        rows.refuse(
            window_text.index.isin(term_rows),
            "window",
            window_text,
            f"The term “{str(term)[:80]}” is not a fall, winter or spring window, so its rows cannot be "
            "imported. Export only the fall, winter and spring terms, or delete these rows.",
        )
    if fmt.window_from_test_date:
        window = window.fillna(n.window_from_dates(dates, calendar))
    rows.refuse(
        window.isna() & ~unknown_term,
        "window",
        window_text.where(window_text != "", date_text),
        "The window is not fall, winter or spring (and no test date says which).",
    )
    out["window"] = window

    year_text = rows.text("school_year")
    year = (
        n.per_unique(year_text, n.school_year_from_text).astype("float64")
        if "school_year" in rows.found
        else year_in_window
    )
    year = year.fillna(year_in_window).fillna(n.school_year_from_dates(dates, calendar))
    rows.refuse(
        year.isna() | (year < 1990) | (year > 2100),
        "school_year",
        year_text,
        "The school year is missing; add a school year such as 2025-2026 or a test date.",
    )
    out["school_year"] = year


def _values(rows: _Rows, out: pd.DataFrame, fmt: Format, columns: list[str]) -> None:
    for name, low, high, reason in (
        ("score", -1e9, 1e9, "The score is not a number."),
        ("percentile", 0, 100, "The percentile is not a number from 0 to 100."),
    ):
        raw = rows.text(name)
        numbers = n.parse_numbers(raw)
        bad = (raw != "") & (numbers.isna() | (numbers < low) | (numbers > high))
        rows.refuse(bad, name, raw, reason)
        out[name] = numbers.where(~bad)
    out["benchmark_category"] = rows.text("benchmark_category").str.slice(0, 80)
    measure = rows.text("measure")
    out["measure"] = measure.where(measure != "", default_measure(fmt, columns)).str.slice(0, 80)
    out["official"] = rows.text("official").str.casefold().isin(fmt.official_values)
    out["student_groups"] = n.student_groups(rows.table)


def default_measure(fmt: Format, columns: list[str]) -> str:
    """The measure of rows that name none: the format's, unless a column says which one it is."""
    keys = [header_key(c) for c in columns]
    for word, measure in fmt.measure_by_column:
        if any(word in key for key in keys):
            return measure
    return fmt.measure


def keep_one_per_window(frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, int]]:
    """One result per student, subject and window: the vendor's official measure, else the latest."""
    key = ["student_id", "subject", "school_year", "window"]
    if frame.empty:
        return frame, {}
    ordered = frame.sort_values(
        ["official", "test_date", ROW], ascending=[False, False, False], na_position="last"
    )
    duplicated = ordered.duplicated(key, keep="first")
    if not duplicated.any():
        return frame, {}
    kept = ordered[~duplicated]
    dropped = ordered[duplicated]
    official_keys = kept.loc[kept["official"], key]
    dropped_with_official = dropped.merge(official_keys, on=key, how="left", indicator=True)
    not_official = int(
        ((dropped_with_official["_merge"] == "both") & ~dropped_with_official["official"]).sum()
    )
    reasons: dict[str, int] = {}
    if not_official:
        reasons["not the vendor's official (growth) measure for the window"] = not_official
    if len(dropped) - not_official:
        reasons["an earlier test by the same student in the same subject and window"] = (
            len(dropped) - not_official
        )
    return kept.sort_values(ROW), reasons
