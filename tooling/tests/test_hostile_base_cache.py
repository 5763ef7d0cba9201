"""Hostile corpus, second half: the cache and the identifier index, two runs at once
(the first half, paths and rules from the base, is test_hostile_base.py; what each family
guards: docs/developpeurs/corpus-hostile-base.md)."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from coopps.cache import cache_folder
from gitops_samples import branch, commit, git, with_suspension, write
from register_samples import ADHESION, ADHESION_PATH, RPPS_DELEGANT, VALID_REGISTER
from test_hostile_base import (
    ADHESION_SCHEMA,
    PHONE,
    edit_json,
    found,
    line_of,
    register,
    repo,
    run,
    run_json,
)

COOP = shutil.which("coop", path=str(Path(sys.executable).parent)) or "coop"
__all__ = ["register", "repo"]  # fixtures shared with the first half


# # The cache and the identifier index -----------------------------------------------------------------


def with_phone(root: Path) -> None:
    write(root, ADHESION_PATH, ADHESION.replace("    nom_exercice: Fictif", PHONE))


def test_a_committed_pickle_is_never_loaded(git_register, tmp_path):
    marker = tmp_path / "code-execute"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (os.system, (f"touch {marker}",))

    root = git_register(VALID_REGISTER)
    branch(root, "pr")
    for name in ("couches-0123456789abcdef.pickle", "identifiants-v1.sqlite"):
        (root / ".cache" / "coop").mkdir(parents=True, exist_ok=True)
        (root / ".cache" / "coop" / name).write_bytes(pickle.dumps({"adhesion:x": Payload()}))
    git(root, "add", "-f", ".cache")
    commit(root, "Cache piégé", "2025-02-01")
    with_phone(root)
    for args in ((), ("--base", "main"), (ADHESION_PATH,)):
        code, findings = run_json(root, *args)
        assert code == 1 and found(findings, "donnee-personnelle"), args
    assert not marker.exists()


def test_the_cache_lives_outside_the_register(register):
    run(register)
    assert not (register / ".cache").exists()
    folder = cache_folder(register)
    assert folder is not None and list(folder.glob("couches-*.sqlite"))


def test_a_cache_folder_inside_the_register_is_refused(register, monkeypatch):
    monkeypatch.setenv("COOP_CACHE_DIR", str(register / ".cache" / "coop"))
    assert cache_folder(register) is None
    with_phone(register)
    assert run_json(register)[0] == 1
    assert run_json(register)[0] == 1
    assert not (register / ".cache").exists()


def cached_rows(root: Path) -> tuple[Path, list[tuple[str, str]]]:
    folder = cache_folder(root)
    assert folder is not None
    (database,) = folder.glob("couches-*.sqlite")
    with sqlite3.connect(database) as db:
        return database, list(db.execute("SELECT key, value FROM layers"))


def test_a_row_that_is_not_plain_layers_is_a_miss(register):
    with_phone(register)
    assert run_json(register)[0] == 1
    database, rows = cached_rows(register)
    with sqlite3.connect(database) as db:
        db.executemany(
            "UPDATE layers SET value = ? WHERE key = ?", (("[1, 2]", key) for key, _ in rows)
        )
    code, findings = run_json(register)
    assert code == 1 and found(findings, "donnee-personnelle")[0]["line"] == line_of(
        ADHESION.replace("    nom_exercice: Fictif", PHONE), "Fictif 06"
    )


@pytest.mark.parametrize("damage", ["tronque", "zeros", "texte"])
def test_a_damaged_cache_is_ignored_then_rebuilt(register, damage):
    with_phone(register)
    expected = run_json(register)
    database, _ = cached_rows(register)
    raw = database.read_bytes()
    database.write_bytes(
        {
            "tronque": raw[: len(raw) // 3],
            "zeros": b"\0" * len(raw),
            "texte": b"ceci n'est pas une base sqlite\n" * 50,
        }[damage]
    )
    assert run_json(register) == expected
    assert run_json(register) == expected
    assert cached_rows(register)[1]


def test_the_cache_follows_the_bytes_and_the_rules(register):
    assert run_json(register) == (0, [])
    with_phone(register)
    assert found(run_json(register)[1], "donnee-personnelle")
    edit_json(
        register,
        ADHESION_SCHEMA,
        lambda d: d["properties"]["equipe"]["properties"]["nom"].update(maxLength=5),
    )
    assert found(run_json(register)[1], "valeur-hors-limites")


def test_a_forged_index_in_the_work_tree_cannot_hide_a_spelling(git_register):
    root = git_register(VALID_REGISTER)
    branch(root, "pr")
    (root / ".cache" / "coop").mkdir(parents=True)
    with sqlite3.connect(root / ".cache" / "coop" / "identifiants-v1.sqlite") as db:
        db.executescript(
            "CREATE TABLE indexed (commit_sha TEXT); CREATE TABLE names (number TEXT, path TEXT);"
        )
        db.execute("INSERT INTO indexed VALUES (?)", (git(root, "rev-parse", "HEAD").strip(),))
    write(
        root,
        "adhesions/84/nat-test/msp-b.yml",
        ADHESION.replace("MSP A", "MSP B").replace("    prenom: Camille", "    prenom: Zoé"),
    )
    commit(root, "Équipe B", "2025-02-01")  # commits the forged index too
    code, findings = run_json(root, "--base", "main")
    (committed,) = found(findings, "outillage-reserve-mainteneurs")
    assert code == 1 and committed["path"] == ".cache/coop/identifiants-v1.sqlite"
    (spelling,) = found(findings, "rpps-orthographe")
    assert (
        spelling["path"] == "adhesions/84/nat-test/msp-b.yml"
        and RPPS_DELEGANT in spelling["message"]
    )
    assert "« Camille Exemple » ailleurs (adhesions/84/nat-test/msp-a.yml)" in spelling["message"]


# Two runs at once -----------------------------------------------------------------------------------


def spawn(root: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [COOP, "verifier", "--racine", str(root), "--format", "json", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COOP_DEBUG": ""},
    )


def both(processes: list[subprocess.Popen[str]]) -> list[tuple[int, Any]]:
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert "Traceback" not in err and "Erreur interne" not in err, err
        results.append((process.returncode, json.loads(out)["findings"]))
    return results


def test_two_full_runs_at_once_both_answer_right(register):
    with_phone(register)
    first, second = both([spawn(register), spawn(register)])
    assert first == second and first[0] == 1 and found(first[1], "donnee-personnelle")
    assert both([spawn(register)]) == [first]


def test_two_pull_request_checks_at_once_both_answer_right(repo):
    write(repo, ADHESION_PATH, with_suspension(ADHESION))
    commit(repo, "Suspension", "2025-02-01")
    first, second = both([spawn(repo, "--base", "main"), spawn(repo, "--base", "main")])
    assert first == second and first[0] == 1 and found(first[1], "suspension-reservee-ars")
