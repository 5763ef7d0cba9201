"""Escaping helpers: every text that comes from YAML goes through `esc`.

Generated pages are raw HTML blocks inside Markdown, so Python-Markdown never
parses YAML text (no Markdown link, emphasis or HTML can be injected).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_UNSAFE_TITLE = re.compile(r"[<>&\"'`\\\[\]{}]")
_SPACES = re.compile(r"\s+")
MAX_TITLE = 90


def esc(value: Any) -> str:
    """HTML-escape any value (quotes too: it may land in an attribute)."""
    return html.escape("" if value is None else str(value), quote=True)


def plain_title(value: Any, limit: int = MAX_TITLE) -> str:
    """A page title safe in templates that do not escape (`<title>`, nav):
    characters that could open markup are dropped, and the text is shortened."""
    text = _SPACES.sub(" ", _UNSAFE_TITLE.sub(" ", str(value))).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_url(value: Any) -> str | None:
    """The URL if it is an absolute http(s) one, else None (no javascript:, data:…)."""
    text = str(value or "").strip()
    return text if re.match(r"https?://[^\s<>\"']+$", text, re.IGNORECASE) else None


def link_or_text(value: Any, text: Any = None) -> str:
    url = safe_url(value)
    label = esc(text if text is not None else value)
    return f'<a href="{esc(url)}" rel="noopener">{label}</a>' if url else label


def tag(name: str, content: str = "", **attrs: Any) -> str:
    """`content` is already-safe HTML; attribute values are escaped here."""
    rendered = "".join(f' {key.rstrip("_").replace("_", "-")}="{esc(val)}"' for key, val in attrs.items() if val is not None)
    return f"<{name}{rendered}>{content}</{name}>"


def ul(items: Iterable[str], **attrs: Any) -> str:
    rows = "".join(f"<li>{item}</li>" for item in items)
    return tag("ul", rows, **attrs) if rows else ""


def table(headers: list[str], rows: Iterable[list[str]], caption: str | None = None) -> str:
    head = "".join(f'<th scope="col">{h}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f'<table class="coop-table">{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def date_fr(value: str | None) -> str:
    """`2024-03-12` → `12/03/2024`; anything else unchanged (escaped by callers)."""
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
        year, month, day = value[:10].split("-")
        return f"{day}/{month}/{year}"
    return value or ""


def page_url(uri: str, use_directory_urls: bool = True) -> str:
    """The URL mkdocs gives to a Markdown source `uri` (mirrors mkdocs' own rule)."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (both site-relative)."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    rel = posixpath.relpath(to_url or ".", base or ".")
    if to_url.endswith("/") or not to_url:
        rel = "./" if rel == "." else rel + "/"
    return rel


def markdown_page(title: str, body: str, *, search: bool = True) -> str:
    """A Markdown page made of one raw HTML block; the title is plain (see `plain_title`)."""
    page = generated_page(title, "\n".join(line for line in body.splitlines() if line.strip()), search=search)
    return page.markdown + "\n" + page.html


@dataclass(frozen=True)
class GeneratedPage:
    """A generated page: its Markdown source is front matter only; its HTML is set by the plugin
    after mkdocs' Markdown step (`on_page_content`), so YAML text is never parsed as Markdown
    and large pages skip Python-Markdown entirely."""

    markdown: str
    html: str


def generated_page(title: str, body: str, *, search: bool = True) -> GeneratedPage:
    """A page titled `title` (made plain, see `plain_title`) whose content is the HTML `body`."""
    meta = [f"title: {json.dumps(plain_title(title), ensure_ascii=False)}"]
    if not search:
        meta += ["search:", "  exclude: true"]
    return GeneratedPage("---\n" + "\n".join(meta) + "\n---\n", f'<div class="coop">\n{body}\n</div>\n')


# Blocks kept away from Material's search plugin ---------------------------------------------------

_ASIDE_OPEN, _ASIDE_CLOSE = "<!--coop:hors-recherche-->", "<!--/coop:hors-recherche-->"


def outside_search(block: str) -> str:
    """Mark `block` to be shown but never indexed nor even parsed by Material's search.

    The plugin sets it aside before the search plugin reads the page and puts it back
    after (`set_aside`, `put_back`). At national scale the team lists are most of the
    protocol pages: parsing them only to exclude them (`data-search-exclude`) took a
    third of the build. Markers cannot come from the data: every text is escaped."""
    return f"{_ASIDE_OPEN}{block}{_ASIDE_CLOSE}"


def set_aside(html: str) -> tuple[str, list[str]]:
    """The page with each `outside_search` block replaced by a placeholder, and the blocks."""
    first, *rest = html.split(_ASIDE_OPEN)
    kept: list[str] = [first]
    aside: list[str] = []
    for part in rest:
        block, _, after = part.partition(_ASIDE_CLOSE)
        kept.append(_placeholder(len(aside)) + after)
        aside.append(block)
    return "".join(kept), aside


def put_back(html: str, aside: list[str]) -> str:
    for number, block in enumerate(aside):
        html = html.replace(_placeholder(number), block, 1)
    return html


def _placeholder(number: int) -> str:
    return f"<!--coop:bloc-{number}-->"
