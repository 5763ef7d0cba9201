"""What the « Déclarer une adhésion » page needs to judge a declaration as `coop verifier --brouillon` does.

Every check that needs no other file of the register is exported here from the validator's own
Python objects, and `assets/declaration.js` only interprets them:

- reading: the characters the reader refuses (`textguards.INVISIBLE`);
- schema: the adhesion schema itself, its `$ref`s resolved, and which finding code each JSON Schema
  keyword gives (`KEYWORD_CODES`, as `schema._translate` maps them);
- privacy: the patterns of `personal.py`, rewritten in the browser's regular-expression syntax
  (`js_regex`), and the identifier keys `rules/privacy.py` leaves out;
- postal code ↔ region: `schemas/departements.json`, as `geography.py` reads it;
- path: the team-id pattern, its length and the names Windows reserves (`paths.py`);
- severities: each code's severity and completeness flag (`checks.CHECKS`), lowered as with `--brouillon`.

What the page cannot know (the rest of the register: the same professional spelled otherwise in
another adhesion, a file already at that path) stays with the robot, and the page says so.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from functools import lru_cache
from typing import Any

from .. import personal, textfold, textguards
from ..checks import CHECKS
from ..geography import REFERENTIAL
from ..paths import MAX_ID_LENGTH, SLUG, WINDOWS_RESERVED
from ..rules.privacy import IDENTIFIER_KEYS
from ..schema import Schemas

# JSON Schema keyword → finding code, as `schema._translate` turns an error into a finding.
KEYWORD_CODES = {
    "required": "champ-obligatoire",
    "additionalProperties": "champ-inconnu",
    "type": "type-invalide",
    "enum": "valeur-inconnue",
    "const": "valeur-inconnue",
    "pattern": "format-invalide",
    "format": "format-invalide",
    "minItems": "valeur-hors-limites",
    "maxItems": "valeur-hors-limites",
    "minLength": "valeur-hors-limites",
    "maxLength": "valeur-hors-limites",
    "minimum": "valeur-hors-limites",
    "maximum": "valeur-hors-limites",
    "uniqueItems": "valeur-hors-limites",
    "anyOf": "schema-non-respecte",
}
# personal.personal_data, in its order: (pattern name, what it names).
PERSONAL_PATTERNS = ("EMAIL", "EMAIL_HINT", "PHONE", "LINK_PHONE", "NIR", "RPPS", "STREET", "URL")
# textfold.spelled_out, in its order
SPELLED_OUT = ("_BRACKETED_AT", "_WORD_AT", "_BRACKETED_DOT", "_WORD_DOT", "_SPACED_DOT")
PERSONAL_WHAT = {
    "EMAIL": "une adresse électronique",
    "PHONE": "un numéro de téléphone",
    "NIR": "un numéro de sécurité sociale (NIR)",
    "RPPS": "un numéro RPPS",
    "STREET": "une adresse postale",
}


@lru_cache(maxsize=1)
def _classes() -> dict[str, str]:
    """Python's Unicode `\\s` and `\\w` as the contents of a JavaScript character class (`u` flag)."""
    spaces = [c for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    ranges: list[list[int]] = []
    for code in spaces:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    text = "".join(f"\\u{{{a:x}}}" if a == b else f"\\u{{{a:x}}}-\\u{{{b:x}}}" for a, b in ranges)
    return {"s": text, "w": "\\p{L}\\p{N}_"}


def js_regex(pattern: re.Pattern[str]) -> dict[str, str]:
    """`pattern` in JavaScript syntax (flag `u`), with Python's Unicode meaning of `\\s`, `\\S`, `\\w`, `\\b`.

    JavaScript's classes are ASCII-only and Python's are Unicode: they are spelled out. Python's
    `$` before a final line feed is never used by the exported patterns (they search, never anchor)."""
    classes = _classes()
    word = f"[{classes['w']}]"
    out, in_class, index, source = [], False, 0, pattern.pattern
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source):
            escape = source[index + 1]
            index += 2
            if escape == "s":
                out.append(classes["s"] if in_class else f"[{classes['s']}]")
            elif escape == "S" and not in_class:
                out.append(f"[^{classes['s']}]")
            elif escape == "w":
                out.append(classes["w"] if in_class else word)
            elif escape == "b" and not in_class:
                out.append(f"(?:(?<={word})(?!{word})|(?<!{word})(?={word}))")
            else:
                out.append("\\" + escape)
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class:
            in_class = False
        out.append(char)
        index += 1
    flags = "u" + ("i" if pattern.flags & re.IGNORECASE else "")
    return {"source": "".join(out), "flags": flags}


def privacy_rules() -> dict[str, Any]:
    return {
        "motifs": {name: js_regex(getattr(personal, name)) for name in PERSONAL_PATTERNS},
        "quoi": PERSONAL_WHAT,
        "cles_identifiants": sorted(IDENTIFIER_KEYS),
        "pliage": folding_rules(),
    }


def folding_rules() -> dict[str, Any]:
    """What `textfold.folded` and `spelled_out` apply that the browser has no table for: the
    confusables (UTS #39), the decimal digits of every script, the ignorable letters, and the
    written-out at sign and dot; Unicode's categories the browser knows (`\\p{…}`)."""
    digits = {
        chr(c): str(unicodedata.digit(chr(c)))
        for c in range(sys.maxunicode + 1)
        if unicodedata.category(chr(c)) == "Nd" and c > 0x7F
    }
    return {
        "confusables": textfold._confusables(),
        "chiffres": digits,
        "ignorables": sorted(textfold._IGNORABLE_LETTERS),
        "ecrits": [js_regex(getattr(textfold, name)) for name in SPELLED_OUT],
        "blancs": sorted(textguards._BLANK_GLYPHS),
    }


def resolved(node: Any, defs: dict[str, Any]) -> Any:
    """The schema with every `referentiels.schema.json#/$defs/…` reference replaced by its definition
    (merged with the sibling keywords, as draft 2020-12 applies both)."""
    if isinstance(node, list):
        return [resolved(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: resolved(value, defs) for key, value in node.items() if key != "$ref"}
    ref = node.get("$ref")
    if isinstance(ref, str):
        target = resolved(defs[ref.rsplit("/", 1)[1]], defs)
        merged = {**target, **out}
        for key, pick in (
            ("maxLength", min),
            ("minLength", max),
            ("maximum", min),
            ("minimum", max),
        ):
            if (
                key in target and key in out
            ):  # both apply: the stricter bound is the one that counts
                merged[key] = pick(target[key], out[key])
        if "pattern" in target and "pattern" in out:
            raise ValueError(f"two patterns on one value ({ref}): the page would apply only one")
        out = merged
    return out


def with_js_patterns(node: Any) -> Any:
    """Each `pattern` in the browser's syntax: the robot applies it with Python's classes (schema._ecma_regex)."""
    if isinstance(node, list):
        return [with_js_patterns(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: with_js_patterns(value) for key, value in node.items()}
    if isinstance(node.get("pattern"), str):
        out["pattern"] = js_regex(re.compile(node["pattern"]))["source"]
    return out


def judging_rules(schemas: Schemas) -> dict[str, Any]:
    """The tables `declaration.js` judges with (part of `declarer/regles.json`)."""
    defs = schemas.documents["referentiels"]["$defs"]
    geography = schemas.tables.get("departements") or {}
    return {
        "schema": with_js_patterns(resolved(schemas.documents["adhesion"], defs)),
        "codes_mots_cles": KEYWORD_CODES,
        "constats": {
            code: {"gravite": check.severity, "completude": check.completeness}
            for code, check in CHECKS.items()
        },
        "invisibles": js_regex(textguards.INVISIBLE),
        "vie_privee": privacy_rules(),
        "geographie": {
            "fichier": REFERENTIAL,
            "departements": geography.get("departements", {}),
            "hors_region": geography.get("codes_postaux_sans_region") or {},
            "partages": {
                code: deps
                for code, deps in (geography.get("codes_postaux_partages") or {}).items()
                if not code.startswith("$")
            },
        },
        "chemin": {
            "equipe": SLUG.pattern,
            "longueur_max": MAX_ID_LENGTH,
            "reserve": js_regex(WINDOWS_RESERVED),
        },
    }
