"""Characters that deceive a reader, and text made safe to show.

Bidirectional overrides reorder what a reviewer sees ("Trojan Source"),
zero-width characters hide inside identifiers and words, control characters
drive a terminal (clear the screen, set its title). The register refuses
them in its files (`INVISIBLE`, layer 1), and every text written to a
terminal goes through `for_terminal`, which shows them escaped (`\\x1b`,
`\\u202e`) whatever a file holds.
"""

from __future__ import annotations

import io
import re
import unicodedata
from typing import IO, cast

# Refused in the register: bidi embeddings/overrides/isolates, zero-width characters,
# the byte-order mark inside the text, C0/C1 controls other than tab, line breaks (CR, LF, NEL), DEL.
INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200b-\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f]"
)
# The non-ASCII ones, tested one by one: 3 µs on a 1.6 KB file, where the class above takes 18 µs.
_DECEIVING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200c\u200d\u2060\ufeff"


def may_hide_characters(text: str) -> bool:
    """False when `text` surely holds none of `INVISIBLE` as raw text. Raw C0 and C1 controls are not
    looked for: the YAML reader refuses them (`yaml-invalide`); escaped ones are checked per value."""
    return not text.isascii() and any(char in text for char in _DECEIVING)


# Shown escaped on a terminal: the above, plus tab and line feed inside one field.
# Lone surrogates are the bytes of a file name that is not UTF-8 (os.fsdecode): no output could encode them.
_UNSAFE_ON_TERMINAL = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\ufeff\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]"
)
_SURROGATE = re.compile("[\ud800-\udfff]")

_NAMES = {
    "\u200b": "espace sans chasse",
    "\u200c": "antiliant sans chasse",
    "\u200d": "liant sans chasse",
    "\u2060": "gluon de mots",
    "\ufeff": "indicateur d'ordre des octets",
    "\u2028": "séparateur de ligne Unicode",
    "\u2029": "séparateur de paragraphe Unicode",
    "\x85": "passage à la ligne (NEL)",
    "\x1b": "caractère de contrôle ESC (échappement)",
}


def describe_invisible(char: str) -> str:
    """A French name for one refused character, with its code point."""
    if "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
        name = "caractère de contrôle de direction du texte"
    else:
        name = _NAMES.get(char) or (
            "caractère de contrôle" if unicodedata.category(char) == "Cc" else "caractère invisible"
        )
    return f"{name} (U+{ord(char):04X})"


def escape_char(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte of a file name, shown as that byte
        code -= 0xDC00
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with the undecodable bytes of a non-UTF-8 file name shown escaped (`\\xff`), so every
    output (JSON, Markdown, a UTF-8 file) can write it."""
    return (
        _SURROGATE.sub(lambda match: escape_char(match.group()), text)
        if not text.isascii()
        else text
    )


def for_terminal(text: str) -> str:
    """`text` with every character that could act on a terminal or reorder the line shown escaped."""
    if not _UNSAFE_ON_TERMINAL.search(text):
        return text
    return _UNSAFE_ON_TERMINAL.sub(lambda match: escape_char(match.group()), text)


# Characters XML 1.0 forbids (controls but tab and line breaks, surrogates, U+FFFE and U+FFFF): one of them
# in a team name made feed.xml unreadable. Published text drops them.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """`text` without the characters XML forbids (the feed, and every published value)."""
    return _NOT_XML.sub("", text)


class _TerminalLines(io.TextIOBase):
    def __init__(self, out: IO[str]) -> None:
        self.out = out

    def write(self, text: str) -> int:
        self.out.write("\n".join(for_terminal(line) for line in text.split("\n")))
        return len(text)


def terminal_lines(out: IO[str]) -> IO[str]:
    """`out` whose every line is written through `for_terminal` (line feeds kept): what `coop statut`
    and `coop chiffres` print from the data cannot drive the terminal nor reorder a line."""
    return cast(IO[str], _TerminalLines(out))


# Characters that draw nothing although Unicode calls them letters or symbols.
_BLANK_GLYPHS = frozenset("\u2800\u3164\u115f\u1160\uffa0\u17b4\u17b5\u180e\u2028\u2029")
_BLANK_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cn", "Co", "Cs", "Mn", "Me"})


def renders_blank(text: str) -> bool:
    """True when `text` would show nothing visible: only separators, controls, format or combining
    characters, and the blank glyphs Unicode files as letters (braille blank U+2800, Hangul fillers)."""
    return all(
        char in _BLANK_GLYPHS or unicodedata.category(char) in _BLANK_CATEGORIES for char in text
    )
