"""RPPS keys, and the same professional spelled the same across the register."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from ..findings import Finding, make_finding
from ..personal import luhn_valid
from ..register import Entry, Register

__all__ = ["check", "luhn_complete", "luhn_valid"]


def luhn_complete(prefix: str) -> str:
    """`prefix` followed by the digit that makes it Luhn-valid."""
    return next(prefix + key for key in "0123456789" if luhn_valid(prefix + key))


def check(entry: Entry, register: Register) -> Iterator[Finding]:
    for position, member in enumerate(entry.data["membres"]):
        rpps = member.get("rpps")
        if rpps and not luhn_valid(rpps):
            yield make_finding("rpps-cle-invalide", entry.path, entry.line("membres", position, "rpps"), (
                f"Le numéro RPPS {rpps} est invalide (sa clé, le dernier chiffre, ne correspond pas) : "
                "recopiez-le depuis la carte CPS ou l'annuaire santé."
            ))
        number = rpps or member.get("adeli")
        yield from _spelling(entry, position, number, register)


def _spelling(entry: Entry, position: int, number: str, register: Register) -> Iterator[Finding]:
    refs = register.members_with_identifier(number)
    spellings = Counter(ref.name for ref in refs)
    if len(spellings) < 2:
        return
    usual = min(spellings, key=lambda name: (-spellings[name], name))
    here = next((ref for ref in refs if ref.path == entry.path and ref.line == entry.line("membres", position)), None)
    if here is None or here.name == usual:
        return
    elsewhere = next(ref.path for ref in refs if ref.name == usual)
    yield make_finding("rpps-orthographe", entry.path, here.line, (
        f"Le professionnel {number} est écrit « {here.name} » ici mais « {usual} » ailleurs ({elsewhere}) : "
        "harmonisez le nom et le prénom."
    ))
