"""The `coop` command: options in, one call per stage, an exit code out.

Exit status: 0 no error, 1 errors found, 2 usage or internal failure. Heavy
modules are imported inside the commands that need them, so a one-file check
from a pre-commit hook stays fast. Subcommands other than `validate` live in
their own modules and are imported only when called (`LAZY_COMMANDS`).
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Any

import click

from . import clickfr
from .errors import CoopError

clickfr.install()

LAZY_COMMANDS: dict[str, str] = {
    # name: "module:attribute" (each module owns its command)
    "synth": "synth:synth_command",
    "fmt": "fmt:fmt_command",
    "new": "wizard:new_group",
    "from-issue": "from_issue:from_issue_command",
    "status": "status:status_command",
    "codeowners": "codeowners:codeowners_command",
    "stats": "stats:stats_command",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in LAZY_COMMANDS:
            module_name, attribute = LAZY_COMMANDS[name].split(":")
            return getattr(importlib.import_module(f"coopps.{module_name}"), attribute)  # type: ignore[no-any-return]
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]},
             subcommand_metavar="COMMANDE [ARGUMENTS]...")
@click.version_option(package_name="coopps", message="coop %(version)s")
def main() -> None:
    """Registre des protocoles de coopération entre professionnels de santé."""


def root_option(function: Any) -> Any:
    return click.option(
        "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Racine du registre (par défaut : le dépôt git qui contient le dossier courant).",
    )(function)


def resolve_root(root: Path | None) -> Path:
    from .paths import SCHEMAS_DIR, find_root

    found = (root or find_root(Path.cwd())).resolve()
    if not (found / SCHEMAS_DIR).is_dir():
        raise CoopError(
            f"« {found} » n'est pas la racine d'un registre (dossier `schemas/` absent) : "
            "lancez la commande dans le dépôt du registre ou indiquez --root."
        )
    return found


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[CHEMIN]...")
@root_option
@click.option("--base", metavar="REF", help="Branche ou commit de base : active les contrôles de transition.")
@click.option("--draft", is_flag=True, help="Pull request en brouillon : les pièces manquantes sont des avertissements.")
@click.option("--auteur", "author", metavar="LOGIN", help="Identifiant GitHub de l'auteur de la pull request (suspensions).")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github"]), default="text",
              show_default=True, help="Format de sortie.")
def validate(
    paths: tuple[Path, ...], root: Path | None, base: str | None, draft: bool, author: str | None, output_format: str,
) -> None:
    """Vérifier les protocoles et les adhésions du registre.

    CHEMIN limite les fichiers signalés ; tout le registre reste chargé pour les
    règles qui croisent plusieurs fichiers.
    """
    from .checker import Options
    from .checker import validate as run_validation
    from .reporters import REPORTERS, GithubReporter

    register_root = resolve_root(root)
    scope = tuple(_relative(register_root, path) for path in paths)
    report = run_validation(Options(root=register_root, paths=scope, draft=draft, base=base, author=author))
    if output_format == "github":
        summary = os.environ.get("GITHUB_STEP_SUMMARY")
        GithubReporter(register_root, Path(summary) if summary else None).write(report, sys.stdout)
    else:
        REPORTERS[output_format](register_root).write(report, sys.stdout)
    sys.exit(1 if report.errors else 0)


def _relative(root: Path, path: Path) -> str:
    absolute = (Path.cwd() / path).absolute() if not path.is_absolute() else path
    try:
        return absolute.relative_to(root).as_posix().rstrip("/") if absolute != root else ""
    except ValueError:
        raise CoopError(f"« {path} » est hors du registre {root}.") from None


def run() -> None:
    """Console entry point: expected failures and crashes never show a traceback."""
    try:
        main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Interrompu.", err=True)
        sys.exit(2)
    except click.ClickException as err:  # usage errors and CoopError included
        err.show()
        sys.exit(2)
    except Exception as err:
        if os.environ.get("COOP_DEBUG"):
            raise
        click.echo(f"Erreur interne ({type(err).__name__} : {err}). Relancez avec COOP_DEBUG=1 pour le détail.", err=True)
        sys.exit(2)
