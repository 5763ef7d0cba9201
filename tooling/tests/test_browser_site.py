"""The catalogue in a real browser: Debian chromium driven by Playwright for Python.

The site is built once per session from a copy of the shipped register (a git
repository, so adhesions are active) plus a protocol and a team whose texts
try to inject script. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitekit import CHROMIUM, REPO_ROOT, XSS_PROTOCOL, build_site, copy_register, serving

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)"
)
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
XSS_TEAM = "adhesions/84/nat-test-xss/equipe-piegee.yml"


def _xss_team() -> str:
    adhesions = sorted(
        p for p in (REPO_ROOT / "adhesions").rglob("*.yml") if ".suivi-" not in p.name
    )
    example = adhesions[0].read_text(encoding="utf-8")
    # A team name holds only a name's characters (schema `nom_publie`): quotes and an ampersand are
    # what it can still carry into an attribute; the markup vectors stand in the protocol.
    name = json.dumps('Équipe "onerror" & l\'autre (window.xss)', ensure_ascii=False)
    return re.sub(r"^  nom: .*$", lambda _: f"  nom: {name}", example, count=1, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_register(
        tmp_path_factory.mktemp("registre"),
        {"protocols/nat-test-xss.yml": XSS_PROTOCOL, XSS_TEAM: _xss_team()},
        with_git=True,
    )
    return build_site(root, tmp_path_factory.mktemp("site"), strict=True)


@pytest.fixture(scope="module")
def base_url(built: Path) -> Iterator[str]:
    with serving(built) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


@pytest.fixture(scope="module")
def index(built: Path) -> dict[str, Any]:
    return json.loads((built / "recherche.json").read_text(encoding="utf-8"))


def results(page: Any) -> list[str]:
    page.wait_for_function(
        "(document.getElementById('coop-compte') || {textContent: ''}).textContent.includes('correspond')"
    )
    return page.locator("#coop-resultats > li > a").all_inner_texts()


def fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)
    ).casefold()


def test_keyword_search_ignores_accents_and_case(
    page: Any, base_url: str, index: dict[str, Any]
) -> None:
    page.goto(base_url + "recherche/")
    page.fill("#coop-q", "tuberculiques")
    found = results(page)
    expected = [
        r["intitule"] for r in index["protocoles"] if "tuberculiques" in fold(r["intitule"])
    ]
    assert expected and sorted(found) == sorted(expected)
    page.fill("#coop-q", "REALISATION")
    assert len(results(page)) == sum(
        1 for r in index["protocoles"] if " realisation" in " " + r["mots"]
    )


def test_facets_narrow_results_and_counts_agree(
    page: Any, base_url: str, index: dict[str, Any]
) -> None:
    records = index["protocoles"]
    page.goto(base_url + "recherche/")
    assert len(results(page)) == len(records)
    in_ara = [r for r in records if "84" in r["facettes"]["region"]]
    nurse_in_ara = [r for r in in_ara if "infirmier" in r["facettes"]["delegue"]]
    count = page.locator('.coop-n[data-facette="region"][data-valeur="84"]')
    assert count.inner_text() == f"({len(in_ara)})"
    page.check("#f-region-84")
    assert len(results(page)) == len(in_ara)
    nurse = page.locator('.coop-n[data-facette="delegue"][data-valeur="infirmier"]')
    assert nurse.inner_text() == f"({len(nurse_in_ara)})"
    page.check("#f-delegue-infirmier")
    assert sorted(results(page)) == sorted(r["intitule"] for r in nurse_in_ara)
    assert 0 < len(nurse_in_ara) < len(records)
    assert "region=84" in page.url and "delegue=infirmier" in page.url


def test_shared_url_restores_filters(page: Any, base_url: str, index: dict[str, Any]) -> None:
    page.goto(base_url + "recherche/?region=84&statut=autorise&mot=infirmier")
    expected = [
        r
        for r in index["protocoles"]
        if "84" in r["facettes"]["region"]
        and r["facettes"]["statut"] == ["autorise"]
        and " infirmier" in " " + r["mots"]
    ]
    assert len(results(page)) == len(expected)
    assert page.is_checked("#f-region-84") and page.is_checked("#f-statut-autorise")
    assert page.input_value("#coop-q") == "infirmier"


def test_map_region_link_leads_to_region_page(page: Any, base_url: str) -> None:
    page.goto(base_url)
    page.locator(".coop-carte a", has_text="Auvergne-Rhône-Alpes").click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("regions/84")
    assert page.locator("h1").first.inner_text() == "Auvergne-Rhône-Alpes"


def test_two_clicks_to_the_protocols_open_to_a_nurse_in_ara(
    page: Any, base_url: str, index: dict[str, Any]
) -> None:
    page.goto(base_url)
    page.locator(".coop-carte a", has_text="Auvergne-Rhône-Alpes").click()
    page.locator(".coop-raccourcis a", has_text="Infirmier").first.click()
    expected = [
        r["intitule"]
        for r in index["protocoles"]
        if "84" in r["facettes"]["region"]
        and r["facettes"]["statut"] == ["autorise"]
        and "infirmier" in r["facettes"]["delegue"]
    ]
    assert expected and sorted(results(page)) == sorted(expected)


def test_injected_titles_do_not_execute(page: Any, base_url: str) -> None:
    for url in (
        "protocoles/nat-test-xss/",
        "regions/84/",
        "recherche/?mot=piege",
        "protocoles/",
        "journal/",
    ):
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__xss === undefined"), url
        assert page.locator('img[src="x"], iframe, svg[onload]').count() == 0, url
        assert page.dialogs == [], url
    page.goto(base_url + "protocoles/nat-test-xss/")
    assert "<script>" in page.locator("h1").first.inner_text()


PAGES = {
    "accueil": "",
    "region": "regions/84/",
    "protocole": "protocoles/nat-test-xss/",
    "recherche": "recherche/?region=84",
    "tableau-de-bord-national": "tableaux-de-bord/national/",
    "tableau-de-bord-region": "tableaux-de-bord/84/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_accessibility_violation(page: Any, base_url: str, name: str) -> None:
    page.goto(base_url + PAGES[name])
    if name == "recherche":
        results(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    page.add_script_tag(path=str(AXE))
    report = page.evaluate("axe.run()")
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], json.dumps(bad, ensure_ascii=False)


# The catalogue search as a nurse, a pharmacist or a GP types it (issue 12) ---------------------------

LAPTOP, PHONE = (1280, 800), (390, 844)


@contextlib.contextmanager
def sized_page(browser: Any, size: tuple[int, int]) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]}, locale="fr-FR")
    try:
        yield context.new_page()
    finally:
        context.close()


def found_ids(page: Any) -> set[str]:
    results(page)
    hrefs = page.locator("#coop-resultats > li > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    return {href.rstrip("/").rsplit("/", 1)[-1] for href in hrefs}


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


LAY_WORDS = {  # query → protocols it must find (exactly, when the set is marked exact)
    "cystite": ({"nat-pollakiurie-2020", "nat-pollakiurie-2023"}, True),
    "Angine": ({"nat-odynophagie-2020", "nat-odynophagie-2023"}, True),
    "entorse": ({"nat-torsion-cheville-kine"}, True),
    "mal de gorge": ({"nat-odynophagie-2020", "nat-odynophagie-2023"}, True),
    "enfants": (
        {"nat-varicelle-enfant", "nat-bilan-visuel-orthoptiste-enfants"},
        False,
    ),  # plural → singular
    "elastometrie hepatique": ({"nat-fibroscan-elastometrie-hepatique"}, True),  # no accent typed
    "vaccin": ({"11-0000000004"}, False),  # prefix: « vaccination »
}


@pytest.mark.parametrize("query", list(LAY_WORDS))
def test_the_words_people_type_find_the_protocols(browser: Any, base_url: str, query: str) -> None:
    expected, exact = LAY_WORDS[query]
    with sized_page(browser, LAPTOP) as page:
        page.goto(base_url + "recherche/")
        results(page)  # the catalogue is loaded: the query is searched, not typed before the index
        page.fill("#coop-q", query)
        found = found_ids(page)
    assert found == expected if exact else expected <= found, found


def test_vaccins_on_a_phone_finds_vaccination_above_the_fold(browser: Any, base_url: str) -> None:
    with sized_page(browser, PHONE) as page:
        page.goto(base_url + "recherche/")
        page.fill("#coop-q", "Vaccins")
        assert "11-0000000004" in found_ids(page)
        assert page.locator("#coop-resultats > li").first.bounding_box()["y"] < PHONE[1]
        shoot(page, "recherche-telephone-vaccins")


def test_the_browser_folds_words_as_the_build_does(page: Any, base_url: str) -> None:
    from coopps.site.search import words

    samples = [
        "Vaccins",
        "ENFANTS",
        "hôpitaux",
        "Œsophage",
        "cœur",
        "d'uriner",
        "Mal de gorge",
        "Kinésithérapeute",
        "pH-métrie",
        "11-0000000004",
        "infirmier·ère",
        "Ça, c'est « plié » !",
        "stress",
        "dos",
        "aux",
        "Bilans",
    ]
    page.goto(base_url + "recherche/")
    in_browser = page.evaluate(
        "samples => samples.map(s => window.coopRecherche.words(s))", samples
    )
    assert in_browser == [words(s) for s in samples]
    assert words("Vaccins ENFANTS hôpitaux") == ["vaccin", "enfant", "hopital"]


def test_speciality_facet_filters_and_counts(
    page: Any, base_url: str, index: dict[str, Any]
) -> None:
    expected = {
        r["id"] for r in index["protocoles"] if "généraliste" in r["facettes"]["specialite"]
    }
    page.goto(base_url + "recherche/")
    results(page)
    assert (
        page.locator('.coop-n[data-facette="specialite"][data-valeur="généraliste"]').inner_text()
        == f"({len(expected)})"
    )
    page.check("#f-specialite-generaliste")
    assert found_ids(page) == expected and 5 < len(expected) < len(index["protocoles"])
    assert "specialite=g%C3%A9n%C3%A9raliste" in page.url


def test_date_filter_uses_the_arrete_date_else_the_filing_date(
    page: Any, base_url: str, index: dict[str, Any]
) -> None:
    records = index["protocoles"]

    def within(record: dict[str, Any], du: str = "", au: str = "") -> bool:
        return any((not du or d >= du) and (not au or d <= au) for d in record["dates_filtre"])

    by_arrete = {r["id"] for r in records if within(r, du="2023-01-01")}
    by_filing = {r["id"] for r in records if within(r, au="2016-01-01")}
    page.goto(base_url + "recherche/")
    assert "Date de dépôt ou d'arrêté" in page.locator(".coop-dates legend").inner_text()
    page.fill("#coop-du", "2023-01-01")
    assert found_ids(page) == by_arrete
    assert {"nat-pollakiurie-2023", "nat-odynophagie-2023"} <= by_arrete
    page.fill("#coop-du", "")
    page.fill("#coop-au", "2016-01-01")
    assert found_ids(page) == by_filing
    assert (
        "reg-84-lecture-tests-tuberculiques-2015" in by_filing
    )  # filed in 2015, no arrêté (refused)
    # dépôt or arrêté: a protocol filed before the period and authorised within it is found
    page.fill("#coop-au", "2011-12-31")
    page.fill("#coop-du", "2011-07-01")
    assert "reg-93-myelogrammes" in found_ids(page)  # arrêté of 13/07/2011
    filed = next(r for r in records if r["id"] == "26-0000000022")
    assert filed["dates_filtre"] == ["2011-02-27"]
    page.fill("#coop-du", "2011-02-01")
    page.fill("#coop-au", "2011-02-28")
    assert "26-0000000022" in found_ids(page)  # dépôt of 27/02/2011
    both = next(r for r in records if r["id"] == "loc-84-exemple-plaies-chroniques")
    assert both["dates_filtre"] == ["2023-02-01", "2023-09-15"]
    page.fill("#coop-au", "2023-03-01")
    page.fill("#coop-du", "2023-01-15")
    assert "loc-84-exemple-plaies-chroniques" in found_ids(
        page
    )  # its dépôt, though its arrêté is later


def test_coop_ps_options_extended_and_stopped(page: Any, base_url: str) -> None:
    page.goto(base_url + "recherche/?particularite=etendu")
    assert found_ids(page) == {"11-0000000004"}
    page.goto(base_url + "recherche/?particularite=arret")
    assert {"nat-pollakiurie-2020", "nat-odynophagie-2020"} <= found_ids(page)
    assert all(
        s == "Fin d'autorisation"
        for s in page.locator(".coop-meta").all_inner_texts()
        for s in [s.split(" · ")[0]]
    )


def test_a_shared_url_restores_every_filter(
    page: Any, base_url: str, index: dict[str, Any]
) -> None:
    query = (
        "mot=infirmier&specialite=g%C3%A9n%C3%A9raliste&particularite=arret&statut=arrete"
        "&du=2020-01-01&au=2021-01-01"
    )
    page.goto(base_url + "recherche/?" + query)
    expected = {
        r["id"]
        for r in index["protocoles"]
        if "généraliste" in r["facettes"]["specialite"]
        and "arret" in r["facettes"]["particularite"]
        and any("2020-01-01" <= d <= "2021-01-01" for d in r["dates_filtre"])
        and " infirmier" in " " + r["mots"]
    }
    assert found_ids(page) == expected == {"nat-pollakiurie-2020", "nat-odynophagie-2020"}
    assert page.input_value("#coop-q") == "infirmier"
    assert page.is_checked("#f-specialite-generaliste") and page.is_checked(
        "#f-particularite-arret"
    )
    assert page.is_checked("#f-statut-arrete")
    assert (page.input_value("#coop-du"), page.input_value("#coop-au")) == (
        "2020-01-01",
        "2021-01-01",
    )
    assert page.locator("#coop-actifs").inner_text() == "(4 actifs)"
    page.fill("#coop-q", "cystite")
    assert found_ids(page) == {"nat-pollakiurie-2020"}
    for part in query.replace("mot=infirmier", "mot=cystite").split("&"):
        assert part in page.url, part


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["portable-1280x800", "telephone-390x844"])
def test_results_show_without_scrolling(browser: Any, base_url: str, size: tuple[int, int]) -> None:
    name = f"recherche-{size[0]}x{size[1]}"
    with sized_page(browser, size) as page:
        page.goto(base_url + "recherche/?mot=cystite")
        results(page)
        first = page.locator("#coop-resultats > li").first.bounding_box()
        assert first["y"] + 24 < size[1], first
        assert page.locator("#coop-q").bounding_box()["y"] < first["y"]
        assert page.locator("#coop-filtres").evaluate("d => d.open") == (
            size == LAPTOP
        )  # folded on a phone
        shoot(page, name)
        page.goto(base_url + "recherche/")
        results(page)
        assert page.locator("#coop-resultats > li").first.bounding_box()["y"] + 24 < size[1]


def test_the_header_search_leads_to_the_catalogue_search(page: Any, base_url: str) -> None:
    page.goto(base_url)
    page.click("input.md-search__input")
    page.keyboard.type("cystite")
    link = page.locator("#coop-vers-catalogue")
    link.wait_for(state="visible")
    assert "avec les filtres du catalogue" in link.inner_text()
    shoot(page, "recherche-entete")
    link.click()
    page.wait_for_url("**/recherche/?mot=cystite")
    assert found_ids(page) == {"nat-pollakiurie-2020", "nat-pollakiurie-2023"}
    assert not page.is_checked("#__search")  # Material's dialog stays closed on the catalogue page
    page.click("input.md-search__input")
    page.keyboard.type("lumbago")  # typed: Material may miss a single `input` event while it starts
    page.wait_for_selector("#coop-entete-resultats a")
    page.press("input.md-search__input", "Enter")  # Enter: the search page, with its filters
    page.wait_for_url("**/recherche/?mot=lumbago")
    assert found_ids(page) == {"nat-lombalgie-aigue-kine"}
