"""The one cache: layers 1 and 2 of each file, addressed by its content.

An entry's key is the file's kind and the sha256 of its bytes, in a database
named by a version key that hashes the rule book (every schema and referential
byte) and the code whose output it stores: an entry is only ever used for the
very bytes, rules and code it was computed from, wherever the file moved.
Register rules (layer 3) are never cached: they cross files and are
recomputed from the cached data.

Nothing executable is loaded: entries are JSON text in sqlite rows, decoded
into plain data and checked for shape; a row that does not decode is a miss.
The cache lives outside the register (`COOP_CACHE_DIR`, else
`$XDG_CACHE_HOME/coop`, else `~/.cache/coop`, then one folder per register
root), so a pull request cannot bring one; a cache folder inside the register
is refused, never read. A cache that cannot be read or written is ignored (a
damaged database is deleted and rebuilt): it only ever saves time. Two runs at
once are safe: sqlite in WAL mode, writes in one transaction, a busy timeout.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

from . import __version__
from .findings import Finding

_CODE = (
    "reading.py", "textguards.py", "yamlguards.py", "personal.py", "schema.py", "checks.py", "findings.py", "paths.py",
    "cache.py", "register.py",
)
_SEVERITIES = ("error", "warning")

# data, line map, reading findings, schema findings (each finding carries the path it was read at)
Layers = tuple[Any, dict[tuple[str | int, ...], int], list[Finding], list[Finding]]


def content_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def version_key(rules_fingerprint: str) -> str:
    """Changes when a schema, a referential, the tooling's version or the reading/checking code changes."""
    digest = hashlib.sha256(__version__.encode() + b"\0" + rules_fingerprint.encode())
    package = Path(__file__).parent
    for name in _CODE:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:24]


def cache_folder(root: Path) -> Path | None:
    """This register's cache folder, outside the register; None when it would lie inside it."""
    base = os.environ.get("COOP_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    home = Path(base) if base else Path.home() / ".cache"
    folder = (home if os.environ.get("COOP_CACHE_DIR") else home / "coop").resolve()
    register = root.resolve()
    if folder == register or register in folder.parents:
        return None  # a cache the work tree could bring is never read
    return folder / hashlib.sha256(str(register).encode()).hexdigest()[:16]


def connect(path: Path) -> sqlite3.Connection:
    """A connection for concurrent runs: WAL journal, a generous busy timeout, autocommit."""
    db = sqlite3.connect(path, timeout=60, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    return db


class Cache:
    """Rows (key, layers as JSON) of one version; rows not used by a run are pruned when they
    outnumber a quarter of the rows."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self.stored: dict[str, str] = {}
        self.used: set[str] = set()
        self.new: dict[str, str] = {}

    @classmethod
    def open(cls, root: Path, version: str) -> Cache:
        folder = cache_folder(root)
        cache = cls(folder / f"couches-{version}.sqlite" if folder else None)
        if cache.file is None or not cache.file.is_file():
            return cache
        try:
            with closing(connect(cache.file)) as db:
                cache.stored = dict(db.execute("SELECT key, value FROM layers"))
        except sqlite3.DatabaseError:
            _remove(cache.file)  # damaged, or another program's: ours to rebuild
        return cache

    def get(self, key: str) -> Layers | None:
        text = self.stored.get(key)
        layers = decode_layers(text) if text is not None else None
        if layers is not None:
            self.used.add(key)
        return layers

    def put(self, key: str, layers: Layers, text: str | None = None) -> None:
        """Store what this run computed (`text`: its JSON when a worker encoded it already)."""
        self.used.add(key)
        if key not in self.stored:
            self.new[key] = text if text is not None else encode_layers(layers)

    def save(self) -> None:
        """Write this run's new rows and prune the stale ones, in one transaction."""
        stale = [key for key in self.stored if key not in self.used]
        if self.file is None or (not self.new and len(stale) * 4 <= len(self.stored)):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            with closing(connect(self.file)) as db:
                db.execute("CREATE TABLE IF NOT EXISTS layers (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                db.execute("BEGIN IMMEDIATE")
                db.executemany("INSERT OR REPLACE INTO layers (key, value) VALUES (?, ?)", self.new.items())
                if len(stale) * 4 > len(self.stored):
                    db.executemany("DELETE FROM layers WHERE key = ?", ((key,) for key in stale))
                db.execute("COMMIT")
            for old in self.file.parent.glob("couches-*.sqlite*"):
                if not old.name.startswith(self.file.name):
                    _remove(old)
        except (sqlite3.Error, OSError):
            return


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with suppress(OSError):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


# Plain-data encoding ---------------------------------------------------------------------------------

def encode_layers(layers: Layers) -> str:
    """One row: data, the line map as two parallel lists (key paths, lines), the findings as lists."""
    data, lines, reading, schema = layers
    return json.dumps([data, list(lines), list(lines.values()), [_finding_row(f) for f in reading],
                       [_finding_row(f) for f in schema]], ensure_ascii=False, separators=(",", ":"))


def _finding_row(finding: Finding) -> list[Any]:
    return [finding.path, finding.line, finding.code, finding.severity, finding.message]


_PATHS: dict[tuple[str | int, ...], tuple[str | int, ...]] = {}


def decode_layers(text: str) -> Layers | None:
    """The layers a row holds, or None when it is not exactly what `encode_layers` writes.

    Built with C-level maps (a 120-line adhesion has ~150 key paths; 50,000 files, 7 million):
    one shared tuple per distinct key path."""
    try:
        data, paths, numbers, reading, schema = json.loads(text)
        keys = [_PATHS.setdefault(key, key) for key in map(tuple, paths)]
        if not set(map(type, numbers)) <= {int}:
            return None
        return data, dict(zip(keys, numbers, strict=True)), [_finding(row) for row in reading], [_finding(row) for row in schema]
    except (ValueError, TypeError):
        return None


def _finding(row: Any) -> Finding:
    path, line, code, severity, message = row
    if not (isinstance(path, str) and type(line) is int and isinstance(code, str) and severity in _SEVERITIES
            and isinstance(message, str)):
        raise TypeError("not a finding")
    return Finding(path=path, line=line, code=code, severity=severity, message=message)
