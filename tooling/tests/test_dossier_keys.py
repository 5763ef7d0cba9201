"""The ARS keys the declaration page encrypts to: the `dossier` section of each region of
relecteurs.yml, published at build time in dossier/regions.json (site/dossier.py, through
`gitops.reviewers.dossier_channels`); a section that cannot be used is never half-used, and no
key is shipped."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest

from coopps.site.dossier import regions_document
from sitekit import REPO_ROOT


def recipient() -> str:
    return str(pyrage.x25519.Identity.generate().to_public())


def register_with(tmp_path: Path, dossier: str) -> Path:
    (tmp_path / "relecteurs.yml").write_text(
        'mainteneurs:\n  equipes: ["@org/mainteneurs"]\n  membres: []\n'
        'regions:\n  "84":\n    equipes: ["@org/ars-84"]\n    membres: []\n'
        + dossier
        + '  "53":\n    equipes: ["@org/ars-53"]\n    membres: []\n',
        encoding="utf-8",
    )
    return tmp_path


def test_the_shipped_register_carries_no_key() -> None:
    assert regions_document(REPO_ROOT)["regions"] == {}
    assert "age1" not in (REPO_ROOT / "relecteurs.yml").read_text(encoding="utf-8")


def test_a_region_with_keys_and_a_channel_is_offered(tmp_path: Path) -> None:
    first, second = recipient(), recipient()
    root = register_with(
        tmp_path,
        f"""    dossier:
      destinataires:
        - {first}  # agent instructeur
        - {second}  # cheffe de service
      canal:
        type: demarches_simplifiees
        adresse: "https://www.demarches-simplifiees.fr/commencer/exemple-ars-84"
""",
    )
    document = regions_document(root)
    assert document["format"] == "coop-ps/dossier" and document["version"] == 1
    assert document["regions"] == {
        "84": {
            "destinataires": [first, second],
            "canal": {
                "type": "demarches_simplifiees",
                "adresse": "https://www.demarches-simplifiees.fr/commencer/exemple-ars-84",
            },
        }
    }


SERVICE = "      canal: {type: adresse_fonctionnelle, adresse: coop@ars.sante.fr}\n"


@pytest.mark.parametrize(
    "section",
    [
        "    dossier:\n      destinataires: []\n" + SERVICE,
        "    dossier:\n      destinataires: [age1pasunecle]\n" + SERVICE,
        "    dossier:\n      destinataires: [RECIPIENT]\n      canal: {type: pigeon, adresse: coop@ars.sante.fr}\n",
        "    dossier:\n      destinataires: [RECIPIENT]\n",
        "    dossier:\n      destinataires: [RECIPIENT, age1pasunecle]\n" + SERVICE,
        "    dossier:\n      destinataires: [RECIPIENT]\n"
        + SERVICE.replace("coop@", "camille.martin@"),
        "    dossier: oui\n",
    ],
)
def test_a_section_that_cannot_be_used_is_not_offered(tmp_path: Path, section: str) -> None:
    root = register_with(tmp_path, section.replace("RECIPIENT", recipient()))
    assert regions_document(root)["regions"] == {}
