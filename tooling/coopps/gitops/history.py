"""History as status: every date the register shows, read from git in one pass.

`load_history` walks `git log --first-parent` of a ref once (merges diffed
against their first parent, so a pull request's files are dated by its merge)
and turns each change of a data file into dated `Event`s. File contents are
read only where an event depends on them, in one `git cat-file --batch`:
protocol versions (their `statut`) and adhesion versions that mention
`suspension` or `fin` (a byte search decides before any YAML is parsed). Never
one `git log --follow` per file (85 ms each, over an hour at 50,000 files).

Dates, statuses and counts are derived from these events in one place: `coopps.gitops.timeline`.
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
    "arrete": "fin d'autorisation",
}
IMPORT_FILES = 20  # a commit changing this many data files is an import or a mass edit
_MERGE_PR = re.compile(r"^Merge pull request #(\d+)\b")
_SQUASH_PR = re.compile(r"\(#(\d+)\)\s*$")
# An adhesion's history needs only its top-level `suspension` and `fin` blocks: the
# key at column 0 and the indented lines under it (files on main are validated).
_ADHESION_BLOCKS = re.compile(rb"^(?:suspension|fin|reprise)\s*:.*(?:\n[ \t]+.*)*", re.MULTILINE)


@dataclass(frozen=True)
class Event:
    date: str  # "YYYY-MM-DD", committer date of the first-parent commit
    commit: str  # full sha
    pr: int | None  # from "Merge pull request #12 …" or squash titles "… (#12)"
    kind: str  # ajout, modification, renommage, suppression, statut, suspension, levee-suspension, fin, reprise
    detail: str  # French sentence for people
    value: str | None = (
        None  # kind "statut": the new statut slug; "suspension", "fin": the block's own date
    )
    bulk: bool = (
        False  # part of an import or a mass edit (IMPORT_FILES): no event of the protocol or team
    )


class History:
    """Events of every data file on the first-parent line of one ref."""

    def __init__(
        self,
        by_path: dict[str, list[Event]] | None = None,
        journal: list[tuple[str, Event]] | None = None,
    ) -> None:
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
        return sorted(
            path
            for path, events in self._by_path.items()
            if events and events[-1].kind != "suppression"
        )


def load_history(root: Path, ref: str = "HEAD") -> History:
    """The history of `ref`; an empty History when `root` is not a repository or `ref` has no commit."""
    if not gitrepo.is_repository(root):
        return History()
    sha = gitrepo.resolve(root, ref)
    return _load(root.resolve(), sha) if sha else History()


@lru_cache(maxsize=8)
def _load(root: Path, sha: str) -> History:
    commits = gitrepo.first_parent_log(root, sha)
    changes = [
        (commit, change) for commit in commits for change in commit.changes if _is_data(change.path)
    ]
    blobs = gitrepo.read_blobs(root, _blobs_to_read(changes))
    builder = _Builder(blobs, _bulk_commits(changes))
    for commit, change in changes:
        builder.apply(commit, change)
    return History(dict(builder.by_path), builder.journal)


def _bulk_commits(changes: list[tuple[gitrepo.Commit, gitrepo.FileChange]]) -> set[str]:
    """Commits that are no event of any one file: the register's first commit (its creation or
    import, unless a pull request's merge) and every commit changing IMPORT_FILES data files or more
    (an import, a mass reformat)."""
    counts: dict[str, int] = defaultdict(int)
    for commit, _ in changes:
        counts[commit.sha] += 1
    first = {changes[0][0].sha} if changes and pr_number(changes[0][0].subject) is None else set()
    return first | {sha for sha, count in counts.items() if count >= IMPORT_FILES}


def _is_data(path: str) -> bool:
    return path.endswith(YAML_SUFFIX) and path.split("/", 1)[0] in (PROTOCOLS_DIR, ADHESIONS_DIR)


def _blobs_to_read(changes: list[tuple[gitrepo.Commit, gitrepo.FileChange]]) -> list[str]:
    wanted = [
        blob
        for _, change in changes
        if change.status != "D"
        for blob in (change.old_blob, change.new_blob)
        if blob
    ]
    return list(dict.fromkeys(wanted))


def pr_number(subject: str) -> int | None:
    match = _MERGE_PR.match(subject) or _SQUASH_PR.search(subject)
    return int(match.group(1)) if match else None


class _Builder:
    """Turns each (commit, file change) into events, carrying renames along."""

    def __init__(self, blobs: dict[str, bytes | None], bulk: set[str]) -> None:
        self.blobs = blobs
        self.bulk = bulk
        self.states: dict[
            tuple[str, bool], dict[str, Any]
        ] = {}  # a blob is often both "new" then "old"
        self.by_path: dict[str, list[Event]] = defaultdict(list)
        self.journal: list[tuple[str, Event]] = []

    def apply(self, commit: gitrepo.Commit, change: gitrepo.FileChange) -> None:
        if change.status == "R" and change.old_path:
            self.by_path[change.path] = self.by_path.pop(change.old_path, [])
        for kind, detail, value in self._describe(commit, change):
            event = Event(
                commit.date,
                commit.sha,
                pr_number(commit.subject),
                kind,
                detail,
                value,
                commit.sha in self.bulk,
            )
            self.by_path[change.path].append(event)
            self.journal.append((change.path, event))

    def _describe(
        self, commit: gitrepo.Commit, change: gitrepo.FileChange
    ) -> list[tuple[str, str, str | None]]:
        kind = _file_kind(change.path)
        added, modified, removed = _WORDS[kind]
        if change.status == "D":
            return [("suppression", removed, None)]
        protocol = kind == "protocole"
        facts: list[tuple[str, str, str | None]] = []
        if kind != "suivi":
            old, new = (
                self._state(change.old_blob, protocol),
                self._state(change.new_blob, protocol),
            )
            facts = _status_events(old, new) if protocol else _adhesion_events(old, new)
        if change.status == "A":
            pr = pr_number(commit.subject)
            return [("ajout", f"{added} (PR #{pr})" if pr else added, None), *facts]
        if change.status == "R":
            return [
                ("renommage", f"Fichier renommé (ancien chemin : {change.old_path})", None),
                *facts,
            ]
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
        if (
            b"\nfin" not in raw and b"\nsuspension" not in raw and b"\nreprise" not in raw
        ):  # common case, at C speed
            return {}
        raw = b"\n".join(match.group() for match in _ADHESION_BLOCKS.finditer(raw))
        if not raw:
            return {}
    from ..reading import read_bytes

    data = read_bytes("", raw).data
    return data if isinstance(data, dict) else {}


# (added, modified, removed) wording of the journal, by kind of file
_WORDS = {
    "protocole": (
        "Protocole enregistré au registre",
        "Fiche du protocole modifiée",
        "Protocole retiré du registre",
    ),
    "adhesion": ("Adhésion enregistrée", "Adhésion modifiée", "Adhésion retirée du registre"),
    "suivi": (
        "Rapport annuel de suivi déposé",
        "Rapport annuel de suivi modifié",
        "Rapport annuel de suivi retiré",
    ),
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
        events.append(
            ("suspension", f"Adhésion suspendue par l'ARS{_from_date(after)}", _date_value(after))
        )
    elif before and not after:
        events.append(("levee-suspension", "Suspension levée par l'ARS", None))
    if new.get("fin") and new.get("fin") != old.get("fin"):
        events.append(
            ("fin", f"Fin de l'adhésion{_from_date(new['fin'])}", _date_value(new["fin"]))
        )
    if new.get("reprise") != old.get(
        "reprise"
    ):  # a maintainer's import of history: dated by the block itself
        events.append(("reprise", "Historique repris d'un dossier antérieur au registre", None))
    return events


def _date_value(block: Any) -> str | None:
    date = block.get("date") if isinstance(block, dict) else None
    return date if isinstance(date, str) else None


def _from_date(block: Any) -> str:
    date = block.get("date") if isinstance(block, dict) else None
    return f" à compter du {french_date(date)}" if isinstance(date, str) else ""
