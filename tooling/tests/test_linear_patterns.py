"""Patterns applied to data read each input in linear time: inputs that made a backtracking
pattern hang (seconds to minutes) are read here in well under a second."""

from __future__ import annotations

import time
from collections.abc import Callable

from coopps.authoring.from_issue import sections
from coopps.reading import SCHEMA_HEADER, read_bytes

BUDGET_SECONDS = (
    2.0  # the inputs below took 28 s to 47 s (yamlguards) and 9 s (issue heading) before
)


def _seconds(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def test_a_line_of_bangs_before_200_kb_is_read_fast():
    text = f"{SCHEMA_HEADER}x\n" + "!" * 13 + "a" * 200_000 + "\n"
    assert (
        _seconds(lambda: read_bytes("adhesions/84/nat-test/msp-a.yml", text.encode()))
        < BUDGET_SECONDS
    )


def test_a_line_of_anchors_before_200_kb_is_read_fast():
    text = f"{SCHEMA_HEADER}x\n" + "&a" * 13 + "-" * 200_000 + "\n"
    assert (
        _seconds(lambda: read_bytes("adhesions/84/nat-test/msp-a.yml", text.encode()))
        < BUDGET_SECONDS
    )


def test_an_issue_heading_with_a_long_run_of_spaces_is_read_fast():
    body = "### Nom de l'équipe" + " " * 60_000 + "x\n\nMSP\n"
    assert _seconds(lambda: sections(body)) < BUDGET_SECONDS


def test_a_long_table_rule_is_read_fast():
    body = "### Membres\n\n|" + " :---:  |" * 60_000 + "x\n"
    assert _seconds(lambda: sections(body)) < BUDGET_SECONDS
