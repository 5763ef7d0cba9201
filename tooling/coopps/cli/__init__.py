"""The `coop` command: options in, one call per stage, an exit code out.

Exit status: 0 no error, 1 errors found (or input refused), 2 usage or
internal failure. Each family's commands live in a module of this package and
are imported only when called (`COMMANDS`), so a one-file check from a
pre-commit hook imports neither git history nor the site.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

from . import french
from .failure import ShowsCoopErrors
from .renamed import renamed, unknown_command

french.install()

COMMANDS: dict[str, str] = {
    # name: "module:attribute", modules of this package (old English names: `renamed.py`)
    "verifier": "validate:validate_command",
    "statut": "gitops:status_command",
    "proprietaires": "gitops:codeowners_command",
    "deploiement": "gitops:deployment_command",
    "formater": "authoring:fmt_command",
    "nouveau": "authoring:new_group",
    "depuis-issue": "authoring:from_issue_command",
    "commentaire": "comment:comment_command",
    "instruction": "instruction:instruction_command",
    "chiffres": "stats:stats_command",
    "attestation": "desk:attestation_command",
    "annuaire": "desk:directory_group",
    "cle": "dossier:key_group",
    "dossier": "dossier:dossier_group",
    "pieces": "dossier:pieces_group",
}


class LazyGroup(ShowsCoopErrors, click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module_name, attribute = COMMANDS[name].split(":")
        command: click.Command = getattr(
            importlib.import_module(f"{__name__}.{module_name}"), attribute
        )
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        """An old spelling of a command or an option runs as its new name (`renamed.py`, said on
        stderr); an unknown command is answered with the nearest known ones (click looks only at
        eager commands)."""
        args = renamed(args)
        name = args[0] if args else ""
        if name and not name.startswith("-") and name not in COMMANDS:
            raise unknown_command(name, ctx)
        return super().resolve_command(ctx, args)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
@click.version_option(package_name="coopps", message="coop %(version)s")
def main() -> None:
    """Registre des protocoles de coopération entre professionnels de santé."""


def run() -> None:
    """Console entry point, the one handler: expected failures and crashes never show a traceback."""
    try:
        main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Interrompu.", err=True)
        sys.exit(2)
    except (
        click.ClickException
    ) as err:  # usage errors and CoopError (`failure.Failure`, its own exit code)
        err.show()
        sys.exit(err.exit_code if err.exit_code in (1, 2) else 2)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except Exception as err:
        if os.environ.get("COOP_DEBUG"):
            raise
        click.echo(
            f"Erreur interne ({type(err).__name__} : {err}). Relancez avec COOP_DEBUG=1 pour le détail.",
            err=True,
        )
        sys.exit(2)
