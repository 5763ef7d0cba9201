"""The ARS desk: `coop attestation` (the team's private PDF) and `coop annuaire` (the national directory)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import refused
from ..paths import write_atomically
from .options import inside, resolve_root, root_option


@click.command("attestation")
@click.argument("adhesion", type=click.Path(path_type=Path), metavar="ADHESION")
@root_option
@click.option("--sortie", "output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Fichier PDF à écrire (par défaut : attestation-<équipe>.pdf dans le dossier courant). "
                   "Jamais dans les dossiers publiés ou de données du registre.")
@click.option("--ref", metavar="REF", default=None,
              help="Branche dont l'historique date l'instruction (par défaut : main, sinon HEAD).")
def attestation_command(adhesion: Path, root: Path | None, output: Path | None, ref: str | None) -> None:
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
