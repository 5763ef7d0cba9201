"""Shared fixtures: the shipped register, scratch registers, and real git
repositories in temporary folders with author and committer pinned."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(
    0, str(REPO_ROOT / "bench")
)  # the synthetic-register generator lives beside the benchmark
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Équipe de test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Équipe de test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


@pytest.fixture(autouse=True)
def _pinned_git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)


@pytest.fixture(autouse=True)
def _private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's cache and identifier index in its own folder, never in ~/.cache."""
    monkeypatch.setenv("COOP_CACHE_DIR", str(tmp_path / "cache-coop"))


@pytest.fixture
def repo_root() -> Path:
    """The register shipped in this repository."""
    return REPO_ROOT


@pytest.fixture
def scratch_register(tmp_path: Path) -> Callable[[dict[str, str]], Path]:
    """Build a register in a temporary folder: the real schemas plus the given
    files ({relative path: YAML text}). Returns its root."""

    def build(files: dict[str, str], *, with_shipped_protocols: bool = False) -> Path:
        root = tmp_path / "registre"
        shutil.copytree(REPO_ROOT / "schemas", root / "schemas", dirs_exist_ok=True)
        (root / "protocols").mkdir(exist_ok=True)
        (root / "adhesions").mkdir(exist_ok=True)
        if with_shipped_protocols:
            shutil.copytree(REPO_ROOT / "protocols", root / "protocols", dirs_exist_ok=True)
        for rel, text in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        return root

    return build


def git(root: Path, *args: str, date: str | None = None) -> str:
    """Run git in `root`; `date` (ISO) pins author and committer dates."""
    env = {**os.environ, **GIT_ENV}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env, check=True
    )
    return result.stdout


@pytest.fixture
def git_register(scratch_register: Callable[..., Path]) -> Callable[..., Path]:
    """A scratch register that is a git repository with one initial commit on `main`."""

    def build(files: dict[str, str], *, date: str = "2024-01-02", **kwargs: bool) -> Path:
        root = scratch_register(files, **kwargs)
        git(root, "init", "-q", "-b", "main")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "Registre initial", date=date)
        return root

    return build


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Debian's chromium for the browser tests: one per test module (a browser kept for the whole
    session would still be open when the next module of the same worker starts its own)."""
    from sitekit import chromium_browser

    with chromium_browser() as launched:
        yield launched
