"""The public catalogue: the register reduced to an explicit allow-list of fields.

This is the only module of the site that reads the register's data. Pages,
exports, the search index and the feed see `Catalogue` and nothing else, so no
RPPS, ADELI, member name, training body, document digest or adhesion motive
can reach the site.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..applicability import Verdict, territory, verdict
from ..gitops.history import History
from ..gitops.journal import (
    SOURCE_DATA,
    DatedEvent,
    adhesion_events,
    imported_until,
    last_date,
    newest_first,
    protocol_events,
    report_events,
)
from ..gitops.timeline import STALE_YEARS, adhesion_dates, effective_status, is_stale, today_iso
from ..paths import classify
from ..register import Entry, Register
from ..rules.reports import adhesion_path
from ..schema import Referential
from ..textguards import xml_safe

# Allow-lists: None = a scalar (or list of scalars) copied as is; a set = an
# object of which only these keys are kept; a one-item list = a list of such objects.
PROTOCOL_FIELDS: dict[str, Any] = {
    "intitule": None,
    "portee": None,
    "statut": None,
    "region": None,
    "ancienne_region": None,
    "date_depot": None,
    "promoteurs": None,
    "professions": {"delegants", "delegues"},
    "specialites": None,
    "mots_cles": None,
    "nature_actes": None,
    "actes_derogatoires": None,
    "cadres_exercice": None,
    "modes_exercice": None,
    "formation": {"duree_heures", "description"},
    "indicateurs": [{"cle", "libelle", "type", "unite"}],
    "avis_has": {"date", "sens", "reference"},
    "arrete": {"date", "journal_officiel", "reference", "url"},
    "arret": {"date", "motif"},
    "regions_application": None,
    "equipe_promotrice": None,
    "documents": [{"type", "titre", "url"}],
    "sources": None,
    "historique": None,
    # Public text for professionals and the protocol's later history. `notes` (the curators' field:
    # uncertainties, inferences, leads) is NEVER published: it is deliberately absent here.
    "informations": None,
    "modifications": [{"date", "reference", "url", "resume"}],
    "remplace": None,
    "remplace_par": None,
    "version_nationale": None,
    # Marks of what the data are (docs/developpeurs/catalogue-facts.md): a deduced fact and its reason,
    # a fictitious example (never counted in a public figure).
    "deduit": [{"champ", "raison"}],
    "exemple": None,
}
TEAM_FIELDS = {"nom", "structure", "commune"}  # of `equipe`; members are only counted

YEAR = re.compile(r"\b(19|20)\d\d\b")
IN_PROGRESS = ("depose", "en_instruction", "avis_has")
ACTIVE = "active"  # code of timeline.EffectiveStatus


def pick(data: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """Copy only the allow-listed keys of `data` (recursively)."""
    if not isinstance(data, dict):
        return {}
    kept: dict[str, Any] = {}
    for key, sub in spec.items():
        if key not in data:
            continue
        value = data[key]
        if sub is None:
            kept[key] = _scalars(value)
        elif isinstance(sub, set):
            kept[key] = (
                {k: _scalars(v) for k, v in value.items() if k in sub}
                if isinstance(value, dict)
                else {}
            )
        else:
            kept[key] = (
                [pick(item, {k: None for k in sub[0]}) for item in value if isinstance(item, dict)]
                if isinstance(value, list)
                else []
            )
    return kept


def _scalars(value: Any) -> Any:
    """A published value: scalars only, text without the characters XML forbids."""
    if isinstance(value, list):
        return [_published(v) for v in value if isinstance(v, (str, int, float, bool))]
    return _published(
        value if isinstance(value, (str, int, float, bool)) or value is None else str(value)
    )


def _published(value: Any) -> Any:
    return xml_safe(value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Team:
    """One adhesion as published: the team (a structure), never its members."""

    region: str
    protocol_id: str
    team_id: str
    nom: str
    structure: str
    commune: str
    delegants: int
    delegues: int
    status: str
    status_label: str
    since: str | None
    status_phrase: str = ""  # « Active depuis le 12/03/2024 », « Terminée le 30/06/2025 »
    declared: str | None = None  # date_declaration
    instructed: str | None = (
        None  # « instruite le » (merge, or the ARS's activation of an imported file)
    )
    reprise: str | None = None  # source of imported history (coop-ps, demarches-simplifiees)
    last_event: str | None = None
    stale: bool = False  # no event for more than two years
    example: bool = (
        False  # a fictitious team (`exemple: true`): shown with its badge, never counted
    )

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    @property
    def counted(self) -> bool:
        """Active and real: what every public figure counts."""
        return self.active and not self.example


@dataclass
class Protocol:
    id: str
    fields: dict[str, Any]
    regions: tuple[str, ...]  # its territory, whatever its status (applicability.territory)
    verdict: Verdict  # may a team apply it today, and where (applicability.verdict)
    events: list[DatedEvent] = field(
        default_factory=list
    )  # oldest first: the data's dates and the register's changes
    teams: list[Team] = field(default_factory=list)
    last_event: str | None = None
    stale: bool = False  # no event for more than two years
    last_news: str | None = (
        None  # the last date of its procedure in the data (dépôt, avis, arrêté…)
    )

    def get(self, key: str, default: Any = None) -> Any:
        return self.fields.get(key, default)

    def sub(self, key: str) -> dict[str, Any]:
        value = self.fields.get(key)
        return value if isinstance(value, dict) else {}

    def items(self, key: str) -> list[Any]:
        value = self.fields.get(key)
        return value if isinstance(value, list) else []

    @property
    def intitule(self) -> str:
        return str(self.fields.get("intitule") or self.id)

    @property
    def statut(self) -> str:
        return str(self.fields.get("statut") or "")

    @property
    def portee(self) -> str:
        return str(self.fields.get("portee") or "")

    @property
    def active_teams(self) -> list[Team]:
        """Its active real teams: the count every page and export shows (examples left out)."""
        return [t for t in self.teams if t.counted]

    @property
    def applicable(self) -> bool:
        return self.verdict.applicable

    @property
    def example(self) -> bool:
        return self.fields.get("exemple") is True

    @property
    def cites_dates(self) -> bool:
        """Whether its page states a date in words (an arrêté's title, « JO du 3 mars 2021 »…): its
        history then never reads « aucune date connue »."""
        texts = [
            self.get("informations"),
            self.sub("arrete").get("reference"),
            self.sub("avis_has").get("reference"),
            *(
                change.get("reference")
                for change in self.items("modifications")
                if isinstance(change, dict)
            ),
        ]
        return any(isinstance(text, str) and YEAR.search(text) for text in texts)

    def deduced(self, field_name: str) -> str | None:
        """Why `field_name` is deduced (« de … »), None when a source states it."""
        for entry in self.items("deduit"):
            if isinstance(entry, dict) and entry.get("champ") == field_name:
                return str(entry.get("raison") or "")
        return None


@dataclass(frozen=True)
class JournalItem:
    date: str
    commit: str
    kind: str
    path: str
    protocol_id: str
    region: str
    team_id: str
    detail: str
    value: str | None
    pr: int | None
    source: str = "registre"  # "donnees": a date written in the file; "registre": a commit

    @property
    def key(self) -> str:
        return f"{self.commit or self.date}/{self.path}/{self.kind}"


class Catalogue:
    def __init__(
        self,
        referentials: dict[str, Referential],
        protocols: dict[str, Protocol],
        teams: list[Team],
        journal: list[JournalItem],
        skipped: list[str],
        today: str = "",
    ) -> None:
        self.today = today or today_iso()
        self.referentials = referentials
        self.protocols = protocols
        self.teams = teams
        self.journal = journal
        self.skipped = skipped

    def label(self, referential: str, code: Any) -> str:
        ref = self.referentials.get(referential)
        return ref.label(str(code)) if ref else str(code)

    @property
    def region_codes(self) -> tuple[str, ...]:
        return self.referentials["region"].codes

    def region_name(self, code: str) -> str:
        return self.label("region", code)

    def by_status(self, *codes: str) -> list[Protocol]:
        return [p for p in self.sorted_protocols if p.statut in codes]

    @staticmethod
    def counted(protocols: list[Protocol]) -> int:
        """How many of `protocols` a public figure counts: fictitious examples never are."""
        return sum(1 for p in protocols if not p.example)

    def has_news(self, protocol: Protocol) -> bool:
        """A dated step of its procedure within STALE_YEARS years of the build day (`today`)."""
        return bool(protocol.last_news) and not is_stale(protocol.last_news, self.today)

    def without_news(self, protocols: list[Protocol]) -> list[Protocol]:
        return [p for p in protocols if not self.has_news(p)]

    @property
    def news_years(self) -> int:
        return STALE_YEARS

    @cached_property
    def sorted_protocols(self) -> list[Protocol]:
        return sorted(
            self.protocols.values(),
            key=lambda p: (p.portee != "national", p.intitule.casefold(), p.id),
        )

    @cached_property
    def _by_region(self) -> dict[str, list[Protocol]]:
        index: dict[str, list[Protocol]] = defaultdict(list)
        for protocol in self.sorted_protocols:
            for code in protocol.regions:
                index[code].append(protocol)
        return index

    def protocols_in_region(self, code: str) -> list[Protocol]:
        """Every protocol of the region or extended to it, whatever its status."""
        return self._by_region.get(code, [])

    def applicable_in(self, code: str) -> list[Protocol]:
        """The protocols a team of the region may apply today (`applicability.verdict`)."""
        return [p for p in self.protocols_in_region(code) if code in p.verdict.regions]

    def teams_of(self, protocol_id: str, region: str) -> list[Team]:
        protocol = self.protocols.get(protocol_id)
        return [t for t in protocol.teams if t.region == region] if protocol else []

    @cached_property
    def active_by_region(self) -> Counter[str]:
        return Counter(t.region for t in self.teams if t.counted)

    @property
    def has_real_teams(self) -> bool:
        """Whether any real (non-example) team has declared: else pages show honest empty states."""
        return any(not t.example for t in self.teams)


def build_catalogue(
    register: Register,
    history: History,
    journal_limit: int | None = 200,
    today: str | None = None,
    decisions: list[DatedEvent] | None = None,
) -> Catalogue:
    """The public catalogue of a loaded register, dated by its git history (`timeline`, `journal`)
    and by the `decisions` git does not hold (declarations closed without merge)."""
    today = today or today_iso()
    referentials = register.schemas.referentials
    codes = referentials["region"].codes
    skipped = [e.path for e in register.entries if not e.valid]
    protocols: dict[str, Protocol] = {}
    events: list[DatedEvent] = []
    for pid, entry in sorted(register.protocols.items()):
        if entry.valid:
            fields = pick(entry.data, PROTOCOL_FIELDS)
            timeline = protocol_events(entry.path, entry.data, history)
            last = last_date(timeline, today)
            protocols[pid] = Protocol(
                pid,
                fields,
                territory(fields, codes),
                verdict(fields, None, codes, today),
                timeline,
                [],
                last,
                is_stale(last, today),
                _last_news(timeline),
            )
            events += timeline
    reports = _report_events(register, history)
    teams = []
    for entry in register.adhesions:
        if entry.valid:
            team, team_events = _team(entry, register, history, reports.get(entry.path, []), today)
            teams.append(team)
            events += team_events
    teams.sort(key=lambda t: (t.region, t.protocol_id, t.nom.casefold(), t.team_id))
    for team in teams:
        if team.protocol_id in protocols:
            protocols[team.protocol_id].teams.append(team)
    events += decisions or []
    journal = [
        _journal_item(event, register) for event in newest_first(events, today)[:journal_limit]
    ]
    return Catalogue(referentials, protocols, teams, journal, skipped, today)


def _last_news(timeline: list[DatedEvent]) -> str | None:
    """The last step of a protocol's procedure its data date (not an edit of the register)."""
    return max((e.date for e in timeline if e.source == SOURCE_DATA), default=None)


def _report_events(register: Register, history: History) -> dict[str, list[DatedEvent]]:
    """Events of the valid yearly reports, by the path of their adhesion."""
    by_adhesion: dict[str, list[DatedEvent]] = defaultdict(list)
    for entry in register.entries:
        if entry.where.kind == "suivi" and entry.valid:
            adhesion = adhesion_path(entry.where)
            by_adhesion[adhesion] += report_events(
                entry.path, history, imported_until(adhesion, history)
            )
    return by_adhesion


def _team(
    entry: Entry, register: Register, history: History, reports: list[DatedEvent], today: str
) -> tuple[Team, list[DatedEvent]]:
    data = entry.data
    equipe = pick(data, {"equipe": TEAM_FIELDS}).get("equipe", {})
    roles = Counter(m.get("role") for m in data.get("membres", []) if isinstance(m, dict))
    protocol = register.protocol(entry.where.protocol_id)
    dates = adhesion_dates(entry.path, data, protocol.data if protocol else None, history, today)
    status = effective_status(dates)
    events = adhesion_events(entry.path, dates, history, journal=True) + reports
    last = last_date(events, today)
    team = Team(
        region=entry.where.region,
        protocol_id=entry.where.protocol_id,
        team_id=entry.where.team_id,
        nom=str(equipe.get("nom", entry.where.team_id)),
        structure=str(equipe.get("structure", "")),
        commune=str(equipe.get("commune", "")),
        delegants=roles["delegant"],
        delegues=roles["delegue"],
        status=status.code,
        status_label=status.label,
        since=status.since,
        status_phrase=status.phrase,
        declared=dates.declared,
        instructed=status.instructed,
        reprise=dates.reprise.source if dates.reprise else None,
        last_event=last,
        stale=is_stale(last, today),
        example=data.get("exemple") is True,
    )
    return team, events


def _journal_item(event: DatedEvent, register: Register) -> JournalItem:
    where = classify(event.path, register.schemas.region_codes)
    return JournalItem(
        date=event.date,
        commit=event.commit,
        kind=event.kind,
        path=event.path,
        protocol_id=where.protocol_id,
        region=where.region,
        team_id=where.team_id,
        detail=event.label,
        value=None,
        pr=event.pr,
        source=event.source,
    )
