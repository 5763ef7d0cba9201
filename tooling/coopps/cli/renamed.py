"""The French names of `coop`'s commands and options, and their old English spellings, still
accepted: each old spelling used says its new name on stderr, in one French line, then runs as
the new one. `scripts/rename_cli.py` rewrites the old spellings in the repository's files."""

from __future__ import annotations

import difflib

import click

# old → new
COMMANDS = {
    "validate": "verifier",
    "status": "statut",
    "codeowners": "proprietaires",
    "fmt": "formater",
    "new": "nouveau",
    "from-issue": "depuis-issue",
    "stats": "chiffres",
}
OPTIONS = {
    "--root": "--racine",
    "--draft": "--brouillon",
    "--check": "--verifier",
    "--stdout": "--sortie-standard",
    "--slug": "--identifiant",
    "--protocol": "--protocole",
}


def renamed(args: list[str]) -> list[str]:
    """`args` (a command, then its arguments) with each old spelling replaced by its new name,
    said on stderr. After `--`, every word is data and stays as it is."""
    out: list[str] = []
    for index, arg in enumerate(args):
        if arg == "--":
            return [*out, *args[index:]]
        out.append(_new_name(arg, first=index == 0))
    return out


def _new_name(arg: str, first: bool) -> str:
    if first and arg in COMMANDS:
        _say(f"coop {arg}", f"coop {COMMANDS[arg]}")
        return COMMANDS[arg]
    name, equals, value = arg.partition("=")
    if name in OPTIONS:
        _say(name, OPTIONS[name])
        return OPTIONS[name] + equals + value
    return arg


def _say(old: str, new: str) -> None:
    click.echo(f"« {old} » s'appelle désormais « {new} ».", err=True)


def unknown_command(name: str, ctx: click.Context) -> click.UsageError:
    """« Commande inconnue », with the commands `name` may mean by their new names: a typo of
    an old name (`valider`, near `validate`) suggests the new one (`verifier`)."""
    close = difflib.get_close_matches(name, [*COMMANDS, *_commands(ctx)], n=3)
    meant = sorted(dict.fromkeys(COMMANDS.get(found, found) for found in close))
    message = f"Commande inconnue {name!r}."
    if len(meant) == 1:
        message += f" Vouliez-vous dire {meant[0]!r} ?"
    elif meant:
        message += f" (Vouliez-vous dire : {', '.join(map(repr, meant))} ?)"
    return click.exceptions.NoSuchCommand(name, message, ctx=ctx)


def _commands(ctx: click.Context) -> list[str]:
    group = ctx.command
    return group.list_commands(ctx) if isinstance(group, click.Group) else []
