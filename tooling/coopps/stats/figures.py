"""The tables of `coop chiffres` and of the dashboards, computed from `Facts`;
each table's CSV is byte for byte what the site offers for download."""

from __future__ import annotations

import calendar
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from ..csvsafe import write_csv
from ..gitops.timeline import active_years, last_due_year
from .facts import (
    EIG,
    EIG_LABEL,
    NATION,
    STATE_LABELS,
    STATES,
    Adhesion,
    Facts,
    Report,
    Scope,
    Value,
)

__all__ = ["Table", "figures", "last_due_year", "month_end", "month_range"]


@dataclass(frozen=True)
class Table:
    """One figure: a name (its CSV file name), a French title and rows."""

    name: str
    title: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[Value, ...]] = ()

    def csv(self) -> str:
        return write_csv(self.columns, ([_cell(value) for value in row] for row in self.rows))

    def records(self) -> list[dict[str, Value]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


def _cell(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.10g}"  # 75.0 → 75, 12.25 → 12.25 (means are already rounded to 0.1)
    return str(value)  # text cells are guarded by the writer (csvsafe)


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
    "decisions-par-annee": "Décisions de l'ARS sur les déclarations, par année",
}


def figures(facts: Facts, scope: Scope = NATION) -> dict[str, Table]:
    """Every table of a dashboard, for one scope."""
    adhesions = [
        a
        for a in facts.adhesions
        if a.activated and a.changes and scope.covers(a.region, a.protocol)
    ]
    reports = [r for r in facts.reports if scope.covers(r.region, r.protocol)]
    months = (
        month_range(min((a.activated or "" for a in adhesions), default=facts.today), facts.today)
        if adhesions
        else []
    )
    tables = [
        _monthly(adhesions, months),
        _by_protocol(adhesions, facts),
        _by_profession(adhesions, facts),
        _monthly_by(
            adhesions, months, "actives-par-protocole-par-mois", "protocole", lambda a: [a.protocol]
        ),
        _monthly_by(
            adhesions,
            months,
            "actives-par-profession-par-mois",
            "profession",
            lambda a: sorted(set(a.delegue_professions)),
        ),
        *_reports_by_year(adhesions, reports, facts),
        _late(adhesions, reports, facts),
        _indicators(reports, facts),
        _decisions(facts, scope),
    ]
    return {table.name: table for table in tables}


def _decisions(facts: Facts, scope: Scope) -> Table:
    """Declarations instructed (merged), refused and closed without follow-up, by year."""
    kinds = ("instruite", "refusee", "sans-suite")
    counted: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for decision in facts.decisions:
        if scope.covers(decision.region, decision.protocol) and decision.kind in kinds:
            counted[int(decision.date[:4])][kinds.index(decision.kind)] += 1
    rows = [(year, *counts) for year, counts in sorted(counted.items())]
    columns = ("annee", "instruites", "refusees", "classees_sans_suite")
    return Table("decisions-par-annee", TABLES["decisions-par-annee"], columns, rows)


def month_range(first: str, today: str) -> list[str]:
    """ "YYYY-MM" from the month of `first` to the month of `today`, both included."""
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


def _state_counts(
    adhesions: Iterable[Adhesion], months: list[str], groups: Groups = _one_group
) -> Curves:
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
    return {
        group: {state: list(accumulate(steps)) for state, steps in by_state.items()}
        for group, by_state in deltas.items()
    }


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
    return Table(
        "actives-par-mois",
        TABLES["actives-par-mois"],
        ("mois", "actives", "suspendues", "terminees"),
        rows,
    )


def _monthly_by(
    adhesions: list[Adhesion], months: list[str], name: str, column: str, groups: Groups
) -> Table:
    """One row per month and group, from the group's first adhesion on: the months before it would
    only say 0 (at national scale, with declarations going back to 2011, they were most of the file)."""
    counts = sorted(_state_counts(adhesions, months, groups).items())
    starts = {group: _first_month(series) for group, series in counts}
    rows = [
        (month, group, series["active"][position])
        for position, month in enumerate(months)
        for group, series in counts
        if position >= starts[group]
    ]
    return Table(name, TABLES[name], ("mois", column, "actives"), rows)


def _first_month(series: dict[str, list[int]]) -> int:
    """The position of the first month where the group has an adhesion in any state."""
    totals = [sum(counts) for counts in zip(*series.values(), strict=True)]
    return next((position for position, total in enumerate(totals) if total), len(totals))


def _by_protocol(adhesions: list[Adhesion], facts: Facts) -> Table:
    by: dict[str, list[Adhesion]] = defaultdict(list)
    for adhesion in adhesions:
        by[adhesion.protocol].append(adhesion)
    rows = []
    for pid, group in sorted(by.items()):
        states = Counter(a.state for a in group)
        since = min(a.activated or "" for a in group)
        rows.append(
            (
                pid,
                facts.protocol_titles.get(pid, pid),
                states["active"],
                states["suspendue"],
                states["terminee"],
                since,
            )
        )
    columns = ("protocole", "intitule", "actives", "suspendues", "terminees", "premiere_activation")
    return Table("adhesions-par-protocole", TABLES["adhesions-par-protocole"], columns, rows)


def _by_profession(adhesions: list[Adhesion], facts: Facts) -> Table:
    teams: Counter[str] = Counter()
    members: Counter[str] = Counter()
    for adhesion in adhesions:
        if adhesion.state == "active":
            teams.update(set(adhesion.delegue_professions))
            members.update(adhesion.delegue_professions)
    rows = [
        (code, facts.profession_labels.get(code, code), teams[code], members[code])
        for code in sorted(teams)
    ]
    return Table(
        "actives-par-profession",
        TABLES["actives-par-profession"],
        ("profession", "libelle", "adhesions_actives", "delegues"),
        rows,
    )


def _reported(reports: list[Report]) -> dict[tuple[str, str, str], set[int]]:
    years: dict[tuple[str, str, str], set[int]] = defaultdict(set)
    for report in reports:
        years[(report.region, report.protocol, report.team)].add(report.year)
    return years


def _reports_by_year(
    adhesions: list[Adhesion], reports: list[Report], facts: Facts
) -> tuple[Table, Table]:
    """Expected: one report per adhesion and closed year it was active in; received: those of them
    that exist (a report for a year the team owes nothing is not counted), so expected ≥ received."""
    closed = int(facts.today[:4]) - 1
    reported = _reported(reports)
    expected: Counter[tuple[str, int]] = Counter()
    received: Counter[tuple[str, int]] = Counter()
    for adhesion in adhesions:
        done = reported.get((adhesion.region, adhesion.protocol, adhesion.team), set())
        for year in active_years(adhesion.changes, closed):
            expected[(adhesion.protocol, year)] += 1
            received[(adhesion.protocol, year)] += year in done
    rows = [
        (pid, year, expected[(pid, year)], received[(pid, year)]) for pid, year in sorted(expected)
    ]
    totals: dict[int, Counter[str]] = defaultdict(Counter)
    for _, year, due, got in rows:
        totals[year].update({"attendus": due, "recus": got})
    return (
        Table(
            "rapports-par-annee",
            TABLES["rapports-par-annee"],
            ("protocole", "annee", "attendus", "recus"),
            rows,
        ),
        Table(
            "rapports-par-annee-total",
            TABLES["rapports-par-annee-total"],
            ("annee", "attendus", "recus"),
            [(year, count["attendus"], count["recus"]) for year, count in sorted(totals.items())],
        ),
    )


def _late(adhesions: list[Adhesion], reports: list[Report], facts: Facts) -> Table:
    reported = _reported(reports)
    due = last_due_year(facts.today)
    rows = []
    for adhesion in adhesions:
        done = reported.get((adhesion.region, adhesion.protocol, adhesion.team), set())
        missing = [year for year in active_years(adhesion.changes, due) if year not in done]
        if missing:
            last = max(done) if done else None
            rows.append(
                (
                    adhesion.region,
                    adhesion.protocol,
                    adhesion.team,
                    adhesion.name,
                    STATE_LABELS[adhesion.state or "active"],
                    " ".join(map(str, missing)),
                    last,
                )
            )
    columns = (
        "region",
        "protocole",
        "equipe",
        "nom",
        "statut",
        "annees_manquantes",
        "dernier_rapport",
    )
    return Table("retards", TABLES["retards"], columns, rows)


def _indicators(reports: list[Report], facts: Facts) -> Table:
    values: dict[tuple[str, int, str], list[int | float]] = defaultdict(list)
    for report in reports:
        for key, value in report.values.items():
            values[(report.protocol, report.year, key)].append(value)
    rows = []
    orders = {
        pid: [EIG, *(item["cle"] for item in facts.indicators.get(pid, []))] for pid, _, _ in values
    }
    for (pid, year, key), found in sorted(
        values.items(), key=lambda item: _indicator_order(orders, *item[0])
    ):
        spec = _indicator(facts, pid, key)
        total = sum(found) if spec["type"] == "entier" else None
        mean = round(sum(found) / len(found), 1)
        rows.append(
            (
                pid,
                year,
                key,
                spec["libelle"],
                spec["type"],
                spec.get("unite"),
                len(found),
                total,
                mean,
                min(found),
                max(found),
            )
        )
    columns = (
        "protocole",
        "annee",
        "indicateur",
        "libelle",
        "type",
        "unite",
        "rapports",
        "total",
        "moyenne",
        "minimum",
        "maximum",
    )
    return Table("indicateurs", TABLES["indicateurs"], columns, rows)


def _indicator_order(
    orders: dict[str, list[str]], pid: str, year: int, key: str
) -> tuple[str, int, int]:
    """Per protocol and year: eig_declares first, then the protocol's own order."""
    keys = orders[pid]
    return pid, year, keys.index(key) if key in keys else len(keys)


def _indicator(facts: Facts, pid: str, key: str) -> dict[str, Any]:
    if key == EIG:
        return {"libelle": EIG_LABEL, "type": "entier", "unite": "événements"}
    return next(
        (item for item in facts.indicators.get(pid, []) if item["cle"] == key),
        {"libelle": key, "type": "entier"},
    )
