"""A schematic tile map of the 18 regions, as inline SVG: each tile is a link
to the region page, named for screen readers, shaded by active adhesions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from .templating import render

# code: (abbreviation, column, row) — a schematic layout, not a geography.
TILES: dict[str, tuple[str, int, int]] = {
    "28": ("NOR", 1, 0), "32": ("HDF", 2, 0),
    "53": ("BRE", 0, 1), "52": ("PDL", 1, 1), "11": ("IDF", 2, 1), "44": ("GES", 3, 1),
    "75": ("NAQ", 1, 2), "24": ("CVL", 2, 2), "27": ("BFC", 3, 2),
    "76": ("OCC", 2, 3), "84": ("ARA", 3, 3), "93": ("PACA", 4, 3), "94": ("COR", 5, 4),
    "01": ("GP", 0, 6), "02": ("MQ", 1, 6), "03": ("GF", 2, 6), "04": ("RE", 3, 6), "06": ("YT", 4, 6),
}
TILE_W, TILE_H, GAP = 96, 64, 8
# Light to dark; text colour chosen for contrast on each.
SHADES = [("#eef3f8", "#1b1b1b"), ("#c6dbef", "#1b1b1b"), ("#6baed6", "#1b1b1b"), ("#2171b5", "#ffffff"), ("#08306b", "#ffffff")]


def thresholds(counts: Mapping[str, int]) -> list[int]:
    """Lower bounds of the four non-empty classes (0 has its own shade)."""
    top = max(counts.values(), default=0)
    if top <= 4:
        return [1, 2, 3, 4]
    step = top / 4
    return [1, *sorted({max(2, round(step * k) + 1) for k in (1, 2, 3)})]


def shade(count: int, bounds: list[int]) -> int:
    return sum(1 for bound in bounds if count >= bound)


@dataclass(frozen=True)
class Tile:
    """One region drawn on the map: position, colours, link and counts."""

    abbr: str
    name: str
    count: int
    href: str
    x: int
    y: int
    fill: str
    ink: str

    @property
    def noun(self) -> str:
        return "adhésion active" if self.count == 1 else "adhésions actives"


def region_map(names: Mapping[str, str], counts: Mapping[str, int], href: Callable[[str], str]) -> Markup:
    """The map (a template) and its legend."""
    bounds = thresholds(counts)
    tiles = [_tile(code, names.get(code, code), counts.get(code, 0), bounds, href(code)) for code in TILES]
    return render("region_map.html", tiles=tiles, width=6 * (TILE_W + GAP), height=7 * (TILE_H + GAP),
                  label_y=6 * (TILE_H + GAP) - 10, tile_w=TILE_W, tile_h=TILE_H, legend=legend(bounds))


def _tile(code: str, name: str, count: int, bounds: list[int], url: str) -> Tile:
    abbr, col, row = TILES[code]
    fill, ink = SHADES[shade(count, bounds)]
    return Tile(abbr, name, count, url, col * (TILE_W + GAP), row * (TILE_H + GAP), fill, ink)


def legend(bounds: list[int]) -> list[tuple[str, str]]:
    """(shade, text) of each class of the legend."""
    labels = ["0"]
    uppers = [*[b - 1 for b in bounds[1:]], None]
    for low, high in zip(bounds, uppers, strict=True):
        labels.append(f"{low} et plus" if high is None else (str(low) if low == high else f"{low} à {high}"))
    return [(SHADES[i][0], text) for i, text in enumerate(labels)]
