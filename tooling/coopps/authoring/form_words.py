"""Findings in the words of the issue form: what a team that never saw the YAML file must change.

A team that declares through the « Déclarer une adhésion » form sees form fields
(« Code postal », one line per member, one line per piece), never keys. Every
finding of the full check on the generated file is turned here into a sentence
that names the field (and the member or the piece by its number in the answer)
and says what to type instead. Missing pieces become the lines to paste into
« Pièces justificatives ». Values echoed from the issue go through `plain()` (one line,
bounded length); the sentences are plain text, made Markdown-safe by `issue_loop`
(`markdown_text`) where the comment is written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..findings import Finding
from ..schema import Referential
from . import declaration as decl
from .from_issue import FIELDS

NOT_FROM_FORM = frozenset({
    # layers 1 and 2 and the paths: the form's file is built as data by coop itself
    "fichier-inattendu", "lien-symbolique", "fichier-trop-gros", "encodage-invalide", "fichier-vide", "yaml-invalide",
    "yaml-trop-imbrique", "plusieurs-documents", "cle-dupliquee", "alias-interdit", "etiquette-interdite",
    "cle-non-texte", "valeur-ambigue", "entete-schema", "champ-obligatoire", "champ-inconnu", "type-invalide",
    "valeur-inconnue", "format-invalide", "valeur-hors-limites", "schema-non-respecte", "chemin-invalide",
    # protocols, pull-request transitions and yearly reports: not what the form declares
    "protocole-inconnu", "protocole-non-autorise", "protocole-hors-region", "protocole-local-autre-equipe",
    "statut-retour", "renommage-interdit", "suppression-adhesion", "suppression-protocole", "suppression-rapport",
    "outillage-reserve-mainteneurs",
    "historique-nouveau", "suspension-reservee-ars", "suivi-sans-adhesion", "suivi-annee-chemin", "suivi-annee-future",
    "suivi-avant-adhesion", "suivi-apres-fin", "indicateur-inconnu", "indicateur-manquant", "indicateur-type-invalide",
    "indicateur-negatif", "taux-hors-limites", "protocole-sans-indicateurs", "reprise-reservee-mainteneurs",
    "remplacement-inconnu", "remplacement-discordant", "regles-modifiees", "regles-invalides",
    "fichier-illisible", "fichier-special", "suspension-et-fin",
    "sous-module", "identite-instruite", "fin-definitive", "relecteur-invalide",
    # the Annuaire santé (`coop validate --annuaire`): not run on the form's answers
    "annuaire-rpps-inconnu", "annuaire-adeli-inconnu", "annuaire-autre-personne",
    "annuaire-profession", "annuaire-rpps-et-adeli",
})
EQUIPE_FIELDS = {"nom": "nom", "structure": "structure", "commune": "commune", "code_postal": "code_postal"}


def plain(text: str, limit: int = 120) -> str:
    """A value typed by a stranger, on one line and of bounded length, to quote in a sentence."""
    text = " ".join(str(text).split())
    return text[:limit] + ("…" if len(text) > limit else "")


@dataclass(frozen=True)
class Where:
    """The form field a line of the generated file comes from."""

    field: str  # key of FIELDS
    item: int | None = None  # 0-based member or piece
    label: str = ""  # who or what that item is, in plain words


def locate(line: int, lines: Mapping[tuple[Any, ...], int], data: dict[str, Any], types: Referential) -> Where:
    """The form field (and member or piece) behind a line of the generated file."""
    at_line = [path for path, number in lines.items() if number == line and path]
    before = [path for path, number in lines.items() if number <= line and path]
    candidates = at_line or sorted(before, key=lambda p: lines[p])[-1:]
    if not candidates:
        return Where("membres")
    path = max(candidates, key=len)
    return _where(path, data, types)


def _where(path: tuple[Any, ...], data: dict[str, Any], types: Referential) -> Where:
    head = path[0]
    if head == "equipe":
        return Where(EQUIPE_FIELDS.get(path[1] if len(path) > 1 else "nom", "nom"))
    if head == "date_declaration":
        return Where("date")
    if head in ("membres", "pieces") and len(path) > 1 and isinstance(path[1], int):
        index = path[1]
        items = data.get(head, [])
        item = items[index] if index < len(items) else {}
        label = (f"{plain(item.get('prenom', ''))} {plain(item.get('nom_exercice', ''))}".strip() if head == "membres"
                 else types.label(item.get("type", "")))
        return Where(head, index, label)
    return Where("membres" if head == "membres" else "pieces")


def prefix(where: Where) -> str:
    text = f"« {FIELDS[where.field]} »"
    if where.item is not None:
        noun = "membre" if where.field == "membres" else "pièce"
        text += f", {noun} n° {where.item + 1}" + (f" ({where.label})" if where.label else "")
    return text


Sentence = Callable[[Finding, Where], str]

SENTENCES: dict[str, Sentence] = {
    "date-future": lambda f, w: ("la date de formation est dans le futur" if w.field == "membres" else
                                 "cette date est dans le futur") + " : indiquez une date passée ou celle du jour.",
    "dates-incoherentes": lambda f, w: f.message.replace("Corrigez la date de déclaration.",
                                                         "Corrigez « Date de déclaration »."),
    "donnee-personnelle": lambda f, w: ("cette réponse contient une adresse électronique, un numéro de téléphone ou "
                                        "une adresse postale. Ce dépôt est public : retirez-la (les échanges passent "
                                        "par cette issue)."),
    "caractere-invisible": lambda f, w: ("cette réponse contient un caractère invisible (espace de largeur nulle, "
                                         "inversion du sens d'écriture…) : retapez-la au clavier plutôt que de la coller."),
    "role-manquant": lambda f, w: ("l'équipe n'a aucun délégant : ajoutez une ligne dont le rôle est « delegant »."
                                   if "délégant" in f.message else
                                   "l'équipe n'a aucun délégué : ajoutez une ligne dont le rôle est « delegue »."),
    "membre-en-double": lambda f, w: "ce professionnel figure déjà sur une ligne plus haut : supprimez la ligne en double.",
    "rpps-cle-invalide": lambda f, w: ("ce numéro RPPS est invalide (sa clé, le dernier chiffre, ne correspond pas) : "
                                       "recopiez-le depuis la carte CPS ou l'annuaire santé ; les pièces de ce membre "
                                       "seront vérifiées une fois le numéro corrigé."),
    "rpps-orthographe": lambda f, w: ("ce numéro figure dans une autre déclaration du registre avec un autre nom ou "
                                      "prénom : vérifiez l'orthographe, elle doit être la même partout."),
    "formation-reservee-delegue": lambda f, w: ("la formation ne se déclare que pour un délégué : retirez les trois "
                                                "derniers champs de cette ligne."),
    "formation-insuffisante": lambda f, w: f.message,
    "formation-manquante": lambda f, w: (f"un délégué déclare sa formation : ajoutez à sa ligne "
                                         f"« ; {decl.TRAINING_FIELDS} »."),
    "profession-non-prevue": lambda f, w: f.message,
    "mode-non-prevu": lambda f, w: f.message,
    "cadre-non-prevu": lambda f, w: f.message + " Choisissez une autre « Structure », ou un autre protocole.",
    "protocole-arrete": lambda f, w: f.message,
    "declaration-anterieure": lambda f, w: ("« Date de déclaration » est bien antérieure au jour de l'envoi : indiquez le "
                                            "jour où l'équipe envoie sa déclaration (celui du formulaire, en général)."),
    "code-postal-hors-region": lambda f, w: _other_region(f.message),
    "code-postal-a-verifier": lambda f, w: f.message,
    "piece-manquante": lambda f, w: "une pièce obligatoire manque (voir les lignes à ajouter ci-dessous).",
    "piece-membre-inconnu": lambda f, w: ("cette pièce désigne un numéro qui n'est celui d'aucun membre : recopiez le "
                                          "RPPS ou l'ADELI de la ligne du membre."),
    "piece-en-double": lambda f, w: "cette pièce est déjà déclarée sur une ligne plus haut : supprimez la ligne en double.",
}


def _other_region(message: str) -> str:
    first = message.split(" : l'adhésion se range", 1)[0]
    return f"{first} : choisissez la bonne « Région » dans le formulaire, ou corrigez le code postal."


def sentence(finding: Finding, where: Where) -> str:
    """One finding as a line of the bot's comment: the field, then what to do (no key, no YAML)."""
    make = SENTENCES.get(finding.code)
    text = make(finding, where) if make else plain(finding.message, 400)
    return f"{prefix(where)} : {text.replace('`', '')}"


def missing_piece_lines(data: dict[str, Any], types: Referential) -> list[str]:
    """The lines to paste into « Pièces justificatives » for every piece still missing."""
    declared = {(p["type"], p.get("membre")) for p in data.get("pieces", [])}
    names = {m.get("rpps") or m.get("adeli"): f"{plain(m['prenom'])} {plain(m['nom_exercice'])}"
             for m in data.get("membres", [])}
    lines = []
    for kind, number in decl.checklist(data.get("membres", [])):
        if (kind, number) not in declared:
            who = f" de {names.get(number, number)}" if number else " de l'équipe"
            member = f" {number} " if number else " "
            lines.append(f"{kind} ;{member}; <empreinte SHA-256>   ← {types.label(kind)}{who}")
    return list(dict.fromkeys(lines))
