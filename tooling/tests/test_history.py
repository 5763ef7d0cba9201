"""History as status: one pass over `git log --first-parent`, exact dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopps.gitops.history import IMPORT_FILES, Event, load_history, pr_number
from gitops_samples import (
    ADHESION,
    ADHESION_PATH,
    base_files,
    branch,
    commit,
    git,
    merge,
    with_suspension,
    write,
)
from register_samples import NATIONAL

NEW = "adhesions/84/nat-test/msp-c.yml"
PROTOCOL = "protocols/reg-84-suivi.yml"
DEPOSE = NATIONAL.replace(
    "portee: national", 'portee: regional\nregion: "84"\ndate_depot: 2023-01-05'
).replace("statut: autorise", "statut: depose")


@pytest.fixture
def repo(git_register) -> Path:
    """main: initial register (2024-01-02), PR #3 adds an adhesion (merged 2024-03-20),
    PR #4 suspends it (squash-merged 2024-09-01), a protocol moves through statuses."""
    root = git_register(base_files(), date="2024-01-02")
    branch(root, "msp-c")
    write(root, NEW, ADHESION)
    commit(root, "Déclaration MSP C", "2024-03-01")
    merge(root, "msp-c", 3, "2024-03-20")
    write(root, NEW, with_suspension(ADHESION, "2024-08-30"))
    commit(root, "Suspension de la MSP C (#4)", "2024-09-01")
    write(root, PROTOCOL, DEPOSE)
    commit(root, "Dépôt du protocole", "2024-10-01")
    write(root, PROTOCOL, DEPOSE.replace("statut: depose", "statut: en_instruction"))
    commit(root, "Instruction", "2024-11-02")
    write(root, NEW, ADHESION)
    commit(root, "Levée de la suspension (#5)", "2024-12-03")
    return root


def kinds(events: list[Event]) -> list[tuple[str, str, int | None]]:
    return [(e.date, e.kind, e.pr) for e in events]


def test_an_adhesion_timeline_has_exact_dates_and_pr_numbers(repo):
    history = load_history(repo)
    assert kinds(history.events(NEW)) == [
        ("2024-03-20", "ajout", 3),
        ("2024-09-01", "suspension", 4),
        ("2024-12-03", "levee-suspension", 5),
    ]
    events = history.events(NEW)
    assert events[0].detail == "Adhésion enregistrée (PR #3)"
    assert events[1].detail == "Adhésion suspendue par l'ARS à compter du 30/08/2024"
    assert events[0].commit == git(repo, "rev-parse", "main~4").strip()


def test_the_merge_date_is_the_activation_date_not_the_branch_commit(repo):
    added = load_history(repo).added(NEW)
    assert added is not None and (added.date, added.pr) == ("2024-03-20", 3)
    assert load_history(repo).added(ADHESION_PATH).date == "2024-01-02"


def test_protocol_status_changes_are_events_with_the_new_slug(repo):
    events = load_history(repo).events(PROTOCOL)
    assert [(e.date, e.kind, e.value) for e in events] == [
        ("2024-10-01", "ajout", None),
        ("2024-10-01", "statut", "depose"),
        ("2024-11-02", "statut", "en_instruction"),
    ]
    assert events[-1].detail == "Statut : en instruction"


def test_the_journal_is_newest_first_and_can_be_limited(repo):
    journal = load_history(repo).journal(limit=2)
    assert [(path, e.kind, e.date) for path, e in journal] == [
        (NEW, "levee-suspension", "2024-12-03"),
        (PROTOCOL, "statut", "2024-11-02"),
    ]
    assert len(load_history(repo).journal()) > 6


def test_renames_carry_the_timeline_along(repo):
    git(repo, "mv", NEW, "adhesions/84/nat-test/msp-d.yml")
    commit(repo, "Renommage", "2025-01-10")
    history = load_history(repo)
    events = history.events("adhesions/84/nat-test/msp-d.yml")
    assert [e.kind for e in events] == ["ajout", "suspension", "levee-suspension", "renommage"]
    assert (
        history.events(NEW) == []
        and history.added("adhesions/84/nat-test/msp-d.yml").date == "2024-03-20"
    )


def test_deletion_and_fin_are_events(repo):
    write(repo, NEW, ADHESION + "fin:\n  date: 2025-01-31\n  motif: Départ\n")
    commit(repo, "Fin", "2025-02-01")
    git(repo, "rm", "-q", ADHESION_PATH)
    commit(repo, "Retrait", "2025-02-02")
    history = load_history(repo)
    assert history.events(NEW)[-1].kind == "fin" and "31/01/2025" in history.events(NEW)[-1].detail
    assert history.events(ADHESION_PATH)[-1].kind == "suppression"
    assert ADHESION_PATH not in history.paths()


def test_a_branch_commit_not_merged_is_not_in_the_history_of_main(repo):
    branch(repo, "brouillon")
    write(repo, "adhesions/84/nat-test/msp-e.yml", ADHESION)
    commit(repo, "Brouillon", "2025-01-05")
    assert load_history(repo, "main").events("adhesions/84/nat-test/msp-e.yml") == []
    assert load_history(repo, "HEAD").added("adhesions/84/nat-test/msp-e.yml").date == "2025-01-05"


def test_outside_git_or_without_commits_history_is_empty(tmp_path):
    assert load_history(tmp_path).journal() == []
    git(tmp_path, "init", "-q")
    assert (
        load_history(tmp_path).events(NEW) == []
        and load_history(tmp_path, "nope").added(NEW) is None
    )


@pytest.mark.parametrize(
    ("subject", "number"),
    [
        ("Merge pull request #12 from org/branche", 12),
        ("Adhésion MSP des Tilleuls (#57)", 57),
        ("Registre initial", None),
    ],
)
def test_pr_numbers_come_from_merge_and_squash_titles(subject, number):
    assert pr_number(subject) == number


def test_the_first_commit_and_mass_changes_are_flagged_as_bulk(repo):
    history = load_history(repo)
    assert [e.bulk for e in history.events(ADHESION_PATH)] == [True]  # the register's first commit
    assert not any(e.bulk for e in history.events(NEW))  # a pull request's merge
    for number in range(IMPORT_FILES):
        write(repo, f"adhesions/84/nat-test/msp-import-{number:02d}.yml", ADHESION)
    commit(repo, "Import de l'historique", "2025-01-10")
    assert load_history(repo).events("adhesions/84/nat-test/msp-import-00.yml")[0].bulk


def test_suspension_and_fin_events_carry_the_date_the_file_gives(repo):
    write(repo, NEW, ADHESION + "fin:\n  date: 2025-01-31\n  motif: Départ\n")
    commit(repo, "Fin", "2025-02-01")
    events = load_history(repo).events(NEW)
    assert [(e.kind, e.date, e.value) for e in events if e.kind in ("suspension", "fin")] == [
        ("suspension", "2024-09-01", "2024-08-30"),
        ("fin", "2025-02-01", "2025-01-31"),
    ]
