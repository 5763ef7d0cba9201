"""The rule book a check applies: the schemas, the referentials and the reviewers register.

A pull request is judged by the rule book of its base (read from git objects
at the merge base, never from the work tree it brings), so nothing it changes
can turn its own check green. When it changes a rule file, its new rule book
is read from the work tree too, as untrusted input: every reason it cannot be
applied (not JSON, not a JSON Schema, a reference that resolves nowhere, a
referential gone, a reviewers register that does not parse) is a finding of
the pull request, never an internal error.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .change_checks import RULES_CHANGED, RULES_INVALID
from .errors import CoopError
from .findings import Finding, found
from .gitops import git as gitrepo
from .gitops.reviewers import (
    EntryProblem,
    Reviewers,
    entry_problems,
    load_reviewers,
    reviewers_from_bytes,
    shape_problem,
)
from .paths import REVIEWERS_FILE, SCHEMAS_DIR
from .reading import read_bytes
from .schema import SCHEMA_FILES, TABLE_FILES, Schemas, linear_pattern
from .stage_checks import BAD_REVIEWER
from .textguards import for_terminal

# Enumerations of the referentials that the register rules and the paths read.
REQUIRED_REFERENTIALS = (
    "region",
    "profession",
    "role",
    "type_piece",
    "cadre_exercice",
    "mode_exercice",
)


@dataclass(frozen=True)
class RuleBook:
    schemas: Schemas
    reviewers: Reviewers


def work_tree_rules(root: Path) -> RuleBook:
    """The rule book of the work tree, trusted (a check without --base)."""
    return RuleBook(Schemas(root), load_reviewers(root, strict=False))  # bad entries: findings


def reviewer_findings(root: Path) -> list[Finding]:
    """What is wrong with the work tree's relecteurs.yml, as findings: its reading errors, a shape
    that does not parse, and `relecteur-invalide` for each entry that is no GitHub owner or login."""
    path = root / REVIEWERS_FILE
    if not path.is_file() or path.is_symlink():
        return []
    doc = read_bytes(REVIEWERS_FILE, path.read_bytes())
    findings = [finding for finding in doc.findings if finding.severity == "error"]
    problem = None if findings else shape_problem(doc.data)
    if problem:
        params = {"variante": "forme", "probleme": problem}
        findings.append(found(BAD_REVIEWER, REVIEWERS_FILE, 1, (), params))
    return findings + [
        found(
            BAD_REVIEWER,
            REVIEWERS_FILE,
            doc.line_of(entry.where),
            entry.where,
            _entry_params(entry),
        )
        for entry in entry_problems(doc.data)
    ]


def _entry_params(entry: EntryProblem) -> dict[str, object]:
    """The dossier section's problems say where keys are explained; the others, `proprietaires`."""
    variant = {"variante": "dossier"} if "dossier" in entry.where else {}
    return {**variant, "probleme": entry.message}


def base_rules(root: Path, commit: str) -> RuleBook:
    """The rule book at `commit` (the base of a pull request), read from git objects."""
    names = [f"{SCHEMAS_DIR}/{name}" for name in SCHEMA_FILES.values()]
    tables = [f"{SCHEMAS_DIR}/{name}" for name in TABLE_FILES.values()]
    blobs = gitrepo.read_blobs(
        root, [f"{commit}:{rel}" for rel in [*names, *tables, REVIEWERS_FILE]]
    )
    texts = {rel.split("/", 1)[1]: blobs[f"{commit}:{rel}"] for rel in [*names, *tables]}
    missing = [rel for rel in names if texts[rel.split("/", 1)[1]] is None]
    if missing:
        raise CoopError(
            f"La branche de base n'a pas de « {missing[0]} » : ce n'est pas un registre, ou pas la bonne base."
        )
    try:  # trusted (it passed its own check): read, not re-checked against the meta-schema (0.5 s saved)
        schemas = Schemas.from_bytes(
            {name: text for name, text in texts.items() if text is not None}
        )
    except (ValueError, TypeError, KeyError) as err:
        raise CoopError(
            f"Les schémas de la branche de base sont illisibles ({type(err).__name__})."
        ) from None
    return RuleBook(schemas, reviewers_from_bytes(blobs[f"{commit}:{REVIEWERS_FILE}"]))


def proposed_rules(root: Path) -> tuple[RuleBook | None, list[Finding]]:
    """The rule book a pull request brings in its work tree, or None and why it cannot apply."""
    texts: dict[str, bytes] = {}
    findings: list[Finding] = []
    for name in SCHEMA_FILES.values():
        path = root / SCHEMAS_DIR / name
        if path.is_symlink() or not path.is_file():
            findings.append(
                _invalid(
                    f"{SCHEMAS_DIR}/{name}",
                    1,
                    "ce fichier de règles est supprimé ou n'est pas un fichier",
                )
            )
        else:
            texts[name] = path.read_bytes()
    findings += schema_problems(texts)
    for name in TABLE_FILES.values():  # optional tables: read as they are (not schemas)
        path = root / SCHEMAS_DIR / name
        if path.is_file() and not path.is_symlink():
            texts[name] = path.read_bytes()
    reviewers = _proposed_reviewers(root, findings)
    if findings or reviewers is None:
        return None, findings
    return RuleBook(Schemas.from_bytes(texts), reviewers), []


def _proposed_reviewers(root: Path, findings: list[Finding]) -> Reviewers | None:
    try:
        return load_reviewers(root)
    except CoopError as err:
        findings.append(_invalid(REVIEWERS_FILE, 1, err.message))
        return None


def schema_problems(texts: dict[str, bytes]) -> Iterator[Finding]:
    """Why these schema files ({file name: bytes}) cannot be applied; nothing when they can."""
    documents: dict[str, dict[str, Any]] = {}
    for name, raw in sorted(texts.items()):
        rel = f"{SCHEMAS_DIR}/{name}"
        try:
            document = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield _invalid(rel, 1, "le fichier n'est pas du texte UTF-8")
            continue
        except json.JSONDecodeError as err:
            yield _invalid(
                rel, err.lineno, f"le JSON est invalide ligne {err.lineno}, colonne {err.colno}"
            )
            continue
        problem = _document_problem(document)
        if problem:
            yield _invalid(rel, 1, problem)
            continue
        documents[name] = document
    if len(documents) == len(texts):
        yield from _cross_problems(documents)


def _document_problem(document: Any) -> str | None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    if not isinstance(document, dict) or not isinstance(document.get("$id"), str):
        return "un schéma doit être un objet JSON avec un identifiant `$id`"
    try:
        Draft202012Validator.check_schema(document)
    except SchemaError as err:
        where = "/".join(str(part) for part in err.absolute_path) or "racine"
        return f"ce n'est pas un schéma JSON Schema 2020-12 valide (mot-clé « {err.validator} », à « {where} »)"
    return _pattern_problem(document)


def _pattern_problem(document: dict[str, Any]) -> str | None:
    """Patterns are applied by a linear-time engine only: one it cannot compile (lookaround,
    back-reference, too big) is refused, and so is `patternProperties` (applied with Python's `re`)."""
    for key, value in _keywords(document):
        if key == "patternProperties":
            return "le mot-clé `patternProperties` n'est pas admis (utilisez `propertyNames` avec `pattern`)"
        if key == "pattern" and isinstance(value, str):
            try:
                linear_pattern(value)
            except ValueError:
                shown = for_terminal(value[:80])
                return (
                    f"le motif « {shown} » ne peut pas s'évaluer en temps linéaire (anticipation, "
                    "référence arrière ou motif trop grand)"
                )
    return None


def _keywords(value: Any) -> Iterator[tuple[str, Any]]:
    """Every (key, value) pair of a JSON document, at any depth."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield key, child
            yield from _keywords(child)
    elif isinstance(value, list):
        for child in value:
            yield from _keywords(child)


def _cross_problems(documents: dict[str, dict[str, Any]]) -> Iterator[Finding]:
    """References that resolve nowhere, and referentials the rules need but that are gone."""
    from referencing import Registry, Resource
    from referencing.exceptions import Unresolvable

    registry = Registry().with_resources(
        (doc["$id"], Resource.from_contents(doc)) for doc in documents.values()
    )
    for name, document in sorted(documents.items()):
        resolver = registry.resolver(base_uri=document["$id"])
        for ref in sorted(set(_refs(document))):
            try:
                resolver.lookup(ref)
            except Unresolvable:
                yield _invalid(
                    f"{SCHEMAS_DIR}/{name}",
                    1,
                    f"la référence « {ref[:120]} » ne mène à aucune définition",
                )
    referentials = documents.get(SCHEMA_FILES["referentiels"], {}).get("$defs")
    for key in REQUIRED_REFERENTIALS:
        spec = referentials.get(key) if isinstance(referentials, dict) else None
        enum = spec.get("enum") if isinstance(spec, dict) else None
        if not isinstance(enum, list) or not all(isinstance(code, str) for code in enum):
            yield _invalid(
                f"{SCHEMAS_DIR}/{SCHEMA_FILES['referentiels']}",
                1,
                f"le référentiel « {key} » (liste `enum` de codes) est absent ou mal formé",
            )


def _refs(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "$ref" and isinstance(child, str):
                yield child
            else:
                yield from _refs(child)
    elif isinstance(value, list):
        for child in value:
            yield from _refs(child)


def _invalid(path: str, line: int, reason: str) -> Finding:
    return found(RULES_INVALID, path, line, (), {"raison": reason})


def changed_rules_finding(path: str) -> Finding:
    return found(RULES_CHANGED, path, 1, (), {"fichier": path})


def not_applicable(path: str, error: Exception) -> Finding:
    """The new rules failed while being applied (found by running them, not by reading them)."""
    return _invalid(path, 1, f"leur application échoue ({type(error).__name__})")
