"""RPPS keys, and the same professional spelled the same across the register."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from ..findings import Finding, make_finding
from ..personal import luhn_valid
from ..register import Entry, Register

__all__ = ["check", "luhn_complete", "luhn_valid"]


def luhn_complete(prefix: str) -> str:
    """`prefix` followed by the digit that makes it Luhn-valid."""
    return next(prefix + key for key in "0123456789" if luhn_valid(prefix + key))


def mistyped_numbers(members: list[dict[str, Any]]) -> set[str]:
    """The RPPS numbers of `members` whose key is invalid: the cause of the findings that would follow."""
    return {m["rpps"] for m in members if m.get("rpps") and not luhn_valid(m["rpps"])}


def close_numbers(one: str, other: str) -> bool:
    """Two numbers of the same length that differ by at most two digits (a typo, a swap)."""
    return len(one) == len(other) and sum(a != b for a, b in zip(one, other, strict=True)) <= 2


def check(entry: Entry, register: Register) -> Iterator[Finding]:
    for position, member in enumerate(entry.data["membres"]):
        rpps = member.get("rpps")
        if rpps and not luhn_valid(rpps):
            yield make_finding("rpps-cle-invalide", entry.path, entry.line("membres", position, "rpps"),
                               _invalid_key_message(rpps, entry.data))
            continue  # its spelling elsewhere is another person's: nothing to compare
        number = rpps or member.get("adeli")
        yield from _spelling(entry, position, number, register)


def _invalid_key_message(rpps: str, data: dict[str, Any]) -> str:
    pieces = data["pieces"]
    members = {m.get(key) for m in data["membres"] for key in ("rpps", "adeli")}
    message = (f"Le numéro RPPS {rpps} est invalide (sa clé, le dernier chiffre, ne correspond pas) : "
               "recopiez-le depuis la carte CPS ou l'annuaire santé.")
    waiting = sorted({p["membre"] for p in pieces if p.get("membre") and p["membre"] not in members
                      and close_numbers(p["membre"], rpps)})
    if waiting:
        count = sum(1 for p in pieces if p.get("membre") in waiting)
        message += (f" {count} pièce(s) désignent {' ou '.join(waiting)} : c'est sans doute le bon numéro ; "
                    "les pièces de ce membre seront vérifiées une fois le numéro corrigé.")
    else:
        message += " Les pièces de ce membre seront vérifiées une fois le numéro corrigé."
    return message


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
    yield make_finding("rpps-orthographe", entry.path, entry.line("membres", position), (
        f"Le professionnel {number} est écrit « {here.name} » ici mais « {usual} » ailleurs ({elsewhere}) : "
        "harmonisez le nom et le prénom."
    ))
