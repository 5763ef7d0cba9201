"""`coop verifier` as a user meets it: exit status, formats, and a hostile
corpus that never produces a traceback."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopps.cli import main
from coopps.rules import CHECKS
from markdown_oracle import cells, render, tags, visible_text
from register_samples import ADHESION, ADHESION_PATH, VALID_REGISTER
from test_checks import CASES, Case, register_with, sub

COOP = shutil.which("coop", path=str(Path(sys.executable).parent)) or "coop"
ERROR_CASES = [case for case in CASES if CHECKS[case.code].severity == "error"]


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["verifier", "--racine", str(root), *args], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_the_shipped_register_is_clean(repo_root):
    code, output = run(repo_root)
    assert code == 0, output
    assert output.strip().startswith("Registre conforme")
    assert "aucune erreur" in output


def test_a_clean_register_exits_0_with_a_french_summary(scratch_register):
    code, output = run(scratch_register(VALID_REGISTER))
    assert (code, output) == (0, "Registre conforme : 6 fichiers vérifiés, aucune erreur.\n")


def test_text_format_groups_by_file_and_quotes_the_line(scratch_register):
    root = scratch_register(
        {**VALID_REGISTER, ADHESION_PATH: sub(ADHESION, "  structure: msp", "  structure: ehpad")}
    )
    code, output = run(root)
    assert code == 1
    assert output.splitlines()[1:5] == [
        ADHESION_PATH,
        "  ligne 4 · erreur [cadre-non-prevu]",
        "    │   structure: ehpad",
        "    → Le protocole ne s'applique pas dans une structure « EHPAD » ; cadres prévus : "
        "Maison de santé pluriprofessionnelle, Centre de santé.",
    ]
    assert output.endswith("6 fichiers vérifiés : 1 erreur, 0 avertissement.\n")


def test_json_format_has_the_documented_shape(scratch_register):
    root = scratch_register(
        {**VALID_REGISTER, ADHESION_PATH: sub(ADHESION, "  structure: msp", "  structure: ehpad")}
    )
    code, output = run(root, "--format", "json")
    document = json.loads(output)
    assert code == 1
    assert document["findings"] == [
        {
            "code": "cadre-non-prevu",
            "severity": "error",
            "path": ADHESION_PATH,
            "line": 4,
            "message": "Le protocole ne s'applique pas dans une structure « EHPAD » ; cadres prévus : "
            "Maison de santé pluriprofessionnelle, Centre de santé.",
            "key": ["equipe", "structure"],
            "params": {
                "structure": "EHPAD",
                "prevus": "Maison de santé pluriprofessionnelle, Centre de santé",
            },
        }
    ]
    assert document["summary"] == {
        "files": 6,
        "files_with_findings": 1,
        "errors": 1,
        "warnings": 0,
        "by_code": {"cadre-non-prevu": 1},
    }


def test_github_format_annotates_lines_and_writes_a_step_summary(
    scratch_register, tmp_path, monkeypatch
):
    root = scratch_register(
        {**VALID_REGISTER, ADHESION_PATH: sub(ADHESION, "  structure: msp", "  structure: ehpad")}
    )
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, output = run(root, "--format", "github")
    assert code == 1
    assert output.startswith(
        f"::error file={ADHESION_PATH},line=4,title=cadre-non-prevu — registre::Le protocole"
    )
    shown = render(summary.read_text(encoding="utf-8"))
    assert visible_text(shown).startswith("Contrôle du registre\n") and tags(shown)[0] == "h2"
    assert cells(shown)[:4] == [ADHESION_PATH, "4", "erreur", "cadre-non-prevu"]


def test_draft_flag_turns_missing_pieces_into_warnings_and_exit_0(scratch_register):
    root = scratch_register(
        {**VALID_REGISTER, ADHESION_PATH: ADHESION.split("pieces:")[0] + "pieces: []\n"}
    )
    assert run(root)[0] == 1
    code, output = run(root, "--brouillon")
    assert code == 0
    assert "avertissement [piece-manquante]" in output


def test_paths_limit_what_is_reported(scratch_register):
    root = scratch_register(
        {**VALID_REGISTER, ADHESION_PATH: sub(ADHESION, "  structure: msp", "  structure: ehpad")}
    )
    assert run(root, str(root / "protocols"))[0] == 0
    assert run(root, str(root / ADHESION_PATH))[0] == 1


def test_usage_errors_exit_2_in_french(tmp_path):
    result = CliRunner().invoke(
        main, ["verifier", "--racine", str(tmp_path)], catch_exceptions=False
    )
    assert result.exit_code == 2
    assert "n'est pas la racine d'un registre" in result.output


def test_path_outside_the_register_is_a_usage_error(scratch_register, tmp_path):
    code, output = run(scratch_register(VALID_REGISTER), str(tmp_path.parent))
    assert code == 2
    assert "hors du registre" in output


@pytest.mark.parametrize("case", ERROR_CASES, ids=lambda case: case.id)
def test_hostile_corpus_exits_1_with_the_right_path_and_line(scratch_register, case: Case):
    code, output = run(register_with(scratch_register, case), "--format", "json")
    findings = json.loads(output)["findings"]
    assert code == 1
    assert {"code": case.code, "path": case.path, "line": case.line} in [
        {key: f[key] for key in ("code", "path", "line")} for f in findings
    ]


def test_the_hostile_corpus_has_at_least_40_distinct_inputs():
    assert len({(case.path, case.content) for case in ERROR_CASES}) >= 40


@pytest.mark.parametrize(
    "name", ["milliard-de-rires", "yaml-trop-imbrique", "fichier-trop-gros", "binaire"]
)
def test_denial_of_service_files_are_refused_by_the_real_command(scratch_register, name):
    """The installed entry point, in its own process: no traceback, no hang
    (the timeout guards against a parser that would expand or recurse)."""
    case = next(c for c in CASES if c.id == name)
    root = register_with(scratch_register, case)
    result = subprocess.run(
        [COOP, "verifier", "--racine", str(root)],
        capture_output=True,
        text=True,
        timeout=20,
        env={**os.environ, "COOP_DEBUG": ""},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert f"[{case.code}]" in result.stdout


def test_help_and_usage_errors_are_in_french():
    runner = CliRunner()
    help_text = runner.invoke(
        main, ["verifier", "--help"], prog_name="coop", catch_exceptions=False
    ).output
    assert help_text.startswith("Utilisation : coop verifier [OPTIONS] [CHEMIN]...")
    assert "Afficher cette aide et quitter." in help_text
    wrong = runner.invoke(main, ["verifier", "--format", "xml"])
    assert wrong.exit_code == 2
    assert (
        "Erreur : Valeur invalide pour '--format' : 'xml' n'est pas une valeur possible. "
        "Choisissez parmi : 'text', 'json', 'github'."
    ) in wrong.output
