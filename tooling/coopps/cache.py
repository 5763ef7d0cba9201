"""The one cache: layers 1 and 2 of each file, addressed by its content.

A file's key is its git blob id (sha1 of `blob <size>\\0<bytes>`) and its kind,
so an unchanged file is neither parsed nor schema-checked again, wherever it
moved. The whole cache lives in one pickle under `.cache/coop/` in the
register's root (gitignored), named by a version key that hashes the schemas
and the modules whose output it stores: editing either starts a new cache and
the old one is deleted. Register rules (layer 3) are never cached: they cross
files and are recomputed from the cached data.

A cache that cannot be read or written is ignored: it only ever saves time
(a record cut short by an interrupted run ends the reading; what came before is kept).
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = Path(".cache") / "coop"
_CODE = (
    "reading.py", "textguards.py", "personal.py", "schema.py", "catalogue.py", "findings.py", "paths.py", "cache.py",
    "register.py",
)

# data, line map, reading findings, schema findings (each finding carries the path it was read at)
Layers = tuple[Any, dict[tuple[str | int, ...], int], list[Any], list[Any]]


def blob_id(raw: bytes) -> str:
    """The id git gives these bytes (`git hash-object`)."""
    return hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()


def version_key(schemas_folder: Path) -> str:
    """Changes when a schema, a referential or the reading/checking code changes."""
    digest = hashlib.sha1(__version__.encode())
    for path in sorted(schemas_folder.glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    package = Path(__file__).parent
    for name in _CODE:
        digest.update((package / name).read_bytes())
    return digest.hexdigest()[:16]


class Cache:
    """An append-only file of pickled {key: layers} records; later records win.

    Worker processes pickle their results once: the same bytes travel to the parent
    and are appended here as they are, so a cold run does not pickle twice. The file
    is rewritten with only the entries in use when more than a quarter is stale."""

    def __init__(self, root: Path, version: str) -> None:
        self.folder = root / CACHE_DIR
        self.file = self.folder / f"couches-{version}.pickle"
        self.stored: dict[str, Layers] = {}
        self.used: dict[str, Layers] = {}
        self.records: list[bytes] = []  # pickled records computed by this run, to append
        self.loose: dict[str, Layers] = {}  # entries computed by this run outside a record
        self.damaged = False

    @classmethod
    def open(cls, root: Path, version: str) -> Cache:
        cache = cls(root, version)
        try:
            stream = io.BytesIO(cache.file.read_bytes())
        except OSError:
            return cache
        try:
            while stream.tell() < len(stream.getbuffer()):
                record = pickle.load(stream)
                cache.stored.update(record if isinstance(record, dict) else {})
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError, IndexError):
            cache.damaged = True  # keep what was read; the next save rewrites the file
        return cache

    def get(self, key: str) -> Layers | None:
        found = self.stored.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def add_record(self, record: bytes, entries: dict[str, Layers]) -> None:
        self.records.append(record)
        self.used.update(entries)

    def put(self, key: str, layers: Layers) -> None:
        if key not in self.used:
            self.loose[key] = layers
        self.used[key] = layers

    def save(self) -> None:
        """Append what this run computed; rewrite when more than a quarter of the file is stale."""
        stale = len(self.stored.keys() - self.used.keys())
        rewrite = self.damaged or stale * 4 > len(self.stored)
        if not rewrite and not self.records and not self.loose:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if rewrite:
                self._rewrite()
            else:
                with self.file.open("ab") as stream:
                    self._write_new(stream)
            for old in self.folder.glob("couches-*.pickle"):
                if old != self.file:
                    old.unlink(missing_ok=True)
        except OSError:
            return

    def _rewrite(self) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(handle, "wb") as stream:
            kept = {key: self.used[key] for key in self.used.keys() & self.stored.keys()}
            if kept:
                pickle.dump(kept, stream, protocol=pickle.HIGHEST_PROTOCOL)
            self._write_new(stream)
        os.replace(temporary, self.file)

    def _write_new(self, stream: Any) -> None:
        for record in self.records:
            stream.write(record)
        if self.loose:
            pickle.dump(self.loose, stream, protocol=pickle.HIGHEST_PROTOCOL)
