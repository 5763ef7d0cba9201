"""The checks found outside `rules/`, declared as the rules' are (`checks.Check`): layer 1
(reading, `reading.py`, `yamlguards.py`), layer 2 (the schema, `schema.py`), the path
(`register.py`) and relecteurs.yml (`rulebook.py`). Layers 4 and 6 (transitions, the Annuaire
santé) are in `change_checks.py`. Each stage raises its findings with `findings.found`, from
the template and named parameters below, and the key path it is about.

A few templates take a sentence made elsewhere as a parameter, because that sentence is
itself data: a JSON Schema's own `x-message`, and the path's problem (`paths.classify`).
"""

from __future__ import annotations

from .checks import KINDS, SAMPLE_PROTOCOL, Check, Example, declare

P = SAMPLE_PROTOCOL

# 1. Reading
UNEXPECTED_FILE = declare(
    Check(
        "fichier-inattendu",
        "lecture",
        "error",
        title="Seuls des fichiers YAML `.yml` sont admis dans `protocols/` et `adhesions/` "
        "(les pièces justificatives n'entrent jamais dans le dépôt).",
        example="adhesions/84/nat-sutures/msp-exemple/diplome.pdf",
        fix="Retirez le fichier ; déclarez la pièce par son empreinte `sha256` dans l'adhésion.",
        message={
            "": "Seuls des fichiers YAML `.yml` sont admis ici. Les pièces justificatives "
            "n'entrent jamais dans le dépôt : retirez ce fichier et déclarez la pièce par "
            "son empreinte `sha256` dans l'adhésion.",
            "yaml": "Les fichiers du registre portent l'extension `.yml` : renommez ce fichier "
            "en `.yml`.",
        },
    )
)
SYMLINK = declare(
    Check(
        "lien-symbolique",
        "lecture",
        "error",
        title="Un lien symbolique n'est pas admis dans les dossiers de données.",
        example="protocols/copie.yml -> /etc/passwd",
        fix="Remplacez le lien par un vrai fichier YAML, ou supprimez-le.",
        message="Ce fichier est un lien symbolique : remplacez-le par un vrai fichier YAML.",
    )
)
SUBMODULE = declare(
    Check(
        "sous-module",
        "lecture",
        "error",
        title="Un sous-module git (un autre dépôt inclus) n'est pas admis dans les dossiers de "
        "données : ses fichiers échapperaient aux contrôles.",
        example="git submodule add https://example.invalid/autre.git adhesions/84/nat-sutures",
        fix="git rm adhesions/84/nat-sutures   # puis ajoutez les fichiers YAML eux-mêmes",
        message="Ce dossier est un sous-module git (un autre dépôt inclus dans le registre) : ses "
        "fichiers échapperaient aux contrôles et à l'instruction. Retirez-le (`git rm`) et "
        "ajoutez les fichiers YAML eux-mêmes.",
    )
)
SPECIAL_FILE = declare(
    Check(
        "fichier-special",
        "lecture",
        "error",
        title="Un tube nommé (FIFO), une socket ou un périphérique n'est pas admis dans les "
        "dossiers de données ; il n'est jamais ouvert.",
        example="mkfifo adhesions/84/nat-sutures/msp-exemple.yml",
        fix="Supprimez ce fichier spécial et écrivez un vrai fichier YAML.",
        message={
            "": "Ce fichier est {nature}, pas un fichier de données : supprimez-le du registre "
            "(il n'a pas été ouvert).",
            "ouvert": "Ce fichier est {nature}, pas un fichier de données : supprimez-le.",
        },
    )
)
UNREADABLE = declare(
    Check(
        "fichier-illisible",
        "lecture",
        "error",
        title="Le fichier ne peut pas être lu (droits d'accès).",
        example="chmod 000 protocols/nat-sutures-plaies.yml",
        fix="Rendez le fichier lisible (chmod 644), ou supprimez-le.",
        message="Ce fichier ne peut pas être lu (droits d'accès ?) : vérifiez-le.",
    )
)
TOO_BIG = declare(
    Check(
        "fichier-trop-gros",
        "lecture",
        "error",
        title="Le fichier dépasse la taille maximale admise (512 Kio).",
        example="un fichier YAML de 10 Mo",
        fix="Un fichier de protocole ou d'adhésion tient en quelques dizaines de Kio : retirez le "
        "contenu superflu.",
        message="Le fichier fait {kio} Kio, au-delà des {limite_kio} Kio admis : un protocole ou "
        "une adhésion tient en quelques dizaines de Kio.",
    )
)
BAD_ENCODING = declare(
    Check(
        "encodage-invalide",
        "lecture",
        "error",
        title="Le fichier n'est pas du texte UTF-8 (fichier binaire ou autre encodage).",
        example='intitule: "Pr\\xe9vention"   # octet Latin-1',
        fix="Enregistrez le fichier en UTF-8 (option « UTF-8 » de l'éditeur).",
        message={
            "": "Le fichier n'est pas encodé en UTF-8 (caractère accentué illisible) : "
            "enregistrez-le en UTF-8 depuis votre éditeur.",
            "binaire": "Ce fichier est binaire, pas du texte YAML : retirez-le du registre.",
        },
    )
)
EMPTY = declare(
    Check(
        "fichier-vide",
        "lecture",
        "error",
        title="Le fichier ne contient aucune donnée.",
        example="# yaml-language-server: $schema=../schemas/protocole.schema.json",
        fix="Remplissez le fichier, ou supprimez-le.",
        message="Le fichier ne contient aucune donnée : remplissez-le ou supprimez-le.",
    )
)
BAD_YAML = declare(
    Check(
        "yaml-invalide",
        "lecture",
        "error",
        title="Le YAML est mal formé (indentation, deux-points, guillemets…).",
        example='intitule: "Sutures\n  portee national',
        fix='intitule: "Sutures"\nportee: national',
        message={
            "": "YAML mal formé ({probleme}). Vérifiez l'indentation (des espaces, jamais de "
            "tabulation), la présence de « : » après chaque clé et la fermeture des "
            "guillemets.",
            "caractere": "Le fichier contient un caractère interdit en YAML ({probleme}) : "
            "retirez-le.",
            "yaml-1.2": "YAML mal formé ({probleme}) : un autre outil lirait ce fichier "
            "autrement ou le refuserait.",
        },
        failing=(
            Example('portee: "national', "portee: national", P),
            Example(
                "\tdelegues: [infirmier]",
                "  delegues: [infirmier]",
                P,
                name="tabulation",
                needle="delegues",
            ),
        ),
    )
)
TOO_DEEP = declare(
    Check(
        "yaml-trop-imbrique",
        "lecture",
        "error",
        title="Le fichier est imbriqué trop profondément pour être une donnée du registre.",
        example="membres: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ … ]]]]",
        fix="Écrivez la liste à plat : `membres:` suivi d'un élément `- …` par membre.",
        message={
            "": "Plus de {profondeur} niveaux imbriqués : ce n'est pas une donnée du registre. "
            "Écrivez les listes à plat, un élément `- …` par ligne.",
            "crochets": "Plus de {profondeur} niveaux de crochets ou d'accolades imbriqués : "
            "écrivez les listes à plat, un élément `- …` par ligne.",
            "noeuds": "Plus de {profondeur} niveaux imbriqués : ce n'est pas une donnée du "
            "registre.",
        },
        failing=(Example("notes: " + "[" * 40 + "]" * 40 + "\n", start=P),),
    )
)
SEVERAL_DOCUMENTS = declare(
    Check(
        "plusieurs-documents",
        "lecture",
        "error",
        title="Le fichier contient plusieurs documents YAML (séparateur `---`).",
        example="intitule: A\n---\nintitule: B",
        fix="Un fichier = un protocole ou une adhésion : séparez-les en deux fichiers.",
        message="Le fichier contient plusieurs documents YAML séparés par `---` : un fichier = un "
        "protocole ou une adhésion.",
        failing=(Example("---\nintitule: Autre\n", start=P),),
    )
)
DUPLICATE_KEY = declare(
    Check(
        "cle-dupliquee",
        "lecture",
        "error",
        title="Une même clé apparaît deux fois ; la seconde effacerait la première en silence.",
        example="statut: autorise\nstatut: arrete",
        fix="statut: arrete",
        message="La clé « {cle} » apparaît deux fois : gardez une seule occurrence avec la bonne "
        "valeur.",
        failing=(
            Example(
                "statut: autorise\nstatut: arrete\n",
                "statut: autorise\n",
                P,
                needle="statut: arrete",
            ),
        ),
    )
)
ALIAS = declare(
    Check(
        "alias-interdit",
        "lecture",
        "error",
        title="Les ancres, alias et fusions YAML (`&`, `*`, `<<`) ne sont pas admis : chaque "
        "valeur s'écrit en clair.",
        example="delegants: &med [medecin]\ndelegues: *med",
        fix="delegants: [medecin]\ndelegues: [infirmier]",
        message={
            "": "Alias YAML (`*nom`) interdit : recopiez la valeur en clair.",
            "fusion": "La fusion YAML `<<` est interdite : recopiez les clés en clair.",
        },
        failing=(
            Example("base: &b {x: 1}\nautre:\n  <<: *b\n", start=P, name="fusion", needle="<<"),
        ),
    )
)
TAG = declare(
    Check(
        "etiquette-interdite",
        "lecture",
        "error",
        title="Les étiquettes YAML (`!!int`, `!!binary`, `!python/…`, `!`…) ne sont pas admises, "
        "ni sur une valeur ni sur une clé.",
        example="duree_heures: !!float 40",
        fix="duree_heures: 40",
        message="Étiquette YAML « {etiquette} » interdite : écrivez la valeur sans étiquette.",
        failing=(
            Example("  duree_heures: !!float 20", "  duree_heures: 20", P),
            Example("  commune: ! Lyon", "  commune: Lyon", name="etiquette-vide"),
        ),
    )
)
INVISIBLE = declare(
    Check(
        "caractere-invisible",
        "lecture",
        "error",
        title="Le texte contient un caractère invisible ou de contrôle : inversion du sens "
        "d'écriture (U+202A–U+202E, U+2066–U+2069), caractère sans chasse (U+200B–U+200D, "
        "U+2060, U+FEFF), caractère de contrôle (`\\e`…). Il tromperait la relecture ou le "
        "terminal.",
        example='intitule: "Sutures \\u202e"',
        fix="intitule: Sutures",
        message="Le texte contient un {caractere}, invisible à la relecture ou qui change l'ordre "
        "d'affichage : retapez la valeur sans ce caractère.",
        form="cette réponse contient un caractère invisible (espace de largeur nulle, inversion du "
        "sens d'écriture…) : retapez-la au clavier plutôt que de la coller.",
    )
)
KEY_NOT_TEXT = declare(
    Check(
        "cle-non-texte",
        "lecture",
        "error",
        title="Une clé doit être un nom en texte (pas un nombre, un booléen ou une liste).",
        example="2024: rapport",
        fix="annee: 2024",
        message={
            "": "La clé « {cle} » doit être un nom en texte : écrivez-la entre guillemets ou "
            "renommez-la.",
            "structure": "Une clé doit être un nom en texte, pas une liste ni un dictionnaire.",
        },
        failing=(Example("2024: rapport\n", start=P),),
    )
)
AMBIGUOUS = declare(
    Check(
        "valeur-ambigue",
        "lecture",
        "error",
        title="Valeur YAML ambiguë : `yes`/`no`/`on`/`off`, nombres à zéro initial ou octaux, "
        "que d'autres outils liraient comme booléen ou nombre.",
        example="code_postal: 01000\nhistorique: yes",
        fix='code_postal: "01000"\nhistorique: true',
        message={
            "": "« {valeur} » serait lu comme un nombre par certains outils (zéro initial, "
            'octal, heure…) : écrivez "{valeur}" entre guillemets.',
            "booleen": "« {valeur} » est ambigu (oui/non pour certains outils) : écrivez true "
            'ou false, ou "{valeur}" entre guillemets si c\'est un texte.',
        },
        failing=(
            Example("code_postal: 01000", 'code_postal: "69003"'),
            Example("historique: yes\n", start=P, name="yes"),
            Example("portee: NO", "portee: national", P, name="norvege"),
        ),
    )
)
HUGE_NUMBER = declare(
    Check(
        "nombre-hors-limites",
        "lecture",
        "error",
        title="Nombre infini ou démesuré (plus de 18 chiffres, `1e309`) : aucun outil ne le "
        "lirait tel quel.",
        example="eig_declares: 1e309",
        fix="eig_declares: 2",
        message="Le nombre « {nombre} » est infini ou démesuré : aucune valeur du registre n'en a "
        "besoin. Écrivez le nombre constaté (ou la valeur entre guillemets s'il s'agit "
        "d'un texte).",
    )
)
NO_HEADER = declare(
    Check(
        "entete-schema",
        "lecture",
        "warning",
        title="La première ligne doit être le commentaire `# yaml-language-server: $schema=…` "
        "qui permet à l'éditeur de compléter et vérifier le fichier.",
        example="intitule: Sutures",
        fix="# yaml-language-server: $schema=../schemas/protocole.schema.json\nintitule: Sutures",
        message="La première ligne doit être le commentaire `# yaml-language-server: $schema=…` "
        "(lancez `coop formater` pour l'ajouter).",
    )
)
# 2. Schema: `champ` is the key path in words (« membres[2].rpps », or « le fichier »)
REQUIRED = declare(
    Check(
        "champ-obligatoire",
        "schema",
        "error",
        title="Un champ obligatoire manque.",
        example="portee: national\nstatut: autorise",
        fix="intitule: Réalisation de sutures…\nportee: national\nstatut: autorise",
        message={
            "": "Le champ « {cle} » est obligatoire : ajoutez la ligne `{cle}: …`.",
            "dans": "Le champ « {cle} » est obligatoire dans {champ} : ajoutez la ligne "
            "`{cle}: …`.",
            "raison": "Le champ « {cle} » est obligatoire ({raison}) : ajoutez la ligne "
            "`{cle}: …`.",
            "dans-raison": "Le champ « {cle} » est obligatoire dans {champ} ({raison}) : "
            "ajoutez la ligne `{cle}: …`.",
        },
        failing=(
            Example("", "intitule: Protocole national de test\n", P, needle="# yaml"),
            Example("", "    role: delegant\n", name="role", needle="10000001015"),
        ),
    )
)
UNKNOWN_FIELD = declare(
    Check(
        "champ-inconnu",
        "schema",
        "error",
        title="Ce champ n'existe pas dans le modèle (faute de frappe ?) ; il serait ignoré.",
        example='membres:\n  - rpps: "10000000009"\n    courriel: x@exemple.fr',
        fix='membres:\n  - rpps: "10000000009"',
        message={
            "": "Le champ « {cle} » n'existe pas ici (faute de frappe ?). Champs possibles : "
            "{possibles}.",
            "personnel": "Le champ « {cle} » n'est pas admis : aucune coordonnée personnelle "
            "(courriel, téléphone, adresse) n'entre dans le registre ; les "
            "échanges passent par la pull request. Supprimez cette ligne.",
        },
        failing=(
            Example(
                "    role: delegant\n    commentaire: non\n",
                "    role: delegant\n",
                needle="commentaire",
            ),
        ),
    )
)
WRONG_TYPE = declare(
    Check(
        "type-invalide",
        "schema",
        "error",
        title="La valeur n'a pas le type attendu (texte, nombre, liste, date…).",
        example="region: 84",
        fix='region: "84"',
        message={
            "": "{Champ} doit être {attendu}, pas {trouve}.",
            "guillemets": "{Champ} doit être {attendu} : écrivez la valeur entre guillemets, "
            'par exemple "{valeur}".',
        },
        failing=(Example("  delegants: medecin", "  delegants: [medecin]", P, name="liste"),),
    )
)
UNKNOWN_VALUE = declare(
    Check(
        "valeur-inconnue",
        "schema",
        "error",
        title="La valeur ne fait pas partie des valeurs admises (référentiels des régions, "
        "professions, statuts…).",
        example="portee: nationale",
        fix="portee: national",
        message={
            "": "« {valeur} » n'est pas une valeur admise pour {champ}. Valeurs possibles : "
            "{possibles}.",
            "constante": "{Champ} ne peut valoir que {possibles} : corrigez ou supprimez la ligne.",
        },
        failing=(
            Example(
                "    profession: infirmiere",
                "    profession: infirmier",
                name="profession",
                needle="infirmiere",
            ),
        ),
    )
)
BAD_FORMAT = declare(
    Check(
        "format-invalide",
        "schema",
        "error",
        title="La valeur n'a pas le format attendu (date AAAA-MM-JJ, RPPS à 11 chiffres, ADELI à "
        "9 chiffres, SHA-256…).",
        example="date_declaration: 2024-13-45",
        fix="date_declaration: 2024-12-05",
        message="« {valeur} » n'a pas le format attendu pour {champ} : {indication}",
        failing=(
            Example("date_declaration: 2024-13-45", "date_declaration: 2024-03-12"),
            Example(
                'code_postal: "69003\\n"',
                'code_postal: "69003"',
                name="retour-ligne-final",
                needle="code_postal",
            ),
        ),
    )
)
OUT_OF_LIMITS = declare(
    Check(
        "valeur-hors-limites",
        "schema",
        "error",
        title="La valeur sort des limites admises (liste vide, nombre négatif, texte vide, doublon "
        "dans une liste…).",
        example="professions:\n  delegues: []",
        fix="professions:\n  delegues: [infirmier]",
        message={
            "minItems": "La liste {champ} doit contenir au moins {limite} élément(s).",
            "maxItems": "La liste {champ} contient trop d'éléments (au plus {limite}).",
            "minLength": "{Champ} ne peut pas être vide.",
            "maxLength": "{Champ} est trop long (au plus {limite} caractères) : résumez.",
            "minimum": "{Champ} doit être supérieur ou égal à {limite}.",
            "maximum": "{Champ} doit être inférieur ou égal à {limite}.",
            "uniqueItems": "La liste {champ} contient deux fois la même valeur : supprimez le "
            "doublon.",
            "": "{Champ} sort des limites admises.",
        },
        failing=(
            Example("  delegues: []", "  delegues: [infirmier]", P),
            Example("  duree_heures: -3", "  duree_heures: 20", P, name="negatif"),
        ),
    )
)
SCHEMA_MISMATCH = declare(
    Check(
        "schema-non-respecte",
        "schema",
        "error",
        title="La structure ne correspond à aucune forme admise par le schéma.",
        example="membres:\n  - nom_exercice: Martin",
        fix='membres:\n  - rpps: "10000000009"\n    nom_exercice: Martin',
        message={
            "": "{Champ} ne respecte pas le modèle attendu.",
            "schema": "{explication}",  # the schema's own sentence (`x-message`)
            "moteur": "Le fichier ne respecte pas le schéma (valeur de forme inattendue, par "
            "exemple un retour à la ligne final dans un identifiant) : vérifiez les "
            "valeurs avec l'éditeur, qui applique le même schéma.",
        },
    )
)
# 3. Register rules. The privacy rule (rules/privacy.py) is the main finder of this one;
# layer 1 finds it too (comments, the raw text of a file that does not parse or is no `.yml`).
MESSAGE = (
    "Cette valeur contient {what} : aucune coordonnée ni aucun identifiant personnel n'entre dans le registre "
    "(les échanges passent par la pull request). Retirez-la."
)
KEY_MESSAGE = (
    "Ce nom de champ contient {what} : aucune coordonnée ni aucun identifiant personnel n'entre dans le registre "
    "(les échanges passent par la pull request). Retirez la ligne."
)
PERSONAL_DATA = declare(
    Check(
        "donnee-personnelle",
        "registre",
        "error",
        title="Aucune adresse électronique (même écrite « at » ou « [at] »), aucun numéro de "
        "téléphone, numéro de sécurité sociale, RPPS hors des champs `rpps`, ni adresse "
        "postale d'une personne n'entre dans le registre, ni dans un texte, ni dans un nom de "
        "fichier : les échanges passent par la pull request.",
        example='membres:\n  - nom_exercice: "Martin 06 12 34 56 78"',
        fix="membres:\n  - nom_exercice: Martin",
        kinds=KINDS,
        message={
            "": MESSAGE,
            "cle": KEY_MESSAGE,
            "commentaire": "Ce commentaire contient {what} : aucune coordonnée ni aucun "
            "identifiant personnel n'entre dans le dépôt, même en commentaire "
            "(les échanges passent par la pull request). Retirez-le.",
            "ligne": "Cette ligne contient {what} : aucune coordonnée ni aucun identifiant "
            "personnel n'entre dans le dépôt (les échanges passent par la pull "
            "request). Retirez-la.",
            "fichier-inattendu": "Ce fichier, qui n'a pas sa place ici, contient {what} : "
            "aucune coordonnée ni aucun identifiant personnel n'entre dans "
            "le dépôt. Supprimez le fichier.",
            "nom": "Le nom « {nom} » contient {what} : un identifiant est publié tel quel "
            "(adresses des pages, CSV, JSON). Choisissez un identifiant sans donnée "
            "personnelle (exemple : `msp-des-tilleuls`).",
        },
        form="cette réponse contient une adresse électronique, un numéro de téléphone ou une "
        "adresse postale. Ce dépôt est public : retirez-la (les échanges passent par "
        "cette issue).",
        failing=(
            Example(
                '    nom_exercice: "Fictif 06 12 34 56 78"',
                "    nom_exercice: Fictif",
                needle="Fictif 06",
            ),
            Example("  commune: 12 rue de la Paix Lyon", "  commune: Lyon", name="adresse"),
            Example(
                "    organisme: camille@example.org",
                "    organisme: IFSI de test",
                name="courriel-valeur",
            ),
        ),
        passing=(
            Example(
                "    organisme: IFSI de Lyon (promotion 2023-2024)", "    organisme: IFSI de test"
            ),
        ),
    )
)

# Register rules found outside rules/: the path (register.py), relecteurs.yml (rulebook.py)
BAD_PATH = declare(
    Check(
        "chemin-invalide",
        "registre",
        "error",
        title="Le fichier n'est pas rangé à l'endroit prévu ou son nom n'est pas un identifiant "
        "valide.",
        example="adhesions/auvergne/sutures/MSP Exemple.yml",
        fix="adhesions/84/nat-sutures-plaies/msp-exemple.yml",
        message="{Probleme}.",  # `paths.classify` says which part of the path is wrong
        failing=(
            Example("", path="adhesions/84/nat-test/MSP A.yml", needle="# yaml", name="nom-equipe"),
        ),
    )
)
BAD_REVIEWER = declare(
    Check(
        "relecteur-invalide",
        "registre",
        "error",
        title="Chaque entrée de relecteurs.yml est une équipe GitHub `@organisation/equipe`, un "
        "compte `@identifiant` (dans `equipes`) ou un identifiant GitHub (dans `membres`) : "
        "lettres sans accent, chiffres et tirets simples, sans espace ni retour à la ligne. "
        "La section `dossier` d'une région liste des clés publiques age (age1…) et un canal "
        "de service (jamais l'adresse d'une personne).",
        example='membres: ["ars-84 instructrice"]',
        fix="membres: [ars-84-instructrice]",
        message={
            "": "{probleme} Corrigez l'entrée (une par ligne de liste, sans espace ni retour "
            "à la ligne), puis lancez `coop proprietaires`.",
            "forme": "{probleme}",
            "dossier": "{probleme} Corrigez la section `dossier` de la région (voir « Déployer "
            "le registre », clés des dossiers).",
        },
    )
)
