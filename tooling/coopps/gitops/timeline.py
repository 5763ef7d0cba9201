"""One source of dates, statuses and counts (DESIGN §3).

`coop statut`, `coop chiffres`, every page of the site, the exports and the feed
read an adhesion's dates, its effective status, the years it owes a report
and how old its last event is from this module only,
so they cannot disagree.

The model:

- An adhesion not (yet) on the history's ref is a pull request: *brouillon*,
  *déclarée* (*envoyée*, *complétée*: the team may already apply the protocol)
  or *refusée* (closed unmerged), as the caller says (`pr_state`). A draft was
  not sent to the ARS: it has no date. *Complétée* is dated by the day the team
  pushed after a review asked for changes (`completed`), when the caller knows it.
- Once merged it is **active since its `date_declaration`** (since the 2019
  reform there is no authorisation to wait for); *instruite le* is the merge
  date. An adhesion carrying `reprise` (history imported from COOP-PS or
  démarches-simplifiées) is active since `reprise.date_activation`, and was
  instructed that day: the import commit is no date of the adhesion.
- `suspension` suspends it from its date (lifted suspensions come from git
  history), `fin` ends it at its date, a protocol in `arrete` ends it at the
  protocol's stop date (`arret.date`, else the commit that stopped it).
- States are `changes`: (date, state) pairs up to `today`; the effective
  status is the last one, and a team owes a report for every year in which it
  was active at some point (due by 31 March of the next year).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from ..paths import PROTOCOLS_DIR, YAML_SUFFIX
from ..wording import french_date
from .history import Event, History

DEADLINE = "03-31"  # reports for year Y are due by Y+1-03-31
STALE_YEARS = 2  # no event for longer than this: the item is marked as stale
PR_STATES = ("brouillon", "envoyee", "completee", "refusee")
SENT_STATES = ("envoyee", "completee", "refusee")  # pull requests that reached the ARS
STATUS_LABELS = {
    "brouillon": "Brouillon",
    "envoyee": "Déclarée (envoyée à l'ARS)",
    "completee": "Déclarée (complétée)",
    "refusee": "Refusée",
    "active": "Active",
    "suspendue": "Suspendue",
    "terminee": "Terminée",
    "terminee-protocole-arrete": "Terminée (protocole arrêté)",
}
# How the status's date reads: « Active depuis le 12/03/2024 », « Terminée le 30/06/2025 ».
SINCE_WORDS = {
    "active": "depuis le",
    "suspendue": "depuis le",
    "envoyee": "le",
    "terminee": "le",
    "terminee-protocole-arrete": "le",
}
REPRISE_SOURCES = {"coop-ps": "COOP-PS", "demarches-simplifiees": "démarches-simplifiées"}


def today_iso() -> str:
    return datetime.date.today().isoformat()


def date_of(block: Any) -> str | None:
    value = block.get("date") if isinstance(block, dict) else None
    return value if isinstance(value, str) else None


def protocol_path_of(adhesion_path: str) -> str:
    parts = adhesion_path.split("/")
    return f"{PROTOCOLS_DIR}/{parts[2]}{YAML_SUFFIX}" if len(parts) == 4 else ""


# --- an adhesion's dates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reprise:
    source: str
    activated: str
    reference: str | None

    @property
    def source_label(self) -> str:
        return REPRISE_SOURCES.get(self.source, self.source)


@dataclass(frozen=True)
class AdhesionDates:
    declared: str | None  # date_declaration
    merged: Event | None  # the commit that added the file to the ref; None for a pull request
    reprise: Reprise | None
    suspensions: tuple[tuple[str, str | None], ...]  # (start, lifted) of each suspension
    end: str | None  # fin.date or the protocol's stop date (may lie after today)
    end_kind: str | None  # "fin" or "arret"
    changes: tuple[tuple[str, str], ...]  # (date, state) from activation up to today

    @property
    def start(self) -> str | None:
        """Active from: `reprise.date_activation`, else `date_declaration`; None off the ref."""
        if self.merged is None:
            return None
        return self.reprise.activated if self.reprise else self.declared

    @property
    def instructed(self) -> str | None:
        """« Instruite le »: the ARS's activation of an imported file, else the merge date."""
        if self.merged is None:
            return None
        return self.reprise.activated if self.reprise else self.merged.date

    @property
    def state(self) -> str | None:
        return self.changes[-1][1] if self.changes else None


def reprise_of(data: dict[str, Any]) -> Reprise | None:
    block = data.get("reprise")
    if not isinstance(block, dict) or not isinstance(block.get("date_activation"), str):
        return None
    reference = block.get("reference")
    return Reprise(
        str(block.get("source", "")),
        block["date_activation"],
        reference if isinstance(reference, str) else None,
    )


def protocol_stop(
    protocol: dict[str, Any] | None, history: History, protocol_path: str
) -> str | None:
    """When a protocol in `arrete` stopped: its `arret.date`, else the commit that set `statut: arrete`."""
    if not protocol or protocol.get("statut") != "arrete":
        return None
    stops = [
        e.date for e in history.events(protocol_path) if e.kind == "statut" and e.value == "arrete"
    ]
    return date_of(protocol.get("arret")) or (stops[-1] if stops else None)


def adhesion_dates(
    path: str,
    data: dict[str, Any],
    protocol: dict[str, Any] | None,
    history: History,
    today: str | None = None,
) -> AdhesionDates:
    today = today or today_iso()
    declared = (
        data.get("date_declaration") if isinstance(data.get("date_declaration"), str) else None
    )
    reprise = reprise_of(data)
    fin = date_of(data.get("fin"))
    stop = protocol_stop(protocol, history, protocol_path_of(path))
    end, end_kind = min(
        ((d, k) for d, k in ((fin, "fin"), (stop, "arret")) if d), default=(None, None)
    )
    suspensions = tuple(suspension_periods(path, data, history))
    partial = AdhesionDates(declared, history.added(path), reprise, suspensions, end, end_kind, ())
    changes = state_changes(partial.start, list(suspensions), end, today)
    return AdhesionDates(declared, partial.merged, reprise, suspensions, end, end_kind, changes)


def suspension_periods(
    path: str, data: dict[str, Any], history: History
) -> list[tuple[str, str | None]]:
    """(start, end) of each suspension: lifted ones from history events (dated by the suspension's own
    `date` where the event knows it), the current one from `suspension.date`."""
    periods: list[tuple[str, str | None]] = []
    for event in history.events(path):
        if event.kind == "suspension":
            periods.append((event.value or event.date, None))
        elif event.kind == "levee-suspension" and periods and periods[-1][1] is None:
            periods[-1] = (periods[-1][0], event.date)
    current = date_of(data.get("suspension"))
    if periods and periods[-1][1] is None:
        periods.pop()  # the current one is read from the file; one no longer there was lifted undated
    if current:
        periods.append((current, None))
    return periods


def state_changes(
    start: str | None, suspensions: list[tuple[str, str | None]], end: str | None, today: str
) -> tuple[tuple[str, str], ...]:
    """(date, state) in date order, up to `today`: active from `start`, suspended and back, ended."""
    if start is None or start > today:
        return ()
    # (date, order, state): on one day, the events keep their order (a suspension lifted the day it was set).
    marks = [(start, 0, "active")]
    for begin, stop in suspensions:
        marks.append((max(begin, start), len(marks), "suspendue"))
        if stop:
            marks.append((max(stop, start), len(marks), "active"))
    if end:
        marks.append((max(end, start), len(marks), "terminee"))
    changes: list[tuple[str, str]] = []
    for date, _, state in sorted(marks):
        if date > today or (changes and changes[-1][1] == "terminee"):
            break
        if changes and changes[-1][0] == date:
            changes.pop()
        if not changes or changes[-1][1] != state:
            changes.append((date, state))
    return tuple(changes)


# --- effective status -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveStatus:
    code: str  # a key of STATUS_LABELS
    label: str  # French
    since: str | None  # the date the status holds from (for a declared PR: the declaration)
    instructed: str | None = None  # « instruite le »
    pr: int | None = None  # the pull request that added the file, when known

    @property
    def phrase(self) -> str:
        """« Active depuis le 12/03/2024 », « Terminée le 30/06/2025 », « Brouillon »."""
        return status_phrase(self.code, self.label, self.since)


def status_phrase(code: str, label: str, since: str | None) -> str:
    """An adhesion's status with its date: « Active depuis le 12/03/2024 », « Déclarée
    (complétée le 20/03/2024) »; the label alone when the date is unknown."""
    if code == "completee" and since:
        return f"Déclarée (complétée le {french_date(since)})"
    words = SINCE_WORDS.get(code)
    return f"{label} {words} {french_date(since)}" if words and since else label


def effective_status(
    dates: AdhesionDates, pr_state: str | None = None, completed: str | None = None
) -> EffectiveStatus:
    """The effective status (DESIGN §3), derived, never typed. `completed`: the day a pull request
    in `completee` was completed (None: unknown, and no date is shown)."""
    if dates.merged is None:
        code = pr_state if pr_state in PR_STATES else "brouillon"
        since = {"envoyee": dates.declared, "completee": completed}.get(code)
        return EffectiveStatus(code, STATUS_LABELS[code], since)
    state, since = (
        (dates.changes[-1][1], dates.changes[-1][0]) if dates.changes else ("active", dates.start)
    )
    code = (
        "terminee-protocole-arrete" if state == "terminee" and dates.end_kind == "arret" else state
    )
    since = dates.end if state == "terminee" else since  # even when it came before the declaration
    pr = None if dates.reprise else dates.merged.pr
    return EffectiveStatus(code, STATUS_LABELS[code], since, dates.instructed, pr)


def adhesion_status(
    path: str,
    data: dict[str, Any],
    protocol: dict[str, Any] | None,
    history: History,
    pr_state: str | None = None,
    today: str | None = None,
    completed: str | None = None,
) -> EffectiveStatus:
    dates = adhesion_dates(path, data, protocol, history, today)
    return effective_status(dates, pr_state, completed)


# --- yearly reports ---------------------------------------------------------------------------------------


def last_due_year(today: str) -> int:
    """The latest year whose report is overdue on `today`."""
    year = int(today[:4])
    return year - 1 if today[5:] > DEADLINE else year - 2


def active_years(changes: tuple[tuple[str, str], ...], until: int) -> list[int]:
    """Every year up to `until` in which the adhesion was active at some point."""
    years: set[int] = set()
    for position, (date, state) in enumerate(changes):
        if state != "active":
            continue
        following = changes[position + 1][0] if position + 1 < len(changes) else None
        last = _day_before_year(following) if following else until
        years.update(range(int(date[:4]), min(last, until) + 1))
    return sorted(years)


def _day_before_year(date: str) -> int:
    """The year of the day before `date`: an adhesion ended on 1 January was not active that year."""
    return int(date[:4]) - 1 if date[5:] == "01-01" else int(date[:4])


def owed_years(changes: tuple[tuple[str, str], ...], today: str) -> list[int]:
    """Years whose report is due on `today` (their deadline has passed)."""
    return active_years(changes, last_due_year(today))


# --- age --------------------------------------------------------------------------------------------------


def is_stale(last_event: str | None, today: str) -> bool:
    """No event for more than STALE_YEARS years (an item with no known date is not judged)."""
    if not last_event:
        return False
    return last_event[:10] < f"{int(today[:4]) - STALE_YEARS:04d}{today[4:10]}"


STATUS_DATE_KEYS = {
    "depose": ("date_depot",),
    "avis_has": ("avis_has", "date"),
    "autorise": ("arrete", "date"),
    "arrete": ("arret", "date"),
}


def protocol_status_date(protocol: dict[str, Any], events: list[Event]) -> str | None:
    """Since when a protocol holds its statut: the date its data give, else the (non-import) commit."""
    status = protocol.get("statut")
    keys = STATUS_DATE_KEYS.get(str(status), ())
    value: Any = protocol
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if keys and isinstance(value, str):
        return value
    changes = [e.date for e in events if e.kind == "statut" and e.value == status and not e.bulk]
    return changes[-1] if changes else None
