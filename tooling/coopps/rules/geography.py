"""The team's postal code must belong to the region of the adhesion's folder.

CODEOWNERS routes a declaration to the ARS of its folder: a Clermont-Ferrand
team (63000) filed under Bretagne (53) would be instructed by the wrong ARS.
The département comes from the postal code (`geography.py`). A postal code
listed as shared by several départements (a commune served by the post office
of a neighbouring département) is only a warning when one of them is in the
folder's region: the ARS checks the commune.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .. import geography
from ..findings import Finding, make_finding
from ..register import Entry, Register


def check(entry: Entry, register: Register) -> Iterator[Finding]:
    places = geography.load(register.schemas)
    postal = entry.data["equipe"]["code_postal"]
    if places is None:
        return
    message = mismatch(places, postal, entry.where.region, register.schemas.referentials["region"].label)
    if message is None:
        return
    code = "code-postal-a-verifier" if entry.where.region in places.regions_of(postal) else "code-postal-hors-region"
    yield make_finding(code, entry.path, entry.line("equipe", "code_postal"), message)


def mismatch(places: geography.Geography, postal: str, region: str, label: Callable[[str], str]) -> str | None:
    """The French explanation when `postal` does not belong to `region` only (None when it does)."""
    name = label(region)
    outside = places.outside_region(postal)
    if outside:
        return (f"Le code postal {postal} est celui de {outside}, qui ne relève d'aucune ARS de région : "
                "le registre ne couvre que les 18 régions.")
    regions = places.regions_of(postal)
    if not regions:
        return f"Le code postal {postal} ne correspond à aucun département : vérifiez-le (5 chiffres, exemple : 69003)."
    if regions == (region,):
        return None
    department = places.department_of(postal) or ""
    if region in regions:
        others = ", ".join(f"{code} ({label(code)})" for code in regions if code != region)
        return (f"Le code postal {postal} dessert des communes de plusieurs départements (régions {others} et {name}) : "
                f"vérifiez que la commune est bien en région {name}.")
    right = regions[0]
    return (f"Le code postal {postal} ({places.department_name(department)}) est en région {label(right)} "
            f"({right}), pas en région {name} ({region}) : l'adhésion se range dans le dossier adhesions/{right}/ "
            f"pour être instruite par l'ARS {label(right)}. Corrigez le code postal ou déplacez le fichier.")
