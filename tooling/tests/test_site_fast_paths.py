"""The site build's fast paths give the plain paths' answers: the privacy gate that checks
each distinct text once, and the CSV cell test that clears most cells at once."""

from __future__ import annotations

from typing import Any

import pytest

from coopps import csvsafe
from coopps.csvsafe import safe_cell
from coopps.personal import could_hold_personal_data
from coopps.register import Register
from coopps.rules.privacy import _suspect_strings, publication_refusal
from coopps.site.gate import collect_texts, refusal
from test_hostile import CASES, build_register


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_quick_privacy_gate_refuses_exactly_what_the_full_check_refuses(
    scratch_register: Any, case: Any
):
    register = Register.load(build_register(scratch_register, case))
    assert refusal(register) == publication_refusal(register)


def test_the_gate_reads_every_text_the_privacy_rule_reads(scratch_register: Any):
    refused = 0
    for case in CASES:
        register = Register.load(build_register(scratch_register, case))
        for entry in register.entries:
            texts: set[str] = set()
            collect_texts(entry.doc.data, texts)
            suspects = {text for text in texts if could_hold_personal_data(text)}
            assert suspects == {text for _, text, _ in _suspect_strings(entry.doc.data)}, (
                case.id,
                entry.path,
            )
        refused += refusal(register) is not None
    assert (
        refused >= 10
    )  # the corpus holds personal data in many shapes: the comparison is not idle


CELLS = [
    "",
    "2011-11",
    "11-0000000012",
    "-3",
    "-0.5",
    "12,5",
    " =1",
    "=1",
    "+33 1",
    "@SOMME(A1)",
    "-x",
    "Lyon; =1",
    "Lyon,+x",
    "Lyon ;  -x",
    "a\tb",
    "a\t=b",
    "\t",
    "\r",
    "x\n-y",
    "x\r\n@y",
    "x-y",
    "MSP (synthétique)",
    "Équipe ; suite",
    "a,b",
    " leading space",
    "é=1",
    "x;",
    ";=",
    "1-2-3",
    "-",
    "--1",
]


@pytest.mark.parametrize("value", CELLS)
def test_a_cell_cleared_at_once_is_one_the_plain_rule_leaves_alone(value: str):
    plain = (
        value
        if csvsafe._NUMBER.fullmatch(value) or not value
        else csvsafe._DANGER.sub(lambda match: match.group(1) + "'", value)
    )
    assert safe_cell(value) == plain


def test_the_csv_writer_s_quick_cell_test_writes_what_safe_cell_writes():
    import csv
    import io

    rows = [
        CELLS,
        [None, 3, -3, 0.5, True, "", "=1", None],
        *([cell, cell.upper(), None] for cell in CELLS),
    ]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [["a", "b"], *([safe_cell("" if cell is None else cell) for cell in row] for row in rows)]
    )
    assert csvsafe.write_csv(["a", "b"], rows) == out.getvalue()
    assert "'=1" in out.getvalue()  # the comparison holds a neutralised cell: it is not idle
