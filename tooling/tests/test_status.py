"""`coop statut`: a complete team pull request from draft to merge, and the
ARS reviewer's view of a region, with dates read from git."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gitops_samples import (
    ADHESION,
    ADHESION_PATH,
    NEW_TEAM,
    NEW_TEAM_PATH,
    base_files,
    branch,
    codes,
    commit,
    coop,
    merge,
    validate_json,
    with_suspension,
    write,
)

INCOMPLETE = (
    NEW_TEAM.split("pieces:")[0]
    + "pieces:\n"
    + NEW_TEAM.split("pieces:")[1].split("  - type: attestation_assurance")[0]
)


def status_json(root: Path, *args: str) -> dict:
    result = coop(root, "statut", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_team_pull_request_from_draft_to_merge(git_register):
    root = git_register(base_files(), date="2024-01-02")
    branch(root, "msp-b")
    write(root, NEW_TEAM_PATH, INCOMPLETE)
    commit(root, "Brouillon de déclaration", "2024-03-01")

    exit_code, findings = validate_json(root, "--base", "main", "--brouillon")
    assert exit_code == 0 and findings and {f["severity"] for f in findings} == {"warning"}
    assert "piece-manquante" in codes(findings)
    assert validate_json(root, "--base", "main")[0] == 1  # ready for review: completeness blocks
    draft = status_json(root, NEW_TEAM_PATH, "--pr-etat", "brouillon")["adhesions"][0]
    assert (draft["code"], draft["label"], draft["since"], draft["instructed"]) == (
        "brouillon",
        "Brouillon",
        None,
        None,
    )
    assert draft["events"] == []  # a draft was not sent to the ARS
    shown = coop(root, "statut", NEW_TEAM_PATH, "--pr-etat", "brouillon").output
    assert "Statut : Brouillon\n" in shown and "déclarée" not in shown.lower()
    sent = status_json(root, NEW_TEAM_PATH, "--pr-etat", "envoyee")["adhesions"][0]
    assert (sent["label"], sent["since"]) == (
        "Déclarée (envoyée à l'ARS)",
        "2024-03-12",
    )  # the team may apply it

    write(root, NEW_TEAM_PATH, NEW_TEAM)
    commit(root, "Pièces ajoutées après la revue", "2024-03-08")
    assert validate_json(root, "--base", "main") == (0, [])
    completed = coop(
        root, "statut", NEW_TEAM_PATH, "--pr-etat", "completee", "--complete-le", "2024-03-08"
    ).output
    assert "Statut : Déclarée (complétée le 08/03/2024)\n" in completed
    assert "08/03/2024  Déclaration complétée par l'équipe après la demande de l'ARS" in completed
    undated = coop(root, "statut", NEW_TEAM_PATH, "--pr-etat", "completee").output
    assert (
        "Statut : Déclarée (complétée)\n" in undated and "12/03/2024  Adhésion déclarée" in undated
    )
    closed = coop(root, "statut", NEW_TEAM_PATH, "--pr-etat", "refusee").output
    assert "Statut : Refusée\n" in closed and "\n1 adhésion (Refusée : 1).\n" in closed

    merge(root, "msp-b", 12, "2024-03-20")
    result = coop(root, "statut", NEW_TEAM_PATH)
    assert result.exit_code == 0
    assert result.output == (
        f"\n{NEW_TEAM_PATH}\n"
        "  MSP B (exemple fictif)\n"
        "  Statut : Active depuis le 12/03/2024\n"
        "  Instruite par l'ARS le 20/03/2024 (PR #12)\n"
        "  Historique :\n"
        "    12/03/2024  Adhésion déclarée à l'ARS\n"
        "    20/03/2024  Déclaration instruite par l'ARS, adhésion enregistrée (PR #12)\n"
        "\n1 adhésion (Active : 1).\n"
    )


def test_a_team_id_and_a_protocol_id_are_targets(git_register):
    root = git_register(base_files(), date="2024-01-02")
    by_team = status_json(root, "msp-a")
    assert [a["path"] for a in by_team["adhesions"]] == [ADHESION_PATH]
    by_protocol = status_json(root, "nat-test")
    assert by_protocol["protocoles"][0]["label"] == "Autorisé"
    assert (
        by_protocol["protocoles"][0]["since"] == "2020-03-06"
    )  # its arrêté, not the commit that added the file
    assert [(a["since"], a["instructed"]) for a in by_protocol["adhesions"]] == [
        ("2024-03-12", "2024-01-02")
    ]


def test_the_region_view_lists_every_adhesion_with_status_and_date(git_register):
    root = git_register(base_files(), date="2024-01-02")
    branch(root, "msp-b")
    write(root, NEW_TEAM_PATH, NEW_TEAM)
    commit(root, "Déclaration", "2024-03-01")
    merge(root, "msp-b", 12, "2024-03-20")
    write(root, ADHESION_PATH, with_suspension(ADHESION, "2024-05-02"))
    commit(root, "Suspension (#13)", "2024-05-03")
    write(root, "adhesions/84/nat-arrete/msp-z.yml", ADHESION)
    commit(root, "Adhésion à un protocole depuis arrêté", "2024-06-01")
    result = coop(root, "statut", "--region", "84")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "Adhésions de la région 84",
        "",
        "Terminée (protocole arrêté)  09/03/2023  adhesions/84/nat-arrete/msp-z.yml  (MSP A (exemple fictif))",
        f"Suspendue                    02/05/2024  {ADHESION_PATH}  (MSP A (exemple fictif))",
        f"Active                       12/03/2024  {NEW_TEAM_PATH}  (MSP B (exemple fictif))",
        "",
        "3 adhésions (Active : 1, Suspendue : 1, Terminée (protocole arrêté) : 1).",
    ]


def test_unknown_targets_and_regions_are_french_errors(git_register):
    root = git_register(base_files())
    for args, message in (
        (["inconnu"], "ne correspond à « inconnu »"),
        (["--region", "99"], "région « 99 »"),
    ):
        process = subprocess.run(
            [
                sys.executable,
                "-c",
                "from coopps.cli import run; run()",
                "statut",
                *args,
                "--racine",
                str(root),
            ],
            capture_output=True,
            text=True,
        )
        assert (
            process.returncode == 2
            and message in process.stderr
            and "Traceback" not in process.stderr
        )


def test_status_outside_git_says_brouillon(scratch_register):
    root = scratch_register(base_files())
    assert status_json(root, ADHESION_PATH)["adhesions"][0]["code"] == "brouillon"


def test_several_targets_are_reported_together(git_register):
    root = git_register(base_files(), date="2024-01-02")
    write(root, NEW_TEAM_PATH, NEW_TEAM)
    result = status_json(root, ADHESION_PATH, NEW_TEAM_PATH, "msp-a", "--pr-etat", "envoyee")
    assert [(a["path"], a["code"]) for a in result["adhesions"]] == [
        (ADHESION_PATH, "active"),
        (NEW_TEAM_PATH, "envoyee"),
    ]


def test_the_markdown_status_shows_a_hostile_team_name_as_text(git_register):
    from markdown_oracle import links, render, tags, visible_text

    hostile = "MSP ```\\n## ✅ Conforme [ici](https://evil) @ars-team"
    root = git_register(base_files(), date="2024-01-02")
    write(root, NEW_TEAM_PATH, NEW_TEAM.replace("MSP B (exemple fictif)", hostile))
    result = coop(root, "statut", NEW_TEAM_PATH, "--pr-etat", "envoyee", "--format", "markdown")
    assert result.exit_code == 0, result.output
    shown = render(result.output)
    assert (
        tags(shown).count("h2") == 1
        and "<pre>" not in shown
        and "<code>" not in shown
        and links(shown) == 0
    )
    assert "@ars-team" not in shown
    assert [line for line in visible_text(shown).split("\n") if line][:4] == [
        "Statut dans le registre",
        hostile,
        f"Fichier : {NEW_TEAM_PATH}",
        "Statut : Déclarée (envoyée à l'ARS) le 12/03/2024",
    ]
    assert visible_text(shown).endswith("1 adhésion (Déclarée (envoyée à l'ARS) : 1).")


def test_a_completion_date_needs_the_completed_state_and_a_date(git_register):
    root = git_register(base_files(), date="2024-01-02")
    for args, message in (
        (["--pr-etat", "envoyee", "--complete-le", "2024-03-08"], "qu'avec --pr-etat completee"),
        (
            ["--pr-etat", "completee", "--complete-le", "08/03/2024"],
            "n'est pas une date AAAA-MM-JJ",
        ),
    ):
        result = coop(root, "statut", ADHESION_PATH, *args)
        assert result.exit_code == 2 and message in result.output
