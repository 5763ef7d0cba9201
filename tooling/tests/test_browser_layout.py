"""Tables and charts as a professional reads them (issue 22), in Debian's chromium at 1280 and
390 px: no word broken inside a table or a text (a word wraps whole, or its box scrolls), lists
of protocols as cards on a phone, chart labels at a readable size and never on top of each other.
Screenshots at both widths go to test-artifacts/screenshots/ (mise-en-page-*)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sitekit import CHROMIUM, REPO_ROOT, build_site, commit_all, copy_register, serving

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)"
)
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
WIDTHS = {"1280": (1280, 900), "390": (390, 844)}
PAGES = (
    "statuts/autorises/",
    "statuts/en-cours/",
    "regions/84/",
    "tableaux-de-bord/national/",
    "tableaux-de-bord/76/",
    "protocoles/nat-pollakiurie-2023/",
    "donnees-ouvertes/",
    "guides/declarer-une-adhesion/",
)
READABLE_PX = 11

# Words of the article's text drawn on more than one line (a break inside the word). A hyphen,
# a slash or a space is where a line may end: they split words here.
BROKEN_WORDS = """() => {
  const broken = [];
  const article = document.querySelector("article");
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("pre, code, svg, [hidden]")) { continue; }
    for (const match of node.textContent.matchAll(/[^\\s\\-\\/–—]{2,}/g)) {
      const range = document.createRange();
      range.setStart(node, match.index);
      range.setEnd(node, match.index + match[0].length);
      const lines = new Set(Array.from(range.getClientRects()).filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (lines.size > 1) { broken.push(match[0]); }
    }
  }
  return broken;
}"""

CELL_STYLES = """() => Array.from(document.querySelectorAll("article table td, article table td *"))
  .map(e => getComputedStyle(e)).map(s => s.overflowWrap + " " + s.wordBreak)
  .filter((value, index, all) => all.indexOf(value) === index)"""

# Every text of every chart: its size on screen, and the texts it overlaps in the same chart.
CHART_TEXTS = """() => Array.from(document.querySelectorAll("svg.coop-graphique")).map(svg => {
  const texts = Array.from(svg.querySelectorAll("text"));
  const boxes = texts.map(t => t.getBoundingClientRect());
  const sizes = texts.map(t => t.getScreenCTM().a * parseFloat(t.getAttribute("font-size")));
  const overlaps = [];
  boxes.forEach((a, i) => boxes.forEach((b, j) => {
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
    const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (i < j && w > 1 && h > 1) { overlaps.push(texts[i].textContent + " / " + texts[j].textContent); }
  }));
  return { id: svg.id || svg.getAttribute("aria-labelledby"), smallest: Math.min(...sizes), overlaps: overlaps };
})"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped register with its examples counted as real teams: dashboards with figures."""
    root = copy_register(tmp_path_factory.mktemp("registre"), with_git=True)
    for path in [*root.glob("protocols/*.yml"), *root.glob("adhesions/**/*.yml")]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nexemple: true\n", "\n"), encoding="utf-8")
    commit_all(root, "Les exemples comptés comme de vraies équipes")
    with serving(build_site(root, tmp_path_factory.mktemp("site"), strict=True)) as url:
        yield url


@pytest.fixture(scope="module", params=list(WIDTHS), ids=[f"{w}px" for w in WIDTHS])
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
    page = context.new_page()
    page.width = request.param
    yield page
    context.close()


def shoot(page: Any, path: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = path.strip("/").replace("/", "-") or "accueil"
    page.screenshot(path=str(SHOTS / f"mise-en-page-{name}-{page.width}.png"))


def test_no_word_is_broken_inside_a_table_or_a_text(page: Any, base_url: str) -> None:
    broken = {}
    for path in PAGES:
        page.goto(base_url + path)
        assert page.locator("article table").count() or path.startswith("protocoles/"), path
        if found := page.evaluate(BROKEN_WORDS):
            broken[path] = found
        shoot(page, path)
    assert broken == {}


def test_table_cells_never_allow_a_break_inside_a_word(page: Any, base_url: str) -> None:
    page.goto(base_url + "regions/84/")
    assert page.evaluate(CELL_STYLES) == ["normal normal"]


def test_lists_of_protocols_are_cards_on_a_phone(page: Any, base_url: str) -> None:
    page.goto(base_url + "statuts/autorises/")
    cell = page.locator("article table.coop-table-protocoles td").nth(2)
    label = cell.evaluate("td => getComputedStyle(td, '::before').content")
    if page.width == "390":
        assert (
            cell.evaluate("td => getComputedStyle(td).display") == "block"
            and label == '"Statut : "'
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    else:
        assert cell.evaluate("td => getComputedStyle(td).display") == "table-cell" and label in (
            "none",
            "normal",
        )


def test_chart_labels_are_readable_and_apart(page: Any, base_url: str) -> None:
    for path in ("tableaux-de-bord/national/", "tableaux-de-bord/84/"):
        page.goto(base_url + path)
        charts = page.evaluate(CHART_TEXTS)
        assert len(charts) >= 3, path
        assert [c for c in charts if c["smallest"] < READABLE_PX or c["overlaps"]] == []
    page.locator("svg.coop-graphique").first.scroll_into_view_if_needed()
    shoot(page, "tableaux-de-bord/84/graphique")
