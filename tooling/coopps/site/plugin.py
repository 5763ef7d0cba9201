"""The `coopps` mkdocs plugin: every page about protocols and adhesions is
generated in memory at build time (`File.generated`); nothing is committed.

Events: `on_config` adds the assets and expands folder entries of the nav;
`on_files` loads the register and its history once and adds every page and
export; `on_serve` rebuilds when a YAML file of the register changes.
"""

from __future__ import annotations

import json
import logging
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from ..gitops.decisions import read_decisions
from ..gitops.history import load_history
from ..paths import DATA_DIRS, SCHEMAS_DIR
from ..register import Register
from ..schema import Schemas
from . import export
from .config import CoopPluginConfig
from .dashboards import dashboard_files
from .declaration import RULES, declaration_files
from .dossier import dossier_files
from .gate import refusal
from .html import GeneratedPage, page_url, put_back, set_aside
from .model import Catalogue, build_catalogue
from .pages import FEED, Pages, protocol_uri, region_uri
from .search import INDEX, guide_record, index_document
from .spreadsheet import spreadsheet_files

log = logging.getLogger("mkdocs.plugins.coopps")
ASSETS = {"assets/coopps/recherche.js": "recherche.js", "assets/coopps/coopps.css": "coopps.css"}
PAGE_SCRIPTS = {"assets/coopps/modeles.js": "modeles.js"}  # loaded by their page only (models.html)
CHECKS_PAGE = "reference/controles.md"
MODEL_PAGE = "reference/modele-de-donnees.md"


class CoopPlugin(BasePlugin[CoopPluginConfig]):
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = (Path(config.config_file_path).parent / self.config.registre).resolve()
        for uri in ASSETS:
            (config.extra_css if uri.endswith(".css") else config.extra_javascript).append(uri)
        if config.nav:
            config.nav = expand_folders(config.nav, Path(config.docs_dir))
        # Generated pages listed in the nav; every other one is reachable by links only.
        self.in_nav = set(nav_paths(config.nav or []))
        return config

    def on_files(self, files: Files, config: MkDocsConfig) -> Files:
        register = Register.load(self.root)
        if refused := refusal(register):  # defence in depth: CI validates first
            raise PluginError(refused)
        history = load_history(self.root, self.config.ref)
        named = self.config.decisions or os.environ.get("COOP_DECISIONS", "")
        decisions = read_decisions(Path(config.config_file_path).parent / named) if named else []
        catalogue = build_catalogue(register, history, self.config.journal, decisions=decisions)
        for path in catalogue.skipped:
            log.warning("Fichier non publié car invalide (voir `coop verifier`) : %s", path)
        generated: dict[str, str | GeneratedPage] = dict(
            generated_files(catalogue, config, self.root)
        )
        use_dirs = bool(config.use_directory_urls)
        generated.update(dashboard_files(register, history, use_dirs, closed=decisions))
        self.html: dict[str, str] = {}
        self.aside: dict[str, list[str]] = {}
        for uri, content in generated.items():
            existing = files.get_file_from_path(uri)
            if existing is not None:
                files.remove(existing)
            if isinstance(content, GeneratedPage):
                self.html[uri] = content.html
                content = content.markdown
            in_nav = uri in self.in_nav or not uri.endswith(".md")
            inclusion = InclusionLevel.INCLUDED if in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, uri, content=content, inclusion=inclusion))
        return files

    def on_page_content(self, html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A generated page's HTML replaces the (empty) rendering of its front-matter-only Markdown;
        its blocks kept out of the search are set aside until the page is rendered."""
        content, self.aside[page.file.src_uri] = set_aside(self.html.get(page.file.src_uri, html))
        return content

    def on_post_page(self, output: str, page: Page, config: MkDocsConfig) -> str:
        return without_source_facts(
            squeeze_indentation(put_back(output, self.aside.pop(page.file.src_uri, [])))
        )

    def on_post_template(
        self, output_content: str, template_name: str, config: MkDocsConfig
    ) -> str:
        return without_source_facts(output_content)

    def on_post_build(self, config: MkDocsConfig) -> None:
        """Material's index (written by the search plugin, listed before this one) keeps the
        protocol pages only: the header search shows the catalogue's own ranked results."""
        catalogue_only(Path(config.site_dir) / "search" / "search_index.json")

    def on_serve(self, server: Any, config: MkDocsConfig, builder: Any) -> Any:
        for folder in (*DATA_DIRS, SCHEMAS_DIR):
            if (self.root / folder).is_dir():
                server.watch(str(self.root / folder))
        return server


def catalogue_only(index_path: Path) -> None:
    if not index_path.is_file():
        return
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["docs"] = [doc for doc in index["docs"] if doc["location"].startswith("protocoles/")]
    index_path.write_text(
        json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
    )


def without_source_facts(html: str) -> str:
    """Keep the theme's link to the repository (`repo_url`) but not its counters of stars and
    forks, which the theme's script fetches from api.github.com: no page calls another site."""
    return html.replace(' data-md-component="source"', "")


_KEEP_AS_IS = re.compile(r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>)", re.DOTALL | re.IGNORECASE)
_INDENTATION = re.compile(r"\n[ \t]+")


def squeeze_indentation(html: str) -> str:
    """Drop the indentation of the theme's templates (about an eighth of every page), never
    inside <pre> or <textarea> where white space is content."""
    parts = _KEEP_AS_IS.split(html)
    return "".join(
        part if index % 2 else _INDENTATION.sub("\n", part) for index, part in enumerate(parts)
    )


def generated_files(
    cat: Catalogue, config: MkDocsConfig, root: Path
) -> dict[str, str | GeneratedPage]:
    """{site source path: content} of every generated page and export."""
    use_dirs = bool(config.use_directory_urls)
    site_url = config.site_url or ""
    out: dict[str, str | GeneratedPage] = dict(Pages(cat, use_dirs).all())
    urls = {pid: page_url(protocol_uri(pid), use_dirs) for pid in cat.protocols}
    schemas = export.schema_files(root / SCHEMAS_DIR, site_url)
    out.update(schemas)
    out.update(reference_pages(root))
    out[INDEX] = _json(index_document(cat, urls, guide_records(Path(config.docs_dir), use_dirs)))
    out["catalogue.json"] = export.catalogue_json(cat, urls, [site_url + path for path in schemas])
    out["protocoles.csv"] = export.protocols_csv(cat, urls)
    out["adhesions.csv"] = export.teams_csv(cat)
    out.update(spreadsheet_files(cat, urls))  # the same for French spreadsheets (BOM, `;`, labels)
    out.update(
        declaration_files(cat, config.repo_url or "", Schemas(root), use_dirs)
    )  # « Déclarer une adhésion »
    out.update(
        dossier_files(root, use_dirs, RULES)
    )  # « Ouvrir un dossier », the ARS keys, the vendored libraries
    out[FEED] = export.atom_feed(cat, site_url, *_journal_targets(cat, use_dirs))
    for uri, name in {**ASSETS, **PAGE_SCRIPTS}.items():
        out[uri] = resources.files(__package__).joinpath("assets", name).read_text(encoding="utf-8")
    return out


def _journal_targets(cat: Catalogue, use_dirs: bool) -> tuple[dict[str, str], dict[str, str]]:
    """For each journal path: a public title, and the page it links to."""
    titles: dict[str, str] = {}
    urls: dict[str, str] = {}
    names = {(t.region, t.protocol_id, t.team_id): t.nom for t in cat.teams}
    for item in cat.journal:
        protocol = cat.protocols.get(item.protocol_id)
        title = protocol.intitule if protocol else item.protocol_id
        if item.team_id:
            team = names.get((item.region, item.protocol_id, item.team_id), item.team_id)
            titles[item.path] = f"{team} ({cat.region_name(item.region)}) — {title}"
            urls[item.path] = (
                page_url(region_uri(item.region), use_dirs)
                if item.region in cat.region_codes
                else "journal/"
            )
        else:
            titles[item.path] = title
            urls[item.path] = (
                page_url(protocol_uri(item.protocol_id), use_dirs) if protocol else "journal/"
            )
    return titles, urls


def reference_pages(root: Path) -> dict[str, str]:
    """The check and data-model references, generated from the code and the schemas."""
    from .reference import checks_markdown, data_model_markdown

    return {
        CHECKS_PAGE: checks_markdown(),
        MODEL_PAGE: data_model_markdown(Schemas(root).documents),
    }


GUIDES = "guides"


def guide_records(docs_dir: Path, use_dirs: bool) -> list[dict[str, str]]:
    """The guides for teams and ARS agents, as the header search lists them after the protocols."""
    out = []
    for path in sorted((docs_dir / GUIDES).glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        headings = [line.lstrip("#").strip() for line in lines if line.startswith("## ")]
        uri = path.relative_to(docs_dir).as_posix()
        out.append(guide_record(_heading(path), headings, page_url(uri, use_dirs)))
    return out


def _json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def nav_paths(nav: Any) -> list[str]:
    """Every page path named in a nav configuration."""
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [path for value in nav.values() for path in nav_paths(value)]
    if isinstance(nav, list):
        return [path for item in nav for path in nav_paths(item)]
    return []


def expand_folders(nav: list[Any], docs_dir: Path) -> list[Any]:
    """A nav entry whose value is a folder (`Guides: guides/`) lists the Markdown pages in it,
    titled by their first heading, `index.md` first; an empty or missing folder is dropped."""
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict):
            expanded = {}
            for title, value in item.items():
                if isinstance(value, str) and value.endswith("/"):
                    pages = _folder_pages(docs_dir, value)
                    if pages:
                        expanded[title] = pages
                elif isinstance(value, list):
                    expanded[title] = expand_folders(value, docs_dir)
                else:
                    expanded[title] = value
            if expanded:
                out.append(expanded)
        else:
            out.append(item)
    return out


def _folder_pages(docs_dir: Path, folder: str) -> list[Any]:
    paths = sorted((docs_dir / folder).glob("*.md"), key=lambda p: (p.name != "index.md", p.name))
    return [{_heading(path): path.relative_to(docs_dir).as_posix()} for path in paths]


def _heading(path: Path) -> str:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return path.stem.replace("-", " ").capitalize()
