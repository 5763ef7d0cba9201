"""Privacy by normalisation (issue 19): personal data however spelled — invisible characters,
confusables, entities, percent-encoding, spelled-out at signs, every French numbering plan, NIR
with any separator or without its key, abbreviated ways — is caught by `coop verifier` with the
right finding and line in values, keys, comments and file names, and the site's gate refuses it;
legitimate texts of the register's kind (the shipped protocols, dates, durations, article and ARS
references) pass. `privacy_corpus.py` holds both corpora."""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from coopps import personal, textfold
from coopps.cli import main
from coopps.personal import personal_data
from coopps.rawtext import comments
from coopps.register import Register
from coopps.rules.privacy import exempt
from coopps.site.gate import refusal
from privacy_corpus import HOSTILE, IN_FILE_NAMES, LEGITIMATE
from register_samples import ADHESION, ADHESION_PATH, VALID_REGISTER

REPO = Path(__file__).resolve().parents[2]
FOLDER = "adhesions/84/nat-test"
ORGANISME = "      organisme: IFSI de test"
ORGANISME_LINE = ADHESION.split("\n").index(ORGANISME) + 1
KEY_LINE = ADHESION.count("\n") + 1


def as_value(text: str) -> str:
    return ADHESION.replace(ORGANISME, f"      organisme: {json.dumps(text, ensure_ascii=False)}")


def as_comment(text: str) -> str:
    return ADHESION.replace(ORGANISME, f"{ORGANISME}  # {text}")


def as_key(text: str) -> str:
    return f"{ADHESION}{json.dumps(text, ensure_ascii=False)}: oui\n"


PLACEMENTS: dict[str, tuple[Callable[[str], str], int]] = {
    "valeur": (as_value, ORGANISME_LINE),
    "commentaire": (as_comment, ORGANISME_LINE),
    "cle": (as_key, KEY_LINE),
}


def test_the_corpora_are_large():
    assert len(HOSTILE) >= 60 and len(LEGITIMATE) >= 60


@pytest.mark.parametrize("name", HOSTILE)
def test_every_hostile_spelling_is_named(name: str):
    text, what = HOSTILE[name]
    assert what in (personal_data(text) or ""), text


def test_legitimate_texts_pass():
    assert [text for text in LEGITIMATE if personal_data(text)] == []


def shipped_texts() -> list[str]:
    """Every key, value and comment of the shipped register, as the privacy rule reads them."""
    texts: list[str] = []
    for path in sorted([*(REPO / "protocols").glob("*.yml"), *(REPO / "adhesions").rglob("*.yml")]):
        raw = path.read_text(encoding="utf-8")
        texts += [comment for _, comment in comments(raw)]
        texts += list(_strings(yaml.safe_load(raw), None))
    return texts


def _strings(value: Any, key: Any) -> list[str]:
    if isinstance(value, dict):
        return [text for k, child in value.items() for text in [str(k), *_strings(child, k)]]
    if isinstance(value, list):
        return [text for child in value for text in _strings(child, key)]
    return [] if isinstance(value, str) and exempt(key, value) else [str(value)]


def test_the_shipped_register_holds_no_personal_data():
    texts = shipped_texts()
    assert len(texts) > 1000
    assert [text for text in texts if personal_data(text)] == []


def validate(root: Path) -> dict[str, list[tuple[str, int, str]]]:
    result = CliRunner().invoke(
        main, ["verifier", "--racine", str(root), "--format", "json"], catch_exceptions=False
    )
    found: dict[str, list[tuple[str, int, str]]] = {}
    for finding in json.loads(result.output)["findings"]:
        found.setdefault(finding["path"], []).append(
            (finding["code"], finding["line"], finding["message"])
        )
    return found


def register_of(scratch_register: Any, files: dict[str, str]) -> Path:
    base = {rel: text for rel, text in VALID_REGISTER.items() if rel != ADHESION_PATH}
    return scratch_register({**base, **files})


@pytest.mark.parametrize("placement", PLACEMENTS)
def test_validate_names_each_spelling_on_its_line(scratch_register: Any, placement: str):
    place, line = PLACEMENTS[placement]
    paths = {name: f"{FOLDER}/cas-{index}.yml" for index, name in enumerate(HOSTILE)}
    root = register_of(
        scratch_register, {paths[name]: place(text) for name, (text, _) in HOSTILE.items()}
    )
    found = validate(root)
    missed = [
        name
        for name, (_, what) in HOSTILE.items()
        if not any(
            code == "donnee-personnelle" and at == line and what in message
            for code, at, message in found.get(paths[name], [])
        )
    ]
    assert missed == []
    register = Register.load(root)
    assert [
        e.path
        for e in register.entries
        if e.path.startswith(FOLDER) and refusal(Register(root, register.schemas, [e])) is None
    ] == []


def test_validate_names_each_spelling_in_a_file_name(scratch_register: Any):
    paths = {name: f"{FOLDER}/{HOSTILE[name][0].replace(' ', '-')}.yml" for name in IN_FILE_NAMES}
    root = register_of(scratch_register, {path: ADHESION for path in paths.values()})
    found = validate(root)
    assert [
        name
        for name, path in paths.items()
        if not any(
            code == "donnee-personnelle" and line == 1 and HOSTILE[name][1] in message
            for code, line, message in found.get(path, [])
        )
    ] == []


def test_identifier_fields_of_their_own_shape_pass_and_others_are_read(scratch_register: Any):
    """An RPPS in `rpps` or `membre` is no finding; an e-mail under `sha256` is one."""
    hostile = ADHESION.replace("    sha256: ", "    sha256: camille@exemple.fr  # ", 1)
    root = register_of(
        scratch_register, {f"{FOLDER}/msp-a.yml": ADHESION, f"{FOLDER}/msp-b.yml": hostile}
    )
    found = validate(root)
    assert [f for f in found.get(f"{FOLDER}/msp-a.yml", []) if f[0] == "donnee-personnelle"] == []
    line = (
        hostile.split("\n").index(
            "    sha256: camille@exemple.fr  # " + ADHESION.split("    sha256: ")[1].split("\n")[0]
        )
        + 1
    )
    assert any(
        code == "donnee-personnelle" and at == line for code, at, _ in found[f"{FOLDER}/msp-b.yml"]
    )


def test_an_unreadable_file_is_scanned_line_by_line(scratch_register: Any):
    broken = ADHESION.replace(ORGANISME, "      organisme: [06 12 34 56 78")
    root = register_of(scratch_register, {f"{FOLDER}/msp-a.yml": broken})
    found = validate(root)[f"{FOLDER}/msp-a.yml"]
    assert ("donnee-personnelle", ORGANISME_LINE) in [(code, line) for code, line, _ in found]


def test_a_comment_inside_a_value_is_the_value():
    """`#` inside quotes or a block scalar is no comment: libyaml's tokens say so."""
    text = "# en-tête\na: 'x # pas un commentaire'\nb: |\n  y # non plus\nc: z # oui\n"
    assert list(comments(text)) == [(1, "# en-tête"), (5, "# oui")]


# Obfuscations an author could apply to any part of a number or an address.
INVISIBLE = [
    "\u00ad",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u2060",
    "\u2061",
    "\u2062",
    "\u2063",
    "\u2064",
    "\u034f",
    "\ufe0f",
    "\ufeff",
    "\U000e0020",
    "\U000e0101",
    "\u180e",
    "\u061c",
    "\u202a",
]
CONFUSABLE_DIGITS = {
    d: [chr(0xFF10 + int(d)), chr(0x1D7CE + int(d)), chr(0x0660 + int(d)), chr(0x0966 + int(d))]
    for d in "0123456789"
}
SEPARATORS = [" ", ".", "-", "_", ",", "·", "–", "‑", "/", "\u00a0", "\u202f", " - ", "&#32;"]


@st.composite
def obfuscated(draw: st.DrawFn) -> str:
    kind = draw(st.sampled_from(["email", "phone", "nir"]))
    if kind == "email":
        local = draw(st.from_regex(r"[a-z][a-z0-9]{1,8}(\.[a-z]{2,6})?", fullmatch=True))
        domain = draw(st.from_regex(r"[a-z]{3,10}", fullmatch=True))
        at = draw(
            st.sampled_from(
                [
                    "@",
                    "＠",
                    "﹫",
                    "&#64;",
                    "%40",
                    "[@]",
                    "(a)",
                    " at ",
                    " arobase ",
                    " chez ",
                    "[at]",
                ]
            )
        )
        dot = draw(
            st.sampled_from([".", "．", "&#46;", "%2E", " dot ", " point ", "[.]", "(point)"])
        )
        chars = list(f"{local}{at}{domain}{dot}{draw(st.sampled_from(['fr', 'com', 're', 'org']))}")
    else:
        if kind == "phone":
            prefix = draw(
                st.sampled_from(
                    ["0", "+33", "0033", "(+33)", "+33 (0)", "+262 ", "+590 ", "00596 "]
                )
            )
            digits = [
                str(draw(st.integers(1, 9))),
                *draw(st.lists(st.sampled_from("0123456789"), min_size=8, max_size=8)),
            ]
        else:
            prefix = draw(st.sampled_from("12"))
            digits = list(
                f"{draw(st.integers(0, 99)):02d}{draw(st.integers(1, 12)):02d}"
                f"{draw(st.sampled_from(['75', '2A', '13']))}{draw(st.integers(1, 999)):03d}"
                f"{draw(st.integers(1, 999)):03d}"
            )
        separator = draw(st.sampled_from(SEPARATORS))
        chars = [
            *prefix,
            *[
                d if draw(st.booleans()) else draw(st.sampled_from(CONFUSABLE_DIGITS.get(d, [d])))
                for d in digits[:1]
            ],
        ]
        for index, digit in enumerate(digits[1:], start=1):
            glue = (
                separator
                if (kind == "nir" and index in (2, 4, 6, 9)) or (kind == "phone" and index % 2)
                else ""
            )
            chars += [glue, draw(st.sampled_from([digit, *CONFUSABLE_DIGITS.get(digit, [])]))]
    for _ in range(draw(st.integers(0, 4))):
        chars.insert(draw(st.integers(0, len(chars))), draw(st.sampled_from(INVISIBLE)))
    return "".join(chars)


@settings(max_examples=int(os.environ.get("COOP_PRIVACY_EXAMPLES", "200")), deadline=None)
@given(obfuscated())
def test_any_obfuscated_email_phone_or_nir_is_caught(text: str):
    assert personal_data(text), text


PATTERNS = [
    value
    for module in (personal, textfold)
    for value in vars(module).values()
    if isinstance(value, re.Pattern)
]
ADVERSARIAL = [
    "0" * 50_000,
    "0 " * 25_000,
    "a" * 50_000,
    " " * 50_000,
    "a@" * 25_000,
    "a." * 25_000,
    "1-" * 25_000,
    "12 " * 17_000,
    "@a." * 17_000,
    "(a" * 25_000,
    "a " * 25_000,
    "0." * 25_000,
    "a@b." * 12_500,
    "rue " * 12_500,
    "1 de " * 10_000,
    "http://" + "a" * 50_000,
    "0,1" * 17_000,
    " a " * 17_000,
]


def test_every_pattern_runs_in_linear_time():
    slow = []
    for pattern in PATTERNS:
        for text in ADVERSARIAL:
            start = time.process_time()
            pattern.search(text)
            if time.process_time() - start > 0.5:
                slow.append((pattern.pattern[:40], text[:10]))
    assert slow == []
    start = time.process_time()
    for text in ADVERSARIAL:
        personal_data(text)
    assert time.process_time() - start < 2
