"""Dashboard charts that stay readable on a phone: whole group names, month labels that do not overlap."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from data_reviews.scores import charts


def test_student_group_chart_lays_groups_on_rows_with_long_names_wrapped() -> None:
    frame = pd.DataFrame(
        {
            "student_group": ["Asian", "Black or African American"],
            "pct1": [72.0, 73.0],
            "pct2": [17.0, 12.0],
            "pct3": [11.0, 15.0],
        }
    )

    figure = charts.stacked(frame, x="student_group", across=True)

    tier1 = figure["data"][0]
    assert tier1["orientation"] == "h"
    assert tier1["y"] == ["Asian", "Black or African<br>American"]
    assert tier1["x"] == [72.0, 73.0]
    assert figure["layout"]["yaxis"]["automargin"] is True


def test_window_chart_keeps_upright_bars_and_makes_room_for_slanted_names() -> None:
    frame = pd.DataFrame({"period": ["Fall 2025-26"], "pct1": [80.0], "pct2": [15.0], "pct3": [5.0]})

    figure = charts.stacked(frame, x="period")

    assert figure["data"][0]["x"] == ["Fall 2025-26"]
    assert figure["layout"]["xaxis"]["automargin"] is True


def test_monthly_line_spaces_its_labels_to_the_width_instead_of_every_third_month() -> None:
    frame = pd.DataFrame({"month": [dt.date(2025, m, 1) for m in range(1, 13)], "rate": [0.2] * 12})

    xaxis = charts.line(frame, x="month", y="rate", y_title="Per 100 students")["layout"]["xaxis"]

    assert "dtick" not in xaxis
    assert xaxis["nticks"] == 8
