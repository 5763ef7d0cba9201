"""Dates that contradict each other, or that lie in the future.

Dates are ISO strings already checked by the schema, so they compare as text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from ..findings import Finding, make_finding
from ..register import Entry, Register

# (earlier key path, later key path, French description of the constraint)
PROTOCOL_ORDER = (
    (("date_depot",), ("avis_has", "date"), "l'avis de la HAS ne peut pas précéder le dépôt"),
    (("date_depot",), ("arrete", "date"), "l'arrêté d'autorisation ne peut pas précéder le dépôt"),
    (("avis_has", "date"), ("arrete", "date"), "l'arrêté d'autorisation ne peut pas précéder l'avis de la HAS"),
    (("arrete", "date"), ("arret", "date"), "l'arrêt du protocole ne peut pas précéder son autorisation"),
)
ADHESION_ORDER = (
    (("date_declaration",), ("suspension", "date"), "la suspension ne peut pas précéder la déclaration"),
    (("date_declaration",), ("fin", "date"), "la fin ne peut pas précéder la déclaration"),
    (("date_declaration",), ("reprise", "date_activation"), "l'activation par l'ARS ne peut pas précéder la déclaration"),
)


def today() -> str:
    return datetime.date.today().isoformat()


def check_protocol(entry: Entry, register: Register) -> Iterator[Finding]:
    yield from _order(entry, PROTOCOL_ORDER)
    yield from _not_future(entry, [("date_depot",)])


def check_adhesion(entry: Entry, register: Register) -> Iterator[Finding]:
    yield from _order(entry, ADHESION_ORDER)
    if "suspension" in entry.data and "fin" in entry.data:
        yield make_finding("suspension-et-fin", entry.path, entry.line("suspension"), (
            "L'adhésion porte à la fois `suspension` et `fin` : une adhésion terminée n'est plus suspendue. "
            "Gardez `fin` et retirez `suspension` (ou l'inverse si l'adhésion continue)."
        ))
    formations = [("membres", i, "formation", "date") for i in range(len(entry.data.get("membres", [])))]
    yield from _not_future(entry, [("date_declaration",), ("reprise", "date_activation"), *formations])


def _get(data: object, where: tuple[str | int, ...]) -> str | None:
    for part in where:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data if isinstance(data, str) else None


def _order(entry: Entry, constraints: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]) -> Iterator[Finding]:
    for earlier, later, rule in constraints:
        first, second = _get(entry.data, earlier), _get(entry.data, later)
        if first and second and second < first:
            yield make_finding("dates-incoherentes", entry.path, entry.line(*later), (
                f"Dates incohérentes : {rule} ({'.'.join(later)} = {second}, {'.'.join(earlier)} = {first}). "
                "Corrigez l'une des deux dates."
            ))


def _not_future(entry: Entry, keys: list[tuple[str | int, ...]]) -> Iterator[Finding]:
    now = today()
    for where in keys:
        value = _get(entry.data, where)
        if value and value > now:
            yield make_finding("date-future", entry.path, entry.line(*where), (
                f"La date {value} est dans le futur : indiquez une date passée ou celle du jour."
            ))
