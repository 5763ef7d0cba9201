"""Hostile corpus of the families "the check is the authority": paths and scope,
rules from the base branch, the cache and the identifier index, two runs at once.

Each case is a real register (a real git repository for the pull-request cases)
and runs the real command; it asserts the exit status, the path and line of the
finding, the French message, and that no traceback or internal error shows.
What each family guards: docs/developpeurs/corpus-hostile-base.md; the cache and
concurrency cases are in test_hostile_base_cache.py."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from coopps import checker
from coopps.cli import main
from gitops_samples import REVIEWERS, base_files, branch, commit, git, with_suspension, write
from register_samples import ADHESION, ADHESION_PATH, NATIONAL, VALID_REGISTER

PHONE = '    nom_exercice: "Fictif 06 12 34 56 78"'
ADHESION_SCHEMA = "schemas/adhesion.schema.json"
REFERENTIALS = "schemas/referentiels.schema.json"


def run(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["verifier", "--racine", str(root), *args], catch_exceptions=False
    )
    assert "Traceback" not in result.output and "Erreur interne" not in result.output
    return result.exit_code, result.output


def run_json(root: Path, *args: str) -> tuple[int, list[dict[str, Any]]]:
    code, output = run(root, "--format", "json", *args)
    return code, json.loads(output)["findings"]


def found(findings: list[dict[str, Any]], code: str) -> list[dict[str, Any]]:
    return [f for f in findings if f["code"] == code]


def edit_json(root: Path, rel: str, change: Any) -> None:
    document = json.loads((root / rel).read_text(encoding="utf-8"))
    change(document)
    (root / rel).write_text(
        json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def json_error_line(text: str) -> int:
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        return err.lineno
    raise AssertionError("valid JSON")


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), start=1) if needle in line)


# Paths and scope ------------------------------------------------------------------------------------


@pytest.fixture
def register(scratch_register, monkeypatch) -> Path:
    root = scratch_register(VALID_REGISTER)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize(
    "outside", ["../dehors.yml", "../../etc/passwd", "protocols/../../dehors.yml"]
)
def test_a_path_outside_the_register_is_refused_unread(register, outside):
    (register.parent / "dehors.yml").write_text("secret: 06 12 34 56 78\n", encoding="utf-8")
    code, output = run(register, outside)
    assert code == 2 and "hors du registre" in output and "06 12" not in output


def test_an_absolute_path_outside_the_register_is_refused(register):
    secret = register.parent / "dehors.yml"
    secret.write_text("secret: 06 12 34 56 78\n", encoding="utf-8")
    code, output = run(register, str(secret))
    assert code == 2 and "hors du registre" in output and "06 12" not in output


def test_dot_dot_is_resolved_before_the_kind_of_file_is_told(register):
    write(register, ADHESION_PATH, ADHESION.replace("  structure: msp", "  structure: ehpad"))
    code, findings = run_json(register, "protocols/../adhesions")
    assert code == 1
    assert [(f["code"], f["path"], f["line"]) for f in findings] == [
        ("cadre-non-prevu", ADHESION_PATH, 4)
    ]


def test_a_file_named_through_dot_dot_is_checked_as_what_it_is(register):
    write(register, ADHESION_PATH, ADHESION.replace("  structure: msp", "  structure: ehpad"))
    code, findings = run_json(register, f"protocols/../{ADHESION_PATH}")
    assert code == 1 and [f["path"] for f in findings] == [ADHESION_PATH]


@pytest.mark.parametrize(
    "target", ["docs", "relecteurs.yml", "schemas", "schemas/adhesion.schema.json", ".github"]
)
def test_only_the_data_folders_are_checked(register, target):
    (register / "docs").mkdir(exist_ok=True)
    (register / "docs" / "page.md").write_text("# Page\n", encoding="utf-8")
    code, output = run(register, target)
    assert code == 2
    assert "n'est pas un fichier du registre" in output and "`protocols/` et `adhesions/`" in output


def test_a_missing_file_is_a_french_usage_error(register):
    code, output = run(register, "adhesions/84/nat-test/absente.yml")
    assert code == 2 and "introuvable" in output


def test_the_root_itself_checks_everything(register):
    code, output = run(register, ".")
    assert code == 0 and "6 fichiers vérifiés" in output


def test_a_path_through_a_symlinked_folder_is_refused(register, tmp_path):
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (elsewhere / "msp-x.yml").write_text(
        ADHESION.replace("    nom_exercice: Fictif", PHONE), encoding="utf-8"
    )
    (register / "adhesions" / "84" / "lien").symlink_to(elsewhere)
    code, output = run(register, "adhesions/84/lien/msp-x.yml")
    assert code == 2 and "lien symbolique" in output and "06 12" not in output


def test_a_symlinked_folder_is_reported_never_followed(register, tmp_path):
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    (elsewhere / "msp-x.yml").write_text(
        ADHESION.replace("    nom_exercice: Fictif", PHONE), encoding="utf-8"
    )
    (register / "adhesions" / "84" / "lien").symlink_to(elsewhere)
    code, findings = run_json(register, "adhesions")
    assert code == 1
    assert {(f["code"], f["path"]) for f in findings} == {("lien-symbolique", "adhesions/84/lien")}
    assert all("06 12" not in f["message"] for f in findings)


def test_a_symlinked_file_is_refused_without_quoting_its_target(register):
    (register / "protocols" / "nat-passwd.yml").symlink_to("/etc/passwd")
    code, output = run(register, "protocols/nat-passwd.yml")
    assert code == 1 and "[lien-symbolique]" in output and "root:" not in output


def test_a_readme_in_a_data_folder_is_refused_like_any_file_that_is_not_data(register):
    (register / "adhesions" / "84" / "README.md").write_text(
        "# Adhésions de la région\n", encoding="utf-8"
    )
    code, findings = run_json(register, "adhesions/84")
    assert code == 1 and [(f["code"], f["path"]) for f in findings] == [
        ("fichier-inattendu", "adhesions/84/README.md")
    ]


def test_many_targets_never_widen_the_report(register, monkeypatch):
    write(register, "adhesions/84/nat-test/msp-b.yml", ADHESION.replace("MSP A", "MSP B"))
    write(
        register,
        "protocols/nat-test.yml",
        NATIONAL.replace("statut: autorise\n", "statut: autorise\nstatut: arrete\n"),
    )
    monkeypatch.setattr(checker, "FULL_LOAD_FROM", 1)
    code, findings = run_json(register, "adhesions/84/nat-test")
    assert code == 0 and findings == []
    code, output = run(register, "adhesions/84/nat-test")
    assert "2 fichiers vérifiés" in output


def test_a_large_pull_request_reports_only_its_files(git_register, monkeypatch):
    root = git_register({**VALID_REGISTER, "protocols/nat-test.yml": NATIONAL + "inconnu: oui\n"})
    branch(root, "pr")
    write(root, "adhesions/84/nat-test/msp-b.yml", ADHESION.replace("MSP A", "MSP B"))
    write(root, "adhesions/84/nat-test/msp-c.yml", ADHESION.replace("MSP A", "MSP C"))
    commit(root, "Deux équipes", "2024-03-20")
    monkeypatch.setattr(checker, "FULL_LOAD_FROM", 1)
    code, findings = run_json(root, "--base", "main")
    assert code == 0 and findings == []  # the error already on main is not this pull request's


# Rules from the base --------------------------------------------------------------------------------


@pytest.fixture
def repo(git_register) -> Path:
    root = git_register(base_files())
    branch(root, "pr")
    return root


def test_a_team_that_adds_itself_to_the_reviewers_cannot_suspend(repo):
    write(
        repo,
        "relecteurs.yml",
        REVIEWERS.replace(
            "membres: [ars-84-instructrice]", "membres: [ars-84-instructrice, equipe-msp-a]"
        ),
    )
    write(repo, ADHESION_PATH, with_suspension(ADHESION))
    commit(repo, "Suspension par l'équipe", "2025-02-01")
    code, findings = run_json(repo, "--base", "main", "--auteur", "equipe-msp-a")
    assert code == 1
    (refused,) = found(findings, "suspension-reservee-ars")
    assert refused["path"] == ADHESION_PATH and refused["line"] == line_of(
        with_suspension(ADHESION), "suspension:"
    )
    assert "relecteurs.yml de la branche de base" in refused["message"]
    assert [(f["path"], f["severity"]) for f in found(findings, "regles-modifiees")] == [
        ("relecteurs.yml", "warning")
    ]


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (("--auteur", "ars-84-instructrice"), True),
        (("--auteur", "equipe-msp-a", "--approuve-par", "ars-84-instructrice"), True),
        (
            (
                "--auteur",
                "equipe-msp-a",
                "--approuve-par",
                "voisin",
                "--approuve-par",
                "@ARS-84-Instructrice",
            ),
            True,
        ),
        (("--auteur", "equipe-msp-a", "--approuve-par", "ars-11-instructeur"), False),
        (("--auteur", "equipe-msp-a", "--approuve-par", "equipe-msp-a"), False),
        (("--approuve-par", "inconnu"), False),
    ],
)
def test_suspension_rights_follow_an_approval_by_the_regions_reviewer(repo, args, allowed):
    write(repo, ADHESION_PATH, with_suspension(ADHESION))
    commit(repo, "Suspension", "2025-02-01")
    code, findings = run_json(repo, "--base", "main", *args)
    assert (code, bool(found(findings, "suspension-reservee-ars"))) == (
        (0, False) if allowed else (1, True)
    )
    if not allowed:
        assert "approuvée par" in found(findings, "suspension-reservee-ars")[0]["message"]


def test_an_approver_known_only_to_the_pull_requests_reviewers_is_not_one(repo):
    write(
        repo,
        "relecteurs.yml",
        REVIEWERS.replace("membres: [ars-84-instructrice]", "membres: [complice]"),
    )
    write(repo, ADHESION_PATH, with_suspension(ADHESION))
    commit(repo, "Suspension", "2025-02-01")
    code, findings = run_json(repo, "--base", "main", "--approuve-par", "complice")
    assert code == 1 and found(findings, "suspension-reservee-ars")


def test_a_loosened_schema_does_not_judge_its_own_pull_request(repo):
    edit_json(
        repo,
        ADHESION_SCHEMA,
        lambda d: d["properties"]["membres"]["items"].update(additionalProperties=True),
    )
    write(
        repo,
        ADHESION_PATH,
        ADHESION.replace("    role: delegant\n", "    role: delegant\n    telephone_pro: oui\n"),
    )
    commit(repo, "Schéma assoupli", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    (unknown,) = found(findings, "champ-inconnu")
    assert (
        unknown["path"] == ADHESION_PATH
        and unknown["line"] == line_of(ADHESION, "    role: delegant") + 1
    )
    assert [f["path"] for f in found(findings, "regles-modifiees")] == [ADHESION_SCHEMA]


def test_a_loosened_schema_letting_odd_data_through_never_crashes_the_rules(repo):
    edit_json(repo, ADHESION_SCHEMA, lambda d: d["properties"]["membres"].update(items={}))
    write(
        repo, ADHESION_PATH, ADHESION.split("membres:")[0] + 'membres: ["x", 3, null]\npieces: []\n'
    )
    commit(repo, "Membres quelconques", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1 and found(findings, "type-invalide") and found(findings, "regles-modifiees")
    assert all(f["path"] in (ADHESION_PATH, ADHESION_SCHEMA) for f in findings)


def test_a_tightened_schema_judges_the_pull_request_too(repo):
    edit_json(
        repo,
        ADHESION_SCHEMA,
        lambda d: d["properties"]["equipe"]["properties"]["nom"].update(maxLength=5),
    )
    commit(repo, "Noms courts", "2025-02-01")
    write(repo, "adhesions/84/nat-test/msp-b.yml", ADHESION.replace("MSP A", "MSP B"))
    commit(repo, "Équipe B", "2025-02-02")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    (too_long,) = found(findings, "valeur-hors-limites")
    assert too_long["path"] == "adhesions/84/nat-test/msp-b.yml" and too_long["line"] == 3


@pytest.mark.parametrize(
    ("name", "breaking", "line", "reason"),
    [
        ("json-casse", lambda text: text.replace('"type"', '"type', 1), 0, "JSON est invalide"),
        (
            "type-inconnu",
            lambda text: text.replace('"type": "object"', '"type": "objet"', 1),
            1,
            "pas un schéma JSON Schema",
        ),
        ("sans-id", lambda text: text.replace('"$id"', '"$id_retire"', 1), 1, "`$id`"),
        (
            "reference-perdue",
            lambda text: text.replace("#/$defs/profession", "#/$defs/profession_disparue"),
            1,
            "ne mène à aucune définition",
        ),
        ("binaire", lambda text: "\udcff", 1, "UTF-8"),
        (
            "motif-anticipation",
            lambda text: text.replace('"^[0-9]{5}$"', '"^(?=[0-9])[0-9]{5}$"'),
            1,
            "temps linéaire",
        ),
        (
            "motif-geant",
            lambda text: text.replace('"^[0-9]{5}$"', '"^([0-9]{1000}){1000}$"'),
            1,
            "temps linéaire",
        ),
        (
            "pattern-properties",
            lambda text: text.replace(
                '"required"', '"patternProperties": {"^x": {}}, "required"', 1
            ),
            1,
            "patternProperties",
        ),
    ],
)
def test_a_broken_schema_in_the_pull_request_is_a_finding(repo, name, breaking, line, reason):
    text = (repo / ADHESION_SCHEMA).read_text(encoding="utf-8")
    broken = breaking(text)
    (repo / ADHESION_SCHEMA).write_bytes(broken.encode("utf-8", "surrogateescape"))
    write(repo, "adhesions/84/nat-test/msp-b.yml", ADHESION.replace("MSP A", "MSP B"))
    commit(repo, f"Schéma {name}", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    (invalid,) = found(findings, "regles-invalides")
    assert invalid["path"] == ADHESION_SCHEMA and invalid["severity"] == "error"
    assert invalid["line"] == (line or json_error_line(broken))
    assert reason in invalid["message"] and "branche de base" in invalid["message"]


def test_a_catastrophic_pattern_in_the_pull_request_is_applied_in_linear_time(repo):
    """`^(a+)+$` took Python's `re` 2^n steps on `aaa…!`; the linear engine answers at once."""
    edit_json(
        repo,
        ADHESION_SCHEMA,
        lambda d: d["properties"]["equipe"]["properties"]["nom"].update(pattern="^(a+)+$"),
    )
    write(repo, "adhesions/84/nat-test/msp-b.yml", ADHESION.replace("MSP A", "a" * 60 + "!"))
    commit(repo, "Motif catastrophique", "2025-02-01")
    start = time.perf_counter()
    code, findings = run_json(repo, "--base", "main")
    assert time.perf_counter() - start < 20  # the whole check; the pattern alone would never end
    assert code == 1
    # the base's rules refuse the `!` of a published name too: both findings are on the name's line
    mismatches = [
        f
        for f in found(findings, "format-invalide")
        if f["path"] == "adhesions/84/nat-test/msp-b.yml"
    ]
    assert mismatches and {m["line"] for m in mismatches} == {3}


def test_a_deleted_schema_is_a_finding_and_the_base_still_judges(repo):
    git(repo, "rm", "-q", ADHESION_SCHEMA)
    write(
        repo,
        "adhesions/84/nat-test/msp-b.yml",
        ADHESION.replace("  structure: msp", "  structure: ehpad"),
    )
    commit(repo, "Sans schéma", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    assert [f["path"] for f in found(findings, "regles-invalides")] == [ADHESION_SCHEMA]
    assert "supprimé" in found(findings, "regles-invalides")[0]["message"]
    assert [f["path"] for f in found(findings, "cadre-non-prevu")] == [
        "adhesions/84/nat-test/msp-b.yml"
    ]


def test_a_referential_removed_by_the_pull_request_is_a_finding(repo):
    edit_json(repo, REFERENTIALS, lambda d: d["$defs"].pop("region"))
    commit(repo, "Sans régions", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    invalid = found(findings, "regles-invalides")
    assert REFERENTIALS in {f["path"] for f in invalid}
    assert any(f["path"] == REFERENTIALS and "« region »" in f["message"] for f in invalid)


def test_a_region_added_by_the_pull_request_does_not_admit_its_adhesion(repo):
    def add_region(document: dict[str, Any]) -> None:
        document["$defs"]["region"]["enum"].append("99")

    edit_json(repo, REFERENTIALS, add_region)
    write(repo, "adhesions/99/nat-test/msp-a.yml", ADHESION)
    commit(repo, "Région 99", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    (path,) = found(findings, "chemin-invalide")
    assert path["path"] == "adhesions/99/nat-test/msp-a.yml" and "« 99 »" in path["message"]


def test_a_broken_reviewers_register_in_the_pull_request_is_a_finding(repo):
    write(repo, "relecteurs.yml", "regions: [\n")
    commit(repo, "Relecteurs cassés", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    (invalid,) = found(findings, "regles-invalides")
    assert invalid["path"] == "relecteurs.yml" and "relecteurs.yml" in invalid["message"]


def test_an_uncommitted_rule_change_is_seen_too(repo):
    edit_json(repo, ADHESION_SCHEMA, lambda d: d.update(additionalProperties=True))
    code, findings = run_json(repo, "--base", "main")
    assert code == 0 and [f["code"] for f in findings] == ["regles-modifiees"]


def test_an_adhesion_is_judged_by_the_base_version_of_its_protocol(repo):
    write(
        repo,
        "protocols/nat-test.yml",
        NATIONAL.replace("delegues: [infirmier]", "delegues: [infirmier, orthoptiste]"),
    )
    other = ADHESION.replace("MSP A", "MSP B").replace(
        "    profession: infirmier", "    profession: orthoptiste"
    )
    write(repo, "adhesions/84/nat-test/msp-b.yml", other)
    commit(repo, "Protocole élargi et équipe d'orthoptistes", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    (misfit,) = found(findings, "profession-non-prevue")
    assert misfit["path"] == "adhesions/84/nat-test/msp-b.yml" and misfit["line"] == line_of(
        other, "orthoptiste"
    )


def test_an_adhesion_to_a_protocol_new_in_the_pull_request_waits_for_it(repo):
    write(repo, "protocols/nat-nouveau.yml", NATIONAL)
    write(repo, "adhesions/84/nat-nouveau/msp-a.yml", ADHESION)
    commit(repo, "Protocole et adhésion", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    assert [f["path"] for f in found(findings, "protocole-inconnu")] == [
        "adhesions/84/nat-nouveau/msp-a.yml"
    ]


def test_the_adhesions_of_a_changed_protocol_are_judged_by_its_new_version(repo):
    write(
        repo,
        "protocols/nat-test.yml",
        NATIONAL.replace("cadres_exercice: [msp, centre_sante]", "cadres_exercice: [centre_sante]"),
    )
    commit(repo, "Cadres restreints", "2025-02-01")
    code, findings = run_json(repo, "--base", "main")
    assert code == 1
    (misfit,) = found(findings, "cadre-non-prevu")
    assert misfit["path"] == ADHESION_PATH and misfit["line"] == 4
