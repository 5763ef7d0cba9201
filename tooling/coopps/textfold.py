"""Text folded for matching personal data: however a value is spelled, the privacy patterns
(`personal.py`) see one plain spelling of it. Never shown, never stored: only matched.

1. compatibility decomposition (NFKD: NFKC's folds — `＠`, `６`, `ｆｒ` —, accents split off);
2. every character folded by category, one table built lazily per code point:
   marks (Mn, Me: accents, variation selectors), format characters (Cf: soft hyphen, bidi marks,
   zero-width, tag characters), unassigned and private-use code points, and the default-ignorable
   letters (Hangul fillers) removed; decimal digits of any script made ASCII digits; spaces (Zs)
   one space; dashes (Pd) `-`; then Unicode's confusables (UTS #39, through the maintained
   `confusable-homoglyphs` data) folded to their ASCII prototype, the middle-dot family to `.`;
3. HTML entities (`&#64;`), percent-encoding (`%40`) and `\\uXXXX` escapes decoded (twice at most:
   `&amp;#64;`) by the standard library (`html`, `urllib.parse`), and 1-2 again on the result.

`spelled_out` then folds the written-out at sign and dot (`arobase`, `[at]`, `(a)`, `chez`,
`point`, `dot`…) for the e-mail pattern only. Every pattern here starts at a bracket, or right
after a non-space (a look-behind), so a search stays linear on any text.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from functools import cache
from importlib.resources import files
from urllib.parse import unquote

# Default_Ignorable_Code_Point (DerivedCoreProperties.txt) beyond what the categories remove:
# the standard library has no such property, and these four letters (Lo) never change.
_IGNORABLE_LETTERS = {0x115F, 0x1160, 0x3164, 0xFFA0}
_REMOVED_CATEGORIES = {"Mn", "Me", "Cf", "Cn", "Co", "Cs"}
_DOT_PROTOTYPES = {".", "\u00b7"}
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|x([0-9a-fA-F]{2}))")


@cache
def _confusables() -> dict[str, str]:
    """Single characters whose confusable prototype is one ASCII character (or a dot)."""
    data = json.loads(
        (files("confusable_homoglyphs") / "confusables.json").read_text(encoding="utf-8")
    )
    folded: dict[str, str] = {}
    for char, alikes in data.items():
        if len(char) != 1 or char.isascii():
            continue
        ascii_alikes = [a["c"] for a in alikes if len(a["c"]) == 1 and a["c"].isascii()]
        if ascii_alikes:
            folded[char] = ascii_alikes[0]
        elif any(a["c"] in _DOT_PROTOTYPES for a in alikes):
            folded[char] = "."
    return folded


class _FoldTable(dict[int, str | None]):
    """`str.translate` table filled on first sight of each code point."""

    def __missing__(self, point: int) -> str | None:
        self[point] = folded = _fold_char(chr(point))
        return folded


def _fold_char(char: str) -> str | None:
    category = unicodedata.category(char)
    if category in _REMOVED_CATEGORIES or ord(char) in _IGNORABLE_LETTERS:
        return None
    if category == "Nd":
        return str(unicodedata.digit(char))
    if category == "Zs":
        return " "
    if category == "Pd":
        return "-"
    return _confusables().get(char, char)


_TABLE = _FoldTable()


def folded(text: str) -> str:
    """`text` decoded, decomposed, without invisible characters, its confusables made ASCII. The
    characters are folded before decoding too: `&\u00ad#64;` is an entity once the soft hyphen
    is gone, and `＆#64;` once the full-width ampersand is `&`."""
    text = _characters_folded(text)
    if "&" in text or "%" in text or "\\" in text:
        text = _characters_folded(_decoded(_decoded(text)))
    return text


def _characters_folded(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFKD", text).translate(_TABLE)


def _decoded(text: str) -> str:
    if "&" in text:
        text = html.unescape(text)
    if "%" in text:
        text = unquote(text, errors="ignore")
    if "\\" in text:
        text = _ESCAPE.sub(_unescape, text)
    return text


def _unescape(match: re.Match[str]) -> str:
    return chr(int(match.group(1) or match.group(2), 16))


_AT_WORDS = r"(?:at|arr?obase?|chez)"
_BRACKETED_AT = re.compile(r"[\[({<] ?(?:@|a|at|arr?obase?) ?[\])}>]", re.IGNORECASE)
_WORD_AT = re.compile(rf"(?<=\S) +{_AT_WORDS} +(?=\S)", re.IGNORECASE)
_BRACKETED_DOT = re.compile(r"[\[({<] ?(?:\.|dot|point|pt) ?[\])}>]", re.IGNORECASE)
_WORD_DOT = re.compile(r"(?<=\S) +(?:dot|point) +(?=\S)", re.IGNORECASE)
_SPACED_DOT = re.compile(r"(?<=\w) +\. *(?=\w)")


def spelled_out(text: str) -> str:
    """The at sign and the dot however written out (`camille chez exemple point fr`) as `@` and `.`,
    with the spaces around an at sign removed (`camille @ exemple.fr`). Sentences stay apart: a dot
    followed by a space (`chez soi. Le`) is left as it is."""
    text = _BRACKETED_AT.sub("@", _WORD_AT.sub("@", text))
    text = _SPACED_DOT.sub(".", _WORD_DOT.sub(".", _BRACKETED_DOT.sub(".", text)))
    if "@" not in text:
        return text
    parts = text.split("@")
    return "@".join(
        [parts[0].rstrip(), *(part.strip() for part in parts[1:-1]), parts[-1].lstrip()]
    )
