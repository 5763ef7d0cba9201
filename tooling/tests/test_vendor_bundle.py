"""The JavaScript the site vendors is the pinned packages, nothing else: regenerating it with
scripts/vendor-js.sh (esbuild, age-encryption, fflate and yaml at the versions of package-lock.json)
gives the committed bytes, licences included; and the site serves it from its own address."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from sitekit import REPO_ROOT

VENDOR = REPO_ROOT / "tooling" / "coopps" / "site" / "assets" / "vendor"
ESBUILD = REPO_ROOT / "node_modules" / ".bin" / "esbuild"

pytestmark = pytest.mark.skipif(
    shutil.which("npm") is None or not ESBUILD.exists(),
    reason="npm tools not installed (bash scripts/setup.sh test)",
)


def test_regenerating_the_bundle_gives_the_committed_bytes(tmp_path: Path) -> None:
    subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "vendor-js.sh"), str(tmp_path)],
        check=True,
        cwd=REPO_ROOT,
        capture_output=True,
    )
    for name in ("dossier-libs.min.js", "LICENCES.txt"):
        assert (tmp_path / name).read_bytes() == (VENDOR / name).read_bytes(), name


def test_the_bundled_packages_are_pinned_exactly() -> None:
    declared = json.loads((REPO_ROOT / "package.json").read_text(encoding="utf-8"))[
        "devDependencies"
    ]
    locked = json.loads((REPO_ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    for name in ("age-encryption", "fflate", "yaml", "esbuild"):
        assert declared[name] == locked[f"node_modules/{name}"]["version"], name
    assert declared["age-encryption"].startswith("0.3.")
    licences = (VENDOR / "LICENCES.txt").read_text(encoding="utf-8")
    for name in (
        "age-encryption",
        "@noble/ciphers",
        "@noble/curves",
        "@noble/hashes",
        "@scure/base",
        "fflate",
        "yaml",
    ):
        assert f"==== {name} {locked[f'node_modules/{name}']['version']} ====" in licences
