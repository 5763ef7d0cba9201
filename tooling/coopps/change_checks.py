"""The checks of layers 4 and 6, declared as the rules' are (`checks.Check`): what a pull
request may change against its base branch (`transitions.py`, `instructed.py`,
`rulebook.py`) and each member against the Annuaire santé (`directory_check.py`).

Their failing cases need a base branch or an index of the Annuaire santé: they are tested in
`test_transitions*.py` and `test_annuaire.py`, not by declared examples.
"""

from __future__ import annotations

from .checks import Check, declare

# 4. Transitions (--base)
STATUS_BACK = declare(
    Check(
        "statut-retour",
        "transition",
        "error",
        title="Le statut d'un protocole n'avance que dans l'ordre : déposé → en instruction → avis "
        "HAS → autorisé ou refusé (déposé ou en instruction → refusé), autorisé → arrêté. Il "
        "ne revient jamais en arrière.",
        example="statut: en_instruction   # statut: autorise sur la branche de base",
        fix="statut: autorise   # ou statut: arrete, avec arret: (date, motif)",
        message="Le statut passe de `{avant}` à `{apres}` : un statut ne revient jamais en arrière "
        "(dépôt → instruction → avis HAS → autorisé ou refusé, autorisé → arrêté). Remettez "
        "`statut: {avant}` ou choisissez un statut suivant : {suivants}.",
    )
)
RENAMED = declare(
    Check(
        "renommage-interdit",
        "transition",
        "error",
        title="L'identité d'un protocole ou d'une adhésion est son chemin : un fichier du registre "
        "ne se renomme pas.",
        example="adhesions/84/nat-sutures-plaies/msp-exemple.yml → "
        "adhesions/84/nat-sutures-plaies/msp-nouveau-nom.yml",
        fix="Gardez le chemin d'origine et modifiez le contenu ; si l'équipe change, ajoutez `fin` "
        "et déclarez une nouvelle adhésion.",
        message={
            "": "Ce fichier est renommé depuis « {ancien} » : l'identité d'un protocole est "
            "son chemin, qui ne change jamais. Gardez le chemin « {ancien} » et modifiez "
            "le contenu du fichier.",
            "adhesion": "Ce fichier est renommé depuis « {ancien} » : l'identité d'une adhésion "
            "est son chemin, qui ne change jamais. Gardez le chemin « {ancien} » et "
            "modifiez le contenu du fichier.",
            "suivi": "Ce fichier est renommé depuis « {ancien} » : l'identité d'un rapport de "
            "suivi est son chemin, qui ne change jamais. Gardez le chemin « {ancien} » "
            "et modifiez le contenu du fichier.",
        },
    )
)
ADHESION_DELETED = declare(
    Check(
        "suppression-adhesion",
        "transition",
        "error",
        title="Une adhésion enregistrée sur la branche principale ne se supprime pas : on y met fin.",
        example="git rm adhesions/84/nat-sutures-plaies/msp-exemple.yml",
        fix='fin:\n  date: "2025-06-30"\n  motif: Départ du médecin délégant',
        message="Cette adhésion est enregistrée sur la branche de base : elle ne se supprime pas. "
        "Remettez le fichier et ajoutez-y `fin:` avec `date:` et `motif:` pour y mettre fin.",
    )
)
PROTOCOL_DELETED = declare(
    Check(
        "suppression-protocole",
        "transition",
        "error",
        title="Un protocole enregistré sur la branche principale ne se supprime pas : on l'arrête.",
        example="git rm protocols/nat-sutures-plaies.yml",
        fix='statut: arrete\narret:\n  date: "2025-06-30"\n  motif: Abrogation par arrêté',
        message="Ce protocole est enregistré sur la branche de base : il ne se supprime pas. "
        "Remettez le fichier ; s'il n'est plus appliqué, passez son statut à `arrete` avec "
        "`arret:` (date, motif).",
    )
)
REPORT_DELETED = declare(
    Check(
        "suppression-rapport",
        "transition",
        "error",
        title="Un rapport annuel de suivi enregistré sur la branche principale ne se supprime pas : "
        "on le corrige.",
        example="git rm adhesions/84/nat-sutures-plaies/msp-exemple.suivi-2024.yml",
        fix="# corrigez les valeurs dans le fichier existant\neig_declares: 1",
        message="Ce rapport annuel de suivi est enregistré sur la branche de base : il ne se "
        "supprime pas. Remettez le fichier et corrigez-en les valeurs si elles étaient "
        "fausses.",
    )
)
NEW_HISTORIC = declare(
    Check(
        "historique-nouveau",
        "transition",
        "error",
        title="Un nouveau protocole ne peut pas porter `historique: true`, réservé aux fiches "
        "importées de l'historique.",
        example="# nouveau fichier protocols/loc-84-exemple.yml\nhistorique: true",
        fix='date_depot: "2025-01-15"   # et les références qu\'exige le statut',
        message="Un nouveau protocole ne peut pas porter `historique: true` : cette marque est "
        "réservée aux fiches importées de l'historique. Retirez la ligne et renseignez les "
        "dates et références qu'exige son statut.",
    )
)
SUSPENSION_ARS_ONLY = declare(
    Check(
        "suspension-reservee-ars",
        "transition",
        "error",
        title="Seuls les relecteurs de l'ARS de la région (relecteurs.yml) posent ou lèvent la "
        "`suspension` d'une adhésion.",
        example='suspension:\n  date: "2025-03-01"\n  motif: …   # pull request ouverte par l\'équipe',
        fix="Retirez la suspension de la pull request ; l'ARS la pose elle-même dans sa propre pull "
        "request, ou un relecteur de l'ARS de la région approuve la pull request.",
        message="Cette modification {action} la suspension de l'adhésion, mais aucun relecteur de "
        "l'ARS de la région {region} (relecteurs.yml de la branche de base) n'a ouvert ni "
        "approuvé la pull request ({qui}). Seule l'ARS de la région pose ou lève une "
        "suspension : retirez ce changement de la pull request, ou demandez à l'ARS de "
        "l'approuver.",
    )
)
TOOLING_MAINTAINERS_ONLY = declare(
    Check(
        "outillage-reserve-mainteneurs",
        "transition",
        "error",
        title="L'outillage, les workflows et la documentation du registre ne changent qu'avec "
        "l'approbation d'un mainteneur listé dans relecteurs.yml de la branche de base : une "
        "pull request ne peut pas réécrire son propre contrôle.",
        example="# pull request d'une équipe\n.github/workflows/validation.yml   # modifié",
        fix="Retirez de la pull request tout fichier hors de `adhesions/` et `protocols/`, ou "
        "demandez à un mainteneur de l'approuver.",
        message={
            "": "Cette pull request modifie {fichiers}, qui ne sont ni des adhésions, ni des "
            "protocoles, ni des règles du registre : l'outillage, les workflows et la "
            "documentation ne changent qu'avec l'approbation d'un mainteneur (relecteurs.yml "
            "de la branche de base). Retirez ces fichiers de la pull request, ou demandez à "
            "un mainteneur de l'approuver : le contrôle sera relancé.",
            "plus": "Cette pull request modifie {fichiers} et {autres} autre(s) fichier(s), qui "
            "ne sont ni des adhésions, ni des protocoles, ni des règles du registre : "
            "l'outillage, les workflows et la documentation ne changent qu'avec "
            "l'approbation d'un mainteneur (relecteurs.yml de la branche de base). "
            "Retirez ces fichiers de la pull request, ou demandez à un mainteneur de "
            "l'approuver : le contrôle sera relancé.",
        },
    )
)
REPRISE_MAINTAINERS_ONLY = declare(
    Check(
        "reprise-reservee-mainteneurs",
        "transition",
        "error",
        title="Seuls les mainteneurs listés dans relecteurs.yml de la branche de base ajoutent, "
        "modifient ou retirent le bloc `reprise` (historique repris de COOP-PS ou de "
        "démarches-simplifiées).",
        example='reprise:\n  source: coop-ps\n  date_activation: "2019-03-25"   '
        "# pull request ouverte par l'équipe",
        fix="Retirez le bloc `reprise` : l'adhésion est active depuis `date_declaration` une fois "
        "instruite.",
        message="Le bloc `reprise` date l'adhésion d'après un dossier antérieur au registre "
        "(COOP-PS ou démarches-simplifiées), mais {qui} ne figure pas parmi les mainteneurs "
        "de relecteurs.yml sur la branche de base. Retirez ce bloc : une nouvelle "
        "déclaration est datée par `date_declaration`, et seuls les mainteneurs reprennent "
        "l'historique.",
    )
)
INSTRUCTED_IDENTITY = declare(
    Check(
        "identite-instruite",
        "transition",
        "error",
        title="Une adhésion instruite (fusionnée) garde sa date de déclaration, son équipe (nom, "
        "cadre, commune, code postal) et les numéros RPPS ou ADELI de ses membres, sauf "
        "accord de l'ARS de la région ; ajouter un membre reste possible.",
        example="equipe:\n  nom: MSP B   # « MSP A » sur la branche de base ; pull request de "
        "l'équipe",
        fix="Remettez la valeur instruite et faites approuver le changement par un relecteur de "
        "l'ARS de la région ; si l'équipe a changé, mettez fin à l'adhésion et déclarez-en une "
        "nouvelle.",
        message="Cette adhésion est instruite (enregistrée sur la branche de base) : la pull "
        "request modifie {valeur}, mais aucun relecteur de l'ARS de la région {region} ne "
        "l'a ouverte ni approuvée ({qui}). Remettez la valeur instruite, demandez à l'ARS "
        "d'approuver la pull request, ou, si l'équipe a changé, mettez fin à cette adhésion "
        "(`fin:`) et déclarez-en une nouvelle.",
    )
)
END_FOR_GOOD = declare(
    Check(
        "fin-definitive",
        "transition",
        "error",
        title="La fin d'une adhésion enregistrée sur la branche de base ne se retire pas et sa "
        "date ne change pas.",
        example='# fin:\n#   date: "2025-06-30"   # bloc retiré par la pull request',
        fix='fin:\n  date: "2025-06-30"\n  motif: Départ du médecin délégant   '
        "# pour reprendre : une nouvelle déclaration",
        message={
            "": "Cette adhésion a pris fin le {date} sur la branche de base : le bloc `fin:` "
            "ne se retire pas. Remettez-le ; pour appliquer de nouveau le protocole, "
            "déclarez une nouvelle adhésion.",
            "date": "La date de fin enregistrée sur la branche de base est le {date} : elle ne "
            "change plus. Remettez `date: {date}` dans le bloc `fin:` ; seul le motif "
            "peut être corrigé.",
        },
    )
)
EARLY_DECLARATION = declare(
    Check(
        "declaration-anterieure",
        "transition",
        "warning",
        title="La date de déclaration précède de plus de 31 jours le premier commit du fichier "
        "ajouté.",
        example='date_declaration: "2023-01-10"   # fichier ajouté le 2024-03-01',
        fix='date_declaration: "2024-03-01"   # le jour où l\'équipe envoie sa déclaration',
        message="`date_declaration: {date}` précède de plus de {jours} jours le premier commit de "
        "ce fichier ({commit}) : c'est le jour où l'équipe envoie sa déclaration, dont "
        "l'adhésion est active depuis. Indiquez la date d'envoi réelle (souvent celle de la "
        "pull request) ; un dossier repris de COOP-PS ou de démarches-simplifiées est ajouté "
        "par un mainteneur avec un bloc `reprise`.",
        form="« Date de déclaration » est bien antérieure au jour de l'envoi : indiquez le jour où "
        "l'équipe envoie sa déclaration (celui du formulaire, en général).",
    )
)
RULES_CHANGED = declare(
    Check(
        "regles-modifiees",
        "transition",
        "warning",
        title="La pull request modifie une règle du registre (`schemas/`, `relecteurs.yml`) : ses "
        "fichiers sont jugés par les règles de la branche de base, puis aussi par les "
        "nouvelles ; ces dernières ne s'appliquent qu'une fois fusionnées.",
        example="# pull request qui modifie schemas/adhesion.schema.json et ajoute une adhésion",
        fix="Proposez la modification des règles dans sa propre pull request, instruite par les "
        "mainteneurs.",
        message="Cette pull request modifie « {fichier} », une règle du registre : ses fichiers ont "
        "été jugés par les règles de la branche de base, puis aussi par les nouvelles. La "
        "modification des règles s'instruit à part par les mainteneurs (CODEOWNERS) ; elle "
        "ne s'applique qu'une fois fusionnée.",
    )
)
RULES_INVALID = declare(
    Check(
        "regles-invalides",
        "transition",
        "error",
        title="Les règles que propose la pull request ne peuvent pas s'appliquer : schéma qui n'est "
        "pas du JSON ou pas un schéma JSON Schema valide, référence introuvable, référentiel "
        "supprimé, `relecteurs.yml` illisible.",
        example='{"$id": "https://example.invalid/adhesion.schema.json", "type": "objet"}',
        fix='{"$id": "https://example.invalid/adhesion.schema.json", "type": "object"}',
        message="Les règles que propose cette pull request ne peuvent pas s'appliquer : {raison}. "
        "Le contrôle s'est fait avec les règles de la branche de base ; corrigez le fichier "
        "(ou retirez-le de la pull request) pour qu'il s'applique aussi.",
    )
)
# 6. Annuaire santé (coop verifier --annuaire INDEX)
DIRECTORY_RPPS_UNKNOWN = declare(
    Check(
        "annuaire-rpps-inconnu",
        "annuaire",
        "error",
        title="Le numéro RPPS du membre ne figure pas dans l'Annuaire santé.",
        example='rpps: "10000000017"   # absent de l\'Annuaire santé',
        fix='rpps: "10000000009"   # recopié de la carte CPS',
        message="Le numéro RPPS {numero} ne figure pas dans l'Annuaire santé : recopiez-le depuis "
        "la carte CPS du professionnel ou depuis annuaire.sante.fr.",
    )
)
DIRECTORY_ADELI_UNKNOWN = declare(
    Check(
        "annuaire-adeli-inconnu",
        "annuaire",
        "warning",
        title="Le numéro ADELI du membre ne figure pas dans l'extraction de l'Annuaire santé.",
        example='adeli: "691234567"   # absent de l\'extraction',
        fix='rpps: "10000000009"   # le numéro RPPS du professionnel, s\'il en a un',
        message="Le numéro ADELI {numero} ne figure pas dans l'extraction de l'Annuaire santé : "
        "vérifiez-le ; si le professionnel a un numéro RPPS, indiquez-le à la place "
        "(`rpps`).",
    )
)
DIRECTORY_OTHER_PERSON = declare(
    Check(
        "annuaire-autre-personne",
        "annuaire",
        "error",
        title="Dans l'Annuaire santé, le numéro du membre est celui d'une autre personne (accents, "
        "majuscules, tirets et apostrophes mis à part).",
        example='rpps: "10000000009"\nnom_exercice: Martin   # l\'Annuaire santé donne un autre nom',
        fix="rpps: \"10000000009\"\nnom_exercice: Lefèvre   # le nom d'exercice de l'Annuaire santé",
        message="Dans l'Annuaire santé, le numéro {numero} n'est pas celui de « {declare} » "
        "({ecart}) : vérifiez le numéro sur la carte CPS du membre, ou écrivez son nom et "
        "son prénom d'exercice comme dans l'Annuaire santé.",
    )
)
DIRECTORY_PROFESSION = declare(
    Check(
        "annuaire-profession",
        "annuaire",
        "error",
        title="Dans l'Annuaire santé, le numéro du membre est celui d'un professionnel d'une autre "
        "profession.",
        example='rpps: "10000000017"\nprofession: medecin   # infirmier dans l\'Annuaire santé',
        fix='rpps: "10000000017"\nprofession: infirmier',
        message="Dans l'Annuaire santé, le numéro {numero} est celui d'un professionnel "
        "« {annuaire} », pas « {declaree} » : corrigez la profession du membre, ou son "
        "numéro s'il est celui d'un autre professionnel.",
    )
)
