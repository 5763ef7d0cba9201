"""Layer 1: strict, safe reading of one YAML file into data and a line map.

PyYAML composes the node tree (libyaml's C composer where present) with
*every* implicit resolver removed, so each plain scalar arrives as text and is
resolved here by the YAML 1.2 core rules. What YAML 1.1 would silently turn
into something else (`NO`, `0612345678`, `1:30`) is reported instead of being
converted, dates stay strings for the schema's `format: date`, and anchors,
aliases, merges and tags are refused. Reading never raises on bad input: the
problems come back as findings of the returned `Document`.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .checks import Check
from .findings import Finding, found
from .paths import SpecialFile, is_nested_repository, read_regular, special_kind
from .personal import personal_data_lines
from .stage_checks import (
    ALIAS,
    AMBIGUOUS,
    BAD_ENCODING,
    BAD_YAML,
    DUPLICATE_KEY,
    EMPTY,
    HUGE_NUMBER,
    KEY_NOT_TEXT,
    NO_HEADER,
    PERSONAL_DATA,
    SEVERAL_DOCUMENTS,
    SPECIAL_FILE,
    SUBMODULE,
    SYMLINK,
    TAG,
    TOO_BIG,
    TOO_DEEP,
    UNEXPECTED_FILE,
    UNREADABLE,
)
from .textguards import INVISIBLE, for_terminal
from .yamlguards import (
    MAX_DEPTH,
    MAX_REPORTED_LINES,
    LineCounter,
    Reject,
    check_flow_depth,
    invisible_characters,
    invisible_finding,
    scan_events,
    yaml_12_problem,
)

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_BYTES = 512 * 1024
SCHEMA_HEADER = "# yaml-language-server: $schema="

JsonPath = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {_STR, "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"}
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_YAML11_BOOLS = {
    "y",
    "Y",
    "yes",
    "Yes",
    "YES",
    "n",
    "N",
    "no",
    "No",
    "NO",
    "on",
    "On",
    "ON",
    "off",
    "Off",
    "OFF",
}
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
)
_AMBIGUOUS_NUMBER = re.compile(
    r"[-+]?(?:0[0-9_]+(?:\.[0-9]*)?"  # leading zero: octal in YAML 1.1, an identifier in real life
    r"|0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+"  # hexadecimal, octal, binary
    r"|[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"  # sexagesimal 1:30
    r"|[0-9]+(?:_[0-9]+)+(?:\.[0-9_]*)?"  # 1_000
    r"|\.(?:inf|Inf|INF|nan|NaN|NAN))"
)
_PLAIN = (None, "")
# Beyond 18 digits no count of the register makes sense (Python refuses over 4,300, JSON readers lose digits).
MAX_INTEGER_DIGITS = 18  # libyaml marks plain scalars with "", pure PyYAML with None


class _TextOnlyLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that resolves no plain scalar: everything plain is text."""

    yaml_implicit_resolvers: ClassVar[dict[str, list[Any]]] = {}  # type: ignore[misc]


@dataclass
class Document:
    """One data file as read: its data (None when unreadable), where each key
    stands, and the reading findings."""

    path: str
    data: Any = None
    lines: Mapping[JsonPath, int] = field(default_factory=dict)  # a `cache.LineMap` when cached
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def line_of(self, where: JsonPath) -> int:
        """The line of `where`, or of its nearest ancestor that has one."""
        while where not in self.lines and where:
            where = where[:-1]
        return self.lines.get(where, 1)


def read_file(root: Path, rel: str) -> Document:
    """Read `root/rel`, refusing symlinks and special files (never opened),
    oversized files and non-`.yml` files (whose text is still scanned for personal data)."""
    doc = Document(rel)
    try:
        status = os.lstat(root / rel)
    except OSError:
        return _rejected(doc, UNREADABLE)
    what = special_kind(status.st_mode)
    if what == "un lien symbolique":
        return _rejected(doc, SYMLINK)
    if what == "un dossier" and is_nested_repository(root / rel):
        return _rejected(doc, SUBMODULE)
    if what is not None:
        return _rejected(doc, SPECIAL_FILE, nature=what)
    if not rel.endswith(".yml"):
        return _unexpected(doc, root / rel)
    if status.st_size > MAX_BYTES:
        return _too_big(doc, status.st_size)
    try:
        raw = read_regular(root / rel, MAX_BYTES + 1)
    except SpecialFile as special:
        return _rejected(doc, SPECIAL_FILE, variante="ouvert", nature=special.what)
    except OSError:
        return _rejected(doc, UNREADABLE)
    return _too_big(doc, len(raw)) if len(raw) > MAX_BYTES else read_bytes(rel, raw)


def _too_big(doc: Document, size: int) -> Document:
    return _rejected(doc, TOO_BIG, kio=size // 1024, limite_kio=MAX_BYTES // 1024)


def _unexpected(doc: Document, full: Path) -> Document:
    """A non-YAML file is refused; its text is scanned so the message can say it holds personal data."""
    _rejected(doc, UNEXPECTED_FILE, variante="yaml" if doc.path.endswith(".yaml") else "")
    try:
        text = read_regular(full, MAX_BYTES).decode("utf-8", "replace")
    except (OSError, SpecialFile):
        return doc
    for line, what in personal_data_lines(text)[:MAX_REPORTED_LINES]:
        params = {"variante": "fichier-inattendu", "what": what}
        doc.findings.append(found(PERSONAL_DATA, doc.path, line, (), params))
    return doc


def read_bytes(rel: str, raw: bytes) -> Document:
    """Parse the bytes of one file; every problem becomes a finding."""
    doc = Document(rel)
    try:
        text = _decode(raw)
        lines = LineCounter(text)
        check_flow_depth(text)
        doc.findings.extend(scan_events(rel, text, lines))
        node = _compose(text, lines)
        if node is None:
            raise Reject(EMPTY, 1)
        walker = _Walker(rel, lines, text)
        doc.data = walker.value(node, (), 0)
        doc.lines = walker.lines
        doc.findings.extend(walker.findings)
        if (
            doc.data is None and not walker.findings
        ):  # `---` alone, `~`, a directive and nothing after
            raise Reject(EMPTY, 1)
    except Reject as reject:
        return _rejected(doc, reject.check, reject.line, **reject.params)
    doc.findings.extend(invisible_characters(rel, text))
    doc.findings = list(
        dict.fromkeys(doc.findings)
    )  # a character seen in the text and in its value: once
    if not text.startswith(SCHEMA_HEADER):
        doc.findings.append(found(NO_HEADER, rel, 1))
    return doc


def _rejected(doc: Document, check: Check, line: int = 1, **params: object) -> Document:
    """The file refused as a whole: one finding about it, no data."""
    doc.data = None
    doc.findings.append(found(check, doc.path, line, (), params))
    return doc


def _decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise Reject(BAD_ENCODING, 1, variante="binaire")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise Reject(BAD_ENCODING, line) from None


def _compose(text: str, lines: LineCounter) -> Node | None:
    loader = _TextOnlyLoader(text)
    try:
        return loader.get_single_node()
    except yaml.composer.ComposerError as err:
        raise _composer_reject(err, lines) from None
    except yaml.MarkedYAMLError as err:
        raise _syntax_reject(err, lines) from None
    except yaml.YAMLError as err:  # reader errors: control characters
        position = getattr(err, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else 1
        problem = for_terminal(str(err))
        raise Reject(BAD_YAML, line, variante="caractere", probleme=problem) from None
    finally:
        loader.dispose()


def _composer_reject(err: yaml.MarkedYAMLError, lines: LineCounter) -> Reject:
    line = lines.line(err.problem_mark)
    if "single document" in (err.context or "") or "single document" in (err.problem or ""):
        return Reject(SEVERAL_DOCUMENTS, line)
    return Reject(ALIAS, line)


def _syntax_reject(err: yaml.MarkedYAMLError, lines: LineCounter) -> Reject:
    problem = err.problem or "structure invalide"
    # An unclosed quote is found at the end of the file; point at where it opened.
    opened_quote = "quoted scalar" in (err.context or "")
    line = lines.line(err.context_mark if opened_quote else err.problem_mark)
    return Reject(BAD_YAML, line, probleme=for_terminal(_french_problem(problem)))


_PROBLEMS_FR = {
    "mapping values are not allowed here": "deux-points inattendu ; mettez la valeur entre guillemets",
    "could not find expected ':'": "« : » attendu après la clé",
    "found character that cannot start any token": "tabulation interdite, utilisez des espaces",
    "found unexpected end of stream": "fin de fichier inattendue : guillemet ou crochet non fermé",
    "did not find expected key": "clé attendue : indentation incohérente",
    "did not find expected '-' indicator": "élément de liste « - » attendu : indentation incohérente",
    "found undefined tag handle": "étiquette YAML inconnue",
}


def _french_problem(problem: str) -> str:
    return _PROBLEMS_FR.get(problem, problem)


class _Walker:
    """Turn a node tree into plain data, recording each key's line."""

    def __init__(self, path: str, counter: LineCounter, text: str) -> None:
        self.path = path
        self.counter = counter
        self.text = text
        self.lines: dict[JsonPath, int] = {(): 1}
        self.findings: list[Finding] = []
        self._seen: set[int] = set()
        self.block_column = -1  # column of the innermost block collection
        self.escapes = "\\" in text  # without a backslash, no quoted value can hide a character
        self.lf_lines = counter.starts is None  # libyaml's line numbers are right (the usual case)
        self._text_lines: list[str] | None = None
        self.where: JsonPath = ()  # the key path of the value being read, for its findings

    def strict(self, node: Node) -> None:
        """YAML 1.2 rules that libyaml does not enforce (`yamlguards`)."""
        if self._text_lines is None:
            self._text_lines = self.text.split("\n")
        problem = yaml_12_problem(
            node, self.text, self._text_lines, self.counter, self.block_column
        )
        if problem:
            raise Reject(BAD_YAML, self.line(node), variante="yaml-1.2", probleme=problem)

    def line(self, node: Node) -> int:
        return node.start_mark.line + 1 if self.lf_lines else self.counter.line(node.start_mark)

    def report(self, check: Check, node: Node, where: JsonPath, **params: object) -> None:
        self.findings.append(found(check, self.path, self.line(node), where, params))

    def value(self, node: Node, where: JsonPath, depth: int) -> Any:
        if id(node) in self._seen:
            # An alias shares its anchor's node: report where it is used.
            self.findings.append(found(ALIAS, self.path, self.lines.get(where, 1), where))
            return None
        self._seen.add(id(node))
        if depth > MAX_DEPTH:
            raise Reject(TOO_DEEP, self.line(node), variante="noeuds", profondeur=MAX_DEPTH)
        if node.tag not in _ALLOWED_TAGS:
            tag = for_terminal(node.tag.replace("tag:yaml.org,2002:", "!!"))
            self.report(TAG, node, where, etiquette=tag)
            return None
        self.where = where
        if isinstance(node, ScalarNode):
            if node.style not in _PLAIN and (
                node.style in "|>"
                or node.end_mark.line != node.start_mark.line
                or self.text.startswith("#", node.end_mark.index)
            ):
                self.strict(node)  # a one-line quoted value needs only the last test
            return self.scalar(node)
        flow = bool(getattr(node, "flow_style", False))
        if flow:
            self.strict(node)
            for child in _flow_children(node):
                if isinstance(child, ScalarNode) and child.style in _PLAIN:
                    self.strict(child)
        outer = self.block_column
        if not flow:
            self.block_column = node.start_mark.column
        try:
            if isinstance(node, SequenceNode):
                return self.sequence(node, where, depth)
            return self.mapping(cast(MappingNode, node), where, depth)
        finally:
            self.block_column = outer

    def sequence(self, node: SequenceNode, where: JsonPath, depth: int) -> list[Any]:
        items = []
        for index, child in enumerate(node.value):
            self.lines[(*where, index)] = (
                child.start_mark.line + 1 if self.lf_lines else self.line(child)
            )
            items.append(self.value(child, (*where, index), depth + 1))
        return items

    def mapping(self, node: MappingNode, where: JsonPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = self.key(key_node, where)
            if key is None:
                continue
            if key in result:
                self.report(DUPLICATE_KEY, key_node, (*where, key), cle=key)
                continue
            self.lines[(*where, key)] = (
                key_node.start_mark.line + 1 if self.lf_lines else self.line(key_node)
            )
            result[key] = self.value(value_node, (*where, key), depth + 1)
        return result

    def key(self, node: Node, where: JsonPath) -> str | None:
        """The text of a mapping's key; `where` is the mapping's key path."""
        if not isinstance(node, ScalarNode):
            self.report(KEY_NOT_TEXT, node, where, variante="structure")
            return None
        if node.value == "<<" and node.style in _PLAIN:
            self.report(ALIAS, node, where, variante="fusion")
            return None
        self.where = where
        key = self.scalar(node)
        if not isinstance(key, str):
            self.report(KEY_NOT_TEXT, node, where, cle=node.value)
            return None
        return key

    def scalar(self, node: ScalarNode) -> Any:
        text = node.value
        hidden = INVISIBLE.search(text) if self.escapes and node.style == '"' else None
        if hidden:
            line = self.line(node)
            self.findings.append(invisible_finding(self.path, line, hidden.group(), self.where))
        if node.style not in _PLAIN or node.tag != _STR:
            return text
        return self.resolve_plain(text, node)

    def resolve_plain(self, text: str, node: ScalarNode) -> Any:
        if text in _NULLS:
            return None
        if text in _BOOLS:
            return _BOOLS[text]
        if text in _YAML11_BOOLS:
            self.report(AMBIGUOUS, node, self.where, variante="booleen", valeur=text)
            return text
        if _INT.fullmatch(text) or _FLOAT.fullmatch(text):
            return self.number(text, node)
        if _AMBIGUOUS_NUMBER.fullmatch(text):
            self.report(AMBIGUOUS, node, self.where, valeur=text)
        return text

    def number(self, text: str, node: ScalarNode) -> int | float | str:
        """A plain number, or its text and a finding when no reader could hold it."""
        value = _finite_number(text)
        if value is None:
            shown = text if len(text) <= 24 else f"{text[:12]}…{text[-6:]} ({len(text)} caractères)"
            self.report(HUGE_NUMBER, node, self.where, nombre=shown)
            return text
        return value


def _finite_number(text: str) -> int | float | None:
    """`text` (a YAML 1.2 integer or float) as a number, or None when infinite or too long."""
    if _INT.fullmatch(text):
        return int(text) if len(text.lstrip("+-")) <= MAX_INTEGER_DIGITS else None
    value = float(text)
    return value if math.isfinite(value) else None


def _flow_children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    return [child for pair in node.value for child in pair]
