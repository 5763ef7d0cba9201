"""A protocol that replaces another: `remplace` / `remplace_par` name an
existing protocol, and both ends of the link say the same thing; `version_nationale`
(the national protocol that took an item over) names an existing protocol.

Each protocol is checked from its own side: the links it writes (the other
end exists and points back) and the links other protocols write about it
(it points back to them), so a pull request that changes either file sees
the disagreement on the file it changes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..checks import SAMPLE_PROTOCOL, Check, Example, declare
from ..findings import Finding
from ..paths import PROTOCOLS_DIR, YAML_SUFFIX
from ..register import Entry, Register
from .registry import at, on_file, rule

UNKNOWN = declare(
    Check(
        "remplacement-inconnu",
        "registre",
        "error",
        title="`remplace`, `remplace_par` ou `version_nationale` désigne un protocole absent du "
        "registre (ou le protocole lui-même).",
        example="# protocols/nat-pollakiurie-2023.yml\nremplace: nat-pollakiurie-2002",
        fix="# protocols/nat-pollakiurie-2023.yml\nremplace: nat-pollakiurie-2020",
        kinds=("protocole",),
        consults=("protocoles",),
        failing=(
            Example("remplace_par: nat-inexistant\n", start="protocols/nat-arrete.yml"),
            Example("remplace: nat-test\n", start=SAMPLE_PROTOCOL, name="remplace-soi-meme"),
            Example(
                "version_nationale: nat-inexistant\n",
                start="protocols/nat-arrete.yml",
                name="version-nationale-inconnue",
            ),
        ),
        message={
            "": "`{cle}: {autre}` désigne un protocole absent du registre ({fichier} "
            "n'existe pas). Indiquez l'identifiant exact (nom du fichier sans "
            ".yml), ou retirez la clé.",
            "soi-meme": "`{cle}` désigne ce protocole lui-même : indiquez "
            "l'identifiant de l'autre protocole, ou retirez la clé.",
        },
    )
)
DISAGREEING = declare(
    Check(
        "remplacement-discordant",
        "registre",
        "error",
        title="Les deux protocoles d'un remplacement ne disent pas la même chose : celui "
        "qui remplace écrit `remplace`, celui qui est remplacé écrit `remplace_par`, "
        "chacun avec l'identifiant de l'autre.",
        example="# protocols/nat-pollakiurie-2023.yml\nremplace: nat-pollakiurie-2020\n"
        "# protocols/nat-pollakiurie-2020.yml : pas de remplace_par",
        fix="# protocols/nat-pollakiurie-2023.yml\nremplace: nat-pollakiurie-2020\n"
        "# protocols/nat-pollakiurie-2020.yml\nremplace_par: nat-pollakiurie-2023",
        kinds=("protocole",),
        consults=("protocoles",),
        failing=(  # reported from both sides
            Example(
                "remplace: nat-arrete\n",
                start=SAMPLE_PROTOCOL,
                elsewhere=(("protocols/nat-arrete.yml", "remplacement-discordant"),),
            ),
            Example(
                "remplace_par: nat-test\n",
                start="protocols/nat-arrete.yml",
                name="remplace-par-sans-retour",
                elsewhere=((SAMPLE_PROTOCOL, "remplacement-discordant"),),
            ),
        ),
        message={
            "": "`{cle}: {autre}` n'est pas confirmé par l'autre protocole : {fichier} "
            "{constat}. Ajoutez `{retour}: {ici}` dans {fichier}, ou retirez "
            "`{cle}` ici.",
            "vers-ici": "{fichier} indique `{cle}: {ici}`, mais ce protocole n'a pas "
            "de clé `{retour}`. Ajoutez `{retour}: {autre}` ici, ou "
            "retirez `{cle}` de {fichier}.",
        },
    )
)

# key written on this side → key the other side must write back
MIRROR = {"remplace": "remplace_par", "remplace_par": "remplace"}
ONE_WAY = ("version_nationale",)  # a link the other protocol does not write back


@rule("protocole", UNKNOWN, DISAGREEING)
def check(entry: Entry, register: Register) -> Iterator[Finding]:
    yield from _own_links(entry, register)
    yield from _links_towards(entry, register)


def _own_links(entry: Entry, register: Register) -> Iterator[Finding]:
    this = entry.where.protocol_id
    for key, back in (*MIRROR.items(), *((key, None) for key in ONE_WAY)):
        other_id = entry.data.get(key)
        if not isinstance(other_id, str):
            continue
        other = register.protocol(other_id)
        if other_id == this or other is None:
            yield at(
                UNKNOWN,
                entry,
                key,
                cle=key,
                autre=other_id,
                fichier=_file(other_id),
                variante="soi-meme" if other_id == this else "",
            )
        elif back and other.valid and other.data.get(back) != this:
            yield at(
                DISAGREEING,
                entry,
                key,
                cle=key,
                autre=other_id,
                fichier=_file(other_id),
                constat=_says(back, other.data.get(back)),
                retour=back,
                ici=this,
            )


def _links_towards(entry: Entry, register: Register) -> Iterator[Finding]:
    """Protocols that say they replace this one (or are replaced by it) while it says nothing back."""
    this = entry.where.protocol_id
    for other_id, key in register.replacement_links_towards(this):
        back = MIRROR[key]
        if entry.data.get(back) is None:
            yield on_file(
                DISAGREEING,
                entry,
                variante="vers-ici",
                fichier=_file(other_id),
                cle=key,
                ici=this,
                retour=back,
                autre=other_id,
            )


def _says(key: str, value: object) -> str:
    return f"indique `{key}: {value}`" if value is not None else f"n'a pas de clé `{key}`"


def _file(protocol_id: str) -> str:
    return f"{PROTOCOLS_DIR}/{protocol_id}{YAML_SUFFIX}"
