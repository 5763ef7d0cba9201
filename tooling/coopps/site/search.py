"""The catalogue's own faceted search: the form (HTML) and its JSON index.

Material's built-in search stems French words and misses "adhesion" for
"adhésion" (MEASUREMENTS.md); this one folds accents and case in the browser
(assets/recherche.js) over `recherche.json`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .html import GeneratedPage
from .model import Catalogue, Protocol
from .templating import render_page

INDEX = "recherche.json"
# name in the URL → (legend, referential, how to read the values of a protocol)
FACETS: dict[str, tuple[str, str]] = {
    "region": ("Région d'application", "region"),
    "delegue": ("Profession déléguée", "profession"),
    "delegant": ("Profession délégante", "profession"),
    "nature": ("Nature des actes", "nature_acte"),
    "statut": ("Statut du protocole", "statut_protocole"),
    "portee": ("Portée", "portee"),
}


def facet_values(protocol: Protocol) -> dict[str, list[str]]:
    professions = protocol.sub("professions")
    return {
        "region": list(protocol.regions),
        "delegue": [str(x) for x in professions.get("delegues", [])],
        "delegant": [str(x) for x in professions.get("delegants", [])],
        "nature": [str(x) for x in protocol.items("nature_actes")],
        "statut": [protocol.statut],
        "portee": [protocol.portee],
    }


def record(cat: Catalogue, protocol: Protocol, url: str) -> dict[str, Any]:
    """One protocol in the index: published fields only, plus the text searched by keyword."""
    values = facet_values(protocol)
    words = [protocol.id, protocol.intitule, *protocol.items("actes_derogatoires"), *protocol.items("specialites"),
             *protocol.items("promoteurs"), *(cat.label("profession", v) for v in values["delegue"] + values["delegant"]),
             *(cat.label("nature_acte", v) for v in values["nature"])]
    return {
        "id": protocol.id,
        "intitule": protocol.intitule,
        "url": url,
        "date_depot": protocol.get("date_depot") or "",
        "equipes_actives": len(protocol.active_teams),
        "facettes": values,
        "texte": " ".join(str(w) for w in words),
    }


def index_document(cat: Catalogue, url_of: dict[str, str]) -> dict[str, Any]:
    labels = {name: {code: cat.label(ref, code) for code in cat.referentials[ref].codes} for name, (_, ref) in FACETS.items()}
    return {
        "facettes": {name: {"libelle": legend, "valeurs": labels[name]} for name, (legend, _) in FACETS.items()},
        "protocoles": [record(cat, p, url_of[p.id]) for p in cat.sorted_protocols],
    }


def present_values(cat: Catalogue) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for protocol in cat.protocols.values():
        for name, values in facet_values(protocol).items():
            counts[name].update(set(values))
    return counts


@dataclass(frozen=True)
class Facet:
    """One fieldset of the form: its options are (code, label, protocols having it)."""

    name: str
    legend: str
    options: list[tuple[str, str, int]]


def facets(cat: Catalogue) -> list[Facet]:
    present = present_values(cat)
    out = []
    for name, (legend, ref) in FACETS.items():
        codes = [c for c in cat.referentials[ref].codes if c in present[name]] if name != "region" else list(cat.region_codes)
        out.append(Facet(name, legend, [(code, cat.label(ref, code), present[name].get(code, 0)) for code in codes]))
    return out


def search_page(cat: Catalogue, index_href: str) -> GeneratedPage:
    return render_page("search.html", "Recherche de protocoles", search=False, facets=facets(cat), index_href=index_href)
