"""Completeness of a declaration: the pieces and trainings it must declare.

With `--brouillon` these findings are lowered to warnings (catalogue flag).

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

from ..checks import SAMPLE_SHA, Check, Example, declare
from ..findings import Finding
from ..register import Entry, Register
from .identifiers import close_numbers, mistyped_numbers
from .registry import at, rule

MISSING_TRAINING = declare(
    Check(
        "formation-manquante",
        "registre",
        "error",
        title="Chaque délégué déclare sa formation (date, organisme, durée).",
        example="role: delegue",
        fix='role: delegue\nformation:\n  date: "2024-03-01"\n  organisme: IFSI de Lyon\n'
        "  duree_heures: 40",
        completeness=True,
        kinds=("adhesion",),
        message="Le délégué {prenom} {nom} doit déclarer sa formation : ajoutez "
        "`formation:` avec `date`, `organisme` et `duree_heures`.",
        # {champs_formation}: the form's own words for the training fields (form_words)
        form="un délégué déclare sa formation : ajoutez à sa ligne « ; {champs_formation} ».",
        failing=(
            Example(
                "",
                "    formation:\n      date: 2024-01-15\n"
                "      organisme: IFSI de test\n      duree_heures: 20\n",
                needle='  - rpps: "10000001023"',
            ),
        ),
    )
)
MISSING_PIECE = declare(
    Check(
        "piece-manquante",
        "registre",
        "error",
        title="Une pièce justificative obligatoire n'est pas déclarée.",
        example="pieces:\n  - type: declaration_commune\n    sha256: …",
        fix="pieces:\n  - type: declaration_commune\n    sha256: …\n"
        "  - type: attestation_assurance\n    sha256: …",
        completeness=True,
        kinds=("adhesion",),
        message={
            "": "Pièce manquante : {piece}. Ajoutez dans `pieces` un élément `type: "
            "{type}` avec son `sha256`.",
            "membre": "Pièce manquante pour {prenom} {nom} : {piece}. Ajoutez dans "
            '`pieces` un élément `type: {type}`, `membre: "{numero}"` avec '
            "son `sha256`.",
        },
        form="une pièce obligatoire manque (voir les lignes à ajouter ci-dessous).",
        failing=(
            Example(
                "", f"  - type: attestation_assurance\n    sha256: {SAMPLE_SHA}\n", needle="pieces:"
            ),
            Example(
                "",
                f'  - type: accord_employeur\n    membre: "10000001023"\n'
                f"    sha256: {SAMPLE_SHA}\n",
                needle='  - rpps: "10000001023"',
                name="accord-employeur-salarie",
            ),
        ),
    )
)
UNKNOWN_MEMBER = declare(
    Check(
        "piece-membre-inconnu",
        "registre",
        "error",
        title="La pièce désigne un membre (RPPS ou ADELI) qui n'est pas dans l'équipe.",
        example='pieces:\n  - type: diplome\n    membre: "10000000016"   # absent de membres',
        fix='pieces:\n  - type: diplome\n    membre: "10000000009"',
        kinds=("adhesion",),
        message="La pièce désigne le membre {numero}, absent de `membres` : corrigez le "
        "numéro (RPPS ou ADELI d'un membre de l'équipe).",
        form="cette pièce désigne un numéro qui n'est celui d'aucun membre : recopiez le "
        "RPPS ou l'ADELI de la ligne du membre.",
        failing=(
            Example(
                f'  - type: diplome\n    membre: "10000001049"\n    sha256: {SAMPLE_SHA}\n',
                needle='"10000001049"',
            ),
        ),
    )
)
DUPLICATE_PIECE = declare(
    Check(
        "piece-en-double",
        "registre",
        "warning",
        title="La même pièce est déclarée deux fois.",
        example='pieces:\n  - {type: diplome, membre: "10000000009", sha256: …}\n'
        '  - {type: diplome, membre: "10000000009", sha256: …}',
        fix='pieces:\n  - {type: diplome, membre: "10000000009", sha256: …}',
        kinds=("adhesion",),
        message="Cette pièce est déjà déclarée plus haut (même type, même membre) : "
        "supprimez ce doublon.",
        form="cette pièce est déjà déclarée sur une ligne plus haut : supprimez la ligne en "
        "double.",
        failing=(
            Example(f"  - type: declaration_commune\n    sha256: {SAMPLE_SHA}\n", occurrence=2),
        ),
    )
)

TEAM_PIECES = ("declaration_commune", "attestation_assurance")
SALARIED = ("salarie_public", "salarie_prive")


def required_member_pieces(member: dict[str, Any]) -> list[str]:
    pieces = ["piece_identite", "diplome"]
    if member["role"] == "delegue":
        pieces.append("attestation_formation")
    if member["mode_exercice"] in SALARIED:
        pieces.append("accord_employeur")
    return pieces


@rule("adhesion", MISSING_TRAINING, MISSING_PIECE, UNKNOWN_MEMBER, DUPLICATE_PIECE)
def check(entry: Entry, register: Register) -> Iterator[Finding]:
    data = entry.data
    pieces = data["pieces"]
    labels = register.schemas.referentials["type_piece"].label
    declared = Counter((piece["type"], piece.get("membre")) for piece in pieces)
    mistyped = mistyped_numbers(entry.data["membres"])
    yield from _unknown_members_and_doubles(entry, pieces, mistyped)
    for kind in TEAM_PIECES:
        if not any(piece_type == kind for piece_type, _ in declared):
            yield at(MISSING_PIECE, entry, "pieces", piece=labels(kind), type=kind)
    for position, member in enumerate(data["membres"]):
        number = member.get("rpps") or member.get("adeli")
        for kind in required_member_pieces(member):
            if number not in mistyped and not _has_piece(declared, kind, member):
                yield at(
                    MISSING_PIECE,
                    entry,
                    "membres",
                    position,
                    variante="membre",
                    prenom=member["prenom"],
                    nom=member["nom_exercice"],
                    piece=labels(kind),
                    type=kind,
                    numero=number,
                )
        if member["role"] == "delegue" and "formation" not in member:
            yield at(
                MISSING_TRAINING,
                entry,
                "membres",
                position,
                prenom=member["prenom"],
                nom=member["nom_exercice"],
            )


def _has_piece(
    declared: Counter[tuple[str, str | None]], kind: str, member: dict[str, Any]
) -> bool:
    return any((kind, member.get(key)) in declared for key in ("rpps", "adeli") if member.get(key))


def _unknown_members_and_doubles(
    entry: Entry, pieces: list[dict[str, Any]], mistyped: set[str]
) -> Iterator[Finding]:
    numbers = {m.get(key) for m in entry.data["membres"] for key in ("rpps", "adeli") if m.get(key)}
    seen: set[tuple[str, str | None]] = set()
    for position, piece in enumerate(pieces):
        key = (piece["type"], piece.get("membre"))
        named = piece.get("membre")
        if (
            named
            and named not in numbers
            and not any(close_numbers(named, typo) for typo in mistyped)
        ):
            yield at(UNKNOWN_MEMBER, entry, "pieces", position, "membre", numero=piece["membre"])
        if key in seen:
            yield at(DUPLICATE_PIECE, entry, "pieces", position)
        seen.add(key)
