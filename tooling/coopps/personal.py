"""Personal data in text: e-mail addresses however spelled, French phone
numbers however separated, social security numbers (NIR) with a valid key,
RPPS numbers, street addresses.

Pure text functions, used by the privacy rule (`rules/privacy.py`) on every
free-text value and identifier, and by layer 1 on the text of a file that has
no place in the data folders. Links are read for e-mails only: the digits of
a Légifrance identifier (`JORFTEXT000047307373`) are no phone number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_AT = r"(?:\s*(?:@|＠|﹫|\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|\[\s*arobase\s*\]|\(\s*arobase\s*\))\s*|\s+(?:at|arobase)\s+)"
_DOT = r"(?:\s*(?:\.|\[\s*(?:dot|point)\s*\]|\(\s*(?:dot|point)\s*\)|\{\s*(?:dot|point)\s*\})\s*|\s+(?:dot|point)\s+)"
EMAIL = re.compile(rf"(?<![\w.+-])[\w.+-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[a-z]{{2,12}}\b", re.IGNORECASE)
_SEP = r"[\s.\-/]{0,3}"
PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00){_SEP}33{_SEP}(?:\(\s*0\s*\){_SEP})?|0)[1-9](?:{_SEP}[0-9]{{2}}){{4}}(?![\w])"
)
# Sex, year, month, department (2A/2B in Corsica), commune, order number, key: 15 characters.
NIR = re.compile(
    r"(?<![\w])([1-478])[\s.]?([0-9]{2})[\s.]?(0[1-9]|1[0-2]|[2-9][0-9])[\s.]?([0-9]{2}|2[AB])"
    r"[\s.]?([0-9]{3})[\s.]?([0-9]{3})[\s.]?([0-9]{2})(?![\w])",
    re.IGNORECASE,
)
RPPS = re.compile(r"(?<![\w-])[0-9]{11}(?![\w-])")
STREET = re.compile(
    r"\b[0-9]{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av\.|boulevard|bd|chemin|all[ée]e|place|impasse|route|quai|cours)\b",
    re.IGNORECASE,
)
URL = re.compile(r"\b(?:https?|ftp)://\S+", re.IGNORECASE)
# What the patterns above need at the very least, in two case-sensitive searches that most values
# (names, codes, dates) fail at once; `could_hold_personal_data` says why each is enough.
EMAIL_HINT = re.compile(r"[@＠﹫]|[\s\[({][aA](?:[tT][\s\]})]|[rR][oO][bB][aA][sSſ][eE])")
DIGITS_HINT = re.compile(r"[0-9](?:\S*+\s|(?:[^0-9]*+[0-9]){9})")


def could_hold_personal_data(text: str) -> bool:
    """False only when no pattern of `personal_data` can match `text`.

    EMAIL needs an at sign, or the word « at » or « arobase » (in any case: `re.IGNORECASE` gives
    these letters no other equivalent than `ſ` for `s`) after a space or an opening bracket, « at »
    followed by a space or a closing bracket. PHONE needs 10 ASCII digits, RPPS 11, NIR 14 (counted in
    the whole text: taking links out only removes digits). STREET needs a digit followed, further on,
    by a space (a link taken out leaves a space, but only before other spaces or the end)."""
    return EMAIL_HINT.search(text) is not None or DIGITS_HINT.search(text) is not None


def nir_valid(match: re.Match[str]) -> bool:
    """The key of a NIR: 97 minus the 13-digit number modulo 97 (2A counts as 19, 2B as 18)."""
    sex, year, month, department, commune, order, key = match.groups()
    department = {"2A": "19", "2B": "18"}.get(department.upper(), department)
    number = int(sex + year + month + department + commune + order)
    return 97 - number % 97 == int(key)


def luhn_valid(number: str) -> bool:
    """The Luhn (mod 10) key, as used for RPPS and SIREN numbers."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def personal_data(text: str) -> str | None:
    """What personal data `text` holds (« une adresse électronique »…), or None.

    The pre-filter skips only texts that no pattern could match (tested against the patterns on the
    hostile corpus and on random texts: `test_personal_prefilter.py`)."""
    if not could_hold_personal_data(text):
        return None
    if EMAIL.search(text):
        return "une adresse électronique"
    outside_links = URL.sub(" ", text) if "://" in text else text
    if PHONE.search(outside_links):
        return "un numéro de téléphone"
    if any(nir_valid(match) for match in NIR.finditer(outside_links)):
        return "un numéro de sécurité sociale (NIR)"
    if any(luhn_valid(match.group()) for match in RPPS.finditer(outside_links)):
        return "un numéro RPPS"
    if STREET.search(outside_links):
        return "une adresse postale"
    return None


def personal_in_identifier(identifier: str) -> str | None:
    """Personal data in a file or folder name: dashes there separate digits as spaces do in text."""
    return personal_data(identifier.replace("-", " ").replace("_", " "))


def personal_data_lines(text: str) -> list[tuple[int, str]]:
    """(1-based line, what) for each line of `text` holding personal data."""
    return list(_lines_with_personal_data(text))


def _lines_with_personal_data(text: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), start=1):
        what = personal_data(line)
        if what:
            yield number, what
