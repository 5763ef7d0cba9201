"""History as status: every date the register shows, read from git in one pass.

`load_history` walks `git log --first-parent` of a ref once (merges diffed
against their first parent, so a pull request's files are dated by its merge)
and turns each change of a data file into dated `Event`s. File contents are
read only where an event depends on them, in one `git cat-file --batch`:
protocol versions (their `statut`) and adhesion versions that mention
`suspension` or `fin` (a byte search decides before any YAML is parsed). Never
one `git log --follow` per file (85 ms each, over an hour at 50,000 files).

The site, the dashboards and `coop status` all read this one module.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..paths import ADHESIONS_DIR, PROTOCOLS_DIR, REPORT_MARK, YAML_SUFFIX
from ..wording import french_date
from . import git as gitrepo

STATUS_WORDS = {
    "depose": "déposé",
    "en_instruction": "en instruction",
    "avis_has": "avis de la HAS",
    "autorise": "autorisé",
    "refuse": "refusé",
    "arrete": "arrêté",
}
_MERGE_PR = re.compile(r"^Merge pull request #(\d+)\b")
_SQUASH_PR = re.compile(r"\(#(\d+)\)\s*$")
# An adhesion's history needs only its top-level `suspension` and `fin` blocks: the
# key at column 0 and the indented lines under it (files on main are validated).
_ADHESION_BLOCKS = re.compile(rb"^(?:suspension|fin)\s*:.*(?:\n[ \t]+.*)*", re.MULTILINE)


@dataclass(frozen=True)
class Event:
    date: str  # "YYYY-MM-DD", committer date of the first-parent commit
    commit: str  # full sha
    pr: int | None  # from "Merge pull request #12 …" or squash titles "… (#12)"
    kind: str  # ajout, modification, renommage, suppression, statut, suspension, levee-suspension, fin
    detail: str  # French sentence for people
    value: str | None = None  # for kind "statut": the new statut slug


class History:
    """Events of every data file on the first-parent line of one ref."""

    def __init__(self, by_path: dict[str, list[Event]] | None = None,
                 journal: list[tuple[str, Event]] | None = None) -> None:
        self._by_path = by_path or {}
        self._journal = journal or []

    def events(self, path: str) -> list[Event]:
        """Oldest first, including those of the paths it was renamed from; [] when unknown."""
        return list(self._by_path.get(path, []))

    def added(self, path: str) -> Event | None:
        """The commit that (last) added the file: the activation date of an adhesion."""
        additions = [event for event in self._by_path.get(path, []) if event.kind == "ajout"]
        return additions[-1] if additions else None

    def journal(self, limit: int | None = None) -> list[tuple[str, Event]]:
        """(path, event) over the whole register, newest first."""
        newest_first = self._journal[::-1]
        return newest_first if limit is None else newest_first[:limit]

    def paths(self) -> list[str]:
        """Every path present at the ref, as far as history tells."""
        return sorted(path for path, events in self._by_path.items() if events and events[-1].kind != "suppression")


def load_history(root: Path, ref: str = "HEAD") -> History:
    """The history of `ref`; an empty History when `root` is not a repository or `ref` has no commit."""
    if not gitrepo.is_repository(root):
        return History()
    sha = gitrepo.resolve(root, ref)
    return _load(root.resolve(), sha) if sha else History()


@lru_cache(maxsize=8)
def _load(root: Path, sha: str) -> History:
    commits = gitrepo.first_parent_log(root, sha)
    changes = [(commit, change) for commit in commits for change in commit.changes if _is_data(change.path)]
    blobs = gitrepo.read_blobs(root, _blobs_to_read(changes))
    builder = _Builder(blobs)
    for commit, change in changes:
        builder.apply(commit, change)
    return History(dict(builder.by_path), builder.journal)


def _is_data(path: str) -> bool:
    return path.endswith(YAML_SUFFIX) and path.split("/", 1)[0] in (PROTOCOLS_DIR, ADHESIONS_DIR)


def _blobs_to_read(changes: list[tuple[gitrepo.Commit, gitrepo.FileChange]]) -> list[str]:
    wanted = [blob for _, change in changes if change.status != "D" for blob in (change.old_blob, change.new_blob) if blob]
    return list(dict.fromkeys(wanted))


def pr_number(subject: str) -> int | None:
    match = _MERGE_PR.match(subject) or _SQUASH_PR.search(subject)
    return int(match.group(1)) if match else None


class _Builder:
    """Turns each (commit, file change) into events, carrying renames along."""

    def __init__(self, blobs: dict[str, bytes | None]) -> None:
        self.blobs = blobs
        self.states: dict[tuple[str, bool], dict[str, Any]] = {}  # a blob is often both "new" then "old"
        self.by_path: dict[str, list[Event]] = defaultdict(list)
        self.journal: list[tuple[str, Event]] = []

    def apply(self, commit: gitrepo.Commit, change: gitrepo.FileChange) -> None:
        if change.status == "R" and change.old_path:
            self.by_path[change.path] = self.by_path.pop(change.old_path, [])
        for kind, detail, value in self._describe(commit, change):
            event = Event(commit.date, commit.sha, pr_number(commit.subject), kind, detail, value)
            self.by_path[change.path].append(event)
            self.journal.append((change.path, event))

    def _describe(self, commit: gitrepo.Commit, change: gitrepo.FileChange) -> list[tuple[str, str, str | None]]:
        kind = _file_kind(change.path)
        added, modified, removed = _WORDS[kind]
        if change.status == "D":
            return [("suppression", removed, None)]
        protocol = kind == "protocole"
        facts: list[tuple[str, str, str | None]] = []
        if kind != "suivi":
            old, new = self._state(change.old_blob, protocol), self._state(change.new_blob, protocol)
            facts = _status_events(old, new) if protocol else _adhesion_events(old, new)
        if change.status == "A":
            pr = pr_number(commit.subject)
            return [("ajout", f"{added} (PR #{pr})" if pr else added, None), *facts]
        if change.status == "R":
            return [("renommage", f"Fichier renommé (ancien chemin : {change.old_path})", None), *facts]
        return facts or [("modification", modified, None)]

    def _state(self, blob: str | None, protocol: bool) -> dict[str, Any]:
        if not blob:
            return {}
        if (blob, protocol) not in self.states:
            self.states[(blob, protocol)] = _read_state(self.blobs.get(blob), protocol)
        return self.states[(blob, protocol)]


def _read_state(raw: bytes | None, protocol: bool) -> dict[str, Any]:
    """The content of one version, or only the blocks an adhesion's history needs."""
    if raw is None:
        return {}
    if not protocol:
        if b"\nfin" not in raw and b"\nsuspension" not in raw:  # the common case, found at C speed
            return {}
        raw = b"\n".join(match.group() for match in _ADHESION_BLOCKS.finditer(raw))
        if not raw:
            return {}
    from ..reading import read_bytes

    data = read_bytes("", raw).data
    return data if isinstance(data, dict) else {}


# (added, modified, removed) wording of the journal, by kind of file
_WORDS = {
    "protocole": ("Protocole enregistré au registre", "Fiche du protocole modifiée", "Protocole retiré du registre"),
    "adhesion": ("Adhésion enregistrée", "Adhésion modifiée", "Adhésion retirée du registre"),
    "suivi": ("Rapport annuel de suivi déposé", "Rapport annuel de suivi modifié", "Rapport annuel de suivi retiré"),
}


def _file_kind(path: str) -> str:
    if path.startswith(PROTOCOLS_DIR + "/"):
        return "protocole"
    return "suivi" if REPORT_MARK in path.rsplit("/", 1)[-1] else "adhesion"


def _status_events(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    status = new.get("statut")
    if not isinstance(status, str) or status == old.get("statut"):
        return []
    return [("statut", f"Statut : {STATUS_WORDS.get(status, status)}", status)]


def _adhesion_events(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    events: list[tuple[str, str, str | None]] = []
    before, after = old.get("suspension"), new.get("suspension")
    if after and after != before:
        events.append(("suspension", f"Adhésion suspendue par l'ARS{_from_date(after)}", None))
    elif before and not after:
        events.append(("levee-suspension", "Suspension levée par l'ARS", None))
    if new.get("fin") and new.get("fin") != old.get("fin"):
        events.append(("fin", f"Fin de l'adhésion{_from_date(new['fin'])}", None))
    return events


def _from_date(block: Any) -> str:
    date = block.get("date") if isinstance(block, dict) else None
    return f" à compter du {french_date(date)}" if isinstance(date, str) else ""


@dataclass(frozen=True)
class EffectiveStatus:
    code: str  # brouillon, envoyee, completee, active, suspendue, terminee, terminee-protocole-arrete
    label: str  # French
    since: str | None


STATUS_LABELS = {
    "brouillon": "Brouillon",
    "envoyee": "Envoyée à l'ARS",
    "completee": "Complétée",
    "active": "Active",
    "suspendue": "Suspendue",
    "terminee": "Terminée",
    "terminee-protocole-arrete": "Terminée (protocole arrêté)",
}
PR_STATES = ("brouillon", "envoyee", "completee")


def _status(code: str, since: str | None) -> EffectiveStatus:
    return EffectiveStatus(code, STATUS_LABELS[code], since)


def _date_of(block: Any) -> str | None:
    date = block.get("date") if isinstance(block, dict) else None
    return date if isinstance(date, str) else None


def adhesion_status(data: dict[str, Any], protocol: dict[str, Any] | None, history: History, path: str,
                    pr_state: str | None = None) -> EffectiveStatus:
    """The effective status of an adhesion (product contract, §3), derived, never typed.

    A file not (yet) on the history's ref is a pull request: `pr_state`
    ("brouillon", "envoyee", "completee") says which stage; without it, a
    brouillon. On the ref: `fin` → terminée, protocol `arrete` → terminée
    (protocole arrêté), `suspension` → suspendue, otherwise active since the
    merge that added the file.
    """
    added = history.added(path)
    if added is None:
        return _status(pr_state if pr_state in PR_STATES else "brouillon", None)
    if data.get("fin"):
        return _status("terminee", _date_of(data["fin"]))
    if protocol and protocol.get("statut") == "arrete":
        return _status("terminee-protocole-arrete", _date_of(protocol.get("arret")) or _stop_event_date(history, path))
    if data.get("suspension"):
        return _status("suspendue", _date_of(data["suspension"]))
    return _status("active", added.date)


def protocol_path_of(adhesion_path: str) -> str:
    parts = adhesion_path.split("/")
    return f"{PROTOCOLS_DIR}/{parts[2]}{YAML_SUFFIX}" if len(parts) == 4 else ""


def _stop_event_date(history: History, adhesion_path: str) -> str | None:
    stops = [e for e in history.events(protocol_path_of(adhesion_path)) if e.kind == "statut" and e.value == "arrete"]
    return stops[-1].date if stops else None
