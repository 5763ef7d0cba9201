"""Guards around libyaml: what must be known before its recursive composer runs,
and what it accepts although YAML 1.2 refuses it.

Before composing: nesting depth (the composer recurses and crashes the process
on some thousands of levels), every tag (the composer silently drops `!`),
line numbers that count line feeds only. After: characters that deceive a
reader, and the cases of the YAML test suite that libyaml lets through — a
comment glued to a value, lines of a quoted or flow value that go back left
of their key, tabs as indentation, a lone `-` inside `[…]`, blank lines of a
block scalar wider than its first line. Another tool reading the same file
would refuse it or read something else: the register refuses it first. The
checks look only at quoted, block and flow nodes (rare in the register), so
the usual file costs nothing more.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode

from .checks import Check
from .findings import Finding, found
from .stage_checks import INVISIBLE as INVISIBLE_CHARACTER
from .stage_checks import TAG, TOO_DEEP
from .textguards import INVISIBLE, describe_invisible, for_terminal, may_hide_characters

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

MAX_DEPTH = 32
# libyaml's composer crashed past 20,000 levels on an 8 MiB stack, never below 8,000: below 1,000
# (a block level takes at least two characters, `- `) it cannot; the walker then reports > MAX_DEPTH.
COMPOSER_SAFE_DEPTH = 1000
MAX_REPORTED_LINES = 10  # findings of one kind per file: enough to show the problem
_BRACKETS = re.compile(r"[\[\]{}]")


class Reject(Exception):
    """The file is refused as a whole: one finding of `check`, no data."""

    def __init__(self, check: Check, line: int, **params: object) -> None:
        super().__init__(check.code)
        self.check, self.line, self.params = check, line, params


class LineCounter:
    """1-based line numbers that count line feeds only, as GitHub and editors do: libyaml also
    breaks lines at U+0085, U+2028 and U+2029, which would shift every later line."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] | None = None
        if "\x85" in text or "\u2028" in text or "\u2029" in text:
            self.starts = [index for index, char in enumerate(text) if char == "\n"]

    def line(self, mark: Any) -> int:
        if mark is None:
            return 1
        if self.starts is None:
            return int(mark.line) + 1
        return bisect_right(self.starts, mark.index - 1) + 1


# A line that may open deep block nesting: many leading spaces, `- `, `? `, `: `, tags or anchors
# (each level takes at least one of them; flow brackets are counted by `_check_flow_depth`).
# Each token is matched atomically and starts with its own character, so a line is read once
# (`[!&]\S*` inside a backtracking repeat took 47 s on 13 `!` before 200 KB of text).
_DEEP_LINE_SCAN = re.compile(
    rf"^(?>[ \t]|[-?:](?=[ \t])|[!&][^\s!&]*+){{{MAX_DEPTH // 2},}}", re.MULTILINE
)


def scan_events(rel: str, text: str, lines: LineCounter) -> list[Finding]:
    """Where a cheap look at the text says the composer could recurse deep or a tag may hide,
    read libyaml's event stream (no recursion) first: refuse deep nesting before the recursive
    composer (which crashes the process on some thousands of levels), and report every tag,
    on a key as on a value, even the `!` that the composer would silently drop."""
    deep = len(text) > 2 * COMPOSER_SAFE_DEPTH and _DEEP_LINE_SCAN.search(text)
    if "!" not in text and not deep:
        return []
    findings: list[Finding] = []
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                depth += 1
                if depth > MAX_DEPTH:
                    raise Reject(TOO_DEEP, lines.line(event.start_mark), profondeur=MAX_DEPTH)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                depth -= 1
            tag = getattr(event, "tag", None)
            if tag is not None and len(findings) < MAX_REPORTED_LINES:
                shown = for_terminal(tag.replace("tag:yaml.org,2002:", "!!"))
                line = lines.line(event.start_mark)
                findings.append(found(TAG, rel, line, params={"etiquette": shown}))
    except yaml.YAMLError:
        pass  # the composer reports it, with the same line
    return findings


def invisible_characters(rel: str, text: str) -> list[Finding]:
    """Bidirectional overrides, zero-width and control characters anywhere in the file (comments included)."""
    if not may_hide_characters(text):
        return []
    found: list[Finding] = []
    for number, line in enumerate(text.split("\n"), start=1):
        match = INVISIBLE.search(line)
        if match and len(found) < MAX_REPORTED_LINES:
            found.append(invisible_finding(rel, number, match.group()))
    return found


def invisible_finding(rel: str, line: int, char: str, key: tuple[str | int, ...] = ()) -> Finding:
    """`key`: the value's key path when known (a quoted value's escape); the raw text's
    scan knows only the line."""
    return found(
        INVISIBLE_CHARACTER,
        rel,
        line,
        key,
        {"caractere": describe_invisible(char), "point_de_code": f"U+{ord(char):04X}"},
    )


def check_flow_depth(text: str) -> None:
    """Refuse deep `[[[…` nesting before the (recursive) composer sees it."""
    depth = 0
    for match in _BRACKETS.finditer(text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_DEPTH:
            line = text.count("\n", 0, match.start()) + 1
            raise Reject(TOO_DEEP, line, variante="crochets", profondeur=MAX_DEPTH)


_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")


def glued_comment(node: Node, text: str) -> bool:
    """`"value"#x`, `[a, b]#x`, `[a,#x`, `>#x`: a comment must follow a space."""
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        header = _BLOCK_HEADER.match(text, node.start_mark.index)
        return header is not None and text.startswith("#", header.end())
    end = node.end_mark.index
    if text.startswith("#", end):
        return True
    following = text[end : end + 80].lstrip(" ")
    return following.startswith(",#")


def goes_back_left(lines: list[str], first: int, last: int, block_column: int) -> bool:
    """A quoted or flow value over lines `first`..`last` (0-based) whose continuation lines
    are not indented more than the block collection holding it (at `block_column`)."""
    if last <= first or block_column < 0:
        return False
    for line in lines[first + 1 : last + 1]:
        stripped = line.lstrip(" ")
        if (
            stripped.strip()
            and stripped[0] not in "]}"
            and len(line) - len(stripped) <= block_column
        ):
            return True
    return False


def wide_leading_blank_lines(lines: list[str], header: int) -> bool:
    """A block scalar (header on line `header`, 0-based) whose leading blank lines hold more
    spaces than its first non-blank line."""
    widest = 0
    for line in lines[header + 1 :]:
        if line.strip(" \r"):
            return widest > len(line) - len(line.lstrip(" "))
        widest = max(widest, len(line.rstrip("\r")))
    return False


def lone_dash(node: Node) -> bool:
    """A plain `-` inside a flow collection: an indicator, not a value."""
    return isinstance(node, ScalarNode) and node.style in (None, "") and node.value == "-"


def yaml_12_problem(
    node: Node, text: str, lines: list[str], counter: LineCounter, block_column: int
) -> str | None:
    """What YAML 1.2 refuses in a quoted, block or flow node (or a plain item of a flow
    collection) although libyaml reads it, in French; None when it is sound."""
    if isinstance(node, ScalarNode) and node.style in (None, ""):
        if lone_dash(node):
            return 'tiret « - » seul dans une liste entre crochets : écrivez "-" entre guillemets'
        return (
            "commentaire collé : mettez une espace avant « # »"
            if glued_comment(node, text)
            else None
        )
    if glued_comment(node, text):
        return "commentaire collé : mettez une espace avant « # »"
    first, last = counter.line(node.start_mark) - 1, counter.line(node.end_mark) - 1
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        wide = wide_leading_blank_lines(lines, first)
        return "lignes vides en tête du bloc plus indentées que sa première ligne" if wide else None
    if goes_back_left(lines, first, last, block_column):
        return "une valeur sur plusieurs lignes doit rester indentée plus que sa clé"
    return None
