"""`coop verifier`: the four layers of checks (reading, schema, register rules, transitions)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..reporters import REPORTERS
from .options import format_option, inside, resolve_root, root_option


@click.command("verifier")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[CHEMIN]...")
@root_option
@click.option(
    "--base", metavar="REF", help="Branche ou commit de base : active les contrôles de transition."
)
@click.option(
    "--brouillon",
    "draft",
    is_flag=True,
    help="Pull request en brouillon : les pièces manquantes sont des avertissements.",
)
@click.option(
    "--auteur",
    "author",
    metavar="LOGIN",
    help="Identifiant GitHub de l'auteur de la pull request (suspensions).",
)
@click.option(
    "--approuve-par",
    "approvers",
    metavar="LOGIN",
    multiple=True,
    help="Identifiant GitHub d'un relecteur qui a approuvé la pull request (suspensions ; répétable).",
)
@click.option(
    "--annuaire",
    "directory",
    metavar="FICHIER_INDEX",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Index de l'Annuaire santé (construit par `coop annuaire indexer`) : vérifie "
    "le numéro, le nom, le prénom et la profession de chaque membre.",
)
@format_option(REPORTERS)
def validate_command(
    paths: tuple[Path, ...],
    root: Path | None,
    base: str | None,
    draft: bool,
    author: str | None,
    approvers: tuple[str, ...],
    directory: Path | None,
    output_format: str,
) -> None:
    """Vérifier les protocoles et les adhésions du registre.

    CHEMIN (dans protocols/ ou adhesions/) limite les fichiers signalés ; les
    règles qui croisent plusieurs fichiers consultent tout le registre. Avec
    --base, les règles (schémas, référentiels, relecteurs.yml) sont celles de
    la branche de base.
    """
    from ..checker import Options, validate

    register_root = resolve_root(root)
    scope = tuple(inside(register_root, path) for path in paths)
    report = validate(
        Options(
            root=register_root,
            paths=scope,
            draft=draft,
            base=base,
            author=author,
            approvers=approvers,
            directory=directory,
        )
    )
    REPORTERS[output_format](register_root).write(report, sys.stdout)
    sys.exit(1 if report.errors else 0)
