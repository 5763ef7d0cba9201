"""How a family of register rules registers its functions beside its checks.

    DUPLICATE = declare(Check("membre-en-double", ..., kinds=("adhesion",), message="…{numero}…"))

    @rule("adhesion", DUPLICATE)
    def check(entry, register):
        yield at(DUPLICATE, entry, "membres", 1, numero="10000000009")

`rules/__init__.py` derives from these registrations which functions run on
which kind of file, and which other files a targeted run must load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..checks import KINDS, Check
from ..findings import Finding, found
from ..register import Entry, Register

Rule = Callable[[Entry, Register], Iterable[Finding]]
EVERY_FILE = "*"  # a rule that reads any shape of data, on every file


@dataclass(frozen=True)
class Registered:
    function: Rule
    kind: str  # a kind of checks.KINDS, or EVERY_FILE
    checks: tuple[Check, ...]


REGISTERED: list[Registered] = []


def rule(kind: str, *checks: Check) -> Callable[[Rule], Rule]:
    """Register the decorated function as the finder of `checks` on files of `kind`."""
    if kind != EVERY_FILE and any(kind not in check.kinds for check in checks):
        raise ValueError(f"a check of this rule does not apply to {kind}")
    if kind not in (*KINDS, EVERY_FILE):
        raise ValueError(f"unknown kind: {kind}")

    def register(function: Rule) -> Rule:
        REGISTERED.append(Registered(function, kind, checks))
        return function

    return register


def at(check: Check, entry: Entry, *key: str | int, **params: object) -> Finding:
    """A finding of `check` at `key` in `entry`, its message rendered from `params`."""
    return found(check, entry.path, entry.line(*key), key, params)


def on_file(check: Check, entry: Entry, **params: object) -> Finding:
    """A finding of `check` about the whole file (its first line)."""
    return found(check, entry.path, 1, (), params)
