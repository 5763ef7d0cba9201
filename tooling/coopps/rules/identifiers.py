"""RPPS keys, and the same professional spelled the same across the register."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..checks import Check, Example, declare
from ..findings import Finding
from ..personal import luhn_valid
from ..register import Entry, Register
from .registry import at, rule

__all__ = ["check", "luhn_complete", "luhn_valid"]

INVALID_KEY = declare(
    Check(
        "rpps-cle-invalide",
        "registre",
        "error",
        title="La clé du numéro RPPS (11e chiffre, clé de Luhn) est fausse : numéro mal recopié.",
        example='rpps: "10000000008"',
        fix='rpps: "10000000009"   # recopiez le numéro de la carte CPS',
        kinds=("adhesion",),
        message={
            "": "Le numéro RPPS {rpps} est invalide (sa clé, le dernier chiffre, ne "
            "correspond pas) : recopiez-le depuis la carte CPS ou l'annuaire "
            "santé. Les pièces de ce membre seront vérifiées une fois le numéro "
            "corrigé.",
            "pieces": "Le numéro RPPS {rpps} est invalide (sa clé, le dernier chiffre, "
            "ne correspond pas) : recopiez-le depuis la carte CPS ou "
            "l'annuaire santé. {pieces} pièce(s) désignent {designes} : "
            "c'est sans doute le bon numéro ; les pièces de ce membre seront "
            "vérifiées une fois le numéro corrigé.",
        },
        form="ce numéro RPPS est invalide (sa clé, le dernier chiffre, ne correspond pas) : "
        "recopiez-le depuis la carte CPS ou l'annuaire santé ; les pièces de ce membre "
        "seront vérifiées une fois le numéro corrigé.",
        failing=(
            Example('  - rpps: "10000001016"', '  - rpps: "10000001015"', needle="10000001016"),
        ),
    )
)
SPELLING = declare(
    Check(
        "rpps-orthographe",
        "registre",
        "warning",
        title="Le même RPPS est écrit avec un autre nom ou prénom ailleurs dans le registre.",
        example='rpps: "10000000009"\nnom_exercice: Martine   # « Martin » dans une autre adhésion',
        fix='rpps: "10000000009"\nnom_exercice: Martin',
        kinds=("adhesion",),
        consults=("membres",),
        message="Le professionnel {numero} est écrit « {ici} » ici mais « {usuel} » ailleurs "
        "({ailleurs}) : harmonisez le nom et le prénom.",
        form="ce numéro figure dans une autre déclaration du registre avec un autre nom ou "
        "prénom : vérifiez l'orthographe, elle doit être la même partout.",
    )
)


def luhn_complete(prefix: str) -> str:
    """`prefix` followed by the digit that makes it Luhn-valid."""
    return next(prefix + key for key in "0123456789" if luhn_valid(prefix + key))


def mistyped_numbers(members: list[dict[str, Any]]) -> set[str]:
    """The RPPS numbers of `members` whose key is invalid: the cause of the findings that would follow."""
    return {m["rpps"] for m in members if m.get("rpps") and not luhn_valid(m["rpps"])}


def close_numbers(one: str, other: str) -> bool:
    """Two numbers of the same length that differ by at most two digits (a typo, a swap)."""
    return len(one) == len(other) and sum(a != b for a, b in zip(one, other, strict=True)) <= 2


@rule("adhesion", INVALID_KEY, SPELLING)
def check(entry: Entry, register: Register) -> Iterator[Finding]:
    for position, member in enumerate(entry.data["membres"]):
        rpps = member.get("rpps")
        if rpps and not luhn_valid(rpps):
            yield at(
                INVALID_KEY, entry, "membres", position, "rpps", **_pieces_waiting(rpps, entry.data)
            )
            continue  # its spelling elsewhere is another person's: nothing to compare
        number = rpps or member.get("adeli")
        yield from _spelling(entry, position, number, register)


def _pieces_waiting(rpps: str, data: dict[str, Any]) -> dict[str, object]:
    """The parameters of `rpps-cle-invalide`: the pieces that name a number close to the
    mistyped one (most likely the right number) wait for its correction."""
    pieces = data["pieces"]
    members = {m.get(key) for m in data["membres"] for key in ("rpps", "adeli")}
    waiting = sorted(
        {
            p["membre"]
            for p in pieces
            if p.get("membre") and p["membre"] not in members and close_numbers(p["membre"], rpps)
        }
    )
    if not waiting:
        return {"rpps": rpps}
    count = sum(1 for p in pieces if p.get("membre") in waiting)
    return {"rpps": rpps, "variante": "pieces", "pieces": count, "designes": " ou ".join(waiting)}


def _spelling(entry: Entry, position: int, number: str, register: Register) -> Iterator[Finding]:
    refs = register.members_with_identifier(number)
    spellings = Counter(ref.name for ref in refs)
    if len(spellings) < 2:
        return
    usual = min(spellings, key=lambda name: (-spellings[name], name))
    here = next((ref for ref in refs if ref.path == entry.path and ref.position == position), None)
    if here is None or here.name == usual:
        return
    elsewhere = next(ref.path for ref in refs if ref.name == usual)
    yield at(
        SPELLING,
        entry,
        "membres",
        position,
        numero=number,
        ici=here.name,
        usuel=usual,
        ailleurs=elsewhere,
    )
