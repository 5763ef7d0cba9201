"""Every page of the catalogue on a phone (issue 12): nothing wider than a 390 px screen.

The site is built once from a copy of the shipped register (a git repository, so
teams are active and their tables full) and every built HTML page is loaded in
Debian chromium at 390 px. Screenshots at 1280 and 390 px of a protocol page, a
region page and the home page go to test-artifacts/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sitekit import CHROMIUM, REPO_ROOT, build_site, copy_register, serving

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)"
)
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
PHONE_WIDTH = 390
SHOWN = {"protocole": "protocoles/nat-pollakiurie-2023/", "region": "regions/84/", "accueil": ""}
# Which kinds of generated page must be among those loaded (a build that lost them would pass for nothing).
KINDS = (
    "protocoles/",
    "regions/",
    "statuts/",
    "tableaux-de-bord/",
    "journal/",
    "recherche/",
    "declarer/",
    "modeles-de-documents/",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_register(tmp_path_factory.mktemp("registre"), with_git=True)
    return build_site(root, tmp_path_factory.mktemp("site"), strict=True)


@pytest.fixture(scope="module")
def base_url(built: Path) -> Iterator[str]:
    with serving(built) as url:
        yield url


def page_urls(built: Path) -> list[str]:
    """The URL path of every built page, `index.html` dropped as the server does."""
    return sorted(
        p.relative_to(built).as_posix().removesuffix("index.html") for p in built.rglob("*.html")
    )


def test_no_page_is_wider_than_a_phone(browser: Any, base_url: str, built: Path) -> None:
    urls = page_urls(built)
    assert all(any(u.startswith(kind) for u in urls) for kind in KINDS) and len(urls) > 100
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 844}, locale="fr-FR")
    page = context.new_page()
    too_wide = {}
    try:
        for url in urls:
            page.goto(base_url + url, wait_until="load")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE_WIDTH:
                too_wide[url] = width
    finally:
        context.close()
    assert too_wide == {}


@pytest.mark.parametrize("width", [1280, PHONE_WIDTH])
@pytest.mark.parametrize("name", list(SHOWN))
def test_screenshots(browser: Any, base_url: str, name: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="fr-FR")
    try:
        page = context.new_page()
        page.goto(base_url + SHOWN[name], wait_until="load")
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        context.close()
