"""The privacy gate of the build, fast: the site refuses a register holding personal data.

`rules.privacy.publication_refusal` walks every value of every file with its key path and
line (about 9 s for 10,000 adhesions), to say where each finding is. The build only needs
that text when there is something to refuse, which CI has already made rare. So the gate
first asks the same question without the positions: every text the privacy rule reads
(`_suspect_strings` of `rules/privacy.py`: keys and values, the same identifier values skipped)
goes into one set, and `personal_data`,
a pure function of the text, runs once per distinct text (names of professions, dates,
statuses repeat across thousands of files). Only when that set, a path or a reading finding
(a comment: `rawtext.py`) holds personal data does the full check run, for its French message with files and lines.
The answer is therefore exactly `publication_refusal`'s.
"""

from __future__ import annotations

from typing import Any

from ..personal import personal_data
from ..register import Register
from ..rules.privacy import IDENTIFIER_LENGTHS, check_path, exempt, publication_refusal

CODE = "donnee-personnelle"


def refusal(register: Register) -> str | None:
    """Why the site must not be built from `register`, or None: `publication_refusal`, quicker."""
    return publication_refusal(register) if might_hold_personal_data(register) else None


def might_hold_personal_data(register: Register) -> bool:
    """False only when `publication_refusal(register)` finds nothing."""
    texts: set[Any] = set()
    for entry in register.entries:
        if any(finding.code == CODE for finding in entry.findings) or next(check_path(entry), None):
            return True
        collect_texts(entry.doc.data, texts)
    return any(personal_data(text) for text in texts if text.__class__ is str)


def collect_texts(value: Any, into: set[Any]) -> None:
    """Add to `into` every text the privacy rule looks at in `value` (before its pre-filter): keys
    (and, at no cost, the rare key that is not text) and values."""
    if isinstance(value, str):
        into.add(value)
    elif isinstance(value, dict):
        into.update(value)
        for key, child in value.items():
            if child.__class__ is not str:
                collect_texts(child, into)
            elif key not in IDENTIFIER_LENGTHS or not exempt(key, child):
                into.add(child)
    elif isinstance(value, list):
        for child in value:
            collect_texts(child, into)
