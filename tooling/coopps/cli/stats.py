"""`coop chiffres`: the steering figures of the dashboards, for a region, a protocol or the nation."""

from __future__ import annotations

import datetime
import json
import sys
from pathlib import Path

import click

from ..errors import CoopError
from ..paths import refuse_symlinks, write_atomically
from ..stats.figures import TABLES
from ..textguards import terminal_lines
from ..wording import french_date
from .options import format_option, resolve_root, root_option


@click.command("chiffres")
@root_option
@click.option(
    "--region",
    metavar="CODE",
    help="Code INSEE de la région (exemple : 84) ; par défaut la France entière.",
)
@click.option("--protocole", "protocol", metavar="ID", help="Identifiant d'un protocole.")
@format_option(["text", "json", "csv"])
@click.option(
    "--tableau",
    type=click.Choice(list(TABLES)),
    help="Un seul tableau (le même fichier CSV que le site).",
)
@click.option(
    "--sortie",
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier où écrire chaque tableau en fichier CSV <tableau>.csv.",
)
@click.option(
    "--date",
    "as_of",
    metavar="AAAA-MM-JJ",
    help="Calculer à cette date (par défaut : aujourd'hui).",
)
@click.option(
    "--ref",
    metavar="REF",
    help="Branche dont l'historique date les adhésions (par défaut : main, sinon HEAD).",
)
def stats_command(
    root: Path | None,
    region: str | None,
    protocol: str | None,
    output_format: str,
    tableau: str | None,
    sortie: Path | None,
    as_of: str | None,
    ref: str | None,
) -> None:
    """Chiffres de pilotage : adhésions actives dans le temps, rapports de suivi, retards, indicateurs.

    Les mêmes chiffres que les tableaux de bord du site, pour une région, un
    protocole ou la France entière.
    """
    from ..gitops.history import load_history
    from ..gitops.status import default_ref
    from ..register import Register
    from ..stats import output
    from ..stats.facts import Scope, collect
    from ..stats.figures import figures

    register_root = resolve_root(root)
    if as_of is not None and not _is_date(as_of):
        raise CoopError(f"« {as_of} » n'est pas une date AAAA-MM-JJ (exemple : 2025-04-01).")
    register = Register.load(register_root)
    facts = collect(register, load_history(register_root, ref or default_ref(register_root)), as_of)
    scope = Scope(region, protocol)
    if region is not None and region not in facts.region_labels:
        raise CoopError(
            f"« {region} » n'est pas un code de région : codes possibles {', '.join(sorted(facts.region_labels))}."
        )
    if protocol is not None and protocol not in register.protocols:
        raise CoopError(f"Le protocole « {protocol} » n'existe pas dans `protocols/`.")
    tables = figures(facts, scope)
    if tableau:
        tables = {tableau: tables[tableau]}
    if sortie:
        refuse_symlinks(sortie, [sortie / f"{name}.csv" for name in tables])
        for name, table in tables.items():
            write_atomically(sortie, sortie / f"{name}.csv", table.csv())
        click.echo(f"{len(tables)} fichier(s) CSV écrit(s) dans {sortie}.", err=True)
        return
    if output_format == "json":
        sys.stdout.write(
            json.dumps(output.as_json(tables, facts, scope), ensure_ascii=False, indent=2) + "\n"
        )
    elif output_format == "csv":
        output.write_csv(tables, sys.stdout)
    else:
        heading = f"Statistiques du registre — {output.scope_title(facts, scope)}, au {french_date(facts.today)}"
        output.write_text(tables, heading, terminal_lines(sys.stdout))


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return len(text) == 10
