"""A schematic tile map of the 18 regions, as inline SVG: each tile is a link
to the region page, named for screen readers, shaded by active adhesions."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from .html import esc

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


def region_map(names: Mapping[str, str], counts: Mapping[str, int], href: Callable[[str], str]) -> str:
    bounds = thresholds(counts)
    tiles = "".join(_tile(code, names.get(code, code), counts.get(code, 0), bounds, href(code)) for code in TILES)
    # Labels are drawn over the links, outside them: a link's name is its aria-label alone.
    labels = "".join(_tile_label(code, counts.get(code, 0), bounds) for code in TILES)
    width = 6 * (TILE_W + GAP)
    height = 7 * (TILE_H + GAP)
    label_y = 6 * (TILE_H + GAP) - 10
    return (
        f'<svg class="coop-carte" viewBox="0 0 {width} {height}" role="group" aria-labelledby="coop-carte-titre" '
        f'xmlns="http://www.w3.org/2000/svg"><title id="coop-carte-titre">Carte des régions : adhésions actives par région'
        f'</title><text x="0" y="{label_y}" class="coop-carte-om" aria-hidden="true">Outre-mer</text>{tiles}'
        f'<g aria-hidden="true" pointer-events="none">{labels}</g></svg>'
        + legend(bounds)
    )


def _tile(code: str, name: str, count: int, bounds: list[int], url: str) -> str:
    _, col, row = TILES[code]
    x, y = col * (TILE_W + GAP), row * (TILE_H + GAP)
    fill = SHADES[shade(count, bounds)][0]
    noun = "adhésion active" if count == 1 else "adhésions actives"
    return (
        f'<a href="{esc(url)}" aria-label="{esc(name)} : {count} {noun}">'
        f'<rect x="{x}" y="{y}" width="{TILE_W}" height="{TILE_H}" rx="8" fill="{fill}" stroke="#5a6b7b"/></a>'
    )


def _tile_label(code: str, count: int, bounds: list[int]) -> str:
    abbr, col, row = TILES[code]
    x, y = col * (TILE_W + GAP) + TILE_W / 2, row * (TILE_H + GAP)
    ink = SHADES[shade(count, bounds)][1]
    return (
        f'<text x="{x}" y="{y + 28}" text-anchor="middle" fill="{ink}" font-weight="700">{abbr}</text>'
        f'<text x="{x}" y="{y + 50}" text-anchor="middle" fill="{ink}">{count}</text>'
    )


def legend(bounds: list[int]) -> str:
    labels = ["0"]
    uppers = [*[b - 1 for b in bounds[1:]], None]
    for low, high in zip(bounds, uppers, strict=True):
        labels.append(f"{low} et plus" if high is None else (str(low) if low == high else f"{low} à {high}"))
    items = "".join(
        f'<li><span class="coop-legende-case" style="background:{SHADES[i][0]}" aria-hidden="true"></span>{esc(text)}</li>'
        for i, text in enumerate(labels)
    )
    return f'<div class="coop-legende"><p>Adhésions actives par région :</p><ul>{items}</ul></div>'
