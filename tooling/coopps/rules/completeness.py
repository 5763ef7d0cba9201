"""Completeness of a declaration: the pieces and trainings it must declare.

With `--draft` these findings are lowered to warnings (catalogue flag).

The cause first: a member whose RPPS key is invalid (`rpps-cle-invalide`) is
a typo whose consequences are not reported again. Their pieces cannot be
matched, so no « pièce manquante » is emitted for that member, and a piece
naming a number within two digits of the mistyped one (most likely the right
number, typed correctly in `pieces`) is not reported as naming an unknown
member: the cause's message says that those pieces wait for the correction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..findings import Finding, make_finding
from ..register import Entry, Register
from .identifiers import close_numbers, mistyped_numbers

TEAM_PIECES = ("declaration_commune", "attestation_assurance")
SALARIED = ("salarie_public", "salarie_prive")


def required_member_pieces(member: dict[str, Any]) -> list[str]:
    pieces = ["piece_identite", "diplome"]
    if member["role"] == "delegue":
        pieces.append("attestation_formation")
    if member["mode_exercice"] in SALARIED:
        pieces.append("accord_employeur")
    return pieces


def check(entry: Entry, register: Register) -> Iterator[Finding]:
    data = entry.data
    pieces = data["pieces"]
    labels = register.schemas.referentials["type_piece"].label
    declared = Counter((piece["type"], piece.get("membre")) for piece in pieces)
    mistyped = mistyped_numbers(entry.data["membres"])
    yield from _unknown_members_and_doubles(entry, pieces, mistyped)
    for kind in TEAM_PIECES:
        if not any(piece_type == kind for piece_type, _ in declared):
            yield make_finding("piece-manquante", entry.path, entry.line("pieces"), (
                f"Pièce manquante : {labels(kind)}. Ajoutez dans `pieces` un élément `type: {kind}` avec son `sha256`."
            ))
    for position, member in enumerate(data["membres"]):
        number = member.get("rpps") or member.get("adeli")
        for kind in required_member_pieces(member):
            if number not in mistyped and not _has_piece(declared, kind, member):
                yield make_finding("piece-manquante", entry.path, entry.line("membres", position), (
                    f"Pièce manquante pour {member['prenom']} {member['nom_exercice']} : {labels(kind)}. "
                    f"Ajoutez dans `pieces` un élément `type: {kind}`, `membre: \"{number}\"` avec son `sha256`."
                ))
        if member["role"] == "delegue" and "formation" not in member:
            yield make_finding("formation-manquante", entry.path, entry.line("membres", position), (
                f"Le délégué {member['prenom']} {member['nom_exercice']} doit déclarer sa formation : "
                "ajoutez `formation:` avec `date`, `organisme` et `duree_heures`."
            ))


def _has_piece(declared: Counter[tuple[str, str | None]], kind: str, member: dict[str, Any]) -> bool:
    return any((kind, member.get(key)) in declared for key in ("rpps", "adeli") if member.get(key))


def _unknown_members_and_doubles(entry: Entry, pieces: list[dict[str, Any]], mistyped: set[str]) -> Iterator[Finding]:
    numbers = {m.get(key) for m in entry.data["membres"] for key in ("rpps", "adeli") if m.get(key)}
    seen: set[tuple[str, str | None]] = set()
    for position, piece in enumerate(pieces):
        key = (piece["type"], piece.get("membre"))
        named = piece.get("membre")
        if named and named not in numbers and not any(close_numbers(named, typo) for typo in mistyped):
            yield make_finding("piece-membre-inconnu", entry.path, entry.line("pieces", position, "membre"), (
                f"La pièce désigne le membre {piece['membre']}, absent de `membres` : corrigez le numéro "
                "(RPPS ou ADELI d'un membre de l'équipe)."
            ))
        if key in seen:
            yield make_finding("piece-en-double", entry.path, entry.line("pieces", position), (
                "Cette pièce est déjà déclarée plus haut (même type, même membre) : supprimez ce doublon."
            ))
        seen.add(key)
