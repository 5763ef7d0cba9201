"""The ARS keys the declaration page encrypts to: read from the `dossier` section of each region of
relecteurs.yml at build time (site/dossier.py), never half-used, and none shipped."""

from __future__ import annotations

import logging
from pathlib import Path

import pyrage
import pytest

from coopps.site.dossier import region_dossiers, regions_document
from sitekit import REPO_ROOT


def recipient() -> str:
    return str(pyrage.x25519.Identity.generate().to_public())


def register_with(tmp_path: Path, dossier: str) -> Path:
    (tmp_path / "relecteurs.yml").write_text(
        'mainteneurs:\n  equipes: ["@org/mainteneurs"]\n  membres: []\n'
        'regions:\n  "84":\n    equipes: ["@org/ars-84"]\n    membres: []\n' + dossier
        + '  "53":\n    equipes: ["@org/ars-53"]\n    membres: []\n', encoding="utf-8")
    return tmp_path


def test_the_shipped_register_carries_no_key() -> None:
    assert region_dossiers(REPO_ROOT) == {}
    assert regions_document(REPO_ROOT)["regions"] == {}
    assert "age1" not in (REPO_ROOT / "relecteurs.yml").read_text(encoding="utf-8")


def test_a_region_with_keys_and_a_channel_is_offered(tmp_path: Path) -> None:
    first, second = recipient(), recipient()
    root = register_with(tmp_path, f"""    dossier:
      destinataires:
        - {first}  # agent instructeur
        - {second}  # cheffe de service
        - {first}
      canal:
        type: demarches_simplifiees
        adresse: "https://www.demarches-simplifiees.fr/commencer/exemple-ars-84"
""")
    assert region_dossiers(root) == {"84": {
        "destinataires": [first, second],
        "canal": {"type": "demarches_simplifiees",
                  "adresse": "https://www.demarches-simplifiees.fr/commencer/exemple-ars-84"}}}


@pytest.mark.parametrize("section", [
    "    dossier:\n      destinataires: []\n      canal: {type: adresse_fonctionnelle, adresse: x}\n",
    "    dossier:\n      destinataires: [age1pasunecle]\n      canal: {type: adresse_fonctionnelle, adresse: x}\n",
    "    dossier:\n      destinataires: [RECIPIENT]\n      canal: {type: pigeon, adresse: x}\n",
    "    dossier:\n      destinataires: [RECIPIENT]\n",
    "    dossier:\n      destinataires: [RECIPIENT]\n      canal: {type: messagerie_securisee, adresse: \"  \"}\n",
    "    dossier: oui\n",
])
def test_a_section_that_cannot_be_used_is_said_and_not_used(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                            section: str) -> None:
    root = register_with(tmp_path, section.replace("RECIPIENT", recipient()))
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.coopps"):
        assert region_dossiers(root) == {}
    assert "région 84 : section « dossier » ignorée" in caplog.text  # a warning fails the strict build
