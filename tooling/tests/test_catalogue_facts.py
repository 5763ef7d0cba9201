"""A catalogue that never guesses (issue 22, DESIGN §6a), as a GP reads it: what cannot be applied
is never called applicable nor offered, no figure counts an example, every date of a page is one
of its file's (whose sources the page lists) or says « déduit »."""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coopps.applicability import (
    APPLICABLE,
    ELSEWHERE,
    EXAMPLE,
    NOT_YET,
    REFUSED,
    REPLACED,
    STOPPED,
    UNCONFIRMED,
    territory,
    verdict,
)
from coopps.gitops.history import load_history
from coopps.register import Register
from coopps.stats.facts import collect
from sitekit import REPO_ROOT, build_site, copy_register

CODES = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94")
TODAY = "2026-12-07"
AUTHORISED = {"portee": "national", "statut": "autorise", "arrete": {"date": "2021-03-01"}}
UNCONFIRMED_STATUS = {"deduit": [{"champ": "statut", "raison": "d'une adhésion « Actif »"}]}


# --- the one decision, case by case --------------------------------------------------------------------

CASES = [
    # (protocol, region asked, applicable, reason, successor)
    (AUTHORISED, None, True, APPLICABLE, None),
    (AUTHORISED, "84", True, APPLICABLE, None),
    ({"portee": "national", "statut": "avis_has"}, "84", False, NOT_YET, None),
    ({"portee": "national", "statut": "depose"}, None, False, NOT_YET, None),
    (
        {
            "portee": "regional",
            "region": "84",
            "statut": "en_instruction",
            "version_nationale": "nat-x",
        },
        "84",
        False,
        NOT_YET,
        "nat-x",
    ),
    ({"portee": "regional", "region": "84", "statut": "refuse"}, "84", False, REFUSED, None),
    (
        {
            "portee": "national",
            "statut": "arrete",
            "arret": {"date": "2023-03-09", "motif": "Remplacé"},
            "remplace_par": "nat-2023",
        },
        "84",
        False,
        REPLACED,
        "nat-2023",
    ),
    (
        {"portee": "national", "statut": "arrete", "arret": {"date": "2023-03-09", "motif": "Fin"}},
        None,
        False,
        STOPPED,
        None,
    ),
    # a stop announced for a later day: applicable until then
    (
        {"portee": "national", "statut": "arrete", "arret": {"date": "2027-06-30", "motif": "Fin"}},
        "84",
        True,
        APPLICABLE,
        None,
    ),
    # an authorised protocol whose stop date has passed is stopped, whatever its statut says
    ({**AUTHORISED, "arret": {"date": "2025-01-01", "motif": "Fin"}}, "84", False, STOPPED, None),
    ({**AUTHORISED, "remplace_par": "nat-y"}, "84", False, REPLACED, "nat-y"),
    ({**AUTHORISED, **UNCONFIRMED_STATUS}, "84", False, UNCONFIRMED, None),
    ({**AUTHORISED, "exemple": True}, "84", False, EXAMPLE, None),
    (
        {"portee": "regional", "region": "84", "regions_application": ["11"], "statut": "autorise"},
        "11",
        True,
        APPLICABLE,
        None,
    ),
    (
        {"portee": "regional", "region": "84", "regions_application": ["11"], "statut": "autorise"},
        "93",
        False,
        ELSEWHERE,
        None,
    ),
    (
        {"portee": "local", "region": "84", "regions_application": ["11"], "statut": "autorise"},
        "11",
        False,
        ELSEWHERE,
        None,
    ),
]


@pytest.mark.parametrize(("protocol", "region", "applicable", "reason", "successor"), CASES)
def test_the_one_decision(
    protocol: dict, region: str | None, applicable: bool, reason: str, successor: str | None
) -> None:
    found = verdict(protocol, region, CODES, TODAY)
    assert (found.applicable, found.reason, found.successor) == (applicable, reason, successor)
    assert found.sentence and found.sentence[0].isupper()
    assert bool(found.regions) == (found.applicable or found.reason == ELSEWHERE)


STATUSES = ("depose", "en_instruction", "avis_has", "autorise", "refuse", "arrete")
DATES = st.dates().map(lambda d: d.isoformat())
PROTOCOLS = st.fixed_dictionaries(
    {
        "portee": st.sampled_from(("national", "regional", "local")),
        "statut": st.sampled_from(STATUSES),
    },
    optional={
        "region": st.sampled_from(CODES),
        "regions_application": st.lists(st.sampled_from(CODES)),
        "arret": st.fixed_dictionaries({"date": DATES, "motif": st.just("m")}),
        "remplace_par": st.just("nat-b"),
        "version_nationale": st.just("nat-c"),
        "exemple": st.just(True),
        "deduit": st.just(UNCONFIRMED_STATUS["deduit"]),
    },
)


@given(PROTOCOLS, st.one_of(st.none(), st.sampled_from(CODES)), DATES)
def test_applicable_means_applicable(protocol: dict, region: str | None, today: str) -> None:
    found = verdict(protocol, region, CODES, today)
    stop = protocol.get("arret", {}).get("date")
    if found.applicable:
        assert protocol["statut"] in ("autorise", "arrete")
        assert (
            not protocol.get("remplace_par")
            and not protocol.get("exemple")
            and "deduit" not in protocol
        )
        assert stop is None or stop > today
        assert found.regions == territory(protocol, CODES)
        assert region is None or region in found.regions
    else:
        assert found.reason != APPLICABLE and found.sentence
    if protocol.get("remplace_par") and not protocol.get("exemple"):
        assert found.successor == "nat-b"


# --- the shipped register, built ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_register(tmp_path_factory.mktemp("registre"), with_git=True)
    return build_site(root, tmp_path_factory.mktemp("site"), strict=True)


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load(REPO_ROOT)


def article(site: Path, uri: str) -> str:
    page = (site / uri / "index.html").read_text(encoding="utf-8")
    found = re.search(r"<article\b.*?</article>", page, re.S)
    return found.group(0) if found else page


def text(html_part: str) -> str:
    import html

    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", html_part)))


def section(page_text: str, title: str, following: str) -> str:
    """The text between the last « title » (a section's heading) and the next « following »."""
    return page_text.rsplit(f" {title} ", 1)[1].split(f" {following} ", 1)[0]


@pytest.mark.parametrize(
    "pid",
    [
        "nat-suivi-diabete-type-2-infirmier-liberal",
        "nat-odynophagie-2020",
        "nat-pollakiurie-2020",
        "reg-84-lecture-tests-tuberculiques-2015",
        "26-0000000022",
        "82-0000000125",
    ],
)
def test_what_cannot_be_applied_is_never_called_applicable_nor_offered(
    site: Path, pid: str
) -> None:
    page = text(article(site, f"protocoles/{pid}"))
    assert "Non applicable —" in page
    assert "applicable dans toutes les régions" not in page and "Applicable aujourd'hui" not in page
    regions = section(page, "Régions d'application", "Équipes adhérentes")
    assert regions.startswith("Aucune aujourd'hui."), regions
    assert "Déclarer une adhésion" not in page  # no button
    rules = json.loads((site / "declarer" / "regles.json").read_text(encoding="utf-8"))
    assert pid not in {p["id"] for p in rules["protocoles"]}


def test_stopped_protocols_link_to_their_successor_and_do_not_read_like_an_arrete(
    site: Path,
) -> None:
    for old, new in (
        ("nat-odynophagie-2020", "nat-odynophagie-2023"),
        ("nat-pollakiurie-2020", "nat-pollakiurie-2023"),
    ):
        html_part = article(site, f"protocoles/{old}")
        badges = re.findall(r'class="coop-statut coop-statut-arrete">([^<]*)<', html_part)
        assert badges and {text(b) for b in badges} == {"Fin d'autorisation"}
        assert f'href="../{new}/"' in html_part
    listing = text(article(site, "statuts/arretes"))
    assert "Fin d'autorisation" in listing and "« arrêté »" in listing  # the statuses explained


def test_the_declaration_page_offers_only_what_may_be_applied(
    site: Path, register: Register
) -> None:
    rules = json.loads((site / "declarer" / "regles.json").read_text(encoding="utf-8"))
    offered = {p["id"]: p for p in rules["protocoles"]}
    codes = register.schemas.referentials["region"].codes
    assert "nat-odynophagie-2023" in offered and "nat-asalee" in offered
    for pid, entry in register.protocols.items():
        judged = verdict(entry.data, None, codes, TODAY)
        assert (pid in offered) == judged.applicable, pid
        if pid in offered:
            assert offered[pid]["regions"] == list(judged.regions)


def test_deduced_facts_say_so_with_their_reason(site: Path) -> None:
    page = text(article(site, "protocoles/26-0000000022"))
    assert "(déduit d'une demande d'adhésion affichée « Actif » dans COOP-PS" in page
    assert "non confirmé" not in page or "Autorisation non confirmée" in page
    diabetes = text(article(site, "protocoles/nat-suivi-diabete-type-2-infirmier-liberal"))
    assert "Portée National (déduit des autres protocoles examinés par la HAS" in diabetes
    listing = text(article(site, "statuts/autorises"))
    assert listing.count("non confirmé par une source") >= 2


def test_en_cours_lists_only_recent_news_and_links_national_versions(
    site: Path, register: Register
) -> None:
    html_part = article(site, "statuts/en-cours")
    main, quiet = html_part.split('id="sans-suite"', 1)
    in_progress = [
        pid
        for pid, e in register.protocols.items()
        if e.data.get("statut") in ("depose", "en_instruction", "avis_has")
    ]
    for pid in in_progress:
        assert (f'href="../../protocoles/{pid}/"' in quiet) != (
            f'href="../../protocoles/{pid}/"' in main
        ), pid
    # an item whose last step is older than two years is never in the main list
    assert "reg-11-pompe-insuline-epep" in quiet and "reg-11-pompe-insuline-epep" not in main
    for regional, national in (
        ("reg-11-insuffisance-cardiaque", "nat-insuffisance-cardiaque"),
        ("reg-84-rhino-conjonctivite-allergique", "nat-rhino-conjonctivite-allergique"),
        ("reg-76-fragilite-sujet-age-domicile", "nat-fragilite-sujet-age"),
    ):
        row = next(r for r in quiet.split("<tr>") if f"protocoles/{regional}/" in r)
        assert f"protocoles/{national}/" in row


def test_en_cours_keeps_an_item_with_news_within_two_years_of_the_build_day(tmp_path: Path) -> None:
    recent = (
        datetime.date.today() - datetime.timedelta(days=400)
    ).isoformat()  # the build day: today
    old = (datetime.date.today() - datetime.timedelta(days=800)).isoformat()
    extra = {
        f"protocols/reg-84-{name}.yml": RECENT_ITEM.format(name=name, day=day)
        for name, day in (("recent", recent), ("ancien", old))
    }
    root = copy_register(tmp_path / "registre", extra, with_git=True)
    built = build_site(root, tmp_path / "site")
    html_part = article(built, "statuts/en-cours")
    main, quiet = html_part.split('id="sans-suite"', 1)
    assert "protocoles/reg-84-recent/" in main and "protocoles/reg-84-recent/" not in quiet
    assert "protocoles/reg-84-ancien/" in quiet and "protocoles/reg-84-ancien/" not in main
    home = text(article(built, "."))
    assert "1 protocole en cours de validation" in home


RECENT_ITEM = """intitule: Demande de test {name}
portee: regional
statut: depose
region: "84"
date_depot: {day}
professions:
  delegants: [medecin]
  delegues: [infirmier]
nature_actes: [suivi]
sources:
  - Test
"""


def test_the_history_never_says_no_date_beside_a_date(site: Path, register: Register) -> None:
    for pid in register.protocols:
        page = text(article(site, f"protocoles/{pid}"))
        if "Aucune date connue" in page:
            assert not re.search(r"\b(19|20)\d\d\b", page.split("Historique", 1)[0]), pid
    asalee = text(article(site, "protocoles/nat-asalee"))
    assert "03/03/2021 — Arrêté d'autorisation publié au Journal officiel" in asalee


def test_the_resume_is_complete_where_sources_exist(site: Path) -> None:
    page = text(article(site, "protocoles/nat-odynophagie-2023"))
    resume = section(page, "Résumé", "Informations pour les professionnels")
    for term in (
        "Date de dépôt non connue",
        "Arrêté 09/03/2023 · publié au Journal officiel du 14/03/2023 · Arrêté du 9 mars",
        "Avis de la HAS",
        "Grille",
        "Documents",
        "Régions d'application toutes les régions",
    ):
        assert term in resume, term
    tuberculin = text(article(site, "protocoles/reg-84-lecture-tests-tuberculiques-2015"))
    assert (
        "Date de dépôt 12/10/2015" in tuberculin and "Arrêté aucun (protocole refusé)" in tuberculin
    )


# --- examples never counted -------------------------------------------------------------------------------


def test_no_figure_counts_an_example(site: Path, register: Register) -> None:
    real = [pid for pid, e in register.protocols.items() if e.data.get("exemple") is not True]
    assert len(real) < len(register.protocols)  # the shipped register has an example protocol
    home = text(article(site, "."))
    assert f"{len(real)} protocoles au registre" in home
    assert (
        "Aucune adhésion déclarée pour l'instant" in home
        and "adhésions actives d'équipes" not in home
    )
    assert (
        "1 équipe active" not in home
        and "équipes actives" not in home.split("Carte des régions")[1]
    )
    region = text(article(site, "regions/84"))
    assert "aucune adhésion active" in region
    assert "Aucune adhésion déclarée pour l'instant" in text(article(site, "tableaux-de-bord"))
    national = text(article(site, "tableaux-de-bord/national"))
    assert (
        "Aucune adhésion déclarée pour l'instant" in national
        and "adhésions actives" not in national.split("Aucune")[0]
    )
    protocols = list(
        csv.DictReader(io.StringIO((site / "protocoles.csv").read_text(encoding="utf-8")))
    )
    assert {row["equipes_actives"] for row in protocols} == {"0"}
    assert {
        row["exemple"]
        for row in protocols
        if row["identifiant"] == "loc-84-exemple-plaies-chroniques"
    } == {"oui"}
    teams = list(csv.DictReader(io.StringIO((site / "adhesions.csv").read_text(encoding="utf-8"))))
    assert teams and {row["exemple"] for row in teams} == {"oui"}
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    assert all(p["equipes_actives"] == 0 for p in catalogue["protocoles"])
    monthly = (
        site / "tableaux-de-bord" / "donnees" / "national" / "actives-par-mois.csv"
    ).read_text(encoding="utf-8")
    assert monthly.count("\n") <= 2  # a header and at most the current month at zero


def test_stats_never_count_an_example() -> None:
    facts = collect(Register.load(REPO_ROOT), load_history(REPO_ROOT))
    assert facts.adhesions == [] and facts.reports == []


def test_examples_carry_their_badge_wherever_they_appear(site: Path) -> None:
    for uri in (
        "protocoles/loc-84-exemple-plaies-chroniques",
        "protocoles/nat-sutures-plaies-simples",
        "regions/84",
        "protocoles/index",
        "statuts/autorises",
    ):
        html_part = article(site, uri.removesuffix("/index") if uri.endswith("/index") else uri)
        assert 'class="coop-exemple"' in html_part, uri
    page = text(article(site, "protocoles/nat-sutures-plaies-simples"))
    assert (
        "Aucune adhésion déclarée pour l'instant. Les équipes ci-dessous sont des exemples fictifs"
        in page
    )


# --- ten sampled pages: every date is one of the file's, or says « déduit » ----------------------------


def iso_dates(value: object) -> set[str]:
    found: set[str] = set()
    if isinstance(value, dict):
        for item in value.values():
            found |= iso_dates(item)
    elif isinstance(value, list):
        for item in value:
            found |= iso_dates(item)
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", value):
        found.add(f"{value[8:10]}/{value[5:7]}/{value[:4]}")
    return found


def test_ten_sampled_pages_state_only_their_files_dates(site: Path, register: Register) -> None:
    real = sorted(pid for pid, e in register.protocols.items() if e.data.get("historique") is True)
    sample = random.Random(22).sample(real, 10)
    for pid in [*sample, "nat-sante-sexuelle-infirmier"]:
        data = register.protocols[pid].data
        assert data.get("sources"), pid
        whole = text(article(site, f"protocoles/{pid}"))
        # the protocol's own facts: all but the teams' table (their dates are the adhesions' files')
        page = whole.split(" Équipes adhérentes ", 1)[0] + whole.rsplit(" Historique ", 1)[1]
        shown = set(re.findall(r"\b\d\d/\d\d/\d{4}\b", page))
        assert shown <= iso_dates(data), (pid, shown - iso_dates(data))
        for entry in data.get("deduit", []):
            assert f"(déduit {entry['raison'][:25]}" in whole, (pid, entry["champ"])
