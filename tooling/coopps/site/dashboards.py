"""Dashboards of the site: one page for the nation, one per region, and their CSV files.

Every number comes from `stats.figures` — the functions `coop stats` uses —
and every table is also emitted as `tableaux-de-bord/donnees/<périmètre>/<tableau>.csv`,
byte for byte what `coop stats --format csv --tableau <tableau>` prints.
Charts are inline SVG (`charts`), each followed by its data table. Only
counts and structure names are shown: no RPPS, no member.
"""

from __future__ import annotations

from collections.abc import Callable

from ..gitops.history import History
from ..register import Register
from ..stats.facts import DEADLINE, Facts, Scope, Value, collect
from ..stats.figures import Table, figures, last_due_year
from .charts import Series, bar_chart, line_chart, number
from .html import GeneratedPage, date_fr, esc, generated_page, page_url, relative, table, tag
from .pages import DASHBOARDS as FOLDER
from .pages import dashboard_uri, protocol_uri

INDEX = f"{FOLDER}/index.md"
LATE_SHOWN = 100  # late teams listed on a page
NATIONAL = "national"


def csv_uri(key: str, name: str) -> str:
    return f"{FOLDER}/donnees/{key}/{name}.csv"


def dashboard_files(register: Register, history: History, use_directory_urls: bool = True,
                    today: str | None = None) -> dict[str, str | GeneratedPage]:
    """{site source path: content} of every dashboard page (its HTML set by the plugin) and CSV file."""
    return Dashboards(collect(register, history, today), use_directory_urls).all()


class Dashboards:
    def __init__(self, facts: Facts, use_directory_urls: bool = True) -> None:
        self.facts = facts
        self.use_dirs = use_directory_urls
        self.here = INDEX

    def all(self) -> dict[str, str | GeneratedPage]:
        out: dict[str, str | GeneratedPage] = {}
        scopes = {NATIONAL: Scope(), **{code: Scope(region=code) for code in self.facts.region_labels}}
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

    def a(self, uri: str, html_text: str) -> str:
        return f'<a href="{esc(self.href(uri))}">{html_text}</a>'

    def download(self, key: str, name: str, what: str) -> str:
        return f'<a href="{esc(self.href(csv_uri(key, name)))}" download>{esc(what)} (CSV)</a>'

    def scope_name(self, key: str) -> str:
        return "France entière" if key == NATIONAL else self.facts.region_labels.get(key, key)

    # -- pages ---------------------------------------------------------------
    def index(self, summaries: list[tuple[str, dict[str, Table]]]) -> GeneratedPage:
        rows = []
        for key, tables in summaries:
            totals = _current(tables["actives-par-mois"])
            rows.append([self.a(dashboard_uri(key), esc(self.scope_name(key))), number(totals[0]), number(totals[1]),
                         number(len(tables["retards"].rows))])
        body = [
            "<h1>Tableaux de bord</h1>",
            f"<p>Le suivi des protocoles de coopération, pour la France entière et pour chaque région : adhésions actives "
            f"dans le temps, rapports annuels de suivi, équipes en retard, indicateurs déclarés. Chiffres au "
            f"{esc(date_fr(self.facts.today))}, calculés à la construction du site à partir du registre et de son "
            f"historique git ; les mêmes en ligne de commande : <code>coop stats</code>.</p>",
            table(["Tableau de bord", "Adhésions actives", "Suspendues", "Équipes en retard"], rows,
                  caption="Tableaux de bord disponibles"),
        ]
        return generated_page("Tableaux de bord", "\n".join(body), search=False)

    def page(self, key: str, tables: dict[str, Table]) -> GeneratedPage:
        name = self.scope_name(key)
        option = "" if key == NATIONAL else f" --region {key}"
        sections: list[Callable[[str, dict[str, Table]], str]] = [
            self.summary, self.over_time, self.by_protocol, self.by_profession, self.reports, self.late, self.indicators,
        ]
        body = [
            f"<h1>Tableau de bord — {esc(name)}</h1>",
            f"<p>Chiffres au {esc(date_fr(self.facts.today))}, calculés à partir du registre et de son historique git "
            f"(une adhésion est active depuis sa déclaration, ou depuis son activation par l'ARS pour un dossier repris de "
            f"COOP-PS ou de démarches-simplifiées). Chaque tableau se télécharge en CSV ; "
            f"les mêmes chiffres en ligne de commande : <code>coop stats{esc(option)}</code>. "
            f"{self.a(INDEX, 'Autres tableaux de bord')}.</p>",
            *(section(key, tables) for section in sections),
        ]
        return generated_page(f"Tableau de bord — {name}", "\n".join(body), search=False)

    def summary(self, key: str, tables: dict[str, Table]) -> str:
        actives, suspended, ended = _current(tables["actives-par-mois"])
        year = int(self.facts.today[:4]) - 1
        expected = sum(int(r[2] or 0) for r in tables["rapports-par-annee"].rows if r[1] == year)
        received = sum(int(r[3] or 0) for r in tables["rapports-par-annee"].rows if r[1] == year)
        items = [
            (actives, "adhésions actives"), (suspended, "suspendues"), (ended, "terminées"),
            (len(tables["retards"].rows), "équipes en retard"), (f"{received} / {expected}", f"rapports {year} reçus"),
        ]
        return tag("ul", "".join(f"<li><strong>{esc(value)}</strong> {esc(label)}</li>" for value, label in items),
                   class_="coop-chiffres")

    def over_time(self, key: str, tables: dict[str, Table]) -> str:
        monthly = tables["actives-par-mois"]
        title = f"Adhésions actives et suspendues en fin de mois — {self.scope_name(key)}"
        chart = line_chart(f"graphique-{key}-evolution", title, _texts(monthly, 0), [
            Series("Actives", _numbers(monthly, 1)),
            Series("Suspendues", _numbers(monthly, 2)),
        ], "adhésions")
        data = table(["Mois", "Actives", "Suspendues", "Terminées (cumul)"],
                     [[esc(r[0]), *(number(float(v or 0)) for v in r[1:])] for r in monthly.rows], caption=esc(title))
        downloads = [self.download(key, "actives-par-mois", "Adhésions par mois"),
                     self.download(key, "actives-par-protocole-par-mois", "Adhésions actives par protocole et par mois"),
                     self.download(key, "actives-par-profession-par-mois", "Adhésions actives par profession et par mois")]
        return _section("Adhésions actives dans le temps", chart, _details(data), downloads)

    def by_protocol(self, key: str, tables: dict[str, Table]) -> str:
        found = tables["adhesions-par-protocole"]
        title = f"Adhésions actives par protocole — {self.scope_name(key)}"
        chart = bar_chart(f"graphique-{key}-protocoles", title, _texts(found, 1), _numbers(found, 2),
                          "adhésions actives")
        rows = [[self.a(protocol_uri(str(r[0])), esc(r[1])), number(float(r[2] or 0)), number(float(r[3] or 0)),
                 number(float(r[4] or 0)), esc(date_fr(str(r[5])))] for r in found.rows]
        data = table(["Protocole", "Équipes actives", "Suspendues", "Terminées", "Première activation"], rows, caption=esc(title))
        return _section("Par protocole : combien d'équipes, depuis quand", chart, data,
                        [self.download(key, "adhesions-par-protocole", "Adhésions par protocole")])

    def by_profession(self, key: str, tables: dict[str, Table]) -> str:
        found = tables["actives-par-profession"]
        title = f"Adhésions actives par profession déléguée — {self.scope_name(key)}"
        chart = bar_chart(f"graphique-{key}-professions", title, _texts(found, 1), _numbers(found, 2),
                          "adhésions actives")
        rows = [[esc(r[1]), number(float(r[2] or 0)), number(float(r[3] or 0))] for r in found.rows]
        data = table(["Profession déléguée", "Adhésions actives", "Délégués"], rows, caption=esc(title))
        return _section("Par profession déléguée", chart, data,
                        [self.download(key, "actives-par-profession", "Adhésions actives par profession")])

    def reports(self, key: str, tables: dict[str, Table]) -> str:
        totals = tables["rapports-par-annee-total"]
        title = f"Rapports annuels de suivi attendus et reçus — {self.scope_name(key)}"
        years = [str(year) for year in _texts(totals, 0)]
        chart = line_chart(f"graphique-{key}-rapports", title, years,
                           [Series("Attendus", _numbers(totals, 1)), Series("Reçus", _numbers(totals, 2))], "rapports")
        data = table(["Année", "Rapports attendus", "Rapports reçus"],
                     [[esc(r[0]), number(float(r[1] or 0)), number(float(r[2] or 0))] for r in totals.rows], caption=esc(title))
        links = [self.download(key, "rapports-par-annee-total", "Rapports par année")]
        return _section("Rapports annuels de suivi", chart, data, links) + self.reports_by_protocol(key, tables)

    def reports_by_protocol(self, key: str, tables: dict[str, Table]) -> str:
        found = tables["rapports-par-annee"]
        rows = [[self.a(protocol_uri(str(r[0])), esc(self.facts.protocol_titles.get(str(r[0]), r[0]))), esc(r[1]),
                 number(float(r[2] or 0)), number(float(r[3] or 0))] for r in found.rows]
        data = table(["Protocole", "Année", "Rapports attendus", "Rapports reçus"], rows,
                     caption=esc(f"Rapports annuels de suivi par protocole — {self.scope_name(key)}"))
        links = [self.download(key, "rapports-par-annee", "Rapports par protocole et par année")]
        return _section("Rapports annuels de suivi, par protocole", "", data, links)

    def late(self, key: str, tables: dict[str, Table]) -> str:
        found = tables["retards"]
        due = last_due_year(self.facts.today)
        rule = (f"<p>Une équipe est en retard quand le rapport d'une année où son adhésion était active manque après le "
                f"{int(DEADLINE[3:])} mars de l'année suivante : à ce jour, les rapports sont dus jusqu'à l'année {due}.</p>")
        headers = ["Région", "Protocole", "Équipe", "Statut de l'adhésion", "Années manquantes", "Dernier rapport"]
        rows = [[esc(self.facts.region_labels.get(str(r[0]), r[0])), self.a(protocol_uri(str(r[1])), esc(r[1])), esc(r[3]),
                 esc(r[4]), esc(r[5]), esc(r[6] or "aucun")] for r in found.rows[:LATE_SHOWN]]
        data = table(headers, rows, caption=esc(f"Équipes en retard — {self.scope_name(key)}")) if rows \
            else "<p>Aucune équipe en retard.</p>"
        if len(found.rows) > LATE_SHOWN:  # a national list can hold tens of thousands of teams: the CSV has them all
            data += (f"<p>Les {LATE_SHOWN} premières équipes sur {number(len(found.rows))} ; "
                     "la liste complète est dans le fichier CSV ci-dessous.</p>")
        links = [self.download(key, "retards", "Équipes en retard")]
        return _section("Équipes en retard pour leur rapport annuel", rule, data, links)

    def indicators(self, key: str, tables: dict[str, Table]) -> str:
        found = tables["indicateurs"]
        blocks = []
        for pid in dict.fromkeys(str(r[0]) for r in found.rows):
            rows = [[esc(r[1]), esc(r[3]), esc(r[5] or ""), number(float(r[6] or 0)), _maybe(r[7]), _maybe(r[8]),
                     _maybe(r[9]), _maybe(r[10])] for r in found.rows if r[0] == pid]
            title = self.facts.protocol_titles.get(pid, pid)
            blocks.append(f"<h3>{esc(title)}</h3>" + table(
                ["Année", "Indicateur", "Unité", "Rapports", "Total", "Moyenne par équipe", "Minimum", "Maximum"], rows,
                caption=esc(f"Indicateurs déclarés — {title}")))
        intro = ("<p>Valeurs déclarées par les équipes dans leurs rapports annuels, agrégées par protocole et par année "
                 "(les indicateurs en texte libre ne sont que comptés).</p>")
        return _section("Indicateurs déclarés", intro, "".join(blocks) or "<p>Aucun rapport reçu.</p>",
                        [self.download(key, "indicateurs", "Indicateurs")])


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


def _details(data: str) -> str:
    return f"<details><summary>Données du graphique</summary>{data}</details>"


EMPTY = "<p>Aucune donnée pour ce périmètre.</p>"


def _section(title: str, chart: str, data: str, downloads: list[str]) -> str:
    if "<tbody></tbody>" in data:
        chart, data = "", EMPTY
    links = tag("ul", "".join(f"<li>{link}</li>" for link in downloads), class_="coop-telechargements")
    # Material sizes a <figure> to its content: give the drawing the text's full width.
    figure = f'<figure class="coop-figure" style="width:100%">{chart}</figure>' if chart.startswith("<svg") else chart
    return f"<section><h2>{esc(title)}</h2>{figure}{data}{links}</section>"
