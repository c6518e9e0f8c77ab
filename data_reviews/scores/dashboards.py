"""What the school and district dashboards show, built from snapshot rows (never student rows)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.core.cache import cache

from data_reviews.scores import analysis, charts
from data_reviews.scores.analysis import MIN_GROUP_SIZE, SUBJECT_LABELS, WINDOWS, period_label, period_order
from data_reviews.scores.selectors import SNAPSHOT_FIELDS

TIER_HEADERS = ["Tier 1", "Tier 2", "Tier 3", "No data", "Tier 1 %", "Tier 2 %", "Tier 3 %"]


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    links: list[str] | None = None  # optional URL per row, for the first cell
    sort_keys: list[str | None] | None = None  # optional sort parameter per column

    @property
    def headers(self) -> list[tuple[str, str | None]]:
        keys = self.sort_keys or [None] * len(self.columns)
        return list(zip(self.columns, keys, strict=True))

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def linked_rows(self) -> list[tuple[str | None, list[Any]]]:
        links = self.links or [None] * len(self.rows)
        return list(zip(links, self.rows, strict=True))


def _pct(value: Any) -> Any:
    return "" if pd.isna(value) else int(value)


def _tier_cells(row: Any) -> list[Any]:
    return [
        int(row.tier1),
        int(row.tier2),
        int(row.tier3),
        int(row.no_data),
        _pct(row.pct1),
        _pct(row.pct2),
        _pct(row.pct3),
    ]


def snapshot_frame(rows: list[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(rows, columns=list(SNAPSHOT_FIELDS))
    if not frame.empty:
        frame["school_year"] = frame["school_year"].astype(int)
    return frame


def periods_in(frame: pd.DataFrame) -> list[tuple[int, str]]:
    if frame.empty:
        return []
    found = {(int(y), w) for y, w in zip(frame["school_year"], frame["window"], strict=True)}
    return sorted(found, key=lambda p: period_order(*p))


def period_key(period: tuple[int, str]) -> str:
    return f"{period[0]}-{period[1]}"


def parse_period(value: str | None, available: list[tuple[int, str]]) -> tuple[int, str] | None:
    if not available:
        return None
    if value:
        year, _, window = value.partition("-")
        if year.isdigit() and window in WINDOWS and (int(year), window) in available:
            return int(year), window
    return available[-1]


def choose_subject(value: str | None, frame: pd.DataFrame) -> tuple[str, list[str]]:
    subjects = sorted(set(frame["subject"])) if not frame.empty else []
    ordered = [s for s in SUBJECT_LABELS if s in subjects]
    if value in ordered:
        return value, ordered
    return (ordered[0] if ordered else "reading"), ordered


def filters(frame: pd.DataFrame, subject_value: str | None, period_value: str | None) -> dict[str, Any]:
    subject, subjects = choose_subject(subject_value, frame)
    in_subject = frame[frame["subject"] == subject] if not frame.empty else frame
    periods = periods_in(in_subject)
    period = parse_period(period_value, periods)
    return {
        "subject": subject,
        "subject_label": SUBJECT_LABELS.get(subject, subject),
        "subjects": [(s, SUBJECT_LABELS[s].capitalize()) for s in subjects],
        "period": period,
        "period_value": period_key(period) if period else "",
        "period_label": period_label(*period) if period else "",
        "periods": [(period_key(p), period_label(*p)) for p in reversed(periods)],
    }


def _trend_table(everyone: pd.DataFrame, subject: str, key: str = "trend") -> tuple[Table, pd.DataFrame]:
    trend = analysis.distribution(everyone[everyone["subject"] == subject], ["school_year", "window"])
    table = Table(
        key, f"Tiers in {SUBJECT_LABELS.get(subject, subject)} across windows", ["Window", *TIER_HEADERS]
    )
    table.rows = [[row.period, *_tier_cells(row)] for row in trend.itertuples()]
    table.chart = charts.stacked(trend, x="period") if not trend.empty else None
    return table, trend


def _triangle_table(trend: pd.DataFrame, period: tuple[int, str], place: str) -> Table:
    table = Table(
        "triangle",
        f"{place}: tiers against the healthy triangle",
        ["Tier", "Students", "% tested", "Guide %"],
    )
    match = (
        trend[(trend["school_year"] == period[0]) & (trend["window"] == period[1])]
        if not trend.empty
        else trend
    )
    row = match.iloc[0] if not match.empty else None
    for tier in (1, 2, 3):
        count = int(row[f"tier{tier}"]) if row is not None else 0
        pct = _pct(row[f"pct{tier}"]) if row is not None else ""
        table.rows.append([f"Tier {tier}", count, pct, analysis.HEALTHY[tier]])
    table.rows.append(["No data", int(row["no_data"]) if row is not None else 0, "", ""])
    table.chart = charts.triangle(row)
    return table


def school_dashboard(
    *,
    school_name: str,
    snapshot_rows: list[tuple],
    measure_rows: list[tuple],
    subject: str | None,
    period: str | None,
) -> dict[str, Any]:
    frame = snapshot_frame(snapshot_rows)
    chosen = filters(frame, subject, period)
    context: dict[str, Any] = {**chosen, "tables": [], "summary": "", "summaries": []}
    everyone = frame[(frame["student_group"] == "")] if not frame.empty else frame
    if chosen["period"] is not None:
        year, window = chosen["period"]
        trend_table, trend = _trend_table(everyone, chosen["subject"])
        context["summary"] = analysis.plain_summary(
            place=school_name, subject=chosen["subject"], trend=trend, school_year=year, window=window
        )
        for other in [s for s, _label in chosen["subjects"] if s != chosen["subject"]]:
            other_trend = analysis.distribution(
                everyone[everyone["subject"] == other], ["school_year", "window"]
            )
            if ((other_trend["school_year"] == year) & (other_trend["window"] == window)).any():
                context["summaries"].append(
                    analysis.plain_summary(
                        place=school_name, subject=other, trend=other_trend, school_year=year, window=window
                    )
                )
        current = everyone[
            (everyone["subject"] == chosen["subject"])
            & (everyone["school_year"] == year)
            & (everyone["window"] == window)
        ]
        grades = analysis.distribution(current, ["grade"])
        grades = (
            grades.assign(_o=grades["grade"].map(_grade_order)).sort_values("_o")
            if not grades.empty
            else grades
        )
        grade_table = Table("grades", f"By grade, {chosen['period_label']}", ["Grade", *TIER_HEADERS])
        grade_table.rows = [[row.grade, *_tier_cells(row)] for row in grades.itertuples()]
        grade_table.chart = charts.stacked(grades, x="grade", x_title="Grade") if not grades.empty else None
        groups = frame[
            (frame["student_group"] != "")
            & (frame["subject"] == chosen["subject"])
            & (frame["school_year"] == year)
            & (frame["window"] == window)
        ]
        group_dist = analysis.distribution(groups, ["student_group"])
        if not group_dist.empty:
            group_dist = group_dist[group_dist["total"] >= MIN_GROUP_SIZE].sort_values("student_group")
        group_table = Table(
            "groups",
            f"By student group, {chosen['period_label']} (groups under {MIN_GROUP_SIZE} students are hidden)",
            ["Student group", *TIER_HEADERS],
        )
        group_table.rows = [[row.student_group, *_tier_cells(row)] for row in group_dist.itertuples()]
        group_table.chart = charts.stacked(group_dist, x="student_group") if not group_dist.empty else None
        context["tables"] += [_triangle_table(trend, chosen["period"], school_name), trend_table, grade_table]
        context["tables"].append(group_table)
    context["tables"] += measure_tables(measure_rows)
    return context


def _grade_order(grade: str) -> int:
    return {"PK": -1, "K": 0}.get(grade, int(grade) if str(grade).isdigit() else 99)


def measure_tables(rows: list[tuple]) -> list[Table]:
    frame = pd.DataFrame.from_records(rows, columns=["kind", "month", "value"])
    tables = []
    for kind, caption, label in (
        ("odr", "Behaviour: office discipline referrals by month", "Referrals"),
        ("attendance", "Attendance rate by month", "Attendance %"),
    ):
        part = frame[frame["kind"] == kind] if not frame.empty else frame
        table = Table(kind, caption, ["Month", label])
        if not part.empty:
            monthly = part.groupby("month", as_index=False)["value"].agg("sum" if kind == "odr" else "mean")
            monthly = monthly.sort_values("month")
            monthly["label"] = [m.strftime("%b %Y") for m in monthly["month"]]
            monthly["value"] = monthly["value"].round(1)
            table.rows = [[row.label, row.value] for row in monthly.itertuples()]
            table.chart = charts.line(monthly, x="label", y="value", y_title=label)
        tables.append(table)
    return tables


def district_dashboard(
    *,
    district_name: str,
    snapshot_rows: list[tuple],
    measure_rows: list[tuple],
    schools: dict[int, str],
    school_url: Any,
    subject: str | None,
    period: str | None,
    sort: str | None,
) -> dict[str, Any]:
    frame = snapshot_frame(snapshot_rows)
    chosen = filters(frame, subject, period)
    context: dict[str, Any] = {**chosen, "tables": [], "summary": "", "sort": sort or "school"}
    if chosen["period"] is None:
        return context
    year, window = chosen["period"]
    trend_table, trend = _trend_table(frame, chosen["subject"])
    context["summary"] = analysis.plain_summary(
        place=district_name, subject=chosen["subject"], trend=trend, school_year=year, window=window
    )
    current = frame[
        (frame["subject"] == chosen["subject"]) & (frame["school_year"] == year) & (frame["window"] == window)
    ]
    by_school = analysis.distribution(current, ["school_id"])
    by_school["school"] = by_school["school_id"].map(lambda pk: schools.get(int(pk), "?"))
    sort_columns = {
        "school": ("school", True),
        "tier1": ("pct1", False),
        "tier2": ("pct2", False),
        "tier3": ("pct3", False),
    }
    column, ascending = sort_columns.get(sort or "school", ("school", True))
    by_school = by_school.sort_values([column, "school"], ascending=[ascending, True], na_position="last")
    school_table = Table(
        "schools",
        f"All schools, {chosen['subject_label']}, {chosen['period_label']}",
        ["School", *TIER_HEADERS],
    )
    school_table.rows = [[row.school, *_tier_cells(row)] for row in by_school.itertuples()]
    school_table.sort_keys = ["school", None, None, None, None, "tier1", "tier2", "tier3"]
    school_table.links = [school_url(int(pk)) for pk in by_school["school_id"]]
    school_table.chart = charts.heat_map(by_school) if not by_school.empty else None
    context["tables"] += [_triangle_table(trend, chosen["period"], district_name), school_table, trend_table]
    context["tables"] += measure_tables(measure_rows)
    return context


DASHBOARD_CACHE_SECONDS = 60 * 60


def cached(inputs: tuple[Any, ...], build: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Build a dashboard once per exact set of inputs (the snapshot rows included).

    The key is a digest of everything the dashboard is computed from, so new data, a changed
    rule or another filter gives a new key: a cached dashboard can never be stale. What is saved
    is the pandas and Plotly work, which is most of a dashboard's time.
    """
    digest = hashlib.sha256(repr(inputs).encode()).hexdigest()
    key = f"dashboard:{digest}"
    context = cache.get(key)
    if context is None:
        context = build()
        cache.set(key, context, DASHBOARD_CACHE_SECONDS)
    return dict(context)
