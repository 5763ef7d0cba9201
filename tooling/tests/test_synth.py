"""`bench/synth.py`: deterministic, valid, marked synthetic, never written over a register."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO_ROOT, git
from coopps.checker import Options, validate
from coopps.errors import CoopError
from coopps.paths import iter_data_files
from synth import check_destination, write_register
from synth_git import git_history

SCHEMAS = REPO_ROOT / "schemas"


def synth(dest: Path, protocols: int = 40, adhesions: int = 150, seed: int = 7) -> Path:
    write_register(dest, SCHEMAS, protocols, adhesions, seed)
    return dest


def tree(root: Path) -> dict[str, bytes]:
    return {rel: (root / rel).read_bytes() for rel in iter_data_files(root)}


def test_the_same_seed_writes_the_same_bytes(tmp_path):
    first, second = synth(tmp_path / "a"), synth(tmp_path / "b")
    assert tree(first) == tree(second)
    assert tree(first) != tree(synth(tmp_path / "c", seed=8))


def test_the_register_validates_with_zero_findings(tmp_path):
    root = synth(tmp_path / "r")
    report = validate(Options(root=root))
    assert report.findings == []
    assert report.files_checked == 190


def test_it_covers_every_scope_status_and_the_ends_of_an_adhesion(tmp_path):
    root = synth(tmp_path / "r", protocols=60, adhesions=400)
    protocols = [
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in (root / "protocols").glob("*.yml")
    ]
    assert {p["portee"] for p in protocols} == {"national", "regional", "local"}
    assert {p["statut"] for p in protocols} == {
        "depose",
        "en_instruction",
        "avis_has",
        "autorise",
        "refuse",
        "arrete",
    }
    adhesions = [
        yaml.safe_load(p.read_text(encoding="utf-8"))
        for p in (root / "adhesions").glob("*/*/*.yml")
    ]
    assert len(adhesions) == 400
    assert any("fin" in a for a in adhesions) and any("suspension" in a for a in adhesions)
    sizes = [len(a["membres"]) for a in adhesions]
    assert min(sizes) >= 2 and max(sizes) <= 40 and max(sizes) > 10
    modes = {m["mode_exercice"] for a in adhesions for m in a["membres"]}
    assert {"liberal", "salarie_public"} <= modes
    assert all(a["equipe"]["nom"].endswith("(synthétique)") for a in adhesions)
    assert len({p.parent.parent.name for p in (root / "adhesions").glob("*/*/*.yml")}) >= 15


def test_it_refuses_a_non_empty_folder_and_the_shipped_register(tmp_path):
    (tmp_path / "plein").mkdir()
    (tmp_path / "plein" / "x.txt").write_text("x", encoding="utf-8")
    with pytest.raises(CoopError, match="pas un dossier vide"):
        check_destination(tmp_path / "plein")
    with pytest.raises(CoopError, match="dans le registre"):
        check_destination(REPO_ROOT / "registre-synthetique")
    check_destination(tmp_path / "nouveau")


def test_the_command_exits_2_with_a_french_message(tmp_path):
    (tmp_path / "x.txt").write_text("x", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(REPO_ROOT / "bench" / "synth.py"), str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert "Erreur : " in result.stderr and "dossier vide" in result.stderr


def test_the_git_history_has_a_pull_request_of_three_files(tmp_path):
    root = synth(tmp_path / "r")
    git_history(root, 7)
    assert git(root, "branch", "--show-current").strip() == "pr"
    assert len(git(root, "log", "--oneline", "main").splitlines()) >= 3
    assert len(git(root, "diff", "--name-only", "main...pr").splitlines()) == 3
    report = validate(Options(root=root, base="main"))
    assert report.errors == [] and report.files_checked == 3
