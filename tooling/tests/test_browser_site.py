"""The catalogue in a real browser: Debian chromium driven by Playwright for Python.

The site is built once per session from a copy of the shipped register (a git
repository, so adhesions are active) plus a protocol and a team whose texts
try to inject script. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitekit import REPO_ROOT, XSS_PROTOCOL, build_site, copy_register

playwright_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)")
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
XSS_TEAM = "adhesions/84/nat-test-xss/equipe-piegee.yml"


def _xss_team() -> str:
    adhesions = sorted(p for p in (REPO_ROOT / "adhesions").rglob("*.yml") if ".suivi-" not in p.name)
    example = adhesions[0].read_text(encoding="utf-8")
    name = json.dumps('Équipe <img src=x onerror="window.__xss=7"> <script>window.__xss=8</script>', ensure_ascii=False)
    return re.sub(r"^  nom: .*$", lambda _: f"  nom: {name}", example, count=1, flags=re.MULTILINE)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_register(tmp_path_factory.mktemp("registre"),
                         {"protocols/nat-test-xss.yml": XSS_PROTOCOL, XSS_TEAM: _xss_team()}, with_git=True)
    return build_site(root, tmp_path_factory.mktemp("site"), strict=True)


@pytest.fixture(scope="session")
def base_url(built: Path) -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(built)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


@pytest.fixture(scope="session")
def index(built: Path) -> dict[str, Any]:
    return json.loads((built / "recherche.json").read_text(encoding="utf-8"))


def results(page: Any) -> list[str]:
    page.wait_for_function("document.getElementById('coop-compte').textContent.includes('correspond')")
    return page.locator("#coop-resultats > li > a").all_inner_texts()


def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).casefold()


def test_keyword_search_ignores_accents_and_case(page: Any, base_url: str, index: dict[str, Any]) -> None:
    page.goto(base_url + "recherche/")
    page.fill("#coop-q", "tuberculiques")
    found = results(page)
    expected = [r["intitule"] for r in index["protocoles"] if "tuberculiques" in fold(r["texte"])]
    assert expected and sorted(found) == sorted(expected)
    page.fill("#coop-q", "REALISATION")
    assert len(results(page)) == sum(1 for r in index["protocoles"] if "realisation" in fold(r["texte"]))


def test_facets_narrow_results_and_counts_agree(page: Any, base_url: str, index: dict[str, Any]) -> None:
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
    page.goto(base_url + "recherche/?region=84&statut=autorise&q=infirmier")
    expected = [r for r in index["protocoles"] if "84" in r["facettes"]["region"]
                and r["facettes"]["statut"] == ["autorise"] and "infirmier" in fold(r["texte"])]
    assert len(results(page)) == len(expected)
    assert page.is_checked("#f-region-84") and page.is_checked("#f-statut-autorise")
    assert page.input_value("#coop-q") == "infirmier"


def test_map_region_link_leads_to_region_page(page: Any, base_url: str) -> None:
    page.goto(base_url)
    page.locator('svg.coop-carte a[aria-label^="Auvergne-Rhône-Alpes"]').click()
    page.wait_for_load_state()
    assert page.url.rstrip("/").endswith("regions/84")
    assert page.locator("h1").first.inner_text() == "Auvergne-Rhône-Alpes"


def test_two_clicks_to_the_protocols_open_to_a_nurse_in_ara(page: Any, base_url: str, index: dict[str, Any]) -> None:
    page.goto(base_url)
    page.locator('svg.coop-carte a[aria-label^="Auvergne-Rhône-Alpes"]').click()
    page.locator(".coop-raccourcis a", has_text="Infirmier").first.click()
    expected = [r["intitule"] for r in index["protocoles"] if "84" in r["facettes"]["region"]
                and r["facettes"]["statut"] == ["autorise"] and "infirmier" in r["facettes"]["delegue"]]
    assert expected and sorted(results(page)) == sorted(expected)


def test_injected_titles_do_not_execute(page: Any, base_url: str) -> None:
    for url in ("protocoles/nat-test-xss/", "regions/84/", "recherche/?q=piege", "protocoles/", "journal/"):
        page.goto(base_url + url)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__xss === undefined"), url
        assert page.locator('img[src="x"], iframe, svg[onload]').count() == 0, url
        assert page.dialogs == [], url
    page.goto(base_url + "protocoles/nat-test-xss/")
    assert "<script>" in page.locator("h1").first.inner_text()


PAGES = {
    "accueil": "", "region": "regions/84/", "protocole": "protocoles/nat-test-xss/", "recherche": "recherche/?region=84",
    "tableau-de-bord-national": "tableaux-de-bord/national/", "tableau-de-bord-region": "tableaux-de-bord/84/",
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
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in report["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], json.dumps(bad, ensure_ascii=False)
