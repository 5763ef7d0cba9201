"""A compact local index of the Annuaire Santé, for checking members (`coop annuaire indexer`).

The source is the public extraction of the Annuaire Santé (ANS), « Extraction des
professionnels de santé », file `PS_LibreAcces_Personne_activite_<date>.txt`:
UTF-8 text, one header row, fields separated by `|` and never quoted (a line may
end with a `|`), one line per activity, so a professional appears on several lines.
Columns are found by their header name, so columns added or moved by a new version
of the extraction do no harm; those read (`COLUMNS`) must be there.

`Type d'identifiant PP` is 8 for an RPPS number (11 digits) and 0 for an ADELI
number (9 digits), given in `Identifiant PP`. The index keeps, per number, the
profession (`Code profession`, nomenclature TRE_G15, and its label) and the
names folded (`fold`: accents, case, hyphens and apostrophes), never spelled:
enough to compare, nothing more of a person. It is one sqlite file, written
through a temporary file and renamed, in the cache folder by default.
"""

from __future__ import annotations

import datetime
import os
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO

from .cache import cache_folder
from .errors import CoopError
from .paths import refuse_symlinks

FORMAT = "coop-annuaire-1"  # a new layout of the index gets a new name
INDEX_NAME = "annuaire.sqlite"
COLUMNS = {  # our name: the extraction's header
    "kind": "Type d'identifiant PP",
    "number": "Identifiant PP",
    "last": "Nom d'exercice",
    "first": "Prénom d'exercice",
    "code": "Code profession",
    "label": "Libellé profession",
}
KINDS = {"8": "rpps", "0": "adeli"}
NUMBER = {"rpps": re.compile(r"[0-9]{11}"), "adeli": re.compile(r"[0-9]{9}")}
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
_NOT_LETTERS = re.compile(r"[^0-9a-z]+")
_BATCH = 20_000
_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE person (kind TEXT NOT NULL, number TEXT NOT NULL,
                     last TEXT NOT NULL, first TEXT NOT NULL,
                     code TEXT NOT NULL, label TEXT NOT NULL,
                     PRIMARY KEY (kind, number, last, first, code)) WITHOUT ROWID;
"""


def fold(name: str) -> str:
    """A name as compared: accents and case dropped, ligatures spelled out, any run of
    hyphens, apostrophes, spaces or other signs as one space
    (« Lefèvre-Dupré » = « LEFEVRE DUPRE »)."""
    return _folded_name(name) if len(name) <= _REMEMBERED_LENGTH else _fold(name)


_REMEMBERED_LENGTH = 100  # a name; a longer text is not remembered (a long run's memory)


@lru_cache(maxsize=1 << 16)  # names repeat: one line per activity, and first names are shared
def _folded_name(name: str) -> str:
    return _fold(name)


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.translate(_LIGATURES))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return _NOT_LETTERS.sub(" ", bare).strip()


@dataclass(frozen=True)
class Person:
    """What the index knows of a number: folded names and one profession."""

    last: str
    first: str
    code: str  # TRE_G15
    label: str


@dataclass(frozen=True)
class Summary:
    path: Path
    rpps: int
    adeli: int
    lines: int


def default_index(root: Path) -> Path:
    folder = cache_folder(root)
    if folder is None:
        raise CoopError(
            "Le dossier de cache est dans le registre : indiquez où écrire l'index avec --index."
        )
    return folder / INDEX_NAME


def build_index(extraction: Path, index: Path) -> Summary:
    """Read the extraction once and write the index at `index` (replaced whole, never
    half written)."""
    target = Path(os.path.abspath(index))
    refuse_symlinks(target.parent, [target])
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    os.close(handle)
    try:
        lines = _fill(extraction, Path(temporary))
        os.replace(temporary, target)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
    with closing(open_index(target)) as directory:
        return Summary(target, directory.count("rpps"), directory.count("adeli"), lines)


def _fill(extraction: Path, database: Path) -> int:
    with _open_text(extraction) as stream, closing(sqlite3.connect(database)) as connection:
        connection.executescript(_TABLES)
        lines = 0
        rows = _rows(stream, extraction)
        while batch := _take(rows, _BATCH):
            connection.executemany("INSERT OR IGNORE INTO person VALUES (?, ?, ?, ?, ?, ?)", batch)
            lines += len(batch)
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [
                ("format", FORMAT),
                ("source", extraction.name),
                ("built", datetime.date.today().isoformat()),
            ],
        )
        connection.commit()
        connection.execute("VACUUM")
    return lines


def _open_text(extraction: Path) -> IO[str]:
    try:
        return extraction.open(encoding="utf-8-sig", newline="")
    except OSError as err:
        raise CoopError(
            f"L'extraction « {extraction} » ne peut pas être lue ({err.strerror})."
        ) from None


def _take(rows: Iterator[tuple[str, ...]], count: int) -> list[tuple[str, ...]]:
    return [row for _, row in zip(range(count), rows, strict=False)]


def _rows(stream: IO[str], extraction: Path) -> Iterator[tuple[str, ...]]:
    try:
        header = stream.readline().rstrip("\r\n").split("|")
        where = _positions(header, extraction)
        for line in stream:
            row = _row(line.rstrip("\r\n").split("|"), where)
            if row is not None:
                yield row
    except UnicodeDecodeError:
        raise CoopError(
            f"L'extraction « {extraction} » n'est pas en UTF-8 : téléchargez le fichier officiel "
            "sans le convertir."
        ) from None


def _positions(header: list[str], extraction: Path) -> dict[str, int]:
    names = [name.strip() for name in header]
    missing = [column for column in COLUMNS.values() if column not in names]
    if missing:
        raise CoopError(
            f"« {extraction} » n'est pas l'extraction « Personne activité » de l'Annuaire Santé "
            f"(fichier PS_LibreAcces_Personne_activite, séparateur `|`) : colonnes absentes : "
            + ", ".join(f"« {column} »" for column in missing)
            + "."
        )
    return {key: names.index(column) for key, column in COLUMNS.items()}


def _row(fields: list[str], where: dict[str, int]) -> tuple[str, ...] | None:
    if len(fields) <= max(where.values()):
        return None
    kind = KINDS.get(fields[where["kind"]].strip())
    number = fields[where["number"]].strip()
    if kind is None or not NUMBER[kind].fullmatch(number):
        return None
    return (
        kind,
        number,
        fold(fields[where["last"]]),
        fold(fields[where["first"]]),
        fields[where["code"]].strip(),
        fields[where["label"]].strip(),
    )


class Directory:
    """An index opened read-only: who holds a number."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._connection = _connect_read_only(path)

    def people(self, kind: str, number: str) -> list[Person]:
        rows = self._connection.execute(
            "SELECT last, first, code, label FROM person WHERE kind = ? AND number = ?",
            (kind, number),
        )
        return [Person(*row) for row in rows]

    def count(self, kind: str) -> int:
        query = "SELECT COUNT(DISTINCT number) FROM person WHERE kind = ?"
        return int(self._connection.execute(query, (kind,)).fetchone()[0])

    def meta(self) -> dict[str, str]:
        return dict(self._connection.execute("SELECT key, value FROM meta"))

    def close(self) -> None:
        self._connection.close()


def open_index(path: Path) -> Directory:
    """The index at `path`; a French error when it is missing or is not an index of this format."""
    if not path.is_file():
        raise CoopError(
            f"L'index de l'Annuaire santé « {path} » est introuvable : construisez-le avec "
            "`coop annuaire indexer EXTRACTION --index FICHIER`."
        )
    directory = Directory(path)
    try:
        format_ = directory.meta().get("format")
    except sqlite3.DatabaseError:
        format_ = None
    if format_ != FORMAT:
        directory.close()
        raise CoopError(
            f"« {path} » n'est pas un index de l'Annuaire santé construit par cette version de "
            "`coop annuaire indexer` : reconstruisez-le depuis l'extraction."
        )
    return directory


def _connect_read_only(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(f"{Path(os.path.abspath(path)).as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise CoopError(f"L'index « {path} » ne peut pas être ouvert ({err}).") from None
