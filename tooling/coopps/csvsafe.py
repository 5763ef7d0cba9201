"""CSV cells that no spreadsheet runs as a formula.

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return as a formula (« CSV injection »). It may also split the file
on another separator than the one written: a French spreadsheet splits on `;`
a file written with `,`, so a cell `Lyon;=HYPERLINK(…)` becomes two cells,
the second a formula. Every text cell of every CSV export goes through
`safe_cell`, which puts a quote `'` before a formula start found at the start
of the cell or right after a separator-like character (`;`, `,`, tab, line
break), spaces in between included.
"""

from __future__ import annotations

import re
from typing import TypeVar

FORMULA_STARTS = "=+-@\t\r"
SEPARATORS = ";,\t\n\r"
_DANGER = re.compile(r"(?:^|(?<=[;,\t\n\r]))([ ]*)(?=[=+\-@\t\r])")
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
# A cell can only be dangerous if it starts with a space, a formula start or a separator, or holds a separator:
# one C-level test clears most cells (dates « 2024-05 », identifiers « 11-0000000012 », names).
_SAFE_START = re.compile(r"[^ =+\-@;,\t\n\r][^;,\t\n\r]*")

T = TypeVar("T")


def safe_cell(value: T) -> T | str:
    """`value` unchanged unless it is text a spreadsheet could run; then neutralised with `'`.
    A plain negative number (`-3`, `-0.5`) stays a number."""
    if not isinstance(value, str) or not value or _SAFE_START.fullmatch(value) or _NUMBER.fullmatch(value):
        return value
    if not any(char in value for char in FORMULA_STARTS):
        return value
    return _DANGER.sub(lambda match: match.group(1) + "'", value)
