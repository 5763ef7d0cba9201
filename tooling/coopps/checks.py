"""One declaration per check, like ruff's rules: its stable code, layer and
default severity, the French title and what to write instead (`fix`), the
file kinds it applies to, the other files it consults, its message template
with named parameters, and the sentence the issue form's bot says for it.

A family of register rules declares its checks in its own module
(`rules/*.py`), beside the function that finds them; the checks found
outside `rules/` (reading, schema, transitions, the path, relecteurs.yml)
are declared at the bottom of this module. `CHECKS` holds every
declaration once `coopps.rules` is imported (it imports every family):
read the complete list from there. The reference page, the issue form's
words, the loading of related files and the rule tables all derive from
these declarations.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]

LAYERS = {
    "lecture": "1. Lecture du fichier",
    "schema": "2. Conformité au schéma",
    "registre": "3. Règles du registre",
    "transition": "4. Transitions par rapport à la branche de base",
    "suivi": "5. Rapports annuels de suivi",
    "annuaire": "6. Annuaire santé (`coop validate --annuaire`)",
}
KINDS = ("protocole", "adhesion", "suivi")
# What a check may read besides the file it judges (`Register.load_related` loads them):
CONSULTED = {
    "protocole": "the protocol an adhesion or a report names",
    "adhesion": "the adhesion a report stands beside",
    "membres": "every adhesion naming one of the members' RPPS or ADELI numbers",
    "protocoles": "every protocol (who names this one in `remplace`/`remplace_par`)",
}
SAMPLE_ADHESION = "adhesions/84/nat-test/msp-a.yml"
SAMPLE_PROTOCOL = "protocols/nat-test.yml"
SAMPLE_SHA = "5feceb66ffc86f38d952786c6d696c79c2dbc239dd4e91b46729d73a27fb57e9"


@dataclass(frozen=True)
class Example:
    """The sample register (tooling/tests/register_samples.py: valid, every check passes) with
    one change: `old` replaced by `new` in the sample file `start` ("" old: `new` appended),
    saved at `path`. The tests run every declared example: a failing one gives its check's
    code at the line containing `needle` (its `occurrence`-th one), and exactly the codes
    `also` besides in that file and `elsewhere` in others; a passing one gives nothing."""

    new: str
    old: str = ""
    start: str = SAMPLE_ADHESION
    path: str = ""  # default: `start`
    needle: str = ""  # default: the first line of `new`
    name: str = ""  # the test's id, when a check has several examples
    occurrence: int = 1
    also: tuple[str, ...] = ()
    elsewhere: tuple[tuple[str, str], ...] = ()  # (path, code)

    @property
    def where(self) -> str:
        return self.path or self.start

    @property
    def line_text(self) -> str:
        return self.needle or self.new.strip("\n").split("\n")[0]


# A template, or one per variant (the finding's parameter `variante`; "" by default).
Template = str | Mapping[str, str]
VARIANT = "variante"


@dataclass(frozen=True)
class Check:
    code: str
    layer: str
    severity: Severity
    title: str
    example: str  # a failing snippet, shown on the reference page
    fix: str  # what to write instead
    completeness: bool = False  # lowered to a warning with --draft
    kinds: tuple[str, ...] = ()  # the file kinds a register rule judges with it
    consults: tuple[str, ...] = ()  # keys of CONSULTED
    message: Template = ""  # "": the finder writes the message itself
    form: Template | None = None  # the issue form's sentence; None: the form never gives it
    failing: tuple[Example, ...] = ()  # run by the tests (tooling/tests/test_checks.py)
    passing: tuple[Example, ...] = ()

    def render(self, params: Mapping[str, object]) -> str:
        """The French message, from the template and the finding's parameters."""
        return pick(self.message, params).format(**params)

    @property
    def from_form(self) -> bool:
        return self.form is not None


def pick(template: Template, params: Mapping[str, object]) -> str:
    """The template of the finding's variant."""
    if isinstance(template, str):
        return template
    variant = str(params.get(VARIANT, ""))
    return template[variant] if variant in template else template[""]


CHECKS: dict[str, Check] = {}


def declare(check: Check) -> Check:
    """Add `check` to the registry (a code is declared once)."""
    if check.code in CHECKS:
        raise ValueError(f"check declared twice: {check.code}")
    unknown = set(check.consults) - set(CONSULTED) or set(check.kinds) - set(KINDS)
    if check.layer not in LAYERS or unknown:
        raise ValueError(f"check {check.code}: unknown layer, kind or consulted file")
    CHECKS[check.code] = check
    return check


def _checks(*checks: Check) -> None:
    for check in checks:
        declare(check)


def is_completeness(code: str) -> bool:
    return CHECKS[code].completeness


_checks(
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
    Check("sous-module", "lecture", "error",
          "Un sous-module git (un autre dépôt inclus) n'est pas admis dans les dossiers de données : "
          "ses fichiers échapperaient aux contrôles.",
          "git submodule add https://example.invalid/autre.git adhesions/84/nat-sutures",
          "git rm adhesions/84/nat-sutures   # puis ajoutez les fichiers YAML eux-mêmes"),
    Check("fichier-special", "lecture", "error",
          "Un tube nommé (FIFO), une socket ou un périphérique n'est pas admis dans les dossiers de données ; "
          "il n'est jamais ouvert.",
          "mkfifo adhesions/84/nat-sutures/msp-exemple.yml",
          "Supprimez ce fichier spécial et écrivez un vrai fichier YAML."),
    Check("fichier-illisible", "lecture", "error",
          "Le fichier ne peut pas être lu (droits d'accès).",
          "chmod 000 protocols/nat-sutures-plaies.yml",
          "Rendez le fichier lisible (chmod 644), ou supprimez-le."),
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
          "Les étiquettes YAML (`!!int`, `!!binary`, `!python/…`, `!`…) ne sont pas admises, ni sur une valeur ni sur une clé.",
          "duree_heures: !!float 40",
          "duree_heures: 40"),
    Check("caractere-invisible", "lecture", "error",
          "Le texte contient un caractère invisible ou de contrôle : inversion du sens d'écriture (U+202A–U+202E, "
          "U+2066–U+2069), caractère sans chasse (U+200B–U+200D, U+2060, U+FEFF), caractère de contrôle (`\\e`…). "
          "Il tromperait la relecture ou le terminal.",
          "intitule: \"Sutures \\u202e\"",
          "intitule: Sutures",
          form=("cette réponse contient un caractère invisible (espace de largeur nulle, "
                "inversion du sens d'écriture…) : retapez-la au clavier plutôt que de la coller.")),
    Check("cle-non-texte", "lecture", "error",
          "Une clé doit être un nom en texte (pas un nombre, un booléen ou une liste).",
          "2024: rapport",
          "annee: 2024"),
    Check("valeur-ambigue", "lecture", "error",
          "Valeur YAML ambiguë : `yes`/`no`/`on`/`off`, nombres à zéro initial ou octaux, "
          "que d'autres outils liraient comme booléen ou nombre.",
          "code_postal: 01000\nhistorique: yes",
          "code_postal: \"01000\"\nhistorique: true"),
    Check("nombre-hors-limites", "lecture", "error",
          "Nombre infini ou démesuré (plus de 18 chiffres, `1e309`) : aucun outil ne le lirait tel quel.",
          "eig_declares: 1e309",
          "eig_declares: 2"),
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
    # 3. Register rules found outside rules/: the path (register.py), relecteurs.yml (rulebook.py)
    Check("chemin-invalide", "registre", "error",
          "Le fichier n'est pas rangé à l'endroit prévu ou son nom n'est pas un identifiant valide.",
          "adhesions/auvergne/sutures/MSP Exemple.yml",
          "adhesions/84/nat-sutures-plaies/msp-exemple.yml"),
    Check("relecteur-invalide", "registre", "error",
          "Chaque entrée de relecteurs.yml est une équipe GitHub `@organisation/equipe`, un compte "
          "`@identifiant` (dans `equipes`) ou un identifiant GitHub (dans `membres`) : lettres sans "
          "accent, chiffres et tirets simples, sans espace ni retour à la ligne. La section "
          "`dossier` d'une région liste des clés publiques age (age1…) et un canal de service "
          "(jamais l'adresse d'une personne).",
          "membres: [\"ars-84 instructrice\"]",
          "membres: [ars-84-instructrice]"),
    # 4. Transitions (--base)
    Check("statut-retour", "transition", "error",
          "Le statut d'un protocole n'avance que dans l'ordre : déposé → en instruction → avis HAS → autorisé ou refusé "
          "(déposé ou en instruction → refusé), autorisé → arrêté. Il ne revient jamais en arrière.",
          "statut: en_instruction   # statut: autorise sur la branche de base",
          "statut: autorise   # ou statut: arrete, avec arret: (date, motif)"),
    Check("renommage-interdit", "transition", "error",
          "L'identité d'un protocole ou d'une adhésion est son chemin : un fichier du registre ne se renomme pas.",
          "adhesions/84/nat-sutures-plaies/msp-exemple.yml → adhesions/84/nat-sutures-plaies/msp-nouveau-nom.yml",
          "Gardez le chemin d'origine et modifiez le contenu ; si l'équipe change, ajoutez `fin` et déclarez une nouvelle adhésion."),
    Check("suppression-adhesion", "transition", "error",
          "Une adhésion enregistrée sur la branche principale ne se supprime pas : on y met fin.",
          "git rm adhesions/84/nat-sutures-plaies/msp-exemple.yml",
          "fin:\n  date: \"2025-06-30\"\n  motif: Départ du médecin délégant"),
    Check("suppression-protocole", "transition", "error",
          "Un protocole enregistré sur la branche principale ne se supprime pas : on l'arrête.",
          "git rm protocols/nat-sutures-plaies.yml",
          "statut: arrete\narret:\n  date: \"2025-06-30\"\n  motif: Abrogation par arrêté"),
    Check("suppression-rapport", "transition", "error",
          "Un rapport annuel de suivi enregistré sur la branche principale ne se supprime pas : on le corrige.",
          "git rm adhesions/84/nat-sutures-plaies/msp-exemple.suivi-2024.yml",
          "# corrigez les valeurs dans le fichier existant\neig_declares: 1"),
    Check("historique-nouveau", "transition", "error",
          "Un nouveau protocole ne peut pas porter `historique: true`, réservé aux fiches importées de l'historique.",
          "# nouveau fichier protocols/loc-84-exemple.yml\nhistorique: true",
          "date_depot: \"2025-01-15\"   # et les références qu'exige le statut"),
    Check("suspension-reservee-ars", "transition", "error",
          "Seuls les relecteurs de l'ARS de la région (relecteurs.yml) posent ou lèvent la `suspension` d'une adhésion.",
          "suspension:\n  date: \"2025-03-01\"\n  motif: …   # pull request ouverte par l'équipe",
          "Retirez la suspension de la pull request ; l'ARS la pose elle-même dans sa propre pull request, "
          "ou un relecteur de l'ARS de la région approuve la pull request."),
    Check("outillage-reserve-mainteneurs", "transition", "error",
          "L'outillage, les workflows et la documentation du registre ne changent qu'avec l'approbation "
          "d'un mainteneur listé dans relecteurs.yml de la branche de base : une pull request ne peut pas "
          "réécrire son propre contrôle.",
          "# pull request d'une équipe\n.github/workflows/validation.yml   # modifié",
          "Retirez de la pull request tout fichier hors de `adhesions/` et `protocols/`, ou demandez "
          "à un mainteneur de l'approuver."),
    Check("reprise-reservee-mainteneurs", "transition", "error",
          "Seuls les mainteneurs listés dans relecteurs.yml de la branche de base ajoutent, modifient ou retirent le "
          "bloc `reprise` (historique repris de COOP-PS ou de démarches-simplifiées).",
          "reprise:\n  source: coop-ps\n  date_activation: \"2019-03-25\"   # pull request ouverte par l'équipe",
          "Retirez le bloc `reprise` : l'adhésion est active depuis `date_declaration` une fois instruite."),
    Check("identite-instruite", "transition", "error",
          "Une adhésion instruite (fusionnée) garde sa date de déclaration, son équipe (nom, cadre, "
          "commune, code postal) et les numéros RPPS ou ADELI de ses membres, sauf accord de l'ARS de "
          "la région ; ajouter un membre reste possible.",
          "equipe:\n  nom: MSP B   # « MSP A » sur la branche de base ; pull request de l'équipe",
          "Remettez la valeur instruite et faites approuver le changement par un relecteur de l'ARS "
          "de la région ; si l'équipe a changé, mettez fin à l'adhésion et déclarez-en une nouvelle."),
    Check("fin-definitive", "transition", "error",
          "La fin d'une adhésion enregistrée sur la branche de base ne se retire pas et sa date ne "
          "change pas.",
          "# fin:\n#   date: \"2025-06-30\"   # bloc retiré par la pull request",
          "fin:\n  date: \"2025-06-30\"\n  motif: Départ du médecin délégant   "
          "# pour reprendre : une nouvelle déclaration"),
    Check("declaration-anterieure", "transition", "warning",
          "La date de déclaration précède de plus de 31 jours le premier commit du fichier ajouté.",
          "date_declaration: \"2023-01-10\"   # fichier ajouté le 2024-03-01",
          "date_declaration: \"2024-03-01\"   # le jour où l'équipe envoie sa déclaration",
          form=("« Date de déclaration » est bien antérieure au jour de l'envoi : indiquez le "
                "jour où l'équipe envoie sa déclaration (celui du formulaire, en général).")),
    Check("regles-modifiees", "transition", "warning",
          "La pull request modifie une règle du registre (`schemas/`, `relecteurs.yml`) : ses fichiers sont jugés par "
          "les règles de la branche de base, puis aussi par les nouvelles ; ces dernières ne s'appliquent qu'une fois fusionnées.",
          "# pull request qui modifie schemas/adhesion.schema.json et ajoute une adhésion",
          "Proposez la modification des règles dans sa propre pull request, instruite par les mainteneurs."),
    Check("regles-invalides", "transition", "error",
          "Les règles que propose la pull request ne peuvent pas s'appliquer : schéma qui n'est pas du JSON ou pas un "
          "schéma JSON Schema valide, référence introuvable, référentiel supprimé, `relecteurs.yml` illisible.",
          "{\"$id\": \"https://example.invalid/adhesion.schema.json\", \"type\": \"objet\"}",
          "{\"$id\": \"https://example.invalid/adhesion.schema.json\", \"type\": \"object\"}"),
    # 6. Annuaire santé (coop validate --annuaire INDEX)
    Check("annuaire-rpps-inconnu", "annuaire", "error",
          "Le numéro RPPS du membre ne figure pas dans l'Annuaire santé.",
          "rpps: \"10000000017\"   # absent de l'Annuaire santé",
          "rpps: \"10000000009\"   # recopié de la carte CPS"),
    Check("annuaire-adeli-inconnu", "annuaire", "warning",
          "Le numéro ADELI du membre ne figure pas dans l'extraction de l'Annuaire santé.",
          "adeli: \"691234567\"   # absent de l'extraction",
          "rpps: \"10000000009\"   # le numéro RPPS du professionnel, s'il en a un"),
    Check("annuaire-autre-personne", "annuaire", "error",
          "Dans l'Annuaire santé, le numéro du membre est celui d'une autre personne "
          "(accents, majuscules, tirets et apostrophes mis à part).",
          "rpps: \"10000000009\"\nnom_exercice: Martin   # l'Annuaire santé donne un autre nom",
          "rpps: \"10000000009\"\nnom_exercice: Lefèvre   # le nom d'exercice de l'Annuaire santé"),
    Check("annuaire-profession", "annuaire", "error",
          "Dans l'Annuaire santé, le numéro du membre est celui d'un professionnel d'une autre profession.",
          "rpps: \"10000000017\"\nprofession: medecin   # infirmier dans l'Annuaire santé",
          "rpps: \"10000000017\"\nprofession: infirmier"),
)
