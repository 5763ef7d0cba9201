"""No e-mail, phone number, postal address, social security number or stray
RPPS of a person in the register: not in any text (`sources`, `notes`,
motifs, reports included), not in an identifier or a file name (they are
published in URLs, CSV and JSON).

The privacy rule reads any shape of data, so it runs on every readable file,
schema-valid or not: what it finds must never wait for another fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..checks import KINDS, Check, Example, declare
from ..findings import Finding
from ..personal import could_hold_personal_data, personal_data, personal_in_identifier
from ..register import Entry, Register
from .registry import EVERY_FILE, at, on_file, rule

# Identifier fields whose shape the schema fixes: the RPPS of a member is legitimate there.
IDENTIFIER_KEYS = {"rpps", "adeli", "membre", "sha256", "code_postal", "finess"}
MESSAGE = (
    "Cette valeur contient {what} : aucune coordonnée ni aucun identifiant personnel n'entre dans le registre "
    "(les échanges passent par la pull request). Retirez-la."
)
PERSONAL_DATA = declare(Check(
    "donnee-personnelle", "registre", "error",
    title="Aucune adresse électronique (même écrite « at » ou « [at] »), aucun numéro de "
          "téléphone, numéro de sécurité sociale, RPPS hors des champs `rpps`, ni adresse "
          "postale d'une personne n'entre dans le registre, ni dans un texte, ni dans un nom de "
          "fichier : les échanges passent par la pull request.",
    example="membres:\n  - nom_exercice: \"Martin 06 12 34 56 78\"",
    fix="membres:\n  - nom_exercice: Martin",
    kinds=KINDS,
    message={"": MESSAGE,
             "nom": "Le nom « {nom} » contient {what} : un identifiant est publié tel quel "
                    "(adresses des pages, CSV, JSON). Choisissez un identifiant sans donnée "
                    "personnelle (exemple : `msp-des-tilleuls`)."},
    form="cette réponse contient une adresse électronique, un numéro de téléphone ou une "
         "adresse postale. Ce dépôt est public : retirez-la (les échanges passent par "
         "cette issue).",
    failing=(
        Example('    nom_exercice: "Fictif 06 12 34 56 78"', "    nom_exercice: Fictif",
                needle="Fictif 06"),
        Example("  commune: 12 rue de la Paix Lyon", "  commune: Lyon", name="adresse"),
        Example("    organisme: camille@example.org", "    organisme: IFSI de test",
                name="courriel-valeur"),
    ),
    passing=(Example("    organisme: IFSI de Lyon (promotion 2023-2024)",
                     "    organisme: IFSI de test"),),
))


@rule(EVERY_FILE, PERSONAL_DATA)
def check(entry: Entry, register: Register) -> Iterator[Finding]:
    yield from check_path(entry)
    for where, text in _suspect_strings(entry.doc.data):
        what = personal_data(text)
        if what:
            yield at(PERSONAL_DATA, entry, *where, what=what)


def check_path(entry: Entry) -> Iterator[Finding]:
    """Folder and file names are identifiers published as they are."""
    for part in entry.path.split("/")[1:]:
        what = personal_in_identifier(part.removesuffix(".yml"))
        if what:
            yield on_file(PERSONAL_DATA, entry, variante="nom", nom=part, what=what)
            return


def _suspect_strings(data: Any) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every text of `data` that could hold personal data (`could_hold_personal_data`), with where it
    stands, in document order, except the identifier fields.

    A loop over a stack of iterators rather than one generator per value, and a path built only for
    a suspect text: a 120-line adhesion holds some 150 values, 50,000 adhesions 7 million."""
    if isinstance(data, str):
        if could_hold_personal_data(data):
            yield (), data
        return
    stack: list[tuple[tuple[str | int, ...], Iterator[tuple[Any, Any]]]] = []
    if isinstance(data, (dict, list)):
        stack.append(((), _children(data)))
    while stack:
        where, children = stack[-1]
        for key, child in children:
            if isinstance(child, str):
                if key not in IDENTIFIER_KEYS and could_hold_personal_data(child):
                    yield (*where, key), child
            elif isinstance(child, (dict, list)):
                stack.append(((*where, key), _children(child)))
                break
        else:
            stack.pop()


def _children(value: dict[str, Any] | list[Any]) -> Iterator[tuple[Any, Any]]:
    return iter(value.items()) if isinstance(value, dict) else enumerate(value)


def privacy_errors(register: Register) -> list[Finding]:
    """Every privacy finding of a register (the site refuses to publish when there is one)."""
    return [
        finding
        for entry in register.entries
        for finding in [*check(entry, register), *entry.findings]
        if finding.code == "donnee-personnelle"
    ]


def publication_refusal(register: Register) -> str | None:
    """Why the site must not be built from this register (personal data found), or None."""
    found = privacy_errors(register)
    if not found:
        return None
    listed = "; ".join(f"{f.path}, ligne {f.line}" for f in sorted(found)[:10])
    return (
        f"Publication refusée : {len(found)} donnée(s) personnelle(s) dans le registre ({listed}). "
        "Lancez `coop validate` et retirez-les avant de construire le site."
    )
