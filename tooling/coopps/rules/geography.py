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
from ..checks import Check, Example, declare
from ..findings import Finding
from ..register import Entry, Register
from .registry import at, rule

_CHOOSE = " : choisissez la bonne « Région » dans le formulaire, ou corrigez le code postal."
_WHERE = (
    "Le code postal {code_postal} ({departement}) est en région {nom_juste} ({juste}), "
    "pas en région {nom_region} ({region})"
)
_OUTSIDE = {
    "": _WHERE + " : l'adhésion se range dans le dossier adhesions/{juste}/ pour être "
    "instruite par l'ARS {nom_juste}. Corrigez le code postal ou déplacez "
    "le fichier.",
    "sans-ars": "Le code postal {code_postal} est celui de {territoire}, qui ne relève "
    "d'aucune ARS de région : le registre ne couvre que les 18 régions.",
    "inconnu": "Le code postal {code_postal} ne correspond à aucun département : "
    "vérifiez-le (5 chiffres, exemple : 69003).",
}
OUTSIDE = declare(
    Check(
        "code-postal-hors-region",
        "registre",
        "error",
        title="Le code postal de l'équipe n'est pas dans la région du dossier de "
        "l'adhésion : l'ARS d'une autre région recevrait la déclaration (département "
        "tiré du code postal, code officiel géographique de l'INSEE).",
        example="adhesions/53/nat-sutures-plaies/msp-exemple.yml\nequipe:\n"
        '  code_postal: "63000"   # Puy-de-Dôme',
        fix='adhesions/84/nat-sutures-plaies/msp-exemple.yml\nequipe:\n  code_postal: "63000"',
        kinds=("adhesion",),
        message=_OUTSIDE,
        failing=(Example('  code_postal: "35000"', '  code_postal: "69003"'),),
        passing=(Example('  code_postal: "01000"', '  code_postal: "69003"'),),
        form={
            "": _WHERE + _CHOOSE,
            **{variant: text + _CHOOSE for variant, text in _OUTSIDE.items() if variant},
        },
    )
)
_SHARED = (
    "Le code postal {code_postal} dessert des communes de plusieurs départements "
    "(régions {autres} et {nom_region}) : vérifiez que la commune est bien en "
    "région {nom_region}."
)
SHARED = declare(
    Check(
        "code-postal-a-verifier",
        "registre",
        "warning",
        title="Le code postal dessert des communes de plusieurs départements (bureau "
        "distributeur d'un département voisin) dont l'un n'est pas dans la région du "
        "dossier : l'ARS vérifie la commune.",
        example='equipe:\n  commune: Curbans   # Alpes-de-Haute-Provence\n  code_postal: "05110"',
        fix="Rien à corriger si la commune est bien dans la région du dossier.",
        kinds=("adhesion",),
        message=_SHARED,
        form=_SHARED,
    )
)


@rule("adhesion", OUTSIDE, SHARED)
def check(entry: Entry, register: Register) -> Iterator[Finding]:
    places = geography.load(register.schemas)
    postal = entry.data["equipe"]["code_postal"]
    if places is None:
        return
    label = register.schemas.referentials["region"].label
    params = mismatch_params(places, postal, entry.where.region, label)
    if params is not None:
        yield at(_check_of(params), entry, "equipe", "code_postal", **params)


def _check_of(params: dict[str, str]) -> Check:
    return SHARED if params["variante"] == "partage" else OUTSIDE


def mismatch(
    places: geography.Geography, postal: str, region: str, label: Callable[[str], str]
) -> str | None:
    """The French explanation when `postal` does not belong to `region` only (None when it does)."""
    params = mismatch_params(places, postal, region, label)
    return None if params is None else _check_of(params).render(params)


def mismatch_params(
    places: geography.Geography, postal: str, region: str, label: Callable[[str], str]
) -> dict[str, str] | None:
    """The parameters of the finding when `postal` does not belong to `region` only."""
    known = {"code_postal": postal, "region": region, "nom_region": label(region)}
    outside = places.outside_region(postal)
    if outside:
        return {**known, "variante": "sans-ars", "territoire": outside}
    regions = places.regions_of(postal)
    if not regions:
        return {**known, "variante": "inconnu"}
    if regions == (region,):
        return None
    if region in regions:
        others = ", ".join(f"{code} ({label(code)})" for code in regions if code != region)
        return {**known, "variante": "partage", "autres": others}
    right = regions[0]
    department = places.department_name(places.department_of(postal) or "")
    return {
        **known,
        "variante": "",
        "departement": department,
        "juste": right,
        "nom_juste": label(right),
    }
