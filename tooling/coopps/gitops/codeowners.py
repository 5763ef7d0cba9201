"""`.github/CODEOWNERS`, generated from the reviewers register: each region's
adhesions belong to that ARS's team, `protocols/` to the national reviewers,
the rule files and tooling to the maintainers."""

from __future__ import annotations

from ..paths import ADHESIONS_DIR, PROTOCOLS_DIR, SCHEMAS_DIR
from .reviewers import REVIEWERS_FILE, Reviewers

CODEOWNERS_FILE = ".github/CODEOWNERS"


HEADER = """\
# Fichier généré par `coop proprietaires` depuis relecteurs.yml : ne pas modifier à la main.
# Modifiez relecteurs.yml puis lancez `coop proprietaires` ; la CI échoue si ce fichier diverge.
# La dernière règle qui correspond à un chemin l'emporte (syntaxe GitHub CODEOWNERS).
"""


def render_codeowners(reviewers: Reviewers) -> str:
    """The CODEOWNERS text: maintainers by default, then data folders by owner."""
    rules: list[tuple[str, tuple[str, ...]]] = [("*", reviewers.maintainers.owners)]
    rules.append((f"/{PROTOCOLS_DIR}/", reviewers.national.owners))
    rules += [
        (f"/{ADHESIONS_DIR}/{code}/", group.owners) for code, group in reviewers.regions.items()
    ]
    maintained = (f"/{REVIEWERS_FILE}", f"/{SCHEMAS_DIR}/", "/tooling/", "/.github/")
    rules += [(pattern, reviewers.maintainers.owners) for pattern in maintained]
    lines = [f"{pattern} {' '.join(owners)}".rstrip() for pattern, owners in rules if owners]
    return HEADER + "\n" + "\n".join(lines) + "\n"
