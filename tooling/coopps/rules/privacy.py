"""No e-mail, phone number, postal address, social security number or stray
RPPS of a person in the register: not in any text (`sources`, `notes`,
motifs, reports included), not in a key, not in an identifier or a file name
(they are published in URLs, CSV and JSON). Comments are layer 1's
(`rawtext.py`, called where the raw text is read).

The privacy rule reads any shape of data, so it runs on every readable file,
schema-valid or not: what it finds must never wait for another fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..findings import Finding
from ..personal import could_hold_personal_data, personal_data, personal_in_identifier
from ..register import Entry, Register
from ..stage_checks import PERSONAL_DATA
from .registry import EVERY_FILE, at, on_file, rule

# Identifier fields whose shape the schema fixes (digits, or hexadecimal digits, of these lengths):
# the RPPS of a member is legitimate there. A value of another shape under these keys is read as
# any text (an e-mail under `sha256`); letters and digits alone of that length hold no e-mail, no
# phone (10 digits) and no NIR (13 or 15), so the test stays two string methods.
IDENTIFIER_LENGTHS = {
    "rpps": {11},
    "adeli": {9},
    "membre": {9, 11},
    "sha256": {64},
    "code_postal": {5},
    "finess": {9},
}
IDENTIFIER_KEYS = frozenset(IDENTIFIER_LENGTHS)


def exempt(key: Any, value: str) -> bool:
    """True for an identifier field holding a value of its own shape (never read as text)."""
    lengths = IDENTIFIER_LENGTHS.get(key)
    value = value.strip()  # a block scalar's final line break is the schema's concern
    return lengths is not None and len(value) in lengths and value.isalnum()


# Declared with the stages' checks (`stage_checks.py`): layer 1 finds it too, in comments
# and in the raw text of a file that does not parse.
@rule(EVERY_FILE, PERSONAL_DATA)
def check(entry: Entry, register: Register) -> Iterator[Finding]:
    yield from check_path(entry)
    for where, text, is_key in _suspect_strings(entry.doc.data):
        what = personal_data(text)
        if what:
            yield at(PERSONAL_DATA, entry, *where, variante="cle" if is_key else "", what=what)


def check_path(entry: Entry) -> Iterator[Finding]:
    """Folder and file names are identifiers published as they are."""
    for part in entry.path.split("/")[1:]:
        what = personal_in_identifier(part.removesuffix(".yml"))
        if what:
            yield on_file(PERSONAL_DATA, entry, variante="nom", nom=part, what=what)
            return


def _suspect_strings(data: Any) -> Iterator[tuple[tuple[str | int, ...], str, bool]]:
    """Every key and text of `data` that could hold personal data (`could_hold_personal_data`),
    with where it stands and whether it is a key, in document order, except the identifier fields
    of their own shape.

    A loop over a stack of iterators rather than one generator per value, and a path built only for
    a suspect text: a 120-line adhesion holds some 150 values, 50,000 adhesions 7 million."""
    if isinstance(data, str):
        if could_hold_personal_data(data):
            yield (), data, False
        return
    stack: list[tuple[tuple[str | int, ...], Iterator[tuple[Any, Any]]]] = []
    if isinstance(data, (dict, list)):
        stack.append(((), _children(data)))
    while stack:
        where, children = stack[-1]
        for key, child in children:
            if isinstance(key, str) and could_hold_personal_data(key):
                yield (*where, key), key, True
            if isinstance(child, str):
                if (
                    key not in IDENTIFIER_LENGTHS or not exempt(key, child)
                ) and could_hold_personal_data(child):
                    yield (*where, key), child, False
            elif isinstance(child, (dict, list)):
                stack.append(((*where, key), _children(child)))
                break
        else:
            stack.pop()


def _children(value: dict[str, Any] | list[Any]) -> Iterator[tuple[Any, Any]]:
    return iter(value.items()) if isinstance(value, dict) else enumerate(value)


def privacy_errors(register: Register) -> list[Finding]:
    """Every privacy finding of a register (the site refuses to publish when there is one)."""
    return [
        finding
        for entry in register.entries
        for finding in [*check(entry, register), *entry.findings]
        if finding.code == "donnee-personnelle"
    ]


def publication_refusal(register: Register) -> str | None:
    """Why the site must not be built from this register (personal data found), or None."""
    found = privacy_errors(register)
    if not found:
        return None
    listed = "; ".join(f"{f.path}, ligne {f.line}" for f in sorted(found)[:10])
    return (
        f"Publication refusée : {len(found)} donnée(s) personnelle(s) dans le registre ({listed}). "
        "Lancez `coop verifier` et retirez-les avant de construire le site."
    )
