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

from .findings import Finding, make_finding
from .paths import SCHEMAS_DIR
from .reading import Document

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
        texts |= {name: (folder / name).read_bytes() for name in TABLE_FILES.values() if (folder / name).is_file()}
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
        self.tables: dict[str, Any] = {kind: _json_or_none(texts[name]) for kind, name in TABLE_FILES.items()
                                       if name in texts}
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


def _whole_value_pattern(validator: Any, pattern: str, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
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

    options = jsonschema_rs.RegexOptions(size_limit=PATTERN_SIZE_LIMIT, dfa_size_limit=PATTERN_SIZE_LIMIT)
    try:
        return jsonschema_rs.validator_for({"pattern": pattern}, pattern_options=options).is_valid  # type: ignore[no-any-return]
    except jsonschema_rs.ValidationError:
        raise ValueError(pattern) from None


def _translate(error: Any, doc: Document, referentials: dict[str, Referential]) -> Iterator[Finding]:
    where = tuple(error.absolute_path)
    keyword = error.validator
    if keyword == "required":
        for key in error.validator_value:
            if isinstance(error.instance, dict) and key not in error.instance:
                yield _finding("champ-obligatoire", doc, where, _required_message(where, key, error.schema))
    elif keyword == "additionalProperties":
        known = set(error.schema.get("properties", {}))
        for key in sorted(set(error.instance) - known):
            yield _finding("champ-inconnu", doc, (*where, key), _unknown_key_message(where, key, sorted(known)))
    elif keyword == "type":
        yield _finding("type-invalide", doc, where, _type_message(where, error.instance, error.validator_value))
    elif keyword in ("enum", "const"):
        yield _finding("valeur-inconnue", doc, where, _enum_message(where, error, referentials))
    elif keyword in ("pattern", "format"):
        yield _finding("format-invalide", doc, where, _format_message(where, error.instance, error.schema))
    elif keyword in _LIMIT_MESSAGES:
        yield _finding("valeur-hors-limites", doc, where, _LIMIT_MESSAGES[keyword](_name(where), error.validator_value))
    else:
        message = error.schema.get("x-message") or f"{_name(where).capitalize()} ne respecte pas le modèle attendu."
        yield _finding("schema-non-respecte", doc, where, message)


def _finding(code: str, doc: Document, where: tuple[Any, ...], message: str) -> Finding:
    return make_finding(code, doc.path, doc.line_of(where), message)


def _name(where: tuple[Any, ...]) -> str:
    """A French designation of a JSON path: « membres[2].rpps »."""
    if not where:
        return "le fichier"
    text = ""
    for part in where:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return f"« {text} »"


def _required_message(where: tuple[Any, ...], key: str, schema: dict[str, Any]) -> str:
    reason = schema.get("x-raison")
    place = "" if not where else f" dans {_name(where)}"
    condition = f" ({reason})" if reason else ""
    return f"Le champ « {key} » est obligatoire{place}{condition} : ajoutez la ligne `{key}: …`."


def _unknown_key_message(where: tuple[Any, ...], key: str, known: list[str]) -> str:
    if _looks_personal(key):
        return (
            f"Le champ « {key} » n'est pas admis : aucune coordonnée personnelle (courriel, téléphone, adresse) "
            "n'entre dans le registre ; les échanges passent par la pull request. Supprimez cette ligne."
        )
    return f"Le champ « {key} » n'existe pas ici (faute de frappe ?). Champs possibles : {', '.join(known)}."


def _looks_personal(key: str) -> bool:
    return any(word in key.lower() for word in ("mail", "courriel", "tel", "phone", "adresse", "portable"))


def _type_message(where: tuple[Any, ...], value: Any, expected: str | list[str]) -> str:
    wanted = expected if isinstance(expected, list) else [expected]
    names = " ou ".join(_TYPE_NAMES.get(t, t) for t in wanted)
    message = f"{_name(where).capitalize()} doit être {names}"
    if "string" in wanted and isinstance(value, (int, float, bool)):
        shown = str(value).lower() if isinstance(value, bool) else str(value)
        return f"{message} : écrivez la valeur entre guillemets, par exemple \"{shown}\"."
    return f"{message}, pas {_describe(value)}."


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


def _enum_message(where: tuple[Any, ...], error: Any, referentials: dict[str, Referential]) -> str:
    if error.validator == "const":
        value = json.dumps(error.validator_value)
        return f"{_name(where).capitalize()} ne peut valoir que {value} : corrigez ou supprimez la ligne."
    allowed = [str(v) for v in error.validator_value]
    labels = error.schema.get("x-libelles", {})
    shown = ", ".join(f"{code} ({labels[code]})" if code in labels else code for code in allowed[:MAX_LISTED_VALUES])
    more = " …" if len(allowed) > MAX_LISTED_VALUES else ""
    return f"« {error.instance} » n'est pas une valeur admise pour {_name(where)}. Valeurs possibles : {shown}{more}."


def _format_message(where: tuple[Any, ...], value: Any, schema: dict[str, Any]) -> str:
    hint = schema.get("description") or "voir la documentation du modèle"
    return f"« {value} » n'a pas le format attendu pour {_name(where)} : {hint}"


_LIMIT_MESSAGES = {
    "minItems": lambda name, n: f"La liste {name} doit contenir au moins {n} élément(s).",
    "maxItems": lambda name, n: f"La liste {name} contient trop d'éléments (au plus {n}).",
    "minLength": lambda name, n: f"{name.capitalize()} ne peut pas être vide.",
    "maxLength": lambda name, n: f"{name.capitalize()} est trop long (au plus {n} caractères) : résumez.",
    "minimum": lambda name, n: f"{name.capitalize()} doit être supérieur ou égal à {n}.",
    "maximum": lambda name, n: f"{name.capitalize()} doit être inférieur ou égal à {n}.",
    "uniqueItems": lambda name, n: f"La liste {name} contient deux fois la même valeur : supprimez le doublon.",
}


def _json_or_none(raw: bytes) -> Any:
    """A table's content, or None when it is not JSON (the rules that need it then stay silent)."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
