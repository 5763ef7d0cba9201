"""The members of a team, asked one by one in `coop nouveau adhesion` (or given as `--membre` lines).

Each professional is first searched in the register by name or number, so that
one person is spelled one way everywhere; numbers are checked with their Luhn
key and training dates may not lie in the future, at the prompt.
"""

from __future__ import annotations

from typing import Any

import click

from ..errors import refused
from ..register import Register
from . import declaration as decl
from .asking import Asker, GoBack, prompt
from .declaration import InputError

MAX_LISTED = 30


def ask_members(
    ask: Asker, register: Register, protocol: dict[str, Any], lines: tuple[str, ...]
) -> list[dict[str, Any]]:
    refs = register.schemas.referentials
    members: list[dict[str, Any]] = []
    if lines:
        for number, line in enumerate(lines, start=1):
            try:
                members.append(decl.member_from_fields(line.split(";"), protocol, refs))
            except InputError as err:
                raise refused(f"--membre n° {number} : {err}") from None
        return members
    if not ask.interactive:
        raise refused(
            "Réponse manquante : indiquez au moins un --membre délégant et un --membre délégué."
        )
    while True:
        click.echo(f"\nMembre n° {len(members) + 1}")
        try:
            member = _ask_member(ask, register, protocol)
        except GoBack:
            if not members:
                raise
            click.echo(f"  ↩ On reprend le membre n° {len(members)}.")
            members.pop()
            continue
        twin = _already_in(members, member)
        if twin:
            click.echo(
                f"  ✗ Ce professionnel figure déjà dans l'équipe (membre n° {twin}) : saisissez un autre membre."
            )
            continue
        members.append(member)
        roles = {m["role"] for m in members}
        if roles >= {"delegant", "delegue"} and not ask.yes("Ajouter un autre membre ?"):
            return members
        if not roles >= {"delegant", "delegue"}:
            click.echo(
                "L'équipe doit compter au moins un délégant et un délégué : ajoutez le membre suivant."
            )


def _ask_member(ask: Asker, register: Register, protocol: dict[str, Any]) -> dict[str, Any]:
    """One member; « < » at the search goes back to the previous member, later it restarts this one."""
    known = _look_up(register)
    while True:
        try:
            return _member_details(ask, register, protocol, known)
        except GoBack:
            click.echo("  ↩ On reprend ce membre depuis son numéro.")


def _member_details(
    ask: Asker, register: Register, protocol: dict[str, Any], known: dict[str, Any]
) -> dict[str, Any]:
    refs = register.schemas.referentials
    number = ask(
        "RPPS (11 chiffres) ou ADELI (9 chiffres)",
        decl.identifier,
        default=known.get("rpps") or known.get("adeli"),
    )
    if not known:
        known = _same_number(ask, register, next(iter(number.values())))
    role = ask(
        "Rôle : delegant ou delegue",
        lambda v: decl.pick_code(v, refs["role"], refs["role"].codes, "le rôle"),
    )
    professions = decl.professions_for(protocol, role)
    modes = protocol.get("modes_exercice") or refs["mode_exercice"].codes
    member: dict[str, Any] = {
        **number,
        "nom_exercice": ask(
            "Nom d'exercice",
            lambda v: decl.clean_text(v, "Le nom", 100),
            default=known.get("nom_exercice"),
        ),
        "prenom": ask(
            "Prénom", lambda v: decl.clean_text(v, "Le prénom", 100), default=known.get("prenom")
        ),
        "profession": ask(
            f"Profession ({', '.join(professions)})",
            lambda v: decl.pick_code(
                v, refs["profession"], professions, "la profession pour ce rôle"
            ),
            default=professions[0] if len(professions) == 1 else None,
        ),
        "mode_exercice": ask(
            f"Mode d'exercice ({', '.join(modes)})",
            lambda v: decl.pick_code(v, refs["mode_exercice"], modes, "le mode d'exercice"),
            default=known.get("mode_exercice") if known.get("mode_exercice") in modes else None,
        ),
        "role": role,
    }
    if role == "delegue":
        member["formation"] = _ask_training(ask, protocol)
    return member


def _look_up(register: Register) -> dict[str, Any]:
    """Search the register by name or RPPS first, so that one person is spelled one way."""
    while True:
        query = prompt(
            "Rechercher le professionnel dans le registre par son nom ou son RPPS "
            "(Entrée pour le saisir directement)",
            default="",
            show_default=False,
        ).strip()
        if not query:
            return {}
        found = decl.find_members(register, query)[:MAX_LISTED]
        if not found:
            click.echo(f"  Aucun professionnel « {query} » dans le registre : saisissez-le.")
            return {}
        for number, member in enumerate(found, start=1):
            click.echo(
                f"  {number}. {member['prenom']} {member['nom_exercice']} — "
                f"{'RPPS ' + member['rpps'] if 'rpps' in member else 'ADELI ' + member['adeli']} — "
                f"{member['profession']} ({member['vu_dans']})"
            )
        raw = prompt(
            "Numéro du professionnel à reprendre (0 : aucun, nouvelle recherche)", default="0"
        ).strip()
        if raw.isdigit() and 1 <= int(raw) <= len(found):
            return found[int(raw) - 1]


def _same_number(ask: Asker, register: Register, number: str) -> dict[str, Any]:
    found = [
        m for m in decl.find_members(register, number) if number in (m.get("rpps"), m.get("adeli"))
    ]
    if found and ask.yes(
        f"Ce numéro figure déjà au registre : {found[0]['prenom']} {found[0]['nom_exercice']}. "
        "Reprendre cette orthographe ?",
        default=True,
    ):
        return found[0]
    return {}


def _ask_training(ask: Asker, protocol: dict[str, Any]) -> dict[str, Any]:
    required = protocol.get("formation", {}).get("duree_heures")
    hint = f" (le protocole exige {required:g} h)" if required else ""
    return {
        "date": ask(
            "Date de fin de formation (AAAA-MM-JJ)",
            lambda v: decl.past_date(v, "La date de formation"),
        ),
        "organisme": ask("Organisme de formation", lambda v: decl.clean_text(v, "L'organisme")),
        "duree_heures": ask(
            f"Durée de la formation en heures{hint}",
            lambda v: decl.parse_hours(v, "La durée"),
            default=f"{required:g}" if required else None,
        ),
    }


def _already_in(members: list[dict[str, Any]], member: dict[str, Any]) -> int:
    """The 1-based position of the same professional (same RPPS or ADELI) in `members`, or 0."""
    numbers = {member.get(key) for key in ("rpps", "adeli")} - {None}
    return next(
        (n for n, m in enumerate(members, start=1) if numbers & {m.get("rpps"), m.get("adeli")}), 0
    )
