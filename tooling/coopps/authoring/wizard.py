"""`coop nouveau protocole`, and what both wizards share: the region question and writing the file.

Each prompt has a flag, so a test or a workflow can answer without a
terminal (`--non-interactif` turns a missing answer into an error). The file
is built as data, written in fmt's canonical form at the path its identity
gives, never over an existing file, then validated as a draft. The adhesion
wizard is `adhesion_wizard.py`; how questions are asked, `asking.py`.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..errors import refused
from ..findings import Report
from ..paths import PROTOCOLS_DIR, SLUG, YAML_SUFFIX
from ..register import Register
from . import declaration as decl
from .asking import Asker, prompt
from .declaration import InputError


def ask_region(
    ask: Asker, register: Register, given: str | None, default: str | None = None
) -> str:
    regions = register.schemas.referentials["region"]
    if given is None and ask.interactive:
        click.echo("Régions :")
        for code in regions.codes:
            click.echo(f"  {code}  {regions.label(code)}")
    code = ask(
        "Code ou nom de la région de l'équipe",
        lambda v: decl.region_code(v, regions),
        given=given,
        default=default,
        option="--region",
    )
    click.echo(f"Région : {code} — {regions.label(code)}")
    return code


# --- writing ------------------------------------------------------------------------------------------------


def write_and_check(
    register: Register, rel: str, kind: str, data: dict[str, Any], *, stop_on_errors: bool = True
) -> Report:
    from ..checker import Options, validate
    from ..reporters import TextReporter
    from .fmt import FormatRefused, format_data

    try:
        text = format_data(kind, data, register.schemas)
    except FormatRefused as err:
        raise refused(str(err)) from None
    decl.write_new_file(register.root, rel, text)
    click.echo(f"\nFichier écrit : {rel}")
    report = validate(Options(root=register.root, paths=(rel,), draft=True))
    if report.findings:
        click.echo("Vérification (comme pour une pull request en brouillon) :")
        TextReporter(register.root).write(report, sys.stdout)
    else:
        click.echo("Vérification : aucune erreur, aucun avertissement.")
    if report.errors and stop_on_errors:
        click.echo(
            f"Le fichier {rel} ne passe pas la vérification : corrigez ces erreurs dans le fichier avant "
            "d'ouvrir la pull request (puis `coop verifier`)."
        )
        sys.exit(1)
    return report


def next_steps(rel: str, branch: str, message: str) -> None:
    click.echo(
        "\nEt maintenant :\n"
        f"  1. git switch -c {branch}\n"
        f"  2. git add {rel}\n"
        f'  3. git commit -m "{message}"\n'
        f"  4. git push -u origin {branch}\n"
        "  5. Ouvrez la pull request sur GitHub (en brouillon tant que des pièces manquent) : "
        "la vérification automatique y répond, puis l'ARS de votre région l'instruit."
    )


# --- coop nouveau protocole ---------------------------------------------------------------------------------------


def new_protocole(
    root: Path,
    region: str | None,
    slug: str | None,
    intitule: str | None,
    team: str | None,
    promoters: tuple[str, ...],
    date_depot: str | None,
    delegants: tuple[str, ...],
    delegues: tuple[str, ...],
    natures: tuple[str, ...],
    actes: tuple[str, ...],
    batch: bool,
) -> None:
    """Déposer un protocole local (statut « depose »), écrit par une équipe."""
    register = Register.load(root)
    ask = Asker(interactive=not batch)
    refs = register.schemas.referentials
    code = ask_region(ask, register, region)

    def protocol_slug(raw: str) -> str:
        text = raw.strip()
        if not SLUG.fullmatch(text) or len(text) > 60:
            raise InputError(
                "minuscules sans accent, chiffres et tirets, 60 caractères au plus (exemple : suivi-diabete)."
            )
        if (register.root / PROTOCOLS_DIR / f"loc-{code}-{text}{YAML_SUFFIX}").exists():
            raise InputError(
                f"le protocole loc-{code}-{text} existe déjà : choisissez un autre nom."
            )
        return text

    name = ask(
        "Nom court du protocole (minuscules et tirets : suivi-diabete)",
        protocol_slug,
        given=slug,
        option="--identifiant",
    )
    data: dict[str, Any] = {
        "intitule": ask(
            "Intitulé du protocole",
            lambda v: decl.clean_text(v, "L'intitulé", 2000),
            given=intitule,
            option="--intitule",
        ),
        "portee": "local",
        "statut": "depose",
        "region": code,
        "date_depot": ask(
            "Date de dépôt (AAAA-MM-JJ)",
            lambda v: decl.past_date(v, "La date de dépôt"),
            given=date_depot,
            default=datetime.date.today().isoformat(),
            option="--date-depot",
        ),
        "promoteurs": _list(
            ask,
            "Structure promotrice",
            promoters,
            lambda v: decl.clean_text(v, "Le promoteur"),
            "--promoteur",
        ),
        "professions": {
            "delegants": _codes(
                ask, "Profession des délégants", delegants, refs["profession"], "--delegant"
            ),
            "delegues": _codes(
                ask, "Profession des délégués", delegues, refs["profession"], "--delegue"
            ),
        },
        "nature_actes": _codes(ask, "Nature des actes", natures, refs["nature_acte"], "--nature"),
        "actes_derogatoires": _list(
            ask, "Acte dérogatoire", actes, lambda v: decl.clean_text(v, "L'acte", 2000), "--acte"
        ),
        "equipe_promotrice": ask(
            "Identifiant de l'équipe promotrice", decl.team_id, given=team, option="--equipe"
        ),
    }
    rel = f"{PROTOCOLS_DIR}/loc-{code}-{name}{YAML_SUFFIX}"
    write_and_check(register, rel, "protocole", data)
    next_steps(rel, f"protocole-loc-{code}-{name}", f"Dépôt du protocole local loc-{code}-{name}")


def _codes(
    ask: Asker, question: str, given: tuple[str, ...], referential: Any, option: str
) -> list[str]:
    if given or ask.interactive:
        return _list(
            ask,
            f"{question} (code ou libellé)",
            given,
            lambda v: decl.pick_code(v, referential, referential.codes, question.lower()),
            option,
        )
    raise refused(f"Réponse manquante : indiquez au moins un {option}.")


def _list(
    ask: Asker, question: str, given: tuple[str, ...], convert: Callable[[str], str], option: str
) -> list[str]:
    if given:
        return list(
            dict.fromkeys(ask(question, convert, given=value, option=option) for value in given)
        )
    if not ask.interactive:
        raise refused(f"Réponse manquante : indiquez au moins un {option}.")
    values = [ask(question, convert)]
    while True:
        raw = prompt(f"{question} suivant (Entrée pour terminer)", default="", show_default=False)
        if not raw.strip():
            return list(dict.fromkeys(values))
        try:
            values.append(convert(raw))
        except InputError as err:
            click.echo(f"  ✗ {err}")
