"""The home page's map of the 18 regions: one card per region, each a link to the
region page with its full name, the protocols applicable there and its active teams.

Plain HTML, not a drawing: the text is its own alternative for screen readers,
and the cards reflow to the width of the screen (a phone shows one or two per
row). Metropolitan regions go roughly north to south, then the overseas ones.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from ..wording import plural
from .templating import render

# Region codes in the order of the map: north to south, west to east; then overseas.
METROPOLE = ("32", "28", "11", "44", "53", "52", "24", "27", "75", "84", "76", "93", "94")
OUTRE_MER = ("01", "02", "03", "04", "06")


@dataclass(frozen=True)
class RegionCard:
    """One region on the map: where it sits, its link and what a visitor looks for there."""

    code: str
    name: str
    href: str
    applicable: int  # protocols a team of the region may apply today
    own: int  # of which regional or local ones (the others are national)
    active: int  # teams whose adhesion is active

    @property
    def protocols_text(self) -> str:
        return plural(self.applicable, "protocole applicable", "protocoles applicables")

    @property
    def own_text(self) -> str:
        return (
            f"dont {plural(self.own, 'propre à la région', 'propres à la région')}"
            if self.own
            else ""
        )

    @property
    def teams_text(self) -> str:
        return (
            plural(self.active, "équipe active", "équipes actives")
            if self.active
            else "aucune équipe active"
        )


def region_map(
    names: Mapping[str, str],
    applicable: Mapping[str, tuple[int, int]],
    active: Mapping[str, int],
    href: Callable[[str], str],
) -> Markup:
    """The map: `applicable` gives (protocols applicable, of which regional or local) per region code."""

    def cards(codes: tuple[str, ...]) -> list[RegionCard]:
        return [
            RegionCard(
                code,
                names.get(code, code),
                href(code),
                *applicable.get(code, (0, 0)),
                active.get(code, 0),
            )
            for code in codes
        ]

    return render(
        "region_map.html",
        groups=[("France métropolitaine", cards(METROPOLE)), ("Outre-mer", cards(OUTRE_MER))],
    )
