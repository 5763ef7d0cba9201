"""Personal data in the raw text of a data file, where the privacy rule cannot see it: the
comments of a file that reads (libyaml's own tokens say where each scalar lies, so whatever lies
between them after a `#` is a comment), every line of a file that does not (its data never
reaches the rule). Layer 1: the findings are cached with the reading's.
"""

from __future__ import annotations

from collections.abc import Iterator

import yaml

from .findings import Finding, found
from .personal import personal_data, personal_data_lines
from .stage_checks import PERSONAL_DATA

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_REPORTED = 20


def raw_text_findings(rel: str, raw: bytes, parsed: bool) -> list[Finding]:
    """Personal data in the comments of a parsed file, or on any line of one that is not (members'
    RPPS numbers stand on those lines: they are not searched)."""
    text = raw.decode("utf-8-sig", "replace")
    if not parsed:
        suspect = personal_data_lines(text, rpps=False)
        return [
            found(PERSONAL_DATA, rel, line, (), {"variante": "ligne", "what": what})
            for line, what in suspect[:MAX_REPORTED]
        ]
    findings = []
    for line, comment in comments(text):
        what = personal_data(comment)
        if what:
            params = {"variante": "commentaire", "what": what}
            findings.append(found(PERSONAL_DATA, rel, line, (), params))
    return findings[:MAX_REPORTED]


def comments(text: str) -> Iterator[tuple[int, str]]:
    """(1-based line, text) of each comment of a YAML text that libyaml scans."""
    first_end = text.find("\n")
    first_end = len(text) if first_end < 0 else first_end
    if text.find("#", first_end) < 0:  # the usual file: a header comment, if any, and no other
        if text.startswith("#"):
            yield 1, text[:first_end]
        return
    lines = _Lines(text)
    for start, end in _gaps(text):
        position = text.find("#", start, end)
        while position >= 0:
            line_end = text.find("\n", position, end)
            line_end = end if line_end < 0 else line_end
            yield lines.of(position), text[position:line_end]
            position = text.find("#", line_end, end)


def _gaps(text: str) -> Iterator[tuple[int, int]]:
    """What lies between libyaml's tokens: spaces, line breaks and comments only."""
    loader = _Loader(text)
    done = 0
    try:
        while (token := loader.get_token()) is not None:
            yield done, token.start_mark.index
            done = max(done, token.end_mark.index)
    except yaml.YAMLError:
        pass
    finally:
        loader.dispose()
    yield done, len(text)


class _Lines:
    """Line numbers of increasing positions, counted once (LF only, as layer 1 counts)."""

    def __init__(self, text: str) -> None:
        self.text, self.position, self.line = text, 0, 1

    def of(self, position: int) -> int:
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line
