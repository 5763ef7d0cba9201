"""The privacy pre-filter never skips a text that the full patterns would flag.

`personal.could_hold_personal_data` lets the privacy rule skip most values
with three cheap searches of the folded text (`textfold.folded`); it is only
correct if every text that one of the patterns matches (on the folded text,
with its at signs and dots spelled out folded for the e-mail pattern, or with
its links taken out, as `personal_data` searches it) passes it. Checked on
every text of the hostile privacy corpora and on random texts built from the
pieces the patterns are made of (digits of any script, separators, at signs and
words, entities, invisible characters, brackets, links, street words).
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from coopps import personal
from coopps.personal import (
    EMAIL,
    LINK_PHONE,
    NIR,
    PHONE,
    RPPS,
    STREET,
    URL,
    could_hold_personal_data,
    personal_data,
)
from coopps.textfold import folded, spelled_out
from privacy_corpus import HOSTILE, LEGITIMATE

CORPUS = Path(__file__).parent / "data" / "hostile" / "vie-privee"

PIECES = [
    *"0123456789",
    "06",
    "12",
    "33",
    "2A",
    "2b",
    "1850578006048",
    "10000001015",
    "0612345678",
    " ",
    "  ",
    ".",
    "-",
    "/",
    "\u00a0",
    "\u202f",
    "\t",
    "\n",
    ",",
    "+",
    "+33",
    "0033",
    "(0)",
    "( 0 )",
    "@",
    "＠",
    "﹫",
    "at",
    "AT",
    "aT",
    "arobase",
    "AROBAſE",
    "dot",
    "point",
    "DOT",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "rue",
    "Avenue",
    "bd",
    "allée",
    "bis",
    "ter",
    "http://",
    "https://exemple.fr/",
    "ftp://x/",
    "camille",
    "exemple",
    "fr",
    "com",
    "é",
    "_",
    "x",
    "\u00ad",
    "\u200e",
    "\u2064",
    "\ufe0f",
    "\U000e0041",
    "&#64;",
    "%40",
    "&",
    "%",
    "\\u0040",
    "(a)",
    "[@]",
    "chez",
    "arobas",
    "＠",
    "．",
    "６",
    "٠",
    "𝟔",
    "·",
    "–",
    "‑",
    ",",
    "+262",
    "+687",
    "00590",
    "(+33)",
    "lieu-dit",
    "hameau",
    "BP",
    "cs",
    "av",
    "bld",
    "12B",
    "résidence",
    "De",
    "Lilas",
    "2A",
    "wa.me/33",
]


def flagged_by_a_pattern(text: str) -> bool:
    """What `personal_data` searches, without the pre-filter and without the keys' validity."""
    plain = folded(text)
    outside_links = URL.sub(" ", plain)
    return bool(EMAIL.search(spelled_out(plain)) or LINK_PHONE.search(plain)) or any(
        pattern.search(candidate)
        for pattern in (PHONE, NIR, RPPS, STREET)
        for candidate in (plain, outside_links)
    )


def corpus_texts() -> list[str]:
    texts: list[str] = [text for text, _ in HOSTILE.values()] + LEGITIMATE
    for path in sorted(CORPUS.iterdir()):
        raw = path.read_text(encoding="utf-8")
        texts += raw.split("\n")
        if path.suffix == ".yml":
            texts += list(_strings(yaml.safe_load(raw)))
    return texts


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [text for key, child in value.items() for text in [str(key), *_strings(child)]]
    if isinstance(value, list):
        return [text for child in value for text in _strings(child)]
    return [str(value)]


AT_SIGNS = [
    "@",
    "＠",
    "﹫",
    " at ",
    " AT ",
    "[at]",
    "( at )",
    "{aT}",
    " arobase ",
    "[AROBAſE]",
    "(arobase)",
    "at",
    " arobaſe ",
]
DOTS = [".", " dot ", "[point]", "(DOT)", "{point}", " . ", "dot"]
SEPARATORS = ["", " ", ".", "-", "/", "\u00a0", "\u202f", "  ", " - "]


def random_texts(count: int, seed: int = 20261201) -> list[str]:
    """Half made of random pieces, half shaped like an e-mail or a phone number with random spellings."""
    chance = random.Random(seed)
    texts = []
    for index in range(count):
        if index % 2:
            texts.append("".join(chance.choice(PIECES) for _ in range(chance.randint(1, 14))))
        elif index % 4:
            texts.append(
                f"{chance.choice(PIECES)}camille{chance.choice(AT_SIGNS)}exemple{chance.choice(DOTS)}fr"
            )
        else:
            groups = ["6", "12", "34", "56", "78"][: chance.randint(3, 5)]
            texts.append(
                chance.choice(["0", "+33", "0033", "+33(0)"])
                + chance.choice(SEPARATORS).join(groups)
            )
    return texts


def test_the_prefilter_keeps_every_text_of_the_privacy_corpus_that_a_pattern_flags():
    texts = corpus_texts()
    flagged = [text for text in texts if flagged_by_a_pattern(text)]
    assert len(flagged) >= 30  # the corpus does exercise the patterns
    assert [text for text in flagged if not could_hold_personal_data(text)] == []


def test_the_prefilter_keeps_every_random_text_that_a_pattern_flags():
    texts = random_texts(40_000)
    flagged = [text for text in texts if flagged_by_a_pattern(text)]
    skipped = [text for text in texts if not could_hold_personal_data(text)]
    assert len(flagged) > 2000 and len(skipped) > 2000  # both sides are exercised
    assert [text for text in flagged if not could_hold_personal_data(text)] == []


def test_personal_data_answers_as_without_the_prefilter(monkeypatch):
    texts = corpus_texts() + random_texts(5000, seed=7)
    filtered = [personal_data(text) for text in texts]
    monkeypatch.setattr(personal, "could_hold_personal_data", lambda text: True)
    assert [personal_data(text) for text in texts] == filtered
    assert sum(1 for what in filtered if what) > 300


def test_usual_values_are_skipped():
    """The point of the pre-filter: names, codes and dates cost two searches and nothing more."""
    for text in (
        "Camille",
        "Centre hospitalier de Basse-Terre",
        "2024-09-14",
        "salarie_public",
        "Formation de quarante heures",
    ):
        assert not could_hold_personal_data(text)
    for text in (
        "12 rue des Lilas",
        "camille at exemple dot fr",
        "06 12 34 56 78",
        "a@b.fr",
        "Formation de 40 h.",
    ):
        assert could_hold_personal_data(text)
