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

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

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
    if (
        not isinstance(value, str)
        or not value
        or _SAFE_START.fullmatch(value)
        or _NUMBER.fullmatch(value)
    ):
        return value
    if not any(char in value for char in FORMULA_STARTS):
        return value
    return _DANGER.sub(lambda match: match.group(1) + "'", value)


def write_csv(
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ",",
    line_end: str = "\n",
    bom: bool = False,
) -> str:
    """The one CSV writer of the project: a header row, then every cell through `safe_cell`.
    `None` is an empty cell. French spreadsheets want `delimiter=";"`, `line_end="\r\n"`, `bom=True`."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(columns)
    writer.writerows([_safe_or_empty(cell) for cell in row] for row in rows)
    return ("\ufeff" if bom else "") + out.getvalue()


def _safe_or_empty(cell: Any) -> Any:
    """`safe_cell(cell)`, `None` as an empty cell; the common safe text is answered without the full test."""
    if cell is None:
        return ""
    if cell.__class__ is str and _SAFE_START_MATCH(cell):
        return cell
    return safe_cell(cell)


_SAFE_START_MATCH = _SAFE_START.fullmatch
