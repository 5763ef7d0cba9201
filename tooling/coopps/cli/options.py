"""Options shared by several commands, defined once: the register's root and
the output format (fed from the reporter registry)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import CoopError
from ..gitops.git import work_tree_root
from ..paths import SCHEMAS_DIR, register_relative

F = TypeVar("F", bound=Callable[..., Any])


def root_option(function: F) -> F:
    return click.option(
        "--racine",
        "root",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Racine du registre (par défaut : le dépôt git qui contient le dossier courant).",
    )(function)


def format_option(formats: Iterable[str]) -> Callable[[F], F]:
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(formats)),
        default="text",
        show_default=True,
        help="Format de sortie.",
    )


def resolve_root(root: Path | None) -> Path:
    """The register root: `--racine`, or the enclosing git work tree; a French error when it has no `schemas/`."""
    found = (root or work_tree_root(Path.cwd())).resolve()
    if not (found / SCHEMAS_DIR).is_dir():
        raise CoopError(
            f"« {found} » n'est pas la racine d'un registre (dossier `schemas/` absent) : "
            "lancez la commande dans le dépôt du registre ou indiquez --racine."
        )
    return found


def inside(root: Path, path: Path) -> str:
    """`path` relative to the register root; a French error when it lies outside."""
    rel = register_relative(root, path)
    if rel is None:
        raise CoopError(f"« {path} » est hors du registre {root}.")
    return rel
