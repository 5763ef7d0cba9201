"""Personal data in text: e-mail addresses, French phone numbers, social security numbers (NIR),
RPPS numbers, street addresses — by normalisation, not enumeration of spellings.

Each text is first folded (`textfold.folded`: entities and percent-encoding decoded, NFKD,
invisible and format characters removed, digits of any script and confusables made ASCII); the
patterns below then only know plain spellings, with any separator between digits. Used by the
privacy rule (`rules/privacy.py`) on every key and value, by layer 1 on YAML comments and on the
text of files that have no place in the data folders, and by the site's gate.

Every pattern is linear-time safe: no quantifier inside an unbounded one, and each search starts
only where a look-behind allows (the start of a run), so no text makes it backtrack for long.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from .textfold import folded, spelled_out

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-][\w.-]*\.[a-z]{2,12}(?![\w-])", re.IGNORECASE)
# Between two digits: up to three characters that are neither letters nor digits (space, dot,
# dash, slash, underscore, middle dot, parenthesis…), or one comma (not « 01, 07, 26 »).
_SEP = r"(?:(?:[^\w,]|_){0,3}|,)"
_DIGITS_BEFORE = r"(?<![\w+])(?<![0-9][^\w\s])"
_DIGITS_AFTER = r"(?![^\w\s]?[0-9])(?!\w)"


def _digits(count: int) -> str:
    return "".join([r"[0-9]", *[rf"{_SEP}[0-9]"] * (count - 1)])


# Metropolitan and overseas numbers in national form (0 and 9 digits), or international: +33,
# 0033, (+33), +33 (0), and the overseas codes with 9 digits (262 Réunion and Mayotte, 269 Mayotte
# before 2007, 590 Guadeloupe and the northern islands, 594 Guyane, 596 Martinique), 8 digits (689
# Polynésie) or 6 (687 Nouvelle-Calédonie, 508 Saint-Pierre-et-Miquelon, 681 Wallis-et-Futuna, 269).
_NINE = rf"[1-9]{_SEP}{_digits(8)}"
_INTERNATIONAL = (
    rf"(?:\+|00){_SEP}(?:(?:33|262|269|590|594|596){_SEP}(?:0{_SEP})?{_NINE}"
    rf"|689{_SEP}{_digits(8)}|(?:687|508|681|269){_SEP}{_digits(6)})"
)
PHONE = re.compile(rf"{_DIGITS_BEFORE}(?:0{_SEP}{_NINE}|{_INTERNATIONAL}){_DIGITS_AFTER}")
# Sex, year, month (01-12, or 20 and over for unknown months), place of birth (department —
# 2A/2B in Corsica, 97x overseas — and commune, or 99 and a country), order number, optional key.
NIR = re.compile(
    rf"(?<!\w)[1-478]{_SEP}[0-9]{{2}}{_SEP}(?:0[1-9]|1[0-2]|[2-9][0-9]){_SEP}(?:[0-9]{{2}}|2[ab])"
    rf"{_SEP}[0-9]{_SEP}[0-9]{{2}}{_SEP}[0-9]{{3}}(?:{_SEP}[0-9]{{2}})?{_DIGITS_AFTER}",
    re.IGNORECASE,
)
RPPS = re.compile(r"(?<![\w-])[0-9]{11}(?![\w-])")
# A number (1 to 4 digits, bis/ter/quater or a letter) and a type of way. The words that also have
# another meaning (« 3 cours de formation », « 1 place de stage ») count only before a name: up to
# two articles, then a capital letter. Accents are gone once folded (`allée` is `allee`).
_WAYS = (
    r"rue|avenue|av|ave|boulevard|bd|bld|blvd|bvd|impasse|imp|allee|chemin|chem|quai|faubourg|fbg|fg"
    r"|square|rte|crs|passage|sentier|venelle|ruelle|esplanade|parvis|lotissement|rond-point|lieu-dit"
    r"|lieudit|hameau"
)
_NAMED_WAYS = (
    r"r|route|place|pl|cours|all|qu|ch|sq|res|residence|cite|voie|promenade|montee|chaussee"
    r"|villa|domaine|lot|quartier|sente|traverse|parc|ld"
)
_NAME = r"\.? {1,3}(?:(?:de|du|des|d'|la|le|les|l') ?){0,2}(?-i:[A-Z])"
_NUMBER = r"(?<![\w.,/-])[0-9]{1,4}(?: ?(?:bis|ter|quater)|[a-h])?[\s,]{1,3}"
STREET = re.compile(
    rf"{_NUMBER}(?:(?:{_WAYS})(?![\w-])|(?:{_NAMED_WAYS}){_NAME})"
    rf"|(?<!\w)(?:lieu-?dit|hameau){_NAME}"
    r"|(?<!\w)(?:b\.? ?p\.? ?[0-9]{1,5}|c\.? ?s\.? ?[0-9]{5})(?!\w)",
    re.IGNORECASE,
)
URL = re.compile(r"\b(?:https?|ftp)://\S+", re.IGNORECASE)
# In a link, an international number may also go without + or 00 (`https://wa.me/33612345678`).
LINK_PHONE = re.compile(r"(?<=[/=:])(?:33|262|269|590|594|596)[1-9][0-9]{8}(?![0-9])")
# What the patterns above need at the very least, in the folded text; most values (names, codes,
# dates) fail both searches at once. `could_hold_personal_data` says why each is enough.
EMAIL_HINT = re.compile(r"@|(?<!\w)(?:at|arr?obase?|chez)(?!\w)|[\[({<] ?a ?[\])}>]", re.IGNORECASE)
DIGITS_HINT = re.compile(r"[0-9](?:[^\s,]*+[\s,]|(?:[^0-9]*+[0-9]){8})|[pPsS]\.? ?[0-9]")
WORDS_HINT = re.compile(r"lieu-?dit|hameau", re.IGNORECASE)


REMEMBERED_LENGTH = 200  # longer texts are rare and would fill the memory of a long run


def could_hold_personal_data(text: str) -> bool:
    """False only when no pattern of `personal_data` can match `text` once folded. Short texts
    are remembered: the same names, labels and dates come back in thousands of files."""
    if len(text) > REMEMBERED_LENGTH:
        return _hinted(folded(text))
    return _remembered_hint(text)


@lru_cache(maxsize=1 << 16)
def _remembered_hint(text: str) -> bool:
    return _hinted(folded(text))


def _hinted(text: str) -> bool:
    """EMAIL needs an at sign, which only `spelled_out` can make of the words it folds. PHONE needs
    9 digits at least (+687 and 6), NIR 12, RPPS 11; STREET a digit then, further on, a space or a
    comma (a link taken out leaves a space), or a post box, or the words lieu-dit and hameau."""
    return bool(DIGITS_HINT.search(text) or EMAIL_HINT.search(text) or WORDS_HINT.search(text))


def luhn_valid(number: str) -> bool:
    """The Luhn (mod 10) key, as used for RPPS and SIREN numbers."""
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 1:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def personal_data(text: str, *, rpps: bool = True) -> str | None:
    """What personal data `text` holds (« une adresse électronique »…), or None.

    The text is folded first (`textfold`); the pre-filter then skips only texts that no pattern
    could match (`test_personal_prefilter.py`). E-mails and phones are searched in links too (a
    `tel:` or `mailto:` link); the other numbers outside links, whose identifiers are long digit
    runs. `rpps=False`: RPPS numbers are not searched (raw lines of a data file, where members'
    numbers stand in their fields)."""
    if not could_hold_personal_data(text):
        return None
    plain = folded(text)
    if EMAIL_HINT.search(plain) and EMAIL.search(spelled_out(plain)):
        return "une adresse électronique"
    outside_links = URL.sub(" ", plain) if "://" in plain else plain
    if NIR.search(outside_links):
        return "un numéro de sécurité sociale (NIR)"
    if PHONE.search(plain) or (plain != outside_links and _phone_in_links(plain)):
        return "un numéro de téléphone"
    if rpps and any(luhn_valid(match.group()) for match in RPPS.finditer(outside_links)):
        return "un numéro RPPS"
    if STREET.search(outside_links):
        return "une adresse postale"
    return None


def _phone_in_links(text: str) -> bool:
    return any(LINK_PHONE.search(link.group()) for link in URL.finditer(text))


def personal_in_identifier(identifier: str) -> str | None:
    """Personal data in a file or folder name: dashes there separate words as spaces do in text."""
    return personal_data(identifier.replace("-", " ").replace("_", " "))


def personal_data_lines(text: str, *, rpps: bool = True) -> list[tuple[int, str]]:
    """(1-based line, what) for each line of `text` holding personal data."""
    return list(_lines_with_personal_data(text, rpps))


def _lines_with_personal_data(text: str, rpps: bool) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(text.split("\n"), start=1):
        what = personal_data(line, rpps=rpps)
        if what:
            yield number, what
