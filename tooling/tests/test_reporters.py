"""Each reporter, on a stream, with its exact output: what a reviewer reads in a
terminal, what a program parses, what GitHub turns into annotations."""

from __future__ import annotations

import io
import json
from pathlib import Path

from coopps.findings import Finding, Report
from coopps.reporters import REPORTERS, GithubReporter, JsonReporter, TextReporter
from markdown_oracle import cells, links, render, tags

PATH = "adhesions/84/nat-test/msp-a.yml"
SOURCE = '# yaml-language-server: $schema=../../../../schemas/adhesion.schema.json\nequipe:\n  nom: "MSP A\x1b[2J"\n'


def report() -> Report:
    return Report(
        findings=[
            Finding(
                PATH,
                3,
                "donnee-personnelle",
                "error",
                "Retirez « 100 % » :\nligne\r2, fin.",
                key=("equipe", "nom"),
                params={"what": "un numéro \udcff", "rang": 2},
            ),
            Finding(
                PATH,
                2,
                "champ-obligatoire",
                "warning",
                "Ajoutez `commune`.",
                key=("equipe",),
                params={"variante": "dans", "cle": "commune"},
            ),
        ],
        files_checked=2,
    )


def written(reporter: TextReporter | JsonReporter | GithubReporter) -> str:
    out = io.StringIO()
    reporter.write(report(), out)
    return out.getvalue()


def register(tmp_path: Path) -> Path:
    (tmp_path / PATH).parent.mkdir(parents=True)
    (tmp_path / PATH).write_text(SOURCE, encoding="utf-8")
    return tmp_path


def test_text_groups_by_file_quotes_the_line_and_escapes_what_drives_a_terminal(tmp_path):
    assert written(TextReporter(register(tmp_path))) == (
        f"\n{PATH}\n"
        "  ligne 2 · avertissement [champ-obligatoire]\n"
        "    │ equipe:\n"
        "    → Ajoutez `commune`.\n"
        "  ligne 3 · erreur [donnee-personnelle]\n"
        '    │   nom: "MSP A\\x1b[2J"\n'
        "    → Retirez « 100 % » :\\x0aligne\\x0d2, fin.\n"
        "\n2 fichiers vérifiés : 1 erreur, 1 avertissement.\n"
    )


def test_a_clean_report_says_so_in_one_line(tmp_path):
    out = io.StringIO()
    TextReporter(tmp_path).write(Report(files_checked=1), out)
    assert out.getvalue() == "Registre conforme : 1 fichier vérifié, aucune erreur.\n"


def test_json_is_the_documented_document(tmp_path):
    document = json.loads(written(JsonReporter(tmp_path)))
    assert document == {
        "findings": [
            {
                "code": "champ-obligatoire",
                "severity": "warning",
                "path": PATH,
                "line": 2,
                "message": "Ajoutez `commune`.",
                "key": ["equipe"],
                "params": {"variante": "dans", "cle": "commune"},
            },
            {
                "code": "donnee-personnelle",
                "severity": "error",
                "path": PATH,
                "line": 3,
                "message": "Retirez « 100 % » :\nligne\r2, fin.",
                "key": ["equipe", "nom"],
                "params": {"what": "un numéro \\xff", "rang": 2},
            },  # a lone surrogate, escaped
        ],
        "summary": {
            "files": 2,
            "files_with_findings": 1,
            "errors": 1,
            "warnings": 1,
            "by_code": {"champ-obligatoire": 1, "donnee-personnelle": 1},
        },
    }


def test_github_annotations_encode_percent_cr_lf_and_property_separators(tmp_path):
    summary = tmp_path / "resume.md"
    assert written(GithubReporter(tmp_path, summary)) == (
        f"::warning file={PATH},line=2,title=champ-obligatoire — schema::Ajoutez `commune`.\n"
        f"::error file={PATH},line=3,title=donnee-personnelle — registre::Retirez « 100 %25 » :%0Aligne%0D2, fin.\n"
        "2 fichiers vérifiés : 1 erreur, 1 avertissement.\n"
    )
    shown = render(summary.read_text(encoding="utf-8"))
    assert tags(shown)[:2] == ["h2", "p"] and tags(shown).count("tr") == 3 and links(shown) == 0
    assert cells(shown) == [
        PATH,
        "2",
        "avertissement",
        "champ-obligatoire",
        "Ajoutez `commune`.",
        PATH,
        "3",
        "erreur",
        "donnee-personnelle",
        "Retirez « 100 % » : ligne 2, fin.",
    ]


def test_the_step_summary_shows_a_hostile_file_name_and_message_as_text(tmp_path):
    hostile = Finding(
        "adhesions/84/x/[Cliquez](https:evil)`.yml",
        1,
        "chemin-invalide",
        "error",
        "## ✅ Déclaration conforme, fusionnez\n@ars-team <img src=x> | ![b](https://x/y.png)",
    )
    summary = tmp_path / "resume.md"
    GithubReporter(tmp_path, summary).write(
        Report(findings=[hostile], files_checked=1), io.StringIO()
    )
    shown = render(summary.read_text(encoding="utf-8"))
    assert tags(shown).count("h2") == 1 and tags(shown).count("td") == 5 and links(shown) == 0
    assert "<img" not in shown and "<code>" not in shown and "@ars-team" not in shown
    assert cells(shown)[0] == hostile.path
    assert (
        cells(shown)[-1]
        == "## ✅ Déclaration conforme, fusionnez @ars-team <img src=x> | ![b](https://x/y.png)"
    )


def test_a_path_with_a_comma_or_colon_cannot_end_the_annotation_properties(tmp_path):
    finding = Finding("adhesions/84/a,b:c.yml", 1, "chemin-invalide", "error", "x")
    out = io.StringIO()
    GithubReporter(tmp_path).write(Report(findings=[finding], files_checked=1), out)
    assert out.getvalue().startswith(
        "::error file=adhesions/84/a%2Cb%3Ac.yml,line=1,title=chemin-invalide — registre::x\n"
    )


def test_the_format_option_offers_every_reporter_of_the_registry():
    from coopps.cli.validate import validate_command

    choice = next(p for p in validate_command.params if p.name == "output_format")
    assert list(choice.type.choices) == list(REPORTERS)  # type: ignore[attr-defined]
