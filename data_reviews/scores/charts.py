"""Plotly figures for the dashboards, as plain figure dicts ready for `json_script`.

Frames in, figures out. The dicts follow Plotly's figure schema (`data` traces and `layout`)
and are written directly rather than through `plotly.graph_objects`, whose validation costs
tens of milliseconds per figure: a dashboard draws six. Colours: Tier 1 green, Tier 2 amber,
Tier 3 red. Charts carry no title of their own: the card heading above each one names it.
"""

from __future__ import annotations

import textwrap
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


def _numbers(values: Any) -> list[float | None]:
    """Plotly draws None as nothing: a gap, never a zero that reads as a result."""
    return [None if pd.isna(v) else float(v) for v in values]


# A segment thinner than this (percentage points) cannot hold its label inside the bar.
THIN_SEGMENT = 8
TRIANGLE_BAR_WIDTH = 0.5
TRIANGLE_BARS = ["Students", "Healthy guide"]


def triangle(row: pd.Series | None) -> dict[str, Any]:
    """This window's tiers beside the 80/15/5 guide, as two stacked bars.

    Tier 3 is usually a thin segment on top; its label goes beside the bar, with the other thin
    ones, so the share that matters most stays readable.
    """
    data = []
    annotations = []
    bottoms = [0.0, 0.0]
    for tier in (1, 2, 3):
        actual = float(row[f"pct{tier}"]) if row is not None and pd.notna(row[f"pct{tier}"]) else 0.0
        values = [actual, float(HEALTHY[tier])]
        texts = []
        for position, value in enumerate(values):
            label = f"{value:.0f}%"
            if value < THIN_SEGMENT:
                texts.append("")
                # Tier 3, on top, is labelled above its bar: beside it, the two bars' labels ran into
                # each other on a phone. A thin Tier 2 is labelled beside its bar.
                above = tier == 3
                annotations.append(
                    {
                        "x": position if above else position + TRIANGLE_BAR_WIDTH / 2,
                        "y": min(bottoms[position] + value, 100) if above else bottoms[position] + value / 2,
                        "xref": "x",
                        "yref": "y",
                        "text": f"{TIER_NAMES[tier]}: {label}",
                        "showarrow": False,
                        "xanchor": "center" if above else "left",
                        "yanchor": "bottom" if above else "middle",
                        "xshift": 0 if above else 4,
                        "yshift": 2 if above else 0,
                        "font": {"color": TIER_COLOURS[tier] if tier != 2 else "#8a5a00"},
                    }
                )
            else:
                texts.append(label)
            bottoms[position] += value
        data.append(
            {
                "type": "bar",
                "name": TIER_NAMES[tier],
                "x": TRIANGLE_BARS,
                "y": values,
                "width": TRIANGLE_BAR_WIDTH,
                "marker": {"color": TIER_COLOURS[tier]},
                "text": texts,
                "textposition": "inside",
                "insidetextanchor": "middle",
                "hovertemplate": f"{TIER_NAMES[tier]}: %{{y:.0f}}%<extra>%{{x}}</extra>",
            }
        )
    layout = _layout(
        yaxis=PERCENT_AXIS,
        xaxis={
            "automargin": True,
            "tickangle": 0,
            "tickmode": "array",
            "tickvals": TRIANGLE_BARS,
            "ticktext": ["Students", "Healthy<br>guide"],
        },
        annotations=annotations,
        # Room above for Tier 3's label and on the right for a thin Tier 2's; the legend below.
        margin={"l": 60, "r": 90, "t": 30, "b": 70},
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.2, "yanchor": "top"},
    )
    return {"data": data, "layout": layout}


def _wrapped(label: str, width: int = 16) -> str:
    """A long category name on two or more lines ("Black or African<br>American")."""
    return "<br>".join(textwrap.wrap(label, width)) or label


def stacked(frame: pd.DataFrame, *, x: str, x_title: str = "", across: bool = False) -> dict[str, Any]:
    """Percent at each tier for each value of `x` (windows, grades, groups).

    `across` lays the bars on their side, one row per value: long names (student groups) then
    read in full on a phone instead of slanting over each other.
    """
    labels = [_wrapped(str(v)) if across else str(v) for v in frame[x]]
    data = [
        {
            "type": "bar",
            "name": TIER_NAMES[tier],
            "orientation": "h" if across else "v",
            "x" if across else "y": _numbers(frame[f"pct{tier}"]),
            "y" if across else "x": labels,
            "marker": {"color": TIER_COLOURS[tier]},
        }
        for tier in (1, 2, 3)
    ]
    if across:
        categories = {"type": "category", "autorange": "reversed", "automargin": True}
        return {
            "data": data,
            "layout": _layout(
                yaxis={"title": {"text": x_title}, **categories},
                xaxis=PERCENT_AXIS,
                height=max(320, 34 * len(labels) + 110),
                margin={"l": 10, "r": 20, "t": 30, "b": 50},
                legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
            ),
        }
    # automargin: long names slant into a taller margin instead of being cut off.
    xaxis = {"title": {"text": x_title}, "type": "category", "tickangle": -30, "automargin": True}
    return {"data": data, "layout": _layout(xaxis=xaxis, yaxis=PERCENT_AXIS)}


# How far from the guide a column's colour reaches full strength, in percentage points, on the
# worse side and on the better side. Tier 3 is small, so a few points past its 5% guide is
# already a strong concern; Tier 1 is judged over a wider range.
CONCERN_SPANS = {1: (30, 20), 2: (15, 15), 3: (10, 5)}
# Diverging: green better than the guide, near-white at the guide, red a concern.
CONCERN_SCALE = [
    [0.0, "#1b7837"],
    [0.25, "#a6dba0"],
    [0.5, "#f7f7f7"],
    [0.75, "#f4a582"],
    [1.0, "#b2182b"],
]


def concern(tier: int, pct: Any) -> float | None:
    """-1 (well better than the guide) to 1 (a strong concern); Tier 1 is a concern when low."""
    if pd.isna(pct):
        return None
    worse_span, better_span = CONCERN_SPANS[tier]
    gap = float(pct) - HEALTHY[tier]
    if tier == 1:
        gap = -gap
    scaled = gap / worse_span if gap > 0 else gap / better_span
    return max(-1.0, min(1.0, scaled))


def heat_map(frame: pd.DataFrame) -> dict[str, Any]:
    """Schools down the side, tiers across; each cell coloured by how far it is from the guide.

    A plain light-to-dark scale made a high Tier 3 share look pale beside Tier 1; here every
    column reads the same way: red is a concern, green better than the guide. Cells show the
    real percentages.
    """
    rows = list(frame.itertuples())
    trace = {
        "type": "heatmap",
        "z": [[concern(tier, getattr(row, f"pct{tier}")) for tier in (1, 2, 3)] for row in rows],
        "text": [["" if pd.isna(v) else f"{v:.0f}%" for v in (row.pct1, row.pct2, row.pct3)] for row in rows],
        "customdata": [[f"{HEALTHY[tier]}%" for tier in (1, 2, 3)] for _row in rows],
        "x": [f"{TIER_NAMES[tier]}<br>({HEALTHY[tier]}%)" for tier in (1, 2, 3)],
        "y": frame["school"].tolist(),
        "colorscale": CONCERN_SCALE,
        "zmin": -1,
        "zmax": 1,
        "zmid": 0,
        "xgap": 2,
        "ygap": 2,
        "texttemplate": "%{text}",
        "hovertemplate": "%{y}<br>%{x}: %{text}, guide %{customdata}<extra></extra>",
        # Below the map, so a phone keeps its width for the school names.
        "colorbar": {
            "orientation": "h",
            "y": -0.02,
            "yanchor": "top",
            "len": 1,
            "x": 0.5,
            "xanchor": "center",
            "thickness": 10,
            "tickvals": [-1, 0, 1],
            "ticktext": ["Better", "At guide", "Concern"],
            "tickangle": 0,
            "tickfont": {"size": 11},
            # On two lines: on a phone the school names leave the scale little width.
            "title": {"text": "Compared with the guide<br>(in brackets)", "side": "top"},
        },
    }
    layout = _layout(
        height=max(340, 28 * len(frame) + 160),
        margin={"l": 10, "r": 30, "t": 10, "b": 60},
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"automargin": True, "side": "top", "tickangle": 0},
    )
    return {"data": [trace], "layout": layout}


def line(frame: pd.DataFrame, *, x: str, y: str, y_title: str, from_zero: bool = False) -> dict[str, Any]:
    """A monthly line on a real date axis; `x` holds dates, and a missing month breaks the line.

    On a category axis May sat next to August as if the summer were one step; here the summer
    is as wide as it was, and the line stops at it rather than joining the two sides.
    """
    xs: list[str] = []
    ys: list[float | None] = []
    previous = None
    for when, value in zip(frame[x], frame[y], strict=True):
        if previous is not None and (when.year - previous.year) * 12 + when.month - previous.month > 1:
            xs.append((previous + (when - previous) / 2).isoformat())
            ys.append(None)
        xs.append(when.isoformat())
        ys.append(None if pd.isna(value) else float(value))
        previous = when
    trace = {
        "type": "scatter",
        "mode": "lines+markers",
        "name": y_title,
        "x": xs,
        "y": ys,
        "connectgaps": False,
        "line": {"color": "#1565c0"},
        "hovertemplate": f"%{{x|%b %Y}}: %{{y}}<extra>{y_title}</extra>",
    }
    layout = _layout(
        yaxis={"title": {"text": y_title}, **({"rangemode": "tozero"} if from_zero else {})},
        # At most eight month labels, spaced to the chart's width, so a phone's do not overlap.
        xaxis={"type": "date", "tickformat": "%b<br>%Y", "nticks": 8, "tickangle": 0},
        height=300,
        margin={"l": 60, "r": 20, "t": 20, "b": 50},
        showlegend=False,
    )
    return {"data": [trace], "layout": layout}
