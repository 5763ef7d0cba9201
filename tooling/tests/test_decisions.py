"""Decisions git does not hold (pull requests closed without merge), read from the
file the site workflow writes: untrusted data, every value checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopps.gitops.decisions import read_decisions

GOOD = {
    "pr": 12,
    "etat": "refusee",
    "date": "2026-12-05",
    "fichiers": [
        "adhesions/84/nat-x/msp-y.yml",
        "adhesions/84/nat-x/msp-y.suivi-2025.yml",
        "README.md",
    ],
}


def write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_refused_declaration_is_a_dated_journal_event_of_its_adhesion_only(tmp_path):
    [event] = read_decisions(write(tmp_path, {"decisions": [GOOD]}))
    assert (event.date, event.path, event.pr) == ("2026-12-05", "adhesions/84/nat-x/msp-y.yml", 12)
    assert event.label == "Déclaration refusée par l'ARS (PR #12)"


def test_classee_sans_suite_has_its_own_words(tmp_path):
    [event] = read_decisions(write(tmp_path, {"decisions": [{**GOOD, "etat": "sans-suite"}]}))
    assert event.label == "Déclaration classée sans suite par l'ARS (PR #12)"


@pytest.mark.parametrize(
    "bad",
    [
        {**GOOD, "pr": "12"},
        {**GOOD, "pr": True},
        {**GOOD, "pr": 10**12},
        {**GOOD, "pr": -1},
        {**GOOD, "etat": "acceptee"},
        {**GOOD, "etat": ["refusee"]},
        {**GOOD, "date": "05/12/2026"},
        {**GOOD, "date": "2026-12-05T10:00"},
        {**GOOD, "fichiers": "adhesions/84/nat-x/msp-y.yml"},
        {
            **GOOD,
            "fichiers": [
                "adhesions/84/../../x.yml",
                "/adhesions/84/a/b.yml",
                "adhesions/84/a/B.yml",
            ],
        },
        "texte",
        None,
        12,
    ],
)
def test_anything_else_is_left_out(tmp_path, bad):
    assert read_decisions(write(tmp_path, {"decisions": [bad]})) == []


@pytest.mark.parametrize("raw", [b"", b"\xff\xfe", b"[", b"[]", b'{"decisions": 3}', b"[" * 100000])
def test_an_unreadable_file_gives_no_decision(tmp_path, raw):
    path = tmp_path / "decisions.json"
    path.write_bytes(raw)
    assert read_decisions(path) == []
    assert read_decisions(tmp_path / "absent.json") == []


def test_the_region_dashboard_counts_instructions_refusals_and_closures(git_register, tmp_path):
    """Merged declarations are instructed; closed ones come from the decisions file."""
    from coopps.gitops.decisions import read_decisions as decisions_of
    from coopps.gitops.history import load_history
    from coopps.register import Register
    from coopps.stats.facts import Scope, collect
    from coopps.stats.figures import figures
    from gitops_samples import NEW_TEAM, NEW_TEAM_PATH, base_files, commit
    from gitops_samples import write as write_file

    root = git_register(base_files())  # the register's first commit: no instruction
    write_file(root, NEW_TEAM_PATH, NEW_TEAM)
    commit(root, "Déclaration instruite", "2025-03-04")
    closed = decisions_of(
        write(
            tmp_path,
            {
                "decisions": [
                    {**GOOD, "fichiers": ["adhesions/84/nat-test/msp-z.yml"]},
                    {
                        **GOOD,
                        "pr": 13,
                        "etat": "sans-suite",
                        "fichiers": ["adhesions/84/nat-test/msp-w.yml"],
                    },
                ]
            },
        )
    )
    facts = collect(Register.load(root), load_history(root, "HEAD"), "2026-12-07", closed)
    table = figures(facts, Scope(region="84"))["decisions-par-annee"]
    assert table.rows == [(2025, 1, 0, 0), (2026, 0, 1, 1)]
    assert figures(facts, Scope(region="11"))["decisions-par-annee"].rows == []
