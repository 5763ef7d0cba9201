"""Text from data shown in GitHub Markdown as the text it is.

Every value that comes from a data file, a file name, an issue or a JSON
artifact and ends up in Markdown (step summaries, the bot's comments, the
pull request's comment, the status section) goes through `markdown_text`:

- whitespace is folded into single spaces, so a value is one line of one
  paragraph (no heading, list, quote, table row or code block can start);
- control, bidirectional and invisible characters are shown escaped, as on
  a terminal (`textguards.for_terminal`);
- every ASCII punctuation character is backslash-escaped, which CommonMark
  defines as "this character, literally": no link, image, code span,
  emphasis, HTML tag, entity or table pipe survives;
- `@` is followed by an invisible WORD JOINER: GitHub links `@login` and
  `@org/team` (a notification) and cmark-gfm links e-mail addresses even
  when `@` is escaped. Bare `https://` and `www.` addresses are no link once
  `:` and `.` are escaped (checked by the tests).

`tooling/tests/test_markdown_text.py` checks it with GitHub's own renderer
(cmark-gfm, through cmarkgfm) as the oracle.
"""

from __future__ import annotations

import re

from .textguards import for_terminal

WORD_JOINER = "\u2060"
ELLIPSIS = "…"
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_text(value: object, limit: int | None = None) -> str:
    """`value` as Markdown that renders as exactly its text (whitespace folded), at most `limit`
    characters of it."""
    text = for_terminal(" ".join(str(value).split()))
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)].rstrip() + ELLIPSIS
    return _ASCII_PUNCTUATION.sub(r"\\\1", text).replace("@", "@" + WORD_JOINER)


def markdown_code_block(lines: list[str], info: str = "text") -> list[str]:
    """`lines` shown verbatim in a fenced block whose fence no line can close."""
    longest = max((len(run) for line in lines for run in re.findall(r"`+", line)), default=0)
    fence = "`" * max(3, longest + 1)
    return [fence + info, *(for_terminal(line) for line in lines), fence]
