"""The one index: which adhesion files name a member's number (RPPS or ADELI).

The spelling rule (`rpps-orthographe`) compares a member's name with every
other adhesion naming the same number. A full check has the whole register in
memory; the check of a pull request or of a few files must find those few
files among 50,000 without reading them all. The index keeps rows
(number, path) for the adhesion files of one commit in `identifiants-v2.sqlite`,
beside the layers cache and like it outside the register (`cache.cache_folder`):
a pull request cannot bring one, and the rows are plain data built from git's
own objects for the commit they name.
It is brought to another commit by reading only the blobs that `git diff`
lists between the two (a new clone builds it once from the commit's blobs);
the files that differ between that commit and the work tree are read from disk.

Numbers are found in the text, not in parsed data: the digits written after a
`rpps:` or `adeli:` key, quoted or not, on the same line or the next. The answer
is a superset the caller then reads and checks with the real rules. A number
written with YAML escapes (`"\\x31…"`) is not seen, so a full check could warn
where a targeted one stays silent. An index that cannot be read or written is
rebuilt or bypassed by reading the files: it only ever saves time.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from functools import partial
from pathlib import Path

from .cache import cache_folder, connect
from .errors import CoopError
from .gitops import git as gitrepo
from .paths import ADHESIONS_DIR, YAML_SUFFIX, iter_data_files
from .reading import MAX_BYTES

INDEX_NAME = "identifiants-v2.sqlite"  # a new extraction rule or place gets a new file name
# One pattern per key: a literal start lets `re` skip ahead (four times faster than an alternation).
_NUMBERS = [re.compile(key + rb"""["']?\s*:\s*["']?([0-9]+)""") for key in (b"rpps", b"adeli")]
_BLOBS_PER_READ = 2000
_TABLES = """
CREATE TABLE IF NOT EXISTS indexed (commit_sha TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS names (number TEXT NOT NULL, path TEXT NOT NULL);
"""
_INDEXES = {  # dropped for a whole rebuild: building them after the rows is three times faster
    "names_by_number": "CREATE INDEX IF NOT EXISTS names_by_number ON names (number)",
    "names_by_path": "CREATE INDEX IF NOT EXISTS names_by_path ON names (path)",
}


def numbers_in(raw: bytes) -> set[str]:
    """The RPPS and ADELI numbers a file's text names."""
    return {number.decode() for pattern in _NUMBERS for number in pattern.findall(raw)}


def adhesions_naming(
    root: Path, numbers: set[str], snapshot: gitrepo.PullRequest | None = None
) -> set[str]:
    """Adhesion files of the work tree that name one of `numbers`.

    `snapshot` is the work tree seen as a commit plus changes (a pull request's base
    and changes); by default HEAD and the uncommitted changes. Outside git, every
    adhesion file is read."""
    if not numbers:
        return set()
    try:
        snapshot = snapshot or gitrepo.work_tree_changes(root)
        if snapshot is not None:
            return _from_index(root, snapshot, numbers)
    except (sqlite3.Error, OSError, CoopError):
        pass  # the index only saves time: read every file instead
    return _read_and_match(root, _adhesion_files(root), numbers)


def _from_index(root: Path, snapshot: gitrepo.PullRequest, numbers: set[str]) -> set[str]:
    """The indexed files of the snapshot's commit, except those it changes, which are read."""
    indexed = _indexed_paths(root, snapshot.base_sha, numbers)
    touched = {change.path for change in snapshot.changes} | {
        c.old_path for c in snapshot.changes if c.old_path
    }
    present = [
        change.path
        for change in snapshot.changes
        if change.status != "D" and _is_adhesion_file(change.path)
    ]
    return (indexed - touched) | _read_and_match(root, present, numbers)


def _is_adhesion_file(rel: str) -> bool:
    return rel.startswith(ADHESIONS_DIR + "/") and rel.endswith(YAML_SUFFIX)


def _adhesion_files(root: Path) -> list[str]:
    return [rel for rel in iter_data_files(root) if _is_adhesion_file(rel)]


def _read_and_match(root: Path, rels: Iterable[str], numbers: set[str]) -> set[str]:
    """The files among `rels` that name one of `numbers` (symlinks and oversized files are skipped)."""
    found: set[str] = set()
    for rel in rels:
        try:
            status = (root / rel).lstat()
            if not stat.S_ISREG(status.st_mode) or status.st_size > MAX_BYTES:
                continue
            if numbers_in((root / rel).read_bytes()) & numbers:
                found.add(rel)
        except OSError:
            continue
    return found


# The index file --------------------------------------------------------------------------------------


def index_file(root: Path) -> Path | None:
    """Where the index of this register lives; None when the cache folder would be inside it."""
    folder = cache_folder(root)
    return folder / INDEX_NAME if folder else None


def _indexed_paths(root: Path, commit: str, numbers: set[str]) -> set[str]:
    """Adhesion files naming `numbers` at `commit`, the index first brought to that commit.

    A damaged index file is deleted and built again (it is ours, outside the register)."""
    path = index_file(root)
    if path is None:
        raise OSError("cache folder inside the register: not used")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return _query(path, root, commit, numbers)
    except sqlite3.OperationalError:  # locked, read-only: not damaged
        raise
    except sqlite3.DatabaseError:
        path.unlink(missing_ok=True)
        return _query(path, root, commit, numbers)


def _query(path: Path, root: Path, commit: str, numbers: set[str]) -> set[str]:
    with closing(connect(path)) as db:
        db.executescript(_TABLES)
        if _indexed_commit(db) != commit:
            _bring_to(db, root, commit)
        listed = sorted(numbers)
        found: set[str] = set()
        for start in range(0, len(listed), 500):
            part = listed[start : start + 500]
            rows = db.execute(
                f"SELECT path FROM names WHERE number IN ({','.join('?' * len(part))})", part
            )
            found.update(row[0] for row in rows)
        return found


def _indexed_commit(db: sqlite3.Connection) -> str | None:
    row = db.execute("SELECT commit_sha FROM indexed").fetchone()
    return row[0] if row else None


def _bring_to(db: sqlite3.Connection, root: Path, commit: str) -> None:
    """Update the rows from the indexed commit to `commit`, in one transaction taken with
    the write lock (a concurrent run waits, then finds the work done)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        current = _indexed_commit(db)
        if current != commit:
            removed, added = _difference(root, current, commit)
            if removed is None:
                for name in _INDEXES:
                    db.execute(f"DROP INDEX IF EXISTS {name}")
                db.execute("DELETE FROM names")
            else:
                db.executemany("DELETE FROM names WHERE path = ?", ((rel,) for rel in removed))
            db.executemany("INSERT INTO names (number, path) VALUES (?, ?)", _names(root, added))
            for statement in _INDEXES.values():
                db.execute(statement)
            db.execute("DELETE FROM indexed")
            db.execute("INSERT INTO indexed (commit_sha) VALUES (?)", (commit,))
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _difference(
    root: Path, current: str | None, commit: str
) -> tuple[list[str] | None, dict[str, str]]:
    """Paths whose rows go (None: all of them) and path → blob of the files to read."""
    if current is not None:
        try:
            changes = gitrepo.blob_changes(root, current, commit, ADHESIONS_DIR)
        except CoopError:  # the indexed commit is gone (history rewritten): start again
            pass
        else:
            return [c.path for c in changes], {c.path: c.new_blob for c in changes if c.new_blob}
    return None, gitrepo.tree_blobs(root, commit, ADHESIONS_DIR)


def _names(root: Path, blobs: dict[str, str]) -> list[tuple[str, str]]:
    """(number, path) rows of these files, read from git in batches, one batch per core (four at most)."""
    files = [(rel, blob) for rel, blob in sorted(blobs.items()) if _is_adhesion_file(rel)]
    batches = [
        files[start : start + _BLOBS_PER_READ] for start in range(0, len(files), _BLOBS_PER_READ)
    ]
    if len(batches) < 2:
        return [row for batch in batches for row in _names_in_batch(root, batch)]
    with ThreadPoolExecutor(min(len(batches), os.cpu_count() or 1, 4)) as pool:
        return [row for rows in pool.map(partial(_names_in_batch, root), batches) for row in rows]


def _names_in_batch(root: Path, batch: list[tuple[str, str]]) -> list[tuple[str, str]]:
    contents = gitrepo.read_blobs(root, [blob for _, blob in batch])
    return [
        (number, rel) for rel, blob in batch for number in sorted(numbers_in(contents[blob] or b""))
    ]
