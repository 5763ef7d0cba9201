"""Layer 4, continued: what an instructed adhesion keeps.

An adhesion present on the base branch has been merged, that is instructed by
its region's ARS. What the ARS instructed (the declaration date, the team, the
members' identifying numbers) changes only with that ARS's approval; an end
(`fin`) once recorded is never removed nor moved. Nothing here reads git: the
caller gives the base version of the file and the head entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .change_checks import END_FOR_GOOD, INSTRUCTED_IDENTITY
from .findings import Finding, found
from .register import Entry

TEAM_FIELDS = ("nom", "structure", "commune", "code_postal")
MEMBER_NUMBERS = ("rpps", "adeli")


@dataclass(frozen=True)
class Sealed:
    """One instructed value the pull request changes: where it is and how to name it."""

    where: tuple[
        str | int, ...
    ]  # its path in the head file (the nearest existing ancestor gives the line)
    label: str  # French, for the message


def sealed_changes(base: dict[str, Any], head: dict[str, Any]) -> Iterator[Sealed]:
    """The instructed values of `base` that `head` changes or removes."""
    if base.get("date_declaration") != head.get("date_declaration"):
        yield Sealed(("date_declaration",), "la date de déclaration (`date_declaration`)")
    yield from _team_changes(_mapping(base.get("equipe")), _mapping(head.get("equipe")))
    yield from _number_changes(base.get("membres"), head.get("membres"))


def _team_changes(base: dict[str, Any], head: dict[str, Any]) -> Iterator[Sealed]:
    for field in TEAM_FIELDS:
        if base.get(field) != head.get(field):
            yield Sealed(("equipe", field), f"l'équipe (`equipe.{field}`)")


def _number_changes(base: Any, head: Any) -> Iterator[Sealed]:
    """Every number of the base's members must still name a member: adding one is fine.
    A lost number is shown on the member now at its place, or else on `membres`."""
    head_numbers = _numbers(head)
    kept = {(key, number) for _, key, number in head_numbers}
    for position, key, number in _numbers(base):
        if (key, number) not in kept:
            at_place = any(index == position for index, _, _ in head_numbers)
            where = ("membres", position, key) if at_place else ("membres",)
            yield Sealed(where, f"le numéro {key.upper()} {number} d'un membre")


def _numbers(members: Any) -> list[tuple[int, str, str]]:
    """(position in `membres`, "rpps" or "adeli", number) of every member."""
    if not isinstance(members, list):
        return []
    return [
        (position, key, str(member[key]))
        for position, member in enumerate(members)
        if isinstance(member, dict)
        for key in MEMBER_NUMBERS
        if member.get(key) is not None
    ]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def instructed_identity(
    base: dict[str, Any], head: Entry, approved_by_ars: bool, who: str
) -> Iterator[Finding]:
    """`identite-instruite`: one finding per instructed value changed without the ARS."""
    if approved_by_ars:
        return
    for sealed in sealed_changes(base, head.data):
        params = {"valeur": sealed.label, "region": head.where.region, "qui": who}
        yield found(INSTRUCTED_IDENTITY, head.path, head.line(*sealed.where), sealed.where, params)


def kept_end(base: dict[str, Any], head: Entry) -> Iterator[Finding]:
    """`fin-definitive`: an end recorded on the base is neither removed nor moved."""
    old, new = base.get("fin"), head.data.get("fin")
    if not isinstance(old, dict) or old.get("date") is None:
        return
    if not isinstance(new, dict):
        yield found(END_FOR_GOOD, head.path, 1, (), {"date": old["date"]})
    elif new.get("date") != old.get("date"):
        yield found(
            END_FOR_GOOD,
            head.path,
            head.line("fin", "date"),
            ("fin", "date"),
            {"variante": "date", "date": old["date"]},
        )
