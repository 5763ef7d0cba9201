"""The template environment of the site: every template compiles, each is compiled once,
and the link arithmetic the pages rely on matches `posixpath.relpath`."""

from __future__ import annotations

import itertools
import posixpath

from coopps.site.html import relative
from coopps.site.templating import ENV, render, template

URLS = [
    "",
    "index.html",
    "protocoles/",
    "protocoles/a/",
    "protocoles/a.html",
    "regions/84/",
    "regions/84.html",
    "recherche.json",
    "feed.xml",
    "tableaux-de-bord/",
    "tableaux-de-bord/84/",
    "tableaux-de-bord/donnees/84/retards.csv",
    "statuts/en-cours/",
    "a/b/c/",
]


def test_every_template_compiles_once() -> None:
    names = ENV.list_templates()
    assert "macros.html" in names and "protocol.html" in names
    for name in names:
        assert template(name) is template(name)
    assert ENV.auto_reload is False and ENV.autoescape is True


def test_a_value_cannot_reach_a_template_unescaped() -> None:
    table = render(
        "dashboards_index.html",
        today="<b>2025</b>",
        table=type(
            "T",
            (),
            {"headers": ["<i>h</i>"], "rows": [["<script>x</script>"]], "caption": '" onclick="x'},
        )(),
    )
    assert (
        "<b>" not in table
        and "<i>" not in table
        and "<script>" not in table
        and '" onclick' not in table
    )
    assert "&lt;script&gt;x&lt;/script&gt;" in table


def _relative_by_relpath(from_url: str, to_url: str) -> str:
    """The former implementation of `relative`, on `posixpath.relpath` (which reads the working
    directory: from a page at the root, like `index.html`, its base was "/" and the link went wrong)."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(to_url or ".", base or ".")
    if to_url.endswith("/") or not to_url:
        rel = "./" if rel == "." else rel + "/"
    return rel


def _followed(from_url: str, link: str) -> str:
    """Where a browser on the page `from_url` goes with `link`."""
    folder = from_url if from_url.endswith("/") else posixpath.dirname(from_url)
    return posixpath.normpath(posixpath.join(folder, link))


def test_relative_links_lead_to_their_target() -> None:
    for from_url, to_url in itertools.product(URLS, repeat=2):
        link = relative(from_url, to_url)
        assert _followed(from_url, link) == posixpath.normpath(to_url or "."), (
            from_url,
            to_url,
            link,
        )
        if "/" in from_url or not from_url:  # where the former implementation was right
            assert link == _relative_by_relpath(from_url, to_url), (from_url, to_url)
