"""Shared material of the GitOps tests: the sample register as a real git
repository with a reviewers register, and helpers to run the CLI in it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from conftest import git
from coopps.cli import main
from register_samples import ADHESION, ADHESION_PATH, VALID_REGISTER

REVIEWERS = """\
mainteneurs:
  equipes: ["@org/mainteneurs"]
relecteurs_nationaux:
  equipes: ["@org/nationaux"]
regions:
  "84":
    equipes: ["@org/ars-84"]
    membres: [ars-84-instructrice]
  "11":
    equipes: ["@org/ars-11"]
    membres: [ars-11-instructeur]
"""

NEW_TEAM_PATH = "adhesions/84/nat-test/msp-b.yml"
NEW_TEAM = ADHESION.replace("MSP A (exemple fictif)", "MSP B (exemple fictif)")


def base_files() -> dict[str, str]:
    return {**VALID_REGISTER, "relecteurs.yml": REVIEWERS}


def write(root: Path, rel: str, text: str) -> None:
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def commit(root: Path, message: str, date: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message, date=date)


def branch(root: Path, name: str) -> None:
    git(root, "checkout", "-q", "-b", name)


def merge(root: Path, name: str, pr: int, date: str) -> None:
    """Merge `name` into main as GitHub's merge button does."""
    git(root, "checkout", "-q", "main")
    git(
        root,
        "merge",
        "-q",
        "--no-ff",
        name,
        "-m",
        f"Merge pull request #{pr} from equipe/{name}",
        date=date,
    )


def coop(root: Path, *args: str) -> Result:
    return CliRunner().invoke(main, [*args, "--racine", str(root)], catch_exceptions=False)


def validate_json(root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    result = coop(root, "verifier", "--format", "json", *args)
    return result.exit_code, json.loads(result.output)["findings"]


def codes(findings: list[dict[str, Any]]) -> list[str]:
    return sorted(f["code"] for f in findings)


def with_suspension(text: str, date: str = "2025-02-01") -> str:
    return text + f"suspension:\n  date: {date}\n  motif: Contrôle en cours\n"


GitRegister = Callable[..., Path]
__all__ = ["ADHESION", "ADHESION_PATH", "VALID_REGISTER", "git"]
