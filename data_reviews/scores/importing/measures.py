"""Checking a school-level monthly measure file (referrals, attendance): one value per school and month."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

import pandas as pd

from data_reviews.scores.importing.formats import MEASURE_FIELDS, MeasureFormat, find_columns
from data_reviews.scores.importing.normalise import SchoolIndex, parse_dates, parse_numbers
from data_reviews.scores.importing.problems import SCHOOL_UNMATCHED, Problem, where
from data_reviews.scores.importing.reading import ROW
from data_reviews.scores.importing.result import Preview

MONTH_PATTERNS = ("%Y-%m", "%B %Y", "%b %Y", "%m/%Y")


def measure_preview(
    table: pd.DataFrame,
    *,
    fmt: MeasureFormat,
    schools: SchoolIndex,
    mapping: Mapping[str, str] | None,
    **_unused: object,
) -> Preview:
    """A school-level file has no students, subjects or tiers: the score pipeline's file name and
    rules are not used."""
    columns = [c for c in table.columns if c != ROW]
    found = find_columns(columns, fmt.aliases, mapping)
    frame = pd.DataFrame(columns=[ROW, "school_id", "month", "value"])
    result = Preview(frame=frame, rows_read=len(table), columns=columns, kind=fmt.key)
    result.missing_fields = [f for f in fmt.aliases if f not in found]
    if result.missing_fields or table.empty:
        return result
    problems: list[Problem] = []
    school_text = table[found["school"]].astype(str).str.strip()
    school_ids = schools.match(school_text)
    unmatched = school_ids.isna()
    problems += where(
        table,
        unmatched,
        MEASURE_FIELDS["school"],
        school_text,
        SCHOOL_UNMATCHED,
    )
    month_text = table[found["month"]].astype(str).str.strip()
    months = parse_dates(month_text)
    for pattern in MONTH_PATTERNS:
        months = months.fillna(
            pd.to_datetime(month_text.where(months.isna(), ""), format=pattern, errors="coerce")
        )
    problems += where(
        table,
        months.isna(),
        MEASURE_FIELDS["month"],
        month_text,
        "The month is not like 2025-09 or 9/1/2025.",
    )
    value_text = table[found["value"]].astype(str).str.strip()
    values = parse_numbers(value_text)
    if fmt.value == "rate":
        values = values.where(values > 1, values * 100)
        bad = values.isna() | (values < 0) | (values > 100)
    else:
        bad = values.isna() | (values < 0) | (values != values.round())
    problems += where(table, bad, MEASURE_FIELDS["value"], value_text, fmt.value_problem)
    bad_rows = result.record_problems(problems)
    result.unmatched_schools = dict(sorted(Counter(school_text[unmatched].tolist()).items()))
    result.school_suggestions = schools.suggest(list(result.unmatched_schools))
    keep = ~table[ROW].isin(bad_rows)
    good = pd.DataFrame(
        {
            ROW: table.loc[keep, ROW],
            "school_id": school_ids[keep].astype("int64"),
            "month": months[keep].dt.to_period("M").dt.to_timestamp().dt.date,
            "value": values[keep],
        }
    )
    before = len(good)
    good = good.drop_duplicates(["school_id", "month"], keep="last")
    if before - len(good):
        result.set_aside = {"an earlier row for the same school and month": before - len(good)}
    result.frame = good.reset_index(drop=True)
    return result
