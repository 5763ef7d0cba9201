"""Each check is declared once (`checks.Check`), and what derives from the
declarations agrees with them: which rules run on which files, which files a
targeted run loads, the words of the issue form and of the declaration page;
a finding is data (key path and parameters) its message is rendered from."""

from __future__ import annotations

import pytest

from coopps import rules
from coopps.checker import Options, validate
from coopps.checks import CONSULTED, KINDS
from coopps.rules import CHECKS, CONSULTED_BY_KIND, RULES_BY_KIND
from coopps.rules.registry import EVERY_FILE, REGISTERED
from coopps.site.declaration import check_words
from test_checks import CASES, register_with

RULE_CODES = {check.code for item in REGISTERED for check in item.checks}


def test_every_check_of_a_rule_applies_to_the_kinds_its_rules_judge():
    for item in REGISTERED:
        for check in item.checks:
            assert item.kind == EVERY_FILE or item.kind in check.kinds, (check.code, item.kind)
    for code in RULE_CODES:
        judged = {item.kind for item in REGISTERED if CHECKS[code] in item.checks}
        assert judged == {EVERY_FILE} or set(CHECKS[code].kinds) == judged, code


def test_the_rules_of_each_kind_derive_from_the_registrations():
    assert set(RULES_BY_KIND) == set(KINDS)
    for kind, functions in RULES_BY_KIND.items():
        assert {item.function for item in REGISTERED if item.kind == kind} == set(functions)
    assert CONSULTED_BY_KIND["adhesion"] == {"protocole", "membres"}
    assert CONSULTED_BY_KIND["suivi"] == {"protocole", "adhesion"}
    assert set().union(*CONSULTED_BY_KIND.values()) == set(CONSULTED)


def test_the_registry_lists_every_family_once():
    assert [family.__name__ for family in rules.FAMILIES] == sorted(
        {item.function.__module__ for item in REGISTERED}, key=rules._FAMILY_NAMES.index
    )
    assert len(CHECKS) == len({check.code for check in CHECKS.values()})


@pytest.mark.parametrize("case", [c for c in CASES if c.code in RULE_CODES], ids=lambda c: c.id)
def test_a_rule_finding_is_its_key_path_and_parameters(scratch_register, case):
    """The message is rendered from the parameters, the line is the key path's: nothing in
    the message that the data does not carry."""
    root = register_with(scratch_register, case)
    findings = [f for f in validate(Options(root=root)).findings if f.code in RULE_CODES]
    assert findings
    for finding in findings:
        assert CHECKS[finding.code].render(finding.params) == finding.message
        if finding.key:
            assert finding.line >= 1 and finding.key[0] in case.content_text, finding


def test_the_declaration_page_speaks_the_declared_words():
    words = check_words()
    assert set(words) == {code for code, check in CHECKS.items() if check.form is not None}
    assert words["role-manquant"]["phrase"] == CHECKS["role-manquant"].form
