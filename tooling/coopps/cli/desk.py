"""The ARS desk: `coop attestation` (the team's private PDF) and `coop annuaire`
(the national directory)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import refused
from ..paths import write_atomically
from ..wording import plural
from .options import inside, resolve_root, root_option


@click.command("attestation")
@click.argument("adhesion", type=click.Path(path_type=Path), metavar="ADHESION")
@root_option
@click.option(
    "--sortie",
    "output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier PDF à écrire (par défaut : attestation-<équipe>.pdf dans le dossier courant). "
    "Jamais dans les dossiers publiés ou de données du registre.",
)
@click.option(
    "--ref",
    metavar="REF",
    default=None,
    help="Branche dont l'historique date l'instruction (par défaut : main, sinon HEAD).",
)
def attestation_command(
    adhesion: Path, root: Path | None, output: Path | None, ref: str | None
) -> None:
    """Attestation de déclaration d'adhésion (PDF) pour l'équipe et l'ARS.

    ADHESION : le fichier de l'adhésion (adhesions/<région>/<protocole>/<équipe>.yml).
    L'attestation nomme les membres de l'équipe : elle est privée, remise à
    l'équipe ou conservée par l'ARS, et n'est jamais publiée sur le site. Une
    déclaration pas encore fusionnée reçoit une attestation marquée « Déclaration
    non encore instruite ».
    """
    from ..attestation_pdf import render
    from ..gitops import attestation
    from ..gitops.status import default_ref

    register_root = resolve_root(root)
    rel = inside(register_root, adhesion)
    target = output or Path(attestation.default_name(rel))
    problem = attestation.destination_problem(register_root, target)
    if problem:
        raise refused(problem)
    facts = attestation.gather(register_root, rel, ref or default_ref(register_root))
    write_atomically(register_root, Path(os.path.abspath(target)), render(facts))
    click.echo(f"Attestation écrite : {target}")


@click.group("annuaire", subcommand_metavar="COMMANDE [ARGUMENTS]...")
def directory_group() -> None:
    """Annuaire santé : index local de l'extraction publique, pour vérifier les membres.

    Construisez l'index avec `coop annuaire indexer`, puis vérifiez le registre
    avec `coop verifier --annuaire FICHIER_INDEX`.
    """


@directory_group.command("indexer")
@click.argument("extraction", type=click.Path(dir_okay=False, path_type=Path), metavar="EXTRACTION")
@root_option
@click.option(
    "--index",
    "index",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier de l'index à écrire "
    "(par défaut : annuaire.sqlite dans le dossier de cache de coop).",
)
def index_command(extraction: Path, root: Path | None, index: Path | None) -> None:
    """Construire l'index local de l'Annuaire santé depuis son extraction publique.

    EXTRACTION : le fichier PS_LibreAcces_Personne_activite_<date>.txt de
    l'« Extraction des professionnels de santé » (séparateur `|`, UTF-8). L'index
    ne garde que les numéros RPPS et ADELI, la profession et les noms
    normalisés (sans accents ni majuscules).
    """
    from ..directory import build_index, default_index

    target = index or default_index(resolve_root(root))
    summary = build_index(extraction, target)
    click.echo(f"Index de l'Annuaire santé écrit : {summary.path}")
    counts = (
        plural(summary.lines, "ligne lue", "lignes lues"),
        plural(summary.rpps, "numéro RPPS", "numéros RPPS"),
        plural(summary.adeli, "numéro ADELI", "numéros ADELI"),
    )
    click.echo(f"{counts[0]} ; {counts[1]}, {counts[2]}.")
    click.echo(f"Vérifiez le registre avec : coop verifier --annuaire {summary.path}")
