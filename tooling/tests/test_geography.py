"""The team's postal code belongs to the region of its folder (`schemas/departements.json`)."""

from __future__ import annotations

import json

import pytest

from coopps import geography
from coopps.checker import Options, validate
from coopps.schema import Schemas
from register_samples import ADHESION, VALID_REGISTER
from test_checks import sub

CASES = [
    # (region folder, postal code, expected code or None, words the message must contain)
    (
        "53",
        "63000",
        "code-postal-hors-region",
        ["Auvergne-Rhône-Alpes", "(84)", "adhesions/84/", "Puy-de-Dôme", "Bretagne"],
    ),
    ("84", "63000", None, []),
    ("94", "20000", None, []),  # Ajaccio, Corse-du-Sud
    ("94", "20200", None, []),  # Bastia, Haute-Corse
    ("93", "20000", "code-postal-hors-region", ["Corse (94)"]),
    ("04", "97400", None, []),  # Saint-Denis, La Réunion
    ("01", "97400", "code-postal-hors-region", ["La Réunion (04)"]),
    ("06", "97600", None, []),  # Mamoudzou, Mayotte
    ("01", "97133", None, []),  # Saint-Barthélemy: ARS de Guadeloupe
    ("11", "75011", None, []),
    ("01", "97500", "code-postal-hors-region", ["Saint-Pierre-et-Miquelon", "aucune ARS"]),
    ("84", "00100", "code-postal-hors-region", ["aucun département"]),
]


def adhesion_in(scratch_register, region: str, postal: str):
    files = {k: v for k, v in VALID_REGISTER.items() if not k.startswith("adhesions/")}
    rel = f"adhesions/{region}/nat-test/msp-a.yml"
    root = scratch_register(
        {**files, rel: sub(ADHESION, 'code_postal: "69003"', f'code_postal: "{postal}"')}
    )
    return root, rel


@pytest.mark.parametrize(
    ("region", "postal", "code", "words"), CASES, ids=[f"{c[1]}-sous-{c[0]}" for c in CASES]
)
def test_postal_code_against_the_region_folder(scratch_register, region, postal, code, words):
    root, rel = adhesion_in(scratch_register, region, postal)
    findings = [
        f for f in validate(Options(root=root)).findings if f.code.startswith("code-postal")
    ]
    if code is None:
        assert findings == []
        return
    (finding,) = findings
    assert (finding.code, finding.path, finding.line, finding.severity) == (code, rel, 6, "error")
    for word in words:
        assert word in finding.message, finding.message


def test_a_shared_postal_code_is_only_a_warning(scratch_register):
    """A postal code listed as serving communes of two départements of two regions."""
    root, _ = adhesion_in(scratch_register, "84", "71000")
    referential = root / "schemas" / geography.REFERENTIAL
    document = json.loads(referential.read_text(encoding="utf-8"))
    document["codes_postaux_partages"]["71000"] = ["71", "69"]
    referential.write_text(json.dumps(document), encoding="utf-8")
    findings = [
        f for f in validate(Options(root=root)).findings if f.code.startswith("code-postal")
    ]
    assert [(f.code, f.severity) for f in findings] == [("code-postal-a-verifier", "warning")]
    assert (
        "Bourgogne-Franche-Comté" in findings[0].message
        and "Auvergne-Rhône-Alpes" in findings[0].message
    )


def test_every_department_belongs_to_a_region_of_the_referential(repo_root):
    places = geography.load(Schemas(repo_root))
    assert places is not None and len(places.departments) == 101
    regions = json.loads(
        (repo_root / "schemas" / "referentiels.schema.json").read_text(encoding="utf-8")
    )
    assert {d["region"] for d in places.departments.values()} == set(
        regions["$defs"]["region"]["enum"]
    )
