"""The registry of every check: its stable code, layer, default severity and
a documented example (a failing snippet and its fix).

`docs/reference/controles.md` is generated from this registry by the site
plugin, and a test fails when a code has no fixture, so the documentation
cannot drift from the code.
"""

from __future__ import annotations

from dataclasses import dataclass

from .findings import Severity

LAYERS = {
    "lecture": "1. Lecture du fichier",
    "schema": "2. Conformité au schéma",
    "registre": "3. Règles du registre",
    "transition": "4. Transitions par rapport à la branche de base",
}


@dataclass(frozen=True)
class Check:
    code: str
    layer: str
    severity: Severity
    title: str
    example: str
    fix: str
    completeness: bool = False  # lowered to a warning with --draft


def _checks(*checks: Check) -> dict[str, Check]:
    return {check.code: check for check in checks}


CHECKS: dict[str, Check] = _checks(
    # 1. Reading
    Check("fichier-inattendu", "lecture", "error",
          "Seuls des fichiers YAML `.yml` sont admis dans `protocols/` et `adhesions/` "
          "(les pièces justificatives n'entrent jamais dans le dépôt).",
          "adhesions/84/nat-sutures/msp-exemple/diplome.pdf",
          "Retirez le fichier ; déclarez la pièce par son empreinte `sha256` dans l'adhésion."),
    Check("lien-symbolique", "lecture", "error",
          "Un lien symbolique n'est pas admis dans les dossiers de données.",
          "protocols/copie.yml -> /etc/passwd",
          "Remplacez le lien par un vrai fichier YAML, ou supprimez-le."),
    Check("fichier-trop-gros", "lecture", "error",
          "Le fichier dépasse la taille maximale admise (512 Kio).",
          "un fichier YAML de 10 Mo",
          "Un fichier de protocole ou d'adhésion tient en quelques dizaines de Kio : retirez le contenu superflu."),
    Check("encodage-invalide", "lecture", "error",
          "Le fichier n'est pas du texte UTF-8 (fichier binaire ou autre encodage).",
          "intitule: \"Pr\\xe9vention\"   # octet Latin-1",
          "Enregistrez le fichier en UTF-8 (option « UTF-8 » de l'éditeur)."),
    Check("fichier-vide", "lecture", "error",
          "Le fichier ne contient aucune donnée.",
          "# yaml-language-server: $schema=../schemas/protocole.schema.json",
          "Remplissez le fichier, ou supprimez-le."),
    Check("yaml-invalide", "lecture", "error",
          "Le YAML est mal formé (indentation, deux-points, guillemets…).",
          "intitule: \"Sutures\n  portee national",
          "intitule: \"Sutures\"\nportee: national"),
    Check("yaml-trop-imbrique", "lecture", "error",
          "Le fichier est imbriqué trop profondément pour être une donnée du registre.",
          "membres: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ … ]]]]",
          "Écrivez la liste à plat : `membres:` suivi d'un élément `- …` par membre."),
    Check("plusieurs-documents", "lecture", "error",
          "Le fichier contient plusieurs documents YAML (séparateur `---`).",
          "intitule: A\n---\nintitule: B",
          "Un fichier = un protocole ou une adhésion : séparez-les en deux fichiers."),
    Check("cle-dupliquee", "lecture", "error",
          "Une même clé apparaît deux fois ; la seconde effacerait la première en silence.",
          "statut: autorise\nstatut: arrete",
          "statut: arrete"),
    Check("alias-interdit", "lecture", "error",
          "Les ancres, alias et fusions YAML (`&`, `*`, `<<`) ne sont pas admis : chaque valeur s'écrit en clair.",
          "delegants: &med [medecin]\ndelegues: *med",
          "delegants: [medecin]\ndelegues: [infirmier]"),
    Check("etiquette-interdite", "lecture", "error",
          "Les étiquettes YAML (`!!int`, `!python/…`, `!…`) ne sont pas admises.",
          "duree_heures: !!float 40",
          "duree_heures: 40"),
    Check("cle-non-texte", "lecture", "error",
          "Une clé doit être un nom en texte (pas un nombre, un booléen ou une liste).",
          "2024: rapport",
          "annee: 2024"),
    Check("valeur-ambigue", "lecture", "error",
          "Valeur YAML ambiguë : `yes`/`no`/`on`/`off`, nombres à zéro initial ou octaux, "
          "que d'autres outils liraient comme booléen ou nombre.",
          "code_postal: 01000\nhistorique: yes",
          "code_postal: \"01000\"\nhistorique: true"),
    Check("entete-schema", "lecture", "warning",
          "La première ligne doit être le commentaire `# yaml-language-server: $schema=…` "
          "qui permet à l'éditeur de compléter et vérifier le fichier.",
          "intitule: Sutures",
          "# yaml-language-server: $schema=../schemas/protocole.schema.json\nintitule: Sutures"),
    # 2. Schema
    Check("champ-obligatoire", "schema", "error",
          "Un champ obligatoire manque.",
          "portee: national\nstatut: autorise",
          "intitule: Réalisation de sutures…\nportee: national\nstatut: autorise"),
    Check("champ-inconnu", "schema", "error",
          "Ce champ n'existe pas dans le modèle (faute de frappe ?) ; il serait ignoré.",
          "membres:\n  - rpps: \"10000000009\"\n    courriel: x@exemple.fr",
          "membres:\n  - rpps: \"10000000009\""),
    Check("type-invalide", "schema", "error",
          "La valeur n'a pas le type attendu (texte, nombre, liste, date…).",
          "region: 84",
          "region: \"84\""),
    Check("valeur-inconnue", "schema", "error",
          "La valeur ne fait pas partie des valeurs admises (référentiels des régions, professions, statuts…).",
          "portee: nationale",
          "portee: national"),
    Check("format-invalide", "schema", "error",
          "La valeur n'a pas le format attendu (date AAAA-MM-JJ, RPPS à 11 chiffres, ADELI à 9 chiffres, SHA-256…).",
          "date_declaration: 2024-13-45",
          "date_declaration: 2024-12-05"),
    Check("valeur-hors-limites", "schema", "error",
          "La valeur sort des limites admises (liste vide, nombre négatif, texte vide, doublon dans une liste…).",
          "professions:\n  delegues: []",
          "professions:\n  delegues: [infirmier]"),
    Check("schema-non-respecte", "schema", "error",
          "La structure ne correspond à aucune forme admise par le schéma.",
          "membres:\n  - nom_exercice: Martin",
          "membres:\n  - rpps: \"10000000009\"\n    nom_exercice: Martin"),
    # 3. Register rules
    Check("chemin-invalide", "registre", "error",
          "Le fichier n'est pas rangé à l'endroit prévu ou son nom n'est pas un identifiant valide.",
          "adhesions/auvergne/sutures/MSP Exemple.yml",
          "adhesions/84/nat-sutures-plaies/msp-exemple.yml"),
    Check("donnee-personnelle", "registre", "error",
          "Aucune adresse électronique, aucun numéro de téléphone ni adresse postale d'une personne "
          "n'entre dans le registre : les échanges passent par la pull request.",
          "membres:\n  - nom_exercice: \"Martin 06 12 34 56 78\"",
          "membres:\n  - nom_exercice: Martin"),
    Check("dates-incoherentes", "registre", "error",
          "Les dates se contredisent (décision avant le dépôt, fin avant la déclaration…).",
          "date_depot: \"2021-05-01\"\narrete:\n  date: \"2020-01-10\"",
          "date_depot: \"2019-05-01\"\narrete:\n  date: \"2020-01-10\""),
    Check("date-future", "registre", "error",
          "Une date de déclaration ou de formation ne peut pas être dans le futur.",
          "date_declaration: \"2099-01-01\"",
          "date_declaration: \"2024-12-05\""),
    Check("protocole-inconnu", "registre", "error",
          "L'adhésion vise un protocole absent de `protocols/`.",
          "adhesions/84/nat-inexistant/msp-exemple.yml",
          "adhesions/84/nat-sutures-plaies/msp-exemple.yml"),
    Check("protocole-non-autorise", "registre", "error",
          "On n'adhère qu'à un protocole autorisé (statut `autorise`).",
          "adhesion à un protocole au statut `refuse`",
          "Choisissez un protocole autorisé dans le catalogue."),
    Check("protocole-arrete", "registre", "warning",
          "Le protocole est arrêté : l'adhésion est terminée, aucune nouvelle adhésion n'est possible.",
          "adhésion déclarée après la date d'arrêt du protocole",
          "Choisissez un protocole autorisé, ou ajoutez `fin` à l'adhésion existante."),
    Check("protocole-hors-region", "registre", "error",
          "Le protocole ne s'applique pas dans la région de l'adhésion.",
          "adhesions/11/<protocole régional de la région 84>/…",
          "Déclarez l'adhésion dans une région où le protocole s'applique."),
    Check("protocole-local-autre-equipe", "registre", "error",
          "Un protocole local ne s'applique qu'à l'équipe qui l'a promu.",
          "adhesions/84/loc-84-exemple/autre-equipe.yml",
          "adhesions/84/loc-84-exemple/<equipe_promotrice>.yml"),
    Check("role-manquant", "registre", "error",
          "L'équipe doit compter au moins un délégant et au moins un délégué.",
          "membres:\n  - role: delegue",
          "membres:\n  - role: delegant\n  - role: delegue"),
    Check("profession-non-prevue", "registre", "error",
          "La profession du membre n'est pas prévue par le protocole pour son rôle.",
          "profession: masseur_kinesitherapeute\nrole: delegue   # protocole : délégués infirmiers",
          "profession: infirmier\nrole: delegue"),
    Check("cadre-non-prevu", "registre", "error",
          "La structure de l'équipe ne fait pas partie des cadres d'exercice prévus par le protocole.",
          "equipe:\n  structure: cabinet_liberal   # protocole : msp, centre_sante",
          "equipe:\n  structure: msp"),
    Check("mode-non-prevu", "registre", "error",
          "Le mode d'exercice du membre n'est pas prévu par le protocole.",
          "mode_exercice: salarie_prive   # protocole : liberal",
          "mode_exercice: liberal"),
    Check("membre-en-double", "registre", "error",
          "Le même professionnel (RPPS ou ADELI) figure deux fois dans l'équipe.",
          "membres:\n  - rpps: \"10000000009\"\n  - rpps: \"10000000009\"",
          "membres:\n  - rpps: \"10000000009\""),
    Check("rpps-cle-invalide", "registre", "error",
          "La clé du numéro RPPS (11e chiffre, clé de Luhn) est fausse : numéro mal recopié.",
          "rpps: \"10000000008\"",
          "rpps: \"10000000009\"   # recopiez le numéro de la carte CPS"),
    Check("rpps-orthographe", "registre", "warning",
          "Le même RPPS est écrit avec un autre nom ou prénom ailleurs dans le registre.",
          "rpps: \"10000000009\"\nnom_exercice: Martine   # « Martin » dans une autre adhésion",
          "rpps: \"10000000009\"\nnom_exercice: Martin"),
    Check("formation-reservee-delegue", "registre", "warning",
          "La formation n'est demandée qu'aux délégués.",
          "role: delegant\nformation: {date: \"2024-01-10\", organisme: X, duree_heures: 20}",
          "role: delegant"),
    Check("formation-insuffisante", "registre", "warning",
          "La durée de formation déclarée est inférieure à celle exigée par le protocole.",
          "formation:\n  duree_heures: 10   # protocole : 40 h",
          "formation:\n  duree_heures: 40"),
    Check("formation-manquante", "registre", "error",
          "Chaque délégué déclare sa formation (date, organisme, durée).",
          "role: delegue",
          "role: delegue\nformation:\n  date: \"2024-03-01\"\n  organisme: IFSI de Lyon\n  duree_heures: 40",
          completeness=True),
    Check("piece-manquante", "registre", "error",
          "Une pièce justificative obligatoire n'est pas déclarée.",
          "pieces:\n  - type: declaration_commune\n    sha256: …",
          "pieces:\n  - type: declaration_commune\n    sha256: …\n  - type: attestation_assurance\n    sha256: …",
          completeness=True),
    Check("piece-membre-inconnu", "registre", "error",
          "La pièce désigne un membre (RPPS ou ADELI) qui n'est pas dans l'équipe.",
          "pieces:\n  - type: diplome\n    membre: \"10000000016\"   # absent de membres",
          "pieces:\n  - type: diplome\n    membre: \"10000000009\""),
    Check("piece-en-double", "registre", "warning",
          "La même pièce est déclarée deux fois.",
          "pieces:\n  - {type: diplome, membre: \"10000000009\", sha256: …}\n"
          "  - {type: diplome, membre: \"10000000009\", sha256: …}",
          "pieces:\n  - {type: diplome, membre: \"10000000009\", sha256: …}"),
)


def is_completeness(code: str) -> bool:
    return CHECKS[code].completeness
