"""`coop formater`: one canonical form for every data file, comments kept.

The *values* always come from `coopps.reading` (the strict reader that the
validator trusts); ruamel.yaml's round-trip tree only lends its comments and
its block-literal styles. Each file is then written with keys in the schema's
`properties` order, identifiers double-quoted, dates plain `YYYY-MM-DD`,
2-space indentation and block-style lists, under the `$schema` first line.

A file that does not read cleanly (duplicate keys, anchors, bad YAML…) is
refused and left untouched; values that reading flags as ambiguous
(`code_postal: 01000`) are the one fix fmt makes, by quoting them as the text
they are read as. Before anything is written, the new text is read back and
must give the same data: fmt never destroys data.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import refused
from ..paths import (
    YAML_SUFFIX,
    SpecialFile,
    classify,
    iter_data_files,
    read_regular,
    register_relative,
    write_atomically,
)
from ..reading import (
    _AMBIGUOUS_NUMBER,
    _BOOLS,
    _FLOAT,
    _INT,
    _NULLS,
    _YAML11_BOOLS,
    MAX_BYTES,
    SCHEMA_HEADER,
    read_bytes,
)
from ..schema import Schemas

SCHEMA_PATHS = {
    "protocole": "../schemas/protocole.schema.json",
    "adhesion": "../../../schemas/adhesion.schema.json",
    "suivi": "../../../schemas/suivi.schema.json",
}
IDENTIFIER_KEYS = frozenset(
    {
        "rpps",
        "adeli",
        "code_postal",
        "membre",
        "sha256",
        "region",
        "ancienne_region",
        "regions_application",
        "finess",
    }
)
FIXABLE_CODES = frozenset({"valeur-ambigue", "entete-schema"})
NOT_DATA = (
    "ce n'est pas un fichier de protocole ou d'adhésion (`.yml` sous `protocols/` ou `adhesions/`)."
)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_REF = "#/$defs/date"


class FormatRefused(Exception):
    """The file cannot be formatted safely; the message says why, in French."""


@dataclass(frozen=True)
class FileResult:
    path: str
    status: str  # "inchange", "reformate", "refuse"
    message: str = ""


def header(kind: str) -> str:
    return f"{SCHEMA_HEADER}{SCHEMA_PATHS[kind]}\n"


# --- public API ---------------------------------------------------------------------------------------------


def format_text(kind: str, text: str, schemas: Schemas, path: str = "") -> str:
    """The canonical text of one data file of `kind`; raises FormatRefused."""
    doc = read_bytes(path, text.encode("utf-8"))
    blocking = [f for f in doc.findings if f.severity == "error" and f.code not in FIXABLE_CODES]
    if blocking:
        first = blocking[0]
        raise FormatRefused(f"ligne {first.line} : {first.message}")
    if not isinstance(doc.data, dict):
        raise FormatRefused(
            "le fichier doit être un ensemble de clés (`cle: valeur`), pas une liste ni un texte seul."
        )
    tree = _round_trip_tree(_without_header(text))
    expected = promised_data(doc.data)
    result = _dump(kind, _canon(doc.data, tree, schemas.documents[kind], schemas, ()))
    _check_same_data(path, result, expected)
    return result


def format_data(kind: str, data: dict[str, Any], schemas: Schemas) -> str:
    """The canonical text of data built in memory (the wizard, `coop depuis-issue`)."""
    result = _dump(kind, _canon(data, None, schemas.documents[kind], schemas, ()))
    _check_same_data("", result, promised_data(data))
    return result


# --- reading the comments ----------------------------------------------------------------------------------


def _without_header(text: str) -> str:
    """`text` without its first line when that is the `$schema` header. The header may end with any
    line break the reader accepts (CR, NEL, U+2028…), not only a line feed."""
    text = text.removeprefix("\ufeff")
    first, *rest = text.splitlines(keepends=True) or [""]
    return "".join(rest) if first.startswith(SCHEMA_HEADER) else text


def _round_trip_tree(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        return YAML(typ="rt").load(text)
    except (YAMLError, NotImplementedError, ValueError, TypeError, RecursionError) as err:
        # read cleanly by coopps.reading, yet not by ruamel (which has its own gaps: comments that
        # overlap, some YAML test suite cases): refuse rather than guess
        raise FormatRefused(
            f"lecture des commentaires impossible ({type(err).__name__})."
        ) from None


# --- building the canonical tree ---------------------------------------------------------------------------


def _canon(
    value: Any, node: Any, schema: dict[str, Any], schemas: Schemas, where: tuple[str, ...]
) -> Any:
    if isinstance(value, dict):
        return _canon_map(value, node, schema, schemas, where)
    if isinstance(value, list):
        return _canon_seq(value, node, schema, schemas, where)
    return _scalar(value, node, schema, where)


def _canon_map(
    value: dict[str, Any],
    node: Any,
    schema: dict[str, Any],
    schemas: Schemas,
    where: tuple[str, ...],
) -> Any:
    from ruamel.yaml.comments import CommentedMap

    properties = _properties(schema, schemas)
    order = list(properties)
    keys = sorted(
        value, key=lambda k: (order.index(k) if k in order else len(order), list(value).index(k))
    )
    node_keys = _node_keys(value, node)
    result = CommentedMap()
    for key in keys:
        child = node[node_keys[key]] if node_keys.get(key) is not None else None
        result[_key(key)] = _canon(
            value[key], child, properties.get(key, {}), schemas, (*where, key)
        )
    if isinstance(node, CommentedMap):
        _move_comments(node, node_keys, list(value), keys, result, top=not where)
    result.fa.set_block_style()
    return result


def _canon_seq(
    value: list[Any], node: Any, schema: dict[str, Any], schemas: Schemas, where: tuple[str, ...]
) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    items_schema = _resolve(schema, schemas).get("items", {})
    result = CommentedSeq()
    usable = isinstance(node, CommentedSeq) and len(node) == len(value)
    for index, item in enumerate(value):
        result.append(_canon(item, node[index] if usable else None, items_schema, schemas, where))
    if usable:
        result.ca.comment = node.ca.comment
        result.ca.end = node.ca.end
        for index, token in node.ca.items.items():
            result.ca.items[index] = token
    result.fa.set_block_style()
    return result


def _node_keys(value: dict[str, Any], node: Any) -> dict[str, Any]:
    """Map each key as read by coopps.reading to the ruamel key at the same position."""
    if not isinstance(node, dict) or len(node) != len(value):
        return {}
    return dict(zip(value, node, strict=True))


def _move_comments(
    node: Any,
    node_keys: dict[str, Any],
    before: list[str],
    after: list[str],
    result: Any,
    top: bool,
) -> None:
    """Carry each key's comments to its new place.

    ruamel attaches a comment line to the key *above* it. When keys move, the
    lines that stood above key B travel with B, and the lines after the last
    key stay at the end.
    """
    result.ca.comment = node.ca.comment
    result.ca.end = node.ca.end
    tokens = {
        key: list(node.ca.items.get(node_keys[key], [None, None, None, None])) for key in before
    }
    if before == after:
        for key in after:
            if any(tokens[key]):
                result.ca.items[_key(key)] = tokens[key]
        return
    nested = {
        key
        for key in before
        if isinstance(node[node_keys[key]], (dict, list)) and node[node_keys[key]]
    }
    eol, above, tail = _split_comment_lines(before, tokens, nested)
    for position, key in enumerate(after):
        following = after[position + 1] if position + 1 < len(after) else None
        extra = above.get(following, "") if following else tail
        if position == 0 and above.get(key):
            if top:
                _add_document_comment(result, above[key])
            else:
                extra = (
                    above[key] + extra
                )  # nothing stands above a nested first key: keep its lines just below it
        slot = tokens[key]
        text = eol[key] + extra if eol[key] else ("\n" + extra if extra else "")
        slot[2] = _token(text, slot[2]) if text else None
        if any(slot):
            result.ca.items[_key(key)] = slot


def _add_document_comment(result: Any, text: str) -> None:
    if not text.strip():
        return
    token = _token(text, None)
    if result.ca.comment is None:
        result.ca.comment = [None, [token]]
    else:
        result.ca.comment = [result.ca.comment[0], [*(result.ca.comment[1] or []), token]]


def _split_comment_lines(
    keys: list[str],
    tokens: dict[str, list[Any]],
    nested: set[str],
) -> tuple[dict[str, str], dict[str, str], str]:
    """Cut each key's comment into its end-of-line part and the lines standing above the next key.

    A key holding a block list or map keeps its whole comment: the lines after
    it are inside that block, before its first item.
    """
    eol: dict[str, str] = {}
    above: dict[str, str] = {}
    tail = ""
    for position, key in enumerate(keys):
        token = tokens[key][2]
        text = (
            token.value
            if token is not None and isinstance(getattr(token, "value", None), str)
            else ""
        )
        first, _, rest = text.partition("\n")
        if key in nested:
            eol[key], rest = text, ""
        else:
            eol[key] = first + "\n" if first.strip() else ""
        if position + 1 < len(keys):
            above[keys[position + 1]] = rest
        else:
            tail = rest
    return eol, above, tail


def _token(text: str, original: Any) -> Any:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    column = getattr(original, "column", 0) if original is not None else 0
    return CommentToken(text, CommentMark(column), None)


def _properties(schema: dict[str, Any], schemas: Schemas) -> dict[str, Any]:
    return _resolve(schema, schemas).get("properties", {})  # type: ignore[no-any-return]


def _resolve(schema: dict[str, Any], schemas: Schemas) -> dict[str, Any]:
    """Follow a `$ref` into the referentials (the only external references)."""
    ref = schema.get("$ref", "")
    if not ref.startswith("referentiels.schema.json#/$defs/"):
        return schema
    target = schemas.documents["referentiels"]["$defs"].get(ref.rsplit("/", 1)[-1], {})
    return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}


def _key(key: str) -> Any:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    return DoubleQuotedScalarString(key) if _misread(key) else key


def _scalar(value: Any, node: Any, schema: dict[str, Any], where: tuple[str, ...]) -> Any:
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString

    if isinstance(value, int) and not isinstance(value, bool) and _is_identifier(where):
        return DoubleQuotedScalarString(str(value))
    if not isinstance(value, str):
        return value
    if schema.get("$ref", "").endswith(_DATE_REF) and _DATE.fullmatch(value) and _real_date(value):
        return _real_date(value)
    if _is_identifier(where) or _misread(value):
        return DoubleQuotedScalarString(value)
    if "\n" in value or isinstance(node, LiteralScalarString):
        return LiteralScalarString(value)
    return value


def _is_identifier(where: tuple[str, ...]) -> bool:
    return any(part in IDENTIFIER_KEYS for part in where if isinstance(part, str))


def _misread(text: str) -> bool:
    """Would a plain scalar with this text be read as something else than this text?"""
    return bool(
        text in _NULLS
        or text in _BOOLS
        or text in _YAML11_BOOLS
        or _INT.fullmatch(text)
        or _FLOAT.fullmatch(text)
        or _AMBIGUOUS_NUMBER.fullmatch(text)
        or text != text.strip()
        or _DATE.fullmatch(text)
    )


def _real_date(text: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def promised_data(data: Any) -> Any:
    """The data fmt promises to write for `data`: the same, with numeric identifiers as text."""
    return _fixed(data, ())


def _fixed(value: Any, where: tuple[str, ...]) -> Any:
    if isinstance(value, dict):
        return {key: _fixed(item, (*where, key)) for key, item in value.items()}
    if isinstance(value, list):
        return [_fixed(item, where) for item in value]
    if isinstance(value, int) and not isinstance(value, bool) and _is_identifier(where):
        return str(value)
    return value


# --- writing -----------------------------------------------------------------------------------------------


def _dump(kind: str, tree: Any) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump(tree, stream)
    # Blank lines the file opened with would follow the header on the first pass only.
    return header(kind) + _LEADING_BLANK_LINES.sub("", stream.getvalue())


_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")


def _check_same_data(path: str, text: str, expected: Any) -> None:
    doc = read_bytes(path, text.encode("utf-8"))
    if not doc.readable or doc.data != expected:
        raise FormatRefused(
            "la mise en forme changerait les données du fichier ; il est laissé tel quel. "
            "Signalez ce cas aux mainteneurs du registre."
        )


# --- files and command ---------------------------------------------------------------------------------------


def format_file(root: Path, rel: str, schemas: Schemas, *, check: bool) -> FileResult:
    where = classify(rel, schemas.region_codes)
    if where.kind not in SCHEMA_PATHS or not rel.endswith(YAML_SUFFIX):
        return FileResult(rel, "refuse", NOT_DATA)
    try:
        raw = read_regular(root / rel, MAX_BYTES + 1)
    except SpecialFile as special:
        return FileResult(rel, "refuse", f"c'est {special.what} ; il n'est ni ouvert ni suivi.")
    except OSError:
        return FileResult(rel, "refuse", "le fichier ne peut pas être lu (droits d'accès ?).")
    if len(raw) > MAX_BYTES:
        return FileResult(rel, "refuse", f"le fichier dépasse {MAX_BYTES // 1024} Kio.")
    full = root / rel
    try:
        text = raw.decode("utf-8-sig")
        formatted = format_text(where.kind, text, schemas, rel)
    except UnicodeDecodeError:
        return FileResult(rel, "refuse", "le fichier n'est pas encodé en UTF-8.")
    except FormatRefused as refused:
        return FileResult(rel, "refuse", str(refused))
    if formatted.encode("utf-8") == raw:
        return FileResult(rel, "inchange")
    if not check:
        write_atomically(root, full, formatted)
    return FileResult(rel, "reformate")


def selected_files(root: Path, paths: tuple[Path, ...]) -> list[str]:
    every = [rel for rel in iter_data_files(root) if rel.endswith(YAML_SUFFIX)]
    if not paths:
        return every
    chosen: list[str] = []
    for path in paths:
        rel = _relative(root, path)
        if (root / rel).is_dir() or rel == "":
            chosen.extend(f for f in every if rel == "" or f.startswith(rel.rstrip("/") + "/"))
        elif (root / rel).exists():
            chosen.append(rel)
        else:
            raise refused(f"« {path} » n'existe pas.")
    return sorted(dict.fromkeys(chosen))


def _relative(root: Path, path: Path) -> str:
    rel = register_relative(root, path)
    if rel is None:
        raise refused(f"« {path} » est hors du registre {root}.")
    return rel
