"""The dashboards' charts as PNG images for slides, drawn by matplotlib without a browser.

Rows in, PNG bytes out: the rows are a dashboard table's own (`dashboards.Table.rows`), so a
slide's picture and the table on its notes page show the same numbers. Figures are made with
`matplotlib.figure.Figure` and the Agg canvas, never pyplot, so nothing is shared between
requests or threads. Colors and the 8-point label rule are the dashboard charts' own.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from data_reviews.scores.analysis import HEALTHY
from data_reviews.scores.charts import THIN_SEGMENT, TIER_COLOURS, TIER_NAMES

DPI = 150
FONT = {"size": 11}
LABEL_WRAP = 18
# Text on amber needs to be dark to be read; on green and red, white.
TEXT_ON = {1: "white", 2: "#212529", 3: "white"}


def _number(value: Any) -> float | None:
    """A table cell as a number; the dashboards leave a cell empty when nobody was tested."""
    if value in ("", None):
        return None
    return float(value)


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _figure(width: float, height: float) -> tuple[Figure, Any]:
    figure = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)  # drawn by Agg whatever backend pyplot elsewhere may have chosen
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    return figure, axes


def _stack(
    axes: Any,
    positions: Sequence[float],
    shares: Sequence[Sequence[float | None]],
    *,
    horizontal: bool,
    width: float = 0.7,
) -> None:
    """Tier 1, 2 and 3 stacked for each position, a segment's percentage written inside it."""
    bottoms = [0.0] * len(positions)
    for tier in (1, 2, 3):
        values = [row[tier - 1] or 0.0 for row in shares]
        style = {"color": TIER_COLOURS[tier], "label": TIER_NAMES[tier]}
        if horizontal:
            axes.barh(positions, values, height=width, left=bottoms, **style)
        else:
            axes.bar(positions, values, width=width, bottom=bottoms, **style)
        for position, value, bottom, row in zip(positions, values, bottoms, shares, strict=True):
            if row[tier - 1] is None or value < THIN_SEGMENT:
                continue
            middle = bottom + value / 2
            x, y = (middle, position) if horizontal else (position, middle)
            axes.text(
                x,
                y,
                f"{value:.0f}%",
                ha="center",
                va="center",
                color=TEXT_ON[tier],
                fontsize=FONT["size"] - 1,
            )
        bottoms = [b + v for b, v in zip(bottoms, values, strict=True)]


def _legend(axes: Any) -> None:
    axes.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3, frameon=False, fontsize=FONT["size"])


def triangle(rows: Sequence[Sequence[Any]]) -> bytes:
    """The triangle table's rows (Tier 1, 2, 3, No data): this window beside the 80/15/5 guide."""
    figure, axes = _figure(6.0, 4.6)
    actual = [_number(rows[tier - 1][2]) for tier in (1, 2, 3)]
    guide = [float(HEALTHY[tier]) for tier in (1, 2, 3)]
    _stack(axes, [0, 1], [actual, guide], horizontal=False, width=0.55)
    # Thin segments (Tier 3, often) are named beside their bar, as on the dashboard.
    for position, shares in ((0, actual), (1, guide)):
        bottom = 0.0
        for tier, share in zip((1, 2, 3), shares, strict=True):
            value = share or 0.0
            if share is not None and value < THIN_SEGMENT:
                axes.annotate(
                    f"{TIER_NAMES[tier]}: {value:.0f}%",
                    (position + 0.3, bottom + value / 2),
                    xytext=(4, {2: -7, 3: 7}.get(tier, 0)),
                    textcoords="offset points",
                    va="center",
                    color={1: TIER_COLOURS[1], 2: "#8a5a00", 3: TIER_COLOURS[3]}[tier],
                    fontsize=FONT["size"] - 1,
                )
            bottom += value
    axes.set_xticks([0, 1], ["Students", "Healthy guide"], fontsize=FONT["size"])
    axes.set_xlim(-0.6, 1.9)
    axes.set_ylim(0, 100)
    axes.set_ylabel("% of students tested", fontsize=FONT["size"])
    _legend(axes)
    return _png(figure)


def _wrapped(label: Any) -> str:
    return "\n".join(textwrap.wrap(str(label), LABEL_WRAP)) or str(label)


def columns(labels: Sequence[Any], shares: Sequence[Sequence[float | None]], *, x_title: str = "") -> bytes:
    """Percent at each tier for each label (windows, student groups), side by side.

    A label whose shares are all empty (a window nobody was tested in) keeps its place with no bar.
    """
    width = min(11.5, max(6.0, 1.1 * len(labels) + 2))
    figure, axes = _figure(width, 4.6)
    positions = list(range(len(labels)))
    _stack(axes, positions, shares, horizontal=False)
    axes.set_xticks(positions, [_wrapped(label) for label in labels], fontsize=FONT["size"] - 1)
    if x_title:
        axes.set_xlabel(x_title, fontsize=FONT["size"])
    axes.set_ylim(0, 100)
    axes.set_ylabel("% of students tested", fontsize=FONT["size"])
    _legend(axes)
    return _png(figure)


def schools(names: Sequence[str], shares: Sequence[Sequence[float | None]]) -> bytes:
    """One bar per school, top to bottom in the dashboard table's order, Tier 1 from the left."""
    figure, axes = _figure(11.5, max(2.4, 0.34 * len(names) + 1.3))
    positions = list(range(len(names)))
    _stack(axes, positions, shares, horizontal=True, width=0.72)
    axes.set_yticks(positions, [str(name) for name in names], fontsize=FONT["size"] - 1)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of students tested", fontsize=FONT["size"])
    _legend(axes)
    return _png(figure)
