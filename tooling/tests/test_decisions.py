"""Decisions git does not hold (pull requests closed without merge), read from the
file the site workflow writes: untrusted data, every value checked."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopps.gitops.decisions import read_decisions

GOOD = {"pr": 12, "etat": "refusee", "date": "2026-12-05",
        "fichiers": ["adhesions/84/nat-x/msp-y.yml", "adhesions/84/nat-x/msp-y.suivi-2025.yml", "README.md"]}


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


@pytest.mark.parametrize("bad", [
    {**GOOD, "pr": "12"}, {**GOOD, "pr": True}, {**GOOD, "pr": 10**12}, {**GOOD, "pr": -1},
    {**GOOD, "etat": "acceptee"}, {**GOOD, "etat": ["refusee"]}, {**GOOD, "date": "05/12/2026"},
    {**GOOD, "date": "2026-12-05T10:00"}, {**GOOD, "fichiers": "adhesions/84/nat-x/msp-y.yml"},
    {**GOOD, "fichiers": ["adhesions/84/../../x.yml", "/adhesions/84/a/b.yml", "adhesions/84/a/B.yml"]},
    "texte", None, 12,
])
def test_anything_else_is_left_out(tmp_path, bad):
    assert read_decisions(write(tmp_path, {"decisions": [bad]})) == []


@pytest.mark.parametrize("raw", [b"", b"\xff\xfe", b"[", b"[]", b'{"decisions": 3}', b"[" * 100000])
def test_an_unreadable_file_gives_no_decision(tmp_path, raw):
    path = tmp_path / "decisions.json"
    path.write_bytes(raw)
    assert read_decisions(path) == []
    assert read_decisions(tmp_path / "absent.json") == []
