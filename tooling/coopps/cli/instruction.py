"""`coop instruction`: each region's queue of pending declarations, read from GitHub (the ARS desk)."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import click

from ..errors import CoopError
from ..paths import refuse_symlinks, write_atomically
from .options import format_option, resolve_root, root_option


@click.command("instruction")
@click.option(
    "--region",
    "regions",
    metavar="CODE",
    multiple=True,
    help="Code INSEE de la région (répétable).",
)
@click.option("--toutes", is_flag=True, help="Toutes les régions du registre.")
@click.option(
    "--depot",
    metavar="ORGANISATION/DEPOT",
    default=None,
    help="Dépôt GitHub du registre (par défaut : la variable GITHUB_REPOSITORY).",
)
@click.option(
    "--dossier",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Écrire, pour chaque région, le texte de son issue de suivi (<code>.md) "
    "et son titre (<code>.titre) dans ce dossier.",
)
@click.option(
    "--date",
    "day",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    metavar="AAAA-MM-JJ",
    help="Jour dont on compte les âges (par défaut : aujourd'hui).",
)
@click.option(
    "--annuaire-constats",
    "directory",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Rapport de « coop verifier --annuaire --format json » : ses écarts "
    "s'ajoutent au texte des issues de suivi (--dossier, --format markdown).",
)
@root_option
@format_option(["text", "json", "csv", "markdown"])
def instruction_command(
    regions: tuple[str, ...],
    toutes: bool,
    depot: str | None,
    dossier: Path | None,
    day: datetime.datetime | None,
    directory: Path | None,
    root: Path | None,
    output_format: str,
) -> None:
    """Les déclarations en cours d'une région, par état et par âge : ce que l'ARS doit instruire.

    À instruire, en attente de l'équipe, prêtes à fusionner, brouillons, puis les
    déclarations traitées depuis 90 jours (instruites, refusées, classées sans suite).
    Lu dans GitHub : il faut un jeton (variable GH_TOKEN) qui peut lire les pull requests.
    """
    from ..gitops.github import GitHub
    from ..gitops.queue import region_queue
    from ..gitops.queue_output import issue_files, write_csv_sheet, write_json, write_text
    from ..schema import Schemas

    referential = Schemas(resolve_root(root)).referentials["region"]
    codes = list(referential.codes) if toutes else list(regions)
    if not codes or (toutes and regions):
        raise click.UsageError("Indiquez --region CODE (répétable) ou --toutes.")
    unknown = [code for code in codes if code not in referential.codes]
    if unknown:
        raise CoopError(f"Région inconnue : {', '.join(unknown)} (codes INSEE, par exemple 84).")
    names = {code: referential.label(code) for code in codes}
    today = day.date() if day else datetime.date.today()
    api = GitHub.from_environment(depot)
    queues = {code: region_queue(api, code, today) for code in codes}
    report = _read(directory) if directory is not None else None
    if dossier is not None:
        folder = dossier.absolute()
        files = {
            folder / name: text
            for name, text in issue_files(queues, names, today.isoformat(), report)
        }
        top = folder.parent
        refuse_symlinks(top, [folder, *files])
        for path, text in files.items():
            write_atomically(top, path, text)
    elif output_format == "json":
        write_json(queues, sys.stdout)
    elif output_format == "csv":
        write_csv_sheet(queues, sys.stdout)
    elif output_format == "markdown":
        for name, text in issue_files(queues, names, today.isoformat(), report):
            if name.endswith(".md"):
                sys.stdout.write(text + "\n")
    else:
        write_text(queues, names, sys.stdout)


def _read(path: Path) -> str:
    """The report's text; an unreadable one is no report (the issue then says so)."""
    try:
        return path.read_bytes()[: 64 * 1024 * 1024].decode("utf-8", "replace")
    except OSError:
        return "{}"
