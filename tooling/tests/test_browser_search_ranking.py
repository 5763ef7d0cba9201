"""Everyday words put the right protocol first (issue 22), through the real built site in
Debian's chromium: the header search on any page, and the keyword field of the search page.

The table is what a GP, a nurse or a patient types, with the protocol a professional expects on
top: the one that can be applied (authorised) before older, refused or pending versions, the
national one before its regional copies. Synonyms come from `coopps/site/lay_words.py`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sitekit import CHROMIUM, REPO_ROOT, build_site, copy_register, serving

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)"
)

LAY_QUERIES = {  # what people type → the protocol that must come first
    "mal de dos": "nat-lombalgie-aigue-kine",
    "mal au dos": "nat-lombalgie-aigue-kine",
    "lumbago": "nat-lombalgie-aigue-kine",
    "tuberculine": "reg-84-lecture-tests-tuberculiques-clat",
    "IDR": "reg-84-lecture-tests-tuberculiques-clat",
    "pilule": "nat-sante-sexuelle-sage-femme",
    "stérilet": "nat-sante-sexuelle-sage-femme",
    "angine": "nat-odynophagie-2023",
    "mal à la gorge": "nat-odynophagie-2023",
    "cystite": "nat-pollakiurie-2023",
    "brûlures en urinant": "nat-pollakiurie-2023",
    "entorse": "nat-torsion-cheville-kine",
    "foulure": "nat-torsion-cheville-kine",
    "varicelle": "nat-varicelle-enfant",
    "rhume des foins": "nat-rhino-conjonctivite-allergique",
    "allergie": "nat-rhino-conjonctivite-allergique",
    "lunettes enfant": "nat-bilan-visuel-orthoptiste-enfants",
    "points de suture": "nat-sutures-plaies-simples",
    "frottis": "nat-frottis-cervico-uterin",
    "cancer du col": "nat-frottis-cervico-uterin",
    "pacemaker": "nat-dispositifs-implantables-rythmologiques",
    "fond d'oeil": "nat-retinopathie-diabetique-fond-oeil",
    "escarre": "nat-plaies-complexes-telemedecine",
    "insuline": "nat-adaptation-doses-insuline",
    "pompe à insuline": "reg-11-pompe-insuline-epep",
    "fracture": "nat-bilan-radiologique-ioa-urgences",
    "échographie du cœur": "nat-echocardiographie-ide",
    "foie": "nat-fibroscan-elastometrie-hepatique",
    "vaccins": "11-0000000004",
    "prise de sang": "11-0000000004",
    "don de cornée": "nat-prelevement-cornees",
    "ponction de moelle": "reg-93-myelogrammes",
    "dénutrition": "nat-dieteticien-denutrition-nutrition-artificielle",
    "VVC": "nat-voie-veineuse-centrale",
    "diabète type 2": "nat-suivi-diabete-type-2-infirmier-liberal",
}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_register(tmp_path_factory.mktemp("registre"), with_git=True)
    with serving(build_site(root, tmp_path_factory.mktemp("site"), strict=True)) as url:
        yield url


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    yield context.new_page()
    context.close()


def protocol_id(href: str) -> str:
    return href.rstrip("/").rsplit("/", 1)[-1]


def first_in_header_search(page: Any, query: str) -> str:
    page.fill("input.md-search__input", "")
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.wait_for_function(
        "q => (document.getElementById('coop-entete') || {textContent: ''}).textContent"
        ".includes('« ' + q + ' »')",
        arg=query,
    )
    return protocol_id(page.locator("#coop-entete-resultats a").first.get_attribute("href"))


def first_in_keyword_search(page: Any, query: str) -> str:
    page.fill("#coop-q", query)
    page.wait_for_function(
        "(document.getElementById('coop-compte') || {textContent: ''}).textContent.includes('correspond')"
    )
    return protocol_id(page.locator("#coop-resultats > li > a").first.get_attribute("href"))


def test_the_table_has_enough_everyday_words() -> None:
    assert len(LAY_QUERIES) >= 30


def test_the_header_search_puts_the_expected_protocol_first(page: Any, base_url: str) -> None:
    page.goto(base_url + "regions/")
    found = {query: first_in_header_search(page, query) for query in LAY_QUERIES}
    assert found == LAY_QUERIES


def test_the_keyword_search_puts_the_expected_protocol_first(page: Any, base_url: str) -> None:
    page.goto(base_url + "recherche/")
    page.wait_for_function(
        "(document.getElementById('coop-compte') || {textContent: ''}).textContent.includes('correspond')"
    )
    found = {query: first_in_keyword_search(page, query) for query in LAY_QUERIES}
    assert found == LAY_QUERIES


def test_the_header_search_lists_catalogue_pages_only_and_guides_after_protocols(
    page: Any, base_url: str
) -> None:
    page.goto(base_url)
    first_in_header_search(page, "suivi")
    links = page.locator("#coop-entete-resultats a").evaluate_all(
        "links => links.map(a => a.pathname)"
    )
    assert links and all("/protocoles/" in link or "/guides/" in link for link in links), links
    kinds = ["guide" if "/guides/" in link else "protocole" for link in links]
    assert "guide" in kinds and kinds == sorted(kinds, key=lambda kind: kind == "guide")
    assert not page.locator(
        ".md-search-result__list"
    ).is_visible()  # Material's own results stay hidden
    first_in_header_search(page, "mal de dos")
    assert (
        page.locator("#coop-entete-resultats li").count() == 1
    )  # not 72 pages that say « mal » or « dos »


def test_enter_in_the_header_search_opens_the_search_page_ranked(page: Any, base_url: str) -> None:
    page.goto(base_url + "journal/")
    first_in_header_search(page, "pilule")
    page.press("input.md-search__input", "Enter")
    page.wait_for_url("**/recherche/?mot=pilule")
    page.wait_for_function(
        "(document.getElementById('coop-compte') || {textContent: ''}).textContent.includes('correspond')"
    )
    hrefs = page.locator("#coop-resultats > li > a").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert [protocol_id(h) for h in hrefs] == [
        "nat-sante-sexuelle-sage-femme",
        "nat-sante-sexuelle-infirmier",
    ]


def test_no_developer_page_is_built_nor_indexed(base_url: str, page: Any) -> None:
    response = page.goto(base_url + "developpeurs/architecture/")
    assert response.status == 404
    index = page.goto(base_url + "search/search_index.json").json()
    locations = {doc["location"].split("/")[0] for doc in index["docs"]}
    assert locations == {"protocoles"}
    assert (
        REPO_ROOT / "docs" / "developpeurs" / "architecture.md"
    ).is_file()  # kept, read on GitHub


def test_words_typed_while_the_catalogue_loads_are_searched(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    held = []
    page.route("**/recherche.json", lambda route: held.append(route))
    try:
        page.goto(base_url + "recherche/")
        page.wait_for_function(
            "document.getElementById('coop-compte').textContent.includes('Chargement')"
        )
        page.fill("#coop-q", "pilule")  # typed before the index arrives
        while not held:
            page.wait_for_timeout(50)
        held[0].continue_()
        assert first_in_keyword_search_results(page) == "nat-sante-sexuelle-sage-femme"
        assert page.input_value("#coop-q") == "pilule"
    finally:
        context.close()


def first_in_keyword_search_results(page: Any) -> str:
    page.wait_for_function(
        "(document.getElementById('coop-compte') || {textContent: ''}).textContent.includes('correspond')"
    )
    return protocol_id(page.locator("#coop-resultats > li > a").first.get_attribute("href"))
