"""Yearly follow-up reports (`<team-id>.suivi-<année>.yml`) checked against
their adhesion and the indicators their protocol declares.

A report stands beside its adhesion, so the path names the adhesion and the
year: two reports for one year of one adhesion cannot exist side by side, and
`annee` must repeat the year of the file name. `eig_declares` (serious adverse
events declared) is asked of every team whatever the protocol lists; the
protocol's `indicateurs[]` say which other values are due and of what type.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from typing import Any

from ..checks import Check, declare
from ..findings import Finding
from ..paths import ADHESIONS_DIR, REPORT_NAME, YAML_SUFFIX, DataPath
from ..register import Entry, Register
from .dates import today
from .registry import at, on_file, rule


def _report_check(
    code: str,
    title: str,
    example: str,
    fix: str,
    message: str | dict[str, str],
    severity: str = "error",
    completeness: bool = False,
) -> Check:
    """A check of the yearly reports: it reads the adhesion beside the report and its protocol."""
    return declare(
        Check(
            code,
            "suivi",
            "error" if severity == "error" else "warning",
            title=title,
            example=example,
            fix=fix,
            completeness=completeness,
            kinds=("suivi",),
            consults=("adhesion", "protocole"),
            message=message,
        )
    )


NO_ADHESION = _report_check(
    "suivi-sans-adhesion",
    "Un rapport de suivi se range à côté de l'adhésion qu'il concerne, avec le même "
    "identifiant d'équipe.",
    "adhesions/84/nat-sutures-plaies/msp-exempel.suivi-2024.yml   # adhésion : msp-exemple.yml",
    "adhesions/84/nat-sutures-plaies/msp-exemple.suivi-2024.yml",
    "Aucune adhésion « {adhesion} » à côté de ce rapport : un rapport de suivi se range "
    "à côté de l'adhésion qu'il concerne, avec le même identifiant d'équipe. Vérifiez "
    "le nom du fichier.",
)
YEAR_OF_PATH = _report_check(
    "suivi-annee-chemin",
    "L'année `annee` du rapport doit être celle du nom du fichier (un fichier par "
    "année : deux rapports pour la même année sont ainsi impossibles).",
    "# msp-exemple.suivi-2024.yml\nannee: 2023",
    "# msp-exemple.suivi-2024.yml\nannee: 2024",
    "`annee: {annee}` ne correspond pas à l'année {annee_du_nom} du nom du fichier : un "
    "fichier par année, nommé `{equipe}.suivi-<année>.yml`. Corrigez `annee` ou "
    "renommez le fichier.",
)
FUTURE_YEAR = _report_check(
    "suivi-annee-future",
    "Un rapport couvre une année civile terminée : ni l'année en cours, ni une année future.",
    "annee: 2099",
    "annee: 2024",
    "L'année {annee} est {quand} : un rapport couvre une année civile terminée. "
    "Déclarez au plus l'année {derniere}, et l'année {annee} à partir du 1er janvier "
    "{suivante}.",
)
BEFORE_ADHESION = _report_check(
    "suivi-avant-adhesion",
    "Le rapport porte sur une année antérieure à la déclaration de l'adhésion.",
    "annee: 2022   # adhésion déclarée le 2024-03-12",
    "annee: 2024",
    "L'adhésion a été déclarée le {declaration} : elle ne peut pas rendre compte de "
    "l'année {annee}. Le premier rapport porte sur l'année {premiere}.",
)
_AFTER_END = (
    "{quoi} le {fin} : aucun rapport n'est dû pour l'année {annee}. Le "
    "dernier rapport porte sur l'année {derniere} ; supprimez ce fichier."
)
AFTER_END = _report_check(
    "suivi-apres-fin",
    "Le rapport porte sur une année postérieure à la fin de l'adhésion (ou à l'arrêt du "
    "protocole).",
    "annee: 2025   # fin de l'adhésion le 2024-06-30",
    "Supprimez le rapport : le dernier dû porte sur l'année 2024.",
    {
        "": _AFTER_END.replace("{quoi}", "L'adhésion a pris fin"),
        "arret": _AFTER_END.replace("{quoi}", "Le protocole a été arrêté"),
    },
)
UNKNOWN_INDICATOR = _report_check(
    "indicateur-inconnu",
    "Le protocole ne définit pas cet indicateur (faute de frappe dans la clé ?).",
    "indicateurs:\n  patients-pris-en-charges: 120",
    "indicateurs:\n  patients-pris-en-charge: 120",
    "Le protocole ne définit pas d'indicateur « {cle} » (faute de frappe ?). "
    "Indicateurs du protocole : {indicateurs}.",
)
MISSING_INDICATOR = _report_check(
    "indicateur-manquant",
    "Un indicateur listé par le protocole n'a pas de valeur dans le rapport.",
    "indicateurs:\n  patients-pris-en-charge: 120",
    "indicateurs:\n  patients-pris-en-charge: 120\n  reorientations-delegant: 7",
    "Valeur manquante pour {manquants} : ajoutez sous `indicateurs:` une ligne "
    "`{premier}: …` par indicateur (0 si aucun cas dans l'année).",
    completeness=True,
)
_TYPE = "« {cle} » doit être {type} d'après le protocole"
WRONG_TYPE = _report_check(
    "indicateur-type-invalide",
    "La valeur n'a pas le type que le protocole donne à l'indicateur (entier, taux ou texte).",
    'indicateurs:\n  patients-pris-en-charge: "120 patients"',
    "indicateurs:\n  patients-pris-en-charge: 120",
    {
        "": _TYPE + " : écrivez {valeur} sans décimale.",
        "texte": _TYPE + ' : écrivez la valeur entre guillemets, par exemple "{valeur}".',
        "chaine": _TYPE + " : écrivez le nombre seul, sans guillemets ni unité "
        "(exemple : `{cle}: {valeur}`).",
    },
)
NEGATIVE = _report_check(
    "indicateur-negatif",
    "Un nombre (patients, actes, événements) ne peut pas être négatif.",
    "indicateurs:\n  reorientations-delegant: -3",
    "indicateurs:\n  reorientations-delegant: 3",
    "« {cle} » vaut {valeur} : un nombre de patients, d'actes ou d'événements ne peut "
    "pas être négatif. Écrivez le nombre constaté dans l'année (0 si aucun).",
)
RATE = _report_check(
    "taux-hors-limites",
    "Un taux s'écrit en pourcentage, de 0 à 100.",
    "indicateurs:\n  taux-satisfaction: 0.92",
    "indicateurs:\n  taux-satisfaction: 92",
    "« {cle} » vaut {valeur:g} : un taux s'écrit en pourcentage, de 0 à 100 "
    "(exemple : `12.5` pour 12,5 %, et non `0.125` ni `1250`).",
)
NO_INDICATORS = _report_check(
    "protocole-sans-indicateurs",
    "Le protocole ne définit aucun indicateur : seul `eig_declares` est dû, les autres "
    "valeurs ne seraient pas comptées.",
    "eig_declares: 0\nindicateurs:\n  patients: 40",
    "eig_declares: 0",
    "Le protocole « {protocole} » ne définit aucun indicateur : ces valeurs ne seraient "
    "pas comptées. Retirez `indicateurs` (seul `eig_declares` est dû) ou proposez "
    "d'abord, par pull request, l'ajout des indicateurs au fichier du protocole.",
    severity="warning",
)

TYPE_WORDS = {
    "entier": "un nombre entier",
    "taux": "un pourcentage de 0 à 100",
    "texte": "un texte court",
}
_NUMBER = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?")
_BY_PATH: weakref.WeakKeyDictionary[Register, dict[str, Entry]] = weakref.WeakKeyDictionary()


def report_year(where: DataPath) -> int | None:
    """The year written in a report's file name, or None when the name is not a report's."""
    match = REPORT_NAME.fullmatch(where.path.rsplit("/", 1)[-1].removesuffix(YAML_SUFFIX))
    return int(match.group("year")) if match else None


def adhesion_path(where: DataPath) -> str:
    """The adhesion a report belongs to: the file beside it, without `.suivi-<année>`."""
    return f"{ADHESIONS_DIR}/{where.region}/{where.protocol_id}/{where.team_id}{YAML_SUFFIX}"


def entry_at(register: Register, path: str) -> Entry | None:
    """The register entry of a path (an index built once per register)."""
    index = _BY_PATH.get(register)
    if index is None:
        index = _BY_PATH[register] = {entry.path: entry for entry in register.entries}
    return index.get(path)


@rule(
    "suivi",
    YEAR_OF_PATH,
    FUTURE_YEAR,
    NO_ADHESION,
    BEFORE_ADHESION,
    AFTER_END,
    NO_INDICATORS,
    UNKNOWN_INDICATOR,
    MISSING_INDICATOR,
    WRONG_TYPE,
    NEGATIVE,
    RATE,
)
def check(entry: Entry, register: Register) -> Iterator[Finding]:
    year = entry.data["annee"]
    yield from _year_of_path(entry, year)
    yield from _not_future(entry, year)
    adhesion = entry_at(register, adhesion_path(entry.where))
    if adhesion is None:
        yield on_file(NO_ADHESION, entry, adhesion=adhesion_path(entry.where))
        return
    protocol = register.protocol(entry.where.protocol_id)
    if not adhesion.valid or protocol is None or not protocol.valid:
        return  # their own findings say what to fix first
    yield from _within_adhesion(entry, year, adhesion.data, protocol.data)
    yield from _indicators(entry, protocol.data)


def _year_of_path(entry: Entry, year: int) -> Iterator[Finding]:
    named = report_year(entry.where)
    if named is not None and named != year:
        yield at(
            YEAR_OF_PATH, entry, "annee", annee=year, annee_du_nom=named, equipe=entry.where.team_id
        )


def _not_future(entry: Entry, year: int) -> Iterator[Finding]:
    current = int(today()[:4])
    if year >= current:
        when = "en cours" if year == current else "à venir"
        yield at(
            FUTURE_YEAR,
            entry,
            "annee",
            annee=year,
            quand=when,
            derniere=current - 1,
            suivante=year + 1,
        )


def _within_adhesion(
    entry: Entry, year: int, adhesion: dict[str, Any], protocol: dict[str, Any]
) -> Iterator[Finding]:
    declared = adhesion["date_declaration"]
    if year < int(declared[:4]):
        yield at(
            BEFORE_ADHESION, entry, "annee", declaration=declared, annee=year, premiere=declared[:4]
        )
    ended = _date(adhesion.get("fin"))
    stopped = _date(protocol.get("arret")) if protocol.get("statut") == "arrete" else None
    for end, variant in ((ended, ""), (stopped, "arret")):
        if end and year > int(end[:4]):
            yield at(
                AFTER_END, entry, "annee", variante=variant, fin=end, annee=year, derniere=end[:4]
            )
            return


def _date(block: Any) -> str | None:
    value = block.get("date") if isinstance(block, dict) else None
    return value if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit() else None


def _indicators(entry: Entry, protocol: dict[str, Any]) -> Iterator[Finding]:
    declared = {item["cle"]: item for item in protocol.get("indicateurs") or []}
    given: dict[str, Any] = entry.data.get("indicateurs") or {}
    if not declared:
        if given:
            yield at(NO_INDICATORS, entry, "indicateurs", protocole=entry.where.protocol_id)
        return
    for key, value in given.items():
        if key in declared:
            yield from _value(entry, key, value, declared[key])
        else:
            yield at(
                UNKNOWN_INDICATOR,
                entry,
                "indicateurs",
                key,
                cle=key,
                indicateurs=", ".join(declared),
            )
    missing = [key for key in declared if key not in given]
    if missing:
        named = ", ".join(f"« {key} » ({declared[key]['libelle']})" for key in missing)
        yield at(MISSING_INDICATOR, entry, "indicateurs", manquants=named, premier=missing[0])


def _value(entry: Entry, key: str, value: Any, indicator: dict[str, Any]) -> Iterator[Finding]:
    kind = indicator["type"]
    if not _has_type(value, kind):
        yield at(WRONG_TYPE, entry, "indicateurs", key, **_type_params(key, value, kind))
    elif kind == "entier" and value < 0:
        yield at(NEGATIVE, entry, "indicateurs", key, cle=key, valeur=value)
    elif kind == "taux" and not 0 <= value <= 100:
        yield at(RATE, entry, "indicateurs", key, cle=key, valeur=value)


def _has_type(value: Any, kind: str) -> bool:
    if kind == "texte":
        return isinstance(value, str)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) if kind == "entier" else True


def _type_params(key: str, value: Any, kind: str) -> dict[str, object]:
    """The parameters of `indicateur-type-invalide`: what to write instead depends on the value."""
    params = {"cle": key, "type": TYPE_WORDS.get(kind, kind)}
    if kind == "texte":
        return {**params, "variante": "texte", "valeur": value}
    if isinstance(value, str):
        number = _NUMBER.search(value)
        shown = number.group().replace(",", ".") if number else "0"
        return {**params, "variante": "chaine", "valeur": shown}
    return {**params, "valeur": int(value) if isinstance(value, float) else value}
