"""The shared corpus of the declaration page's judge: declarations as the page holds them (the adhesion
data and the path it files them at), each judged by the page and by `coop verifier --brouillon`.

A case is a valid declaration with one or a few things made wrong, or a failing example of
`coopps.checks` written as a whole declaration. Every case has its own members' numbers and its
own team id, so the cases can share one register without meeting each other's findings.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from coopps.rules.identifiers import luhn_complete
from register_samples import LOCAL, NATIONAL, REGIONAL, SHA

# Protocols of register_samples added to the shipped ones: one with `modes_exercice`, one local, one
# national with an arrêté date (none of the shipped protocols has the first two).
EXTRA_PROTOCOLS = {
    "protocols/nat-test.yml": NATIONAL,
    "protocols/reg-84-test.yml": REGIONAL,
    "protocols/loc-84-test.yml": LOCAL,
}


@dataclass
class Case:
    name: str
    where: dict[str, str]  # region, protocole, equipe
    data: dict[str, Any]

    @property
    def path(self) -> str:
        return (
            f"adhesions/{self.where['region']}/{self.where['protocole']}/{self.where['equipe']}.yml"
        )


def number(seed: int, k: int) -> str:
    return luhn_complete(f"1{seed * 10 + k:09d}")


def valid(seed: int) -> tuple[dict[str, str], dict[str, Any]]:
    """A complete declaration to `nat-test` (national; msp or centre de santé; 20 h of training)."""
    delegant, delegue = number(seed, 1), number(seed, 2)
    data = {
        "equipe": {
            "nom": "MSP A (exemple fictif)",
            "structure": "msp",
            "commune": "Lyon",
            "code_postal": "69003",
        },
        "date_declaration": "2024-03-12",
        "membres": [
            {
                "rpps": delegant,
                "nom_exercice": "Exemple",
                "prenom": "Camille",
                "profession": "medecin",
                "mode_exercice": "liberal",
                "role": "delegant",
            },
            {
                "rpps": delegue,
                "nom_exercice": "Fictif",
                "prenom": "Dominique",
                "profession": "infirmier",
                "mode_exercice": "salarie_public",
                "role": "delegue",
                "formation": {
                    "date": "2024-01-15",
                    "organisme": "IFSI de test",
                    "duree_heures": 20,
                },
            },
        ],
        "pieces": [
            {"type": "declaration_commune", "sha256": SHA},
            {"type": "attestation_assurance", "sha256": SHA},
        ]
        + [{"type": t, "membre": delegant, "sha256": SHA} for t in ("piece_identite", "diplome")]
        + [
            {"type": t, "membre": delegue, "sha256": SHA}
            for t in ("piece_identite", "diplome", "attestation_formation", "accord_employeur")
        ],
    }
    return {"region": "84", "protocole": "nat-test", "equipe": f"cas-{seed}"}, data


Mutation = Callable[[dict[str, str], dict[str, Any]], None]


def put(*path: Any, value: Any) -> Mutation:
    def mutate(where: dict[str, str], data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


def drop(*path: Any) -> Mutation:
    def mutate(where: dict[str, str], data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return mutate


def at(**changes: str) -> Mutation:
    def mutate(where: dict[str, str], data: dict[str, Any]) -> None:
        where.update(changes)

    return mutate


def renumber(position: int, new: str) -> Mutation:
    """Member `position` gets number `new` (rpps or adeli by its length), and their pieces follow."""

    def mutate(where: dict[str, str], data: dict[str, Any]) -> None:
        member = data["membres"][position]
        old = member.get("rpps") or member.get("adeli")
        rest = {key: value for key, value in member.items() if key not in ("rpps", "adeli")}
        data["membres"][position] = {"adeli" if len(new) == 9 else "rpps": new, **rest}
        for piece in data["pieces"]:
            if piece.get("membre") == old:
                piece["membre"] = new

    return mutate


def without_pieces(kind: str, member: int | None = None) -> Mutation:
    def mutate(where: dict[str, str], data: dict[str, Any]) -> None:
        numbers = [m.get("rpps") or m.get("adeli") for m in data["membres"]]
        named = numbers[member] if member is not None else None
        data["pieces"] = [
            p for p in data["pieces"] if not (p["type"] == kind and p.get("membre") == named)
        ]

    return mutate


def wrong_key(position: int) -> Mutation:
    """Member `position`'s RPPS mistyped in its last digit (the key); their pieces keep the right number."""

    def mutate(where: dict[str, str], data: dict[str, Any]) -> None:
        right = data["membres"][position]["rpps"]
        data["membres"][position]["rpps"] = right[:-1] + str((int(right[-1]) + 1) % 10)

    return mutate


def wrong_key_everywhere(position: int) -> Mutation:
    """The same typo in `membres` and in the member's pieces."""

    def mutate(where: dict[str, str], data: dict[str, Any]) -> None:
        right = data["membres"][position]["rpps"]
        renumber(position, right[:-1] + str((int(right[-1]) + 1) % 10))(where, data)

    return mutate


REGIONAL_84 = at(protocole="reg-84-test")


def also(*mutations: Mutation) -> Mutation:
    def mutate(where: dict[str, str], data: dict[str, Any]) -> None:
        for one in mutations:
            one(where, data)

    return mutate


def duplicate_member(where: dict[str, str], data: dict[str, Any]) -> None:
    data["membres"].append(copy.deepcopy(data["membres"][0]))


def only_role(role: str) -> Mutation:
    def mutate(where: dict[str, str], data: dict[str, Any]) -> None:
        for member in data["membres"]:
            member["role"] = role
            if role == "delegant":
                member.pop("formation", None)

    return mutate


TEXTS_WRONG = {  # what a person may type in a text field, and what the robot says of it
    "vide-espaces": "   ",
    "telephone": "Martin 06 12 34 56 78",
    "telephone-international": "+33 6 12 34 56 78",
    "courriel": "contact@exemple.fr",
    "courriel-deguise": "contact [at] exemple [dot] fr",
    "adresse": "12 rue de la Paix",
    "nir": "1 85 05 78 006 084 91",
    "rpps-dans-texte": "Dr 10000001015",
    "sans-chasse": "Ma\u200brtin",
    "bidi": "Martin \u202e",
    "controle": "Mar\x07tin",
    "nel": "Mar\x85tin",
}
TEXTS_FINE = {  # texts YAML would misread if written plain: the page must quote them as `coop formater` does
    "oui": "yes",
    "non": "No",
    "nombre": "2024",
    "zero-initial": "01000",
    "nul": "null",
    "tiret": "- x",
    "deux-points": "a: b",
    "diese": "#x",
    "apostrophe": "O'Neil",
    "barre-oblique": "Ab\\Cd",
    "guillemets": '"x"',
    "accents": "Équipe « Île » — Nord",
    "date": "2024-01-02",
    "flottant": "1.5",
    "heure": "12:30",
    "arobase-seule": "@x",
    "esperluette": "&x",
}
TEXT_FIELDS = {
    "nom-equipe": ("equipe", "nom"),
    "commune": ("equipe", "commune"),
    "prenom": ("membres", 0, "prenom"),
    "nom-exercice": ("membres", 1, "nom_exercice"),
    "organisme": ("membres", 1, "formation", "organisme"),
}


def mutations() -> Iterator[tuple[str, Mutation]]:
    yield "valide", also()
    # Free texts, each wrong in every way a person may make it wrong, or tricky and right.
    for field, path in TEXT_FIELDS.items():
        for name, text in TEXTS_WRONG.items():
            yield f"{field}:{name}", put(*path, value=text)
    for name, text in TEXTS_FINE.items():
        yield f"nom-equipe:{name}", put("equipe", "nom", value=text)
    yield "nom-equipe:201-caracteres", put("equipe", "nom", value="M" * 201)
    yield "nom-equipe:200-caracteres", put("equipe", "nom", value="é" * 200)
    yield "commune:101-caracteres", put("equipe", "commune", value="L" * 101)
    yield "prenom:101-caracteres", put("membres", 0, "prenom", value="C" * 101)
    yield "organisme:201-caracteres", put("membres", 1, "formation", "organisme", value="I" * 201)
    # Missing fields.
    for name, path in {
        "nom-equipe": ("equipe", "nom"),
        "structure": ("equipe", "structure"),
        "commune": ("equipe", "commune"),
        "code-postal": ("equipe", "code_postal"),
        "date-declaration": ("date_declaration",),
        "prenom": ("membres", 0, "prenom"),
        "nom-exercice": ("membres", 0, "nom_exercice"),
        "profession": ("membres", 1, "profession"),
        "mode": ("membres", 0, "mode_exercice"),
        "role": ("membres", 0, "role"),
        "numero": ("membres", 0, "rpps"),
        "formation-date": ("membres", 1, "formation", "date"),
        "formation-organisme": ("membres", 1, "formation", "organisme"),
        "formation-heures": ("membres", 1, "formation", "duree_heures"),
        "formation": ("membres", 1, "formation"),
    }.items():
        yield f"manque:{name}", drop(*path)
    yield "membres:aucun", put("membres", value=[])
    yield "membres:que-des-delegants", only_role("delegant")
    yield "membres:que-des-delegues", only_role("delegue")
    # Choices.
    yield "structure:inconnue", put("equipe", "structure", value="hopital")
    yield "structure:non-prevue", put("equipe", "structure", value="ehpad")
    yield "structure:centre-sante", put("equipe", "structure", value="centre_sante")
    yield "profession:inconnue", put("membres", 1, "profession", value="infirmiere")
    yield "profession:delegant-infirmier", put("membres", 0, "profession", value="infirmier")
    yield "profession:delegue-medecin", put("membres", 1, "profession", value="medecin")
    yield (
        "role:infirmiere-devenue-delegante",
        also(put("membres", 1, "role", value="delegant"), drop("membres", 1, "formation")),
    )
    yield "role:inconnu", put("membres", 0, "role", value="delegataire")
    yield "mode:inconnu", put("membres", 0, "mode_exercice", value="liberale")
    yield "mode:salarie-prive", also(put("membres", 0, "mode_exercice", value="salarie_prive"))
    # Postal codes.
    for name, postal in {
        "4-chiffres": "6900",
        "6-chiffres": "690030",
        "lettres": "2A000",
        "bretagne": "35000",
        "clermont": "63000",
        "monaco": "98000",
        "polynesie": "98714",
        "inconnu": "96000",
        "corse": "20000",
        "guadeloupe": "97100",
        "partage-paca": "05110",
        "ain": "01000",
        "espace": "69 003",
        "retour-ligne": "69003\n",
    }.items():
        yield f"code-postal:{name}", put("equipe", "code_postal", value=postal)
    # Dates.
    for name, date in {
        "future": "2099-01-01",
        "mois-13": "2024-13-01",
        "30-fevrier": "2024-02-30",
        "courte": "2024-1-1",
        "avant-arrete": "2019-03-12",
        "jour-arrete": "2020-03-06",
        "texte": "hier",
    }.items():
        yield f"date-declaration:{name}", put("date_declaration", value=date)
    for name, date in {
        "future": "2099-01-01",
        "invalide": "2023-02-29",
        "bissextile": "2024-02-29",
    }.items():
        yield f"formation-date:{name}", put("membres", 1, "formation", "date", value=date)
    for name, hours in {
        "insuffisante": 8,
        "exacte": 20,
        "demi": 20.5,
        "zero": 0,
        "negative": -1,
        "trop": 10001,
        "fraction-insuffisante": 19.5,
    }.items():
        yield (
            f"formation-heures:{name}",
            put("membres", 1, "formation", "duree_heures", value=hours),
        )
    yield (
        "formation:delegant",
        put(
            "membres",
            0,
            "formation",
            value={"date": "2024-01-15", "organisme": "X", "duree_heures": 20},
        ),
    )
    # Numbers.
    yield "numero:cle-rpps", wrong_key_everywhere(0)
    yield "numero:10-chiffres", renumber(0, "1234567890")
    yield "numero:12-chiffres", renumber(0, "123456789012")
    yield "numero:lettres", renumber(0, "1000000101A")
    yield "numero:adeli", renumber(1, "691234567")
    yield "numero:adeli-8-chiffres", renumber(1, "69123456")
    yield "numero:en-double", duplicate_member
    yield "numero:cle-rpps-pieces-au-bon-numero", wrong_key(0)
    # Pieces.
    for kind in ("declaration_commune", "attestation_assurance"):
        yield f"piece:sans-{kind}", without_pieces(kind)
    for kind in ("piece_identite", "diplome"):
        yield f"piece:sans-{kind}-delegant", without_pieces(kind, 0)
    for kind in ("piece_identite", "diplome", "attestation_formation", "accord_employeur"):
        yield f"piece:sans-{kind}-delegue", without_pieces(kind, 1)
    yield "piece:aucune", put("pieces", value=[])
    yield (
        "piece:membre-inconnu",
        lambda w, d: d["pieces"].append(
            {"type": "diplome", "membre": number(999, 9), "sha256": SHA}
        ),
    )
    yield (
        "piece:en-double",
        lambda w, d: d["pieces"].append({"type": "declaration_commune", "sha256": SHA}),
    )
    yield (
        "piece:en-trop-pour-delegant",
        lambda w, d: d["pieces"].append(
            {"type": "attestation_formation", "membre": d["membres"][0]["rpps"], "sha256": SHA}
        ),
    )
    yield "piece:empreinte-courte", put("pieces", 0, "sha256", value="abc")
    yield "piece:type-inconnu", put("pieces", 0, "type", value="photo")
    # Where the file goes: team id, region, protocol.
    for name, team in {
        "majuscules": "MSP A",
        "accent": "msp-élan",
        "tiret-final": "msp-",
        "reserve-con": "con",
        "reserve-lpt1": "lpt1",
        "telephone": "msp-06-12-34-56-78",
        "81-caracteres": "a" * 81,
        "80-caracteres": "b" * 79 + "z",
    }.items():
        yield f"identifiant:{name}", at(equipe=team)
    yield "region:autre", at(region="53")
    yield (
        "region:autre-code-postal-suit",
        also(at(region="53"), put("equipe", "code_postal", value="35000")),
    )
    yield "protocole:regional-dans-sa-region", REGIONAL_84
    yield (
        "protocole:regional-hors-region",
        also(at(protocole="reg-84-test", region="53"), put("equipe", "code_postal", value="35000")),
    )
    yield (
        "protocole:regional-etendu",
        also(at(protocole="reg-84-test", region="11"), put("equipe", "code_postal", value="75001")),
    )
    yield (
        "protocole:regional-mode-non-prevu",
        also(REGIONAL_84, put("membres", 0, "mode_exercice", value="salarie_prive")),
    )
    yield (
        "protocole:regional-orthoptiste",
        also(REGIONAL_84, put("membres", 1, "profession", value="orthoptiste")),
    )
    yield "protocole:local-autre-equipe", at(protocole="loc-84-test")
    yield "protocole:local-son-equipe", at(protocole="loc-84-test", equipe="msp-a")
    yield "protocole:varicelle", at(protocole="nat-varicelle-enfant")
    yield (
        "protocole:varicelle-formation-courte",
        also(
            at(protocole="nat-varicelle-enfant"),
            put("membres", 1, "formation", "duree_heures", value=9),
        ),
    )
    # Several mistakes at once: a schema error hides the register rules, as in the robot.
    yield (
        "plusieurs:prenom-manquant-et-cle-rpps",
        also(drop("membres", 1, "prenom"), wrong_key_everywhere(0)),
    )
    yield (
        "plusieurs:telephone-et-code-postal",
        also(
            put("equipe", "nom", value="MSP 0612345678"),
            put("equipe", "code_postal", value="35000"),
        ),
    )
    yield (
        "plusieurs:invisible-et-region",
        also(put("equipe", "commune", value="Lyon\u200b"), at(region="53")),
    )


def examples() -> Iterator[tuple[str, Mutation]]:
    """The failing examples of `coopps.checks` the page can meet, written as whole declarations."""
    yield (
        "exemple:donnee-personnelle",
        put("membres", 0, "nom_exercice", value="Martin 06 12 34 56 78"),
    )
    yield "exemple:format-invalide", put("date_declaration", value="2024-13-45")
    yield "exemple:date-future", put("date_declaration", value="2099-01-01")
    yield (
        "exemple:code-postal-hors-region",
        also(at(region="53"), put("equipe", "code_postal", value="63000")),
    )
    yield (
        "exemple:code-postal-a-verifier",
        also(
            at(region="93"),
            put("equipe", "code_postal", value="05110"),
            put("equipe", "commune", value="Curbans"),
        ),
    )
    yield "exemple:protocole-local-autre-equipe", at(protocole="loc-84-test", equipe="autre-equipe")
    yield "exemple:role-manquant", only_role("delegue")
    yield (
        "exemple:profession-non-prevue",
        put("membres", 1, "profession", value="masseur_kinesitherapeute"),
    )
    yield "exemple:cadre-non-prevu", put("equipe", "structure", value="cabinet_liberal")
    yield (
        "exemple:mode-non-prevu",
        also(REGIONAL_84, put("membres", 1, "mode_exercice", value="salarie_prive")),
    )
    yield "exemple:membre-en-double", duplicate_member
    yield "exemple:rpps-cle-invalide", renumber(0, "10000000008")
    yield (
        "exemple:formation-reservee-delegue",
        put(
            "membres",
            0,
            "formation",
            value={"date": "2024-01-10", "organisme": "X", "duree_heures": 20},
        ),
    )
    yield "exemple:formation-insuffisante", put("membres", 1, "formation", "duree_heures", value=10)
    yield "exemple:formation-manquante", drop("membres", 1, "formation")
    yield "exemple:piece-manquante", without_pieces("attestation_assurance")
    yield (
        "exemple:piece-membre-inconnu",
        lambda w, d: d["pieces"].append(
            {"type": "diplome", "membre": "10000000016", "sha256": SHA}
        ),
    )
    yield "exemple:piece-en-double", lambda w, d: d["pieces"].append(dict(d["pieces"][2]))
    yield "exemple:caractere-invisible", put("equipe", "nom", value="Sutures \u202e")
    yield "exemple:valeur-ambigue", put("equipe", "code_postal", value="01000")
    yield "exemple:champ-obligatoire", drop("membres", 0, "role")
    yield "exemple:champ-inconnu", put("membres", 0, "courriel", value="x@exemple.fr")
    yield "exemple:valeur-inconnue", put("membres", 1, "profession", value="infirmiere")
    yield "exemple:valeur-hors-limites", put("membres", value=[])
    yield "exemple:schema-non-respecte", drop("membres", 0, "rpps")
    yield "exemple:chemin-invalide", at(equipe="MSP Exemple")
    yield "exemple:dates-incoherentes", put("date_declaration", value="2019-03-12")
    yield "exemple:nom-blanc", put("membres", 0, "prenom", value="\u2800\u2800 \u3164")
    yield (
        "exemple:personne-en-double",
        lambda w, d: d["membres"].append(
            {
                "adeli": "849876543",
                "nom_exercice": "Exemple",
                "prenom": "Camille",
                "profession": "medecin",
                "mode_exercice": "liberal",
                "role": "delegant",
            }
        ),
    )


def corpus() -> list[Case]:
    cases = []
    for seed, (name, mutate) in enumerate([*mutations(), *examples()], start=1):
        where, data = valid(seed)
        mutate(where, data)
        cases.append(Case(name, where, data))
    return cases
