"""Steering figures on a register with a real git history whose curves and
totals are written by hand below.

Timeline on `main` (commit dates pinned):

    2024-01-02  protocols nat-test (with indicators), reg-84-test, nat-ancien
    2024-02-10  A adhesions/84/nat-test/msp-a       merged; declared, so active, since 2024-01-15
    2024-03-20  B adhesions/84/reg-84-test/msp-b    merged; active since 2024-03-01 (délégué orthoptiste)
    2024-04-05  C adhesions/11/nat-test/msp-c       merged; active since 2024-03-15
    2024-05-02  D adhesions/84/nat-ancien/msp-d     merged; active since 2024-04-20
    2024-06-15  B suspended by the ARS, `suspension.date: 2024-06-10`
    2024-08-20  B's suspension lifted
    2024-10-01  nat-ancien `arrete`, `arret.date: 2024-09-30`   → D ended on 2024-09-30
    2025-01-20  C gets `fin.date: 2024-12-31`                   → C ended on 2024-12-31
    2025-02-01  A's report for 2024
    2025-03-10  C's report for 2024
B and D never report 2024: late once 31 March 2025 is over.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO_ROOT, git
from coopps.cli import main
from coopps.gitops.history import load_history
from coopps.register import Register
from coopps.stats.facts import Scope, collect
from coopps.stats.figures import figures, last_due_year, month_end, month_range
from register_samples import ADHESION, NATIONAL, REGIONAL
from test_reports import NATIONAL_WITH_INDICATORS, REPORT

TODAY = "2025-06-15"
NATION = Scope()
A = "adhesions/84/nat-test/msp-a.yml"
B = "adhesions/84/reg-84-test/msp-b.yml"
C = "adhesions/11/nat-test/msp-c.yml"
D = "adhesions/84/nat-ancien/msp-d.yml"
ANCIEN = NATIONAL.replace("Protocole national de test", "Protocole ancien de test")
ANCIEN_STOPPED = (
    ANCIEN.replace("statut: autorise", "statut: arrete")
    + "arret:\n  date: 2024-09-30\n  motif: Abrogé\n"
)


def team(name: str, declared: str, delegue: str = "infirmier") -> str:
    text = ADHESION.replace("MSP A (exemple fictif)", f"{name} (exemple fictif)")
    text = text.replace("date_declaration: 2024-03-12", f"date_declaration: {declared}")
    return text.replace("    profession: infirmier", f"    profession: {delegue}")


def report(patients: int, reorientations: int, rate: int, eig: int) -> str:
    return (
        REPORT.replace("eig_declares: 0", f"eig_declares: {eig}")
        .replace("patients-pris-en-charge: 120", f"patients-pris-en-charge: {patients}")
        .replace("reorientations-delegant: 7", f"reorientations-delegant: {reorientations}")
        .replace("taux-satisfaction: 92.5", f"taux-satisfaction: {rate}")
    )


B_TEXT = team("MSP B", "2024-03-01", "orthoptiste")
C_TEXT = team("MSP C", "2024-03-15")
STEPS: list[tuple[str, dict[str, str]]] = [
    (
        "2024-01-02",
        {
            "protocols/nat-test.yml": NATIONAL_WITH_INDICATORS,
            "protocols/reg-84-test.yml": REGIONAL,
            "protocols/nat-ancien.yml": ANCIEN,
        },
    ),
    ("2024-02-10", {A: team("MSP A", "2024-01-15")}),
    ("2024-03-20", {B: B_TEXT}),
    ("2024-04-05", {C: C_TEXT}),
    ("2024-05-02", {D: team("MSP D", "2024-04-20")}),
    ("2024-06-15", {B: B_TEXT + "suspension:\n  date: 2024-06-10\n  motif: Pièces à compléter\n"}),
    ("2024-08-20", {B: B_TEXT}),
    ("2024-10-01", {"protocols/nat-ancien.yml": ANCIEN_STOPPED}),
    ("2025-01-20", {C: C_TEXT + "fin:\n  date: 2024-12-31\n  motif: Départ du médecin délégant\n"}),
    ("2025-02-01", {"adhesions/84/nat-test/msp-a.suivi-2024.yml": report(120, 7, 90, 1)}),
    ("2025-03-10", {"adhesions/11/nat-test/msp-c.suivi-2024.yml": report(30, 3, 80, 0)}),
]


def build_history(root: Path, steps: list[tuple[str, dict[str, str]]]) -> Path:
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    git(root, "init", "-q", "-b", "main")
    for date, files in steps:
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Registre au {date}", date=date)
    return root


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return build_history(tmp_path_factory.mktemp("stats") / "registre", STEPS)


@pytest.fixture(scope="module")
def facts(repo):
    register = Register.load(repo)
    assert all(entry.valid for entry in register.entries), [
        e.findings for e in register.entries if not e.valid
    ]
    return collect(register, load_history(repo), TODAY)


def rows(facts, name: str, scope: Scope = NATION) -> list[tuple]:
    return figures(facts, scope)[name].rows


def test_the_national_curve_counts_each_month_end(facts):
    assert rows(facts, "actives-par-mois") == [
        # mois, actives, suspendues, terminées (active from the declaration, not the merge)
        ("2024-01", 1, 0, 0),  # A declared on 2024-01-15, merged on 2024-02-10
        ("2024-02", 1, 0, 0),
        ("2024-03", 3, 0, 0),  # B and C declared in March
        ("2024-04", 4, 0, 0),
        ("2024-05", 4, 0, 0),
        ("2024-06", 3, 1, 0),  # B suspended from 2024-06-10
        ("2024-07", 3, 1, 0),
        ("2024-08", 4, 0, 0),  # lifted on 2024-08-20
        ("2024-09", 3, 0, 1),  # nat-ancien stopped on 2024-09-30: D ends
        ("2024-10", 3, 0, 1),
        ("2024-11", 3, 0, 1),
        ("2024-12", 2, 0, 2),  # C's fin on 2024-12-31, written in January
        ("2025-01", 2, 0, 2),
        ("2025-02", 2, 0, 2),
        ("2025-03", 2, 0, 2),
        ("2025-04", 2, 0, 2),
        ("2025-05", 2, 0, 2),
        ("2025-06", 2, 0, 2),  # counted at TODAY
    ]


def test_a_region_counts_only_its_adhesions(facts):
    curve = rows(facts, "actives-par-mois", Scope(region="84"))
    assert curve[:9] == [
        ("2024-01", 1, 0, 0),
        ("2024-02", 1, 0, 0),
        ("2024-03", 2, 0, 0),
        ("2024-04", 3, 0, 0),
        ("2024-05", 3, 0, 0),
        ("2024-06", 2, 1, 0),
        ("2024-07", 2, 1, 0),
        ("2024-08", 3, 0, 0),
        ("2024-09", 2, 0, 1),
    ]
    assert curve[-1] == ("2025-06", 2, 0, 1)
    assert rows(facts, "actives-par-mois", Scope(region="11")) == [
        (month, 1 if month < "2024-12" else 0, 0, 0 if month < "2024-12" else 1)
        for month in month_range("2024-03-15", TODAY)
    ]
    assert rows(facts, "actives-par-mois", Scope(region="93")) == []


def test_adhesions_by_protocol_say_how_many_and_since_when(facts):
    assert rows(facts, "adhesions-par-protocole") == [
        ("nat-ancien", "Protocole ancien de test", 0, 0, 1, "2024-04-20"),
        ("nat-test", "Protocole national de test", 1, 0, 1, "2024-01-15"),
        ("reg-84-test", "Protocole régional de test", 1, 0, 0, "2024-03-01"),
    ]
    assert rows(facts, "adhesions-par-protocole", Scope(protocol="nat-test", region="11")) == [
        ("nat-test", "Protocole national de test", 0, 0, 1, "2024-03-15"),
    ]


def test_active_adhesions_by_delegated_profession(facts):
    assert rows(facts, "actives-par-profession") == [
        ("infirmier", "Infirmier", 1, 1),
        ("orthoptiste", "Orthoptiste", 1, 1),
    ]
    by_month = rows(facts, "actives-par-profession-par-mois")
    assert by_month[:2] == [("2024-01", "infirmier", 1), ("2024-02", "infirmier", 1)]
    assert (
        min(month for month, profession, _ in by_month if profession == "orthoptiste") == "2024-03"
    )  # its first adhesion
    assert ("2024-05", "infirmier", 3) in by_month and ("2024-06", "orthoptiste", 0) in by_month
    assert by_month[-2:] == [("2025-06", "infirmier", 1), ("2025-06", "orthoptiste", 1)]
    by_protocol = rows(facts, "actives-par-protocole-par-mois")
    assert [r for r in by_protocol if r[0] == "2024-09"] == [
        ("2024-09", "nat-ancien", 0),
        ("2024-09", "nat-test", 2),
        ("2024-09", "reg-84-test", 1),
    ]


def test_reports_expected_and_received_per_year(facts, repo):
    assert rows(facts, "rapports-par-annee") == [
        ("nat-ancien", 2024, 1, 0),
        ("nat-test", 2024, 2, 2),
        ("reg-84-test", 2024, 1, 0),
    ]
    assert rows(facts, "rapports-par-annee-total") == [(2024, 4, 2)]
    assert rows(facts, "rapports-par-annee-total", Scope(region="84")) == [(2024, 3, 1)]
    next_winter = collect(Register.load(repo), load_history(repo), "2026-02-01")
    assert figures(next_winter)["rapports-par-annee-total"].rows == [
        (2024, 4, 2),
        (2025, 2, 0),
    ]  # A and B; C and D ended


def test_late_teams_after_the_31st_of_march(facts, repo):
    assert rows(facts, "retards") == [
        ("84", "nat-ancien", "msp-d", "MSP D (exemple fictif)", "terminée", "2024", None),
        ("84", "reg-84-test", "msp-b", "MSP B (exemple fictif)", "active", "2024", None),
    ]
    register, history = Register.load(repo), load_history(repo)
    assert figures(collect(register, history, "2025-03-31"))["retards"].rows == []
    assert len(figures(collect(register, history, "2025-04-01"))["retards"].rows) == 2
    assert (last_due_year("2025-03-31"), last_due_year("2025-04-01")) == (2023, 2024)


def test_indicators_are_aggregated_per_protocol_and_year(facts):
    assert rows(facts, "indicateurs") == [
        # protocole, annee, indicateur, libellé, type, unité, rapports, total, moyenne, min, max
        (
            "nat-test",
            2024,
            "eig_declares",
            "Événements indésirables graves déclarés",
            "entier",
            "événements",
            2,
            1,
            0.5,
            0,
            1,
        ),
        (
            "nat-test",
            2024,
            "patients-pris-en-charge",
            "Nombre de patients pris en charge par le délégué",
            "entier",
            "patients",
            2,
            150,
            75.0,
            30,
            120,
        ),
        (
            "nat-test",
            2024,
            "reorientations-delegant",
            "Nombre de réorientations vers le délégant",
            "entier",
            None,
            2,
            10,
            5.0,
            3,
            7,
        ),
        (
            "nat-test",
            2024,
            "taux-satisfaction",
            "Taux de patients satisfaits",
            "taux",
            "%",
            2,
            None,
            85.0,
            80,
            90,
        ),
    ]
    assert [r[2:4] for r in rows(facts, "indicateurs", Scope(region="11"))][1] == (
        "patients-pris-en-charge",
        "Nombre de patients pris en charge par le délégué",
    )
    assert rows(facts, "indicateurs", Scope(region="11"))[1][7] == 30


def test_month_helpers():
    assert month_range("2024-11-20", "2025-02-01") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert month_end("2024-02", "2025-01-01") == "2024-02-29"
    assert month_end("2025-01", "2025-01-10") == "2025-01-10"


def test_without_git_nothing_is_active(tmp_path):
    root = tmp_path / "registre"
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    for rel, text in {"protocols/nat-test.yml": NATIONAL, A: ADHESION}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    tables = figures(collect(Register.load(root), load_history(root), TODAY))
    assert all(table.rows == [] for table in tables.values())


def run(*args: str) -> str:
    result = CliRunner().invoke(main, ["chiffres", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_the_command_prints_the_same_figures(repo):
    csv_text = run(
        "--racine",
        str(repo),
        "--date",
        TODAY,
        "--region",
        "84",
        "--format",
        "csv",
        "--tableau",
        "retards",
    )
    assert csv_text == (
        "region,protocole,equipe,nom,statut,annees_manquantes,dernier_rapport\n"
        "84,nat-ancien,msp-d,MSP D (exemple fictif),terminée,2024,\n"
        "84,reg-84-test,msp-b,MSP B (exemple fictif),active,2024,\n"
    )
    document = json.loads(
        run("--racine", str(repo), "--date", TODAY, "--format", "json", "--protocole", "nat-test")
    )
    assert document["perimetre"]["libelle"] == "protocole « Protocole national de test »"
    assert document["tableaux"]["rapports-par-annee"]["lignes"] == [
        {"protocole": "nat-test", "annee": 2024, "attendus": 2, "recus": 2},
    ]
    text = run("--racine", str(repo), "--date", TODAY)
    assert "Statistiques du registre — France entière, au 15/06/2025" in text
    assert "Équipes en retard pour leur rapport annuel [retards]" in text
    every = run("--racine", str(repo), "--date", TODAY, "--format", "csv")
    assert (
        every.count("# tableau: ") == 10
        and "# tableau: indicateurs\nprotocole,annee,indicateur" in every
    )


def test_the_command_writes_one_csv_file_per_table(repo, tmp_path):
    CliRunner().invoke(
        main,
        ["chiffres", "--racine", str(repo), "--date", TODAY, "--sortie", str(tmp_path / "out")],
        catch_exceptions=False,
    )
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        f"{name}.csv" for name in figures_names()
    )
    assert (tmp_path / "out/actives-par-mois.csv").read_text(encoding="utf-8").splitlines()[
        1
    ] == "2024-01,1,0,0"


def figures_names() -> list[str]:
    from coopps.stats.figures import TABLES

    return list(TABLES)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--region", "99"], "n'est pas un code de région"),
        (["--protocole", "nat-inconnu"], "n'existe pas"),
        (["--date", "2025-13-01"], "n'est pas une date"),
    ],
)
def test_bad_options_are_french_errors_with_status_2(repo, args, message):
    result = CliRunner().invoke(main, ["chiffres", "--racine", str(repo), *args])
    assert result.exit_code == 2 and message in result.output


def test_state_changes_keep_the_order_of_one_day_and_stop_at_the_end():
    from coopps.gitops.timeline import state_changes as _changes

    assert _changes("2024-01-01", [("2024-03-01", "2024-03-01")], None, TODAY) == (
        ("2024-01-01", "active"),
    )
    assert _changes("2024-01-01", [("2023-03-01", None)], "2024-06-01", TODAY) == (
        ("2024-01-01", "suspendue"),
        ("2024-06-01", "terminee"),
    )
    assert _changes("2024-01-01", [], "2099-01-01", TODAY) == (
        ("2024-01-01", "active"),
    )  # a future fin is not yet
    assert _changes(None, [], None, TODAY) == ()  # not merged: not counted


def test_csv_cells_never_start_a_spreadsheet_formula():
    from coopps.stats.figures import Table

    table = Table("t", "T", ("nom", "valeur"), [('=HYPERLINK("http://x")', -3), ("@SUM(A1)", 2.5)])
    assert table.csv() == 'nom,valeur\n"\'=HYPERLINK(""http://x"")",-3\n\'@SUM(A1),2.5\n'
