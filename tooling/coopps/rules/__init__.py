"""Layer 3: the register rules, one small module per family.

Each family exposes `check(entry, register)` yielding findings for one
schema-valid entry; cross-file facts come from the register's indexes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..findings import Finding
from ..register import Entry, Register
from . import adhesions, completeness, dates, geography, identifiers, privacy, replacements, reports

Rule = Callable[[Entry, Register], Iterable[Finding]]

RULES_BY_KIND: dict[str, tuple[Rule, ...]] = {
    "protocole": (dates.check_protocol, replacements.check),
    "adhesion": (
        dates.check_adhesion,
        geography.check,
        adhesions.check_protocol_applies,
        adhesions.check_roles,
        identifiers.check,
        completeness.check,
    ),
    "suivi": (reports.check,),
}


def check_entry(entry: Entry, register: Register) -> list[Finding]:
    """Every register rule for one entry. The privacy rule reads any shape, so it runs on
    every file (its name, and its data when readable); the others only on schema-valid
    files at a valid path."""
    findings = list(privacy.check(entry, register))
    if entry.valid:
        findings += [finding for rule in RULES_BY_KIND.get(entry.where.kind, ()) for finding in rule(entry, register)]
    return findings
