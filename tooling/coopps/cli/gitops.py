"""Commands about the GitHub side: `coop statut` (dated statuses), `coop proprietaires`, `coop deploiement`."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from ..errors import CoopError
from ..gitops.timeline import PR_STATES
from ..paths import refuse_symlinks, write_atomically
from ..textguards import terminal_lines
from .options import format_option, resolve_root, root_option


@click.command("statut")
@click.argument("targets", nargs=-1, metavar="[CHEMIN|PROTOCOLE|EQUIPE]...")
@root_option
@click.option(
    "--region", metavar="CODE", help="Lister toutes les adhésions d'une région (vue de l'ARS)."
)
@click.option(
    "--ref",
    metavar="REF",
    default=None,
    help="Branche dont l'historique date les événements (par défaut : main, sinon HEAD).",
)
@click.option(
    "--pr-etat",
    "pr_state",
    type=click.Choice(PR_STATES),
    default=None,
    help="État de la pull request pour les fichiers pas encore fusionnés "
    "(brouillon, envoyee, completee, refusee : fermée sans fusion) ; "
    "une CI le déduit de l'événement GitHub.",
)
@click.option(
    "--complete-le",
    "completed",
    metavar="AAAA-MM-JJ",
    default=None,
    help="Avec --pr-etat completee : jour où l'équipe a complété sa déclaration "
    "après une demande de modification (sans cette date, aucune date "
    "n'est affichée).",
)
@format_option(["text", "json", "markdown"])
def status_command(
    targets: tuple[str, ...],
    root: Path | None,
    region: str | None,
    ref: str | None,
    pr_state: str | None,
    completed: str | None,
    output_format: str,
) -> None:
    """Statut d'une adhésion ou d'un protocole, avec son historique daté lu dans git.

    Chaque cible : un chemin (fichier ou dossier), un identifiant de protocole
    ou un identifiant d'équipe. Avec --region, toutes les adhésions de la région.
    """
    from ..gitops import status
    from ..gitops.history import load_history

    if bool(targets) == bool(region):
        raise click.UsageError(
            "Indiquez soit une cible (chemin, protocole ou équipe), soit --region CODE."
        )
    _check_completed(pr_state, completed)
    register_root = resolve_root(root)
    history = load_history(register_root, ref or status.default_ref(register_root))
    reader = status.Reader(register_root, history, pr_state, completed)
    if region:
        protocol_files: list[str] = []
        adhesion_files = status.region_files(register_root, region)
    else:
        protocol_files, adhesion_files = status.resolve_all(register_root, targets)
    protocols = [reader.protocol(p) for p in protocol_files]
    adhesions = [reader.adhesion(a) for a in adhesion_files]
    timeline = len(protocols) + len(adhesions) <= 20
    if output_format == "json":
        status.write_json(protocols, adhesions, sys.stdout)
    elif output_format == "markdown":
        status.write_markdown(protocols, adhesions, sys.stdout, timeline)
    elif region:
        status.write_region(region, adhesions, terminal_lines(sys.stdout))
    else:
        status.write_text(protocols, adhesions, terminal_lines(sys.stdout), timeline)


def _check_completed(pr_state: str | None, completed: str | None) -> None:
    if completed is None:
        return
    if pr_state != "completee":
        raise click.UsageError("--complete-le ne vaut qu'avec --pr-etat completee.")
    try:
        datetime.date.fromisoformat(completed)
    except ValueError:
        message = f"--complete-le : « {completed} » n'est pas une date AAAA-MM-JJ."
        raise click.UsageError(message) from None


@click.command("proprietaires")
@root_option
@click.option(
    "--verifier",
    "check",
    is_flag=True,
    help="Ne rien écrire ; échouer si .github/CODEOWNERS diverge de relecteurs.yml.",
)
def codeowners_command(root: Path | None, check: bool) -> None:
    """Générer .github/CODEOWNERS depuis le registre des relecteurs (relecteurs.yml)."""
    from ..gitops.codeowners import CODEOWNERS_FILE, render_codeowners
    from ..gitops.reviewers import REVIEWERS_FILE, load_reviewers

    register_root = resolve_root(root)
    if not (register_root / REVIEWERS_FILE).is_file():
        raise CoopError(
            f"{REVIEWERS_FILE} est absent de {register_root} : créez le registre des relecteurs."
        )
    expected = render_codeowners(load_reviewers(register_root))
    target = register_root / CODEOWNERS_FILE
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check:
        sys.exit(_report_drift(current, expected))
    if current != expected:
        write_atomically(register_root, target, expected)
        click.echo(f"{CODEOWNERS_FILE} régénéré depuis {REVIEWERS_FILE}.")
    else:
        click.echo(f"{CODEOWNERS_FILE} est à jour.")


def _report_drift(current: str | None, expected: str) -> int:
    from ..gitops.codeowners import CODEOWNERS_FILE
    from ..gitops.reviewers import REVIEWERS_FILE

    if current == expected:
        click.echo(f"{CODEOWNERS_FILE} est à jour avec {REVIEWERS_FILE}.")
        return 0
    state = "est absent" if current is None else f"ne correspond plus à {REVIEWERS_FILE}"
    click.echo(
        f"Erreur : {CODEOWNERS_FILE} {state}. Lancez `coop proprietaires` et validez le fichier régénéré "
        "(ne le modifiez pas à la main).",
        err=True,
    )
    return 1


@click.command("deploiement")
@root_option
@click.option(
    "--verifier",
    "check",
    is_flag=True,
    help="Ne rien écrire ; échouer si un fichier ne suit pas mkdocs.yml.",
)
def deployment_command(root: Path | None, check: bool) -> None:
    """Reporter l'organisation, le dépôt et l'adresse du site de mkdocs.yml (repo_url, site_url).

    Réécrit le lien du formulaire d'issue, les équipes GitHub de relecteurs.yml et le
    `$id` des schémas publiés ; lancez ensuite `coop proprietaires`.
    """
    from ..gitops import deployment

    register_root = resolve_root(root)
    where = deployment.load(register_root)
    changed = deployment.drifts(register_root, where)
    click.echo(
        f"Organisation : {where.organisation} · dépôt : {where.repository} · site : {where.site_url}"
    )
    if check:
        for rel in changed:
            click.echo(
                f"Erreur : {rel} ne suit pas mkdocs.yml : lancez `coop deploiement` puis "
                "`coop proprietaires`, et committez le résultat.",
                err=True,
            )
        sys.exit(1 if changed else 0)
    refuse_symlinks(register_root, [register_root / rel for rel in changed])
    for rel, text in changed.items():
        write_atomically(register_root, register_root / rel, text)
        click.echo(f"Mis à jour : {rel}")
    if not changed:
        click.echo("Tous les fichiers suivent mkdocs.yml.")
