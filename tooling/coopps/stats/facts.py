"""Steering figures: one set of functions for `coop chiffres` and the dashboards.

`collect(register, history, today)` reduces the register to public facts
(no RPPS, no member names): for each valid adhesion its dates as
`coopps.gitops.timeline` derives them (fictitious examples, `exemple: true`,
are left out of every figure) (the one source shared with `coop statut` and
the site: active from `date_declaration` once merged, or from
`reprise.date_activation` for imported history; suspended, ended by `fin` or
by its protocol's stop), the professions of its délégués, and its yearly
reports. `figures(facts, scope)` turns them into `Table`s whose CSV is byte
for byte what the site offers for download.

Curves are counted at the end of each month (today for the current month)
by summing state changes, never by replaying every adhesion every month.

A team is *late* for year Y when the adhesion was active at some point in Y
(`timeline.active_years`) and no report for Y exists after the deadline, the
31 March of Y+1 (`timeline.DEADLINE`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ..gitops.history import History
from ..gitops.journal import DatedEvent
from ..gitops.timeline import DEADLINE, adhesion_dates
from ..paths import classify
from ..register import Entry, Register

__all__ = ["DEADLINE"]
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


NATION = Scope()  # no region, no protocol: France entière


@dataclass(frozen=True)
class Adhesion:
    """What the figures need of one adhesion, and nothing personal."""

    region: str
    protocol: str
    team: str
    name: str
    delegue_professions: tuple[str, ...]  # one entry per délégué member
    activated: (
        str | None
    )  # active from (timeline.AdhesionDates.start); None when not (yet) on the history's ref
    changes: tuple[
        tuple[str, str], ...
    ]  # (date, state) after activation, in date order, up to today
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
    values: dict[
        str, int | float
    ]  # numeric indicators whose type matches the protocol, and eig_declares


@dataclass(frozen=True)
class Decision:
    """An ARS decision on a declaration: instruite (merged), refusee, sans-suite."""

    region: str
    protocol: str
    date: str
    kind: str


@dataclass
class Facts:
    today: str
    adhesions: list[Adhesion]
    reports: list[Report]
    protocol_titles: dict[str, str]
    indicators: dict[str, list[dict[str, Any]]]  # protocol id → its `indicateurs`
    profession_labels: dict[str, str]
    region_labels: dict[str, str]
    decisions: list[Decision] = field(default_factory=list)


# --- facts ------------------------------------------------------------------------------------------------


def collect(
    register: Register,
    history: History,
    today: str | None = None,
    closed: list[DatedEvent] | None = None,
) -> Facts:
    """The public facts of a loaded register, dated by its history; `closed`: the declarations
    closed without merge (gitops/decisions.py), which git does not hold."""
    from ..rules.reports import adhesion_path, check, report_year

    today = today or datetime.date.today().isoformat()
    referentials = register.schemas.referentials
    protocols = {pid: e.data for pid, e in register.protocols.items() if e.valid}
    adhesions = {
        e.path: _adhesion(e, protocols.get(e.where.protocol_id), history, today)
        for e in register.adhesions
        if e.valid and not is_example(e, protocols)
    }
    reports = []
    for entry in register.entries:
        if (
            entry.where.kind != "suivi"
            or not entry.valid
            or adhesion_path(entry.where) not in adhesions
        ):
            continue
        if any(f.severity == "error" for f in check(entry, register)):
            continue  # `coop verifier` says what to fix; wrong values are not counted
        reports.append(
            _report(
                entry, report_year(entry.where) or 0, protocols.get(entry.where.protocol_id, {})
            )
        )
    return Facts(
        today=today,
        adhesions=sorted(adhesions.values(), key=lambda a: (a.region, a.protocol, a.team)),
        reports=reports,
        protocol_titles={pid: str(data.get("intitule", pid)) for pid, data in protocols.items()},
        indicators={pid: list(data.get("indicateurs") or []) for pid, data in protocols.items()},
        profession_labels=dict(referentials["profession"].labels),
        region_labels=dict(referentials["region"].labels),
        decisions=_instructions(register, history) + _closed(closed or [], register),
    )


def _instructions(register: Register, history: History) -> list[Decision]:
    """Each declaration the register instructed: the merge that added it (imports left out)."""
    found = []
    for entry in register.adhesions:
        added = [e for e in history.events(entry.path) if e.kind == "ajout" and not e.bulk]
        if entry.valid and added and "reprise" not in entry.data and not is_example(entry, {}):
            found.append(
                Decision(entry.where.region, entry.where.protocol_id, added[0].date, "instruite")
            )
    return found


def is_example(entry: Entry, protocols: dict[str, dict[str, Any]]) -> bool:
    """A fictitious team (`exemple: true`), or a team of a fictitious protocol: never counted."""
    protocol = protocols.get(entry.where.protocol_id) or {}
    return entry.data.get("exemple") is True or protocol.get("exemple") is True


def _closed(events: list[DatedEvent], register: Register) -> list[Decision]:
    codes = register.schemas.region_codes
    return [
        Decision(where.region, where.protocol_id, e.date, e.kind)
        for e in events
        if (where := classify(e.path, codes)).kind == "adhesion" and not where.problem
    ]


def _adhesion(
    entry: Entry, protocol: dict[str, Any] | None, history: History, today: str
) -> Adhesion:
    data = entry.data
    dates = adhesion_dates(entry.path, data, protocol, history, today)
    professions = tuple(
        sorted(m["profession"] for m in data.get("membres", []) if m.get("role") == "delegue")
    )
    name = str(data.get("equipe", {}).get("nom") or entry.where.team_id)
    end = dates.end if dates.end and dates.end <= today else None
    return Adhesion(
        entry.where.region,
        entry.where.protocol_id,
        entry.where.team_id,
        name,
        professions,
        dates.start,
        dates.changes,
        end,
    )


def _report(entry: Entry, year: int, protocol: dict[str, Any]) -> Report:
    types = {item["cle"]: item["type"] for item in protocol.get("indicateurs") or []}
    given = entry.data.get("indicateurs") or {}
    values: dict[str, int | float] = {EIG: entry.data[EIG]}
    for key, value in given.items():
        if (
            types.get(key) in ("entier", "taux")
            and isinstance(value, (int, float))
            and not isinstance(value, bool)
        ):
            values[key] = value
    w = entry.where
    return Report(w.region, w.protocol_id, w.team_id, year, values)
