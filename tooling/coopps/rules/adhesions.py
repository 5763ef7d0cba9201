"""Does the protocol apply to this team, and do the members fit its roles?"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from ..findings import Finding, make_finding
from ..register import Entry, Register
from ..textguards import renders_blank


def check_protocol_applies(entry: Entry, register: Register) -> Iterator[Finding]:
    where = entry.where
    protocol = register.protocol(where.protocol_id)
    if protocol is None:
        yield make_finding("protocole-inconnu", entry.path, 1, (
            f"Le protocole « {where.protocol_id} » n'existe pas dans `protocols/` : vérifiez le nom du dossier "
            "(identifiant du protocole tel qu'il figure dans le catalogue)."
        ))
        return
    if not protocol.valid:
        return  # the protocol's own findings say what to fix first
    yield from _status(entry, protocol.data)
    yield from _scope(entry, protocol.data, register)


def _status(entry: Entry, protocol: dict[str, Any]) -> Iterator[Finding]:
    status = protocol["statut"]
    authorised = protocol.get("arrete", {}).get("date")
    if authorised and entry.data["date_declaration"] < authorised:
        yield make_finding("dates-incoherentes", entry.path, entry.line("date_declaration"), (
            f"Dates incohérentes : la déclaration ({entry.data['date_declaration']}) précède l'arrêté qui autorise "
            f"le protocole ({authorised}). Corrigez la date de déclaration."
        ))
    if status == "arrete":
        stopped = protocol.get("arret", {}).get("date", "")
        if entry.data["date_declaration"] >= stopped:
            yield make_finding("protocole-arrete", entry.path, entry.line("date_declaration"), (
                f"Le protocole est arrêté depuis le {stopped} : aucune adhésion ne peut être déclarée après cette date. "
                "Choisissez un protocole autorisé dans le catalogue."
            ))
    elif status != "autorise":
        yield make_finding("protocole-non-autorise", entry.path, 1, (
            f"On n'adhère qu'à un protocole autorisé ; celui-ci est au statut « {status} ». "
            "Choisissez un protocole autorisé dans le catalogue, ou attendez son autorisation."
        ))


def _scope(entry: Entry, protocol: dict[str, Any], register: Register) -> Iterator[Finding]:
    region, scope = entry.where.region, protocol["portee"]
    label = register.schemas.referentials["region"].label
    if scope == "regional" and region not in {protocol["region"], *protocol.get("regions_application", [])}:
        regions = ", ".join(f"{code} ({label(code)})" for code in [protocol["region"], *protocol.get("regions_application", [])])
        yield make_finding("protocole-hors-region", entry.path, 1, (
            f"Ce protocole régional ne s'applique pas en région {region} ({label(region)}) ; il s'applique en : {regions}. "
            "Déplacez l'adhésion dans le dossier d'une de ces régions, ou choisissez un autre protocole."
        ))
    elif scope == "local" and (entry.where.team_id != protocol["equipe_promotrice"] or region != protocol["region"]):
        yield make_finding("protocole-local-autre-equipe", entry.path, 1, (
            f"Ce protocole local est réservé à l'équipe « {protocol['equipe_promotrice']} » de la région "
            f"{protocol['region']} : une autre équipe ne peut pas y adhérer."
        ))


def check_roles(entry: Entry, register: Register) -> Iterator[Finding]:
    protocol = register.protocol(entry.where.protocol_id)
    members = entry.data["membres"]
    yield from _missing_roles(entry, members)
    yield from _duplicates(entry, members)
    yield from _same_person_two_numbers(entry, members)
    yield from _blank_names(entry, members)
    for position, member in enumerate(members):
        yield from _formation_role(entry, position, member)
    if protocol is None or not protocol.valid:
        return
    yield from _structure(entry, protocol.data, register)
    for position, member in enumerate(members):
        yield from _member_fits(entry, position, member, protocol.data, register)


def _missing_roles(entry: Entry, members: list[dict[str, Any]]) -> Iterator[Finding]:
    roles = {member["role"] for member in members}
    for role, label in (("delegant", "délégant"), ("delegue", "délégué")):
        if role not in roles:
            yield make_finding("role-manquant", entry.path, entry.line("membres"), (
                f"L'équipe n'a aucun {label} : ajoutez au moins un membre avec `role: {role}`."
            ))


def _duplicates(entry: Entry, members: list[dict[str, Any]]) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for position, member in enumerate(members):
        for key in ("rpps", "adeli"):
            number = member.get(key)
            if number is None:
                continue
            if number in seen:
                yield make_finding("membre-en-double", entry.path, entry.line("membres", position), (
                    f"Le {key.upper()} {number} figure déjà au membre n° {seen[number] + 1} : "
                    "un professionnel n'apparaît qu'une fois dans l'équipe (supprimez ce doublon)."
                ))
            else:
                seen[number] = position


def _person(member: dict[str, Any]) -> tuple[str, ...] | None:
    """Who a member is, whatever number declares them: names (case and accents aside) and profession."""
    names = [member.get("prenom"), member.get("nom_exercice")]
    folded = [_folded(name) for name in names if isinstance(name, str)]
    if len(folded) < 2 or not all(folded):
        return None
    return (*folded, str(member.get("profession")))


def _folded(name: str) -> str:
    """`name` without case, accents or extra spaces: « Élise  MARTIN » is « elise martin »."""
    decomposed = unicodedata.normalize("NFKD", name)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _same_person_two_numbers(entry: Entry, members: list[dict[str, Any]]) -> Iterator[Finding]:
    """The same professional declared once by RPPS and once by ADELI (same names, same profession)."""
    by_rpps = {_person(m): position for position, m in enumerate(members) if m.get("rpps") and _person(m)}
    for position, member in enumerate(members):
        twin = by_rpps.get(_person(member)) if member.get("adeli") and not member.get("rpps") else None
        if twin is not None:
            yield make_finding("personne-en-double", entry.path, entry.line("membres", position), (
                f"Ce membre (ADELI {member['adeli']}) porte les mêmes nom, prénom et profession que le membre "
                f"n° {twin + 1} (RPPS {members[twin]['rpps']}) : un professionnel n'apparaît qu'une fois, sous son "
                "RPPS. Supprimez cette ligne, ou corrigez le nom s'il s'agit de deux personnes."
            ))


def _blank_names(entry: Entry, members: list[dict[str, Any]]) -> Iterator[Finding]:
    """A name that shows nothing (U+2800 braille blanks, fillers, format characters) names no one."""
    named: list[tuple[tuple[str | int, ...], Any]]
    named = [(("equipe", key), entry.data["equipe"].get(key)) for key in ("nom", "commune")]
    named += [(("membres", position, key), member.get(key)) for position, member in enumerate(members)
              for key in ("prenom", "nom_exercice")]
    for where, value in named:
        if isinstance(value, str) and renders_blank(value):
            yield make_finding("nom-blanc", entry.path, entry.line(*where), (
                f"« {where[-1]} » ne montre aucun caractère visible (espaces ou caractères blancs) : "
                "écrivez le nom en lettres."
            ))


def _formation_role(entry: Entry, position: int, member: dict[str, Any]) -> Iterator[Finding]:
    if member["role"] == "delegant" and "formation" in member:
        yield make_finding("formation-reservee-delegue", entry.path, entry.line("membres", position, "formation"), (
            "La formation n'est demandée qu'aux délégués : retirez `formation` de ce délégant."
        ))


def _structure(entry: Entry, protocol: dict[str, Any], register: Register) -> Iterator[Finding]:
    allowed = protocol.get("cadres_exercice")
    structure = entry.data["equipe"]["structure"]
    if allowed and structure not in allowed:
        label = register.schemas.referentials["cadre_exercice"].label
        yield make_finding("cadre-non-prevu", entry.path, entry.line("equipe", "structure"), (
            f"Le protocole ne s'applique pas dans une structure « {label(structure)} » ; cadres prévus : "
            f"{', '.join(label(code) for code in allowed)}."
        ))


def _member_fits(entry: Entry, position: int, member: dict[str, Any], protocol: dict[str, Any],
                 register: Register) -> Iterator[Finding]:
    labels = register.schemas.referentials
    role, profession = member["role"], member["profession"]
    allowed = protocol.get("professions", {}).get("delegants" if role == "delegant" else "delegues")
    if allowed and profession not in allowed:  # unknown in some historic records
        profession_label = labels["profession"].label
        yield make_finding("profession-non-prevue", entry.path, entry.line("membres", position, "profession"), (
            f"La profession « {profession_label(profession)} » n'est pas prévue comme {labels['role'].label(role).lower()} "
            f"par ce protocole ; professions prévues : {', '.join(profession_label(p) for p in allowed)}."
        ))
    modes = protocol.get("modes_exercice")
    if modes and member["mode_exercice"] not in modes:
        yield make_finding("mode-non-prevu", entry.path, entry.line("membres", position, "mode_exercice"), (
            f"Le mode d'exercice « {labels['mode_exercice'].label(member['mode_exercice'])} » n'est pas prévu par "
            f"ce protocole ; modes prévus : {', '.join(labels['mode_exercice'].label(m) for m in modes)}."
        ))
    required_hours = protocol.get("formation", {}).get("duree_heures")
    hours = member.get("formation", {}).get("duree_heures")
    if role == "delegue" and required_hours and hours is not None and hours < required_hours:
        yield make_finding("formation-insuffisante", entry.path, entry.line("membres", position, "formation", "duree_heures"), (
            f"Formation de {hours:g} h déclarée ; le protocole en exige {required_hours:g} h. "
            "Vérifiez la durée ou complétez la formation."
        ))
