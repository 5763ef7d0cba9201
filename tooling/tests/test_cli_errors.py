"""One error path (docs/developpeurs/architecture.md): the domain raises `CoopError`, a plain
exception that knows nothing of click; the command line shows « Erreur : … » on one line and
exits 2 (the command cannot run) or 1 (it refused its input), alike through the entry point
`cli.run()` and through click's standalone mode (`CliRunner`, as most tests call `coop`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO_ROOT
from coopps import errors
from coopps.cli import main

# name: (arguments given a scratch folder, exit status, start of the message)
FAILURES = {
    "cannot run": (
        lambda folder: ["statut", "--region", "84", "--racine", str(folder)],
        errors.CANNOT_RUN,
        "Erreur : « {folder} » n'est pas la racine d'un registre",
    ),
    "refused": (
        lambda folder: ["depuis-issue", str(folder / "absent.md"), "--racine", str(REPO_ROOT)],
        errors.REFUSED,
        "Erreur : Impossible de lire « {folder}/absent.md »",
    ),
}


def test_the_error_class_is_no_click_class():
    assert [cls.__name__ for cls in errors.CoopError.__mro__] == [
        "CoopError",
        "Exception",
        "BaseException",
        "object",
    ]
    error = errors.refused("Déjà là.")
    assert (error.message, str(error), error.exit_code) == ("Déjà là.", "Déjà là.", 1)


def test_the_pipeline_loads_without_click():
    program = "import sys, coopps.checker, coopps.errors; print('click' in sys.modules)"
    loaded = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert loaded.stdout == "False\n"


@pytest.mark.parametrize("name", FAILURES)
def test_the_entry_point_shows_the_error_and_its_status(name: str, tmp_path: Path):
    arguments, status, message = FAILURES[name]
    process = subprocess.run(
        [sys.executable, "-c", "from coopps.cli import run; run()", *arguments(tmp_path)],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert process.returncode == status
    assert process.stdout == ""
    assert (
        process.stderr.startswith(message.format(folder=tmp_path))
        and process.stderr.count("\n") == 1
    )


@pytest.mark.parametrize("name", FAILURES)
def test_click_standalone_shows_the_same(name: str, tmp_path: Path):
    arguments, status, message = FAILURES[name]
    result = CliRunner().invoke(main, arguments(tmp_path), catch_exceptions=False)
    assert result.exit_code == status
    assert result.stdout == ""
    assert (
        result.stderr.startswith(message.format(folder=tmp_path)) and result.stderr.count("\n") == 1
    )
