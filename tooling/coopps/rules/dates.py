"""Dates that contradict each other, or that lie in the future.

Dates are ISO strings already checked by the schema, so they compare as text.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from ..checks import Check, Example, declare
from ..findings import Finding
from ..register import Entry, Register
from .registry import at, rule

_ORDER = (
    "Dates incohérentes : {regle} ({apres} = {date_apres}, {avant} = "
    "{date_avant}). Corrigez l'une des deux dates."
)
_BEFORE_AUTHORISATION = (
    "Dates incohérentes : la déclaration ({declaration}) précède "
    "l'arrêté qui autorise le protocole ({autorisation}). Corrigez "
    "{quoi}."
)
CONTRADICTORY = declare(
    Check(
        "dates-incoherentes",
        "registre",
        "error",
        title="Les dates se contredisent (décision avant le dépôt, fin avant la déclaration…).",
        example='date_depot: "2021-05-01"\narrete:\n  date: "2020-01-10"',
        fix='date_depot: "2019-05-01"\narrete:\n  date: "2020-01-10"',
        kinds=("protocole", "adhesion"),
        consults=("protocole",),
        message={
            "": _ORDER,
            "autorisation": _BEFORE_AUTHORISATION.replace("{quoi}", "la date de déclaration"),
        },
        form={
            "": _ORDER,
            "autorisation": _BEFORE_AUTHORISATION.replace("{quoi}", "« Date de déclaration »"),
        },
        failing=(
            Example("  date: 2014-02-01", "  date: 2016-02-01", start="protocols/reg-84-test.yml"),
            Example(
                "fin:\n  date: 2023-01-01\n  motif: Départ\n",
                needle="  date: 2023-01-01",
                name="fin-avant-declaration",
            ),
            Example(
                "date_declaration: 2019-03-12",
                "date_declaration: 2024-03-12",
                name="declaration-avant-arrete",
            ),
        ),
    )
)
SUSPENDED_AND_ENDED = declare(
    Check(
        "suspension-et-fin",
        "registre",
        "error",
        title="Une adhésion terminée (`fin`) ne peut pas être aussi suspendue "
        "(`suspension`) : l'un exclut l'autre.",
        example='suspension:\n  date: "2025-03-01"\n  motif: …\n'
        'fin:\n  date: "2025-06-30"\n  motif: …',
        fix='fin:\n  date: "2025-06-30"\n'
        "  motif: …   # la suspension est levée quand l'adhésion prend fin",
        kinds=("adhesion",),
        message="L'adhésion porte à la fois `suspension` et `fin` : une adhésion terminée "
        "n'est plus suspendue. Gardez `fin` et retirez `suspension` (ou l'inverse si "
        "l'adhésion continue).",
        failing=(
            Example(
                "suspension:\n  date: 2024-05-01\n  motif: Contrôle\n"
                "fin:\n  date: 2024-06-01\n  motif: Départ\n"
            ),
        ),
        passing=(Example("fin:\n  date: 2024-06-01\n  motif: Départ\n"),),
    )
)
IN_THE_FUTURE = declare(
    Check(
        "date-future",
        "registre",
        "error",
        title="Une date de déclaration ou de formation ne peut pas être dans le futur.",
        example='date_declaration: "2099-01-01"',
        fix='date_declaration: "2024-12-05"',
        kinds=("protocole", "adhesion"),
        message="La date {date} est dans le futur : indiquez une date passée ou celle du jour.",
        form={
            "": "cette date est dans le futur : indiquez une date passée ou celle du jour.",
            "formation": "la date de formation est dans le futur : "
            "indiquez une date passée ou celle du jour.",
        },
        failing=(Example("date_declaration: 2099-03-12", "date_declaration: 2024-03-12"),),
    )
)

# (earlier key path, later key path, French description of the constraint)
PROTOCOL_ORDER = (
    (("date_depot",), ("avis_has", "date"), "l'avis de la HAS ne peut pas précéder le dépôt"),
    (("date_depot",), ("arrete", "date"), "l'arrêté d'autorisation ne peut pas précéder le dépôt"),
    (
        ("avis_has", "date"),
        ("arrete", "date"),
        "l'arrêté d'autorisation ne peut pas précéder l'avis de la HAS",
    ),
    (
        ("arrete", "date"),
        ("arret", "date"),
        "l'arrêt du protocole ne peut pas précéder son autorisation",
    ),
)
ADHESION_ORDER = (
    (
        ("date_declaration",),
        ("suspension", "date"),
        "la suspension ne peut pas précéder la déclaration",
    ),
    (("date_declaration",), ("fin", "date"), "la fin ne peut pas précéder la déclaration"),
    (
        ("date_declaration",),
        ("reprise", "date_activation"),
        "l'activation par l'ARS ne peut pas précéder la déclaration",
    ),
)


def today() -> str:
    return datetime.date.today().isoformat()


@rule("protocole", CONTRADICTORY, IN_THE_FUTURE)
def check_protocol(entry: Entry, register: Register) -> Iterator[Finding]:
    yield from _order(entry, PROTOCOL_ORDER)
    yield from _not_future(entry, [("date_depot",)])


@rule("adhesion", CONTRADICTORY, SUSPENDED_AND_ENDED, IN_THE_FUTURE)
def check_adhesion(entry: Entry, register: Register) -> Iterator[Finding]:
    yield from _order(entry, ADHESION_ORDER)
    if "suspension" in entry.data and "fin" in entry.data:
        yield at(SUSPENDED_AND_ENDED, entry, "suspension")
    formations = [
        ("membres", i, "formation", "date") for i in range(len(entry.data.get("membres", [])))
    ]
    yield from _not_future(
        entry, [("date_declaration",), ("reprise", "date_activation"), *formations]
    )


def _get(data: object, where: tuple[str | int, ...]) -> str | None:
    for part in where:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data if isinstance(data, str) else None


def _order(
    entry: Entry, constraints: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...]
) -> Iterator[Finding]:
    for earlier, later, constraint in constraints:
        first, second = _get(entry.data, earlier), _get(entry.data, later)
        if first and second and second < first:
            yield at(
                CONTRADICTORY,
                entry,
                *later,
                regle=constraint,
                apres=".".join(later),
                date_apres=second,
                avant=".".join(earlier),
                date_avant=first,
            )


def _not_future(entry: Entry, keys: list[tuple[str | int, ...]]) -> Iterator[Finding]:
    now = today()
    for where in keys:
        value = _get(entry.data, where)
        if value and value > now:
            variant = "formation" if where[0] == "membres" else ""
            yield at(IN_THE_FUTURE, entry, *where, date=value, variante=variant)
