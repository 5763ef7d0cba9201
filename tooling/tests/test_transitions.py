"""Layer 4 on real repositories: each pull request is a branch off `main`,
checked with `coop verifier --base main`; every transition code has a failing
and a passing case here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from coopps.transitions import STATUS_GRAPH, is_allowed_move, reachable
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
    git,
    validate_json,
    with_suspension,
    write,
)
from markdown_oracle import cells, render
from register_samples import NATIONAL, REFUSED, RPPS_DELEGUE

PROTOCOL = "protocols/reg-84-depose.yml"
DEPOSE = REFUSED.replace("statut: refuse", "statut: depose")


@pytest.fixture
def repo(git_register) -> Path:
    root = git_register({**base_files(), PROTOCOL: DEPOSE})
    branch(root, "pr")
    return root


def transition_codes(root: Path, *args: str) -> list[str]:
    _, findings = validate_json(root, "--base", "main", *args)
    return [c for c in codes(findings) if c in _TRANSITION_CODES]


_TRANSITION_CODES = {
    "statut-retour",
    "renommage-interdit",
    "suppression-adhesion",
    "suppression-protocole",
    "historique-nouveau",
    "suspension-reservee-ars",
    "reprise-reservee-mainteneurs",
    "declaration-anterieure",
    "identite-instruite",
    "fin-definitive",
    "outillage-reserve-mainteneurs",
}


def test_the_status_graph_only_goes_forward():
    assert reachable("depose") == {"en_instruction", "avis_has", "autorise", "refuse", "arrete"}
    assert reachable("autorise") == {"arrete"}
    assert not reachable("refuse") and not reachable("arrete")
    assert all(not is_allowed_move(new, old) for old in STATUS_GRAPH for new in reachable(old))


def test_a_clean_branch_has_no_transition_finding(repo):
    exit_code, findings = validate_json(repo, "--base", "main")
    assert (exit_code, findings) == (0, [])


def test_status_moving_forward_is_accepted(repo):
    write(repo, PROTOCOL, DEPOSE.replace("statut: depose", "statut: en_instruction"))
    commit(repo, "Instruction", "2024-02-01")
    assert transition_codes(repo) == []


def test_status_moving_backwards_is_refused_on_the_statut_line(git_register):
    root = git_register(base_files())
    branch(root, "pr")
    write(
        root,
        "protocols/nat-test.yml",
        NATIONAL.replace("statut: autorise", "statut: en_instruction"),
    )
    commit(root, "Retour en instruction", "2024-02-01")
    exit_code, findings = validate_json(root, "--base", "main")
    finding = next(f for f in findings if f["code"] == "statut-retour")
    assert exit_code == 1 and finding["line"] == 4 and finding["severity"] == "error"
    assert (
        "`autorise` à `en_instruction`" in finding["message"] and "`arrete`" in finding["message"]
    )


def test_a_renamed_adhesion_is_reported_as_a_rename(repo):
    git(repo, "mv", ADHESION_PATH, "adhesions/84/nat-test/msp-a-bis.yml")
    commit(repo, "Renommage", "2024-02-01")
    _, findings = validate_json(repo, "--base", "main")
    assert [f["path"] for f in findings if f["code"] == "renommage-interdit"] == [
        "adhesions/84/nat-test/msp-a-bis.yml"
    ]
    assert not {"suppression-adhesion"} & set(codes(findings))
    assert ADHESION_PATH in next(
        f["message"] for f in findings if f["code"] == "renommage-interdit"
    )


def test_editing_in_place_is_not_a_rename(repo):
    write(repo, ADHESION_PATH, ADHESION.replace("IFSI de test", "IFSI de Lyon"))
    commit(repo, "Changement de commune", "2024-02-01")
    assert transition_codes(repo) == []


def test_deleting_an_adhesion_of_the_base_branch_is_refused(repo):
    git(repo, "rm", "-q", ADHESION_PATH)
    commit(repo, "Suppression", "2024-02-01")
    _, findings = validate_json(repo, "--base", "main")
    finding = next(f for f in findings if f["code"] == "suppression-adhesion")
    assert finding["path"] == ADHESION_PATH and "`fin:`" in finding["message"]


def test_ending_an_adhesion_with_fin_is_accepted(repo):
    write(repo, ADHESION_PATH, ADHESION + "fin:\n  date: 2024-06-30\n  motif: Départ du délégant\n")
    commit(repo, "Fin", "2024-07-01")
    assert transition_codes(repo) == []


def test_deleting_a_file_added_on_the_same_branch_is_fine(repo):
    write(repo, NEW_TEAM_PATH, NEW_TEAM)
    commit(repo, "Ajout", "2024-02-01")
    git(repo, "rm", "-q", NEW_TEAM_PATH)
    commit(repo, "Retrait", "2024-02-02")
    assert transition_codes(repo) == []


def test_deleting_a_protocol_is_refused(repo):
    git(repo, "rm", "-q", PROTOCOL)
    commit(repo, "Suppression", "2024-02-01")
    assert transition_codes(repo) == ["suppression-protocole"]


def test_a_new_protocol_may_not_claim_to_be_historic(repo):
    write(repo, "protocols/reg-84-nouveau.yml", DEPOSE + "historique: true\n")
    commit(repo, "Nouveau protocole", "2024-02-01")
    _, findings = validate_json(repo, "--base", "main")
    finding = next(f for f in findings if f["code"] == "historique-nouveau")
    assert finding["line"] == DEPOSE.count("\n") + 1


def test_a_new_protocol_without_historique_is_accepted(repo):
    write(repo, "protocols/reg-84-nouveau.yml", DEPOSE)
    commit(repo, "Nouveau protocole", "2024-02-01")
    assert transition_codes(repo) == []


def test_a_suspension_by_the_region_reviewer_is_accepted(repo):
    write(repo, ADHESION_PATH, with_suspension(ADHESION))
    commit(repo, "Suspension", "2025-02-01")
    assert transition_codes(repo, "--auteur", "ars-84-instructrice") == []
    assert transition_codes(repo, "--auteur", "@ARS-84-Instructrice") == []


@pytest.mark.parametrize("author", [None, "equipe-msp-a", "ars-11-instructeur"])
def test_a_suspension_by_anyone_else_is_refused(repo, author):
    write(repo, ADHESION_PATH, with_suspension(ADHESION))
    commit(repo, "Suspension", "2025-02-01")
    _, findings = validate_json(repo, "--base", "main", *(["--auteur", author] if author else []))
    finding = next(f for f in findings if f["code"] == "suspension-reservee-ars")
    assert finding["line"] == ADHESION.count("\n") + 1
    assert "Seule l'ARS de la région pose ou lève une suspension" in finding["message"]


def test_lifting_a_suspension_is_reserved_to_the_region(git_register):
    root = git_register({**base_files(), ADHESION_PATH: with_suspension(ADHESION)})
    branch(root, "pr")
    write(root, ADHESION_PATH, ADHESION)
    commit(root, "Levée", "2025-03-01")
    assert transition_codes(root, "--auteur", "equipe-msp-a") == ["suspension-reservee-ars"]
    assert transition_codes(root, "--auteur", "ars-84-instructrice") == []


def test_uncommitted_changes_are_checked_too(repo):
    git(repo, "rm", "-q", "--cached", ADHESION_PATH)
    (repo / ADHESION_PATH).unlink()
    write(repo, "protocols/reg-84-nouveau.yml", DEPOSE + "historique: true\n")
    assert transition_codes(repo) == ["historique-nouveau", "suppression-adhesion"]


def test_an_unknown_base_is_a_usage_error_in_french(repo):
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            "from coopps.cli import run; run()",
            "verifier",
            "--base",
            "origin/absente",
            "--racine",
            str(repo),
        ],
        capture_output=True,
        text=True,
    )
    assert (
        process.returncode == 2
        and "introuvable" in process.stderr
        and "Traceback" not in process.stderr
    )


def test_without_base_no_transition_rule_runs(repo):
    git(repo, "rm", "-q", ADHESION_PATH)
    exit_code, findings = validate_json(repo)
    assert (exit_code, findings) == (0, [])


def test_github_format_annotates_the_offending_line(repo, tmp_path, monkeypatch):
    write(repo, ADHESION_PATH, with_suspension(ADHESION))
    commit(repo, "Suspension", "2025-02-01")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = coop(
        repo, "verifier", "--base", "main", "--format", "github", "--auteur", "equipe-msp-a"
    )
    line = ADHESION.count("\n") + 1
    assert result.exit_code == 1
    assert result.output.startswith(
        f"::error file={ADHESION_PATH},line={line},title=suspension-reservee-ars — transition::Cette modification pose"
    )
    assert cells(render(summary.read_text(encoding="utf-8")))[3] == "suspension-reservee-ars"


def test_base_outside_git_is_a_usage_error(scratch_register):
    from gitops_samples import base_files

    root = scratch_register(base_files())
    process = subprocess.run(
        [
            sys.executable,
            "-c",
            "from coopps.cli import run; run()",
            "verifier",
            "--base",
            "main",
            "--racine",
            str(root),
        ],
        capture_output=True,
        text=True,
    )
    assert process.returncode == 2 and "n'est pas un dépôt git" in process.stderr


# --- history before the register (`reprise`) and the declaration date -----------------------------------

MAINTAINER = "mainteneuse-registre"
REPRISE = "reprise:\n  source: coop-ps\n  date_activation: 2024-03-20\n  reference: COOP-PS 84-2024-0001\n"


@pytest.fixture
def maintained(git_register) -> Path:
    """The sample register whose base relecteurs.yml names one maintainer."""
    from gitops_samples import REVIEWERS

    team = '  equipes: ["@org/mainteneurs"]'
    reviewers = REVIEWERS.replace(team, f"{team}\n  membres: [{MAINTAINER}]")
    root = git_register({**base_files(), "relecteurs.yml": reviewers})
    branch(root, "pr")
    return root


def test_only_a_maintainer_of_the_base_branch_adds_a_file_with_reprise(maintained):
    write(maintained, NEW_TEAM_PATH, NEW_TEAM + REPRISE)
    commit(maintained, "Reprise d'un dossier COOP-PS", "2026-01-05")
    assert transition_codes(maintained, "--auteur", MAINTAINER) == []
    _, findings = validate_json(maintained, "--base", "main", "--auteur", "equipe-msp-b")
    finding = next(f for f in findings if f["code"] == "reprise-reservee-mainteneurs")
    assert finding["severity"] == "error" and finding["line"] == NEW_TEAM.count("\n") + 1
    assert "mainteneurs de relecteurs.yml sur la branche de base" in finding["message"]


def test_a_pull_request_cannot_make_its_author_a_maintainer(maintained):
    text = (
        (maintained / "relecteurs.yml")
        .read_text(encoding="utf-8")
        .replace(MAINTAINER, f"{MAINTAINER}, equipe-msp-b")
    )
    write(maintained, "relecteurs.yml", text)
    write(maintained, NEW_TEAM_PATH, NEW_TEAM + REPRISE)
    commit(maintained, "Reprise et nouveau mainteneur", "2026-01-05")
    assert "reprise-reservee-mainteneurs" in transition_codes(
        maintained, "--auteur", "equipe-msp-b"
    )


def test_adding_reprise_to_an_adhesion_of_the_base_is_reserved_too(maintained):
    write(maintained, ADHESION_PATH, ADHESION + REPRISE)
    commit(maintained, "Reprise ajoutée", "2026-01-05")
    assert transition_codes(maintained, "--auteur", "equipe-msp-a") == [
        "reprise-reservee-mainteneurs"
    ]


def test_a_declaration_long_before_the_first_commit_is_a_warning(repo):
    write(repo, NEW_TEAM_PATH, NEW_TEAM)  # date_declaration: 2024-03-12
    commit(repo, "Déclaration", "2024-04-13")  # 32 days later
    exit_code, findings = validate_json(repo, "--base", "main")
    finding = next(f for f in findings if f["code"] == "declaration-anterieure")
    assert exit_code == 0 and finding["severity"] == "warning"
    assert finding["line"] == next(
        n for n, line in enumerate(NEW_TEAM.splitlines(), 1) if line.startswith("date_declaration")
    )
    assert "(2024-04-13)" in finding["message"]


def test_a_declaration_within_31_days_of_the_first_commit_is_fine(repo):
    write(repo, NEW_TEAM_PATH, NEW_TEAM)
    commit(repo, "Déclaration", "2024-03-01")
    write(repo, NEW_TEAM_PATH, NEW_TEAM.replace("Lyon", "Villeurbanne"))
    commit(repo, "Correction", "2024-06-01")  # a later commit does not move the first one
    assert "declaration-anterieure" not in transition_codes(repo)


def test_an_imported_file_is_not_warned_about_its_old_declaration(maintained):
    write(maintained, NEW_TEAM_PATH, NEW_TEAM + REPRISE)
    commit(maintained, "Reprise", "2026-01-05")
    assert transition_codes(maintained, "--auteur", MAINTAINER) == []


# --- an instructed adhesion keeps its history (identity, end) ----------------------------------------

FIN = "fin:\n  date: 2024-06-30\n  motif: Départ du délégant\n"
SEALED_EDITS = {
    "date": ("date_declaration: 2024-03-12", "date_declaration: 2024-03-14"),
    "nom": ("MSP A (exemple fictif)", "MSP B (exemple fictif)"),
    "structure": ("  structure: msp", "  structure: centre_sante"),
    "commune": ("  commune: Lyon", "  commune: Villeurbanne"),
    "code_postal": ('code_postal: "69003"', 'code_postal: "69100"'),
    "rpps": (f'  - rpps: "{RPPS_DELEGUE}"', '  - rpps: "10000001049"'),
}


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.mark.parametrize("field", SEALED_EDITS)
def test_changing_what_the_ars_instructed_is_refused(repo, field):
    old, new = SEALED_EDITS[field]
    edited = ADHESION.replace(old, new)
    write(repo, ADHESION_PATH, edited)
    commit(repo, "Modification", "2024-04-01")
    exit_code, findings = validate_json(repo, "--base", "main", "--auteur", "equipe-msp-a")
    sealed = [f for f in findings if f["code"] == "identite-instruite"]
    assert exit_code == 1 and len(sealed) == 1 and sealed[0]["severity"] == "error"
    assert sealed[0]["line"] == _line_of(edited, new.strip())
    assert "demandez à l'ARS" in sealed[0]["message"] and "84" in sealed[0]["message"]


@pytest.mark.parametrize("field", SEALED_EDITS)
def test_the_region_reviewer_approving_lets_the_identity_change(repo, field):
    old, new = SEALED_EDITS[field]
    write(repo, ADHESION_PATH, ADHESION.replace(old, new))
    commit(repo, "Modification approuvée", "2024-04-01")
    approved = ("--auteur", "equipe-msp-a", "--approuve-par", "ars-84-instructrice")
    assert "identite-instruite" not in transition_codes(repo, *approved)
    other_region = ("--auteur", "equipe-msp-a", "--approuve-par", "ars-11-instructeur")
    assert "identite-instruite" in transition_codes(repo, *other_region)


def test_removing_a_member_of_an_instructed_team_is_refused(repo):
    start, end = ADHESION.index(f'  - rpps: "{RPPS_DELEGUE}"'), ADHESION.index("pieces:")
    write(repo, ADHESION_PATH, ADHESION[:start] + ADHESION[end:])
    commit(repo, "Départ d'un membre", "2024-04-01")
    _, findings = validate_json(repo, "--base", "main")
    sealed = [f for f in findings if f["code"] == "identite-instruite"]
    assert len(sealed) == 1 and RPPS_DELEGUE in sealed[0]["message"]


def test_adding_a_member_to_an_instructed_team_is_fine(repo):
    newcomer = (
        '  - adeli: "691234567"\n    nom_exercice: Nouveau\n    prenom: Alix\n'
        "    profession: infirmier\n    mode_exercice: liberal\n    role: delegue\n"
    )
    at = ADHESION.index("pieces:")
    write(repo, ADHESION_PATH, ADHESION[:at] + newcomer + ADHESION[at:])
    commit(repo, "Nouveau membre", "2024-04-01")
    assert "identite-instruite" not in transition_codes(repo)


def test_a_file_added_by_the_pull_request_is_not_instructed_yet(repo):
    write(repo, NEW_TEAM_PATH, NEW_TEAM)
    commit(repo, "Déclaration", "2024-03-13")
    write(repo, NEW_TEAM_PATH, NEW_TEAM.replace("Lyon", "Villeurbanne"))
    commit(repo, "Correction", "2024-03-14")
    assert transition_codes(repo) == []


@pytest.fixture
def ended(git_register) -> Path:
    root = git_register({**base_files(), ADHESION_PATH: ADHESION + FIN})
    branch(root, "pr")
    return root


@pytest.mark.parametrize("approval", [(), ("--approuve-par", "ars-84-instructrice")])
def test_an_end_recorded_on_the_base_is_never_removed(ended, approval):
    write(ended, ADHESION_PATH, ADHESION)
    commit(ended, "Fin retirée", "2024-07-01")
    exit_code, findings = validate_json(ended, "--base", "main", *approval)
    kept = [f for f in findings if f["code"] == "fin-definitive"]
    assert exit_code == 1 and len(kept) == 1 and "2024-06-30" in kept[0]["message"]


def test_the_date_of_a_recorded_end_does_not_move(ended):
    write(ended, ADHESION_PATH, ADHESION + FIN.replace("2024-06-30", "2024-09-30"))
    commit(ended, "Fin décalée", "2024-07-01")
    _, findings = validate_json(ended, "--base", "main")
    (kept,) = [f for f in findings if f["code"] == "fin-definitive"]
    assert kept["line"] == _line_of(ADHESION + FIN, "2024-06-30")
    assert "Remettez `date: 2024-06-30`" in kept["message"]


def test_the_reason_of_a_recorded_end_may_be_corrected(ended):
    write(ended, ADHESION_PATH, ADHESION + FIN.replace("Départ du délégant", "Départ du médecin"))
    commit(ended, "Motif corrigé", "2024-07-01")
    assert transition_codes(ended) == []


# --- a data file leaving the data folders is a deletion, wherever it goes ----------------------------


@pytest.mark.parametrize(
    "destination",
    [
        "schemas/msp-a.yml",
        "docs/msp-a.yml",
        "msp-a.yml",
        "adhesions/84/nat-test/msp-a.yaml",
    ],
)
def test_an_adhesion_moved_out_of_the_data_folders_is_a_deletion(repo, destination):
    (repo / destination).parent.mkdir(parents=True, exist_ok=True)
    git(repo, "mv", ADHESION_PATH, destination)
    commit(repo, "Déplacement", "2024-02-01")
    exit_code, findings = validate_json(repo, "--base", "main")
    deleted = [f for f in findings if f["code"] == "suppression-adhesion"]
    assert exit_code == 1 and [f["path"] for f in deleted] == [ADHESION_PATH]
    assert deleted[0]["severity"] == "error" and "renommage-interdit" not in codes(findings)


def test_a_protocol_moved_into_the_adhesions_is_a_deletion(repo):
    target = "adhesions/84/nat-test/reg-84-depose.yml"
    git(repo, "mv", PROTOCOL, target)
    commit(repo, "Déplacement", "2024-02-01")
    _, findings = validate_json(repo, "--base", "main")
    assert [f["path"] for f in findings if f["code"] == "suppression-protocole"] == [PROTOCOL]


def test_a_protocol_moved_out_uncommitted_is_a_deletion_too(repo):
    (repo / PROTOCOL).rename(repo / "schemas/reg-84-depose.yml")
    assert "suppression-protocole" in transition_codes(repo)


# --- submodules and symlinks under the data folders ---------------------------------------------------

SUBMODULE = "adhesions/84/nat-test/sous-depot"


def _commit_gitlink(root: Path, path: str) -> None:
    head = git(root, "rev-parse", "HEAD").strip()  # any commit id: git does not fetch it
    git(root, "update-index", "--add", "--cacheinfo", f"160000,{head},{path}")
    git(root, "commit", "-q", "-m", "Sous-module", date="2024-02-01")


def test_a_submodule_committed_under_the_adhesions_is_an_error(repo):
    _commit_gitlink(repo, SUBMODULE)
    exit_code, findings = validate_json(repo, "--base", "main")
    assert exit_code == 1
    assert [(f["code"], f["path"], f["severity"]) for f in findings] == [
        ("sous-module", SUBMODULE, "error")
    ]


def test_a_symlink_committed_on_the_base_is_reported_by_every_pull_request(git_register):
    root = git_register(base_files())
    (root / "protocols/nat-lien.yml").symlink_to("nat-test.yml")
    commit(root, "Lien", "2024-01-03")
    branch(root, "pr")
    write(root, NEW_TEAM_PATH, NEW_TEAM)
    commit(root, "Déclaration", "2024-03-13")
    exit_code, findings = validate_json(root, "--base", "main")
    assert exit_code == 1
    assert [(f["code"], f["path"]) for f in findings] == [
        ("lien-symbolique", "protocols/nat-lien.yml")
    ]


@pytest.mark.parametrize("marker", ["file", "folder"])
def test_a_nested_repository_on_disk_is_an_error_and_is_not_walked(scratch_register, marker):
    root = scratch_register(base_files())
    nested = root / SUBMODULE
    nested.mkdir(parents=True)
    if marker == "file":
        (nested / ".git").write_text(
            "gitdir: ../../../../.git/modules/sous-depot\n", encoding="utf-8"
        )
    else:
        git(nested, "init", "-q")
    (nested / "notes.txt").write_text("hors contrôle\n", encoding="utf-8")
    exit_code, findings = validate_json(root)
    assert exit_code == 1
    assert [(f["code"], f["path"]) for f in findings] == [("sous-module", SUBMODULE)]


@pytest.mark.parametrize(
    "path", [".github/workflows/validation.yml", "tooling/coopps/checker.py", "docs/x.md"]
)
def test_tooling_changes_only_with_a_maintainers_approval(maintained, path):
    write(maintained, path, "name: Validation du registre\njobs: {}\n")
    commit(maintained, "Outillage", "2026-01-05")
    exit_code, findings = validate_json(maintained, "--base", "main", "--auteur", "equipe-msp-b")
    finding = next(f for f in findings if f["code"] == "outillage-reserve-mainteneurs")
    assert (exit_code, finding["path"], finding["severity"]) == (1, path, "error")
    assert f"« {path} »" in finding["message"]
    assert (
        transition_codes(maintained, "--auteur", "equipe-msp-b", "--approuve-par", MAINTAINER) == []
    )
