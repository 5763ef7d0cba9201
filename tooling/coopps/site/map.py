"""The home page's map of the 18 regions: one card per region, each a link to the
region page with its full name, the protocols applicable there and its active teams.

Plain HTML, not a drawing: the text is its own alternative for screen readers,
and on a phone the cards reflow into a list. On a wide screen CSS places them
on a schematic grid (a layout, not a geography); overseas regions come last.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from ..wording import plural
from .templating import render

# code: (column, row) on the schematic grid, both from 1.
TILES: dict[str, tuple[int, int]] = {
    "28": (2, 1), "32": (3, 1),
    "53": (1, 2), "52": (2, 2), "11": (3, 2), "44": (4, 2),
    "75": (2, 3), "24": (3, 3), "27": (4, 3),
    "76": (3, 4), "84": (4, 4), "93": (5, 4), "94": (6, 5),
    "01": (1, 6), "02": (2, 6), "03": (3, 6), "04": (4, 6), "06": (5, 6),
}


@dataclass(frozen=True)
class RegionCard:
    """One region on the map: where it sits, its link and what a visitor looks for there."""

    code: str
    name: str
    href: str
    column: int
    row: int
    applicable: int  # protocols a team of the region may apply today
    own: int  # of which regional or local ones (the others are national)
    active: int  # teams whose adhesion is active

    @property
    def protocols_text(self) -> str:
        return plural(self.applicable, "protocole applicable", "protocoles applicables")

    @property
    def own_text(self) -> str:
        return f"dont {plural(self.own, 'régional ou local', 'régionaux ou locaux')}" if self.own else ""

    @property
    def teams_text(self) -> str:
        return plural(self.active, "équipe active", "équipes actives")


def region_map(names: Mapping[str, str], applicable: Mapping[str, tuple[int, int]], active: Mapping[str, int],
               href: Callable[[str], str]) -> Markup:
    """The map: `applicable` gives (protocols applicable, of which regional or local) per region code."""
    cards = [RegionCard(code, names.get(code, code), href(code), column, row, *applicable.get(code, (0, 0)),
                        active.get(code, 0)) for code, (column, row) in TILES.items()]
    return render("region_map.html", cards=cards)
