"""The register's events, each dated by the event itself and labelled for what it is.

Two sources are merged:

- **the data's own dates** (`source="donnees"`): a protocol's dépôt, HAS
  opinion, arrêté, later arrêtés (`modifications[]`) and stop; an adhesion's
  declaration, its activation when imported (`reprise`), suspensions, `fin`;
- **the register's git history** (`source="registre"`): the merge that
  instructed a declaration, a suspension lifted, a yearly report filed, a file
  edited (« fiche mise à jour », not an event of the protocol).

Commits flagged `bulk` by the history (the register's first commit, imports
and mass edits) are no event of any file, and the addition of a file carrying
`reprise` or `historique` is dated by its data, never by its import commit.
Everything of an imported adhesion committed up to the commit that recorded its
`reprise` (its yearly reports, earlier edits) is imported history too: their
real dates are not known, and the import day is not one.
`coop statut`, the protocol pages, the journal page and the Atom feed all read
these lists.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ..paths import REPORT_NAME, YAML_SUFFIX
from .history import STATUS_WORDS, Event, History
from .timeline import SENT_STATES, AdhesionDates, today_iso

SOURCE_DATA, SOURCE_REGISTER = "donnees", "registre"
COMPLETED_LABEL = "Déclaration complétée par l'équipe après la demande de l'ARS"
FEED_ENTRIES = 50  # entries of the Atom feed; the journal page shows more


@dataclass(frozen=True)
class DatedEvent:
    date: str  # YYYY-MM-DD
    # depot, avis-has, arrete, publication-jo, modification-arrete, arret, statut,
    # fiche-inscrite, fiche-modifiee, ...
    kind: str
    label: str  # French
    path: str
    source: str  # SOURCE_DATA or SOURCE_REGISTER
    commit: str = ""
    pr: int | None = None

    @property
    def key(self) -> str:
        """Stable identity (feed entry ids): the commit for register events, the date for data events."""
        return f"{self.commit or self.date}/{self.path}/{self.kind}"


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _dated(path: str, date: Any, kind: str, label: str) -> list[DatedEvent]:
    return [DatedEvent(date, kind, label, path, SOURCE_DATA)] if isinstance(date, str) else []


def _with(label: str, detail: Any) -> str:
    return f"{label} ({detail})" if isinstance(detail, str) and detail else label


# --- protocols --------------------------------------------------------------------------------------------


def protocol_events(path: str, data: dict[str, Any], history: History) -> list[DatedEvent]:
    """Oldest first: the procedure's dates, later arrêtés, and the register's own changes."""
    sens = {"favorable": "Avis favorable de la HAS", "defavorable": "Avis défavorable de la HAS"}
    events = [
        *_dated(path, data.get("date_depot"), "depot", "Protocole déposé auprès de l'ARS"),
        *_dated(
            path,
            _get(data, "avis_has", "date"),
            "avis-has",
            _with(
                sens.get(str(_get(data, "avis_has", "sens")), "Avis de la HAS"),
                _get(data, "avis_has", "reference"),
            ),
        ),
        *_dated(
            path,
            _get(data, "arrete", "date"),
            "arrete",
            _with("Arrêté d'autorisation", _get(data, "arrete", "reference")),
        ),
        *_dated(
            path,
            _get(data, "arrete", "journal_officiel"),
            "publication-jo",
            "Arrêté d'autorisation publié au Journal officiel",
        ),
    ]
    for change in data.get("modifications") or []:
        if isinstance(change, dict):
            label = _with("Arrêté modifiant le protocole", change.get("reference"))
            resume = change.get("resume")
            events += _dated(
                path,
                change.get("date"),
                "modification-arrete",
                f"{label} : {resume}" if isinstance(resume, str) and resume else label,
            )
    events += _dated(path, _get(data, "arret", "date"), "arret", "Fin d'autorisation du protocole")
    if data.get("historique") is not True:
        events += _protocol_commits(path, history)
    return _oldest_first(events)


def _protocol_commits(path: str, history: History) -> list[DatedEvent]:
    out = []
    for commit_events in _by_commit(history.events(path)):
        first = commit_events[0]
        status = next((e.value for e in commit_events if e.kind == "statut" and e.value), None)
        kinds = {e.kind for e in commit_events}
        status_words = f" — statut : {STATUS_WORDS.get(status, status)}" if status else ""
        if "ajout" in kinds:
            kind, label = "fiche-inscrite", f"Fiche inscrite au registre{status_words}"
        elif "suppression" in kinds:
            kind, label = "fiche-retiree", "Fiche retirée du registre"
        elif status:
            kind, label = (
                "statut",
                f"Statut mis à jour au registre : {STATUS_WORDS.get(status, status)}",
            )
        else:
            kind, label = "fiche-modifiee", "Fiche mise à jour"
        out.append(_register_event(first, path, kind, label))
    return out


def _by_commit(events: list[Event]) -> list[list[Event]]:
    """Events of one file grouped by commit, import and mass-edit commits left out."""
    groups: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        if not event.bulk:
            groups[event.commit].append(event)
    return list(groups.values())


def _register_event(event: Event, path: str, kind: str, label: str) -> DatedEvent:
    pr = f" (PR #{event.pr})" if event.pr else ""
    return DatedEvent(event.date, kind, label + pr, path, SOURCE_REGISTER, event.commit, event.pr)


def _oldest_first(events: list[DatedEvent]) -> list[DatedEvent]:
    return sorted(events, key=lambda e: e.date)  # stable: same-day events keep their logical order


# --- adhesions and their reports --------------------------------------------------------------------------


def adhesion_events(
    path: str,
    dates: AdhesionDates,
    history: History,
    journal: bool = False,
    pr_state: str | None = None,
    completed: str | None = None,
) -> list[DatedEvent]:
    """Oldest first. With `journal`, the end by a stopped protocol is left to the protocol's
    own event. A pull request (not on the ref) is declared to the ARS only once sent
    (`pr_state`, a draft by default); `completed` dates the team's answer to a review that
    asked for changes."""
    reprise = dates.reprise
    declared = "Adhésion déclarée à l'ARS" + (
        f" (dossier repris de {reprise.source_label})" if reprise else ""
    )
    sent = dates.merged is not None or pr_state in SENT_STATES
    events = _dated(path, dates.declared, "declaration", declared) if sent else []
    if dates.merged is None and pr_state == "completee":
        events += _dated(path, completed, "completee", COMPLETED_LABEL)
    if reprise and reprise.activated != dates.declared:
        events += _dated(
            path,
            reprise.activated,
            "activation",
            f"Adhésion activée par l'ARS ({reprise.source_label})",
        )
    elif dates.merged and not reprise and not dates.merged.bulk:
        events.append(
            _register_event(
                dates.merged,
                path,
                "instruction",
                "Déclaration instruite par l'ARS, adhésion enregistrée",
            )
        )
    for start, lifted in dates.suspensions:
        events += _dated(path, start, "suspension", "Adhésion suspendue par l'ARS")
        if lifted:
            events.append(
                DatedEvent(
                    lifted, "levee-suspension", "Suspension levée par l'ARS", path, SOURCE_REGISTER
                )
            )
    if dates.end and (dates.end_kind == "fin" or not journal):
        label = (
            "Fin de l'adhésion"
            if dates.end_kind == "fin"
            else "Fin de l'adhésion : protocole arrêté"
        )
        events += _dated(path, dates.end, "fin", label)
    events += _edits(path, history, imported_until(path, history) if reprise else None)
    return _oldest_first(events)


_DATED_ELSEWHERE = {
    "ajout",
    "suspension",
    "levee-suspension",
    "fin",
    "renommage",
    "suppression",
    "reprise",
}


def _edits(path: str, history: History, imported: str | None) -> list[DatedEvent]:
    """Commits that only edited the declaration (members, pieces…): « adhésion mise à jour »."""
    return [
        _register_event(group[0], path, "adhesion-modifiee", "Adhésion mise à jour")
        for group in _by_commit(history.events(path))
        if not {e.kind for e in group} & _DATED_ELSEWHERE
        and not (imported and group[0].date <= imported)
    ]


def imported_until(adhesion_path: str, history: History) -> str | None:
    """The date of the (last) commit that recorded the adhesion's `reprise` block, if any."""
    recorded = [e.date for e in history.events(adhesion_path) if e.kind == "reprise"]
    return recorded[-1] if recorded else None


def report_events(path: str, history: History, imported: str | None = None) -> list[DatedEvent]:
    """A yearly report filed or corrected; none for commits on or before `imported` (imported history)."""
    match = REPORT_NAME.fullmatch(path.rsplit("/", 1)[-1].removesuffix(YAML_SUFFIX))
    year = f" {match.group('year')}" if match else ""
    out = []
    for group in _by_commit(history.events(path)):
        if imported and group[0].date <= imported:
            continue
        kinds = {e.kind for e in group}
        if "ajout" in kinds:
            out.append(
                _register_event(group[0], path, "rapport", f"Rapport annuel de suivi{year} déposé")
            )
        elif "suppression" not in kinds:
            out.append(
                _register_event(
                    group[0], path, "rapport-modifie", f"Rapport annuel de suivi{year} corrigé"
                )
            )
    return out


def last_date(events: list[DatedEvent], today: str | None = None) -> str | None:
    """The date of the latest event that has happened (on or before `today`)."""
    today = today or today_iso()
    past = [e.date for e in events if e.date <= today]
    return max(past) if past else None


def newest_first(events: list[DatedEvent], today: str | None = None) -> list[DatedEvent]:
    """The journal order: newest first, events not yet happened left out."""
    today = today or today_iso()
    ordered = sorted(enumerate(events), key=lambda item: (item[1].date, item[0]), reverse=True)
    return [event for _, event in ordered if event.date <= today]
