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
from collections.abc import Iterator, Mapping
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

from . import __version__
from .findings import Finding

PACKAGE = Path(__file__).parent
# The rows store what register.py and this module compute through everything they import,
# at the top or inside functions. The architecture bounds that closure (tests/test_architecture.py):
# the pipeline imports the pipeline and two gitops/ modules, and gitops/ imports only the pipeline
# and gitops/. So every module but those of the families below is hashed, and a new reading module
# is covered the day it is written. Deriving the exact closure would parse some fifteen modules on
# every run (tens of milliseconds); hashing the bound reads some forty small files (270 kB) and, at
# worst, rebuilds the cache once after a change to a module the cached layers do not run (a rule).
_NOT_IMPORTED_BY_THE_PIPELINE = frozenset({"authoring", "cli", "site", "stats"})
_SEVERITIES = ("error", "warning")

# data, line map, reading findings, schema findings (each finding carries the path it was read at)
Layers = tuple[Any, Mapping[tuple[str | int, ...], int], list[Finding], list[Finding]]


def content_id(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def version_key(rules_fingerprint: str, package: Path = PACKAGE) -> str:
    """Changes when a schema, a referential, the tooling's version or the reading/checking code changes."""
    digest = hashlib.sha256(__version__.encode() + b"\0" + rules_fingerprint.encode())
    for path in code_files(package):
        digest.update(
            b"\0" + path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes()
        )
    return digest.hexdigest()[:24]


def code_files(package: Path = PACKAGE) -> list[Path]:
    """The package's modules that the cached layers may run (see _NOT_IMPORTED_BY_THE_PIPELINE)."""
    found: list[Path] = []
    for folder, subfolders, names in os.walk(package):
        if folder == str(package):
            subfolders[:] = [
                name for name in subfolders if name not in _NOT_IMPORTED_BY_THE_PIPELINE
            ]
        found += (Path(folder, name) for name in names if name.endswith(".py"))
    return sorted(found)


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
                db.execute(
                    "CREATE TABLE IF NOT EXISTS layers (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
                )
                db.execute("BEGIN IMMEDIATE")
                db.executemany(
                    "INSERT OR REPLACE INTO layers (key, value) VALUES (?, ?)", self.new.items()
                )
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

JsonPath = tuple[str | int, ...]


def encode_layers(layers: Layers) -> str:
    """One row: data, the line numbers, the key paths (null when they are the data's own paths in
    document order, the usual case: see `LineMap`), the findings as lists."""
    data, lines, reading, schema = layers
    paths = list(lines)
    explicit = None if paths == _read_data_paths(data) else paths
    return json.dumps(
        [
            data,
            list(lines.values()),
            explicit,
            [_finding_row(f) for f in reading],
            [_finding_row(f) for f in schema],
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _finding_row(finding: Finding) -> list[Any]:
    return [
        finding.path,
        finding.line,
        finding.code,
        finding.severity,
        finding.message,
        list(finding.key),
        dict(finding.params),
    ]


def decode_layers(text: str) -> Layers | None:
    """The layers a row holds, or None when it is not exactly what `encode_layers` writes."""
    try:
        data, numbers, explicit, reading, schema = json.loads(text)
        if not set(map(type, numbers)) <= {int} or not (
            explicit is None or isinstance(explicit, list)
        ):
            return None
        paths = None if explicit is None else [tuple(path) for path in explicit]
        return (
            data,
            LineMap(data, numbers, paths),
            [_finding(row) for row in reading],
            [_finding(row) for row in schema],
        )
    except (ValueError, TypeError):
        return None


def _finding(row: Any) -> Finding:
    path, line, code, severity, message, key, params = row
    if not (
        isinstance(path, str)
        and type(line) is int
        and isinstance(code, str)
        and severity in _SEVERITIES
        and isinstance(message, str)
        and _is_key(key)
        and isinstance(params, dict)
    ):
        raise TypeError("not a finding")
    return Finding(
        path=path,
        line=line,
        code=code,
        severity=severity,
        message=message,
        key=tuple(key),
        params=params,
    )


def _is_key(key: Any) -> bool:
    return isinstance(key, list) and all(type(part) in (str, int) for part in key)


def data_paths(data: Any) -> list[JsonPath]:
    """`()` and the path of every key and item of `data`, in document order: the keys of the line map
    that layer 1 builds (one line per key and item it keeps, in the order it reads them)."""
    paths: list[JsonPath] = []
    stack: list[tuple[JsonPath, Any]] = [((), data)]
    while stack:  # a stack, not recursion: a row from disk may nest deeper than the reader allows
        where, value = stack.pop()
        paths.append(where)
        if isinstance(value, dict):
            stack.extend(((*where, key), child) for key, child in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*where, index), value[index]) for index in reversed(range(len(value))))
    return paths


def _read_data_paths(data: Any) -> list[JsonPath]:
    """`data_paths` of data the reader built (at most `MAX_DEPTH` levels): a recursive walk, twice as
    fast as the stack that rows from disk need; the stack only if the data is deeper after all."""
    paths: list[JsonPath] = []
    try:
        _walk_paths((), data, paths)
    except RecursionError:
        return data_paths(data)
    return paths


def _walk_paths(where: JsonPath, value: Any, paths: list[JsonPath]) -> None:
    paths.append(where)
    if (
        type(value) is dict
    ):  # the reader's own containers; anything else only makes the row store its paths
        for key, child in value.items():
            _walk_paths((*where, key), child, paths)
    elif type(value) is list:
        for index, child in enumerate(value):
            _walk_paths((*where, index), child, paths)


class LineMap(Mapping[JsonPath, int]):
    """A cached file's line map, built the first time a line is asked for.

    A full run asks for the lines of the files that have a finding only: building the map of every
    file (150 entries for a 120-line adhesion, 7 million for 50,000) cost a third of a warm run. The
    row stores the line numbers in document order and, only when they differ from the data's own paths
    (a file that could not be read), the paths themselves; `encode_layers` checks which. A row whose
    numbers do not fit its data (a damaged row) gives lines that fall back to an ancestor's, never an error."""

    __slots__ = ("_built", "_data", "_numbers", "_paths")

    def __init__(self, data: Any, numbers: list[int], paths: list[JsonPath] | None = None) -> None:
        self._data, self._numbers, self._paths = data, numbers, paths
        self._built: dict[JsonPath, int] | None = None

    def _lines(self) -> dict[JsonPath, int]:
        if self._built is None:
            paths = self._paths if self._paths is not None else data_paths(self._data)
            self._built = dict(zip(paths, self._numbers, strict=False))  # a damaged row: see above
        return self._built

    def __getitem__(self, where: JsonPath) -> int:
        return self._lines()[where]

    def __contains__(self, where: object) -> bool:
        return where in self._lines()

    def get(self, where: JsonPath, default: Any = None) -> Any:
        return self._lines().get(where, default)

    def __iter__(self) -> Iterator[JsonPath]:
        return iter(self._lines())

    def __len__(self) -> int:
        return len(self._lines())
