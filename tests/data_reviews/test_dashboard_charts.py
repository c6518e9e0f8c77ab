"""What the dashboards draw and say, from small snapshot rows, without a database."""

from __future__ import annotations

import datetime

import pandas as pd

from data_reviews.scores import charts, dashboards
from data_reviews.scores.analysis import distribution

TODAY = datetime.date(2026, 12, 1)
SCHOOLS = {1: "Cedar Creek Elementary", 2: "Harbor Point Elementary", 3: "Lakeview Elementary"}


def snap(
    school_id: int,
    year: int,
    window: str,
    t1: int,
    t2: int,
    t3: int,
    *,
    subject: str = "reading",
    no_data: int = 0,
):
    return (school_id, "3", subject, year, window, "", t1, t2, t3, no_data)


def district(rows: list[tuple], measure_rows: list[tuple] = (), **choice) -> dict:
    return dashboards.district_dashboard(
        district_name="Maple Valley Public Schools",
        snapshot_rows=rows,
        measure_rows=list(measure_rows),
        schools=SCHOOLS,
        school_url=lambda pk: f"/data/schools/{pk}/",
        subject=choice.get("subject"),
        period=choice.get("period"),
        sort=None,
        today=TODAY,
    )


def table(context: dict, key: str) -> dashboards.Table:
    return next(t for t in context["tables"] if t.key == key)


def by_school(rows: list[tuple[str, int, int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["school", "tier1", "tier2", "tier3"]).assign(no_data=0)
    return distribution(frame, ["school"])


# --- Heat map and triangle -----------------------------------------------------------------------


def test_heat_map_shades_a_high_tier3_share_as_a_concern_and_a_low_one_as_healthy() -> None:
    figure = charts.heat_map(by_school([("Worried", 60, 20, 20), ("Healthy", 85, 13, 2)]))
    trace = figure["data"][0]
    worried, healthy = trace["z"]
    # Columns are Tier 1, Tier 2, Tier 3; positive is a concern, negative better than the guide.
    assert worried[2] > 0.9
    assert healthy[2] < 0
    assert worried[0] > 0 > healthy[0]
    # The cells still show the real percentages.
    assert trace["text"][0] == ["60%", "20%", "20%"]
    scale = trace["colorscale"]
    assert scale[0][0] == 0
    assert scale[-1][0] == 1
    assert scale[0][1] != scale[-1][1]
    assert trace["zmid"] == 0


def test_triangle_labels_thin_segments_outside_the_bar() -> None:
    row = pd.Series({"pct1": 86.0, "pct2": 10.0, "pct3": 4.0})
    figure = charts.triangle(row)
    tier3 = figure["data"][2]
    assert tier3["text"] == ["", ""]  # 4% and the 5% guide are too thin to hold a label
    outside = [a["text"] for a in figure["layout"]["annotations"]]
    assert "Tier 3: 4%" in outside
    assert "Tier 3: 5%" in outside
    assert figure["data"][0]["text"] == ["86%", "80%"]


# --- Trends, gaps and schools tested -------------------------------------------------------------


def test_trend_shows_missing_windows_as_a_gap_not_side_by_side() -> None:
    rows = [
        snap(1, 2013, "fall", 40, 8, 2),
        snap(1, 2024, "fall", 41, 7, 2),
        snap(1, 2024, "winter", 42, 6, 2),
    ]
    trend = table(district(rows), "trend")
    labels = trend.chart["data"][0]["x"]
    assert labels[0] == "Fall 2013-14"
    assert labels[-2:] == ["Fall 2024-25", "Winter 2024-25"]
    gap = labels[1]
    assert "Winter 2013-14" in gap
    assert "Spring 2023-24" in gap
    assert trend.chart["data"][0]["y"][1] is None
    assert [r[0] for r in trend.rows][1].startswith("Not tested")


def test_trend_says_when_the_set_of_schools_tested_changed() -> None:
    rows = [
        snap(1, 2025, "fall", 40, 8, 2),
        snap(2, 2025, "fall", 40, 8, 2),
        snap(1, 2025, "winter", 40, 8, 2),
        snap(3, 2025, "winter", 40, 8, 2),
    ]
    trend = table(district(rows), "trend")
    assert trend.columns[1] == "Schools tested"
    assert [r[1] for r in trend.rows] == [2, 2]
    assert trend.notes == [
        "Winter 2025-26 tested a different set of schools from Fall 2025-26: "
        "Lakeview Elementary was added; Harbor Point Elementary was not tested."
    ]


# --- Summary and window choice -------------------------------------------------------------------


def test_district_summary_states_coverage_first_and_compares_the_same_schools_only() -> None:
    rows = [
        snap(1, 2025, "fall", 30, 10, 10),
        snap(2, 2025, "fall", 45, 4, 1),
        snap(1, 2025, "winter", 40, 6, 4),
    ]
    summary = district(rows)["summary"]
    assert summary.startswith(
        "In winter, 1 of 3 schools in Maple Valley Public Schools tested reading (50 students): "
        "80% of those students were at Tier 1, up 20 points from fall at the 1 school that tested both times;"
    )
    assert "Maple Valley Public Schools students were" not in summary


def test_district_summary_when_every_school_tested() -> None:
    rows = [snap(n, 2025, "fall", 40, 8, 2) for n in SCHOOLS]
    assert district(rows)["summary"].startswith(
        "In fall, all 3 schools in Maple Valley Public Schools tested reading (150 students): "
        "80% of those students"
    )


def test_summary_after_a_long_gap_names_the_window_it_compares_with() -> None:
    rows = [snap(n, year, "fall", 40 + year - 2013, 8, 2) for n in SCHOOLS for year in (2013, 2024)]
    summary = district(rows)["summary"]
    assert "from Fall 2013-14" in summary
    assert "last" not in summary


def test_dashboard_opens_on_the_newest_window_with_data_in_any_subject() -> None:
    rows = [snap(1, 2024, "spring", 40, 8, 2), snap(1, 2025, "fall", 40, 8, 2, subject="math")]
    context = district(rows)
    assert context["subject"] == "math"
    assert context["period_value"] == "2025-fall"


def test_window_selector_lists_windows_in_date_order() -> None:
    rows = [
        snap(1, y, w, 40, 8, 2)
        for y, w in [(2025, "winter"), (2013, "spring"), (2025, "fall"), (2024, "spring")]
    ]
    labels = [label for _value, label in district(rows)["periods"]]
    assert labels == ["Spring 2013-14", "Spring 2024-25", "Fall 2025-26", "Winter 2025-26"]


# --- Referrals and attendance --------------------------------------------------------------------


def test_referrals_show_whole_counts_and_a_rate_per_100_students_per_school_day() -> None:
    # 200 students on the roll at school 1; 23 weekdays in October 2025.
    rows = [snap(1, 2025, "fall", 150, 30, 20)]
    measures = [(1, "odr", datetime.date(2025, 10, 1), 46.0)]
    odr = table(district(rows, measures), "odr")
    assert odr.columns == ["Month", "Referrals", "Per 100 students per school day"]
    assert odr.rows == [["Oct 2025", 46, 1.0]]
    assert "233.0" not in repr(odr.rows)


def test_a_partial_current_month_is_marked_and_left_out_of_the_chart() -> None:
    rows = [snap(1, 2026, "fall", 150, 30, 20)]
    measures = [
        (1, "odr", datetime.date(2026, 11, 1), 60.0),
        (1, "odr", datetime.date(2026, 12, 1), 3.0),
    ]
    odr = table(district(rows, measures), "odr")
    assert [r[0] for r in odr.rows] == ["Nov 2026", "Dec 2026 (month so far)"]
    drawn = [x for trace in odr.chart["data"] for x in trace["x"]]
    assert "2026-12-01" not in drawn


def test_the_summer_break_is_a_gap_in_the_monthly_line() -> None:
    measures = [(1, "attendance", datetime.date(2025, m, 1), 94.0) for m in (4, 5)]
    measures += [(1, "attendance", datetime.date(2025, m, 1), 95.0) for m in (8, 9)]
    attendance = table(district([snap(1, 2025, "fall", 40, 8, 2)], measures), "attendance")
    trace = attendance.chart["data"][0]
    assert attendance.chart["layout"]["xaxis"]["type"] == "date"
    assert trace["y"] == [94.0, 94.0, None, 95.0, 95.0]


def test_a_phone_keeps_the_percentages_beside_the_school_names() -> None:
    context = district([snap(n, 2025, "fall", 40, 8, 2) for n in SCHOOLS])
    schools = table(context, "schools")
    assert {schools.columns[n] for n in schools.phone_hidden} == {"Tier 1", "Tier 2", "Tier 3", "No data"}
    assert table(context, "triangle").phone_hidden == set()
    assert schools.wide
