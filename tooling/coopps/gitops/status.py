"""`coop statut`: the derived status of adhesions and protocols, with their
dated timeline; statuses and dates come from `coopps.gitops.timeline`, events from
`coopps.gitops.journal` (the same as the site's), git from one pass (`history.load_history`).

Data come from the work tree, dates from the history of `--ref` (default: the
local `main` branch when it exists, else HEAD), so that on a pull-request
branch a file not yet merged is a declaration in progress, not an active one.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import CoopError
from ..markdown_text import markdown_text
from ..paths import (
    ADHESIONS_DIR,
    DATA_DIRS,
    PROTOCOLS_DIR,
    REPORT_MARK,
    YAML_SUFFIX,
    register_relative,
)
from ..reading import read_file
from ..wording import french_date
from . import git
from .history import STATUS_WORDS, History
from .journal import DatedEvent, adhesion_events, protocol_events
from .timeline import (
    adhesion_dates,
    effective_status,
    protocol_path_of,
    protocol_status_date,
    status_phrase,
)


@dataclass
class Item:
    """One file's status as shown to people and programs."""

    path: str
    kind: str  # "adhesion" or "protocole"
    name: str
    code: str
    label: str
    since: str | None
    events: list[DatedEvent] = field(default_factory=list)
    instructed: str | None = None  # adhesions: « instruite le »
    pr: int | None = None

    @property
    def phrase(self) -> str:
        """« Active depuis le 12/03/2024 », « Terminée le 30/06/2025 », « Autorisé depuis le … »."""
        if self.kind == "adhesion":
            return status_phrase(self.code, self.label, self.since)
        words = "le" if self.code in ("refuse", "arrete") else "depuis le"
        return f"{self.label} {words} {french_date(self.since)}" if self.since else self.label

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["phrase"] = self.phrase
        data["events"] = [asdict(event) for event in self.events]
        return data


class Reader:
    """Reads data files from the work tree once each."""

    def __init__(
        self, root: Path, history: History, pr_state: str | None, completed: str | None = None
    ) -> None:
        self.root, self.history, self.pr_state, self.completed = root, history, pr_state, completed
        self._cache: dict[str, dict[str, Any]] = {}

    def data(self, rel: str) -> dict[str, Any]:
        if rel not in self._cache:
            found = (self.root / rel).is_file() and read_file(self.root, rel).data
            self._cache[rel] = found if isinstance(found, dict) else {}
        return self._cache[rel]

    def adhesion(self, rel: str) -> Item:
        data = self.data(rel) or {}
        dates = adhesion_dates(rel, data, self.data(protocol_path_of(rel)) or None, self.history)
        status = effective_status(dates, self.pr_state, self.completed)
        team = data.get("equipe")
        name = str(
            (team.get("nom") if isinstance(team, dict) else None)
            or rel.rsplit("/", 1)[-1].removesuffix(YAML_SUFFIX)
        )
        return Item(
            rel,
            "adhesion",
            name,
            status.code,
            status.label,
            status.since,
            adhesion_events(
                rel, dates, self.history, pr_state=self.pr_state, completed=self.completed
            ),
            status.instructed,
            status.pr,
        )

    def protocol(self, rel: str) -> Item:
        data = self.data(rel)
        code = str(data.get("statut") or "inconnu")
        since = protocol_status_date(data, self.history.events(rel))
        label = STATUS_WORDS.get(code, code).capitalize()
        return Item(
            rel,
            "protocole",
            str(data.get("intitule") or rel),
            code,
            label,
            since,
            protocol_events(rel, data, self.history),
        )


def _yaml_files(root: Path, folder: str) -> list[str]:
    """Protocol and adhesion files under `folder` (yearly reports have no status)."""
    base = root / folder
    if not base.is_dir():
        return []
    return sorted(
        p.relative_to(root).as_posix()
        for p in base.rglob(f"*{YAML_SUFFIX}")
        if p.is_file() and REPORT_MARK not in p.name
    )


def resolve_target(root: Path, target: str) -> tuple[list[str], list[str]]:
    """(protocol files, adhesion files) named by a path, a protocol id or a team id."""
    as_path = _as_relative(root, target)
    if as_path is not None:
        files = (
            [as_path]
            if (root / as_path).is_file() and REPORT_MARK not in as_path
            else _yaml_files(root, as_path)
        )
        return [f for f in files if f.startswith(PROTOCOLS_DIR + "/")], [
            f for f in files if f.startswith(ADHESIONS_DIR + "/")
        ]
    protocol = f"{PROTOCOLS_DIR}/{target}{YAML_SUFFIX}"
    if (root / protocol).is_file():
        adhesions = [f for f in _yaml_files(root, ADHESIONS_DIR) if f.split("/")[2:3] == [target]]
        return [protocol], adhesions
    teams = [
        f
        for f in _yaml_files(root, ADHESIONS_DIR)
        if f.rsplit("/", 1)[-1] == f"{target}{YAML_SUFFIX}"
    ]
    if teams:
        return [], teams
    raise CoopError(
        f"Aucun fichier, aucun protocole ni aucune équipe ne correspond à « {target} » : indiquez un chemin "
        "(adhesions/84/…/equipe.yml), un identifiant de protocole ou un identifiant d'équipe."
    )


def _as_relative(root: Path, target: str) -> str | None:
    rel = register_relative(root, Path(target))
    if rel is None or rel.split("/", 1)[0] not in DATA_DIRS or not (root / rel).exists():
        return None
    return rel


def default_ref(root: Path) -> str:
    return "main" if git.is_repository(root) and git.resolve(root, "main") else "HEAD"


# ---- output -------------------------------------------------------------


def write_text(protocols: list[Item], adhesions: list[Item], out: IO[str], timeline: bool) -> None:
    for item in [*protocols, *adhesions]:
        out.write(f"\n{item.path}\n  {item.name}\n  Statut : {item.phrase}\n")
        if item.instructed:
            pr = f" (PR #{item.pr})" if item.pr else ""
            out.write(f"  Instruite par l'ARS le {french_date(item.instructed)}{pr}\n")
        if timeline:
            _write_timeline(item.events, out)
    if adhesions:
        out.write("\n" + _counts(adhesions) + "\n")


def _write_timeline(events: list[DatedEvent], out: IO[str]) -> None:
    if not events:
        out.write("  Historique : aucune date connue.\n")
        return
    out.write("  Historique :\n")
    for event in events:
        out.write(f"    {french_date(event.date)}  {event.label}\n")


def _counts(adhesions: list[Item]) -> str:
    return _counts_of([item.label for item in adhesions])


def write_region(region: str, adhesions: list[Item], out: IO[str]) -> None:
    out.write(f"Adhésions de la région {region}\n\n")
    for item in adhesions:
        since = french_date(item.since) if item.since else "—"
        out.write(f"{item.label:<28} {since:<11} {item.path}  ({item.name})\n")
    out.write(
        ("\n" if adhesions else "")
        + (_counts(adhesions) if adhesions else "Aucune adhésion dans cette région.")
        + "\n"
    )


def write_markdown(
    protocols: list[Item], adhesions: list[Item], out: IO[str], timeline: bool
) -> None:
    document = {
        "protocoles": [i.as_dict() for i in protocols],
        "adhesions": [i.as_dict() for i in adhesions],
    }
    out.write("\n".join(markdown_section(document, timeline)) + "\n")


def markdown_section(document: Any, timeline: bool = True) -> list[str]:
    """The status section of a step summary or a pull request's comment, from the JSON document of
    `coop statut --format json` (read back as untrusted data: every value through `markdown_text`).
    Raises ValueError when the document does not have that shape."""
    items = [*_listed(document, "protocoles"), *_listed(document, "adhesions")]
    lines = ["## Statut dans le registre", ""]
    for item in items:
        lines += _markdown_item(item, timeline)
    adhesions = _listed(document, "adhesions")
    counts = _counts_of([_text(a, "label") for a in adhesions]) if adhesions else ""
    lines.append(markdown_text(counts))
    return lines if items else [*lines, "Aucun fichier à afficher."]


def _listed(document: Any, key: str) -> list[dict[str, Any]]:
    items = document.get(key) if isinstance(document, dict) else None
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError(f"{key}: not a list of objects")
    return items


def _text(item: dict[str, Any], key: str) -> str:
    value = item.get(key)
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""


def _markdown_item(item: dict[str, Any], timeline: bool) -> list[str]:
    lines = [
        f"#### {markdown_text(_text(item, 'name') or _text(item, 'path'), 200)}",
        "",
        f"- Fichier : {markdown_text(_text(item, 'path'))}",
        f"- Statut : {markdown_text(_text(item, 'phrase') or _text(item, 'label'))}",
    ]
    if _text(item, "instructed"):
        pr = f" (PR #{_text(item, 'pr')})" if _text(item, "pr") else ""
        instructed = french_date(_text(item, "instructed"))
        lines.append("- " + markdown_text(f"Instruite par l'ARS le {instructed}{pr}"))
    events = item.get("events") if isinstance(item.get("events"), list) else []
    if timeline and events:
        lines.append("- Historique :")
        lines += [
            "  - " + markdown_text(f"{french_date(_text(e, 'date'))} : {_text(e, 'label')}")
            for e in events
            if isinstance(e, dict)
        ]
    return [*lines, ""]


def _counts_of(labels: list[str]) -> str:
    found: dict[str, int] = {}
    for label in labels:
        found[label] = found.get(label, 0) + 1
    detail = ", ".join(f"{label} : {count}" for label, count in sorted(found.items()))
    return f"{len(labels)} adhésion{'s' if len(labels) > 1 else ''} ({detail})."


def write_json(protocols: list[Item], adhesions: list[Item], out: IO[str]) -> None:
    document = {
        "protocoles": [i.as_dict() for i in protocols],
        "adhesions": [i.as_dict() for i in adhesions],
    }
    json.dump(document, out, ensure_ascii=False, indent=2)
    out.write("\n")


def resolve_all(root: Path, targets: tuple[str, ...]) -> tuple[list[str], list[str]]:
    protocols: dict[str, None] = {}
    adhesions: dict[str, None] = {}
    for target in targets:
        found_protocols, found_adhesions = resolve_target(root, target)
        protocols.update(dict.fromkeys(found_protocols))
        adhesions.update(dict.fromkeys(found_adhesions))
    return list(protocols), list(adhesions)


def region_files(root: Path, region: str) -> list[str]:
    if not region.isalnum() or not (root / ADHESIONS_DIR / region).is_dir():
        known = (
            sorted(p.name for p in (root / ADHESIONS_DIR).iterdir() if p.is_dir())
            if (root / ADHESIONS_DIR).is_dir()
            else []
        )
        raise CoopError(
            f"Aucune adhésion pour la région « {region} » (codes INSEE à 2 chiffres, exemple : 84). "
            f"Régions présentes : {', '.join(known) or 'aucune'}."
        )
    return _yaml_files(root, f"{ADHESIONS_DIR}/{region}")
