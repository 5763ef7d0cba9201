"""« Modèles de documents » in Debian's chromium (issue 22): the team's « déclaration commune »,
filled from what was typed on « Déclarer une adhésion » in the same tab, laid out to be printed
and signed; nothing leaves the browser. Screenshots (screen and print) in test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sitekit import CHROMIUM, REPO_ROOT, build_site, copy_register, serving, watched_page
from test_browser_declaration import PROTOCOL, TEAM, Counted, fill_member, fill_team, open_page

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)"
)
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
TEAM_NAME = "MSP des Tilleuls (exemple fictif)"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_register(tmp_path_factory.mktemp("registre"))
    with serving(build_site(root, tmp_path_factory.mktemp("site"), strict=True)) as url:
        yield url


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    with watched_page(browser, base_url) as page:
        yield page


def declare_team(page: Any, base_url: str) -> None:
    c = Counted(page)
    open_page(page, base_url + "declarer/")
    fill_team(c, TEAM_NAME, "msp", "Valence", "26000")
    for uid, member in enumerate(TEAM, start=1):
        if uid > 2:  # the page opens with one délégant and one délégué
            c.click("#d-ajouter")
        fill_member(c, uid, member)


def shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_printable_declaration_shows_the_members_typed_on_the_declaration_page(
    page: Any, base_url: str
) -> None:
    declare_team(page, base_url)
    page.locator("#d-pieces").locator("xpath=..").get_by_role(
        "link", name="Modèles de documents"
    ).click()
    page.wait_for_url("**/modeles-de-documents/#declaration")
    page.wait_for_selector("html.coop-imprime")
    sheet = page.locator("#coop-declaration-commune")
    text = sheet.inner_text()
    assert (
        f"membres de l'équipe « {TEAM_NAME} » (Maison de santé pluriprofessionnelle, Valence, 26000)"
        in text
    )
    assert "à l'agence régionale de santé Auvergne-Rhône-Alpes" in text
    title = page.evaluate(
        "fetch('../declarer/regles.json').then(r => r.json())"
        f".then(d => d.protocoles.find(p => p.id === '{PROTOCOL}').intitule)"
    )
    assert title in text
    rows = sheet.locator("tbody tr").all_inner_texts()
    assert len(rows) == len(TEAM)
    for row, member in zip(rows, TEAM, strict=True):
        assert f"{member['nom']} {member['prenom']}" in row and member["numero"] in row
    assert "Pharmacien\tDélégué\tSalarié du secteur privé" in rows[3]
    assert page.is_visible("#coop-imprimer")
    shoot(page, "modeles-declaration-commune-ecran")
    page.emulate_media(media="print")
    assert (
        sheet.is_visible()
        and not page.is_visible(".md-header")
        and not page.is_visible("article h1")
    )
    assert not page.is_visible(".md-sidebar--primary") and not page.is_visible("#coop-imprimer")
    shoot(page, "modeles-declaration-commune-impression")
    assert page.elsewhere == []


def test_without_a_declaration_in_the_tab_the_page_says_where_to_start(
    page: Any, base_url: str
) -> None:
    page.goto(base_url + "modeles-de-documents/")
    assert (
        "Aucune déclaration en cours dans cet onglet"
        in page.locator("#coop-declaration-commune").inner_text()
    )
    assert not page.is_visible("#coop-imprimer")
    assert page.evaluate("document.documentElement.classList.contains('coop-imprime')") is False
