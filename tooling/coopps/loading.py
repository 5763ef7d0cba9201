"""How the register is loaded fast: layers 1 and 2 of many files, on every core, through the
cache, with the garbage collector out of the way. Rule authors never need this module;
they read `register.py`, the model the rules ask.

- `load_layers` gives each file's layers (data, line map, reading and schema findings):
  from the content-addressed cache (`cache.py`) when the same bytes were seen, otherwise
  parsed, in worker processes above `PARALLEL_FROM` files (forked: the schemas are
  shared), each worker encoding its rows so the parent decodes them as a warm run does;
- the collector is disabled during a load (millions of new containers, no cycle) and the
  result frozen;
- texts and key paths are made one shared object each (`_compact`, `sys.intern`);
- jsonschema-rs is a gate: a valid document costs microseconds; only an invalid one goes
  through `jsonschema` for the French findings (`schema.py`), and a disagreement between
  the two is a finding, never a silent pass.

docs/developpeurs/performances.md measures it (`bench/run.py`).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .cache import Cache, Layers, content_id, decode_layers, encode_layers, version_key
from .findings import Finding, found
from .paths import YAML_SUFFIX, DataPath, read_regular
from .rawtext import raw_text_findings
from .reading import MAX_BYTES, read_bytes
from .schema import Schemas
from .stage_checks import SCHEMA_MISMATCH


def available_cores() -> int:
    """The cores this process may run on (a CI container may allow fewer than the machine has)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


PARALLEL_FROM = 1500  # files to parse; below, starting worker processes costs more than it saves
CHUNK = 250


def load_layers(
    root: Path, wheres: list[DataPath], schemas: Schemas, *, cache: bool = True
) -> dict[str, Layers]:
    """Layers 1 and 2 of every file of `wheres` that layer 1 may open (`_parseable`): cached files
    are taken from the cache, the others parsed and schema-checked (on every core when there are
    many). A file left out (a symlink, a pipe, not `.yml`, too big) is read by the caller, which
    refuses it (`reading.read_file`)."""
    enabled = gc.isenabled()
    gc.disable()  # millions of new containers, no cycle among them: collecting would only slow the load
    try:
        return _load_layers(root, wheres, schemas, cache)
    finally:
        gc.freeze()  # and never traverse them later (they are still freed when no longer used)
        if enabled:
            gc.enable()


def _load_layers(
    root: Path, wheres: list[DataPath], schemas: Schemas, cache: bool
) -> dict[str, Layers]:
    store = Cache.open(root, version_key(schemas.fingerprint)) if cache else None
    todo = [where for where in wheres if _parseable(root, where.path)]
    layers: dict[str, Layers] = {}
    if store and store.stored:  # without a cache, the workers read and hash the files themselves
        todo = [where for where in todo if not _cached(root, where, store, layers)]
    for rel, key, computed, text in _compute(
        root, [(where.path, where.kind) for where in todo], schemas, store
    ):
        layers[rel] = computed
        if store:
            store.put(key, computed, text)
    if store:
        store.save()
    return layers


def _parseable(root: Path, rel: str) -> bool:
    """False for what layer 1 refuses unread: a symlink, a pipe or a device, a file that is not `.yml`,
    a file too big."""
    try:
        status = (root / rel).lstat()
    except OSError:
        return False
    return (
        stat.S_ISREG(status.st_mode) and rel.endswith(YAML_SUFFIX) and status.st_size <= MAX_BYTES
    )


def _cached(root: Path, where: DataPath, store: Cache, layers: dict[str, Layers]) -> bool:
    found = store.get(cache_key(where.kind, read_regular(root / where.path)))
    if found is not None:
        layers[where.path] = found
    return found is not None


def cache_key(kind: str, raw: bytes) -> str:
    return f"{kind}:{content_id(raw)}"


Computed = tuple[
    str, str, Layers, str | None
]  # path, cache key, layers, their JSON (when a worker encoded it)


def _compute(
    root: Path, files: list[tuple[str, str]], schemas: Schemas, store: Cache | None
) -> Iterator[Computed]:
    workers = min(available_cores(), 8)
    if len(files) < PARALLEL_FROM or workers < 2:
        yield from (_compute_one(root, rel, kind, schemas) for rel, kind in files)
        return
    from concurrent.futures import ProcessPoolExecutor

    # fork where available: workers start in milliseconds with the schemas already loaded
    context = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    )
    chunks = [files[start : start + CHUNK] for start in range(0, len(files), CHUNK)]
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_start_worker, initargs=(root, schemas)
    ) as pool:
        for chunk, done in zip(chunks, pool.map(_compute_chunk, chunks), strict=True):
            for (rel, kind), (key, text) in zip(chunk, done, strict=True):
                layers = decode_layers(text) or compute_layers(
                    rel, kind, read_regular(root / rel), schemas
                )
                yield rel, key, layers, text


_WORKER: dict[str, Any] = {}


def _start_worker(root: Path, schemas: Schemas) -> None:
    """The rules the parent judges by (the base's, for a pull request), never re-read from the work tree."""
    _WORKER["root"], _WORKER["schemas"] = root, schemas


def _compute_chunk(files: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Key and cache row of each file, encoded here on every core. The parent decodes the rows as a
    warm run does (the line maps stay unbuilt until asked for): one format, and half the bytes of
    the layers and their row through the pipe."""
    done = [
        _compute_one(_WORKER["root"], rel, kind, _WORKER["schemas"], shared=False)
        for rel, kind in files
    ]
    return [(key, encode_layers(layers)) for _, key, layers, _ in done]


def _compute_one(
    root: Path, rel: str, kind: str, schemas: Schemas, *, shared: bool = True
) -> Computed:
    raw = read_regular(root / rel)
    return rel, cache_key(kind, raw), compute_layers(rel, kind, raw, schemas, shared=shared), None


def compute_layers(
    rel: str, kind: str, raw: bytes, schemas: Schemas, *, shared: bool = True
) -> Layers:
    """Read one file (layer 1) and check it against its kind's schema (layer 2).

    `shared`: texts and key paths made one shared object each (`_compact`), for layers this process
    keeps; a worker that only encodes its layers as a cache row skips it (the parent decodes fresh
    objects from the row: sharing them in the worker saved nothing and cost an eighth of its time)."""
    doc = read_bytes(rel, raw)
    doc.findings.extend(raw_text_findings(rel, raw, parsed=doc.data is not None))
    schema_findings: list[Finding] = []
    # Every readable file meets its schema, whatever its shape: the register rules then see only
    # documents the schema accepted (`Entry.valid`), never a scalar or an empty document.
    checked = doc.readable and kind in schemas.documents and kind != "referentiels"
    if checked and not _fast_validators(schemas)[kind](doc.data):
        schema_findings = schemas.check(kind, doc) or [_disagreement(rel)]
    if not shared:
        return doc.data, doc.lines, doc.findings, schema_findings
    return (
        _compact(doc.data),
        {_canonical(where): line for where, line in doc.lines.items()},
        doc.findings,
        schema_findings,
    )


def _disagreement(rel: str) -> Finding:
    """jsonschema-rs refused what jsonschema accepts: never let the file through unexplained."""
    return found(SCHEMA_MISMATCH, rel, 1, (), {"variante": "moteur"})


def _fast_validators(schemas: Schemas) -> dict[str, Callable[[Any], bool]]:
    """Compiled (jsonschema-rs) validity tests, built once: a valid document, the usual case,
    costs microseconds; only an invalid one goes through `jsonschema` for the French findings.
    Without jsonschema-rs, every document goes through `jsonschema`."""
    found = _FAST.get(id(schemas))
    if found is None or found[0] is not schemas:
        found = _FAST[id(schemas)] = (schemas, _build_fast(schemas))
        while len(_FAST) > _FAST_KEPT:  # a long process (site server, fuzzing) builds many
            del _FAST[next(iter(_FAST))]
    return found[1]


_FAST: dict[int, tuple[Schemas, dict[str, Callable[[Any], bool]]]] = {}
_FAST_KEPT = 2  # one run reads the work tree's schemas and, with --base, the base's


def _build_fast(schemas: Schemas) -> dict[str, Callable[[Any], bool]]:
    kinds = [kind for kind in schemas.documents if kind != "referentiels"]
    try:
        import jsonschema_rs
    except ImportError:
        return {kind: lambda data: False for kind in kinds}
    registry = jsonschema_rs.Registry(
        [(doc["$id"], doc) for doc in schemas.documents.values() if "$id" in doc]
    )
    validators = {
        kind: jsonschema_rs.validator_for(
            schemas.documents[kind],
            registry=registry,
            validate_formats=True,
            pattern_options=jsonschema_rs.RegexOptions(),
        )  # linear time
        for kind in kinds
    }
    return {kind: validator.is_valid for kind, validator in validators.items()}


_CANONICAL: dict[Any, Any] = {}
_CANONICAL_KEPT = 1 << 20


def _canonical(value: Any) -> Any:
    """One shared object per distinct key path or short text: 50,000 files repeat the same ones."""
    if len(_CANONICAL) > _CANONICAL_KEPT:  # a long process meets ever new texts
        _CANONICAL.clear()
    return _CANONICAL.setdefault(value, value)


def _compact(value: Any) -> Any:
    if isinstance(value, dict):
        return {sys.intern(key): _compact(child) for key, child in value.items()}
    if isinstance(value, list):
        return [_compact(child) for child in value]
    if isinstance(value, str) and len(value) <= 40:
        return _canonical(value)
    return value
