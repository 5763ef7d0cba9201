"""French wording shared by the CLI, the site and the reports: dates as
French readers write them, and real plurals instead of « (s) »."""

from __future__ import annotations

import re

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def french_date(value: object) -> str:
    """`2024-03-12` (or a timestamp starting so) → `12/03/2024`; anything else as text, None as ""."""
    text = "" if value is None else str(value)
    if _ISO_DATE.fullmatch(text[:10]):
        year, month, day = text[:10].split("-")
        return f"{day}/{month}/{year}"
    return text


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 protocole », « 2 protocoles », « 0 protocole » (French: 0 and 1 take the singular)."""
    word = singular if count < 2 else (plural_form or singular + "s")
    return f"{count} {word}"
