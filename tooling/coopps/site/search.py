"""The catalogue's own faceted search: the form (HTML) and its JSON index.

Material's built-in search stems French words and misses "adhesion" for
"adhésion" (docs/developpeurs/measured-facts.md); this one folds accents and case in the browser
(assets/recherche.js) over `recherche.json`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from .html import esc
from .model import Catalogue, Protocol

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


def search_form(cat: Catalogue, index_href: str) -> str:
    present = present_values(cat)
    fieldsets = "".join(_fieldset(cat, name, present[name]) for name in FACETS)
    return (
        "<h1>Recherche de protocoles</h1>"
        "<p>Cochez des filtres ou saisissez un mot-clé : les résultats se mettent à jour aussitôt, "
        "et l'adresse de la page garde vos filtres pour la partager. Le mot-clé ignore les accents et les majuscules.</p>"
        f'<form id="coop-recherche" class="coop-recherche" method="get" data-index="{esc(index_href)}" '
        'role="search" aria-label="Recherche de protocoles">'
        '<div class="coop-champ"><label for="coop-q">Mot-clé</label>'
        '<input type="search" id="coop-q" name="q" autocomplete="off"></div>'
        f'<div class="coop-facettes">{fieldsets}{_dates()}</div>'
        '<div class="coop-boutons"><button type="submit" class="md-button md-button--primary">Rechercher</button> '
        '<button type="reset" class="md-button" id="coop-effacer">Effacer les filtres</button></div>'
        "</form>"
        '<p id="coop-compte" class="coop-compte" role="status" aria-live="polite">'
        "<noscript>La recherche filtrée nécessite JavaScript ; la liste de tous les protocoles reste disponible.</noscript></p>"
        '<ol id="coop-resultats" class="coop-resultats"></ol>'
    )


def _fieldset(cat: Catalogue, name: str, present: Counter[str]) -> str:
    legend, ref = FACETS[name]
    codes = [c for c in cat.referentials[ref].codes if c in present] if name != "region" else list(cat.region_codes)
    options = "".join(
        f'<li><input type="checkbox" id="f-{name}-{esc(code)}" name="{name}" value="{esc(code)}">'
        f'<label for="f-{name}-{esc(code)}">{esc(cat.label(ref, code))} '
        f'<span class="coop-n" data-facette="{name}" data-valeur="{esc(code)}">({present.get(code, 0)})</span></label></li>'
        for code in codes
    )
    return f'<fieldset class="coop-facette"><legend>{esc(legend)}</legend><ul>{options}</ul></fieldset>'


def _dates() -> str:
    return (
        '<fieldset class="coop-facette"><legend>Date de dépôt</legend>'
        '<div class="coop-champ"><label for="coop-du">Déposé à partir du</label><input type="date" id="coop-du" name="du"></div>'
        '<div class="coop-champ"><label for="coop-au">Déposé jusqu\'au</label><input type="date" id="coop-au" name="au"></div>'
        "</fieldset>"
    )
