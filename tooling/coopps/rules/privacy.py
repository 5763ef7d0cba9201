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

from ..findings import Finding, make_finding
from ..personal import personal_data, personal_in_identifier
from ..register import Entry, Register

# Identifier fields whose shape the schema fixes: the RPPS of a member is legitimate there.
IDENTIFIER_KEYS = {"rpps", "adeli", "membre", "sha256", "code_postal", "finess"}
MESSAGE = (
    "Cette valeur contient {what} : aucune coordonnée ni aucun identifiant personnel n'entre dans le registre "
    "(les échanges passent par la pull request). Retirez-la."
)


def check(entry: Entry, register: Register) -> Iterator[Finding]:
    yield from check_path(entry)
    for where, text in _strings(entry.doc.data, ()):
        what = personal_data(text)
        if what:
            yield make_finding("donnee-personnelle", entry.path, entry.line(*where), MESSAGE.format(what=what))


def check_path(entry: Entry) -> Iterator[Finding]:
    """Folder and file names are identifiers published as they are."""
    for part in entry.path.split("/")[1:]:
        what = personal_in_identifier(part.removesuffix(".yml"))
        if what:
            yield make_finding("donnee-personnelle", entry.path, 1, (
                f"Le nom « {part} » contient {what} : un identifiant est publié tel quel (adresses des pages, CSV, JSON). "
                "Choisissez un identifiant sans donnée personnelle (exemple : `msp-des-tilleuls`)."
            ))
            return


def _strings(value: Any, where: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in IDENTIFIER_KEYS or not isinstance(child, str):
                yield from _strings(child, (*where, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, (*where, index))


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
