"""Accessible SVG charts drawn at build time: no script, no canvas, no service.

Each chart is an `<svg role="img">` named by its `<title>` and described by
a `<desc>` that states what the chart shows in words (range, extremes, last
value); the page puts the chart's data table and CSV beside it. Colours are
told apart by dash patterns and markers too, and text uses `currentColor`
so the light and dark themes both read.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from ..wording import plural
from .templating import number, render

WIDTH = 720
PALETTE = (("#1f5fa8", ""), ("#b3541e", "6 4"), ("#4d7a2a", "2 3"), ("#6b4c9a", "8 3 2 3"))
LEFT, RIGHT, TOP, BOTTOM = 52, 36, 16, 64  # RIGHT: room for half of the last label
# Text sizes in the drawing's units: a chart is never drawn narrower than 640 px (coopps.css),
# so 14 units read at 12 px or more on a phone.
FONT, LEGEND_FONT = 14, 14
LINE_HEIGHT = 300
BAR_ROW = 40
MAX_LABEL = 80


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def tick_step(value: float) -> float:
    """A 1, 2 or 5 × 10^k step (at least 1: counts are whole) giving about four intervals up to `value`."""
    rough = max(value / 4, 1)
    power = 10 ** math.floor(math.log10(rough))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= rough)


def nice_max(value: float) -> float:
    """The top of the axis: the first multiple of the tick step at or above `value` (at least 1)."""
    step = tick_step(value)
    return max(step * math.ceil(value / step), 1)


def ticks(top: float) -> list[float]:
    step = tick_step(top)
    return [i * step for i in range(round(top / step) + 1)]


def unit_of(value: float, unit: str) -> str:
    """The unit as French writes it after `value`: « 1 adhésion », « 0 adhésion », « 2 adhésions »."""
    if value >= 2 or not unit:
        return unit
    return " ".join(word.removesuffix("s") for word in unit.split())


def describe_series(labels: Sequence[str], series: Sequence[Series], unit: str) -> str:
    """A sentence per series: first and last value, and the peak."""
    if not labels:
        return "Aucune donnée."
    if len(labels) == 1:
        values = ", ".join(f"{item.name.lower()} : {number(item.values[0])}" for item in series)
        return f"En {labels[0]} ({unit}) : {values}." if unit else f"En {labels[0]} : {values}."
    parts = [f"De {labels[0]} à {labels[-1]}."]
    for item in series:
        peak = max(range(len(item.values)), key=lambda i: item.values[i])
        parts.append(
            f"{item.name} : {number(item.values[0])} {unit_of(item.values[0], unit)} en {labels[0]}, "
            f"{number(item.values[-1])} en {labels[-1]}, "
            f"maximum {number(item.values[peak])} en {labels[peak]}."
        )
    return " ".join(parts)


@dataclass(frozen=True)
class Drawn:
    """A series as drawn: colour, dash pattern (or ""), polyline points and marker centres."""

    name: str
    colour: str
    dash: str
    points: str
    markers: list[tuple[str, str]]


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    desc: str | None = None,
) -> Markup:
    """A line chart over evenly spaced labels (months, years)."""
    if not labels or not series:
        return Markup()
    top = nice_max(max((v for s in series for v in s.values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, LINE_HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (len(labels) - 1) if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    drawn = []
    for index, item in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(item.values))
        markers = (
            [(f"{x(i):.1f}", f"{y(v):.1f}") for i, v in enumerate(item.values)]
            if len(labels) <= 24
            else []
        )
        drawn.append(Drawn(item.name, colour, dash, points, markers))
    return render(
        "chart_line.html",
        font=FONT,
        legend_font=LEGEND_FONT,
        chart_id=chart_id,
        title=title,
        desc=desc or describe_series(labels, series, unit),
        width=WIDTH,
        height=LINE_HEIGHT,
        left=LEFT,
        plot_w=plot_w,
        series=drawn,
        legend=_legend(series),
        legend_y=LINE_HEIGHT - 18,
        label_y=LINE_HEIGHT - BOTTOM + 24,
        ticks=[
            (f"{y(t):.1f}", f"{y(t) + 4:.1f}", number(t), 0.6 if t == 0 else 0.15)
            for t in ticks(top)
        ],
        x_labels=[(f"{x(i):.1f}", labels[i]) for i in _shown_labels(len(labels))],
    )


def _shown_labels(count: int) -> list[int]:
    """Indexes of the x labels drawn: about eight (« 2024-03 » at 14 units is 60 wide), the last one always."""
    every = max(1, math.ceil(count / 8))
    shown = [i for i in range(count) if i % every == 0 or i == count - 1]
    if len(shown) > 1 and shown[-1] - shown[-2] < every:
        shown.pop(-2)  # keep the last label readable
    return shown


def _legend(series: Sequence[Series]) -> list[tuple[int, str, str, str]]:
    """(left, colour, dash, name) of each legend entry."""
    out, left = [], LEFT
    for index, item in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)]
        out.append((left, colour, dash, item.name))
        left += 48 + 9 * len(item.name)
    return out


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float],
    unit: str = "",
    desc: str | None = None,
) -> Markup:
    """Horizontal bars, one row per label: the label above its bar, the value at the bar's end."""
    if not labels:
        return Markup()
    top = nice_max(max(values, default=0))
    plot_w = WIDTH - 16 - 70
    bars = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        width = plot_w * value / top
        shown = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        bars.append(
            (
                TOP + BAR_ROW * index,
                shown,
                f"{max(width, 1):.1f}",
                f"{16 + width + 6:.1f}",
                number(value),
            )
        )
    return render(
        "chart_bar.html",
        font=FONT,
        chart_id=chart_id,
        title=title,
        desc=desc or describe_bars(labels, values, unit),
        width=WIDTH,
        height=TOP + BAR_ROW * len(labels) + 8,
        bars=bars,
        colour=PALETTE[0][0],
    )


def describe_bars(labels: Sequence[str], values: Sequence[float], unit: str) -> str:
    ranked = sorted(zip(values, labels, strict=True), key=lambda pair: -pair[0])
    listed = "; ".join(f"{label} : {number(value)}" for value, label in ranked[:10])
    more = f" ; et {plural(len(ranked) - 10, 'autre')}" if len(ranked) > 10 else ""
    order = ", de la plus grande à la plus petite" if len(labels) > 1 else ""
    return f"{plural(len(labels), 'barre')}{f' ({unit})' if unit else ''}{order} : {listed}{more}."
