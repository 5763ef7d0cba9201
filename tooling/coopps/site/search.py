"""The catalogue's own faceted search: its JSON index and its page.

Material's built-in search stems French words and misses "adhesion" for
"adhésion" (docs/developpeurs/measured-facts.md); this one searches words
folded the same way at build time (`search_words`, here) and in the browser
(`words` in assets/recherche.js): accents, case and French plurals ignored,
and a query word matches the start of a word ("vaccin" finds "vaccination").
The lay words of each protocol (`mots_cles`) are searched with its title, so
"cystite" finds the pollakiuria protocols, and the everyday words of `lay_words`
("pilule", "tuberculine") are added to the protocols that name them otherwise.
Results are ranked in the browser (`rank` in assets/recherche.js): a word of the
title counts more than a lay word, a lay word more than an act, an act more than
any other word; ties go to the order `tie_break` gives. Choices: docs/developpeurs/site.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..applicability import STOPPED
from ..wording import plural
from .html import GeneratedPage, generated_page
from .lay_words import LAY_WORDS
from .model import Catalogue, Protocol
from .templating import coop_ps_number, render

INDEX = "recherche.json"
TITLE = "Recherche de protocoles"

# name in the URL → (legend, referential of its labels; None: labels from the data or EXTRA_LABELS)
FACETS: dict[str, tuple[str, str | None]] = {
    "delegue": ("Profession déléguée", "profession"),
    "specialite": ("Spécialité médicale", None),
    "region": ("Région d'application", "region"),
    "delegant": ("Profession délégante", "profession"),
    "nature": ("Nature des actes", "nature_acte"),
    "statut": ("Statut du protocole", "statut_protocole"),
    "portee": ("Portée", "portee"),
    "particularite": ("Particularités", None),
}
EXTRA_LABELS = {
    "particularite": {
        "etendu": "Protocole étendu à d'autres régions",
        "arret": "Avec avis d'arrêt",
    },
}
DATE_SOURCES = {"arrete": "arrêté du", "depot": "déposé le"}

# Folding (mirrored in assets/recherche.js, checked by a browser test) --------------------------------

STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "ou",
        "par",
        "pour",
        "sur",
        "un",
        "une",
    ]
)
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
_NOT_A_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, no accent, no ligature, words separated by one space."""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_LIGATURES))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return _NOT_A_WORD.sub(" ", plain).strip()


def singular(word: str) -> str:
    """A French plural brought back to its singular, roughly: the same on both sides is what counts."""
    if len(word) > 4 and word.endswith("aux"):
        return word[:-3] + "al"  # hôpitaux → hopital
    if len(word) > 3 and word[-1] in "sx" and not word.endswith("ss"):
        return word[:-1]  # vaccins → vaccin, enfants → enfant, cheveux → cheveu
    return word


def words(text: str) -> list[str]:
    """The searched words of `text`, in order (stop words and single letters dropped)."""
    return [singular(w) for w in fold(text).split() if len(w) > 1 and w not in STOP_WORDS]


def search_words(texts: list[Any]) -> str:
    """The folded words of a protocol, each once, as one space-separated string."""
    return " ".join(dict.fromkeys(w for text in texts for w in words(str(text))))


def phrases(texts: list[Any]) -> str:
    """The folded words of each text, texts apart (` | `), so a query met as a run of words in one
    of them ranks higher (a phrase given twice is kept once)."""
    return " | ".join(dict.fromkeys(" ".join(words(str(text))) for text in texts))


# The index -------------------------------------------------------------------------------------------


def facet_values(protocol: Protocol) -> dict[str, list[str]]:
    professions = protocol.sub("professions")
    return {
        "delegue": [str(x) for x in professions.get("delegues", [])],
        "specialite": [str(x) for x in protocol.items("specialites")],
        "region": search_regions(protocol),
        "delegant": [str(x) for x in professions.get("delegants", [])],
        "nature": [str(x) for x in protocol.items("nature_actes")],
        "statut": [protocol.statut],
        "portee": [protocol.portee],
        "particularite": particularities(protocol),
    }


def search_regions(protocol: Protocol) -> list[str]:
    """The regions under which the search lists a protocol: where it is applicable today
    (applicability.verdict), else only its own region (a refused or stopped protocol of the region),
    never every region for a national protocol nobody may apply."""
    if protocol.applicable:
        return list(protocol.verdict.regions)
    own = protocol.get("region")
    return [own] if isinstance(own, str) and own in protocol.regions else []


def particularities(protocol: Protocol) -> list[str]:
    """COOP-PS's two options: regional protocols extended elsewhere, protocols with a stop decision."""
    found = []
    if protocol.portee == "regional" and protocol.items("regions_application"):
        found.append("etendu")
    if protocol.verdict.reason == STOPPED or protocol.sub("arret"):
        found.append("arret")
    return found


def reference_date(protocol: Protocol) -> tuple[str, str]:
    """The date the date filter uses: the arrêté's, else the filing's; and which one it is."""
    authorised = protocol.sub("arrete").get("date")
    if authorised:
        return str(authorised), "arrete"
    filed = protocol.get("date_depot")
    return (str(filed), "depot") if filed else ("", "")


def lay_phrases(texts: list[Any]) -> list[str]:
    """The everyday phrases of `LAY_WORDS` whose catalogue words are in `texts` (as a run of words)."""
    running = " " + " ".join(w for text in texts for w in words(str(text))) + " "
    return [
        lay
        for lay, meant in LAY_WORDS.items()
        if any(f" {' '.join(words(m))} " in running for m in meant)
    ]


# Searched fields, from the heaviest in the ranking (`rank` in assets/recherche.js) to `mots`, all words.
RANKED_FIELDS = ("titre", "courants", "actes")
STATUS_ORDER = ("autorise", "avis_has", "en_instruction", "depose", "arrete", "refuse")


def record(cat: Catalogue, protocol: Protocol, url: str) -> dict[str, Any]:
    """One protocol in the index: published fields only, plus its searched words by field."""
    values = facet_values(protocol)
    title = [protocol.intitule]
    acts = protocol.items("actes_derogatoires")
    others = [
        protocol.id,
        *protocol.items("specialites"),
        *protocol.items("promoteurs"),
        *(cat.label("profession", v) for v in values["delegue"] + values["delegant"]),
        *(cat.label("nature_acte", v) for v in values["nature"]),
    ]
    lay = [
        *protocol.items("mots_cles"),
        *lay_phrases([*title, *protocol.items("mots_cles"), *acts]),
    ]
    date, source = reference_date(protocol)
    return {
        "id": protocol.id,
        "numero": coop_ps_number(protocol.id),
        "intitule": protocol.intitule,
        "url": url,
        "date": date,
        "date_source": source,
        # The date filter keeps a protocol whose dépôt or arrêté falls in the period.
        "dates_filtre": [
            d
            for d in (
                protocol.get("date_depot"),
                *(protocol.sub("arrete").get(k) for k in ("date", "journal_officiel")),
            )
            if d
        ],
        "equipes_actives": len(protocol.active_teams),
        "facettes": values,
        "titre": phrases(title),
        "courants": phrases(lay),
        "actes": phrases(acts),
        "mots": search_words([*others, *title, *lay, *acts]),
    }


def tie_break(protocols: list[Protocol]) -> list[Protocol]:
    """The order of protocols that match a query equally well: authorised first, then the other
    statuses from the nearest to an authorisation; national before regional; the latest first."""

    def key(protocol: Protocol) -> tuple[int, bool, str]:
        rank = (
            STATUS_ORDER.index(protocol.statut)
            if protocol.statut in STATUS_ORDER
            else len(STATUS_ORDER)
        )
        return rank, protocol.portee != "national", _inverted(reference_date(protocol)[0])

    return sorted(protocols, key=key)  # stable: the catalogue's own order last


def _inverted(date: str) -> str:
    """A key that sorts ISO dates from the latest; no date last."""
    return (
        "".join(chr(ord("9") - int(c) + ord("0")) if c.isdigit() else c for c in date)
        if date
        else "~"
    )


def facet_labels(cat: Catalogue, name: str) -> dict[str, str]:
    """Every value of a facet that the page offers, in display order, with its French label."""
    _, ref = FACETS[name]
    if ref is not None:
        return {code: cat.label(ref, code) for code in cat.referentials[ref].codes}
    if name in EXTRA_LABELS:
        return dict(EXTRA_LABELS[name])
    present = {v for p in cat.protocols.values() for v in facet_values(p)[name]}
    return {v: v[:1].upper() + v[1:] for v in sorted(present, key=fold)}


def index_document(
    cat: Catalogue, url_of: dict[str, str], guides: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The search's index: facets, protocols (with their rank among equals, `rang`) and the
    guides the header search lists after the protocols."""
    ranks = {p.id: n for n, p in enumerate(tie_break(cat.sorted_protocols))}
    return {
        "facettes": {
            name: {"libelle": legend, "valeurs": facet_labels(cat, name)}
            for name, (legend, _) in FACETS.items()
        },
        "dates": DATE_SOURCES,
        "protocoles": [
            {**record(cat, p, url_of[p.id]), "rang": ranks[p.id]} for p in cat.sorted_protocols
        ],
        "guides": guides or [],
    }


def guide_record(title: str, headings: list[str], url: str) -> dict[str, str]:
    """A guide in the header search: found by the words of its title and section headings."""
    return {"titre": title, "url": url, "mots": search_words([title, *headings])}


def present_values(cat: Catalogue) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for protocol in cat.protocols.values():
        for name, values in facet_values(protocol).items():
            counts[name].update(set(values))
    return counts


# The page (its markup is templates/search.html) --------------------------------------------------


@dataclass(frozen=True)
class Facet:
    """One fieldset of the form: its options are (id-safe slug, code, label, protocols having it)."""

    name: str
    legend: str
    options: list[tuple[str, str, str, int]]


def facets(cat: Catalogue) -> list[Facet]:
    present = present_values(cat)
    out = []
    for name, (legend, _) in FACETS.items():
        labels = facet_labels(cat, name)
        codes = (
            [c for c in labels if c in present[name]]
            if name != "region"
            else list(cat.region_codes)
        )
        options = [
            (_slug(code), code, labels.get(code, code), present[name].get(code, 0))
            for code in codes
        ]
        if options:
            out.append(Facet(name, legend, options))
    return out


def _slug(code: str) -> str:
    """An id-safe form of a value (specialities are free text: « médecin nucléaire »)."""
    return "-".join(fold(code).split()) or "x"


def search_page(cat: Catalogue, index_href: str) -> GeneratedPage:
    """The search page: keyword field first, then the filters (folded on phones), the count and the
    results beside; the table of contents is hidden to leave the width to the results."""
    undated = sum(1 for p in cat.protocols.values() if not reference_date(p)[0])
    without = plural(
        undated, "protocole sans date connue est écarté", "protocoles sans date connue sont écartés"
    )
    html = render(
        "search.html", title=TITLE, index_href=index_href, facets=facets(cat), without_date=without
    )
    page = generated_page(TITLE, html, search=False)
    return GeneratedPage(page.markdown.replace("\n---\n", "\nhide:\n  - toc\n---\n", 1), page.html)
