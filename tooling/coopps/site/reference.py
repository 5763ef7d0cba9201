"""Documentation generated from the code's own registries, so it cannot drift.

`checks_markdown()` is the French reference of every check of `coop verifier`;
the site plugin publishes it as `reference/controles.md`.
"""

from __future__ import annotations

from typing import Any

from ..checks import LAYERS, Example
from ..reporters import SEVERITY_FR
from ..rules import CHECKS


def checks_markdown() -> str:
    lines = [
        "# Référence des contrôles",
        "",
        "Chaque message de `coop verifier` porte un **code** stable. Cette page, produite à partir du code "
        "du validateur, donne pour chacun un exemple fautif et sa correction, et pour les "
        "règles du registre les cas que les tests vérifient sur le registre d'exemple "
        "(`tooling/tests/register_samples.py` dans le dépôt). Avec `--brouillon` (pull request en "
        "brouillon), les contrôles de complétude marqués « complétude » sont des avertissements.",
        "",
        "Sorties : `coop verifier` renvoie 0 sans erreur, 1 s'il y a des erreurs, 2 si la commande "
        "elle-même ne peut pas s'exécuter (option invalide, dossier qui n'est pas un registre).",
        "",
    ]
    for layer, title in LAYERS.items():
        checks = [check for check in CHECKS.values() if check.layer == layer]
        if not checks:
            continue
        lines += [f"## {title}", ""]
        for check in checks:
            lines += _check_section(check.code)
    return "\n".join(lines) + "\n"


def _check_section(code: str) -> list[str]:
    check = CHECKS[code]
    severity = SEVERITY_FR[check.severity] + (" (complétude)" if check.completeness else "")
    return [
        f"### `{check.code}`",
        "",
        f"*Gravité : {severity}.* {check.title}",
        "",
        "Exemple fautif :",
        "",
        "```yaml",
        check.example,
        "```",
        "",
        "Correction :",
        "",
        "```yaml",
        check.fix,
        "```",
        "",
        *[line for example in check.failing for line in _example("Fautif", example)],
        *[line for example in check.passing for line in _example("Conforme", example)],
    ]


def _example(verdict: str, example: Example) -> list[str]:
    """A declared example, as the tests run it: a change to the sample register."""
    where = f"`{example.start}` du registre d'exemple"
    if example.where != example.start:
        where += f", placé en `{example.where}`"
    if not (example.old or example.new):
        return [f"{verdict} (vérifié par les tests) : {where}.", ""]
    change = [f"- {line}" for line in example.old.rstrip("\n").split("\n") if example.old]
    change += [f"+ {line}" for line in example.new.rstrip("\n").split("\n") if example.new]
    return [
        f"{verdict} (vérifié par les tests) : {where}, modifié ainsi :",
        "",
        "```diff",
        *change,
        "```",
        "",
    ]


def data_model_markdown(schemas: dict[str, dict[str, Any]]) -> str:
    """The French reference of the data model, from the schemas' own titles and
    descriptions (`Schemas(root).documents`)."""
    lines = [
        "# Modèle de données",
        "",
        "Chaque fichier du registre est décrit par un schéma JSON (draft 2020-12) publié avec le site. "
        "Les éditeurs qui lisent la première ligne `# yaml-language-server: $schema=…` affichent ces "
        "explications et complètent les valeurs.",
        "",
    ]
    for kind, schema in schemas.items():
        if kind == "referentiels":
            continue
        lines += [f"## {schema.get('title', kind)}", "", schema.get("description", ""), ""]
        lines += ["| Champ | Description | Obligatoire |", "| --- | --- | --- |"]
        lines += _property_rows(schema, "")
        lines.append("")
    lines += ["## Référentiels", ""]
    for definition in schemas["referentiels"]["$defs"].values():
        if "enum" in definition:
            labels = definition.get("x-libelles", {})
            values = ", ".join(
                f"`{code}` ({labels.get(code, code)})" for code in definition["enum"]
            )
            lines += [
                f"**{definition['title']}** — {definition['description']} Valeurs : {values}.",
                "",
            ]
    return "\n".join(lines) + "\n"


def _property_rows(schema: dict[str, Any], prefix: str) -> list[str]:
    rows = []
    required = set(schema.get("required", []))
    for key, spec in schema.get("properties", {}).items():
        name = f"{prefix}{key}"
        description = spec.get("description", spec.get("title", "")).replace("|", "\\|")
        rows.append(f"| `{name}` | {description} | {'oui' if key in required else ''} |")
        nested = spec.get("items", spec)
        if nested.get("type") == "object":
            rows += _property_rows(nested, f"{name}{'[].' if 'items' in spec else '.'}")
    return rows
