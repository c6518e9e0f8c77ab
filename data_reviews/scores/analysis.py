"""Tier rules, tier snapshots and the numbers dashboards show: pandas frames in, frames out.

Nothing here touches the database, so every rule can be tested with a small frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MIN_GROUP_SIZE = 10
HEALTHY = {1: 80, 2: 15, 3: 5}
DEFAULT_TIER3_BELOW = 10.0
DEFAULT_TIER2_BELOW = 25.0
WINDOWS = ("fall", "winter", "spring")
WINDOW_LABELS = {"fall": "Fall", "winter": "Winter", "spring": "Spring"}
SUBJECT_LABELS = {
    "reading": "Reading",
    "math": "Math",
    "language": "Language usage",
    "science": "Science",
    "writing": "Writing",
}


def subject_label(subject: str, *, in_sentence: bool = False) -> str:
    """The one name a subject goes by in the import preview, the dashboards, exports and the command line.

    In a sentence it starts lower case ("tested language usage"); elsewhere it is the same name capitalized.
    """
    label = SUBJECT_LABELS.get(subject) or str(subject).strip().capitalize()
    return label[:1].lower() + label[1:] if in_sentence else label


# Vendors' published benchmark categories, case-folded. A district's own rule overrides these.
DEFAULT_CATEGORY_TIERS: dict[str, int] = {
    # Acadience Reading and DIBELS 8
    "above benchmark": 1,
    "at or above benchmark": 1,
    "at benchmark": 1,
    "below benchmark": 2,
    "well below benchmark": 3,
    # i-Ready Diagnostic overall relative placement
    "mid or above grade level": 1,
    "early on grade level": 1,
    "one grade level below": 2,
    "two grade levels below": 3,
    "three or more grade levels below": 3,
    # FastBridge risk levels
    "college pathway": 1,
    "low risk": 1,
    "some risk": 2,
    "high risk": 3,
}


@dataclass(frozen=True)
class Rule:
    subject: str
    measure: str
    method: str  # "percentile" or "category"
    tier3_below: float = DEFAULT_TIER3_BELOW
    tier2_below: float = DEFAULT_TIER2_BELOW
    category_tiers: Mapping[str, int] | None = None


def tiers_from_percentile(percentile: pd.Series, tier3_below: float, tier2_below: float) -> pd.Series:
    tier = pd.Series(np.nan, index=percentile.index, dtype="float64")
    known = percentile.notna()
    tier[known] = 1.0
    tier[known & (percentile < tier2_below)] = 2.0
    tier[known & (percentile < tier3_below)] = 3.0
    return tier


def tiers_from_category(category: pd.Series, mapping: Mapping[str, int]) -> pd.Series:
    folded = {str(k).strip().casefold(): float(v) for k, v in mapping.items()}
    return category.fillna("").astype(str).str.strip().str.casefold().map(folded).astype("float64")


def compute_tiers(frame: pd.DataFrame, rules: Iterable[Rule] = ()) -> pd.Series:
    """Tier (1, 2, 3 or NaN for no data) for each row of subject, measure, percentile, category.

    Without a rule: the national percentile (below 10th Tier 3, below 25th Tier 2, else Tier 1),
    and where no percentile was reported, the vendor's benchmark category. A subject-wide rule
    overrides that default; a rule for the subject and measure overrides the subject-wide one.
    """
    percentile = pd.to_numeric(frame["percentile"], errors="coerce")
    category = frame["benchmark_category"]
    tier = tiers_from_percentile(percentile, DEFAULT_TIER3_BELOW, DEFAULT_TIER2_BELOW)
    tier = tier.fillna(tiers_from_category(category, DEFAULT_CATEGORY_TIERS))
    ordered = sorted(rules, key=lambda r: bool(r.measure))
    for rule in ordered:
        mask = frame["subject"] == rule.subject
        if rule.measure:
            mask &= frame["measure"].fillna("").str.casefold() == rule.measure.casefold()
        if not mask.any():
            continue
        if rule.method == "category":
            tier[mask] = tiers_from_category(category[mask], rule.category_tiers or {})
        else:
            tier[mask] = tiers_from_percentile(percentile[mask], rule.tier3_below, rule.tier2_below)
    return tier


SNAPSHOT_KEYS = ["school_id", "subject", "school_year", "window"]
COUNT_COLUMNS = ["tier1", "tier2", "tier3", "no_data"]


def _count_tiers(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    tier = frame["tier"]
    counts = pd.DataFrame(
        {
            **{key: frame[key] for key in keys},
            "tier1": (tier == 1).astype(int),
            "tier2": (tier == 2).astype(int),
            "tier3": (tier == 3).astype(int),
            "no_data": tier.isna().astype(int),
        }
    )
    return counts.groupby(keys, as_index=False, sort=True)[COUNT_COLUMNS].sum()


def tier_snapshots(results: pd.DataFrame, *, min_group_size: int = MIN_GROUP_SIZE) -> pd.DataFrame:
    """Counts per school, grade, subject and window; and per student group (all grades).

    `results` has school_id, grade, subject, school_year, window, tier, student_groups (lists).
    Groups smaller than `min_group_size` are left out so no small group can be picked out.
    """
    columns = [*SNAPSHOT_KEYS, "grade", "student_group", *COUNT_COLUMNS]
    if results.empty:
        return pd.DataFrame(columns=columns)
    by_grade = _count_tiers(results, [*SNAPSHOT_KEYS, "grade"])
    by_grade["student_group"] = ""
    exploded = results[[*SNAPSHOT_KEYS, "tier", "student_groups"]].explode("student_groups")
    exploded = exploded[exploded["student_groups"].notna() & (exploded["student_groups"] != "")]
    exploded = exploded.rename(columns={"student_groups": "student_group"})
    if exploded.empty:
        return by_grade[columns]
    by_group = _count_tiers(exploded, [*SNAPSHOT_KEYS, "student_group"])
    by_group = by_group[by_group[COUNT_COLUMNS].sum(axis=1) >= min_group_size]
    by_group["grade"] = ""
    return pd.concat([by_grade[columns], by_group[columns]], ignore_index=True)


# --- Dashboard numbers -------------------------------------------------------------------------


def period_label(school_year: int, window: str) -> str:
    return f"{WINDOW_LABELS.get(window, window)} {school_year}-{(school_year + 1) % 100:02d}"


def period_order(school_year: int, window: str) -> int:
    return int(school_year) * 3 + (WINDOWS.index(window) if window in WINDOWS else 0)


def with_percentages(frame: pd.DataFrame) -> pd.DataFrame:
    """Add tested (students with a tier), total and the percentage at each tier of those tested."""
    out = frame.copy()
    out["tested"] = out["tier1"] + out["tier2"] + out["tier3"]
    out["total"] = out["tested"] + out["no_data"]
    denominator = out["tested"].where(out["tested"] > 0)
    for n in (1, 2, 3):
        out[f"pct{n}"] = (100 * out[f"tier{n}"] / denominator).round(0)
    return out


def distribution(snapshots: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Sum the counts of snapshot rows by `by` and add percentages; periods sorted in time."""
    if snapshots.empty:
        return pd.DataFrame(columns=[*by, *COUNT_COLUMNS, "tested", "total", "pct1", "pct2", "pct3"])
    summed = snapshots.groupby(by, as_index=False, sort=False)[COUNT_COLUMNS].sum()
    summed = with_percentages(summed)
    if "school_year" in by and "window" in by:
        summed["period"] = [
            period_label(y, w) for y, w in zip(summed["school_year"], summed["window"], strict=True)
        ]
        summed["_order"] = [
            period_order(y, w) for y, w in zip(summed["school_year"], summed["window"], strict=True)
        ]
        summed = summed.sort_values([c for c in by if c not in {"school_year", "window"}] + ["_order"])
        summed = summed.drop(columns="_order")
    return summed.reset_index(drop=True)


def previous_period(periods: Iterable[tuple[int, str]], current: tuple[int, str]) -> tuple[int, str] | None:
    earlier = [p for p in periods if period_order(*p) < period_order(*current)]
    return max(earlier, key=lambda p: period_order(*p)) if earlier else None


def period_from_order(order: int) -> tuple[int, str]:
    return order // 3, WINDOWS[order % 3]


def missing_between(before: tuple[int, str], after: tuple[int, str]) -> list[tuple[int, str]]:
    """The windows strictly between two windows, oldest first."""
    return [period_from_order(n) for n in range(period_order(*before) + 1, period_order(*after))]


def _int(value: Any) -> int:
    return round(float(value))


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _tier_shares(rows: pd.DataFrame) -> tuple[int, int, int, int]:
    """(tested, % Tier 1, % Tier 3, no data) of the summed rows."""
    tested = int(rows["tier1"].sum() + rows["tier2"].sum() + rows["tier3"].sum())
    pct1 = _int(100 * rows["tier1"].sum() / tested) if tested else 0
    pct3 = _int(100 * rows["tier3"].sum() / tested) if tested else 0
    return tested, pct1, pct3, int(rows["no_data"].sum())


def _since(before: tuple[int, str], current: tuple[int, str]) -> str:
    """'fall', 'last spring', or the window's full name when windows were skipped in between."""
    if missing_between(before, current):
        return period_label(*before)
    when = WINDOW_LABELS[before[1]].lower()
    return f"last {when}" if before[0] != current[0] else when


def plain_summary(
    *,
    place: str,
    subject: str,
    trend: pd.DataFrame,
    school_year: int,
    window: str,
    schools_total: int | None = None,
) -> str:
    """One or two sentences a family or a school board could read, written from the numbers.

    `trend` has tier counts per school_year and window (and per school_id, for a district).
    With `schools_total`, the sentence first says how many of the district's schools tested, and
    every number after it speaks only for those schools: a change from the window before is
    worked out over the schools that tested both times.
    """
    subject_name = subject_label(subject, in_sentence=True)
    rows = trend.assign(school_id=0) if "school_id" not in trend.columns else trend
    if not rows.empty:
        rows = rows[(rows["tier1"] + rows["tier2"] + rows["tier3"]) > 0]
    now = rows[(rows["school_year"] == school_year) & (rows["window"] == window)] if not rows.empty else rows
    if now.empty:
        return f"No {subject_name} results for {place} in {period_label(school_year, window)} yet."
    tested, pct1, pct3, no_data = _tier_shares(now)
    window_word = WINDOW_LABELS.get(window, window).lower()
    if schools_total is None:
        sentence = f"In {window_word}, {pct1}% of {place} students were at Tier 1 in {subject_name}"
    else:
        count = int(now["school_id"].nunique())
        cover = (
            f"all {_plural(count, 'school')}"
            if count >= schools_total
            else f"{count} of {schools_total} schools"
        )
        sentence = (
            f"In {window_word}, {cover} in {place} tested {subject_name} ({_plural(tested, 'student')}): "
            f"{pct1}% of those students were at Tier 1"
        )
    periods = {(int(y), w) for y, w in zip(rows["school_year"], rows["window"], strict=True)}
    before = previous_period(periods, (school_year, window))
    if before is not None:
        earlier = rows[(rows["school_year"] == before[0]) & (rows["window"] == before[1])]
        both = set(now["school_id"]) & set(earlier["school_id"])
        when = _since(before, (school_year, window))
        if both:
            _t, now_pct1, _p, _n = _tier_shares(now[now["school_id"].isin(both)])
            _t, then_pct1, _p, _n = _tier_shares(earlier[earlier["school_id"].isin(both)])
            change = now_pct1 - then_pct1
            if change > 0:
                sentence += f", up {_plural(change, 'point')} from {when}"
            elif change < 0:
                sentence += f", down {_plural(-change, 'point')} from {when}"
            else:
                sentence += f", the same as in {when}"
            if both != set(now["school_id"]) or both != set(earlier["school_id"]):
                sentence += f" at the {_plural(len(both), 'school')} that tested both times"
        else:
            sentence += f" (none of them tested in {when}, so there is no change to report)"
    if pct3 > HEALTHY[3]:
        guide = f"above the {HEALTHY[3]}% guide"
    elif pct3 < HEALTHY[3]:
        guide = f"below the {HEALTHY[3]}% guide"
    else:
        guide = f"at the {HEALTHY[3]}% guide"
    sentence += f"; {pct3}% need intensive support, {guide}."
    if no_data:
        sentence += f" {_plural(no_data, 'student')} had no usable result."
    return sentence
