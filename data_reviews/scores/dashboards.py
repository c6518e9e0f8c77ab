"""What the school and district dashboards show, built from snapshot rows (never student rows)."""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from django.core.cache import cache

from data_reviews.scores import analysis, charts
from data_reviews.scores.analysis import (
    MIN_GROUP_SIZE,
    SUBJECT_LABELS,
    WINDOWS,
    period_label,
    period_order,
    subject_label,
)
from data_reviews.scores.selectors import SNAPSHOT_FIELDS

TIER_HEADERS = ["Tier 1", "Tier 2", "Tier 3", "No data", "Tier 1 %", "Tier 2 %", "Tier 3 %"]
COUNT_HEADERS = {"Tier 1", "Tier 2", "Tier 3", "No data"}


@dataclass
class Table:
    key: str
    caption: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    links: list[str] | None = None  # optional URL per row, for the first cell
    sort_keys: list[str | None] | None = None  # optional sort parameter per column
    notes: list[str] = field(default_factory=list)  # what a reader must know to read it right
    # optional per row: column index -> the list of the students behind that count
    cell_links: list[dict[int, str]] | None = None

    @property
    def headers(self) -> list[tuple[str, str | None]]:
        keys = self.sort_keys or [None] * len(self.columns)
        return list(zip(self.columns, keys, strict=True))

    @property
    def wide(self) -> bool:
        """A table of many columns gets the full width under its chart, never a squeezed half."""
        return len(self.columns) > 4

    @property
    def phone_hidden(self) -> set[int]:
        """Columns of counts a phone leaves out, so the percentages stay beside the names."""
        if len(self.columns) <= 4:
            return set()
        return {n for n, column in enumerate(self.columns) if column in COUNT_HEADERS}

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def linked_rows(self) -> list[tuple[str | None, list[Any]]]:
        links: Sequence[str | None] = self.links or [None] * len(self.rows)
        return list(zip(links, self.rows, strict=True))

    @property
    def cells(self) -> list[tuple[str | None, list[tuple[Any, str | None]]]]:
        """Each row's first-cell link and its cells, each with the link to its students (or None)."""
        cell_links = self.cell_links or [{} for _row in self.rows]
        return [
            (link, [(cell, links.get(n)) for n, cell in enumerate(row)])
            for (link, row), links in zip(self.linked_rows, cell_links, strict=True)
        ]


# Given the filters of a tier count (subject, year, window, tier and a grade or a school), the
# address of the list of those students; None where the person may not list students.
StudentsUrl = Callable[[dict[str, Any]], str]


def _tier_links(students_url: StudentsUrl | None, first: int, **params: Any) -> dict[int, str]:
    """Links for the Tier 1, 2 and 3 counts, which sit in columns `first`, `first + 1`, `first + 2`."""
    if students_url is None:
        return {}
    return {first + tier - 1: students_url({**params, "tier": tier}) for tier in (1, 2, 3)}


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
    """The asked-for subject, or else one that has results in the newest window of any subject."""
    subjects = sorted(set(frame["subject"])) if not frame.empty else []
    ordered = [s for s in SUBJECT_LABELS if s in subjects]
    if value in ordered:
        return value, ordered
    newest = periods_in(frame)[-1:] if not frame.empty else []
    if newest:
        year, window = newest[0]
        current = frame[(frame["school_year"] == year) & (frame["window"] == window)]
        in_newest = set(current["subject"])
        return next(s for s in ordered if s in in_newest), ordered
    return (ordered[0] if ordered else "reading"), ordered


def filters(frame: pd.DataFrame, subject_value: str | None, period_value: str | None) -> dict[str, Any]:
    subject, subjects = choose_subject(subject_value, frame)
    in_subject = frame[frame["subject"] == subject] if not frame.empty else frame
    periods = periods_in(in_subject)
    period = parse_period(period_value, periods)
    return {
        "subject": subject,
        "subject_label": subject_label(subject, in_sentence=True),
        "subjects": [(s, subject_label(s)) for s in subjects],
        "period": period,
        "period_value": period_key(period) if period else "",
        "period_label": period_label(*period) if period else "",
        "periods": [(period_key(p), period_label(*p)) for p in periods],
    }


def _gap_label(missing: list[tuple[int, str]]) -> str:
    if len(missing) == 1:
        return f"Not tested: {period_label(*missing[0])}"
    return f"Not tested: {period_label(*missing[0])} to {period_label(*missing[-1])}"


def _names(ids: set[int], schools: dict[int, str]) -> str:
    names = sorted(schools.get(int(pk), "?") for pk in ids)
    if len(names) > 3:
        return f"{len(names)} schools"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def school_set_notes(tested: dict[tuple[int, str], set[int]], schools: dict[int, str]) -> list[str]:
    """One line for each window whose schools differ from the window tested before it."""
    notes = []
    ordered = sorted(tested, key=lambda p: period_order(*p))
    for before, after in itertools.pairwise(ordered):
        added, dropped = tested[after] - tested[before], tested[before] - tested[after]
        if not added and not dropped:
            continue
        parts = []
        if added:
            parts.append(f"{_names(added, schools)} {'was' if len(added) == 1 else 'were'} added")
        if dropped:
            parts.append(f"{_names(dropped, schools)} {'was' if len(dropped) == 1 else 'were'} not tested")
        notes.append(
            f"{period_label(*after)} tested a different set of schools from {period_label(*before)}: "
            + "; ".join(parts)
            + "."
        )
    return notes


def with_gap_rows(trend: pd.DataFrame) -> pd.DataFrame:
    """The trend with a row between two windows that had windows without results between them.

    On a category axis 2013-14 would otherwise be drawn right next to 2024-25. A gap row has a
    period label saying which windows were not tested and no numbers, so its bar is empty.
    """
    if trend.empty:
        return trend.assign(gap=pd.Series(dtype=bool))
    rows = []
    previous = None
    for row in trend.to_dict("records"):
        current = (int(row["school_year"]), row["window"])
        if previous is not None:
            missing = analysis.missing_between(previous, current)
            if missing:
                rows.append({"period": _gap_label(missing), "gap": True})
        rows.append({**row, "gap": False})
        previous = current
    return pd.DataFrame(rows)


def _trend_table(
    everyone: pd.DataFrame,
    subject: str,
    schools: dict[int, str] | None = None,
    students_url: StudentsUrl | None = None,
) -> tuple[Table, pd.DataFrame, pd.DataFrame]:
    """Tiers across windows; for a district, how many schools tested and when that set changed.

    Also returns the trend per window, and per window and school (for a district) that the
    summary is written from.
    """
    in_subject = everyone[everyone["subject"] == subject]
    trend = analysis.distribution(in_subject, ["school_year", "window"])
    columns = ["Window", *TIER_HEADERS]
    per_school = trend
    tested_sets: dict[tuple[int, str], set[int]] = {}
    if schools is not None:
        columns.insert(1, "Schools tested")
        per_school = analysis.distribution(in_subject, ["school_id", "school_year", "window"])
        with_results = per_school[per_school["tested"] > 0]
        for (year, window), part in with_results.groupby(["school_year", "window"]):
            tested_sets[(int(year), window)] = {int(pk) for pk in part["school_id"]}
    table = Table("trend", f"Tiers in {subject_label(subject, in_sentence=True)} across windows", columns)
    shown = with_gap_rows(trend)
    table.cell_links = []
    for row in shown.itertuples():
        if row.gap:
            table.rows.append([row.period, *[""] * (len(columns) - 1)])
            table.cell_links.append({})
            continue
        table.cell_links.append(
            _tier_links(
                students_url,
                1 if schools is None else 2,
                subject=subject,
                year=int(row.school_year),
                window=row.window,
            )
        )
        cells = [row.period, *_tier_cells(row)]
        if schools is not None:
            cells.insert(1, len(tested_sets.get((int(row.school_year), row.window), set())))
        table.rows.append(cells)
    if schools is not None:
        table.notes = school_set_notes(tested_sets, schools)
    if not trend.empty:
        # A gap's long label wraps on the axis: "Not tested:<br>Spring 2013-14 to<br>Spring 2023-24".
        drawn = shown.assign(
            period=[
                label.replace(": ", ":<br>").replace(" to ", " to<br>") if gap else label
                for label, gap in zip(shown["period"], shown["gap"], strict=True)
            ]
        )
        table.chart = charts.stacked(drawn, x="period")
    return table, trend, per_school


def _triangle_table(
    trend: pd.DataFrame,
    period: tuple[int, str],
    place: str,
    subject: str = "",
    students_url: StudentsUrl | None = None,
) -> Table:
    table = Table(
        "triangle",
        f"{place}: tiers against the healthy triangle",
        ["Tier", "Students", "% of students tested", "Guide %"],
    )
    match = (
        trend[(trend["school_year"] == period[0]) & (trend["window"] == period[1])]
        if not trend.empty
        else trend
    )
    row = match.iloc[0] if not match.empty else None
    table.cell_links = []
    for tier in (1, 2, 3):
        count = int(row[f"tier{tier}"]) if row is not None else 0
        pct = _pct(row[f"pct{tier}"]) if row is not None else ""
        table.rows.append([f"Tier {tier}", count, pct, analysis.HEALTHY[tier]])
        in_window = {"subject": subject, "year": period[0], "window": period[1], "tier": tier}
        table.cell_links.append(
            {1: students_url(in_window)} if students_url is not None and count > 0 else {}
        )
    table.rows.append(["No data", int(row["no_data"]) if row is not None else 0, "", ""])
    table.cell_links.append({})
    table.chart = charts.triangle(row)
    return table


def school_dashboard(
    *,
    school_name: str,
    snapshot_rows: list[tuple],
    measure_rows: list[tuple],
    subject: str | None,
    period: str | None,
    today: datetime.date,
    min_group_size: int = MIN_GROUP_SIZE,
    students_url: StudentsUrl | None = None,
) -> dict[str, Any]:
    """`min_group_size` is the district's: smaller student groups are left out of the group figures.

    With `students_url`, each tier count links to the list of the students behind it.
    """
    frame = snapshot_frame(snapshot_rows)
    chosen = filters(frame, subject, period)
    context: dict[str, Any] = {
        **chosen,
        "tables": [],
        "summary": "",
        "summaries": [],
        "min_group_size": min_group_size,
    }
    everyone = frame[(frame["student_group"] == "")] if not frame.empty else frame
    if chosen["period"] is not None:
        year, window = chosen["period"]
        trend_table, trend, _per_school = _trend_table(everyone, chosen["subject"], students_url=students_url)
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
        in_window = {"subject": chosen["subject"], "year": year, "window": window}
        grade_table.cell_links = [
            _tier_links(students_url, 1, grade=row.grade, **in_window) for row in grades.itertuples()
        ]
        grade_table.chart = charts.stacked(grades, x="grade", x_title="Grade") if not grades.empty else None
        groups = frame[
            (frame["student_group"] != "")
            & (frame["subject"] == chosen["subject"])
            & (frame["school_year"] == year)
            & (frame["window"] == window)
        ]
        group_dist = analysis.distribution(groups, ["student_group"])
        if not group_dist.empty:
            group_dist = group_dist[group_dist["total"] >= min_group_size].sort_values("student_group")
        group_table = Table(
            "groups",
            f"By student group, {chosen['period_label']} (groups under {min_group_size} students are hidden)",
            ["Student group", *TIER_HEADERS],
        )
        group_table.rows = [[row.student_group, *_tier_cells(row)] for row in group_dist.itertuples()]
        group_table.cell_links = [
            _tier_links(students_url, 1, group=row.student_group, **in_window)
            for row in group_dist.itertuples()
        ]
        group_table.chart = (
            charts.stacked(group_dist, x="student_group", across=True) if not group_dist.empty else None
        )
        context["tables"] += [
            _triangle_table(trend, chosen["period"], school_name, chosen["subject"], students_url),
            trend_table,
            grade_table,
        ]
        context["tables"].append(group_table)
    context["tables"] += measure_tables(measure_rows, enrolment=enrolment(frame), today=today)
    return context


def _grade_order(grade: str) -> int:
    return {"PK": -1, "K": 0}.get(grade, int(grade) if str(grade).isdigit() else 99)


def school_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 7 else day.year - 1


def enrolment(frame: pd.DataFrame) -> dict[tuple[int, int], int]:
    """Students on each school's roll in each school year: the most screened in any window and subject.

    Screening lists every enrolled student, with or without a usable result, so it is the best
    count of enrolment the dashboards have. Student-group rows are left out (they overlap).
    """
    if frame.empty:
        return {}
    everyone = frame[frame["student_group"] == ""]
    totals = everyone.assign(
        students=everyone["tier1"] + everyone["tier2"] + everyone["tier3"] + everyone["no_data"]
    )
    per_window = totals.groupby(["school_id", "school_year", "subject", "window"])["students"].sum()
    per_year = per_window.groupby(level=["school_id", "school_year"]).max()
    return {(int(pk), int(year)): int(n) for (pk, year), n in per_year.items()}


def _enrolled(enrolled: dict[tuple[int, int], int], school_id: int, year: int) -> int | None:
    """That year's count, or else the school's nearest year's."""
    if (school_id, year) in enrolled:
        return enrolled[(school_id, year)]
    years = [y for pk, y in enrolled if pk == school_id]
    if not years:
        return None
    return enrolled[(school_id, min(years, key=lambda y: (abs(y - year), -y)))]


def school_days(month: datetime.date, today: datetime.date) -> int:
    """Weekdays in the month, up to today for the month under way."""
    start = month.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    if start <= today < end:
        end = today + datetime.timedelta(days=1)
    return int(np.busday_count(start, end))


REFERRAL_RATE = "Per 100 students per school day"
SO_FAR = " (month so far)"


def _referrals(
    part: pd.DataFrame, enrolled: dict[tuple[int, int], int], today: datetime.date
) -> pd.DataFrame:
    """Referrals per month, and per 100 students per school day over the schools whose roll is known."""
    part = part.assign(
        students=[
            _enrolled(enrolled, int(pk), school_year_of(m))
            for pk, m in zip(part["school_id"], part["month"], strict=True)
        ]
    )
    known = part[part["students"].notna()]
    monthly = part.groupby("month", as_index=False)["value"].sum()
    rated = known.groupby("month").agg(referrals=("value", "sum"), students=("students", "sum"))
    rates = []
    for month in monthly["month"]:
        days = school_days(month, today)
        if month in rated.index and rated.loc[month, "students"] and days:
            rates.append(round(100 * rated.loc[month, "referrals"] / rated.loc[month, "students"] / days, 2))
        else:
            rates.append(None)
    monthly["value"] = monthly["value"].round(0).astype(int)
    monthly["rate"] = rates
    return monthly


def measure_tables(
    rows: list[tuple], *, enrolment: dict[tuple[int, int], int], today: datetime.date
) -> list[Table]:
    """Referrals (count and rate) and attendance by month.

    The month under way is marked "so far" in the table and left out of the chart: one day of
    a month is not a dip.
    """
    frame = pd.DataFrame.from_records(rows, columns=["school_id", "kind", "month", "value"])
    current_month = today.replace(day=1)
    tables = []
    odr = Table(
        "odr",
        "Behavior: office discipline referrals by month",
        ["Month", "Referrals", REFERRAL_RATE],
    )
    attendance = Table("attendance", "Attendance rate by month", ["Month", "Attendance %"])
    for table in (odr, attendance):
        part = frame[frame["kind"] == table.key] if not frame.empty else frame
        if not part.empty:
            part = part[part["month"] <= current_month]
        if part.empty:
            tables.append(table)
            continue
        if table is odr:
            monthly = _referrals(part, enrolment, today)
        else:
            monthly = part.groupby("month", as_index=False)["value"].mean()
            monthly["value"] = monthly["value"].round(1)
        monthly = monthly.sort_values("month")
        for row in monthly.itertuples():
            label = row.month.strftime("%b %Y") + (SO_FAR if row.month == current_month else "")
            table.rows.append(
                [label, row.value, *([("" if row.rate is None else row.rate)] if table is odr else [])]
            )
        complete = monthly[monthly["month"] < current_month]
        if table is odr:
            by_rate = complete["rate"].notna().any()
            table.chart = charts.line(
                complete,
                x="month",
                y="rate" if by_rate else "value",
                y_title=REFERRAL_RATE if by_rate else "Referrals",
                from_zero=True,
            )
            table.notes = [
                "The rate divides each month's referrals by the students on the roll (counted at "
                "screening) and by the weekdays in that month, so months and schools of different "
                "sizes compare fairly."
            ]
        else:
            table.chart = charts.line(complete, x="month", y="value", y_title="Attendance %")
        if (monthly["month"] == current_month).any():
            table.notes.append(f"{current_month:%B %Y} is under way: it is in the table, not the chart.")
        if complete.empty:
            table.chart = None
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
    today: datetime.date,
    students_url: StudentsUrl | None = None,
) -> dict[str, Any]:
    frame = snapshot_frame(snapshot_rows)
    chosen = filters(frame, subject, period)
    context: dict[str, Any] = {**chosen, "tables": [], "summary": "", "sort": sort or "school"}
    if chosen["period"] is None:
        return context
    year, window = chosen["period"]
    trend_table, trend, per_school = _trend_table(frame, chosen["subject"], schools, students_url)
    context["summary"] = analysis.plain_summary(
        place=district_name,
        subject=chosen["subject"],
        trend=per_school,
        school_year=year,
        window=window,
        schools_total=len(schools),
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
    school_table.cell_links = [
        _tier_links(students_url, 1, subject=chosen["subject"], year=year, window=window, school=int(pk))
        for pk in by_school["school_id"]
    ]
    school_table.chart = charts.heat_map(by_school) if not by_school.empty else None
    context["tables"] += [
        _triangle_table(trend, chosen["period"], district_name, chosen["subject"], students_url),
        school_table,
        trend_table,
    ]
    context["tables"] += measure_tables(measure_rows, enrolment=enrolment(frame), today=today)
    return context


def review_source_text(context: dict[str, Any], *, place: str) -> tuple[str, str]:
    """A data review's frozen view of a dashboard: its title, then the summary and the tiers.

    The words are the dashboard's own, so a review can never say something its dashboard does not.
    """
    title = f"{place}: {context['subject_label']} tiers, {context['period_label']}"
    lines = [context["summary"]]
    triangle = next((t for t in context["tables"] if t.key == "triangle"), None)
    if triangle is not None:
        lines.append(
            "; ".join(f"{tier}: {count} students ({pct}%)" for tier, count, pct, _guide in triangle.rows[:3])
            + "."
        )
    grades = next((t for t in context["tables"] if t.key == "grades"), None)
    if grades is not None and grades.rows:
        lines.append(
            "By grade, Tier 1 / 2 / 3: "
            + "; ".join(f"grade {row[0]} {row[5]}% / {row[6]}% / {row[7]}%" for row in grades.rows)
            + "."
        )
    return title, "\n".join(lines)


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
