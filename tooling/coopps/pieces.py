"""The piece check: files received (a dossier, a folder, a ZIP) against the pieces an adhesion
declares, by fingerprint (SHA-256) only.

Each file is the declared piece whose fingerprint it has, whatever its name. A declared piece
no file has is missing; a file no piece declares is extra; two pieces declared with one
fingerprint are the same file used twice (for two members, most often). In a dossier, a file
named after a piece (`pieces/03-…`) whose fingerprint differs is that piece, mismatched.
Findings are data; the commands choose how to show them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

PIECE_NUMBER = re.compile(r"pieces/(?P<number>[0-9]{2})-")
MISSING, EXTRA, MISMATCHED, DUPLICATED, MANIFEST = (
    "manquante",
    "en-trop",
    "non-conforme",
    "en-double",
    "manifeste",
)


@dataclass(frozen=True)
class DeclaredPiece:
    number: int  # 1-based position in the adhesion's `pieces`
    type: str
    member: str | None
    sha256: str

    def label(self, labels: Mapping[str, str]) -> str:
        """« pièce n° 3 (Pièce d'identité, membre 10000002013) »."""
        what = labels.get(self.type, self.type)
        return f"pièce n° {self.number} ({what}{f', membre {self.member}' if self.member else ''})"


@dataclass(frozen=True)
class ReceivedFile:
    name: str
    sha256: str
    size: int

    @classmethod
    def of(cls, name: str, data: bytes) -> ReceivedFile:
        return cls(name, hashlib.sha256(data).hexdigest(), len(data))


@dataclass(frozen=True)
class PieceFinding:
    kind: str  # MISSING, EXTRA, MISMATCHED, DUPLICATED, MANIFEST
    message: str  # French
    piece: int | None = None
    file: str | None = None


@dataclass
class PieceCheck:
    declared: list[DeclaredPiece]
    matches: list[tuple[ReceivedFile, DeclaredPiece]] = field(default_factory=list)
    findings: list[PieceFinding] = field(default_factory=list)

    @property
    def missing(self) -> list[PieceFinding]:
        return [finding for finding in self.findings if finding.kind == MISSING]

    def recognised(self) -> set[int]:
        return {piece.number for _, piece in self.matches}


def declared_pieces(adhesion: Any) -> list[DeclaredPiece]:
    """The pieces of an adhesion's data, in order; entries without a fingerprint are skipped
    (the schema reports them)."""
    pieces = adhesion.get("pieces") if isinstance(adhesion, dict) else None
    found = []
    for number, piece in enumerate(pieces if isinstance(pieces, list) else [], start=1):
        if isinstance(piece, dict) and isinstance(piece.get("sha256"), str):
            member = piece.get("membre")
            found.append(
                DeclaredPiece(
                    number,
                    str(piece.get("type")),
                    str(member) if member else None,
                    piece["sha256"].strip().lower(),
                )
            )
    return found


def check_pieces(
    declared: list[DeclaredPiece],
    files: list[ReceivedFile],
    labels: Mapping[str, str],
    *,
    named: bool = False,
) -> PieceCheck:
    """Match `files` to `declared` by fingerprint. `named`: file names follow the dossier's
    contract (`pieces/NN-…`), so a wrong fingerprint under a piece's name is a mismatch."""
    check = PieceCheck(declared)
    by_sha: dict[str, list[DeclaredPiece]] = {}
    for piece in declared:
        by_sha.setdefault(piece.sha256, []).append(piece)
    check.findings += _duplicates(by_sha, labels)
    mismatched: set[int] = set()
    for received in files:
        pieces = by_sha.get(received.sha256, [])
        check.matches += [(received, piece) for piece in pieces]
        if not pieces:
            finding = _unmatched(received, declared, labels, named)
            mismatched |= {finding.piece} if finding.piece else set()
            check.findings.append(finding)
    found = check.recognised() | mismatched
    check.findings += [
        PieceFinding(
            MISSING, f"P{piece.label(labels)[1:]} : aucun fichier reçu.", piece=piece.number
        )
        for piece in declared
        if piece.number not in found
    ]
    return check


def _duplicates(
    by_sha: dict[str, list[DeclaredPiece]], labels: Mapping[str, str]
) -> list[PieceFinding]:
    return [
        PieceFinding(
            DUPLICATED,
            (
                f"Un même fichier est déclaré pour {' et '.join(piece.label(labels) for piece in pieces)} : "
                "chaque pièce (et chaque membre) a son propre document."
            ),
            piece=pieces[1].number,
        )
        for pieces in by_sha.values()
        if len(pieces) > 1
    ]


def _unmatched(
    received: ReceivedFile, declared: list[DeclaredPiece], labels: Mapping[str, str], named: bool
) -> PieceFinding:
    number = PIECE_NUMBER.match(received.name) if named else None
    piece = next((p for p in declared if number and p.number == int(number["number"])), None)
    if piece is not None:
        return PieceFinding(
            MISMATCHED,
            (
                f"« {received.name} » devrait être la {piece.label(labels)}, mais son empreinte n'est "
                "pas celle déclarée : le fichier a changé depuis la déclaration."
            ),
            piece.number,
            received.name,
        )
    return PieceFinding(
        EXTRA, f"« {received.name} » ne correspond à aucune pièce déclarée.", file=received.name
    )
