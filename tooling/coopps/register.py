"""The in-memory register: every data file read (layer 1), checked against
its schema (layer 2) and indexed for the cross-file rules (layer 3).

Rules never scan the register: they ask it by key (`protocol(id)`,
`members_with_identifier(number)`). `load_related` loads only some files and
what the rules need about them (what their checks consult; the identifier
index, `identifier_index.py`, says which adhesions name a member), so a pull
request's check costs what its change costs. How a load is made fast (workers,
the cache, the collector, interning, the jsonschema-rs gate) is `loading.py`'s.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .cache import Layers
from .checks import CONSULTED
from .findings import Finding, found
from .identifier_index import adhesions_naming
from .loading import compute_layers, load_layers
from .paths import ADHESIONS_DIR, PROTOCOLS_DIR, YAML_SUFFIX, DataPath, classify, iter_data_files
from .reading import Document, read_file
from .schema import Schemas
from .stage_checks import BAD_PATH

if TYPE_CHECKING:
    from .gitops.git import PullRequest

REPLACEMENT_KEYS = ("remplace", "remplace_par")  # protocol → protocol links (rules/replacements.py)


@dataclass
class Entry:
    """One data file: where it is, what it says, and whether rules may use it."""

    where: DataPath
    doc: Document
    findings: list[Finding] = field(default_factory=list)

    @property
    def path(self) -> str:
        return self.where.path

    @property
    def data(self) -> dict[str, Any]:
        return self.doc.data if isinstance(self.doc.data, dict) else {}

    @property
    def valid(self) -> bool:
        """Readable, schema-valid, at a valid path: safe for the register rules."""
        return not self.where.problem and not any(f.severity == "error" for f in self.findings)

    def line(self, *where: str | int) -> int:
        return self.doc.line_of(tuple(where))


class MemberRef(NamedTuple):
    """Where a member identifier appears (file, position in `membres`), and how the name is spelled
    there (a named tuple: 330,000 of them are built for 50,000 adhesions; their lines are only
    looked up for a finding)."""

    path: str
    position: int
    name: str


class Register:
    def __init__(self, root: Path, schemas: Schemas, entries: list[Entry]) -> None:
        self.root = root
        self.schemas = schemas
        self.entries = entries

    @classmethod
    def load(cls, root: Path, schemas: Schemas | None = None, *, cache: bool = True) -> Register:
        """Every data file of the register (layers 1 and 2), in parallel and through the cache."""
        schemas = schemas or Schemas(root)
        return cls(root, schemas, load_entries(root, iter_data_files(root), schemas, cache=cache))

    @classmethod
    def load_related(
        cls,
        root: Path,
        targets: list[str],
        snapshot: PullRequest | None = None,
        schemas: Schemas | None = None,
        consulted: Mapping[str, Collection[str]] | None = None,
    ) -> Register:
        """`targets` and everything the register rules consult about them, so the rules find
        for those files exactly what they find in a full load.

        `consulted`: for each kind of file, what its checks declare they consult
        (`rules.CONSULTED_BY_KIND`, derived from `checks.Check.consults`); by default every
        kind consults everything. `snapshot` is the work tree as a commit plus changes, when
        the caller knows it (a pull request).
        `test_a_pull_request_check_reports_what_a_full_run_reports_for_its_files` compares
        this load with a full one."""
        schemas = schemas or Schemas(root)
        wanted = set(targets)
        entries = load_entries(root, sorted(wanted), schemas, cache=False)
        named = consulted_files(root, entries, consulted, snapshot)
        related = sorted(rel for rel in named - wanted if (root / rel).is_file())
        entries += load_entries(root, related, schemas, cache=False)
        return cls(root, schemas, sorted(entries, key=lambda entry: entry.path))

    def with_protocols(self, replaced: dict[str, Entry | None]) -> Register:
        """The same register, except that rules see the protocols of `replaced` (None: absent);
        a pull request's own adhesions are judged by the base version of their protocols."""
        view = Register(self.root, self.schemas, self.entries)
        protocols = {key: entry for key, entry in self.protocols.items() if key not in replaced}
        view.__dict__["protocols"] = {
            **protocols,
            **{key: entry for key, entry in replaced.items() if entry},
        }
        return view

    @cached_property
    def protocols(self) -> dict[str, Entry]:
        return {
            e.where.protocol_id: e
            for e in self.entries
            if e.where.kind == "protocole" and not e.where.problem
        }

    @cached_property
    def adhesions(self) -> list[Entry]:
        return [e for e in self.entries if e.where.kind == "adhesion"]

    def protocol(self, protocol_id: str) -> Entry | None:
        return self.protocols.get(protocol_id)

    @cached_property
    def _members_by_identifier(self) -> dict[str, list[MemberRef]]:
        index: dict[str, list[MemberRef]] = defaultdict(list)
        for entry in self.adhesions:
            if not entry.valid:
                continue
            path = entry.path
            for position, member in enumerate(entry.data.get("membres", [])):
                number = member.get("rpps") or member.get("adeli")
                name = f"{member.get('prenom', '')} {member.get('nom_exercice', '')}".strip()
                index[number].append(MemberRef(path, position, name))
        return index

    @cached_property
    def _replacement_links(self) -> dict[str, list[tuple[str, str]]]:
        """protocol id → (id of a protocol naming it, the key: `remplace` or `remplace_par`)."""
        index: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for protocol_id, entry in sorted(self.protocols.items()):
            for key in REPLACEMENT_KEYS:
                target = entry.data.get(key) if entry.valid else None
                if isinstance(target, str) and target != protocol_id:
                    index[target].append((protocol_id, key))
        return index

    def replacement_links_towards(self, protocol_id: str) -> list[tuple[str, str]]:
        return self._replacement_links.get(protocol_id, [])

    def build_indexes(self) -> None:
        """Build every index now (before forking workers that will share them)."""
        _ = self.protocols, self._members_by_identifier, self._replacement_links

    def members_with_identifier(self, number: str) -> list[MemberRef]:
        return self._members_by_identifier.get(number, [])

    def team_ids(self) -> set[str]:
        return {e.where.team_id for e in self.adhesions}


# Entries ---------------------------------------------------------------------------------------------


def entry_from_bytes(rel: str, raw: bytes, schemas: Schemas) -> Entry:
    """Layers 1 and 2 for bytes that are not in the work tree (a file as a commit holds it)."""
    where = classify(rel, schemas.region_codes)
    return _entry(Path(), where, compute_layers(rel, where.kind, raw, schemas))


def load_entry(root: Path, rel: str, schemas: Schemas) -> Entry:
    """Layers 1 and 2 for one file."""
    return load_entries(root, [rel], schemas, cache=False)[0]


def load_entries(
    root: Path, rels: list[str], schemas: Schemas, *, cache: bool = True
) -> list[Entry]:
    """Layers 1 and 2 for `rels`, as entries (`loading.load_layers` says how it is made fast)."""
    wheres = [classify(rel, schemas.region_codes) for rel in rels]
    layers = load_layers(root, wheres, schemas, cache=cache)
    return [_entry(root, where, layers.get(where.path)) for where in wheres]


def _entry(root: Path, where: DataPath, layers: Layers | None) -> Entry:
    if layers is None:  # refused unread: symlink, not `.yml`, too big
        doc = read_file(root, where.path)
        entry = Entry(where, doc, list(doc.findings))
    else:
        data, lines, reading, schema = layers
        doc = Document(where.path, data, lines, _at(reading, where.path))
        entry = Entry(where, doc, [*doc.findings, *_at(schema, where.path)])
    if where.problem and where.path.endswith(YAML_SUFFIX):  # a stray file is refused as such first
        entry.findings.append(found(BAD_PATH, where.path, 1, (), {"probleme": where.problem}))
    return entry


def _at(findings: list[Finding], path: str) -> list[Finding]:
    """Cached findings of the same bytes seen at another path, moved here."""
    return [f if f.path == path else replace(f, path=path) for f in findings]


def protocol_files(root: Path) -> list[str]:
    folder = root / PROTOCOLS_DIR
    if not folder.is_dir() or folder.is_symlink():
        return []
    return sorted(
        f"{PROTOCOLS_DIR}/{item.name}"
        for item in os.scandir(folder)
        if item.name.endswith(YAML_SUFFIX) and item.is_file(follow_symlinks=False)
    )


# Related files -------------------------------------------------------------------------------


def consulted_files(
    root: Path,
    entries: list[Entry],
    consulted: Mapping[str, Collection[str]] | None,
    snapshot: PullRequest | None,
) -> set[str]:
    """The files the checks of these entries consult (`checks.CONSULTED`)."""
    wanted: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        for what in CONSULTED if consulted is None else consulted.get(entry.where.kind, ()):
            wanted[what].append(entry)
    files = {_named_protocol(entry.where) for entry in wanted["protocole"]}
    files |= {_adhesion_beside(entry.where) for entry in wanted["adhesion"]}
    files |= adhesions_naming(root, _member_numbers(wanted["membres"]), snapshot)
    if wanted["protocoles"]:
        files |= set(protocol_files(root))  # who names a protocol in `remplace`/`remplace_par`: few
    return files - {""}


def _named_protocol(where: DataPath) -> str:
    """The protocol an adhesion or a report names ("" for a protocol or no protocol)."""
    if not where.protocol_id or where.kind == "protocole":
        return ""
    return f"{PROTOCOLS_DIR}/{where.protocol_id}{YAML_SUFFIX}"


def _adhesion_beside(where: DataPath) -> str:
    """The adhesion a report stands beside ("" for anything else)."""
    if where.kind in ("protocole", "adhesion") or not (where.region and where.team_id):
        return ""
    return f"{ADHESIONS_DIR}/{where.region}/{where.protocol_id}/{where.team_id}{YAML_SUFFIX}"


def _member_numbers(entries: list[Entry]) -> set[str]:
    """The RPPS/ADELI numbers of the members of these adhesions."""
    numbers: set[str] = set()
    for entry in entries:
        members = entry.data.get("membres", []) if entry.where.kind == "adhesion" else []
        for member in members if isinstance(members, list) else []:
            if isinstance(member, dict):
                numbers.update(
                    member[key] for key in ("rpps", "adeli") if isinstance(member.get(key), str)
                )
    return numbers
