"""Dashboards of the site: one page for the nation, one per region, and their CSV files.

Every number comes from `stats.figures` — the functions `coop chiffres` uses —
and every table is also emitted as `tableaux-de-bord/donnees/<périmètre>/<tableau>.csv`,
byte for byte what `coop chiffres --format csv --tableau <tableau>` prints.
Charts are inline SVG (`charts`), each followed by its data table. Only
counts and structure names are shown: no RPPS, no member.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from ..gitops.history import History
from ..gitops.journal import DatedEvent
from ..register import Register
from ..stats.facts import DEADLINE, Facts, Scope, Value, collect
from ..stats.figures import Table, figures, last_due_year
from ..wording import french_date, plural
from .charts import Series, bar_chart, line_chart
from .html import GeneratedPage, page_url, relative
from .pages import DASHBOARDS as FOLDER
from .pages import dashboard_uri, protocol_uri
from .templating import Link, number, render_page

INDEX = f"{FOLDER}/index.md"
LATE_SHOWN = 100  # late teams listed on a page
NATIONAL = "national"


def csv_uri(key: str, name: str) -> str:
    return f"{FOLDER}/donnees/{key}/{name}.csv"


def dashboard_files(
    register: Register,
    history: History,
    use_directory_urls: bool = True,
    today: str | None = None,
    closed: list[DatedEvent] | None = None,
) -> dict[str, str | GeneratedPage]:
    """{site source path: content} of every dashboard page (its HTML set by the plugin) and CSV
    file; `closed`: the declarations closed without merge (gitops/decisions.py)."""
    return Dashboards(collect(register, history, today, closed), use_directory_urls).all()


@dataclass(frozen=True)
class DataTable:
    """A table of a section: plain cells (or `Link`s), escaped by the template."""

    headers: list[str]
    rows: list[list[Any]]
    caption: str
    heading: str = ""  # an <h3> above the table

    def __post_init__(self) -> None:  # an empty value is an empty cell, not "None"
        object.__setattr__(
            self, "rows", [["" if cell is None else cell for cell in row] for row in self.rows]
        )


@dataclass(frozen=True)
class Section:
    """One section of a dashboard page (templates/dashboard.html).

    When one of its tables has no row, the section only says there is no data.
    `chart` is the SVG rendered by `charts` (a template), hence `Markup`."""

    title: str
    downloads: list[Link]
    tables: list[DataTable] = field(default_factory=list)
    chart: Markup = field(default_factory=Markup)
    intro: str = ""  # a paragraph before the tables
    folded: bool = False  # tables folded under the chart
    when_empty: str = ""  # shown when there is no table at all
    note: str = ""  # a paragraph after the tables

    @property
    def empty(self) -> bool:
        return any(not table.rows for table in self.tables)


class Dashboards:
    def __init__(self, facts: Facts, use_directory_urls: bool = True) -> None:
        self.facts = facts
        self.use_dirs = use_directory_urls
        self.here = INDEX

    def all(self) -> dict[str, str | GeneratedPage]:
        out: dict[str, str | GeneratedPage] = {}
        scopes = {
            NATIONAL: Scope(),
            **{code: Scope(region=code) for code in self.facts.region_labels},
        }
        summaries = []
        for key, scope in scopes.items():
            tables = figures(self.facts, scope)
            for name, found in tables.items():
                out[csv_uri(key, name)] = found.csv()
            self.here = dashboard_uri(key)
            out[self.here] = self.page(key, tables)
            summaries.append((key, tables))
        self.here = INDEX
        out[INDEX] = self.index(summaries)
        return out

    # -- links ---------------------------------------------------------------
    def href(self, uri: str) -> str:
        target = page_url(uri, self.use_dirs) if uri.endswith(".md") else uri
        return relative(page_url(self.here, self.use_dirs), target)

    def link(self, uri: str, text: Any) -> Link:
        return Link(self.href(uri), text)

    def download(self, key: str, name: str, what: str) -> Link:
        return Link(self.href(csv_uri(key, name)), what)

    def scope_name(self, key: str) -> str:
        return "France entière" if key == NATIONAL else self.facts.region_labels.get(key, key)

    # -- pages ---------------------------------------------------------------
    def index(self, summaries: list[tuple[str, dict[str, Table]]]) -> GeneratedPage:
        rows: list[list[Any]] = []
        for key, tables in summaries:
            totals = _current(tables["actives-par-mois"])
            rows.append(
                [
                    self.link(dashboard_uri(key), self.scope_name(key)),
                    number(totals[0]),
                    number(totals[1]),
                    number(len(tables["retards"].rows)),
                ]
            )
        summary = DataTable(
            ["Tableau de bord", "Adhésions actives", "Suspendues", "Équipes en retard"],
            rows,
            "Tableaux de bord disponibles",
        )
        return render_page(
            "dashboards_index.html",
            "Tableaux de bord",
            search=False,
            today=self.facts.today,
            table=summary,
            declared=self.declared(NATIONAL),
        )

    def page(self, key: str, tables: dict[str, Table]) -> GeneratedPage:
        name = self.scope_name(key)
        sections: list[Callable[[str, dict[str, Table]], list[Section]]] = [
            self.over_time,
            self.by_protocol,
            self.by_profession,
            self.reports,
            self.late,
            self.indicators,
            self.decisions,
        ]
        return render_page(
            "dashboard.html",
            f"Tableau de bord — {name}",
            search=False,
            name=name,
            today=self.facts.today,
            option="" if key == NATIONAL else f" --region {key}",
            others=self.href(INDEX),
            figures=self.summary(tables) if self.declared(key) else [],
            sections=[s for section in sections for s in section(key, tables)],
        )

    def declared(self, key: str) -> bool:
        """Whether any real team declared in this scope: else the page says so instead of showing zeros."""
        return any(key in (NATIONAL, a.region) for a in self.facts.adhesions)

    def summary(self, tables: dict[str, Table]) -> list[tuple[Any, str]]:
        actives, suspended, ended = _current(tables["actives-par-mois"])
        year = int(self.facts.today[:4]) - 1
        expected = sum(int(r[2] or 0) for r in tables["rapports-par-annee"].rows if r[1] == year)
        received = sum(int(r[3] or 0) for r in tables["rapports-par-annee"].rows if r[1] == year)
        late = len(tables["retards"].rows)
        return [
            (actives, _noun(actives, "adhésion active", "adhésions actives")),
            (suspended, _noun(suspended, "suspendue")),
            (ended, _noun(ended, "terminée")),
            (late, _noun(late, "équipe en retard", "équipes en retard")),
            (f"{received} / {expected}", f"rapports {year} reçus"),
        ]

    def over_time(self, key: str, tables: dict[str, Table]) -> list[Section]:
        monthly = tables["actives-par-mois"]
        title = f"Adhésions actives et suspendues en fin de mois — {self.scope_name(key)}"
        chart = line_chart(
            f"graphique-{key}-evolution",
            title,
            _texts(monthly, 0),
            [
                Series("Actives", _numbers(monthly, 1)),
                Series("Suspendues", _numbers(monthly, 2)),
            ],
            "adhésions",
        )
        data = DataTable(
            ["Mois", "Actives", "Suspendues", "Terminées (cumul)"],
            [[r[0], *(number(float(v or 0)) for v in r[1:])] for r in monthly.rows],
            title,
        )
        downloads = [
            self.download(key, "actives-par-mois", "Adhésions par mois"),
            self.download(
                key, "actives-par-protocole-par-mois", "Adhésions actives par protocole et par mois"
            ),
            self.download(
                key,
                "actives-par-profession-par-mois",
                "Adhésions actives par profession et par mois",
            ),
        ]
        return [Section("Adhésions actives dans le temps", downloads, [data], chart, folded=True)]

    def by_protocol(self, key: str, tables: dict[str, Table]) -> list[Section]:
        found = tables["adhesions-par-protocole"]
        title = f"Adhésions actives par protocole — {self.scope_name(key)}"
        chart = bar_chart(
            f"graphique-{key}-protocoles",
            title,
            _texts(found, 1),
            _numbers(found, 2),
            "adhésions actives",
        )
        rows = [
            [
                self.link(protocol_uri(str(r[0])), r[1]),
                number(float(r[2] or 0)),
                number(float(r[3] or 0)),
                number(float(r[4] or 0)),
                french_date(r[5]),
            ]
            for r in found.rows
        ]
        data = DataTable(
            ["Protocole", "Équipes actives", "Suspendues", "Terminées", "Première activation"],
            rows,
            title,
        )
        return [
            Section(
                "Par protocole : combien d'équipes, depuis quand",
                [self.download(key, "adhesions-par-protocole", "Adhésions par protocole")],
                [data],
                chart,
            )
        ]

    def by_profession(self, key: str, tables: dict[str, Table]) -> list[Section]:
        found = tables["actives-par-profession"]
        title = f"Adhésions actives par profession déléguée — {self.scope_name(key)}"
        chart = bar_chart(
            f"graphique-{key}-professions",
            title,
            _texts(found, 1),
            _numbers(found, 2),
            "adhésions actives",
        )
        rows = [[r[1], number(float(r[2] or 0)), number(float(r[3] or 0))] for r in found.rows]
        data = DataTable(["Profession déléguée", "Adhésions actives", "Délégués"], rows, title)
        return [
            Section(
                "Par profession déléguée",
                [self.download(key, "actives-par-profession", "Adhésions actives par profession")],
                [data],
                chart,
            )
        ]

    def reports(self, key: str, tables: dict[str, Table]) -> list[Section]:
        totals = tables["rapports-par-annee-total"]
        title = f"Rapports annuels de suivi attendus et reçus — {self.scope_name(key)}"
        years = [str(year) for year in _texts(totals, 0)]
        chart = line_chart(
            f"graphique-{key}-rapports",
            title,
            years,
            [Series("Attendus", _numbers(totals, 1)), Series("Reçus", _numbers(totals, 2))],
            "rapports",
        )
        data = DataTable(
            ["Année", "Rapports attendus", "Rapports reçus"],
            [[r[0], number(float(r[1] or 0)), number(float(r[2] or 0))] for r in totals.rows],
            title,
        )
        links = [self.download(key, "rapports-par-annee-total", "Rapports par année")]
        return [
            Section("Rapports annuels de suivi", links, [data], chart),
            self.reports_by_protocol(key, tables),
        ]

    def decisions(self, key: str, tables: dict[str, Table]) -> list[Section]:
        found = tables["decisions-par-annee"]
        rows = [
            [r[0], number(float(r[1] or 0)), number(float(r[2] or 0)), number(float(r[3] or 0))]
            for r in found.rows
        ]
        data = DataTable(
            ["Année", "Instruites", "Refusées", "Classées sans suite"],
            rows,
            f"Décisions de l'ARS sur les déclarations — {self.scope_name(key)}",
        )
        links = [self.download(key, "decisions-par-annee", "Décisions par année")]
        intro = (
            "Une déclaration est instruite quand l'ARS l'enregistre au registre ; les dossiers repris "
            "de COOP-PS ou de démarches-simplifiées ne sont pas comptés."
        )
        return [Section("Décisions de l'ARS", links, [data], intro=intro)]

    def reports_by_protocol(self, key: str, tables: dict[str, Table]) -> Section:
        found = tables["rapports-par-annee"]
        rows = [
            [
                self.link(protocol_uri(str(r[0])), self.facts.protocol_titles.get(str(r[0]), r[0])),
                r[1],
                number(float(r[2] or 0)),
                number(float(r[3] or 0)),
            ]
            for r in found.rows
        ]
        data = DataTable(
            ["Protocole", "Année", "Rapports attendus", "Rapports reçus"],
            rows,
            f"Rapports annuels de suivi par protocole — {self.scope_name(key)}",
        )
        links = [self.download(key, "rapports-par-annee", "Rapports par protocole et par année")]
        return Section("Rapports annuels de suivi, par protocole", links, [data])

    def late(self, key: str, tables: dict[str, Table]) -> list[Section]:
        found = tables["retards"]
        due = last_due_year(self.facts.today)
        rule = (
            f"Une équipe est en retard quand le rapport d'une année où son adhésion était active manque après le "
            f"{int(DEADLINE[3:])} mars de l'année suivante : à ce jour, les rapports sont dus jusqu'à l'année {due}."
        )
        headers = [
            "Région",
            "Protocole",
            "Équipe",
            "Statut de l'adhésion",
            "Années manquantes",
            "Dernier rapport",
        ]
        rows = [
            [
                self.facts.region_labels.get(str(r[0]), r[0]),
                self.link(protocol_uri(str(r[1])), r[1]),
                r[3],
                r[4],
                r[5],
                r[6] or "aucun",
            ]
            for r in found.rows[:LATE_SHOWN]
        ]
        data = (
            [DataTable(headers, rows, f"Équipes en retard — {self.scope_name(key)}")]
            if rows
            else []
        )
        note = ""
        if (
            len(found.rows) > LATE_SHOWN
        ):  # a national list can hold tens of thousands of teams: the CSV has them all
            note = (
                f"Les {LATE_SHOWN} premières équipes sur {number(len(found.rows))} ; "
                "la liste complète est dans le fichier CSV ci-dessous."
            )
        links = [self.download(key, "retards", "Équipes en retard")]
        return [
            Section(
                "Équipes en retard pour leur rapport annuel",
                links,
                data,
                intro=rule,
                when_empty="Aucune équipe en retard.",
                note=note,
            )
        ]

    def indicators(self, key: str, tables: dict[str, Table]) -> list[Section]:
        found = tables["indicateurs"]
        blocks = []
        for pid in dict.fromkeys(str(r[0]) for r in found.rows):
            rows = [
                [
                    r[1],
                    r[3],
                    r[5] or "",
                    number(float(r[6] or 0)),
                    _maybe(r[7]),
                    _maybe(r[8]),
                    _maybe(r[9]),
                    _maybe(r[10]),
                ]
                for r in found.rows
                if r[0] == pid
            ]
            title = self.facts.protocol_titles.get(pid, pid)
            blocks.append(
                DataTable(
                    [
                        "Année",
                        "Indicateur",
                        "Unité",
                        "Rapports",
                        "Total",
                        "Moyenne par équipe",
                        "Minimum",
                        "Maximum",
                    ],
                    rows,
                    f"Indicateurs déclarés — {title}",
                    heading=title,
                )
            )
        intro = (
            "Valeurs déclarées par les équipes dans leurs rapports annuels, agrégées par protocole et par année "
            "(les indicateurs en texte libre ne sont que comptés)."
        )
        return [
            Section(
                "Indicateurs déclarés",
                [self.download(key, "indicateurs", "Indicateurs")],
                blocks,
                intro=intro,
                when_empty="Aucun rapport reçu.",
            )
        ]


def _texts(found: Table, column: int) -> list[str]:
    return [str(row[column]) for row in found.rows]


def _numbers(found: Table, column: int) -> list[float]:
    return [float(row[column] or 0) for row in found.rows]


def _current(monthly: Table) -> tuple[int, int, int]:
    if not monthly.rows:
        return 0, 0, 0
    last = monthly.rows[-1]
    return int(last[1] or 0), int(last[2] or 0), int(last[3] or 0)


def _maybe(value: Value) -> str:
    return "" if value is None else number(float(value))


def _noun(count: Any, singular: str, plural_form: str | None = None) -> str:
    """The noun of a figure shown apart from it (« 1 » adhésion active, « 2 » adhésions actives)."""
    return plural(int(count or 0), singular, plural_form).split(" ", 1)[1]
