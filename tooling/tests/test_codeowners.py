"""`coop proprietaires`: CODEOWNERS generated from the reviewers register, and
the drift check CI runs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coopps.gitops.codeowners import HEADER, render_codeowners
from coopps.gitops.reviewers import load_reviewers
from gitops_samples import REVIEWERS, base_files, coop, validate_json


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
    assert coop(root, "proprietaires", "--verifier").exit_code == 1
    assert coop(root, "proprietaires").exit_code == 0
    assert coop(root, "proprietaires", "--verifier").exit_code == 0
    assert "@org/ars-84" in (root / ".github/CODEOWNERS").read_text(encoding="utf-8")


def test_drift_fails_with_a_french_message(scratch_register):
    root = scratch_register(base_files())
    coop(root, "proprietaires")
    (root / "relecteurs.yml").write_text(
        REVIEWERS.replace("@org/ars-84", "@org/ars-auvergne-rhone-alpes"), encoding="utf-8"
    )
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            "from coopps.cli import run; run()",
            "proprietaires",
            "--verifier",
            "--racine",
            str(root),
        ],
        capture_output=True,
        text=True,
    )
    assert process.returncode == 1
    assert (
        "ne correspond plus à relecteurs.yml" in process.stderr
        and "Lancez `coop proprietaires`" in process.stderr
    )


def test_a_broken_reviewers_register_is_a_french_error(scratch_register):
    root = scratch_register(
        {**base_files(), "relecteurs.yml": "regions:\n  '84':\n    equipes: [ars-84]\n"}
    )
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            "from coopps.cli import run; run()",
            "proprietaires",
            "--racine",
            str(root),
        ],
        capture_output=True,
        text=True,
    )
    assert (
        process.returncode == 2
        and "@organisation/equipe" in process.stderr
        and "Traceback" not in process.stderr
    )


def test_the_shipped_codeowners_matches_the_shipped_register(repo_root):
    assert coop(repo_root, "proprietaires", "--verifier").exit_code == 0
    reviewers = load_reviewers(repo_root)
    assert len(reviewers.regions) == 18 and reviewers.region("84").owners == (
        "@registre-coop-ps/ars-84",
    )


# --- every entry is a GitHub owner or login, checked strictly ------------------------------------------

BAD_MEMBERS = [
    '"ars-84 instructrice"',
    '"-ars84"',
    '"ars--84"',
    '"' + "x" * 40 + '"',
    '"ars-84\\ninstructrice"',
    '"ars-84\\u0007"',
    '"arsé"',
    '"ars-84\\u202e"',
]
BAD_TEAMS = [
    '"@org/ars 84"',
    '"@org//ars-84"',
    '"org/ars-84"',
    '"@org/ars-84\\n* @pirate"',
    '"@-org/ars-84"',
]


def _with_member(value: str) -> str:
    return REVIEWERS.replace(
        "membres: [ars-84-instructrice]", f"membres: [ars-84-instructrice, {value}]"
    )


def _with_team(value: str) -> str:
    return REVIEWERS.replace('equipes: ["@org/ars-84"]', f'equipes: ["@org/ars-84", {value}]')


def _line(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize(
    "text,needle",
    [(_with_member(v), "membres: [ars-84-instructrice,") for v in BAD_MEMBERS]
    + [(_with_team(v), 'equipes: ["@org/ars-84",') for v in BAD_TEAMS],
)
def test_a_bad_reviewer_entry_is_a_finding(scratch_register, text, needle):
    root = scratch_register({**base_files(), "relecteurs.yml": text})
    exit_code, findings = validate_json(root)
    assert exit_code == 1 and {f["path"] for f in findings} == {"relecteurs.yml"}
    (invalid,) = [f for f in findings if f["code"] == "relecteur-invalide"]
    assert invalid["line"] == _line(text, needle) and invalid["severity"] == "error"
    assert "\n" not in invalid["message"] and "\u202e" not in invalid["message"]


@pytest.mark.parametrize("text", [_with_member(BAD_MEMBERS[0]), _with_team(BAD_TEAMS[3])])
def test_codeowners_refuses_a_bad_reviewer_entry_and_writes_nothing(scratch_register, text):
    root = scratch_register({**base_files(), "relecteurs.yml": text})
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            "from coopps.cli import run; run()",
            "proprietaires",
            "--racine",
            str(root),
        ],
        capture_output=True,
        text=True,
    )
    assert process.returncode == 2 and "relecteurs.yml" in process.stderr
    assert not (root / ".github/CODEOWNERS").exists()


def test_good_entries_of_every_shape_are_accepted(scratch_register):
    text = _with_team('"@Org-2/ars_84-team", "@compte-seul"').replace(
        "membres: [ars-84-instructrice]", 'membres: [ars-84-instructrice, "@A1", ' + "x" * 39 + "]"
    )
    root = scratch_register({**base_files(), "relecteurs.yml": text})
    assert validate_json(root) == (0, [])
    assert coop(root, "proprietaires").exit_code == 0
    assert (
        "/adhesions/84/ @org/ars-84 @Org-2/ars_84-team @compte-seul"
        in (root / ".github/CODEOWNERS").read_text()
    )


def test_a_pull_request_bringing_a_bad_entry_is_refused(git_register):
    from conftest import git

    root = git_register(base_files())
    git(root, "checkout", "-q", "-b", "pr")
    (root / "relecteurs.yml").write_text(_with_member(BAD_MEMBERS[4]), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Relecteurs")
    exit_code, findings = validate_json(root, "--base", "main")
    assert exit_code == 1 and "relecteur-invalide" in [f["code"] for f in findings]
