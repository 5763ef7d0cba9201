"""Inputs that once ended in « Erreur interne » or a crash, each now a finding or a clean output."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopps.cli import main
from register_samples import ADHESION, ADHESION_PATH, VALID_REGISTER

NON_UTF8_NAME = os.fsdecode(b"msp-\xff.yml")


def validate(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["verifier", "--racine", str(root), *args], catch_exceptions=False
    )
    assert "Traceback" not in result.output and "Erreur interne" not in result.output
    return result.exit_code, result.output


@pytest.mark.parametrize("output_format", ["text", "json", "github"])
def test_a_file_name_that_is_not_utf8_is_a_finding_shown_escaped(
    scratch_register, tmp_path, monkeypatch, output_format
):
    """`--format github` crashed writing the step summary (UnicodeEncodeError on the name's byte)."""
    root = scratch_register(VALID_REGISTER)
    (root / Path(ADHESION_PATH).parent / NON_UTF8_NAME).write_text(ADHESION, encoding="utf-8")
    summary = tmp_path / "resume.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, output = validate(root, "--format", output_format)
    assert code == 1
    assert "msp-\\xff.yml" in unescaped(output) and "\udcff" not in output
    if output_format == "github":
        assert "xff" in summary.read_text(encoding="utf-8"), summary.read_text(encoding="utf-8")[
            -600:
        ]


def unescaped(text: str) -> str:
    """JSON and Markdown write a backslash as two."""
    return text.replace("\\\\", "\\")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (
            "1" + "0" * 309,
            "nombre-hors-limites",
        ),  # a valid integer before: `coop chiffres` and the site crashed on it
        ("1e300", "valeur-hors-limites"),
        ("1000000001", "valeur-hors-limites"),
    ],
)
def test_an_indicator_out_of_any_sane_range_is_a_finding(scratch_register, value, code):
    from test_reports import NATIONAL_WITH_INDICATORS, REPORT, R

    report = REPORT.replace("patients-pris-en-charge: 120", f"patients-pris-en-charge: {value}")
    root = scratch_register(
        {**VALID_REGISTER, "protocols/nat-test.yml": NATIONAL_WITH_INDICATORS, R: report}
    )
    exit_code, output = validate(root, "--format", "json", R)
    assert exit_code == 1
    line = next(
        n for n, text in enumerate(report.splitlines(), 1) if "patients-pris-en-charge" in text
    )
    assert [(f["code"], f["line"]) for f in json.loads(output)["findings"]] == [(code, line)]


def test_published_text_drops_the_characters_xml_forbids():
    """`\\uFFFF` in a team name (written `"\\uFFFF"` in YAML) made feed.xml unreadable."""
    from xml.etree import ElementTree

    from coopps.site import export
    from coopps.site.model import pick

    assert pick({"equipe": {"nom": "MSP\uffff \x01A\ufffe"}}, {"equipe": {"nom"}}) == {
        "equipe": {"nom": "MSP A"}
    }
    feed = ElementTree.Element("feed")
    export._text(feed, "title", "Équipe\uffff\x0b\ud800 B")
    assert ElementTree.fromstring(ElementTree.tostring(feed)).findtext("*") == "Équipe B"


TRAPS = '"Protocole \\e[2J\\e]0;titre\\a \\u202eevil \\x85fin"'
TRAPS_RAW = "Protocole \x1b[2J\x1b]0;titre\x07 \u202eevil\n"


@pytest.mark.parametrize(
    "command", [("statut", "nat-test"), ("statut", "--region", "84"), ("chiffres",)]
)
def test_status_and_stats_show_control_and_bidi_characters_escaped(
    git_register, monkeypatch, command
):
    """They printed ESC sequences and bidi overrides of the data raw, where `validate` escapes them."""
    from gitops_samples import base_files, coop

    files = base_files()
    files["protocols/nat-test.yml"] = files["protocols/nat-test.yml"].replace(
        "intitule: Protocole national de test", f"intitule: {TRAPS}"
    )
    files[ADHESION_PATH] = files[ADHESION_PATH].replace("MSP A (exemple fictif)", TRAPS)
    root = git_register(files, date="2024-01-02")
    if command == ("chiffres",):  # its tables quote protocol titles and indicator labels
        monkeypatch.setattr(
            "coopps.stats.output.write_text", lambda tables, heading, out: out.write(TRAPS_RAW)
        )
    result = coop(root, *command)
    assert result.exit_code == 0, result.output
    assert (
        "\x1b" not in result.output
        and "\u202e" not in result.output
        and "\x07" not in result.output
    )
    assert "\\x1b" in result.output or "\\u202e" in result.output
