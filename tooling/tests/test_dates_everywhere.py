"""One register with a real git history, and the same dates and counts in every
place that shows them: `coop statut`, `coop chiffres`, the region and protocol
pages, the dashboards, the exports and the feed (`coopps.gitops.timeline`).

History of `main` (commit dates pinned), TODAY = 2025-06-15:

    2024-01-02  import (the register's first commit): protocols nat-test, nat-ancien;
                I 84/nat-test   declared 2021-05-03, reprise démarches-simplifiées
                J 11/nat-test   declared 2020-09-01, reprise COOP-PS activated 2020-10-15
                L 84/nat-ancien declared 2022-03-01, reprise démarches-simplifiées
    2024-04-05  K 84/nat-test declared 2024-03-15, pull request #7
    2024-06-15  J suspended from 2024-06-10 (#8)
    2024-10-01  nat-ancien stopped, arret.date 2024-09-30 (#9)    → L ends
    2025-01-20  I ends, fin.date 2024-12-31 (#10)
    2025-02-01  I's reports 2023 and 2024 (#11)
    2025-03-10  K's report 2024 (#12)

Owed by 31 March 2025 (years active at some point): I 2021-2024 (missing 2021, 2022),
J 2020-2024 (all missing), K 2024 (received), L 2022-2024 (all missing).
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO_ROOT, git
from coopps.cli import main
from coopps.gitops.history import load_history
from coopps.register import Register
from coopps.site import export
from coopps.site.dashboards import Dashboards, csv_uri
from coopps.site.model import build_catalogue
from coopps.site.pages import Pages, protocol_uri, region_uri
from coopps.stats.facts import Scope, collect
from coopps.stats.figures import figures
from coopps.wording import plural
from gitops_samples import coop
from test_reports import NATIONAL_WITH_INDICATORS, REPORT
from test_stats import ANCIEN, ANCIEN_STOPPED, team

TODAY = "2025-06-15"
MSP_I = "adhesions/84/nat-test/msp-i.yml"
J = "adhesions/11/nat-test/msp-j.yml"
K = "adhesions/84/nat-test/msp-k.yml"
L = "adhesions/84/nat-ancien/msp-l.yml"


def reprise(source: str, activated: str) -> str:
    return f"reprise:\n  source: {source}\n  date_activation: {activated}\n"


I_TEXT = team("MSP I", "2021-05-03") + reprise("demarches-simplifiees", "2021-05-03")
J_TEXT = team("MSP J", "2020-09-01") + reprise("coop-ps", "2020-10-15")
STEPS: list[tuple[str, str, dict[str, str]]] = [
    (
        "2024-01-02",
        "Import de l'historique",
        {
            "protocols/nat-test.yml": NATIONAL_WITH_INDICATORS,
            "protocols/nat-ancien.yml": ANCIEN,
            MSP_I: I_TEXT,
            J: J_TEXT,
            L: team("MSP L", "2022-03-01") + reprise("demarches-simplifiees", "2022-03-01"),
        },
    ),
    ("2024-04-05", "Adhésion de la MSP K (#7)", {K: team("MSP K", "2024-03-15")}),
    (
        "2024-06-15",
        "Suspension de la MSP J (#8)",
        {J: J_TEXT + "suspension:\n  date: 2024-06-10\n  motif: Contrôle\n"},
    ),
    ("2024-10-01", "Arrêt du protocole ancien (#9)", {"protocols/nat-ancien.yml": ANCIEN_STOPPED}),
    (
        "2025-01-20",
        "Fin de la MSP I (#10)",
        {MSP_I: I_TEXT + "fin:\n  date: 2024-12-31\n  motif: Départ\n"},
    ),
    (
        "2025-02-01",
        "Rapports de la MSP I (#11)",
        {
            "adhesions/84/nat-test/msp-i.suivi-2023.yml": REPORT.replace("2024", "2023"),
            "adhesions/84/nat-test/msp-i.suivi-2024.yml": REPORT,
        },
    ),
    (
        "2025-03-10",
        "Rapport de la MSP K (#12)",
        {"adhesions/84/nat-test/msp-k.suivi-2024.yml": REPORT},
    ),
]
# (path, status phrase, « instruite le ») at TODAY, the truth every surface must tell
STATUSES = {
    MSP_I: ("Terminée le 31/12/2024", "2021-05-03"),
    J: ("Suspendue depuis le 10/06/2024", "2020-10-15"),
    K: ("Active depuis le 15/03/2024", "2024-04-05"),
    L: ("Terminée (protocole arrêté) le 30/09/2024", "2022-03-01"),
}
LATE_84 = [("nat-ancien", "msp-l", "2022 2023 2024"), ("nat-test", "msp-i", "2021 2022")]


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    """The steps committed on `main` with their pull-request titles (squash merges « … (#n) »)."""
    root = tmp_path_factory.mktemp("dates") / "registre"
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    git(root, "init", "-q", "-b", "main")
    for date, title, files in STEPS:
        for rel, text in files.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", title, date=date)
    return root


@pytest.fixture(scope="module")
def register(repo):
    loaded = Register.load(repo)
    assert all(entry.valid for entry in loaded.entries)
    return loaded


@pytest.fixture(scope="module")
def catalogue(repo, register):
    return build_catalogue(register, load_history(repo), today=TODAY)


@pytest.fixture(scope="module")
def pages(catalogue):
    return Pages(catalogue).all()


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def test_coop_status_tells_each_adhesion_s_status_and_instruction(repo):
    for path, (phrase, instructed) in STATUSES.items():
        result = coop(repo, "statut", path, "--format", "json")
        item = json.loads(result.output)["adhesions"][0]
        assert item["instructed"] == instructed
        text = coop(repo, "statut", path).output
        assert f"Statut : {phrase}\n" in text
    k_text = coop(repo, "statut", K).output
    assert "Instruite par l'ARS le 05/04/2024 (PR #7)" in k_text
    j_text = coop(repo, "statut", J).output
    assert "01/09/2020  Adhésion déclarée à l'ARS (dossier repris de COOP-PS)" in j_text
    assert "02/01/2024" not in j_text  # the import commit is no date of the adhesion


def test_the_region_page_shows_the_same_statuses(pages):
    page = text_of(pages[region_uri("84")].html)
    for path in (MSP_I, K, L):
        assert STATUSES[path][0] in page
    assert STATUSES[J][0] in text_of(pages[region_uri("11")].html)


def test_the_export_has_the_same_dates(catalogue):
    rows = {
        (r["region"], r["protocole"], r["equipe"]): r
        for r in csv.DictReader(io.StringIO(export.teams_csv(catalogue)))
    }
    assert (
        rows[("84", "nat-test", "msp-k")]["depuis"],
        rows[("84", "nat-test", "msp-k")]["instruite_le"],
    ) == ("2024-03-15", "2024-04-05")
    assert rows[("11", "nat-test", "msp-j")]["reprise"] == "coop-ps"
    assert rows[("84", "nat-ancien", "msp-l")]["statut"] == "terminee-protocole-arrete"
    assert rows[("84", "nat-ancien", "msp-l")]["depuis"] == "2024-09-30"


def test_late_teams_are_the_same_in_coop_stats_and_the_dashboard(repo, register):
    facts = collect(register, load_history(repo), TODAY)
    late = [(r[1], r[2], r[5]) for r in figures(facts)["retards"].rows if r[0] == "84"]
    assert late == LATE_84
    files = Dashboards(facts).all()
    command = (
        CliRunner()
        .invoke(
            main,
            [
                "chiffres",
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
            ],
            catch_exceptions=False,
        )
        .output
    )
    assert files[csv_uri("84", "retards")] == command
    assert [
        (r["protocole"], r["equipe"], r["annees_manquantes"])
        for r in csv.DictReader(io.StringIO(command))
    ] == LATE_84
    national = {(r[2], r[5]) for r in figures(facts)["retards"].rows}
    assert ("msp-j", "2020 2021 2022 2023 2024") in national and all(
        team != "msp-k" for team, _ in national
    )


def test_expected_reports_are_never_fewer_than_received(repo, register):
    facts = collect(register, load_history(repo), TODAY)
    totals = figures(facts)["rapports-par-annee-total"].rows
    assert totals == [(2020, 1, 0), (2021, 2, 0), (2022, 3, 0), (2023, 3, 1), (2024, 4, 2)]
    assert all(expected >= received for _, expected, received in totals)


def test_active_counts_agree_between_home_region_page_and_dashboard(
    repo, register, catalogue, pages
):
    facts = collect(register, load_history(repo), TODAY)
    dashboard = figures(facts, Scope(region="84"))
    assert dashboard["actives-par-mois"].rows[-1][1:] == (1, 0, 2)  # K active; I and L ended
    assert catalogue.active_by_region["84"] == 1
    region = text_of(pages[region_uri("84")].html)
    applicable = len(catalogue.applicable_in("84"))
    authorised = plural(applicable, "protocole applicable", "protocoles applicables")
    assert f"{authorised} aujourd'hui · 1 adhésion active" in region
    home = pages["index.md"].html
    card = re.search(
        r'<a href="regions/84/"><strong>Auvergne-Rhône-Alpes</strong><span>(\d+) protocoles? applicables?</span>'
        r"(?:<small>[^<]*</small>)?<span>(\d+) équipes? actives?</span>",
        home,
    )
    assert card and (int(card.group(1)), int(card.group(2))) == (
        applicable,
        1,
    )  # the home map says the same
    row = re.search(r'href="regions/84/">[^<]+</a></td><td>(\d+)</td><td>(\d+)</td>', home)
    assert row and (int(row.group(1)), int(row.group(2))) == (applicable, 1)


def test_the_protocol_timeline_is_dated_by_the_data_without_import_noise(pages):
    page = text_of(pages[protocol_uri("nat-ancien")].html)
    assert "06/03/2020 — Arrêté d'autorisation (Arrêté de test)" in page
    assert "30/09/2024 — Fin d'autorisation du protocole" in page
    assert "01/10/2024 — Statut mis à jour au registre : fin d'autorisation (PR #9)" in page
    assert "02/01/2024" not in page  # the import commit


def test_the_feed_lists_real_events_newest_first(catalogue):
    feed = export.atom_feed(catalogue, "https://exemple.invalid/", {}, {})
    updated = re.findall(r"<entry><title>.*?</title><id>.*?</id><updated>(\d{4}-\d{2}-\d{2})", feed)
    assert updated == sorted(updated, reverse=True) and updated[0] == "2025-03-10"
    assert "2024-01-02" not in updated  # no import noise
    titles = re.findall(r"<entry><title>(.*?)</title>", feed)
    assert any("Adhésion suspendue par l'ARS" in t for t in titles)
    assert any("Fin de l'adhésion" in t for t in titles) and any(
        "Fin d'autorisation du protocole" in t for t in titles
    )
    assert sum("Rapport annuel de suivi" in t for t in titles) == 3
    assert len(updated) <= 50
