"""The reviewers register (`relecteurs.yml`) and `coop codeowners`.

One file says who instructs what: the maintainers of the tooling, the national
reviewers of `protocols/`, and per region the GitHub team of that ARS with the
logins of its reviewers. `.github/CODEOWNERS` is generated from it, and the
transition rules ask it who may set or lift a suspension.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from .errors import CoopError
from .paths import ADHESIONS_DIR, PROTOCOLS_DIR, SCHEMAS_DIR

REVIEWERS_FILE = "relecteurs.yml"
CODEOWNERS_FILE = ".github/CODEOWNERS"
_OWNER_HINT = "une équipe `@organisation/equipe` ou un compte `@identifiant`"


@dataclass(frozen=True)
class Group:
    """Who reviews one part of the register: GitHub owners and member logins."""

    owners: tuple[str, ...] = ()
    members: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reviewers:
    maintainers: Group = Group()
    national: Group = Group()
    regions: dict[str, Group] = field(default_factory=dict)

    def region(self, code: str) -> Group:
        return self.regions.get(code, Group())

    def is_region_reviewer(self, code: str, login: str | None) -> bool:
        return bool(login) and _login(login or "") in self.region(code).members


def _login(value: str) -> str:
    return value.strip().removeprefix("@").lower()


def load_reviewers(root: Path) -> Reviewers:
    """Read the reviewers register; an absent file means nobody reviews."""
    from .reading import read_bytes

    path = root / REVIEWERS_FILE
    if not path.is_file():
        return Reviewers()
    doc = read_bytes(REVIEWERS_FILE, path.read_bytes())
    errors = [f for f in doc.findings if f.severity == "error"]
    if errors:
        raise CoopError(f"{REVIEWERS_FILE}, ligne {errors[0].line} : {errors[0].message}")
    return _parse_reviewers(doc.data)


def _parse_reviewers(data: Any) -> Reviewers:
    if not isinstance(data, dict):
        raise CoopError(f"{REVIEWERS_FILE} doit contenir les clés `mainteneurs`, `relecteurs_nationaux` et `regions`.")
    regions = data.get("regions") or {}
    if not isinstance(regions, dict):
        raise CoopError(f"{REVIEWERS_FILE} : `regions` doit associer un code de région à son équipe.")
    return Reviewers(
        maintainers=_group(data.get("mainteneurs"), "mainteneurs"),
        national=_group(data.get("relecteurs_nationaux"), "relecteurs_nationaux"),
        regions={str(code): _group(spec, f"regions.{code}") for code, spec in sorted(regions.items())},
    )


def _group(spec: Any, where: str) -> Group:
    if spec is None:
        return Group()
    if not isinstance(spec, dict):
        raise CoopError(f"{REVIEWERS_FILE} : `{where}` doit contenir `equipes` (liste) et `membres` (liste).")
    owners = _strings(spec.get("equipes"), f"{where}.equipes")
    for owner in owners:
        if not owner.startswith("@") or " " in owner:
            raise CoopError(f"{REVIEWERS_FILE} : `{where}.equipes` contient « {owner} » ; écrivez {_OWNER_HINT}.")
    members = frozenset(_login(login) for login in _strings(spec.get("membres"), f"{where}.membres"))
    return Group(tuple(owners), members)


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CoopError(f"{REVIEWERS_FILE} : `{where}` doit être une liste de textes.")
    return value


HEADER = """\
# Fichier généré par `coop codeowners` depuis relecteurs.yml : ne pas modifier à la main.
# Modifiez relecteurs.yml puis lancez `coop codeowners` ; la CI échoue si ce fichier diverge.
# La dernière règle qui correspond à un chemin l'emporte (syntaxe GitHub CODEOWNERS).
"""


def render_codeowners(reviewers: Reviewers) -> str:
    """The CODEOWNERS text: maintainers by default, then data folders by owner."""
    rules: list[tuple[str, tuple[str, ...]]] = [("*", reviewers.maintainers.owners)]
    rules.append((f"/{PROTOCOLS_DIR}/", reviewers.national.owners))
    rules += [(f"/{ADHESIONS_DIR}/{code}/", group.owners) for code, group in reviewers.regions.items()]
    maintained = (f"/{REVIEWERS_FILE}", f"/{SCHEMAS_DIR}/", "/tooling/", "/.github/")
    rules += [(pattern, reviewers.maintainers.owners) for pattern in maintained]
    lines = [f"{pattern} {' '.join(owners)}".rstrip() for pattern, owners in rules if owners]
    return HEADER + "\n" + "\n".join(lines) + "\n"


@click.command("codeowners")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Racine du registre (par défaut : le dépôt git qui contient le dossier courant).")
@click.option("--check", is_flag=True, help="Ne rien écrire ; échouer si .github/CODEOWNERS diverge de relecteurs.yml.")
def codeowners_command(root: Path | None, check: bool) -> None:
    """Générer .github/CODEOWNERS depuis le registre des relecteurs (relecteurs.yml)."""
    from .cli import resolve_root

    register_root = resolve_root(root)
    if not (register_root / REVIEWERS_FILE).is_file():
        raise CoopError(f"{REVIEWERS_FILE} est absent de {register_root} : créez le registre des relecteurs.")
    expected = render_codeowners(load_reviewers(register_root))
    target = register_root / CODEOWNERS_FILE
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check:
        sys.exit(_report_drift(current, expected))
    if current != expected:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(expected, encoding="utf-8")
        click.echo(f"{CODEOWNERS_FILE} régénéré depuis {REVIEWERS_FILE}.")
    else:
        click.echo(f"{CODEOWNERS_FILE} est à jour.")


def _report_drift(current: str | None, expected: str) -> int:
    if current == expected:
        click.echo(f"{CODEOWNERS_FILE} est à jour avec {REVIEWERS_FILE}.")
        return 0
    state = "est absent" if current is None else f"ne correspond plus à {REVIEWERS_FILE}"
    click.echo(
        f"Erreur : {CODEOWNERS_FILE} {state}. Lancez `coop codeowners` et validez le fichier régénéré "
        "(ne le modifiez pas à la main).", err=True,
    )
    return 1
