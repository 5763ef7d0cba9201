"""Whether a protocol may be applied today in a region: the one decision (DESIGN §6a).

Every page, export, search facet, the declaration page's list of protocols and the
wizards (`coop nouveau`, the issue form) ask `verdict()`; none reads `statut` to decide.

A protocol is applicable in a region on a day when all of these hold:

- it is authorised (`statut: autorise`), and that authorisation is sourced: a
  `deduit` entry on `statut` means no source states it (docs/developpeurs/catalogue-facts.md);
- it is not stopped: no `arret` dated on or before the day (a stop announced for a
  later day leaves it applicable until then);
- it is not replaced (`remplace_par`);
- it is not a fictitious example (`exemple: true`);
- the region is one of its regions: every region for a national protocol, its
  region and `regions_application` for a regional one, its promoting team's
  region for a local one.

The verdict carries the reason (a code and a French sentence for the public) and
the successor to link to, when there is one: `remplace_par`, else
`version_nationale` (the authorised national protocol that took an item over).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .wording import french_date

# Reasons, in the order they are tested (the first that holds is the verdict).
APPLICABLE = "applicable"
EXAMPLE = "exemple"
REPLACED = "remplace"
STOPPED = "fin-autorisation"
REFUSED = "refuse"
NOT_YET = "pas-encore-autorise"
UNCONFIRMED = "autorisation-non-confirmee"
ELSEWHERE = "hors-region"
NO_REGION = "region-non-connue"
REASONS = (
    APPLICABLE,
    EXAMPLE,
    REPLACED,
    STOPPED,
    REFUSED,
    NOT_YET,
    UNCONFIRMED,
    ELSEWHERE,
    NO_REGION,
)
IN_PROGRESS = ("depose", "en_instruction", "avis_has")
STAGE_WORDS = {
    "depose": "déposé",
    "en_instruction": "en instruction",
    "avis_has": "examiné par la HAS",
}


@dataclass(frozen=True)
class Verdict:
    """May a team apply the protocol today (in the region asked, or somewhere when none was)?"""

    applicable: bool
    reason: str  # one of REASONS
    sentence: str  # French, for the public: why, with its dates
    successor: str | None = None  # the protocol to apply instead (its identifier), when known
    regions: tuple[str, ...] = ()  # where it is applicable today (empty when it is not)


def territory(protocol: Mapping[str, Any], all_codes: tuple[str, ...]) -> tuple[str, ...]:
    """The protocol's regions, whatever its status: national, every region; regional, its region and
    `regions_application`; local, its promoting team's region."""
    portee = protocol.get("portee")
    if portee == "national":
        return all_codes
    codes = {protocol.get("region")}
    if portee == "regional":
        codes.update(c for c in protocol.get("regions_application") or [] if isinstance(c, str))
    return tuple(c for c in all_codes if c in codes)


def deduced(protocol: Mapping[str, Any], field: str) -> str | None:
    """The reason a field's value is deduced (`deduit` entry), None when it is not marked."""
    for entry in protocol.get("deduit") or []:
        if isinstance(entry, dict) and entry.get("champ") == field:
            return str(entry.get("raison") or "")
    return None


def verdict(
    protocol: Mapping[str, Any], region: str | None, all_codes: tuple[str, ...], today: str
) -> Verdict:
    """The one decision. `region`: an INSEE region code, or None for « anywhere »;
    `today`: AAAA-MM-JJ, the day the decision holds for (the build day on the site)."""
    refusal = _refusal(protocol, today)
    if refusal is not None:
        return refusal
    regions = territory(protocol, all_codes)
    stop = _stop_date(protocol)
    until = f" jusqu'au {french_date(stop)} (fin d'autorisation annoncée)" if stop else ""
    if not regions:
        return Verdict(
            False,
            NO_REGION,
            "Autorisé, mais sa région n'est pas connue : aucune région ne peut être indiquée.",
        )
    if region is not None and region not in regions:
        return Verdict(
            False,
            ELSEWHERE,
            "Ne s'applique pas dans cette région : il est autorisé dans d'autres régions.",
            regions=regions,
        )
    where = (
        "dans toutes les régions"
        if protocol.get("portee") == "national"
        else "dans les régions indiquées"
    )
    return Verdict(True, APPLICABLE, f"Applicable aujourd'hui {where}{until}.", regions=regions)


def _refusal(protocol: Mapping[str, Any], today: str) -> Verdict | None:
    """Why the protocol cannot be applied anywhere, or None when its status allows it."""
    successor = _successor(protocol)
    status = protocol.get("statut")
    stop = _stop_date(protocol)
    if protocol.get("exemple") is True:
        return Verdict(
            False,
            EXAMPLE,
            "Protocole fictif, donné en exemple : aucune équipe ne peut l'appliquer.",
        )
    if protocol.get("remplace_par"):
        return Verdict(
            False,
            REPLACED,
            "Remplacé : les équipes appliquent désormais le protocole qui le remplace.",
            successor,
        )
    if (stop and stop <= today) or (status == "arrete" and not stop):
        when = f" le {french_date(stop)}" if stop else ""
        return Verdict(
            False,
            STOPPED,
            f"Fin d'autorisation{when} : aucune équipe ne peut plus l'appliquer.",
            successor,
        )
    if status == "refuse":
        return Verdict(False, REFUSED, "Refusé : aucune équipe ne peut l'appliquer.", successor)
    if status in IN_PROGRESS:
        stage = STAGE_WORDS[str(status)]
        return Verdict(
            False,
            NOT_YET,
            f"Pas encore autorisé (protocole {stage}) : "
            "aucune équipe ne peut l'appliquer tant qu'il n'est pas autorisé.",
            successor,
        )
    if status not in ("autorise", "arrete"):  # `arrete` here: its stop lies after `today`
        return Verdict(
            False, NOT_YET, "Pas autorisé : aucune équipe ne peut l'appliquer.", successor
        )
    reason = deduced(protocol, "statut")
    if reason is not None:
        return Verdict(
            False,
            UNCONFIRMED,
            "Autorisation non confirmée par une source "
            f"(déduite {of_reason(reason)}) : il n'est pas proposé aux équipes.",
            successor,
        )
    return None


def of_reason(reason: str) -> str:
    """« de … » before a reason: « déduite de l'instruction de 2018 »."""
    text = reason.strip().rstrip(".")
    if not text:
        return "sans source"
    return text if text.startswith(("de ", "d'", "du ", "des ")) else f"de : {text}"


def _stop_date(protocol: Mapping[str, Any]) -> str | None:
    arret = protocol.get("arret")
    value = arret.get("date") if isinstance(arret, dict) else None
    return value if isinstance(value, str) else None


def _successor(protocol: Mapping[str, Any]) -> str | None:
    for key in ("remplace_par", "version_nationale"):
        value = protocol.get(key)
        if isinstance(value, str) and value:
            return value
    return None
