"""No command writes through a symbolic link: the destination, or a folder between the register
root and it, being a link is refused with a French message (exit 1) and nothing is written."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopps.authoring.declaration import write_new_file
from coopps.cli import main
from coopps.errors import CoopError
from coopps.paths import write_atomically
from gitops_samples import REVIEWERS, base_files
from register_samples import ADHESION, ADHESION_PATH
from test_deployment import copy

ISSUE = (Path(__file__).parent / "data" / "issues" / "bonne-declaration.md").read_text(
    encoding="utf-8"
)


def coop(root: Path, *args: str):
    with contextlib.chdir(root):
        return CliRunner().invoke(main, [*args, "--racine", str(root)])


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the register, with one file a link could make a command overwrite."""
    folder = tmp_path / "ailleurs"
    folder.mkdir()
    (folder / "precieux").write_text("ne pas écraser\n", encoding="utf-8")
    return folder


def assert_refused(result, outside: Path) -> None:
    assert result.exit_code == 1, result.output
    assert "lien symbolique : rien n'a été écrit" in result.output
    assert sorted(p.name for p in outside.iterdir()) == ["precieux"]
    assert (outside / "precieux").read_text(encoding="utf-8") == "ne pas écraser\n"


@pytest.mark.parametrize("linked", ["folder", "file"])
def test_codeowners_does_not_write_through_a_link(scratch_register, outside, linked):
    root = scratch_register({**base_files(), "relecteurs.yml": REVIEWERS})
    if linked == "folder":
        (root / ".github").symlink_to(outside)
    else:
        (root / ".github").mkdir()
        (root / ".github/CODEOWNERS").symlink_to(outside / "precieux")
    assert_refused(coop(root, "proprietaires"), outside)


def test_deploiement_writes_none_of_its_files_when_one_is_a_link(tmp_path, outside):
    root = copy(tmp_path)
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text(encoding="utf-8").replace("registre-coop-ps", "ars-exemple"),
        encoding="utf-8",
    )
    (outside / "precieux").write_bytes((root / "relecteurs.yml").read_bytes())
    (root / "relecteurs.yml").unlink()
    (root / "relecteurs.yml").symlink_to(outside / "precieux")
    before = {p: p.read_bytes() for p in (root / ".github").rglob("*") if p.is_file()}
    result = coop(root, "deploiement")
    assert result.exit_code == 1 and "lien symbolique : rien n'a été écrit" in result.output
    assert "registre-coop-ps" in (outside / "precieux").read_text(encoding="utf-8")
    assert {p: p.read_bytes() for p in (root / ".github").rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("linked", ["folder", "file"])
def test_from_issue_results_are_not_written_through_a_link(
    scratch_register, tmp_path, outside, linked
):
    root = scratch_register({**base_files()}, with_shipped_protocols=True)
    issue = tmp_path / "issue.md"
    issue.write_text(ISSUE, encoding="utf-8")
    results = tmp_path / "resultat"
    if linked == "folder":
        results.symlink_to(outside)
    else:
        results.mkdir()
        (results / "etat.txt").symlink_to(outside / "precieux")
    before = sorted(p.relative_to(root).as_posix() for p in (root / "adhesions").rglob("*"))
    assert_refused(coop(root, "depuis-issue", str(issue), "--resultat", str(results)), outside)
    assert sorted(p.relative_to(root).as_posix() for p in (root / "adhesions").rglob("*")) == before


def test_a_new_file_is_not_written_into_a_linked_folder(scratch_register, outside):
    root = scratch_register(base_files())
    (root / "adhesions/11").symlink_to(outside)
    with pytest.raises(CoopError) as refused:
        write_new_file(root, "adhesions/11/nat-test/msp-a.yml", ADHESION)
    assert refused.value.exit_code == 1 and "adhesions/11" in refused.value.message
    assert sorted(p.name for p in outside.iterdir()) == ["precieux"]


def test_fmt_rewrites_a_file_atomically_and_never_through_a_linked_folder(
    scratch_register, outside
):
    root = scratch_register(base_files())
    messy = ADHESION.replace("date_declaration: 2024-03-12", "date_declaration:    '2024-03-12'")
    (root / ADHESION_PATH).write_text(messy, encoding="utf-8")
    result = coop(root, "formater")
    formatted = (root / ADHESION_PATH).read_text(encoding="utf-8")
    assert result.exit_code == 0 and formatted != messy, result.output
    assert [
        p.name for p in (root / ADHESION_PATH).parent.iterdir() if p.name.endswith(".tmp")
    ] == []
    (root / "adhesions/84/nat-test").rename(outside / "nat-test")
    (root / "adhesions/84/nat-test").symlink_to(outside / "nat-test")
    with pytest.raises(CoopError):
        write_atomically(root, root / ADHESION_PATH, messy)
    assert (outside / "nat-test/msp-a.yml").read_text(encoding="utf-8") == formatted
