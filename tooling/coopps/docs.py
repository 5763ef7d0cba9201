"""Documentation generated from the code's own registries, so it cannot drift.

`checks_markdown()` is the French reference of every check of `coop validate`;
the site plugin publishes it as `reference/controles.md`.
"""

from __future__ import annotations

from .catalogue import CHECKS, LAYERS
from .reporters import SEVERITY_FR


def checks_markdown() -> str:
    lines = [
        "# Référence des contrôles",
        "",
        "Chaque message de `coop validate` porte un **code** stable. Cette page, produite à partir du code "
        "du validateur, donne pour chacun un exemple fautif et sa correction. Avec `--draft` (pull request en "
        "brouillon), les contrôles de complétude marqués « complétude » sont des avertissements.",
        "",
        "Sorties : `coop validate` renvoie 0 sans erreur, 1 s'il y a des erreurs, 2 si la commande "
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
    ]
