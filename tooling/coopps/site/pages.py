"""Register → pages: every generated page of the catalogue, from the templates of `templates/`.

Pages read only the public `Catalogue` (model.py); the templates escape every value
(`templating`). Links are relative and computed here, because mkdocs does not rewrite
links inside generated HTML.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any, NamedTuple

from markupsafe import Markup

from ..applicability import UNCONFIRMED
from ..wording import french_date
from .declaration import PAGE as DECLARATION
from .declaration import declare_link
from .html import GeneratedPage, page_url, relative
from .map import region_map
from .model import IN_PROGRESS, Catalogue, JournalItem, Protocol, Team
from .templating import render, render_page, template

HOME = "index.md"
PROTOCOLS = "protocoles/index.md"
REGIONS = "regions/index.md"
SEARCH = "recherche.md"
JOURNAL = "journal.md"
OPEN_DATA = "donnees-ouvertes.md"
MODELS = "modeles-de-documents.md"
MODEL_TYPES = (
    "modele",
    "lettre_intention",
    "grille",
    "protocole",
)  # documents a team can start from
FEED = "feed.xml"
STATUS_PAGES = {
    "statuts/autorises.md": ("Protocoles autorisés", ("autorise",)),
    "statuts/en-cours.md": ("Protocoles en cours de validation", IN_PROGRESS),
    "statuts/refuses.md": ("Protocoles refusés", ("refuse",)),
    "statuts/arretes.md": ("Protocoles en fin d'autorisation", ("arrete",)),
}
JOURNAL_ON_PAGE = 200


DASHBOARDS = "tableaux-de-bord"


def dashboard_uri(key: str) -> str:
    """`key`: "national" or a region code."""
    return f"{DASHBOARDS}/{key}.md"


def protocol_uri(pid: str) -> str:
    return f"protocoles/{pid}.md"


def region_uri(code: str) -> str:
    return f"regions/{code}.md"


class ProtocolRow(NamedTuple):
    """One protocol in a table of protocols: plain texts (escaped by the template) and links of the page."""

    id: str
    intitule: str
    href: str
    portee: str
    statut: str
    statut_label: str
    region_href: str  # "" when the region is not in the referential
    region: str
    delegues: str
    active_teams: int
    last_event: str | None  # date of the last known event (status pages)
    stale: bool  # no event for more than two years
    example: bool  # a fictitious protocol: its row carries the « exemple » badge
    unconfirmed: (
        bool  # authorised per its file, but deduced: not applicable (applicability.verdict)
    )


class Pages:
    """Renders every generated page of a catalogue."""

    def __init__(self, catalogue: Catalogue, use_directory_urls: bool = True) -> None:
        self.cat = catalogue
        self.use_directory_urls = use_directory_urls
        self.here = ""
        self.team_tables: dict[tuple[str, str], Markup] = {}
        self.row_texts: dict[str, tuple[str, str, str, str, str, str, int]] = {}
        # What every page template may use (macros.html imports it "with context").
        self.context: dict[str, Any] = {
            "cat": catalogue,
            "href": self.href,
            "label": catalogue.label,
            "labels": self.labels,
            "protocol_uri": protocol_uri,
            "region_uri": region_uri,
            "dashboard_uri": dashboard_uri,
            "team_table": self.team_table,
            "protocol_rows": self.protocol_rows,
            "region_links": self.region_links,
            "SEARCH": SEARCH,
            "FEED": FEED,
            "JOURNAL": JOURNAL,
            "OPEN_DATA": OPEN_DATA,
        }
        # The macros, made once with that context (an import "with context" would redo it on every page).
        self.context["m"] = template("macros.html").make_module(vars=self.context)

    # -- links -------------------------------------------------------------
    def url(self, uri: str) -> str:
        return page_url(uri, self.use_directory_urls) if uri.endswith(".md") else uri

    def href(self, uri: str) -> str:
        return relative(self.url(self.here), self.url(uri))

    def labels(self, referential: str, codes: Iterable[str]) -> str:
        """Plain text (the template escapes it): the labels of `codes`, comma-separated."""
        return ", ".join(self.cat.label(referential, c) for c in codes)

    def protocol_rows(self, protocols: list[Protocol]) -> list[ProtocolRow]:
        """The rows of a table of protocols on the current page (templates/macros.html, `protocol_table`).
        A protocol is in the tables of many pages: what does not depend on the page is computed once."""
        rows = []
        for p in protocols:
            if p.id not in self.row_texts:
                self.row_texts[p.id] = self._row_texts(p)
            texts = self.row_texts[p.id]
            region = p.get("region")
            region_href = self.href(region_uri(region)) if region in self.cat.region_codes else ""
            rows.append(
                ProtocolRow(
                    p.id,
                    texts[0],
                    self.href(protocol_uri(p.id)),
                    *texts[1:4],
                    region_href,
                    *texts[4:],
                    p.last_event,
                    p.stale,
                    p.example,
                    p.verdict.reason == UNCONFIRMED,
                )
            )
        return rows

    def _row_texts(self, p: Protocol) -> tuple[str, str, str, str, str, str, int]:
        region = p.get("region")
        return (
            p.intitule,
            self.cat.label("portee", p.portee),
            p.statut,
            self.cat.label("statut_protocole", p.statut),
            self.cat.region_name(region) if region in self.cat.region_codes else region or "—",
            self.labels("profession", p.sub("professions").get("delegues", [])),
            len(p.active_teams),
        )

    def page(
        self, template: str, title: str, /, *, search: bool = True, **values: Any
    ) -> GeneratedPage:
        return render_page(template, title, search=search, **self.context, **values)

    # -- all pages -----------------------------------------------------------
    def all(self) -> dict[str, GeneratedPage]:
        pages: dict[str, Callable[[], GeneratedPage]] = {
            HOME: self.home,
            PROTOCOLS: self.protocols_index,
            REGIONS: self.regions_index,
            SEARCH: self.search,
            JOURNAL: self.journal,
            MODELS: self.models,
        }
        out = {uri: self._render(uri, render) for uri, render in pages.items()}
        for uri, (title, codes) in STATUS_PAGES.items():
            out[uri] = self._render(uri, partial(self.status_page, title, codes))
        for pid in self.cat.protocols:
            out[protocol_uri(pid)] = self._render(
                protocol_uri(pid), partial(self.protocol_page, pid)
            )
        for code in self.cat.region_codes:
            out[region_uri(code)] = self._render(region_uri(code), partial(self.region_page, code))
        return out

    def _render(self, uri: str, render: Callable[[], GeneratedPage]) -> GeneratedPage:
        self.here = uri
        return render()

    # -- home and lists ------------------------------------------------------
    def home(self) -> GeneratedPage:
        cat = self.cat
        # Every figure counts real protocols and teams only (fictitious examples never are).
        in_progress = [p for p in cat.by_status(*IN_PROGRESS) if cat.has_news(p)]
        figures = [
            figure(
                cat.counted([p for p in cat.sorted_protocols if p.applicable]),
                "protocole applicable aujourd'hui",
                "protocoles applicables aujourd'hui",
                "Aucun protocole applicable aujourd'hui",
                "statuts/autorises.md",
            ),
            figure(
                cat.counted(in_progress),
                "protocole en cours de validation",
                "protocoles en cours de validation",
                "Aucun protocole en cours de validation",
                "statuts/en-cours.md",
            ),
            figure(
                sum(cat.active_by_region.values()),
                "adhésion active d'équipe",
                "adhésions actives d'équipes",
                "Aucune adhésion active"
                if cat.has_real_teams
                else "Aucune adhésion déclarée pour l'instant",
                REGIONS,
            ),
            figure(
                cat.counted(cat.sorted_protocols),
                "protocole au registre",
                "protocoles au registre",
                "Aucun protocole au registre",
                PROTOCOLS,
            ),
        ]
        names = {code: cat.region_name(code) for code in cat.region_codes}
        applicable = {
            code: (
                cat.counted(found := cat.applicable_in(code)),
                cat.counted([p for p in found if p.portee != "national"]),
            )
            for code in cat.region_codes
        }
        tiles = region_map(
            names, applicable, cat.active_by_region, lambda code: self.href(region_uri(code))
        )
        return self.page("home.html", "Accueil", figures=figures, region_map=tiles)

    def protocols_index(self) -> GeneratedPage:
        return self.page(
            "protocols.html",
            "Tous les protocoles",
            search=False,
            heading="Tous les protocoles",
            protocols=self.cat.sorted_protocols,
        )

    def status_page(self, title: str, codes: tuple[str, ...]) -> GeneratedPage:
        protocols = self.cat.by_status(*codes)
        if codes != IN_PROGRESS:
            return self.page(
                "protocols.html",
                title,
                search=False,
                heading=title,
                statuses=codes,
                protocols=protocols,
            )
        # « En cours »: news within STALE_YEARS years of the build day; older items « sans suite connue ».
        quiet = self.cat.without_news(protocols)
        return self.page(
            "protocols.html",
            title,
            search=False,
            heading=title,
            statuses=codes,
            protocols=[p for p in protocols if p not in quiet],
            quiet=quiet,
            news_years=self.cat.news_years,
        )

    def regions_index(self) -> GeneratedPage:
        return self.page("regions.html", "Régions", search=False)

    # -- one region ------------------------------------------------------------
    def region_page(self, code: str) -> GeneratedPage:
        name = self.cat.region_name(code)
        protocols = self.cat.protocols_in_region(code)
        authorised = self.cat.applicable_in(code)
        others = [p for p in protocols if p not in authorised and p.portee != "national"]
        teams = [(p, teams) for p in protocols if (teams := self.cat.teams_of(p.id, code))]
        return self.page(
            "region.html",
            name,
            search=False,
            name=name,
            code=code,
            authorised=authorised,
            others=others,
            by_delegate=by_delegate_profession(authorised),
            teams_by_protocol=teams,
        )

    # -- one protocol ----------------------------------------------------------
    def protocol_page(self, pid: str) -> GeneratedPage:
        p = self.cat.protocols[pid]
        return self.page(
            "protocol.html",
            f"{p.intitule} ({pid})",
            p=p,
            team_regions=self.team_regions(p),
            declare=declare_link(p, self.href(DECLARATION)),
        )

    def team_regions(self, p: Protocol) -> list[tuple[str, str, str]]:
        """(code, link, name) of the regions of the teams of `p`, by name."""
        return self.region_links(
            sorted({team.region for team in p.teams}, key=self.cat.region_name)
        )

    def region_links(self, codes: Iterable[str]) -> list[tuple[str, str, str]]:
        """(code, link or "" if the code is not a region, name) of each region, for loops of the templates."""
        known = set(self.cat.region_codes)
        return [
            (code, self.href(region_uri(code)), self.cat.region_name(code))
            if code in known
            else (code, "", code)
            for code in codes
        ]

    def team_table(self, pid: str, region: str) -> Markup:
        """The teams of protocol `pid` in `region`. Most of the HTML of a national register: drawn once,
        for its protocol page and its region page (it has no link, so it is the same on both), then dropped."""
        key = (pid, region)
        if key in self.team_tables:
            return self.team_tables.pop(key)
        # Plain texts in tuples (str: markupsafe's quickest path): no attribute lookup in the template's loop.
        rows = [
            (
                t.nom,
                self.cat.label("cadre_exercice", t.structure),
                t.commune,
                str(t.delegants),
                str(t.delegues),
                t.status,
                t.status_phrase or t.status_label,
                french_date(t.last_event) or "non connu",
                t.example,
            )
            for t in self.cat.teams_of(pid, region)
        ]
        table = render("team_table.html", rows=rows)
        self.team_tables[key] = table
        return table

    def models(self) -> GeneratedPage:
        """« Modèles de documents »: the official places, then the templates the protocol files cite."""
        documents = [
            (p, d)
            for p in self.cat.sorted_protocols
            for d in p.items("documents")
            if d.get("type") in MODEL_TYPES
        ]
        documents.sort(
            key=lambda item: (MODEL_TYPES.index(item[1]["type"]), item[0].intitule.casefold())
        )
        return self.page(
            "models.html", "Modèles de documents", documents=documents, DECLARATION=DECLARATION
        )

    # -- journal and search ------------------------------------------------------
    def journal(self) -> GeneratedPage:
        items = [(item, self.journal_team(item)) for item in self.cat.journal[:JOURNAL_ON_PAGE]]
        return self.page("journal.html", "Journal du registre", search=False, items=items)

    def journal_team(self, item: JournalItem) -> Team | None:
        protocol = self.cat.protocols.get(item.protocol_id)
        if not item.team_id or not protocol:
            return None
        return next(
            (t for t in protocol.teams if t.team_id == item.team_id and t.region == item.region),
            None,
        )

    def search(self) -> GeneratedPage:
        from .search import search_page

        return search_page(self.cat, self.href("recherche.json"))


def figure(
    count: int, singular: str, plural_form: str, none: str, uri: str
) -> tuple[int | None, str, str]:
    """A figure of the home page: (count, words, link); an honest sentence, not a zero, when none."""
    if count == 0:
        return None, none, uri
    return count, singular if count == 1 else plural_form, uri


def by_delegate_profession(protocols: list[Protocol]) -> list[tuple[str, int]]:
    """(délégué profession, protocols) of the region's shortcuts to the search, most protocols first."""
    counts = Counter(d for p in protocols for d in set(p.sub("professions").get("delegues", [])))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
