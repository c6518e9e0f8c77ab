"""Plotly figures for the dashboards, as plain dicts ready for `json_script`.

Charts carry no title of their own: the card heading above each one names it.

Frames in, figures out. Colours: Tier 1 green, Tier 2 amber, Tier 3 red, with the healthy
triangle's guide beside each; every figure has a table next to it on the page.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from data_reviews.scores.analysis import HEALTHY

TIER_COLOURS = {1: "#2e7d32", 2: "#f9a825", 3: "#c62828"}
TIER_NAMES = {1: "Tier 1", 2: "Tier 2", 3: "Tier 3"}
LAYOUT = {
    "margin": {"l": 60, "r": 20, "t": 30, "b": 90},
    "font": {"family": "system-ui, sans-serif", "size": 13},
    "legend": {
        "orientation": "h",
        "y": 1.0,
        "x": 1,
        "xanchor": "right",
        "yanchor": "bottom",
        "traceorder": "normal",
    },
    "barmode": "stack",
    "height": 320,
}


def _as_dict(figure: go.Figure) -> dict[str, Any]:
    return json.loads(figure.to_json())


def triangle(row: pd.Series | None) -> dict[str, Any]:
    """This window's tiers beside the 80/15/5 guide, as two stacked bars."""
    figure = go.Figure()
    for tier in (1, 2, 3):
        actual = float(row[f"pct{tier}"]) if row is not None and pd.notna(row[f"pct{tier}"]) else 0.0
        figure.add_bar(
            name=TIER_NAMES[tier],
            x=["Students", "Healthy guide"],
            y=[actual, HEALTHY[tier]],
            marker_color=TIER_COLOURS[tier],
            text=[f"{actual:.0f}%", f"{HEALTHY[tier]}%"],
            textposition="inside",
        )
    figure.update_layout(yaxis={"title": "% of students tested", "range": [0, 100]}, **LAYOUT)
    return _as_dict(figure)


def stacked(frame: pd.DataFrame, *, x: str, x_title: str = "") -> dict[str, Any]:
    """Percent at each tier for each value of `x` (windows, grades, groups, schools)."""
    figure = go.Figure()
    labels = [str(v) for v in frame[x]] if not frame.empty else []
    for tier in (1, 2, 3):
        values = frame[f"pct{tier}"].fillna(0).tolist() if not frame.empty else []
        figure.add_bar(name=TIER_NAMES[tier], x=labels, y=values, marker_color=TIER_COLOURS[tier])
    figure.update_layout(
        xaxis={"title": x_title, "type": "category", "tickangle": -30},
        yaxis={"title": "% of students tested", "range": [0, 100]},
        **LAYOUT,
    )
    return _as_dict(figure)


def heat_map(frame: pd.DataFrame) -> dict[str, Any]:
    """Schools down the side, tiers across, shaded by percent."""
    figure = go.Figure(
        go.Heatmap(
            z=[[row.pct1, row.pct2, row.pct3] for row in frame.itertuples()],
            x=["Tier 1 %", "Tier 2 %", "Tier 3 %"],
            y=frame["school"].tolist(),
            colorscale="Blues",
            zmin=0,
            zmax=100,
            texttemplate="%{z:.0f}",
            hovertemplate="%{y}<br>%{x}: %{z:.0f}<extra></extra>",
        )
    )
    figure.update_layout(
        height=max(320, 28 * len(frame) + 120),
        margin={"l": 220, "r": 20, "t": 20, "b": 40},
        yaxis={"autorange": "reversed"},
    )
    return _as_dict(figure)


def line(frame: pd.DataFrame, *, x: str, y: str, y_title: str) -> dict[str, Any]:
    figure = go.Figure()
    figure.add_scatter(
        x=frame[x].tolist() if not frame.empty else [],
        y=frame[y].tolist() if not frame.empty else [],
        mode="lines+markers",
        name=y_title,
        line={"color": "#1565c0"},
    )
    figure.update_layout(
        yaxis={"title": y_title},
        xaxis={"type": "category", "tickangle": -45},
        height=300,
        margin={"l": 60, "r": 20, "t": 20, "b": 70},
        showlegend=False,
    )
    return _as_dict(figure)
