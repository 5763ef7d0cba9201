"""Layer 2: JSON Schema (draft 2020-12) validation, errors turned into findings.

The schemas and the referentials are loaded once into a `referencing`
registry, and one validator per file kind is built once and reused (building
one per document costs fifteen times more, docs/developpeurs/measured-facts.md). Each error is
translated into a French message that names the key and says what to write.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from .checks import Check
from .findings import Finding, found
from .paths import SCHEMAS_DIR
from .reading import Document
from .stage_checks import (
    BAD_FORMAT,
    OUT_OF_LIMITS,
    REQUIRED,
    SCHEMA_MISMATCH,
    UNKNOWN_FIELD,
    UNKNOWN_VALUE,
    WRONG_TYPE,
)

SCHEMA_FILES = {
    "protocole": "protocole.schema.json",
    "adhesion": "adhesion.schema.json",
    "suivi": "suivi.schema.json",
    "referentiels": "referentiels.schema.json",
}
# Tables of the rule book that are not schemas; optional (a register without one has no such rule).
TABLE_FILES = {"departements": "departements.json"}
REFERENTIALS = "referentiels"  # a schema of definitions only, not a file kind
_TYPE_NAMES = {
    "string": "un texte",
    "number": "un nombre",
    "integer": "un nombre entier",
    "boolean": "true ou false",
    "array": "une liste (éléments `- …`)",
    "object": "un ensemble de clés (`cle: valeur`)",
    "null": "vide",
}
MAX_LISTED_VALUES = 12


@dataclass(frozen=True)
class Referential:
    """One enumeration of the referentials: its codes and French labels."""

    codes: tuple[str, ...]
    labels: dict[str, str]

    def label(self, code: str) -> str:
        return self.labels.get(code, code)


class Schemas:
    """The schemas of a register root, loaded once."""

    def __init__(self, root: Path) -> None:
        folder = root / SCHEMAS_DIR
        texts = {name: (folder / name).read_bytes() for name in SCHEMA_FILES.values()}
        texts |= {
            name: (folder / name).read_bytes()
            for name in TABLE_FILES.values()
            if (folder / name).is_file()
        }
        self._set(texts)

    @classmethod
    def from_bytes(cls, texts: dict[str, bytes]) -> Schemas:
        """The schemas from their bytes ({file name: bytes}), e.g. as a commit holds them."""
        schemas = cls.__new__(cls)
        schemas._set(texts)
        return schemas

    def _set(self, texts: dict[str, bytes]) -> None:
        self.documents: dict[str, dict[str, Any]] = {
            kind: json.loads(texts[name].decode("utf-8")) for kind, name in SCHEMA_FILES.items()
        }
        self.tables: dict[str, Any] = {
            kind: _json_or_none(texts[name]) for kind, name in TABLE_FILES.items() if name in texts
        }
        digest = hashlib.sha256()
        for name in sorted(texts):
            digest.update(name.encode() + b"\0" + hashlib.sha256(texts[name]).digest())
        self.fingerprint = digest.hexdigest()  # changes with any byte of any schema or referential

    @cached_property
    def referentials(self) -> dict[str, Referential]:
        defs = self.documents["referentiels"]["$defs"]
        return {
            name: Referential(tuple(spec["enum"]), spec.get("x-libelles", {}))
            for name, spec in defs.items()
            if "enum" in spec
        }

    @cached_property
    def region_codes(self) -> frozenset[str]:
        return frozenset(self.referentials["region"].codes)

    @cached_property
    def validators(self) -> dict[str, Any]:
        from jsonschema import Draft202012Validator, validators
        from referencing import Registry, Resource

        resources = [(doc["$id"], Resource.from_contents(doc)) for doc in self.documents.values()]
        registry = Registry().with_resources(resources)
        checker = Draft202012Validator.FORMAT_CHECKER
        validator = validators.extend(Draft202012Validator, {"pattern": _whole_value_pattern})
        return {
            kind: validator(self.documents[kind], registry=registry, format_checker=checker)
            for kind in self.documents
            if kind != REFERENTIALS
        }

    def check(self, kind: str, doc: Document) -> list[Finding]:
        """Validate one readable document of `kind`; one finding per problem."""
        errors = list(self.validators[kind].iter_errors(doc.data))
        # A value of the wrong type fails its enum or pattern too: say it once.
        mistyped = {tuple(e.absolute_path) for e in errors if e.validator == "type"}
        findings: dict[tuple[int, str], Finding] = {}
        for error in errors:
            if error.validator != "type" and tuple(error.absolute_path) in mistyped:
                continue
            for finding in _translate(error, doc, self.referentials):
                findings.setdefault((finding.line, finding.message), finding)
        return list(findings.values())


def _whole_value_pattern(
    validator: Any, pattern: str, instance: Any, schema: dict[str, Any]
) -> Iterator[Any]:
    """`pattern` as JSON Schema means it (ECMA-262): `$` ends the value (Python's `$` also matches
    before a final line feed). Matched by jsonschema-rs's linear-time engine, never by Python's
    backtracking `re`: a pull request's own schema may hold `^(a+)+$`."""
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not linear_pattern(pattern)(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


PATTERN_SIZE_LIMIT = 1 << 20  # compiled bytes: `a{1000}{1000}` is refused, not built


@lru_cache(maxsize=256)
def linear_pattern(pattern: str) -> Callable[[str], bool]:
    """Whether a text matches `pattern` (a search, as JSON Schema means it), in linear time.
    Raises ValueError when the linear engine cannot compile it (lookaround, back-reference, size)."""
    import jsonschema_rs

    options = jsonschema_rs.RegexOptions(
        size_limit=PATTERN_SIZE_LIMIT, dfa_size_limit=PATTERN_SIZE_LIMIT
    )
    try:
        return jsonschema_rs.validator_for({"pattern": pattern}, pattern_options=options).is_valid  # type: ignore[no-any-return]
    except jsonschema_rs.ValidationError:
        raise ValueError(pattern) from None


def _translate(
    error: Any, doc: Document, referentials: dict[str, Referential]
) -> Iterator[Finding]:
    where = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "required":
        for key in error.validator_value:
            if isinstance(error.instance, dict) and key not in error.instance:
                yield _finding(REQUIRED, doc, where, _required(where, key, error.schema))
    elif keyword == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - known):
            yield _finding(UNKNOWN_FIELD, doc, (*where, key), _unknown_key(key, sorted(known)))
    elif keyword == "type":
        yield _finding(WRONG_TYPE, doc, where, _type(where, error.instance, error.validator_value))
    elif keyword in ("enum", "const"):
        yield _finding(UNKNOWN_VALUE, doc, where, _enum(where, error))
    elif keyword in ("pattern", "format"):
        hint = error.schema.get("description") or "voir la documentation du modèle"
        params = {"valeur": str(error.instance), "champ": _name(where), "indication": hint}
        yield _finding(BAD_FORMAT, doc, where, params)
    elif keyword in LIMITS:
        params = {"variante": keyword, "champ": _name(where), "limite": error.validator_value}
        yield _finding(OUT_OF_LIMITS, doc, where, params)
    elif error.schema.get("x-message"):
        params = {"variante": "schema", "explication": error.schema["x-message"]}
        yield _finding(SCHEMA_MISMATCH, doc, where, params)
    else:
        yield _finding(SCHEMA_MISMATCH, doc, where, {"champ": _name(where)})


LIMITS = frozenset(
    {"minItems", "maxItems", "minLength", "maxLength", "minimum", "maximum", "uniqueItems"}
)  # the variants of `valeur-hors-limites`


def _finding(
    check: Check, doc: Document, where: tuple[Any, ...], params: dict[str, object]
) -> Finding:
    return found(check, doc.path, doc.line_of(where), where, params)


def _name(where: tuple[Any, ...]) -> str:
    """A French designation of a JSON path: « membres[2].rpps »."""
    if not where:
        return "le fichier"
    text = ""
    for part in where:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"« {text} »"


def _required(where: tuple[Any, ...], key: str, schema: dict[str, Any]) -> dict[str, object]:
    reason = schema.get("x-raison")
    variant = "-".join(part for part, given in (("dans", where), ("raison", reason)) if given)
    params: dict[str, object] = {"variante": variant, "cle": key}
    return (
        params | ({"champ": _name(where)} if where else {}) | ({"raison": reason} if reason else {})
    )


def _unknown_key(key: str, known: list[str]) -> dict[str, object]:
    if _looks_personal(key):
        return {"variante": "personnel", "cle": key}
    return {"cle": key, "possibles": ", ".join(known)}


def _looks_personal(key: str) -> bool:
    return any(
        word in key.lower() for word in ("mail", "courriel", "tel", "phone", "adresse", "portable")
    )


def _type(where: tuple[Any, ...], value: Any, expected: str | list[str]) -> dict[str, object]:
    wanted = expected if isinstance(expected, list) else [expected]
    params: dict[str, object] = {
        "champ": _name(where),
        "attendu": " ou ".join(_TYPE_NAMES.get(t, t) for t in wanted),
    }
    if "string" in wanted and isinstance(value, (int, float, bool)):
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        return params | {"variante": "guillemets", "valeur": shown}
    return params | {"trouve": _describe(value)}


def _describe(value: Any) -> str:
    if value is None:
        return "une valeur vide"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, (int, float)):
        return f"le nombre {value}"
    if isinstance(value, str):
        return f"le texte « {value[:60]} »"
    return "une liste" if isinstance(value, list) else "un ensemble de clés"


def _enum(where: tuple[Any, ...], error: Any) -> dict[str, object]:
    if error.validator == "const":
        value = json.dumps(error.validator_value)
        return {"variante": "constante", "champ": _name(where), "possibles": value}
    allowed = [str(v) for v in error.validator_value]
    labels = error.schema.get("x-libelles", {})
    shown = ", ".join(
        f"{code} ({labels[code]})" if code in labels else code
        for code in allowed[:MAX_LISTED_VALUES]
    )
    more = " …" if len(allowed) > MAX_LISTED_VALUES else ""
    return {"valeur": str(error.instance), "champ": _name(where), "possibles": shown + more}


def _json_or_none(raw: bytes) -> Any:
    """A table's content, or None when it is not JSON (the rules that need it then stay silent)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
