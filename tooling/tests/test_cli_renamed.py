"""The CLI speaks French: every command and option has a French name, the old English spelling
still works and says the new one on stderr in one French line, and nothing in the repository
(workflows, scripts, docs, tests, messages) still writes an old spelling
(`scripts/rename_cli.py` rewrites them)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import REPO_ROOT
from coopps.cli import COMMANDS as CURRENT
from coopps.cli import main
from coopps.cli.renamed import COMMANDS, OPTIONS
from register_samples import VALID_REGISTER

sys.path.insert(0, str(REPO_ROOT / "scripts"))
from rename_cli import rewrite, tracked_files


def coop(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from coopps.cli import run; run()", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_every_command_has_a_french_name_and_the_old_one_is_not_listed() -> None:
    assert set(COMMANDS.values()) <= set(CURRENT)
    assert not set(COMMANDS) & set(CURRENT)
    listing = CliRunner().invoke(main, ["--help"]).output
    assert all(f"  {new} " in listing for new in COMMANDS.values())
    assert not any(f"  {old} " in listing for old in COMMANDS)


@pytest.mark.parametrize(("old", "new"), sorted(COMMANDS.items()))
def test_an_old_command_name_still_works_and_says_the_new_one(old: str, new: str) -> None:
    shown = coop(old, "--help")
    assert shown.returncode == 0, shown.stderr
    assert shown.stderr == f"« coop {old} » s'appelle désormais « coop {new} ».\n"
    assert shown.stdout == coop(new, "--help").stdout  # the new command's own help


def test_old_options_still_work_and_each_says_its_new_name(scratch_register) -> None:
    root = scratch_register(VALID_REGISTER)
    old = coop("validate", "--draft", "--root", str(root))
    new = coop("verifier", "--brouillon", "--racine", str(root))
    assert (old.returncode, old.stdout) == (new.returncode, new.stdout) == (0, new.stdout)
    assert new.stderr == ""
    assert old.stderr.splitlines() == [
        "« coop validate » s'appelle désormais « coop verifier ».",
        "« --draft » s'appelle désormais « --brouillon ».",
        "« --root » s'appelle désormais « --racine ».",
    ]


def test_an_option_value_that_looks_like_an_old_option_is_left_alone(scratch_register) -> None:
    """After `--`, or as the value of an option, a word is data: a file named `--root` stays so."""
    root = scratch_register(VALID_REGISTER)
    result = coop("verifier", "--racine", str(root), "--", "--root")
    assert "s'appelle désormais" not in result.stderr
    assert "« --root »" in result.stderr + result.stdout  # a path, refused as such


def test_the_rename_script_rewrites_the_usual_spellings() -> None:
    shell = (
        "coop validate --draft --root pr\ncoop new adhesion\ncoop fmt --check\n"
        "args+=(--draft)\nruff format --check x\ngit log --root\n"
    )
    assert rewrite(shell, python=False) == (
        "coop verifier --brouillon --racine pr\ncoop nouveau adhesion\ncoop formater --verifier\n"
        "args+=(--brouillon)\nruff format --check x\ngit log --root\n"
    )
    assert rewrite(
        'invoke(main, ["validate", "--root", str(root)])\nx.get("status", 1)\n', python=True
    ) == ('invoke(main, ["verifier", "--racine", str(root)])\nx.get("status", 1)\n')
    assert rewrite("--protocole et --protocol\n", python=False) == "--protocole et --protocole\n"
    assert rewrite(rewrite("coop stats", python=False), python=False) == "coop chiffres"


def test_no_tracked_file_still_writes_an_old_spelling() -> None:
    """What the script would change: nothing (run `scripts/rename_cli.py` after a merge)."""
    stale = []
    for rel in tracked_files(everything=False):
        text = (REPO_ROOT / rel).read_text(encoding="utf-8", errors="replace")
        if rewrite(text, rel.endswith(".py")) != text:
            stale.append(rel)
    assert stale == []


def test_the_new_names_are_french_and_short() -> None:
    assert all(len(new) <= 18 and new.isascii() for new in [*COMMANDS.values(), *OPTIONS.values()])
    assert OPTIONS == {
        "--root": "--racine",
        "--draft": "--brouillon",
        "--check": "--verifier",
        "--stdout": "--sortie-standard",
        "--slug": "--identifiant",
        "--protocol": "--protocole",
    }
