"""« Déclarer une adhésion » keeps the person's work and speaks where they look (issue 18, item 4), on a
laptop (1280 px) and a phone (390 px): no message before a field is touched; each message beside its
field (aria-describedby, aria-invalid) and a summary that links to it; the form kept through a reload
and a visit to the guide (sessionStorage, nothing sent), cleared on demand; a role switch that changes
no profession and drops no piece. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitekit import CHROMIUM, REPO_ROOT, build_site, copy_register, serving, watched_page
from test_browser_declaration import (
    PROTOCOL,
    TEAM,
    Counted,
    declare,
    fill_member,
    fill_team,
    open_page,
)

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)"
)
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
WIDTHS = [1280, 390]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_register(tmp_path_factory.mktemp("registre"))
    with serving(build_site(root, tmp_path_factory.mktemp("site"), strict=True)) as url:
        yield url


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def page(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Any]:
    with watched_page(browser, base_url, request.param) as page:
        page.width = request.param
        yield page
        assert page.elsewhere == []


@pytest.fixture
def pieces(tmp_path: Path) -> list[Path]:
    files = []
    for number in range(16):
        path = tmp_path / f"piece-{number:02d}.pdf"
        path.write_bytes(b"%PDF-1.4\n" + bytes([number]) * (number + 1) * 100)
        files.append(path)
    return files


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"declarer-{name}-{page.width}.png"), full_page=True)


def shown_messages(page: Any) -> list[str]:
    return page.locator(".coop-erreur:not([hidden])").all_inner_texts()


def test_no_message_before_a_field_is_touched(page: Any, base_url: str) -> None:
    open_page(page, base_url + "declarer/")
    shot(page, "vierge")
    assert shown_messages(page) == []
    assert page.locator("[aria-invalid]").count() == 0
    assert page.locator("#d-constats li").count() == 0
    assert "au fur et à mesure" in page.inner_text("#d-constats .coop-constats-resume")
    assert page.is_hidden("#d-envoi")  # nothing to send yet, but nothing red either
    page.focus("#d-m1-prenom")
    page.press("#d-m1-prenom", "Tab")  # left empty: now it is said, there only
    assert shown_messages(page) == ["Indiquez le prénom du membre n° 1."]
    assert page.get_attribute("#d-m1-prenom", "aria-invalid") == "true"
    assert page.locator("#d-constats li").all_inner_texts() == [
        "Indiquez le prénom du membre n° 1."
    ]


def test_each_message_is_beside_its_field_and_the_summary_links_to_it(
    page: Any, base_url: str
) -> None:
    open_page(page, base_url + "declarer/")
    fill_team(Counted(page), "MSP 06 12 34 56 78", "msp", "Valence", "35000")
    page.press("#d-code-postal", "Tab")
    for field, words in (("d-nom", "numéro de téléphone"), ("d-code-postal", "région Bretagne")):
        message = f"#{field}-erreur"
        assert words in page.inner_text(message)
        assert page.get_attribute(f"#{field}", "aria-invalid") == "true"
        assert f"{field}-erreur" in page.get_attribute(f"#{field}", "aria-describedby").split()
        box, below = page.locator(f"#{field}").bounding_box(), page.locator(message).bounding_box()
        assert 0 <= below["y"] - (box["y"] + box["height"]) < 20, (
            field,
            box,
            below,
        )  # right under its field
        page.locator(f"#{field}").scroll_into_view_if_needed()
        assert page.locator(message).is_visible()
    links = page.locator("#d-constats li a")
    assert sorted(links.evaluate_all("xs => xs.map(x => x.getAttribute('href'))")) == [
        "#d-code-postal",
        "#d-nom",
    ]
    page.click('#d-constats a[href="#d-nom"]')
    assert page.evaluate("document.activeElement.id") == "d-nom"
    viewport = page.viewport_size["height"]
    top = page.locator("#d-nom-erreur").bounding_box()[
        "y"
    ]  # the message is on screen with its field
    assert 0 <= top < viewport, (top, viewport)
    shot(page, "erreurs")


def test_a_file_the_robot_refuses_is_never_ready(
    page: Any, base_url: str, pieces: list[Path]
) -> None:
    open_page(page, base_url + "declarer/")
    declare(Counted(page), pieces, TEAM)
    assert (
        page.inner_text("#d-constats .coop-constats-resume")
        == "Tout est prêt : la déclaration est complète."
    )
    for field, value, words in (
        ("#d-code-postal", "35000", "Bretagne"),
        ("#d-nom", "MSP 06 12 34 56 78", "téléphone"),
    ):
        kept = page.input_value(field)
        page.fill(field, value)
        page.press(field, "Tab")
        assert "Tout est prêt" not in page.inner_text("#d-constats")
        assert page.is_hidden("#d-envoi")
        assert words in page.inner_text("#d-constats")
        page.fill(field, kept)
        page.press(field, "Tab")
    assert (
        page.inner_text("#d-constats .coop-constats-resume")
        == "Tout est prêt : la déclaration est complète."
    )


def form_state(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => ({
      values: Array.from(document.querySelectorAll(
        '#coop-declaration input:not([type=file]), #coop-declaration select'))
        .map(f => [f.id, f.value]),
      fingerprints: Array.from(document.querySelectorAll('#d-pieces li')).map(li => li.innerText)})""")


def test_the_form_survives_a_reload_and_a_visit_to_the_guide(
    page: Any, base_url: str, pieces: list[Path]
) -> None:
    open_page(page, base_url + "declarer/")
    declare(Counted(page), pieces, TEAM, skip=("d-piece-diplome-2",))
    page.fill("#d-equipe", "msp-choisie-a-la-main")
    page.press("#d-equipe", "Tab")
    before = form_state(page)
    assert sum("Empreinte de" in text for text in before["fingerprints"]) == 12
    page.reload()
    page.wait_for_function("window.coopDeclaration && window.coopDeclaration.ready")
    assert form_state(page) == before
    page.click("text=guide « Déclarer une adhésion »")
    page.wait_for_url("**/guides/declarer-une-adhesion/")
    page.go_back()
    page.wait_for_function("window.coopDeclaration && window.coopDeclaration.ready")
    assert form_state(page) == before
    open_page(page, base_url + "declarer/")  # come back by the menu: a new load of the page
    assert form_state(page) == before
    assert page.input_value("#d-m4-formation-organisme") == "Organisme de formation fictif"
    shot(page, "recharge")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#d-effacer")
    assert page.inner_text("#d-effacer-etat") == "Le formulaire est effacé."
    assert page.input_value("#d-nom") == "" and page.input_value("#d-region") == ""
    assert (
        page.locator("#d-membres fieldset").count() == 2
        and page.locator("#d-pieces code").count() == 0
    )
    assert (
        page.evaluate("window.sessionStorage.getItem('coopps-declaration-v1')") is not None
    )  # the empty form
    page.reload()
    page.wait_for_function("window.coopDeclaration && window.coopDeclaration.ready")
    assert page.input_value("#d-nom") == "" and page.locator("#d-pieces code").count() == 0


def test_a_role_switch_keeps_the_profession_and_the_pieces(
    page: Any, base_url: str, pieces: list[Path]
) -> None:
    open_page(page, base_url + "declarer/")
    c = Counted(page)
    fill_team(c, "MSP des Tilleuls", "msp", "Valence", "26000")
    fill_member(c, 2, TEAM[2])  # Dominique Imaginaire, délégué infirmier, with her training
    for kind, path in (
        ("piece_identite", pieces[0]),
        ("diplome", pieces[1]),
        ("attestation_formation", pieces[2]),
    ):
        page.set_input_files(f"#d-piece-{kind}-2", str(path))
    page.wait_for_function("document.querySelectorAll('#d-pieces code').length === 3")
    page.select_option("#d-m2-role", "delegant")
    assert page.input_value("#d-m2-profession") == "infirmier"  # not « Médecin »
    message = page.inner_text("#d-m2-profession-erreur")
    assert "« Infirmier » de Dominique Imaginaire n'est pas prévue pour un délégant" in message
    assert page.get_attribute("#d-m2-profession", "aria-invalid") == "true"
    training = page.inner_text("#d-piece-attestation_formation-2-etat")
    assert "Empreinte de « piece-02.pdf »" in training and "n'est plus demandée" in training
    assert page.is_visible('[data-retirer-piece="attestation_formation|2"]')
    assert page.is_hidden("#d-envoi")
    shot(page, "role")
    page.select_option("#d-m2-role", "delegue")
    assert page.input_value("#d-m2-profession") == "infirmier"
    assert page.input_value("#d-m2-formation-organisme") == TEAM[2]["formation"][1]
    assert "n'est plus demandée" not in page.inner_text("#d-piece-attestation_formation-2-etat")
    assert page.is_hidden("#d-m2-profession-erreur"), page.inner_text("#d-m2-profession-erreur")
    page.select_option("#d-m2-role", "delegant")
    page.click('[data-retirer-piece="attestation_formation|2"]')  # removed only when asked
    assert page.locator("#d-piece-attestation_formation-2").count() == 0
    assert page.locator("#d-pieces code").count() == 2
    assert PROTOCOL in page.input_value("#d-protocole")
