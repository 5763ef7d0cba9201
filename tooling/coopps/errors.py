"""The one expected-error class: the command cannot go on, for a reason the user can fix.

Raised anywhere (pipeline, git, authoring); shown as « Erreur : … » without a
traceback by click or by `cli.run`, with its exit status: 2 when the command
cannot run (usage, no register, git failure), 1 when it ran and refused the
input (a file that exists already, an answer that is not valid).
"""

from __future__ import annotations

from typing import IO

import click

CANNOT_RUN = 2
REFUSED = 1


class CoopError(click.ClickException):
    def __init__(self, message: str, exit_code: int = CANNOT_RUN) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it a class variable

    def show(self, file: IO[str] | None = None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)


def refused(message: str) -> CoopError:
    """The input is refused (exit status 1): the command ran and changed nothing."""
    return CoopError(message, exit_code=REFUSED)
