"""Accessible SVG charts drawn at build time: no script, no canvas, no service.

Each chart is an `<svg role="img">` named by its `<title>` and described by
a `<desc>` that states what the chart shows in words (range, extremes, last
value); the page puts the chart's data table and CSV beside it. Colours are
told apart by dash patterns and markers too, and text uses `currentColor`
so the light and dark themes both read.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .html import esc

WIDTH = 720
PALETTE = (("#1f5fa8", ""), ("#b3541e", "6 4"), ("#4d7a2a", "2 3"), ("#6b4c9a", "8 3 2 3"))
LEFT, RIGHT, TOP, BOTTOM = 52, 32, 16, 64  # RIGHT: room for half of the last label
LINE_HEIGHT = 300
BAR_ROW = 38
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


def number(value: float) -> str:
    """French display of a number: no trailing `.0`, a comma as decimal mark."""
    return (f"{value:g}" if value != int(value) else str(int(value))).replace(".", ",")


def _svg(chart_id: str, title: str, desc: str, height: int, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="coop-graphique" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="{chart_id}-titre {chart_id}-desc" focusable="false">'
        f'<title id="{chart_id}-titre">{esc(title)}</title><desc id="{chart_id}-desc">{esc(desc)}</desc>'
        f'{body}</svg>'
    )


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
            f"{item.name} : {number(item.values[0])} {unit} en {labels[0]}, {number(item.values[-1])} en {labels[-1]}, "
            f"maximum {number(item.values[peak])} en {labels[peak]}."
        )
    return " ".join(parts)


def line_chart(chart_id: str, title: str, labels: Sequence[str], series: Sequence[Series], unit: str = "",
               desc: str | None = None) -> str:
    """A line chart over evenly spaced labels (months, years)."""
    if not labels or not series:
        return ""
    top = nice_max(max((v for s in series for v in s.values), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, LINE_HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (plot_w * i / (len(labels) - 1) if len(labels) > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - v / top)

    parts = [_y_axis(top, y, plot_w), _x_labels(labels, x)]
    for index, item in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(item.values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} points="{points}"/>')
        if len(labels) <= 24:
            parts += [f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3.5" fill="{colour}"/>' for i, v in enumerate(item.values)]
    parts.append(_legend(series, LINE_HEIGHT - 18))
    text = desc or describe_series(labels, series, unit)
    return _svg(chart_id, title, text, LINE_HEIGHT, "".join(parts))


def _y_axis(top: float, y: Callable[[float], float], plot_w: float) -> str:
    out = []
    for tick in ticks(top):
        pos = y(tick)
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{pos:.1f}" y2="{pos:.1f}" stroke="currentColor" '
                   f'stroke-opacity="{0.6 if tick == 0 else 0.15}"/>')
        out.append(f'<text x="{LEFT - 8}" y="{pos + 4:.1f}" text-anchor="end" font-size="12" fill="currentColor">'
                   f'{number(tick)}</text>')
    return "".join(out)


def _x_labels(labels: Sequence[str], x: Callable[[int], float]) -> str:
    every = max(1, math.ceil(len(labels) / 12))
    shown = [i for i in range(len(labels)) if i % every == 0 or i == len(labels) - 1]
    if len(shown) > 1 and shown[-1] - shown[-2] < every:
        shown.pop(-2)  # keep the last label readable
    return "".join(
        f'<text x="{x(i):.1f}" y="{LINE_HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" '
        f'fill="currentColor">{esc(labels[i])}</text>'
        for i in shown
    )


def _legend(series: Sequence[Series], baseline: int) -> str:
    out, left = [], LEFT
    for index, item in enumerate(series):
        colour, dash = PALETTE[index % len(PALETTE)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(f'<line x1="{left}" x2="{left + 28}" y1="{baseline - 4}" y2="{baseline - 4}" stroke="{colour}" '
                   f'stroke-width="3"{dash_attr}/>')
        out.append(f'<text x="{left + 34}" y="{baseline}" font-size="13" fill="currentColor">{esc(item.name)}</text>')
        left += 48 + 8 * len(item.name)
    return "".join(out)


def bar_chart(chart_id: str, title: str, labels: Sequence[str], values: Sequence[float], unit: str = "",
              desc: str | None = None) -> str:
    """Horizontal bars, one row per label: the label above its bar, the value at the bar's end."""
    if not labels:
        return ""
    top = nice_max(max(values, default=0))
    plot_w = WIDTH - 16 - 70
    height = TOP + BAR_ROW * len(labels) + 8
    parts = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        row = TOP + BAR_ROW * index
        width = plot_w * value / top
        shown = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        parts.append(f'<text x="16" y="{row + 11}" font-size="12" fill="currentColor">{esc(shown)}</text>')
        parts.append(f'<rect x="16" y="{row + 16}" width="{max(width, 1):.1f}" height="14" fill="{PALETTE[0][0]}"/>')
        parts.append(f'<text x="{16 + width + 6:.1f}" y="{row + 28}" font-size="12" fill="currentColor">{number(value)}</text>')
    text = desc or describe_bars(labels, values, unit)
    return _svg(chart_id, title, text, height, "".join(parts))


def describe_bars(labels: Sequence[str], values: Sequence[float], unit: str) -> str:
    ranked = sorted(zip(values, labels, strict=True), key=lambda pair: -pair[0])
    listed = "; ".join(f"{label} : {number(value)}" for value, label in ranked[:10])
    more = f" ; et {len(ranked) - 10} autres" if len(ranked) > 10 else ""
    return f"{len(labels)} barres{f' ({unit})' if unit else ''}, de la plus grande à la plus petite : {listed}{more}."
