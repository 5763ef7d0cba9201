"""The in-memory register: every data file read (layer 1), checked against
its schema (layer 2) and indexed for the cross-file rules (layer 3).

Rules never scan the register: they ask it by key (`protocol(id)`,
`members_with_identifier(number)`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .findings import Finding, make_finding
from .paths import DataPath, classify, iter_data_files
from .reading import Document, read_file
from .schema import Schemas


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


@dataclass(frozen=True)
class MemberRef:
    """Where a member identifier appears, and how the name is spelled there."""

    path: str
    line: int
    name: str


class Register:
    def __init__(self, root: Path, schemas: Schemas, entries: list[Entry]) -> None:
        self.root = root
        self.schemas = schemas
        self.entries = entries

    @classmethod
    def load(cls, root: Path, schemas: Schemas | None = None) -> Register:
        schemas = schemas or Schemas(root)
        entries = [load_entry(root, rel, schemas) for rel in iter_data_files(root)]
        return cls(root, schemas, entries)

    @cached_property
    def protocols(self) -> dict[str, Entry]:
        return {e.where.protocol_id: e for e in self.entries if e.where.kind == "protocole" and not e.where.problem}

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
            for position, member in enumerate(entry.data.get("membres", [])):
                number = member.get("rpps") or member.get("adeli")
                name = f"{member.get('prenom', '')} {member.get('nom_exercice', '')}".strip()
                index[number].append(MemberRef(entry.path, entry.line("membres", position), name))
        return index

    def members_with_identifier(self, number: str) -> list[MemberRef]:
        return self._members_by_identifier.get(number, [])

    def team_ids(self) -> set[str]:
        return {e.where.team_id for e in self.adhesions}


def load_entry(root: Path, rel: str, schemas: Schemas) -> Entry:
    """Layers 1 and 2 for one file."""
    where = classify(rel, schemas.region_codes)
    doc = read_file(root, rel)
    entry = Entry(where, doc, list(doc.findings))
    if where.problem:
        entry.findings.append(make_finding("chemin-invalide", rel, 1, where.problem[0].upper() + where.problem[1:] + "."))
    if doc.data is not None and doc.readable and where.kind in schemas.validators:
        entry.findings.extend(schemas.check(where.kind, doc))
    return entry
