"""Steering figures: one set of functions for `coop stats` and the dashboards.

`collect(register, history, today)` reduces the register to public facts
(no RPPS, no member names): for each valid adhesion its dates — active from
the merge that added it (`History.added`), suspended from `suspension.date`
(and during the suspensions lifted since, from history events), ended at
`fin.date` or at the `arret.date` of its protocol —, the professions of its
délégués, and its yearly reports. `figures(facts, scope)` turns them into
`Table`s whose CSV is byte for byte what the site offers for download.

Curves are counted at the end of each month (today for the current month)
by summing state changes, never by replaying every adhesion every month.

A team is *late* for year Y when the adhesion was active during Y and no
report for Y exists after the deadline, the 31 March of Y+1 (`DEADLINE`).
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import IO, Any

import click

from .csvsafe import safe_cell
from .history import History, load_history
from .paths import PROTOCOLS_DIR, YAML_SUFFIX
from .register import Entry, Register

DEADLINE = "03-31"  # reports for year Y are due by Y+1-03-31
EIG = "eig_declares"
EIG_LABEL = "Événements indésirables graves déclarés"
STATE_LABELS = {"active": "active", "suspendue": "suspendue", "terminee": "terminée"}
STATES = tuple(STATE_LABELS)

Value = str | int | float | None


@dataclass(frozen=True)
class Scope:
    """Which adhesions count: one region, one protocol, both, or (None, None) the nation."""

    region: str | None = None
    protocol: str | None = None

    def covers(self, region: str, protocol: str) -> bool:
        return self.region in (None, region) and self.protocol in (None, protocol)


@dataclass(frozen=True)
class Adhesion:
    """What the figures need of one adhesion, and nothing personal."""

    region: str
    protocol: str
    team: str
    name: str
    delegue_professions: tuple[str, ...]  # one entry per délégué member
    activated: str | None  # merge date; None when not (yet) on the history's ref
    changes: tuple[tuple[str, str], ...]  # (date, state) after activation, in date order, up to today
    end: str | None  # fin.date or the protocol's arret.date, when on or before today

    @property
    def state(self) -> str | None:
        return self.changes[-1][1] if self.changes else None


@dataclass(frozen=True)
class Report:
    region: str
    protocol: str
    team: str
    year: int
    values: dict[str, int | float]  # numeric indicators whose type matches the protocol, and eig_declares


@dataclass
class Facts:
    today: str
    adhesions: list[Adhesion]
    reports: list[Report]
    protocol_titles: dict[str, str]
    indicators: dict[str, list[dict[str, Any]]]  # protocol id → its `indicateurs`
    profession_labels: dict[str, str]
    region_labels: dict[str, str]


@dataclass(frozen=True)
class Table:
    """One figure: a name (its CSV file name), a French title and rows."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[Value, ...]] = ()

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        writer.writerows([_cell(value) for value in row] for row in self.rows)
        return out.getvalue()

    def records(self) -> list[dict[str, Value]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"  # 75.0 → 75, 12.25 → 12.25 (means are already rounded to 0.1)
    if isinstance(value, str):
        return str(safe_cell(value))  # a spreadsheet would run a formula start as a formula
    return str(value)


# --- facts ------------------------------------------------------------------------------------------------


def collect(register: Register, history: History, today: str | None = None) -> Facts:
    """The public facts of a loaded register, dated by its history."""
    from .rules.reports import adhesion_path, check, report_year

    today = today or datetime.date.today().isoformat()
    referentials = register.schemas.referentials
    protocols = {pid: e.data for pid, e in register.protocols.items() if e.valid}
    stops = {pid: _stop_date(pid, data, history) for pid, data in protocols.items() if data.get("statut") == "arrete"}
    adhesions = {e.path: _adhesion(e, stops.get(e.where.protocol_id), history, today)
                 for e in register.adhesions if e.valid}
    reports = []
    for entry in register.entries:
        if entry.where.kind != "suivi" or not entry.valid or adhesion_path(entry.where) not in adhesions:
            continue
        if any(f.severity == "error" for f in check(entry, register)):
            continue  # `coop validate` says what to fix; wrong values are not counted
        reports.append(_report(entry, report_year(entry.where) or 0, protocols.get(entry.where.protocol_id, {})))
    return Facts(
        today=today,
        adhesions=sorted(adhesions.values(), key=lambda a: (a.region, a.protocol, a.team)),
        reports=reports,
        protocol_titles={pid: str(data.get("intitule", pid)) for pid, data in protocols.items()},
        indicators={pid: list(data.get("indicateurs") or []) for pid, data in protocols.items()},
        profession_labels=dict(referentials["profession"].labels),
        region_labels=dict(referentials["region"].labels),
    )


def _stop_date(pid: str, protocol: dict[str, Any], history: History) -> str | None:
    """When a protocol was stopped: its `arret.date`, else the commit that set `statut: arrete`."""
    stops = [e.date for e in history.events(f"{PROTOCOLS_DIR}/{pid}{YAML_SUFFIX}") if e.kind == "statut" and e.value == "arrete"]
    return _date(protocol.get("arret")) or (stops[-1] if stops else None)


def _adhesion(entry: Entry, protocol_stop: str | None, history: History, today: str) -> Adhesion:
    data = entry.data
    added = history.added(entry.path)
    activated = added.date if added else None
    end = min(filter(None, (_date(data.get("fin")), protocol_stop)), default=None)
    changes = _changes(activated, _suspensions(entry.path, data, history), end, today)
    professions = tuple(sorted(m["profession"] for m in data.get("membres", []) if m.get("role") == "delegue"))
    name = str(data.get("equipe", {}).get("nom") or entry.where.team_id)
    return Adhesion(entry.where.region, entry.where.protocol_id, entry.where.team_id, name, professions, activated,
                    changes, end if end and end <= today else None)


def _date(block: Any) -> str | None:
    value = block.get("date") if isinstance(block, dict) else None
    return value if isinstance(value, str) else None


def _suspensions(path: str, data: dict[str, Any], history: History) -> list[tuple[str, str | None]]:
    """(start, end) of each suspension: lifted ones from history events, the current one from `suspension.date`."""
    periods: list[tuple[str, str | None]] = []
    for event in history.events(path):
        if event.kind == "suspension":
            periods.append((event.date, None))
        elif event.kind == "levee-suspension" and periods and periods[-1][1] is None:
            periods[-1] = (periods[-1][0], event.date)
    current = _date(data.get("suspension"))
    if current:
        if periods and periods[-1][1] is None:
            periods.pop()
        periods.append((current, None))
    elif periods and periods[-1][1] is None:
        periods.pop()  # the file no longer says so: lifted without a dated event
    return periods


def _changes(activated: str | None, suspensions: list[tuple[str, str | None]], end: str | None,
             today: str) -> tuple[tuple[str, str], ...]:
    if activated is None or activated > today:
        return ()
    # (date, order, state): on one day, the events keep their order (a suspension lifted the day it was set).
    marks = [(activated, 0, "active")]
    for start, stop in suspensions:
        marks.append((max(start, activated), len(marks), "suspendue"))
        if stop:
            marks.append((max(stop, activated), len(marks), "active"))
    if end:
        marks.append((max(end, activated), len(marks), "terminee"))
    changes: list[tuple[str, str]] = []
    for date, _, state in sorted(marks):
        if date > today or (changes and changes[-1][1] == "terminee"):
            break
        if changes and changes[-1][0] == date:
            changes.pop()
        if not changes or changes[-1][1] != state:
            changes.append((date, state))
    return tuple(changes)


def _report(entry: Entry, year: int, protocol: dict[str, Any]) -> Report:
    types = {item["cle"]: item["type"] for item in protocol.get("indicateurs") or []}
    given = entry.data.get("indicateurs") or {}
    values: dict[str, int | float] = {EIG: entry.data[EIG]}
    for key, value in given.items():
        if types.get(key) in ("entier", "taux") and isinstance(value, (int, float)) and not isinstance(value, bool):
            values[key] = value
    w = entry.where
    return Report(w.region, w.protocol_id, w.team_id, year, values)


# --- figures ----------------------------------------------------------------------------------------------

TABLES = {
    "actives-par-mois": "Adhésions actives, suspendues et terminées, en fin de mois",
    "adhesions-par-protocole": "Adhésions par protocole, à ce jour",
    "actives-par-profession": "Adhésions actives par profession déléguée, à ce jour",
    "actives-par-protocole-par-mois": "Adhésions actives par protocole, en fin de mois",
    "actives-par-profession-par-mois": "Adhésions actives par profession déléguée, en fin de mois",
    "rapports-par-annee": "Rapports annuels de suivi attendus et reçus, par protocole",
    "rapports-par-annee-total": "Rapports annuels de suivi attendus et reçus, tous protocoles",
    "retards": "Équipes en retard pour leur rapport annuel",
    "indicateurs": "Indicateurs déclarés, par protocole et par année",
}


def figures(facts: Facts, scope: Scope = Scope()) -> dict[str, Table]:
    """Every table of a dashboard, for one scope."""
    adhesions = [a for a in facts.adhesions if a.activated and a.changes and scope.covers(a.region, a.protocol)]
    reports = [r for r in facts.reports if scope.covers(r.region, r.protocol)]
    months = month_range(min((a.activated or "" for a in adhesions), default=facts.today), facts.today) \
        if adhesions else []
    tables = [
        _monthly(adhesions, months),
        _by_protocol(adhesions, facts),
        _by_profession(adhesions, facts),
        _monthly_by(adhesions, months, "actives-par-protocole-par-mois", "protocole", lambda a: [a.protocol]),
        _monthly_by(adhesions, months, "actives-par-profession-par-mois", "profession",
                    lambda a: sorted(set(a.delegue_professions))),
        *_reports_by_year(adhesions, reports, facts),
        _late(adhesions, reports, facts),
        _indicators(reports, facts),
    ]
    return {table.name: table for table in tables}


def month_range(first: str, today: str) -> list[str]:
    """"YYYY-MM" from the month of `first` to the month of `today`, both included."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= today[:7]:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_end(month: str, today: str) -> str:
    """The day a month's figure is counted at: its last day, or today for the current month."""
    last = calendar.monthrange(int(month[:4]), int(month[5:7]))[1]
    return min(f"{month}-{last:02d}", today)


Groups = Callable[[Adhesion], Iterable[str]]
Curves = dict[str, dict[str, list[int]]]  # group → state → count at each month's end


def _one_group(adhesion: Adhesion) -> Iterable[str]:
    return ("*",)


def _state_counts(adhesions: Iterable[Adhesion], months: list[str], groups: Groups = _one_group) -> Curves:
    """How many adhesions of each group are in each state at each month's end: a sweep over
    state changes (+1 to the new state, -1 to the previous one), then running sums."""
    index = {month: position for position, month in enumerate(months)}
    deltas: Curves = defaultdict(lambda: {state: [0] * len(months) for state in STATES})
    for adhesion in adhesions:
        keys = tuple(groups(adhesion))
        previous = None
        for date, state in _month_end_states(adhesion):
            position = index[date[:7]]
            for group in keys:
                deltas[group][state][position] += 1
                if previous:
                    deltas[group][previous][position] -= 1
            previous = state
    return {group: {state: list(accumulate(steps)) for state, steps in by_state.items()} for group, by_state in deltas.items()}


def _month_end_states(adhesion: Adhesion) -> Iterator[tuple[str, str]]:
    """Of each month's changes, the last one: the state the month ends in."""
    changes = adhesion.changes
    for position, (date, state) in enumerate(changes):
        if position + 1 == len(changes) or changes[position + 1][0][:7] != date[:7]:
            yield date, state


def _monthly(adhesions: list[Adhesion], months: list[str]) -> Table:
    zero = [0] * len(months)
    counts = _state_counts(adhesions, months).get("*", {state: zero for state in STATES})
    rows = list(zip(months, counts["active"], counts["suspendue"], counts["terminee"], strict=True))
    return Table("actives-par-mois", TABLES["actives-par-mois"], ("mois", "actives", "suspendues", "terminees"), rows)


def _monthly_by(adhesions: list[Adhesion], months: list[str], name: str, column: str, groups: Groups) -> Table:
    counts = sorted(_state_counts(adhesions, months, groups).items())
    rows = [(month, group, series["active"][position]) for position, month in enumerate(months) for group, series in counts]
    return Table(name, TABLES[name], ("mois", column, "actives"), rows)


def _by_protocol(adhesions: list[Adhesion], facts: Facts) -> Table:
    by: dict[str, list[Adhesion]] = defaultdict(list)
    for adhesion in adhesions:
        by[adhesion.protocol].append(adhesion)
    rows = []
    for pid, group in sorted(by.items()):
        states = Counter(a.state for a in group)
        since = min(a.activated or "" for a in group)
        rows.append((pid, facts.protocol_titles.get(pid, pid), states["active"], states["suspendue"], states["terminee"], since))
    columns = ("protocole", "intitule", "actives", "suspendues", "terminees", "premiere_activation")
    return Table("adhesions-par-protocole", TABLES["adhesions-par-protocole"], columns, rows)


def _by_profession(adhesions: list[Adhesion], facts: Facts) -> Table:
    teams: Counter[str] = Counter()
    members: Counter[str] = Counter()
    for adhesion in adhesions:
        if adhesion.state == "active":
            teams.update(set(adhesion.delegue_professions))
            members.update(adhesion.delegue_professions)
    rows = [(code, facts.profession_labels.get(code, code), teams[code], members[code]) for code in sorted(teams)]
    return Table("actives-par-profession", TABLES["actives-par-profession"],
                 ("profession", "libelle", "adhesions_actives", "delegues"), rows)


def last_due_year(today: str) -> int:
    """The latest year whose report is overdue on `today`."""
    year = int(today[:4])
    return year - 1 if today[5:] > DEADLINE else year - 2


def _expected_years(adhesion: Adhesion, until: int) -> range:
    first = int((adhesion.activated or "9999")[:4])
    last = min(until, int(adhesion.end[:4])) if adhesion.end else until
    return range(first, last + 1)


def _reported(reports: list[Report]) -> dict[tuple[str, str, str], set[int]]:
    years: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for report in reports:
        years[(report.region, report.protocol, report.team)].add(report.year)
    return years


def _reports_by_year(adhesions: list[Adhesion], reports: list[Report], facts: Facts) -> tuple[Table, Table]:
    closed = int(facts.today[:4]) - 1
    expected: Counter[tuple[str, int]] = Counter()
    for adhesion in adhesions:
        for year in _expected_years(adhesion, closed):
            expected[(adhesion.protocol, year)] += 1
    received = Counter((r.protocol, r.year) for r in reports)
    rows = [(pid, year, expected[(pid, year)], received[(pid, year)]) for pid, year in sorted({*expected, *received})]
    totals: dict[int, Counter[str]] = defaultdict(Counter)
    for _, year, due, got in rows:
        totals[year].update({"attendus": due, "recus": got})
    return (
        Table("rapports-par-annee", TABLES["rapports-par-annee"], ("protocole", "annee", "attendus", "recus"), rows),
        Table("rapports-par-annee-total", TABLES["rapports-par-annee-total"], ("annee", "attendus", "recus"),
              [(year, count["attendus"], count["recus"]) for year, count in sorted(totals.items())]),
    )


def _late(adhesions: list[Adhesion], reports: list[Report], facts: Facts) -> Table:
    reported = _reported(reports)
    due = last_due_year(facts.today)
    rows = []
    for adhesion in adhesions:
        done = reported.get((adhesion.region, adhesion.protocol, adhesion.team), set())
        missing = [year for year in _expected_years(adhesion, due) if year not in done]
        if missing:
            last = max(done) if done else None
            rows.append((adhesion.region, adhesion.protocol, adhesion.team, adhesion.name,
                         STATE_LABELS[adhesion.state or "active"], " ".join(map(str, missing)), last))
    columns = ("region", "protocole", "equipe", "nom", "statut", "annees_manquantes", "dernier_rapport")
    return Table("retards", TABLES["retards"], columns, rows)


def _indicators(reports: list[Report], facts: Facts) -> Table:
    values: dict[tuple[str, int, str], list[int | float]] = defaultdict(list)
    for report in reports:
        for key, value in report.values.items():
            values[(report.protocol, report.year, key)].append(value)
    rows = []
    orders = {pid: [EIG, *(item["cle"] for item in facts.indicators.get(pid, []))] for pid, _, _ in values}
    for (pid, year, key), found in sorted(values.items(), key=lambda item: _indicator_order(orders, *item[0])):
        spec = _indicator(facts, pid, key)
        total = sum(found) if spec["type"] == "entier" else None
        mean = round(sum(found) / len(found), 1)
        rows.append((pid, year, key, spec["libelle"], spec["type"], spec.get("unite"), len(found), total, mean,
                     min(found), max(found)))
    columns = ("protocole", "annee", "indicateur", "libelle", "type", "unite", "rapports", "total", "moyenne",
               "minimum", "maximum")
    return Table("indicateurs", TABLES["indicateurs"], columns, rows)


def _indicator_order(orders: dict[str, list[str]], pid: str, year: int, key: str) -> tuple[str, int, int]:
    """Per protocol and year: eig_declares first, then the protocol's own order."""
    keys = orders[pid]
    return pid, year, keys.index(key) if key in keys else len(keys)


def _indicator(facts: Facts, pid: str, key: str) -> dict[str, Any]:
    if key == EIG:
        return {"libelle": EIG_LABEL, "type": "entier", "unite": "événements"}
    return next((item for item in facts.indicators.get(pid, []) if item["cle"] == key),
                {"libelle": key, "type": "entier"})


# --- output -----------------------------------------------------------------------------------------------


def scope_title(facts: Facts, scope: Scope) -> str:
    parts = []
    if scope.region:
        parts.append(f"{facts.region_labels.get(scope.region, scope.region)} ({scope.region})")
    if scope.protocol:
        parts.append(f"protocole « {facts.protocol_titles.get(scope.protocol, scope.protocol)} »")
    return ", ".join(parts) or "France entière"


def write_text(tables: dict[str, Table], heading: str, out: IO[str]) -> None:
    out.write(f"{heading}\n")
    for table in tables.values():
        out.write(f"\n{table.title} [{table.name}]\n")
        if not table.rows:
            out.write("  (aucune donnée)\n")
            continue
        cells = [list(table.columns), *[[_short(_cell(v)) for v in row] for row in table.rows]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
        for row in cells:
            out.write("  " + "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip() + "\n")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_json(tables: dict[str, Table], facts: Facts, scope: Scope) -> dict[str, Any]:
    return {
        "date": facts.today,
        "perimetre": {"region": scope.region, "protocole": scope.protocol, "libelle": scope_title(facts, scope)},
        "echeance_rapport": f"le {DEADLINE[3:]}/{DEADLINE[:2]} de l'année suivante",
        "tableaux": {name: {"titre": t.title, "colonnes": list(t.columns), "lignes": t.records()} for name, t in tables.items()},
    }


def write_csv(tables: dict[str, Table], out: IO[str]) -> None:
    """One table: exactly its CSV file. Several: each preceded by a `# tableau: <name>` line."""
    if len(tables) == 1:
        out.write(next(iter(tables.values())).csv())
        return
    out.write("\n".join(f"# tableau: {name}\n{table.csv()}" for name, table in tables.items()))


@click.command("stats")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Racine du registre (par défaut : le dépôt git qui contient le dossier courant).")
@click.option("--region", metavar="CODE", help="Code INSEE de la région (exemple : 84) ; par défaut la France entière.")
@click.option("--protocol", "--protocole", "protocol", metavar="ID", help="Identifiant d'un protocole.")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="Format de sortie.")
@click.option("--tableau", type=click.Choice(list(TABLES)), help="Un seul tableau (le même fichier CSV que le site).")
@click.option("--sortie", type=click.Path(file_okay=False, path_type=Path),
              help="Dossier où écrire chaque tableau en fichier CSV <tableau>.csv.")
@click.option("--date", "as_of", metavar="AAAA-MM-JJ", help="Calculer à cette date (par défaut : aujourd'hui).")
@click.option("--ref", metavar="REF", help="Branche dont l'historique date les adhésions (par défaut : main, sinon HEAD).")
def stats_command(root: Path | None, region: str | None, protocol: str | None, output_format: str, tableau: str | None,
                  sortie: Path | None, as_of: str | None, ref: str | None) -> None:
    """Chiffres de pilotage : adhésions actives dans le temps, rapports de suivi, retards, indicateurs.

    Les mêmes chiffres que les tableaux de bord du site, pour une région, un
    protocole ou la France entière.
    """
    from .cli import resolve_root
    from .errors import CoopError
    from .status import default_ref

    register_root = resolve_root(root)
    if as_of is not None and not _is_date(as_of):
        raise CoopError(f"« {as_of} » n'est pas une date AAAA-MM-JJ (exemple : 2025-04-01).")
    register = Register.load(register_root)
    facts = collect(register, load_history(register_root, ref or default_ref(register_root)), as_of)
    scope = Scope(region, protocol)
    if region is not None and region not in facts.region_labels:
        raise CoopError(f"« {region} » n'est pas un code de région : codes possibles {', '.join(sorted(facts.region_labels))}.")
    if protocol is not None and protocol not in register.protocols:
        raise CoopError(f"Le protocole « {protocol} » n'existe pas dans `protocols/`.")
    tables = figures(facts, scope)
    if tableau:
        tables = {tableau: tables[tableau]}
    if sortie:
        sortie.mkdir(parents=True, exist_ok=True)
        for name, table in tables.items():
            (sortie / f"{name}.csv").write_text(table.csv(), encoding="utf-8")
        click.echo(f"{len(tables)} fichier(s) CSV écrit(s) dans {sortie}.", err=True)
        return
    if output_format == "json":
        sys.stdout.write(json.dumps(as_json(tables, facts, scope), ensure_ascii=False, indent=2) + "\n")
    elif output_format == "csv":
        write_csv(tables, sys.stdout)
    else:
        write_text(tables, f"Statistiques du registre — {scope_title(facts, scope)}, au {_french(facts.today)}", sys.stdout)


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10


def _french(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
