"""Does the protocol apply to this team, and do the members fit its roles?"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..checks import Check, Example, declare
from ..directory import fold
from ..findings import Finding
from ..register import Entry, Register
from ..textguards import renders_blank
from .dates import CONTRADICTORY
from .registry import at, on_file, rule

ADHESION = ("adhesion",)
UNKNOWN_PROTOCOL = declare(
    Check(
        "protocole-inconnu",
        "registre",
        "error",
        title="L'adhésion vise un protocole absent de `protocols/`.",
        example="adhesions/84/nat-inexistant/msp-exemple.yml",
        fix="adhesions/84/nat-sutures-plaies/msp-exemple.yml",
        kinds=ADHESION,
        consults=("protocole",),
        failing=(Example("", path="adhesions/84/nat-inexistant/msp-a.yml", needle="# yaml"),),
        message="Le protocole « {protocole} » n'existe pas dans `protocols/` : vérifiez le "
        "nom du dossier (identifiant du protocole tel qu'il figure dans le "
        "catalogue).",
    )
)
NOT_AUTHORISED = declare(
    Check(
        "protocole-non-autorise",
        "registre",
        "error",
        title="On n'adhère qu'à un protocole autorisé (statut `autorise`).",
        example="adhesion à un protocole au statut `refuse`",
        fix="Choisissez un protocole autorisé dans le catalogue.",
        kinds=ADHESION,
        consults=("protocole",),
        failing=(Example("", path="adhesions/84/reg-84-refuse/msp-a.yml", needle="# yaml"),),
        message="On n'adhère qu'à un protocole autorisé ; celui-ci est au statut "
        "« {statut} ». Choisissez un protocole autorisé dans le catalogue, ou "
        "attendez son autorisation.",
    )
)
_STOPPED = (
    "Le protocole est arrêté depuis le {arret} : aucune adhésion ne peut être "
    "déclarée après cette date. Choisissez un protocole autorisé dans le "
    "catalogue."
)
STOPPED = declare(
    Check(
        "protocole-arrete",
        "registre",
        "error",
        title="L'adhésion est déclarée le jour de l'arrêt du protocole ou après : aucune "
        "adhésion n'est possible à un protocole arrêté.",
        example="adhésion déclarée après la date d'arrêt du protocole",
        fix="Choisissez un protocole autorisé, ou ajoutez `fin` à l'adhésion existante.",
        kinds=ADHESION,
        consults=("protocole",),
        message=_STOPPED,
        form=_STOPPED,
        failing=(Example("", path="adhesions/84/nat-arrete/msp-a.yml", needle="date_declaration"),),
        passing=(
            Example(
                "date_declaration: 2022-03-12",
                "date_declaration: 2024-03-12",
                path="adhesions/84/nat-arrete/msp-a.yml",
            ),
        ),
    )
)
OUT_OF_REGION = declare(
    Check(
        "protocole-hors-region",
        "registre",
        "error",
        title="Le protocole ne s'applique pas dans la région de l'adhésion.",
        example="adhesions/11/<protocole régional de la région 84>/…",
        fix="Déclarez l'adhésion dans une région où le protocole s'applique.",
        kinds=ADHESION,
        consults=("protocole",),
        failing=(
            Example(
                "",
                path="adhesions/93/reg-84-test/msp-a.yml",
                needle="# yaml",
                also=("code-postal-hors-region",),
            ),
        ),  # the sample team is in Lyon
        passing=(
            Example(
                '  code_postal: "75011"',
                '  code_postal: "69003"',
                path="adhesions/11/reg-84-test/msp-a.yml",
            ),
        ),
        message="Ce protocole régional ne s'applique pas en région {region} "
        "({nom_region}) ; il s'applique en : {regions}. Déplacez l'adhésion dans le "
        "dossier d'une de ces régions, ou choisissez un autre protocole.",
    )
)
OTHER_TEAM = declare(
    Check(
        "protocole-local-autre-equipe",
        "registre",
        "error",
        title="Un protocole local ne s'applique qu'à l'équipe qui l'a promu.",
        example="adhesions/84/loc-84-exemple/autre-equipe.yml",
        fix="adhesions/84/loc-84-exemple/<equipe_promotrice>.yml",
        kinds=ADHESION,
        consults=("protocole",),
        failing=(Example("", path="adhesions/84/loc-84-test/msp-b.yml", needle="# yaml"),),
        passing=(Example("", path="adhesions/84/loc-84-test/msp-a.yml"),),
        message="Ce protocole local est réservé à l'équipe « {equipe_promotrice} » de la "
        "région {region} : une autre équipe ne peut pas y adhérer.",
    )
)
MISSING_ROLE = declare(
    Check(
        "role-manquant",
        "registre",
        "error",
        title="L'équipe doit compter au moins un délégant et au moins un délégué.",
        example="membres:\n  - role: delegue",
        fix="membres:\n  - role: delegant\n  - role: delegue",
        kinds=ADHESION,
        message="L'équipe n'a aucun {libelle} : ajoutez au moins un membre avec `role: {role}`.",
        form="l'équipe n'a aucun {libelle} : ajoutez une ligne dont le rôle est « {role} ».",
        failing=(
            Example(
                "    role: delegue",
                "    role: delegant",
                needle="membres:",
                also=("formation-manquante", "piece-manquante", "profession-non-prevue"),
            ),
        ),
    )
)
_PROFESSION = (
    "La profession « {profession} » n'est pas prévue comme {role} par ce "
    "protocole ; professions prévues : {prevues}."
)
PROFESSION = declare(
    Check(
        "profession-non-prevue",
        "registre",
        "error",
        title="La profession du membre n'est pas prévue par le protocole pour son rôle.",
        example="profession: masseur_kinesitherapeute\nrole: delegue   "
        "# protocole : délégués infirmiers",
        fix="profession: infirmier\nrole: delegue",
        kinds=ADHESION,
        consults=("protocole",),
        message=_PROFESSION,
        form=_PROFESSION,
        failing=(Example("    profession: orthoptiste", "    profession: infirmier"),),
        passing=(
            Example(
                "    profession: orthoptiste",
                "    profession: infirmier",
                path="adhesions/84/reg-84-test/msp-a.yml",
            ),
        ),
    )
)
_STRUCTURE = (
    "Le protocole ne s'applique pas dans une structure « {structure} » ; cadres prévus : {prevus}."
)
STRUCTURE = declare(
    Check(
        "cadre-non-prevu",
        "registre",
        "error",
        title="La structure de l'équipe ne fait pas partie des cadres d'exercice prévus par "
        "le protocole.",
        example="equipe:\n  structure: cabinet_liberal   # protocole : msp, centre_sante",
        fix="equipe:\n  structure: msp",
        kinds=ADHESION,
        consults=("protocole",),
        message=_STRUCTURE,
        form=_STRUCTURE + " Choisissez une autre « Structure », ou un autre protocole.",
        failing=(Example("  structure: ehpad", "  structure: msp"),),
    )
)
_MODE = "Le mode d'exercice « {mode} » n'est pas prévu par ce protocole ; modes prévus : {prevus}."
MODE = declare(
    Check(
        "mode-non-prevu",
        "registre",
        "error",
        title="Le mode d'exercice du membre n'est pas prévu par le protocole.",
        example="mode_exercice: salarie_prive   # protocole : liberal",
        fix="mode_exercice: liberal",
        kinds=ADHESION,
        consults=("protocole",),
        message=_MODE,
        form=_MODE,
        failing=(
            Example(
                "    mode_exercice: salarie_prive",
                "    mode_exercice: salarie_public",
                path="adhesions/84/reg-84-test/msp-a.yml",
            ),
        ),
    )
)
DUPLICATE = declare(
    Check(
        "membre-en-double",
        "registre",
        "error",
        title="Le même professionnel (RPPS ou ADELI) figure deux fois dans l'équipe.",
        example='membres:\n  - rpps: "10000000009"\n  - rpps: "10000000009"',
        fix='membres:\n  - rpps: "10000000009"',
        kinds=ADHESION,
        message="Le {identifiant} {numero} figure déjà au membre n° {premier} : un "
        "professionnel n'apparaît qu'une fois dans l'équipe (supprimez ce doublon).",
        form="ce professionnel figure déjà sur une ligne plus haut : supprimez la ligne en double.",
        failing=(
            Example(
                '  - rpps: "10000001015"',
                '  - rpps: "10000001023"',
                occurrence=2,
                also=("piece-manquante", "piece-manquante", "rpps-orthographe")
                + ("piece-membre-inconnu",) * 4,
            ),
        ),
    )
)
_ADELI_TWIN = (
    '  - adeli: "840000001"\n    nom_exercice: EXEMPLE\n    prenom: camille\n'
    "    profession: medecin\n    mode_exercice: liberal\n    role: delegant\n"
)
PERSON_TWICE = declare(
    Check(
        "personne-en-double",
        "registre",
        "error",
        title="Le même professionnel figure deux fois dans l'équipe, sous son RPPS et sous "
        "son ADELI (mêmes nom, prénom et profession).",
        example='membres:\n  - rpps: "10000000009"\n    prenom: Camille\n'
        '    nom_exercice: Exemple\n  - adeli: "840000001"\n    prenom: Camille\n'
        "    nom_exercice: Exemple",
        fix='membres:\n  - rpps: "10000000009"\n    prenom: Camille\n    nom_exercice: Exemple',
        kinds=ADHESION,
        message="Ce membre (ADELI {adeli}) porte les mêmes nom, prénom et profession que le "
        "membre n° {premier} (RPPS {rpps}) : un professionnel n'apparaît qu'une fois, "
        "sous son RPPS. Supprimez cette ligne, ou corrigez le nom s'il s'agit de deux "
        "personnes.",
        form="ce professionnel figure déjà plus haut sous son RPPS : supprimez la ligne en double.",
        failing=(
            Example(
                _ADELI_TWIN + "pieces:\n",
                "pieces:\n",
                needle='adeli: "840000001"',
                also=("piece-manquante", "piece-manquante"),
            ),
        ),
    )
)
BLANK_NAME = declare(
    Check(
        "nom-blanc",
        "registre",
        "error",
        title="Un nom (équipe, commune, membre) ne montre aucun caractère visible : espaces, "
        "blancs braille (U+2800), caractères de remplissage.",
        example='membres:\n  - prenom: "\u2800\u2800\u2800"',
        fix="membres:\n  - prenom: Camille",
        kinds=ADHESION,
        message="« {cle} » ne montre aucun caractère visible (espaces ou caractères blancs) : "
        "écrivez le nom en lettres.",
        form="ce nom ne montre aucun caractère visible : écrivez-le en lettres.",
        failing=(
            Example(
                '    prenom: "\u2800\u2800 \u3164"', "    prenom: Camille", needle="    prenom:"
            ),
        ),
    )
)
TRAINING_OF_DELEGANT = declare(
    Check(
        "formation-reservee-delegue",
        "registre",
        "warning",
        title="La formation n'est demandée qu'aux délégués.",
        example='role: delegant\nformation: {date: "2024-01-10", organisme: X, duree_heures: 20}',
        fix="role: delegant",
        kinds=ADHESION,
        message="La formation n'est demandée qu'aux délégués : retirez `formation` de ce délégant.",
        form="la formation ne se déclare que pour un délégué : retirez les trois derniers "
        "champs de cette ligne.",
        failing=(
            Example(
                "    role: delegant\n    formation:\n      date: 2024-01-15\n"
                "      organisme: X\n      duree_heures: 20\n",
                "    role: delegant\n",
                needle="formation:",
            ),
        ),
    )
)
_SHORT_TRAINING = (
    "Formation de {heures:g} h déclarée ; le protocole en exige "
    "{exigees:g} h. Vérifiez la durée ou complétez la formation."
)
SHORT_TRAINING = declare(
    Check(
        "formation-insuffisante",
        "registre",
        "warning",
        title="La durée de formation déclarée est inférieure à celle exigée par le protocole.",
        example="formation:\n  duree_heures: 10   # protocole : 40 h",
        fix="formation:\n  duree_heures: 40",
        kinds=ADHESION,
        consults=("protocole",),
        message=_SHORT_TRAINING,
        form=_SHORT_TRAINING,
        failing=(Example("      duree_heures: 8", "      duree_heures: 20"),),
        passing=(Example("      duree_heures: 25", "      duree_heures: 20"),),
    )
)


@rule(
    "adhesion", UNKNOWN_PROTOCOL, CONTRADICTORY, STOPPED, NOT_AUTHORISED, OUT_OF_REGION, OTHER_TEAM
)
def check_protocol_applies(entry: Entry, register: Register) -> Iterator[Finding]:
    where = entry.where
    protocol = register.protocol(where.protocol_id)
    if protocol is None:
        yield on_file(UNKNOWN_PROTOCOL, entry, protocole=where.protocol_id)
        return
    if not protocol.valid:
        return  # the protocol's own findings say what to fix first
    yield from _status(entry, protocol.data)
    yield from _scope(entry, protocol.data, register)


def _status(entry: Entry, protocol: dict[str, Any]) -> Iterator[Finding]:
    status = protocol["statut"]
    authorised = protocol.get("arrete", {}).get("date")
    if authorised and entry.data["date_declaration"] < authorised:
        yield at(
            CONTRADICTORY,
            entry,
            "date_declaration",
            variante="autorisation",
            declaration=entry.data["date_declaration"],
            autorisation=authorised,
        )
    if status == "arrete":
        stopped = protocol.get("arret", {}).get("date", "")
        if entry.data["date_declaration"] >= stopped:
            yield at(STOPPED, entry, "date_declaration", arret=stopped)
    elif status != "autorise":
        yield on_file(NOT_AUTHORISED, entry, statut=status)


def _scope(entry: Entry, protocol: dict[str, Any], register: Register) -> Iterator[Finding]:
    region, scope = entry.where.region, protocol["portee"]
    label = register.schemas.referentials["region"].label
    if scope == "regional" and region not in {
        protocol["region"],
        *protocol.get("regions_application", []),
    }:
        codes = [protocol["region"], *protocol.get("regions_application", [])]
        regions = ", ".join(f"{code} ({label(code)})" for code in codes)
        yield on_file(
            OUT_OF_REGION, entry, region=region, nom_region=label(region), regions=regions
        )
    elif scope == "local" and (
        entry.where.team_id != protocol["equipe_promotrice"] or region != protocol["region"]
    ):
        yield on_file(
            OTHER_TEAM,
            entry,
            equipe_promotrice=protocol["equipe_promotrice"],
            region=protocol["region"],
        )


@rule(
    "adhesion",
    MISSING_ROLE,
    DUPLICATE,
    PERSON_TWICE,
    BLANK_NAME,
    TRAINING_OF_DELEGANT,
    STRUCTURE,
    PROFESSION,
    MODE,
    SHORT_TRAINING,
)
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
            yield at(MISSING_ROLE, entry, "membres", libelle=label, role=role)


def _duplicates(entry: Entry, members: list[dict[str, Any]]) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for position, member in enumerate(members):
        for key in ("rpps", "adeli"):
            number = member.get(key)
            if number is None:
                continue
            if number in seen:
                yield at(
                    DUPLICATE,
                    entry,
                    "membres",
                    position,
                    identifiant=key.upper(),
                    numero=number,
                    premier=seen[number] + 1,
                )
            else:
                seen[number] = position


def _person(member: dict[str, Any]) -> tuple[str, ...] | None:
    """Who a member is, whatever number declares them: names (case, accents aside), profession."""
    names = [member.get("prenom"), member.get("nom_exercice")]
    folded = [fold(name) for name in names if isinstance(name, str)]
    if len(folded) < 2 or not all(folded):
        return None
    return (*folded, str(member.get("profession")))


def _same_person_two_numbers(entry: Entry, members: list[dict[str, Any]]) -> Iterator[Finding]:
    """The same professional declared by RPPS and by ADELI (same names, same profession)."""
    by_rpps = {
        _person(m): position for position, m in enumerate(members) if m.get("rpps") and _person(m)
    }
    for position, member in enumerate(members):
        alone = member.get("adeli") and not member.get("rpps")
        twin = by_rpps.get(_person(member)) if alone else None
        if twin is not None:
            yield at(
                PERSON_TWICE,
                entry,
                "membres",
                position,
                adeli=member["adeli"],
                premier=twin + 1,
                rpps=members[twin]["rpps"],
            )


def _blank_names(entry: Entry, members: list[dict[str, Any]]) -> Iterator[Finding]:
    """A name that shows nothing (U+2800 braille blanks, fillers, format characters)."""
    named: list[tuple[tuple[str | int, ...], Any]]
    named = [(("equipe", key), entry.data["equipe"].get(key)) for key in ("nom", "commune")]
    named += [
        (("membres", position, key), member.get(key))
        for position, member in enumerate(members)
        for key in ("prenom", "nom_exercice")
    ]
    for where, value in named:
        if isinstance(value, str) and renders_blank(value):
            yield at(BLANK_NAME, entry, *where, cle=where[-1])


def _formation_role(entry: Entry, position: int, member: dict[str, Any]) -> Iterator[Finding]:
    if member["role"] == "delegant" and "formation" in member:
        yield at(TRAINING_OF_DELEGANT, entry, "membres", position, "formation")


def _structure(entry: Entry, protocol: dict[str, Any], register: Register) -> Iterator[Finding]:
    allowed = protocol.get("cadres_exercice")
    structure = entry.data["equipe"]["structure"]
    if allowed and structure not in allowed:
        label = register.schemas.referentials["cadre_exercice"].label
        yield at(
            STRUCTURE,
            entry,
            "equipe",
            "structure",
            structure=label(structure),
            prevus=", ".join(label(code) for code in allowed),
        )


def _member_fits(
    entry: Entry,
    position: int,
    member: dict[str, Any],
    protocol: dict[str, Any],
    register: Register,
) -> Iterator[Finding]:
    labels = register.schemas.referentials
    role, profession = member["role"], member["profession"]
    allowed = protocol.get("professions", {}).get("delegants" if role == "delegant" else "delegues")
    if allowed and profession not in allowed:  # unknown in some historic records
        profession_label = labels["profession"].label
        yield at(
            PROFESSION,
            entry,
            "membres",
            position,
            "profession",
            profession=profession_label(profession),
            role=labels["role"].label(role).lower(),
            prevues=", ".join(profession_label(p) for p in allowed),
        )
    modes = protocol.get("modes_exercice")
    if modes and member["mode_exercice"] not in modes:
        mode_label = labels["mode_exercice"].label
        yield at(
            MODE,
            entry,
            "membres",
            position,
            "mode_exercice",
            mode=mode_label(member["mode_exercice"]),
            prevus=", ".join(mode_label(m) for m in modes),
        )
    required_hours = protocol.get("formation", {}).get("duree_heures")
    hours = member.get("formation", {}).get("duree_heures")
    if role == "delegue" and required_hours and hours is not None and hours < required_hours:
        yield at(
            SHORT_TRAINING,
            entry,
            "membres",
            position,
            "formation",
            "duree_heures",
            heures=hours,
            exigees=required_hours,
        )
