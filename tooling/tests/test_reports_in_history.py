"""Yearly reports live beside adhesions but are not adhesions: the journal
names them as reports and `coop statut` does not list them."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import git
from coopps.checker import Options, validate
from coopps.cli import main
from coopps.gitops.history import load_history
from register_samples import ADHESION_PATH, VALID_REGISTER

REPORT_PATH = ADHESION_PATH.replace(".yml", ".suivi-2024.yml")
REPORT = "# yaml-language-server: $schema=../../../schemas/suivi.schema.json\nannee: 2024\neig_declares: 0\n"


def test_the_journal_calls_a_report_a_report(git_register):
    root = git_register({**VALID_REGISTER, REPORT_PATH: REPORT})
    details = {path: event.detail for path, event in load_history(root).journal()}
    assert details[REPORT_PATH] == "Rapport annuel de suivi déposé"
    assert details[ADHESION_PATH] == "Adhésion enregistrée"


def test_status_of_a_region_lists_adhesions_not_reports(git_register):
    root = git_register({**VALID_REGISTER, REPORT_PATH: REPORT})
    result = CliRunner().invoke(
        main, ["statut", "--region", "84", "--racine", str(root)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert ADHESION_PATH in result.output
    assert ".suivi-" not in result.output


def test_a_pull_request_may_not_delete_a_report(git_register):
    root = git_register({**VALID_REGISTER, REPORT_PATH: REPORT})
    git(root, "checkout", "-q", "-b", "pr")
    (root / REPORT_PATH).unlink()
    git(root, "commit", "-q", "-am", "Retrait du rapport")
    report = validate(Options(root=root, base="main"))
    assert [(f.code, f.path) for f in report.findings] == [("suppression-rapport", REPORT_PATH)]
