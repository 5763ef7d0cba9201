"""The one cache: layers 1 and 2 of each file, addressed by its content.

A file's key is its git blob id (sha1 of `blob <size>\\0<bytes>`) and its kind,
so an unchanged file is neither parsed nor schema-checked again, wherever it
moved. The whole cache lives in one pickle under `.cache/coop/` in the
register's root (gitignored), named by a version key that hashes the schemas
and the modules whose output it stores: editing either starts a new cache and
the old one is deleted. Register rules (layer 3) are never cached: they cross
files and are recomputed from the cached data.

A cache that cannot be read or written is ignored: it only ever saves time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from . import __version__

CACHE_DIR = Path(".cache") / "coop"
_CODE = ("reading.py", "schema.py", "catalogue.py", "findings.py", "paths.py", "cache.py")

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
    def __init__(self, root: Path, version: str) -> None:
        self.folder = root / CACHE_DIR
        self.file = self.folder / f"couches-{version}.pickle"
        self.stored: dict[str, Layers] = {}
        self.used: dict[str, Layers] = {}
        self.added = 0

    @classmethod
    def open(cls, root: Path, version: str) -> Cache:
        cache = cls(root, version)
        try:
            with cache.file.open("rb") as stream:
                stored = pickle.load(stream)
            cache.stored = stored if isinstance(stored, dict) else {}
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            cache.stored = {}
        return cache

    def get(self, key: str) -> Layers | None:
        found = self.stored.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: str, layers: Layers) -> None:
        self.used[key] = layers
        self.added += 1

    def save(self) -> None:
        """Keep exactly what this run used; write only when that differs from what was stored."""
        if not self.added and len(self.used) == len(self.stored):
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as stream:
                pickle.dump(self.used, stream, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.file)
            for old in self.folder.glob("couches-*.pickle"):
                if old != self.file:
                    old.unlink(missing_ok=True)
        except OSError:
            return
