"""How the wizards ask: a question, or the flag's value; re-ask until the answer is usable.

A person can always go back: `<` or « retour » at any prompt raises `GoBack`,
and the wizard asks the previous question again (its earlier answer is then
the default, so Entrée keeps it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import click

from ..errors import refused
from .declaration import InputError, simplified

T = TypeVar("T")
BACK = frozenset({"<", "retour"})
BACK_HINT = "(à tout moment, « < » ou « retour » revient à la question précédente)"


class GoBack(Exception):
    """The person asked for the previous question."""


def prompt(question: str, default: str | None = None, show_default: bool = True) -> str:
    """click.prompt, with `<` / « retour » as a way back."""
    raw = click.prompt(question, default=default, show_default=show_default and default is not None)
    if simplified(str(raw)) in BACK:
        raise GoBack
    return str(raw)


@dataclass
class Asker:
    interactive: bool

    def __call__(
        self,
        question: str,
        convert: Callable[[str], T],
        *,
        given: str | None = None,
        default: str | None = None,
        option: str = "",
    ) -> T:
        if given is not None:
            try:
                return convert(given)
            except InputError as err:
                raise refused(f"{option} : {err}") from None
        if not self.interactive:
            if default is not None:
                return convert(default)
            raise refused(
                f"Réponse manquante : indiquez {option} (ou lancez la commande sans --non-interactif)."
            )
        while True:
            raw = prompt(question, default=default)
            try:
                return convert(raw)
            except InputError as err:
                click.echo(f"  ✗ {err}")

    def yes(self, question: str, default: bool = False) -> bool:
        if not self.interactive:
            return default
        while True:
            raw = prompt(f"{question} (o/n)", default="o" if default else "n").strip().lower()
            if raw in ("o", "oui", "y", "yes"):
                return True
            if raw in ("n", "non", "no"):
                return False
            click.echo("  ✗ Répondez o (oui) ou n (non).")


def run_steps(steps: Sequence[Callable[[], object]]) -> None:
    """Run the questions in order; `GoBack` at one of them runs the previous one again."""
    index = 0
    while index < len(steps):
        try:
            steps[index]()
            index += 1
        except GoBack:
            if index == 0:
                click.echo("  (c'est la première question)")
            else:
                click.echo("  ↩ Question précédente.")
                index -= 1
