"""A small, complete and valid register used as the corrected state of every
check's fixture: each failing case changes one thing in one of these files."""

from __future__ import annotations

from coopps.checks import SAMPLE_ADHESION, SAMPLE_PROTOCOL, SAMPLE_SHA

# The checks' declared examples (`checks.Example`) change these files: the paths and the hash
# they name are shared with the declarations.
SHA = SAMPLE_SHA
RPPS_DELEGANT = "10000001015"
RPPS_DELEGUE = "10000001023"
RPPS_OTHER = "10000001031"

NATIONAL = """\
# yaml-language-server: $schema=../schemas/protocole.schema.json
intitule: Protocole national de test
portee: national
statut: autorise
professions:
  delegants: [medecin]
  delegues: [infirmier]
nature_actes: [realisation]
cadres_exercice: [msp, centre_sante]
formation:
  duree_heures: 20
arrete:
  date: 2020-03-06
  reference: Arrêté de test
sources:
  - https://example.org/source
"""

REGIONAL = """\
# yaml-language-server: $schema=../schemas/protocole.schema.json
intitule: Protocole régional de test
portee: regional
statut: autorise
region: "84"
date_depot: 2015-01-10
professions:
  delegants: [medecin]
  delegues: [infirmier, orthoptiste]
nature_actes: [suivi]
modes_exercice: [liberal, salarie_public]
arrete:
  date: 2016-02-01
regions_application: ["11"]
sources:
  - https://example.org/regional
"""

LOCAL = """\
# yaml-language-server: $schema=../schemas/protocole.schema.json
intitule: Protocole local de test
portee: local
statut: autorise
region: "84"
date_depot: 2022-01-10
equipe_promotrice: msp-a
professions:
  delegants: [medecin]
  delegues: [infirmier]
nature_actes: [orientation]
arrete:
  date: 2022-06-01
sources:
  - https://example.org/local
"""

REFUSED = """\
# yaml-language-server: $schema=../schemas/protocole.schema.json
intitule: Protocole refusé de test
portee: regional
statut: refuse
region: "84"
date_depot: 2015-10-12
professions:
  delegants: [medecin]
  delegues: [infirmier]
nature_actes: [interpretation]
sources:
  - https://example.org/refuse
"""

STOPPED = """\
# yaml-language-server: $schema=../schemas/protocole.schema.json
intitule: Protocole arrêté de test
portee: national
statut: arrete
professions:
  delegants: [medecin]
  delegues: [infirmier]
nature_actes: [prescription]
arrete:
  date: 2020-03-06
arret:
  date: 2023-03-09
  motif: Remplacé par un nouveau protocole
sources:
  - https://example.org/arrete
"""

ADHESION = f"""\
# yaml-language-server: $schema=../../../schemas/adhesion.schema.json
equipe:
  nom: MSP A (exemple fictif)
  structure: msp
  commune: Lyon
  code_postal: "69003"
date_declaration: 2024-03-12
membres:
  - rpps: "{RPPS_DELEGANT}"
    nom_exercice: Exemple
    prenom: Camille
    profession: medecin
    mode_exercice: liberal
    role: delegant
  - rpps: "{RPPS_DELEGUE}"
    nom_exercice: Fictif
    prenom: Dominique
    profession: infirmier
    mode_exercice: salarie_public
    role: delegue
    formation:
      date: 2024-01-15
      organisme: IFSI de test
      duree_heures: 20
pieces:
  - type: declaration_commune
    sha256: {SHA}
  - type: attestation_assurance
    sha256: {SHA}
  - type: piece_identite
    membre: "{RPPS_DELEGANT}"
    sha256: {SHA}
  - type: diplome
    membre: "{RPPS_DELEGANT}"
    sha256: {SHA}
  - type: piece_identite
    membre: "{RPPS_DELEGUE}"
    sha256: {SHA}
  - type: diplome
    membre: "{RPPS_DELEGUE}"
    sha256: {SHA}
  - type: attestation_formation
    membre: "{RPPS_DELEGUE}"
    sha256: {SHA}
  - type: accord_employeur
    membre: "{RPPS_DELEGUE}"
    sha256: {SHA}
"""

ADHESION_PATH = SAMPLE_ADHESION

VALID_REGISTER = {
    SAMPLE_PROTOCOL: NATIONAL,
    "protocols/reg-84-test.yml": REGIONAL,
    "protocols/loc-84-test.yml": LOCAL,
    "protocols/reg-84-refuse.yml": REFUSED,
    "protocols/nat-arrete.yml": STOPPED,
    ADHESION_PATH: ADHESION,
}
