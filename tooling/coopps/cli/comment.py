"""`coop commentaire`: the pull request's comment, from the JSON results of `coop verifier` and
`coop statut` (artifacts of the validation workflow, read as untrusted data)."""

from __future__ import annotations

import json
from pathlib import Path

import click

MAX_BYTES = 20 * 1024 * 1024
STATUS_UNREADABLE = "Le statut des adhésions n’a pas pu être lu : consultez le résumé du workflow."
MAX_STATUS_CHARS = 12_000


@click.command("commentaire")
@click.argument("report", type=click.Path(dir_okay=False, path_type=Path), metavar="CONTROLE_JSON")
@click.option(
    "--statut",
    "status_file",
    metavar="FICHIER",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Résultat de `coop statut --format json` à ajouter en fin de commentaire.",
)
def comment_command(report: Path, status_file: Path | None) -> None:
    """Écrire le commentaire de la pull request (Markdown) à partir du résultat du contrôle.

    CONTROLE_JSON est le résultat de `coop verifier --format json`. Un fichier absent,
    illisible ou mal formé donne la phrase « Le contrôle n’a pas pu produire de résultat ».
    Chaque valeur venant des fichiers est affichée telle quelle, sans mise en forme.
    """
    from ..pr_comment import comment_lines, read_findings

    lines = comment_lines(read_findings(_read(report)))
    if status_file is not None:
        lines += ["", *_status_section(_read(status_file))]
    click.echo("\n".join(lines))


def _read(path: Path) -> str | None:
    """The file's text, or None when it is missing, unreadable, too big or not UTF-8."""
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_BYTES + 1)
        return raw.decode("utf-8") if len(raw) <= MAX_BYTES else None
    except (OSError, UnicodeDecodeError):
        return None


def _status_section(text: str | None) -> list[str]:
    from ..gitops.status import markdown_section

    try:
        lines = markdown_section(json.loads(text or ""))
    except (ValueError, RecursionError):
        return [STATUS_UNREADABLE]
    if sum(len(line) + 1 for line in lines) > MAX_STATUS_CHARS:
        lines = markdown_section(json.loads(text or ""), timeline=False)
    fits = sum(len(line) + 1 for line in lines) <= MAX_STATUS_CHARS
    return lines if fits else [STATUS_UNREADABLE]
