"""No e-mail, phone number or postal address of a person in the register."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ..findings import Finding, make_finding
from ..register import Entry, Register

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?<![\w+])(?:\+33[ .-]?|0)[1-9](?:[ .-]?[0-9]{2}){4}(?!\w)")
STREET = re.compile(
    r"\b[0-9]{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|place|impasse|route|quai|cours)\b",
    re.IGNORECASE,
)
# Identifier-like values: digits that are not phone numbers, links that may hold digits.
SKIPPED_KEYS = {"rpps", "adeli", "membre", "sha256", "code_postal", "finess", "url", "sources"}
KINDS = (
    (EMAIL, "une adresse électronique"),
    (PHONE, "un numéro de téléphone"),
    (STREET, "une adresse postale"),
)


# Every pattern above needs a digit or an "@": most values are skipped at once.
CANDIDATE = re.compile(r"[0-9@]")


def check(entry: Entry, register: Register) -> Iterator[Finding]:
    for where, text in _strings(entry.data, ()):
        if not CANDIDATE.search(text):
            continue
        for pattern, what in KINDS:
            if pattern.search(text):
                yield make_finding("donnee-personnelle", entry.path, entry.line(*where), (
                    f"Cette valeur contient {what} : aucune coordonnée personnelle n'entre dans le registre "
                    "(les échanges passent par la pull request). Retirez-la."
                ))
                break


def _strings(value: Any, where: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, child in value.items():
            if key not in SKIPPED_KEYS:
                yield from _strings(child, (*where, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _strings(child, (*where, index))
