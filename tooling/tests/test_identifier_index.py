"""The identifier index: which adhesion files name an RPPS or ADELI number.

A targeted check (a pull request, a pre-commit hook) asks it instead of reading
every adhesion; its answers must always be those of reading every file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, git
from coopps.gitops import git as gitrepo
from coopps.identifier_index import adhesions_naming, index_file, numbers_in
from synth import write_register


def adhesion_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.glob("adhesions/*/*/*.yml"))


def member_numbers(path: Path) -> set[str]:
    """The RPPS and ADELI numbers of an adhesion, read as YAML (not by the index's own text scan)."""
    data = (
        yaml.load(path.read_bytes(), Loader=yaml.BaseLoader) or {}
    )  # BaseLoader: every scalar a string
    members = data.get("membres") or [] if isinstance(data, dict) else []
    return {
        str(m[key])
        for m in members
        if isinstance(m, dict)
        for key in ("rpps", "adeli")
        if m.get(key)
    }


def by_reading_every_file(root: Path, numbers: set[str]) -> set[str]:
    return {rel for rel in adhesion_files(root) if member_numbers(root / rel) & numbers}


def first_number(root: Path, rel: str) -> str:
    return sorted(member_numbers(root / rel))[0]


def index(root: Path) -> Path:
    found = index_file(root)
    assert found is not None
    return found


def indexed_commit(root: Path) -> str:
    with sqlite3.connect(index(root)) as db:
        return db.execute("SELECT commit_sha FROM indexed").fetchone()[0]


@pytest.fixture
def register(tmp_path: Path) -> Path:
    root = tmp_path / "r"
    write_register(root, REPO_ROOT / "schemas", 8, 40, seed=5)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "registre", date="2025-03-01")
    return root


def copy_member_into(root: Path, number: str, rel: str) -> None:
    """Renumber the first member of `rel` as `number`."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    own = first_number(root, rel)
    path.write_text(text.replace(f'"{own}"', f'"{number}"', 1), encoding="utf-8")


def test_numbers_are_found_however_the_yaml_quotes_them():
    text = b"\n".join(
        [
            b'  - rpps: "10000000001"',
            b"  - 'rpps': '10000000002'",
            b'  - {"adeli": 123456789, nom_exercice: "X"}',
            b"    rpps :   10000000003",
            b'    nom_exercice: "10000000009"',
        ]
    )
    assert numbers_in(text) == {"10000000001", "10000000002", "123456789", "10000000003"}


def test_the_index_answers_what_reading_every_file_answers(register):
    files = adhesion_files(register)
    numbers = {first_number(register, files[0]), first_number(register, files[7])}
    assert (
        adhesions_naming(register, numbers)
        == by_reading_every_file(register, numbers)
        >= {files[0], files[7]}
    )
    assert index(register).is_file()
    assert adhesions_naming(register, {"99999999999"}) == set()


def test_the_index_follows_new_commits_by_reading_only_what_they_change(register, monkeypatch):
    files = adhesion_files(register)
    number = first_number(register, files[0])
    adhesions_naming(register, {number})
    copy_member_into(register, number, files[3])
    (register / files[0]).unlink()
    git(register, "add", "-A")
    git(register, "commit", "-q", "-m", "suite", date="2025-04-01")

    def no_rebuild(*args: object) -> dict[str, str]:
        raise AssertionError("the index was rebuilt instead of updated")

    monkeypatch.setattr(gitrepo, "tree_blobs", no_rebuild)
    found = adhesions_naming(register, {number})
    assert (
        found == by_reading_every_file(register, {number})
        and files[3] in found
        and files[0] not in found
    )
    assert indexed_commit(register) == git(register, "rev-parse", "HEAD").strip()


def test_uncommitted_and_untracked_files_count(register):
    files = adhesion_files(register)
    number = first_number(register, files[0])
    copy_member_into(register, number, files[5])
    new = register / files[9].replace(".yml", "-nouvelle.yml")
    new.write_bytes((register / files[0]).read_bytes())
    (register / files[0]).unlink()
    found = adhesions_naming(register, {number})
    assert found == by_reading_every_file(register, {number})
    assert {files[5], new.relative_to(register).as_posix()} <= found and files[0] not in found


def test_a_pull_request_is_answered_from_its_base(register):
    files = adhesion_files(register)
    number = first_number(register, files[2])
    git(register, "checkout", "-q", "-b", "pr")
    copy_member_into(register, number, files[6])
    git(register, "commit", "-q", "-am", "pr", date="2025-04-01")
    pr = gitrepo.pull_request(register, "main")
    found = adhesions_naming(register, {number}, pr)
    assert found == by_reading_every_file(register, {number}) >= {files[2], files[6]}
    assert indexed_commit(register) == pr.base_sha


def test_a_damaged_index_is_built_again(register):
    files = adhesion_files(register)
    number = first_number(register, files[1])
    index(register).parent.mkdir(parents=True, exist_ok=True)
    index(register).write_bytes(b"ceci n'est pas une base sqlite" * 100)
    assert adhesions_naming(register, {number}) == by_reading_every_file(register, {number})
    assert indexed_commit(register) == git(register, "rev-parse", "HEAD").strip()


def test_an_index_of_a_vanished_commit_is_built_again(register):
    files = adhesion_files(register)
    number = first_number(register, files[1])
    adhesions_naming(register, {number})
    with sqlite3.connect(index(register)) as db:
        db.execute("UPDATE indexed SET commit_sha = ?", ("0123456789" * 4,))
        db.execute("DELETE FROM names")
    assert adhesions_naming(register, {number}) == by_reading_every_file(register, {number})


def test_outside_git_every_file_is_read(tmp_path):
    root = tmp_path / "r"
    write_register(root, REPO_ROOT / "schemas", 8, 40, seed=5)
    files = adhesion_files(root)
    number = first_number(root, files[4])
    assert adhesions_naming(root, {number}) == by_reading_every_file(root, {number}) >= {files[4]}
    assert not index(root).exists()
