"""The « Déclarer une adhésion » page: a form that runs in the browser, without git or YAML.

Everything the page checks comes from this module at build time, as one JSON
document (`RULES`): the pieces each member needs are computed by the
validator's own `required_member_pieces` over every role and mode, the
protocols and their constraints come from the public catalogue, the issue
form's field ids and labels from `coop depuis-issue`, the YAML quoting rules
from the strict reader. The JavaScript (assets/declaration.js) only applies
these tables; it never writes a rule of its own. The checks' words come from
their declarations (`controles`: `checks.Check.form`).
"""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from ..authoring.declaration import MAX_HASHED_BYTES
from ..authoring.fmt import _DATE_REF, IDENTIFIER_KEYS, header
from ..authoring.from_issue import FIELDS, MAX_MEMBERS
from ..paths import MAX_ID_LENGTH, SLUG
from ..reading import _AMBIGUOUS_NUMBER, _BOOLS, _FLOAT, _INT, _NULLS, _YAML11_BOOLS
from ..rules import CHECKS
from ..rules.completeness import TEAM_PIECES, required_member_pieces
from ..schema import Schemas
from . import dossier
from .declaration_rules import judging_rules
from .html import GeneratedPage, generated_page, page_url, relative
from .model import Catalogue, Protocol
from .templating import render

PAGE = "declarer.md"
RULES = "declarer/regles.json"
SCRIPT = "assets/coopps/declaration.js"
JUDGE = "assets/coopps/declaration-juge.js"
STYLE = "assets/coopps/declaration.css"
ISSUE_TEMPLATE = "declarer-adhesion.yml"
# GitHub answers 414 past about 8 KB of URL; beyond it the page offers copy-and-paste instead.
MAX_ISSUE_URL = 8000
REFERENTIALS = ("region", "cadre_exercice", "profession", "mode_exercice", "role", "type_piece")
# How each piece is named in a sentence (« ajoutez la pièce d'identité de Marie Dupont »).
PIECE_PHRASES = {
    "declaration_commune": "la déclaration commune de l'équipe",
    "piece_identite": "la pièce d'identité",
    "diplome": "le diplôme",
    "attestation_formation": "l'attestation de formation",
    "accord_employeur": "l'accord de l'employeur",
    "attestation_assurance": "l'attestation d'assurance (responsabilité civile professionnelle)",
}
# Characters `coop depuis-issue` refuses in a name (from_issue._UNSAFE), plus the cell separator.
FORBIDDEN_IN_TEXT = r"[<>`\\{}|@]"
FORBIDDEN_IN_MEMBER = r"[<>`\\{}|@;]"


def member_piece_table(
    roles: tuple[str, ...], modes: tuple[str, ...]
) -> dict[str, dict[str, list[str]]]:
    """{role: {mode: pieces}}: the validator's own rule evaluated over every role and mode."""
    return {
        role: {
            mode: required_member_pieces({"role": role, "mode_exercice": mode}) for mode in modes
        }
        for role in roles
    }


def protocol_rules(protocol: Protocol) -> dict[str, Any]:
    """What a team needs to know of one authorised protocol to declare an adhesion to it."""
    professions = protocol.sub("professions")
    return {
        "id": protocol.id,
        "intitule": protocol.intitule,
        "portee": protocol.portee,
        "regions": list(protocol.verdict.regions),
        "equipe_promotrice": protocol.get("equipe_promotrice"),
        "delegants": list(professions.get("delegants", [])),
        "delegues": list(professions.get("delegues", [])),
        "cadres_exercice": protocol.items("cadres_exercice"),
        "modes_exercice": protocol.items("modes_exercice"),
        "formation_heures": protocol.sub("formation").get("duree_heures"),
        "arrete": protocol.sub("arrete").get("date"),
    }


def yaml_rules(adhesion_schema: dict[str, Any]) -> dict[str, Any]:
    """What the browser needs to write the canonical form of `coop formater` (authoring/fmt.py)."""
    return {
        "entete": header("adhesion").rstrip("\n"),
        "identifiants": sorted(IDENTIFIER_KEYS),
        "dates": sorted(date_keys(adhesion_schema)),
        "mots_ambigus": sorted(_NULLS | set(_BOOLS) | _YAML11_BOOLS),
        "nombres": [
            _INT.pattern,
            _FLOAT.pattern,
            _AMBIGUOUS_NUMBER.pattern,
            r"[0-9]{4}-[0-9]{2}-[0-9]{2}",
        ],
    }


def date_keys(schema: dict[str, Any]) -> set[str]:
    """Keys of the schema typed as a date: fmt writes them as plain `YYYY-MM-DD`."""
    found: set[str] = set()
    for key, sub in schema.get("properties", {}).items():
        if sub.get("$ref", "").endswith(_DATE_REF):
            found.add(key)
        found |= date_keys(sub) | date_keys(sub.get("items", {}))
    return found


def rule_tables(cat: Catalogue, repo_url: str, schemas: Schemas) -> dict[str, Any]:
    """The JSON document the page's script reads: every rule it applies."""
    refs = cat.referentials
    return {
        "referentiels": {
            name: {code: refs[name].label(code) for code in refs[name].codes}
            for name in REFERENTIALS
        },
        "pieces_equipe": list(TEAM_PIECES),
        "pieces_membre": member_piece_table(refs["role"].codes, refs["mode_exercice"].codes),
        "phrases_pieces": PIECE_PHRASES,
        # Only what a team may apply today (applicability.verdict): never a stopped, replaced,
        # unconfirmed or fictitious protocol.
        "protocoles": [protocol_rules(p) for p in cat.sorted_protocols if p.applicable],
        "identifiant_equipe": {"motif": SLUG.pattern, "longueur_max": MAX_ID_LENGTH},
        "interdits": {"texte": FORBIDDEN_IN_TEXT, "membre": FORBIDDEN_IN_MEMBER},
        "membres_max": MAX_MEMBERS,
        "taille_max_piece": MAX_HASHED_BYTES,
        "formulaire": issue_form(repo_url),
        "yaml": yaml_rules(schemas.documents["adhesion"]),
        "controles": check_words(),
        "juger": judging_rules(schemas),
    }


def check_words() -> dict[str, dict[str, Any]]:
    """The checks a declaration made with the form can meet, from their declarations: the
    severity, whether `--brouillon` lowers it, and the sentence the issue form's bot says (one
    template, or one per variant, with the finding's named parameters)."""
    return {
        code: {"gravite": check.severity, "completude": check.completeness, "phrase": check.form}
        for code, check in CHECKS.items()
        if check.form is not None
    }


def issue_form(repo_url: str) -> dict[str, Any]:
    """Where the issue form lives (from mkdocs' `repo_url`) and its field ids, in form order."""
    base = repo_url.rstrip("/")
    return {
        "url": f"{base}/issues/new" if base else "",
        "modele": ISSUE_TEMPLATE,
        "champs": dict(FIELDS),
        "url_max": MAX_ISSUE_URL,
    }


def dropdown_option(code: str, label: str) -> str:
    """An option of the issue form's dropdowns (`84 — Auvergne-Rhône-Alpes`), read back by from_issue._code."""
    return f"{code} — {label}"


def declaration_files(
    cat: Catalogue, repo_url: str, schemas: Schemas, use_directory_urls: bool
) -> dict[str, str | GeneratedPage]:
    """The page, its rules and its assets, by site source path."""
    from importlib import resources

    assets = resources.files(__package__).joinpath("assets")
    here = page_url(PAGE, use_directory_urls)
    context = {
        "rules_url": relative(here, RULES),
        "script_url": relative(here, SCRIPT),
        "judge_url": relative(here, JUDGE),
        "style_url": relative(here, STYLE),
        "guide_url": relative(
            here, page_url("guides/declarer-une-adhesion.md", use_directory_urls)
        ),
        "models_url": relative(here, page_url("modeles-de-documents.md", use_directory_urls)),
        "has_issue_form": bool(repo_url),
        "regions_url": relative(
            here, dossier.REGIONS
        ),  # the ARS keys of the dossier (site/dossier.py)
        "dossier_url": relative(here, dossier.SCRIPT),
    }
    html = render("declaration.html", **context)
    return {
        PAGE: generated_page("Déclarer une adhésion", html, search=False),
        RULES: json.dumps(
            rule_tables(cat, repo_url, schemas), ensure_ascii=False, separators=(",", ":")
        )
        + "\n",
        SCRIPT: assets.joinpath("declaration.js").read_text(encoding="utf-8"),
        JUDGE: assets.joinpath("declaration-juge.js").read_text(encoding="utf-8"),
        STYLE: assets.joinpath("declaration.css").read_text(encoding="utf-8"),
    }


def declare_link(protocol: Protocol, page_href: str) -> Markup:
    """The « Déclarer une adhésion » button of a protocol page open to adhesion (nothing otherwise)."""
    regions = protocol.verdict.regions
    if not protocol.applicable or not regions:
        return Markup("")
    query = f"?protocole={protocol.id}"
    if len(regions) == 1:
        query += f"&region={regions[0]}"
    return render("declare_button.html", href=page_href + query)
