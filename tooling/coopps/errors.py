"""The one expected-error class: the command cannot continue, for a reason
the user can fix. Click prints its French message and exits with status 2."""

from __future__ import annotations

from typing import IO

import click


class CoopError(click.ClickException):
    exit_code = 2

    def show(self, file: IO[str] | None = None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)
