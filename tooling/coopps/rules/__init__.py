"""Layer 3: the register rules, one small module per family.

Each family declares its checks (`checks.Check`) and registers, with
`registry.rule`, the functions that find them: `check(entry, register)`
yields findings for one entry; cross-file facts come from the register's
indexes. Importing this package imports every family, so its `CHECKS` is
the complete registry; which rules run on which kind of file, and which
other files a targeted run loads, derive from the registrations.
"""

from __future__ import annotations

from .. import change_checks, stage_checks  # noqa: F401  (the checks found outside rules/)
from ..checks import CHECKS as DECLARED
from ..checks import KINDS, Check
from ..findings import Finding
from ..register import Entry, Register
from . import adhesions, completeness, dates, geography, identifiers, privacy, replacements, reports
from .registry import EVERY_FILE, REGISTERED, Registered, Rule

__all__ = ["CHECKS", "CONSULTED_BY_KIND", "FAMILIES", "RULES_BY_KIND", "Rule", "check_entry"]

# The order the families' rules run in; the reference page lists their checks in this order too.
FAMILIES = (privacy, dates, geography, adhesions, identifiers, completeness, replacements, reports)
_FAMILY_NAMES = [family.__name__ for family in FAMILIES]


def _family(item: Registered) -> int:
    return _FAMILY_NAMES.index(item.function.__module__)


_ORDERED = sorted(REGISTERED, key=_family)
RULES_BY_KIND: dict[str, tuple[Rule, ...]] = {
    kind: tuple(item.function for item in _ORDERED if item.kind == kind) for kind in KINDS
}
EVERY_FILE_RULES = tuple(item.function for item in _ORDERED if item.kind == EVERY_FILE)
# kind → what the checks of its rules consult beyond the file (`Register.load_related`)
CONSULTED_BY_KIND: dict[str, frozenset[str]] = {
    kind: frozenset(
        consulted
        for item in REGISTERED
        if item.kind == kind
        for check in item.checks
        for consulted in check.consults
    )
    for kind in KINDS
}


def _listed(declared: dict[str, Check]) -> dict[str, Check]:
    """Every check: those found outside `rules/` first, then by family, in declaration order."""
    family = {}
    for item in reversed(_ORDERED):
        family.update({check.code: _family(item) for check in item.checks})
    position = {code: index for index, code in enumerate(declared)}
    order = sorted(declared, key=lambda code: (family.get(code, -1), position[code]))
    return {code: declared[code] for code in order}


# The complete registry (every family is imported above).
CHECKS: dict[str, Check] = _listed(DECLARED)


def check_entry(entry: Entry, register: Register) -> list[Finding]:
    """Every register rule for one entry. The privacy rule reads any shape, so it
    runs on every file (its name, and its data when readable); the others only on
    schema-valid files at a valid path."""
    findings = [found for rule in EVERY_FILE_RULES for found in rule(entry, register)]
    if entry.valid:
        rules = RULES_BY_KIND.get(entry.where.kind, ())
        findings += [found for rule in rules for found in rule(entry, register)]
    return findings
