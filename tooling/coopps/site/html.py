"""Page plumbing shared by the generated pages: plain titles, URL checks, relative links,
the `GeneratedPage` and the blocks kept out of Material's search.

The HTML itself comes from the Jinja templates (`templating`), which escape every value.
Generated pages never go through Python-Markdown (their HTML is set after the Markdown
step), so YAML text is never parsed as Markdown either.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

_UNSAFE_TITLE = re.compile(r"[<>&\"'`\\\[\]{}]")
_SPACES = re.compile(r"\s+")
MAX_TITLE = 90


def plain_title(value: Any, limit: int = MAX_TITLE) -> str:
    """A page title safe in templates that do not escape (`<title>`, nav):
    characters that could open markup are dropped, and the text is shortened."""
    text = _SPACES.sub(" ", _UNSAFE_TITLE.sub(" ", str(value))).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def safe_url(value: Any) -> str | None:
    """The URL if it is an absolute http(s) one, else None (no javascript:, data:…)."""
    text = str(value or "").strip()
    return text if re.match(r"https?://[^\s<>\"']+$", text, re.IGNORECASE) else None


def page_url(uri: str, use_directory_urls: bool = True) -> str:
    """The URL mkdocs gives to a Markdown source `uri` (mirrors mkdocs' own rule)."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return f"{stem}/" if use_directory_urls else f"{stem}.html"


def relative(from_url: str, to_url: str) -> str:
    """A link from the page at `from_url` to `to_url` (both site-relative)."""
    base = from_url if from_url.endswith("/") or not from_url else posixpath.dirname(from_url) + "/"
    rel = _relpath(to_url or ".", base or ".")
    if to_url.endswith("/") or not to_url:
        rel = "./" if rel == "." else rel + "/"
    return rel


def _relpath(path: str, start: str) -> str:
    """`posixpath.relpath` for two site-relative paths, without its two `os.getcwd()` calls
    (a page has hundreds of links)."""
    path_parts = [part for part in posixpath.normpath(path).split("/") if part and part != "."]
    start_parts = [part for part in posixpath.normpath(start).split("/") if part and part != "."]
    common = 0
    for mine, theirs in zip(path_parts, start_parts, strict=False):
        if mine != theirs:
            break
        common += 1
    parts = [".."] * (len(start_parts) - common) + path_parts[common:]
    return "/".join(parts) or "."


@dataclass(frozen=True)
class GeneratedPage:
    """A generated page: its Markdown source is front matter only; its HTML is set by the plugin
    after mkdocs' Markdown step (`on_page_content`), so YAML text is never parsed as Markdown
    and large pages skip Python-Markdown entirely."""

    markdown: str
    html: str


def generated_page(title: str, body: Markup, *, search: bool = True) -> GeneratedPage:
    """A page titled `title` (made plain, see `plain_title`) whose content is the HTML `body`."""
    meta = [f"title: {json.dumps(plain_title(title), ensure_ascii=False)}"]
    if not search:
        meta += ["search:", "  exclude: true"]
    return GeneratedPage(
        "---\n" + "\n".join(meta) + "\n---\n", f'<div class="coop">\n{body}\n</div>\n'
    )


# Blocks kept away from Material's search plugin ---------------------------------------------------

_ASIDE_OPEN, _ASIDE_CLOSE = "<!--coop:hors-recherche-->", "<!--/coop:hors-recherche-->"


def outside_search(block: Markup) -> Markup:
    """Mark `block` to be shown but never indexed nor even parsed by Material's search.

    The plugin sets it aside before the search plugin reads the page and puts it back
    after (`set_aside`, `put_back`). At national scale the team lists are most of the
    protocol pages: parsing them only to exclude them (`data-search-exclude`) took a
    third of the build. Markers cannot come from the data: every text is escaped (`<!--` too)."""
    return (
        Markup(_ASIDE_OPEN) + block + Markup(_ASIDE_CLOSE)
    )  # fixed markers around a rendered block


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
