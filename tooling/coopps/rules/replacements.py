"""A protocol that replaces another: `remplace` / `remplace_par` name an
existing protocol, and both ends of the link say the same thing.

Each protocol is checked from its own side: the links it writes (the other
end exists and points back) and the links other protocols write about it
(it points back to them), so a pull request that changes either file sees
the disagreement on the file it changes.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, make_finding
from ..paths import PROTOCOLS_DIR, YAML_SUFFIX
from ..register import Entry, Register

# key written on this side → key the other side must write back
MIRROR = {"remplace": "remplace_par", "remplace_par": "remplace"}


def check(entry: Entry, register: Register) -> Iterator[Finding]:
    yield from _own_links(entry, register)
    yield from _links_towards(entry, register)


def _own_links(entry: Entry, register: Register) -> Iterator[Finding]:
    this = entry.where.protocol_id
    for key, back in MIRROR.items():
        other_id = entry.data.get(key)
        if not isinstance(other_id, str):
            continue
        other = register.protocol(other_id)
        if other_id == this or other is None:
            yield make_finding("remplacement-inconnu", entry.path, entry.line(key), _unknown(key, other_id, this))
        elif other.valid and other.data.get(back) != this:
            yield make_finding("remplacement-discordant", entry.path, entry.line(key), (
                f"`{key}: {other_id}` n'est pas confirmé par l'autre protocole : "
                f"{_file(other_id)} {_says(back, other.data.get(back))}. "
                f"Ajoutez `{back}: {this}` dans {_file(other_id)}, ou retirez `{key}` ici."
            ))


def _links_towards(entry: Entry, register: Register) -> Iterator[Finding]:
    """Protocols that say they replace this one (or are replaced by it) while it says nothing back."""
    this = entry.where.protocol_id
    for other_id, key in register.replacement_links_towards(this):
        back = MIRROR[key]
        if entry.data.get(back) is None:
            yield make_finding("remplacement-discordant", entry.path, 1, (
                f"{_file(other_id)} indique `{key}: {this}`, mais ce protocole n'a pas de clé `{back}`. "
                f"Ajoutez `{back}: {other_id}` ici, ou retirez `{key}` de {_file(other_id)}."
            ))


def _unknown(key: str, other_id: str, this: str) -> str:
    if other_id == this:
        return f"`{key}` désigne ce protocole lui-même : indiquez l'identifiant de l'autre protocole, ou retirez la clé."
    return (f"`{key}: {other_id}` désigne un protocole absent du registre ({_file(other_id)} n'existe pas). "
            "Indiquez l'identifiant exact (nom du fichier sans .yml), ou retirez la clé.")


def _says(key: str, value: object) -> str:
    return f"indique `{key}: {value}`" if value is not None else f"n'a pas de clé `{key}`"


def _file(protocol_id: str) -> str:
    return f"{PROTOCOLS_DIR}/{protocol_id}{YAML_SUFFIX}"
