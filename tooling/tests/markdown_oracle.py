"""GitHub's renderer (cmark-gfm with GitHub's extensions, through cmarkgfm) as the oracle of what a
reader sees: the HTML of a Markdown text, its tags, its visible text, its table cells."""

from __future__ import annotations

from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

from coopps.markdown_text import WORD_JOINER


def render(markdown: str) -> str:
    """HTML as GitHub's renderer makes it, raw HTML kept (so that any that slipped through shows)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


class _Reader(HTMLParser):
    def __init__(self, rendered: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.cells: list[str] = []
        self.in_cell = False
        self.feed(rendered)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag == "td":
            self.in_cell = True
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        self.in_cell = self.in_cell and tag != "td"

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self.in_cell:
            self.cells[-1] += data.replace(WORD_JOINER, "")

    def handle_comment(self, data: str) -> None:
        self.tags.append("!--")


def tags(rendered: str) -> list[str]:
    return _Reader(rendered).tags


def visible_text(rendered: str) -> str:
    """What a reader sees: the text of the HTML, the invisible word joiners left out."""
    return "".join(_Reader(rendered).text).replace(WORD_JOINER, "").strip()


def cells(rendered: str) -> list[str]:
    """The text of every body cell of the tables, in order."""
    return _Reader(rendered).cells


def links(rendered: str) -> int:
    return sum(tag in ("a", "img") for tag in tags(rendered))
