"""The `dossier` section of a region in `relecteurs.yml`: to whom a team encrypts its dossier,
and where it sends the file.

    dossier:
      destinataires: [age1…]        # one age X25519 recipient per ARS agent
      canal:
        type: messagerie_securisee | adresse_fonctionnelle | demarches_simplifiees
        adresse: "…"                  # a service's address, or the form's https address
        consigne: "…"                 # optional, one line

The rule for `adresse` (docs/developpeurs/dossier.md): an e-mail address is a service's, never
a person's. Its domain is the ARS's (`ars.sante.fr`) or MSSanté's (`mssante.fr` and its
sub-domains), and its local part names a service: it holds one of `SERVICE_WORDS` and is not
shaped like « prénom.nom ». A form is an https address on démarches-simplifiées. The
`consigne` holds no personal data (`personal.py`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .personal import personal_data

CHANNEL_TYPES = ("messagerie_securisee", "adresse_fonctionnelle", "demarches_simplifiees")
MAX_RECIPIENTS = 50
MAX_TEXT = 300
# age's X25519 recipient: « age1 » then 58 characters of Bech32's alphabet (checked by pyrage too)
RECIPIENT = re.compile(r"age1[02-9ac-hj-np-z]{58}")
MAIL = re.compile(
    r"(?P<local>[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?)@(?P<domain>[a-z0-9.-]{3,100})"
)
EMAIL_DOMAINS = {
    "messagerie_securisee": re.compile(r"(?:[a-z0-9-]+\.)*mssante\.fr"),
    "adresse_fonctionnelle": re.compile(r"(?:[a-z0-9-]+\.)*ars\.sante\.fr"),
}
FORM_ADDRESS = re.compile(
    r"https://(?:www\.)?(?:demarches-simplifiees\.fr|demarche\.numerique\.gouv\.fr)/[A-Za-z0-9/_.?=&%-]{1,200}"
)
# Words that name a service, not a person (an ARS's functional mailboxes are built from them).
SERVICE_WORDS = (
    "ars",
    "coop",
    "cooperation",
    "protocole",
    "protocoles",
    "dossier",
    "dossiers",
    "declaration",
    "declarations",
    "adhesion",
    "adhesions",
    "secretariat",
    "direction",
    "service",
    "pole",
    "dos",
    "offre",
    "soins",
    "instruction",
    "contact",
    "accueil",
    "guichet",
    "mission",
    "cellule",
    "bal",
)
_WORD = re.compile(r"[a-z]+")
_FIRST_LAST = re.compile(r"[a-z]+(?:-[a-z]+)?\.[a-z]+(?:-[a-z]+)?[0-9]{0,2}")
_HINT = "(une boîte de service comme « ars-idf-coop@ars.sante.fr », jamais celle d'une personne)"


@dataclass(frozen=True)
class DossierChannel:
    """A region's dossier: its agents' recipients and the channel the team sends the file by."""

    recipients: tuple[str, ...]
    channel_type: str
    address: str
    instruction: str = ""

    def as_data(self) -> dict[str, Any]:
        """What the site publishes for the declaration page (`reviewers.dossier_channels`)."""
        canal = {"type": self.channel_type, "adresse": self.address}
        return {
            "destinataires": list(self.recipients),
            "canal": {**canal, "consigne": self.instruction} if self.instruction else canal,
        }


def channel_problems(
    spec: Any, where: tuple[str, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path in the file, French message) for each thing wrong in a `dossier` section."""
    spot = ".".join(where)
    if not isinstance(spec, dict) or set(spec) - {"destinataires", "canal"}:
        yield where, f"`{spot}` doit contenir `destinataires` (liste de clés age1…) et `canal`."
        return
    yield from _recipient_problems(spec.get("destinataires"), (*where, "destinataires"))
    yield from _canal_problems(spec.get("canal"), (*where, "canal"))


def parse_channel(spec: Any) -> DossierChannel:
    """The section as data; call only when `channel_problems` found nothing."""
    canal = spec["canal"]
    return DossierChannel(
        tuple(spec["destinataires"]),
        canal["type"],
        canal["adresse"].strip(),
        (canal.get("consigne") or "").strip(),
    )


def recipient_problem(value: Any) -> str | None:
    """Why `value` is no age X25519 recipient (French), or None."""
    if not isinstance(value, str):
        return "n'est pas un texte"
    if not RECIPIENT.fullmatch(value):
        return "n'est pas une clé publique age (« age1 » suivi de 58 lettres et chiffres, en minuscules)"
    from pyrage import RecipientError, x25519

    try:
        x25519.Recipient.from_str(value)
    except RecipientError:
        return "n'est pas une clé publique age valide (un caractère a été changé ou perdu ?)"
    return None


def _recipient_problems(
    values: Any, where: tuple[str, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    spot = ".".join(where)
    if not isinstance(values, list) or not values:
        yield where, f"`{spot}` doit être une liste d'au moins une clé publique age (age1…)."
        return
    if len(values) > MAX_RECIPIENTS:
        yield where, f"`{spot}` compte plus de {MAX_RECIPIENTS} clés."
        return
    for position, value in enumerate(values):
        problem = recipient_problem(value)
        if problem:
            yield (*where, position), f"`{spot}` contient « {_shown(value)} », qui {problem}."
    repeated = sorted(
        {value for value in values if isinstance(value, str) and values.count(value) > 1}
    )
    if repeated:
        yield where, f"`{spot}` contient deux fois la clé « {repeated[0][:16]}… »."


def _canal_problems(
    canal: Any, where: tuple[str, ...]
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    spot = ".".join(where)
    if not isinstance(canal, dict) or set(canal) - {"type", "adresse", "consigne"}:
        yield where, f"`{spot}` doit contenir `type`, `adresse` et, si besoin, `consigne`."
        return
    kind = canal.get("type")
    if kind not in CHANNEL_TYPES:
        yield (
            (*where, "type"),
            (
                f"`{spot}.type` vaut « {_shown(kind)} » : choisissez "
                f"{', '.join(CHANNEL_TYPES[:-1])} ou {CHANNEL_TYPES[-1]}."
            ),
        )
        return
    problem = address_problem(kind, canal.get("adresse"))
    if problem:
        yield (*where, "adresse"), f"`{spot}.adresse` {problem}."
    problem = _instruction_problem(canal.get("consigne"))
    if problem:
        yield (*where, "consigne"), f"`{spot}.consigne` {problem}."


def address_problem(kind: str, value: Any) -> str | None:
    """Why `value` cannot be the address of a channel of type `kind` (French), or None."""
    if not isinstance(value, str) or not value.strip():
        return "doit être un texte non vide"
    address = value.strip()
    if len(address) > MAX_TEXT:
        return f"dépasse {MAX_TEXT} caractères"
    if kind == "demarches_simplifiees":
        if not FORM_ADDRESS.fullmatch(address):
            return (
                "doit être l'adresse https d'une démarche sur demarches-simplifiees.fr "
                "(ou demarche.numerique.gouv.fr)"
            )
        return _personal(address)
    match = MAIL.fullmatch(address.lower())
    if match is None or not EMAIL_DOMAINS[kind].fullmatch(match["domain"]):
        where = (
            "une messagerie MSSanté (…@…mssante.fr)"
            if kind == "messagerie_securisee"
            else "l'ARS (…@ars.sante.fr)"
        )
        return f"doit être une adresse électronique de {where} {_HINT}"
    return _person_mailbox(match["local"])


def _person_mailbox(local: str) -> str | None:
    words = set(_WORD.findall(local))
    if _FIRST_LAST.fullmatch(local) and not words & set(SERVICE_WORDS):
        return f"ressemble à l'adresse d'une personne (prénom.nom) {_HINT}"
    if not words & set(SERVICE_WORDS):
        return (
            f"ne nomme pas un service : sa partie avant « @ » doit contenir un mot comme "
            f"ars, coop, protocoles, secretariat ou dossiers {_HINT}"
        )
    return None


def _instruction_problem(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or "\n" in value.strip() or len(value) > MAX_TEXT:
        return f"doit être une phrase sur une ligne ({MAX_TEXT} caractères au plus)"
    return _personal(value)


def _personal(text: str) -> str | None:
    what = personal_data(text, rpps=True)
    return f"contient {what} : elle ne doit nommer ni joindre personne" if what else None


def _shown(value: Any) -> str:
    text = repr(value)[1:-1] if isinstance(value, str) else repr(value)
    return text if len(text) <= 70 else text[:67] + "…"
