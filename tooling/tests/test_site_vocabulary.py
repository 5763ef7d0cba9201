"""Pages for health professionals (issue 22): no developer vocabulary in what a visitor reads,
and no file name of the register shown as a protocol's number. The whole built site is scanned,
every page's visible text (menus and footer included; scripts, styles and literal samples to
copy, `<pre>`, left out)."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from sitekit import build_site, copy_register

FORBIDDEN = (
    "git",
    "GitOps",
    "YAML",
    "pull request",
    "pull requests",
    "SHA-256",
    "SHA256",
    "JSON",
    "slug",
)
# page (path prefix in the built site) → words it may name, and why; keep it short.
ALLOWED = {
    # The open-data page describes downloadable files: their format is what it is about.
    "donnees-ouvertes/": ({"JSON"}, "names the formats of the files to download"),
    # The curators' reference of the file format and of every check, generated from the code.
    "reference/": (set(FORBIDDEN), "documents the register's files for those who write them"),
    # The administrator's guide to installing the register on GitHub: GitHub's settings by their names.
    "guides/deployer-le-registre/": (
        set(FORBIDDEN),
        "names GitHub's settings as GitHub shows them",
    ),
}
SLUG_AS_NUMBER = re.compile(r"Numéro\s*(?:COOP-PS)?\s*(?:nat|reg|loc)-[a-z0-9-]+")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_register(tmp_path_factory.mktemp("registre"), with_git=True)
    return build_site(root, tmp_path_factory.mktemp("site"), strict=True)


def visible_text(page: str) -> str:
    body = re.search(r"<body\b.*</body>", page, re.S | re.I)
    text = re.sub(
        r"<(script|style|template|svg|pre)\b.*?</\1>",
        " ",
        body.group(0) if body else page,
        flags=re.S | re.I,
    )
    text = re.sub(r"<[^>]+\bhidden\b[^>]*>", " ", text)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def forbidden_words(text: str, allowed: set[str]) -> list[str]:
    found = []
    for word in FORBIDDEN:
        if word not in allowed and re.search(rf"(?<![\w.-]){re.escape(word)}(?![\w-])", text, re.I):
            found.append(word)
    return found


def allowed_for(name: str) -> set[str]:
    return next((words for prefix, (words, _) in ALLOWED.items() if name.startswith(prefix)), set())


def test_no_public_page_speaks_developer(site: Path) -> None:
    pages = {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")
    }
    assert len(pages) > 100 and "protocoles/nat-asalee/index.html" in pages
    found = {
        name: words
        for name, page in pages.items()
        if (words := forbidden_words(visible_text(page), allowed_for(name)))
    }
    assert found == {}


def test_the_scan_finds_each_forbidden_word() -> None:
    for word in FORBIDDEN:
        assert forbidden_words(f"<p>Un texte qui dit {word.lower()}.</p>", set()) == [word]
    assert forbidden_words("le fichier recherche.json", set()) == []  # a file name is not the word
    assert forbidden_words("GitHub", set()) == []


def test_no_protocol_shows_a_file_name_as_its_number(site: Path) -> None:
    asalee = visible_text(
        (site / "protocoles" / "nat-asalee" / "index.html").read_text(encoding="utf-8")
    )
    assert "Numéro" not in asalee.split("Intitulé", 1)[0].split("Résumé", 1)[-1]
    numbered = visible_text(
        (site / "protocoles" / "11-0000000004" / "index.html").read_text(encoding="utf-8")
    )
    assert "Numéro COOP-PS 11-0000000004" in numbered
    found = [
        p.parent.name
        for p in (site / "protocoles").glob("*/index.html")
        if SLUG_AS_NUMBER.search(visible_text(p.read_text(encoding="utf-8")))
    ]
    assert found == []
