"""Plotly figures for the dashboards, as plain figure dicts ready for `json_script`.

Frames in, figures out. The dicts follow Plotly's figure schema (`data` traces and `layout`)
and are written directly rather than through `plotly.graph_objects`, whose validation costs
tens of milliseconds per figure: a dashboard draws six. Colours: Tier 1 green, Tier 2 amber,
Tier 3 red. Charts carry no title of their own: the card heading above each one names it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from data_reviews.scores.analysis import HEALTHY

TIER_COLOURS = {1: "#2e7d32", 2: "#f9a825", 3: "#c62828"}
TIER_NAMES = {1: "Tier 1", 2: "Tier 2", 3: "Tier 3"}
PERCENT_AXIS = {"title": {"text": "% of students tested"}, "range": [0, 100]}


def _layout(**extra: Any) -> dict[str, Any]:
    layout: dict[str, Any] = {
        "margin": {"l": 60, "r": 20, "t": 30, "b": 90},
        "font": {"family": "system-ui, sans-serif", "size": 13},
        "legend": {"orientation": "h", "y": 1.0, "x": 1, "xanchor": "right", "yanchor": "bottom"},
        "barmode": "stack",
        "height": 320,
    }
    layout.update(extra)
    return layout


def _numbers(values: Any) -> list[float]:
    return [0.0 if pd.isna(v) else float(v) for v in values]


def triangle(row: pd.Series | None) -> dict[str, Any]:
    """This window's tiers beside the 80/15/5 guide, as two stacked bars."""
    data = []
    for tier in (1, 2, 3):
        actual = float(row[f"pct{tier}"]) if row is not None and pd.notna(row[f"pct{tier}"]) else 0.0
        data.append(
            {
                "type": "bar",
                "name": TIER_NAMES[tier],
                "x": ["Students", "Healthy guide"],
                "y": [actual, HEALTHY[tier]],
                "marker": {"color": TIER_COLOURS[tier]},
                "text": [f"{actual:.0f}%", f"{HEALTHY[tier]}%"],
                "textposition": "inside",
            }
        )
    return {"data": data, "layout": _layout(yaxis=PERCENT_AXIS)}


def stacked(frame: pd.DataFrame, *, x: str, x_title: str = "") -> dict[str, Any]:
    """Percent at each tier for each value of `x` (windows, grades, groups)."""
    labels = [str(v) for v in frame[x]]
    data = [
        {
            "type": "bar",
            "name": TIER_NAMES[tier],
            "x": labels,
            "y": _numbers(frame[f"pct{tier}"]),
            "marker": {"color": TIER_COLOURS[tier]},
        }
        for tier in (1, 2, 3)
    ]
    xaxis = {"title": {"text": x_title}, "type": "category", "tickangle": -30}
    return {"data": data, "layout": _layout(xaxis=xaxis, yaxis=PERCENT_AXIS)}


def heat_map(frame: pd.DataFrame) -> dict[str, Any]:
    """Schools down the side, tiers across, shaded by percent."""
    trace = {
        "type": "heatmap",
        "z": [_numbers([row.pct1, row.pct2, row.pct3]) for row in frame.itertuples()],
        "x": ["Tier 1 %", "Tier 2 %", "Tier 3 %"],
        "y": frame["school"].tolist(),
        # Plotly's "Blues" runs from dark to light; reversed, a higher percentage reads darker.
        "colorscale": "Blues",
        "reversescale": True,
        "zmin": 0,
        "zmax": 100,
        "texttemplate": "%{z:.0f}",
        "hovertemplate": "%{y}<br>%{x}: %{z:.0f}<extra></extra>",
    }
    layout = _layout(
        height=max(320, 28 * len(frame) + 120),
        margin={"l": 220, "r": 20, "t": 20, "b": 40},
        yaxis={"autorange": "reversed"},
    )
    return {"data": [trace], "layout": layout}


def line(frame: pd.DataFrame, *, x: str, y: str, y_title: str) -> dict[str, Any]:
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": y_title,
        "x": [str(v) for v in frame[x]],
        "y": _numbers(frame[y]),
        "line": {"color": "#1565c0"},
    }
    layout = _layout(
        yaxis={"title": {"text": y_title}},
        xaxis={"type": "category", "tickangle": -45},
        height=300,
        margin={"l": 60, "r": 20, "t": 20, "b": 70},
        showlegend=False,
    )
    return {"data": [trace], "layout": layout}
