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

from ..findings import Finding, make_finding
from ..paths import ADHESIONS_DIR, REPORT_NAME, YAML_SUFFIX, DataPath
from ..register import Entry, Register
from .dates import today

TYPE_WORDS = {"entier": "un nombre entier", "taux": "un pourcentage de 0 à 100", "texte": "un texte court"}
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


def check(entry: Entry, register: Register) -> Iterator[Finding]:
    year = entry.data["annee"]
    yield from _year_of_path(entry, year)
    yield from _not_future(entry, year)
    adhesion = entry_at(register, adhesion_path(entry.where))
    if adhesion is None:
        yield make_finding("suivi-sans-adhesion", entry.path, 1, (
            f"Aucune adhésion « {adhesion_path(entry.where)} » à côté de ce rapport : un rapport de suivi se range "
            "à côté de l'adhésion qu'il concerne, avec le même identifiant d'équipe. Vérifiez le nom du fichier."
        ))
        return
    protocol = register.protocol(entry.where.protocol_id)
    if not adhesion.valid or protocol is None or not protocol.valid:
        return  # their own findings say what to fix first
    yield from _within_adhesion(entry, year, adhesion.data, protocol.data)
    yield from _indicators(entry, protocol.data)


def _year_of_path(entry: Entry, year: int) -> Iterator[Finding]:
    named = report_year(entry.where)
    if named is not None and named != year:
        yield make_finding("suivi-annee-chemin", entry.path, entry.line("annee"), (
            f"`annee: {year}` ne correspond pas à l'année {named} du nom du fichier : un fichier par année, "
            f"nommé `{entry.where.team_id}.suivi-<année>.yml`. Corrigez `annee` ou renommez le fichier."
        ))


def _not_future(entry: Entry, year: int) -> Iterator[Finding]:
    current = int(today()[:4])
    if year >= current:
        when = "en cours" if year == current else "à venir"
        yield make_finding("suivi-annee-future", entry.path, entry.line("annee"), (
            f"L'année {year} est {when} : un rapport couvre une année civile terminée. "
            f"Déclarez au plus l'année {current - 1}, et l'année {year} à partir du 1er janvier {year + 1}."
        ))


def _within_adhesion(entry: Entry, year: int, adhesion: dict[str, Any], protocol: dict[str, Any]) -> Iterator[Finding]:
    declared = adhesion["date_declaration"]
    if year < int(declared[:4]):
        yield make_finding("suivi-avant-adhesion", entry.path, entry.line("annee"), (
            f"L'adhésion a été déclarée le {declared} : elle ne peut pas rendre compte de l'année {year}. "
            f"Le premier rapport porte sur l'année {declared[:4]}."
        ))
    ended = _date(adhesion.get("fin"))
    stopped = _date(protocol.get("arret")) if protocol.get("statut") == "arrete" else None
    for end, what in ((ended, "L'adhésion a pris fin"), (stopped, "Le protocole a été arrêté")):
        if end and year > int(end[:4]):
            yield make_finding("suivi-apres-fin", entry.path, entry.line("annee"), (
                f"{what} le {end} : aucun rapport n'est dû pour l'année {year}. "
                f"Le dernier rapport porte sur l'année {end[:4]} ; supprimez ce fichier."
            ))
            return


def _date(block: Any) -> str | None:
    value = block.get("date") if isinstance(block, dict) else None
    return value if isinstance(value, str) and len(value) >= 4 and value[:4].isdigit() else None


def _indicators(entry: Entry, protocol: dict[str, Any]) -> Iterator[Finding]:
    declared = {item["cle"]: item for item in protocol.get("indicateurs") or []}
    given: dict[str, Any] = entry.data.get("indicateurs") or {}
    if not declared:
        if given:
            yield make_finding("protocole-sans-indicateurs", entry.path, entry.line("indicateurs"), (
                f"Le protocole « {entry.where.protocol_id} » ne définit aucun indicateur : ces valeurs ne seraient pas "
                "comptées. Retirez `indicateurs` (seul `eig_declares` est dû) ou proposez d'abord, par pull request, "
                "l'ajout des indicateurs au fichier du protocole."
            ))
        return
    for key, value in given.items():
        if key in declared:
            yield from _value(entry, key, value, declared[key])
        else:
            yield make_finding("indicateur-inconnu", entry.path, entry.line("indicateurs", key), (
                f"Le protocole ne définit pas d'indicateur « {key} » (faute de frappe ?). "
                f"Indicateurs du protocole : {', '.join(declared)}."
            ))
    missing = [key for key in declared if key not in given]
    if missing:
        named = ", ".join(f"« {key} » ({declared[key]['libelle']})" for key in missing)
        yield make_finding("indicateur-manquant", entry.path, entry.line("indicateurs"), (
            f"Valeur manquante pour {named} : "
            f"ajoutez sous `indicateurs:` une ligne `{missing[0]}: …` par indicateur (0 si aucun cas dans l'année)."
        ))


def _value(entry: Entry, key: str, value: Any, indicator: dict[str, Any]) -> Iterator[Finding]:
    kind, line = indicator["type"], entry.line("indicateurs", key)
    if not _has_type(value, kind):
        yield make_finding("indicateur-type-invalide", entry.path, line, _type_message(key, value, kind))
    elif kind == "entier" and value < 0:
        yield make_finding("indicateur-negatif", entry.path, line, (
            f"« {key} » vaut {value} : un nombre de patients, d'actes ou d'événements ne peut pas être négatif. "
            "Écrivez le nombre constaté dans l'année (0 si aucun)."
        ))
    elif kind == "taux" and not 0 <= value <= 100:
        yield make_finding("taux-hors-limites", entry.path, line, (
            f"« {key} » vaut {value:g} : un taux s'écrit en pourcentage, de 0 à 100 "
            "(exemple : `12.5` pour 12,5 %, et non `0.125` ni `1250`)."
        ))


def _has_type(value: Any, kind: str) -> bool:
    if kind == "texte":
        return isinstance(value, str)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return isinstance(value, int) if kind == "entier" else True


def _type_message(key: str, value: Any, kind: str) -> str:
    message = f"« {key} » doit être {TYPE_WORDS.get(kind, kind)} d'après le protocole"
    if kind == "texte":
        return f"{message} : écrivez la valeur entre guillemets, par exemple \"{value}\"."
    if isinstance(value, str):
        number = _NUMBER.search(value)
        shown = number.group().replace(",", ".") if number else "0"
        return f"{message} : écrivez le nombre seul, sans guillemets ni unité (exemple : `{key}: {shown}`)."
    return f"{message} : écrivez {int(value) if isinstance(value, float) else value} sans décimale."
