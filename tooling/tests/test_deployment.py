"""ONE place says where the register is deployed (mkdocs.yml); `coop deploiement` carries it
to the files that must spell it out, and `--verifier` fails when one drifts."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

from click.testing import CliRunner

from coopps.cli import main

ROOT = Path(__file__).resolve().parents[2]


def copy(tmp_path: Path) -> Path:
    root = tmp_path / "registre"
    for name in ("schemas", ".github"):
        shutil.copytree(ROOT / name, root / name)
    for name in ("mkdocs.yml", "relecteurs.yml"):
        shutil.copy(ROOT / name, root / name)
    (root / "protocols").mkdir()
    (root / "adhesions").mkdir()
    return root


def coop(root: Path, *args: str):
    with contextlib.chdir(root):
        return CliRunner().invoke(main, [*args, "--racine", str(root)], catch_exceptions=False)


def test_the_shipped_register_follows_mkdocs_yml():
    result = coop(ROOT, "deploiement", "--verifier")
    assert result.exit_code == 0, result.output
    assert (
        "Organisation : registre-coop-ps · dépôt : registre · site : https://registre-coop-ps.github.io/registre/"
        in result.output
    )


def test_moving_the_register_is_one_edit_and_one_command(tmp_path):
    root = copy(tmp_path)
    mkdocs = root / "mkdocs.yml"
    mkdocs.write_text(
        mkdocs.read_text(encoding="utf-8")
        .replace("https://registre-coop-ps.github.io/registre/", "https://coop.ars-exemple.fr/")
        .replace(
            "https://github.com/registre-coop-ps/registre", "https://github.com/ars-exemple/coop"
        ),
        encoding="utf-8",
    )
    drift = coop(root, "deploiement", "--verifier")
    assert drift.exit_code == 1 and "relecteurs.yml ne suit pas mkdocs.yml" in drift.output
    assert coop(root, "deploiement").exit_code == 0
    assert coop(root, "proprietaires").exit_code == 0
    assert coop(root, "deploiement", "--verifier").exit_code == 0
    assert coop(root, "proprietaires", "--verifier").exit_code == 0
    found = subprocess.run(
        ["grep", "-rl", "registre-coop-ps", str(root)], capture_output=True, text=True
    ).stdout
    assert found == "", found
    assert "@ars-exemple/ars-84" in (root / ".github" / "CODEOWNERS").read_text(encoding="utf-8")


def test_nothing_else_names_the_organisation():
    """Outside mkdocs.yml, only the files `coop deploiement` maintains (and tests, docs, generated CODEOWNERS)."""
    maintained = {
        "mkdocs.yml",
        "relecteurs.yml",
        ".github/CODEOWNERS",
        ".github/ISSUE_TEMPLATE/config.yml",
    }
    listed = subprocess.run(
        [
            "git",
            "-C",
            str(ROOT),
            "grep",
            "-l",
            "registre-coop-ps",
            "--",
            ".",
            ":!tooling/tests",
            ":!docs",
            ":!schemas/*.schema.json",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    assert set(listed) <= maintained, listed
