"""`coop codeowners`: CODEOWNERS generated from the reviewers register, and
the drift check CI runs."""

from __future__ import annotations

import subprocess
import sys

from coopps.gitops.codeowners import HEADER, render_codeowners
from coopps.gitops.reviewers import load_reviewers
from gitops_samples import REVIEWERS, base_files, coop


def test_the_reviewers_register_routes_each_folder(scratch_register):
    root = scratch_register(base_files())
    text = render_codeowners(load_reviewers(root))
    assert text.startswith(HEADER)
    assert text.splitlines()[4:] == [
        "* @org/mainteneurs",
        "/protocols/ @org/nationaux",
        "/adhesions/11/ @org/ars-11",
        "/adhesions/84/ @org/ars-84",
        "/relecteurs.yml @org/mainteneurs",
        "/schemas/ @org/mainteneurs",
        "/tooling/ @org/mainteneurs",
        "/.github/ @org/mainteneurs",
    ]
    assert load_reviewers(root).is_region_reviewer("84", "@ARS-84-instructrice")
    assert not load_reviewers(root).is_region_reviewer("11", "ars-84-instructrice")


def test_codeowners_is_written_then_checked(scratch_register):
    root = scratch_register(base_files())
    assert coop(root, "codeowners", "--check").exit_code == 1
    assert coop(root, "codeowners").exit_code == 0
    assert coop(root, "codeowners", "--check").exit_code == 0
    assert "@org/ars-84" in (root / ".github/CODEOWNERS").read_text(encoding="utf-8")


def test_drift_fails_with_a_french_message(scratch_register):
    root = scratch_register(base_files())
    coop(root, "codeowners")
    (root / "relecteurs.yml").write_text(REVIEWERS.replace("@org/ars-84", "@org/ars-auvergne-rhone-alpes"), encoding="utf-8")
    process = subprocess.run(
        [sys.executable, "-c", "from coopps.cli import run; run()", "codeowners", "--check", "--root", str(root)],
        capture_output=True, text=True,
    )
    assert process.returncode == 1
    assert "ne correspond plus à relecteurs.yml" in process.stderr and "Lancez `coop codeowners`" in process.stderr


def test_a_broken_reviewers_register_is_a_french_error(scratch_register):
    root = scratch_register({**base_files(), "relecteurs.yml": "regions:\n  '84':\n    equipes: [ars-84]\n"})
    process = subprocess.run(
        [sys.executable, "-c", "from coopps.cli import run; run()", "codeowners", "--root", str(root)],
        capture_output=True, text=True,
    )
    assert process.returncode == 2 and "@organisation/equipe" in process.stderr and "Traceback" not in process.stderr


def test_the_shipped_codeowners_matches_the_shipped_register(repo_root):
    assert coop(repo_root, "codeowners", "--check").exit_code == 0
    reviewers = load_reviewers(repo_root)
    assert len(reviewers.regions) == 18 and reviewers.region("84").owners == ("@registre-coop-ps/ars-84",)
