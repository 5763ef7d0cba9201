"""A `CoopError` in click's terms: the one place it becomes output and an exit status.

The domain raises `coopps.errors.CoopError`, a plain exception. A command of
class `ShowsCoopErrors` (the `coop` group, the benchmark's generator) turns one
raised while it runs into `Failure`, a click exception that shows « Erreur : … »
and carries the error's exit status (2 cannot run, 1 refused). Click's own
standalone mode (`CliRunner`, `python bench/synth.py`) and `cli.run()` then
show it alike, without a traceback.
"""

from __future__ import annotations

from typing import IO, Any

import click

from ..errors import CoopError


class Failure(click.ClickException):
    def __init__(self, error: CoopError) -> None:
        super().__init__(error.message)
        self.exit_code = error.exit_code  # type: ignore[misc]  # click declares it a class variable

    def show(self, file: IO[str] | None = None) -> None:
        click.echo(f"Erreur : {self.format_message()}", err=True, file=file)


class ShowsCoopErrors(click.Command):
    """A command (or group: put it first among the bases) whose CoopErrors click shows."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except CoopError as error:
            raise Failure(error) from error
