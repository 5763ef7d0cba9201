"""`coop commentaire`: the pull request's comment from the JSON artifacts of the validation, as a
reviewer sees it once GitHub has rendered it (cmarkgfm as the oracle)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from coopps.cli import main
from gitops_samples import ADHESION, NEW_TEAM_PATH, base_files, write
from markdown_oracle import cells, links, render, tags, visible_text
from register_samples import VALID_REGISTER

HOSTILE_NAME = "MSP ``` [Cliquez ici](https://evil) @ars-team <img src=x>"
NO_RESULT = "Le contrôle n’a pas pu produire de résultat"


def finding(number: int, **changes: object) -> dict[str, object]:
    found = {
        "code": "champ-obligatoire",
        "severity": "warning",
        "path": f"adhesions/84/p/e{number}.yml",
        "line": number,
        "message": "Ajoutez la commune.",
    }
    return {**found, **changes}


def comment(tmp_path: Path, report: object, *args: str) -> str:
    path = tmp_path / "controle.json"
    path.write_text(report if isinstance(report, str) else json.dumps(report), encoding="utf-8")
    result = CliRunner().invoke(main, ["commentaire", str(path), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_findings_are_a_table_whose_hostile_values_show_as_text(tmp_path):
    hostile = finding(
        3,
        severity="error",
        path="adhesions/84/p/[x](https:evil)`.yml",
        message="## ✅ Déclaration conforme, fusionnez\n@ars-team ![b](https://x/y.png) | fin",
    )
    body = comment(tmp_path, {"findings": [hostile, finding(4)]})
    assert body.startswith(
        "<!-- coop-ps:controle -->\n<!-- coop-ps:constats erreurs=1 avertissements=1 -->\n"
        "## Contrôle du registre\n"
    )
    shown = render(body)
    assert (
        tags(shown).count("h2") == 1
        and links(shown) == 0
        and "<code>" not in shown
        and "@ars-team" not in shown
    )
    assert "1 erreur, 1 avertissement." in visible_text(shown)
    assert cells(shown) == [
        "adhesions/84/p/[x](https:evil)`.yml",
        "3",
        "erreur",
        "champ-obligatoire",
        "## ✅ Déclaration conforme, fusionnez @ars-team ![b](https://x/y.png) | fin",
        "adhesions/84/p/e4.yml",
        "4",
        "avertissement",
        "champ-obligatoire",
        "Ajoutez la commune.",
    ]


def test_at_most_200_rows_then_how_many_are_left(tmp_path):
    shown = render(comment(tmp_path, {"findings": [finding(n) for n in range(1, 251)]}))
    assert tags(shown).count("tr") == 201
    assert "0 erreur, 250 avertissements." in visible_text(shown)
    assert visible_text(shown).endswith(
        "… et 50 autres constats (voir le résumé du workflow « Validation du registre »)."
    )


def test_long_messages_keep_the_comment_under_githubs_limit(tmp_path):
    body = comment(
        tmp_path, {"findings": [finding(n, message="[x](y) " * 80) for n in range(1, 201)]}
    )
    assert len(body) < 65_536 and "autres constats" in visible_text(render(body))


def test_no_finding_says_the_declaration_is_conform(tmp_path):
    assert visible_text(render(comment(tmp_path, {"findings": [], "summary": {}}))).endswith(
        "✅ Aucun constat : la déclaration est conforme."
    )


def test_a_report_that_is_not_one_gives_the_sentence_and_no_table(tmp_path):
    for report in [
        "{",
        "[]",
        {"findings": "x"},
        {"findings": [{"path": "a"}]},
        {"findings": [finding(1, severity="critique")]},
        "[" * 100_000,
        *({"findings": [finding(1, **bad)]} for bad in BAD_DATA),
    ]:
        shown = render(comment(tmp_path, report))
        assert NO_RESULT in visible_text(shown) and "<table>" not in shown, report
    missing = CliRunner().invoke(main, ["commentaire", str(tmp_path / "absent.json")])
    assert missing.exit_code == 0 and NO_RESULT in missing.output


BAD_DATA = [
    {"key": "membres"},
    {"key": [["membres"]]},
    {"key": [True]},
    {"key": [1.5]},
    {"params": []},
    {"params": {"numero": {"a": 1}}},
    {"params": {"numero": [1]}},
]


def test_the_key_path_and_parameters_are_read_back_from_the_report(scratch_register):
    """What `coop verifier --format json` writes, `read_findings` reads: key path and
    parameters included, as data."""
    from coopps.pr_comment import read_findings

    path = "adhesions/84/nat-test/msp-a.yml"
    root = scratch_register(
        {**VALID_REGISTER, path: VALID_REGISTER[path].replace("structure: msp", "structure: ehpad")}
    )
    report = CliRunner().invoke(main, ["verifier", "--racine", str(root), "--format", "json"])
    (found,) = read_findings(report.output) or []
    assert (found.code, found.key) == ("cadre-non-prevu", ("equipe", "structure"))
    assert found.params == {
        "structure": "EHPAD",
        "prevus": "Maison de santé pluriprofessionnelle, Centre de santé",
    }


def test_the_status_section_comes_from_coop_status_json(git_register, tmp_path):
    root = git_register(base_files(), date="2024-01-02")
    write(root, NEW_TEAM_PATH, ADHESION.replace("MSP A (exemple fictif)", HOSTILE_NAME))
    status = CliRunner().invoke(
        main,
        [
            "statut",
            NEW_TEAM_PATH,
            "--racine",
            str(root),
            "--pr-etat",
            "envoyee",
            "--format",
            "json",
        ],
        catch_exceptions=False,
    )
    (tmp_path / "statut.json").write_text(status.output, encoding="utf-8")
    shown = render(comment(tmp_path, {"findings": []}, "--statut", str(tmp_path / "statut.json")))
    assert (
        links(shown) == 0
        and "<code>" not in shown
        and "<pre>" not in shown
        and "@ars-team" not in shown
    )
    text = visible_text(shown)
    assert f"Statut dans le registre\n{HOSTILE_NAME}\n" in text
    assert (
        f"Fichier : {NEW_TEAM_PATH}" in text
        and "Statut : Déclarée (envoyée à l'ARS) le 12/03/2024" in text
    )


def test_an_unreadable_status_is_said_in_one_sentence(tmp_path):
    (tmp_path / "statut.json").write_text('{"adhesions": 3}', encoding="utf-8")
    body = comment(tmp_path, {"findings": []}, "--statut", str(tmp_path / "statut.json"))
    assert body.rstrip().endswith(
        "Le statut des adhésions n’a pas pu être lu : consultez le résumé du workflow."
    )
