"""Turning what a team types (wizard answers, issue-form lines) into adhesion data.

Shared by `coop nouveau` and `coop depuis-issue`. Every function either returns a
clean value or raises `InputError` with a French message that says what to
type instead; nothing here prompts or prints.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..applicability import verdict
from ..errors import refused
from ..paths import ADHESIONS_DIR, YAML_SUFFIX, is_team_id, write_atomically
from ..register import Entry, Register
from ..rules.completeness import TEAM_PIECES, required_member_pieces
from ..rules.identifiers import luhn_valid
from ..schema import Referential

MAX_FIELD = 200
_HEX64 = re.compile(r"[0-9a-f]{64}")
_FRENCH_DATE = re.compile(r"([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})")
MAX_HASHED_BYTES = 200 * 1024 * 1024


class InputError(ValueError):
    """A value typed by a person cannot be used; the message says why, in French."""


def simplified(text: str) -> str:
    """Lower case, no accents, single spaces: for matching what people type."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().replace("_", " ").replace("'", " ").split())


def clean_text(raw: str, what: str, limit: int = MAX_FIELD) -> str:
    text = " ".join(raw.split())
    if not text:
        raise InputError(f"{what} est vide.")
    if len(text) > limit:
        raise InputError(f"{what} est trop long ({len(text)} caractères, au plus {limit}).")
    if any(unicodedata.category(c) == "Cc" for c in text):
        raise InputError(f"{what} contient des caractères de contrôle.")
    return text


def pick_code(
    raw: str,
    referential: Referential,
    allowed: Iterable[str],
    what: str,
    *,
    by_position: bool = True,
) -> str:
    """A code chosen by slug, French label or (when `by_position`) number in the list shown."""
    choices = list(allowed)
    wanted = simplified(raw)
    if (
        by_position
        and wanted.isdigit()
        and 1 <= int(wanted) <= len(choices)
        and wanted not in choices
    ):
        return choices[int(wanted) - 1]
    for code in choices:
        if wanted in (simplified(code), simplified(referential.label(code))):
            return code
    shown = ", ".join(f"{code} ({referential.label(code)})" for code in choices)
    raise InputError(
        f"« {raw.strip()[:60]} » n'est pas une valeur possible pour {what}. Valeurs possibles : {shown}."
    )


def region_code(raw: str, regions: Referential) -> str:
    """A region by its INSEE code or its name, never by a position in a list (`6` is not Île-de-France)."""
    text = raw.strip()
    if text.isdigit() and len(text) == 1 and f"0{text}" in regions.codes:
        code = f"0{text}"
        raise InputError(
            f"« {text} » n'est pas un code de région : les codes ont deux chiffres. "
            f"Vouliez-vous dire {code} ({regions.label(code)}) ?"
        )
    return pick_code(text, regions, regions.codes, "la région", by_position=False)


def identifier(raw: str) -> dict[str, str]:
    """`{"rpps": …}` or `{"adeli": …}` from a number typed with or without spaces."""
    number = re.sub(r"[\s.]", "", raw)
    if re.fullmatch(r"[0-9]{11}", number):
        if not luhn_valid(number):
            raise InputError(
                f"Le numéro RPPS {number} est invalide (sa clé, le dernier chiffre, ne correspond pas) : "
                "recopiez-le depuis la carte CPS ou l'annuaire santé."
            )
        return {"rpps": number}
    if re.fullmatch(r"[0-9]{9}", number):
        return {"adeli": number}
    raise InputError(
        f"« {raw.strip()[:40]} » n'est ni un numéro RPPS (11 chiffres) ni un numéro ADELI (9 chiffres)."
    )


def parse_date(raw: str, what: str) -> str:
    """An ISO date from `AAAA-MM-JJ` or `JJ/MM/AAAA`."""
    text = raw.strip()
    french = _FRENCH_DATE.fullmatch(text)
    if french:
        text = f"{french[3]}-{int(french[2]):02d}-{int(french[1]):02d}"
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError(text)
        return datetime.date.fromisoformat(text).isoformat()
    except ValueError:
        raise InputError(
            f"{what} : « {raw.strip()[:40]} » n'est pas une date (écrivez AAAA-MM-JJ ou JJ/MM/AAAA)."
        ) from None


def not_future(iso: str, what: str, today: datetime.date | None = None) -> str:
    """`iso` unchanged, unless it lies after `today` (a declaration or a training is never in the future)."""
    day = today or datetime.date.today()
    if iso > day.isoformat():
        raise InputError(
            f"{what} ({iso}) est dans le futur : indiquez une date passée ou celle du jour "
            f"({day.isoformat()})."
        )
    return iso


def past_date(raw: str, what: str, today: datetime.date | None = None) -> str:
    """A date typed by a person that is not in the future."""
    return not_future(parse_date(raw, what), what, today)


def parse_hours(raw: str, what: str) -> int | float:
    text = raw.strip().lower().removesuffix("h").strip().replace(",", ".")
    try:
        hours = float(text)
    except ValueError:
        raise InputError(f"{what} : « {raw.strip()[:40]} » n'est pas un nombre d'heures.") from None
    if not 0 <= hours <= 10000:
        raise InputError(f"{what} : {hours:g} h n'est pas une durée plausible.")
    return int(hours) if hours.is_integer() else hours


def code_postal(raw: str) -> str:
    text = raw.strip().replace(" ", "")
    if not re.fullmatch(r"[0-9]{5}", text):
        raise InputError(
            f"« {raw.strip()[:20]} » n'est pas un code postal (5 chiffres, exemple : 69003)."
        )
    return text


def team_id(raw: str) -> str:
    text = raw.strip()
    if not is_team_id(text):
        raise InputError(
            f"« {text[:80]} » n'est pas un identifiant d'équipe valide : lettres minuscules sans accent, chiffres "
            "et tirets, 80 caractères au plus (exemple : msp-des-tilleuls)."
        )
    return text


def suggest_slug(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", simplified(name))
    return "-".join(words)[:60].strip("-") or "equipe"


# --- the protocol and the register -----------------------------------------------------------------------


def applicable_protocols(register: Register, region: str, today: str | None = None) -> list[Entry]:
    """The protocols a team of `region` may apply `today` (applicability.verdict), by identifier."""
    day = today or datetime.date.today().isoformat()
    codes = register.schemas.referentials["region"].codes
    return [
        entry
        for _, entry in sorted(register.protocols.items())
        if entry.valid and verdict(entry.data, region, codes, day).applicable
    ]


def why_not_applicable(
    register: Register, protocol_id: str, region: str, today: str | None = None
) -> str:
    """Why a protocol of the register cannot be applied in `region` (« » when unknown): the verdict's
    sentence, and its successor when there is one."""
    entry = register.protocols.get(protocol_id)
    if entry is None or not entry.valid:
        return ""
    day = today or datetime.date.today().isoformat()
    found = verdict(entry.data, region, register.schemas.referentials["region"].codes, day)
    successor = f" Protocole à appliquer : {found.successor}." if found.successor else ""
    return f" {found.sentence}{successor}"


def search_protocols(protocols: list[Entry], keyword: str) -> list[Entry]:
    words = simplified(keyword).split()
    return [
        p
        for p in protocols
        if all(
            w in simplified(f"{p.where.protocol_id} {p.data.get('intitule', '')}") for w in words
        )
    ]


def professions_for(protocol: dict[str, Any], role: str) -> list[str]:
    return list(protocol["professions"]["delegants" if role == "delegant" else "delegues"])


def find_members(register: Register, query: str) -> list[dict[str, Any]]:
    """Members already in the register whose name or number matches `query` (one entry per number)."""
    wanted = simplified(query)
    digits = re.sub(r"\s", "", query)
    found: dict[str, dict[str, Any]] = {}
    for entry in register.adhesions:
        if not entry.valid:
            continue
        for member in entry.data.get("membres", []):
            number = member.get("rpps") or member.get("adeli")
            name = simplified(
                f"{member['prenom']} {member['nom_exercice']} {member['nom_exercice']}"
            )
            if number not in found and wanted and (digits == number or wanted in name):
                found[number] = {**member, "vu_dans": entry.path}
    return list(found.values())


def adhesion_path(region: str, protocol_id: str, team: str) -> str:
    return f"{ADHESIONS_DIR}/{region}/{protocol_id}/{team}{YAML_SUFFIX}"


def checklist(members: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """The pieces a declaration needs: (type, member number or None)."""
    needed: list[tuple[str, str | None]] = [(kind, None) for kind in TEAM_PIECES]
    for member in members:
        number = member.get("rpps") or member.get("adeli")
        needed.extend((kind, number) for kind in required_member_pieces(member))
    return needed


def sha256_of(path: Path) -> str:
    if not path.is_file():
        raise InputError(f"Le fichier « {path} » est introuvable (ou n'est pas un fichier).")
    if path.stat().st_size > MAX_HASHED_BYTES:
        raise InputError(
            f"Le fichier « {path} » dépasse 200 Mo : est-ce bien la pièce à déclarer ?"
        )
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def piece(
    kind_raw: str,
    member_raw: str,
    proof: str,
    members: list[dict[str, Any]],
    types: Referential,
    *,
    files_allowed: bool,
) -> dict[str, str]:
    """One piece from its type, member (number, empty for team pieces) and file or SHA-256."""
    kind = pick_code(kind_raw, types, types.codes, "le type de pièce")
    result = {"type": kind}
    member_text = re.sub(r"\s", "", member_raw)
    if member_text:
        numbers = [m.get("rpps") or m.get("adeli") for m in members]
        if member_text not in numbers:
            raise InputError(
                f"La pièce « {kind} » désigne le membre {member_text[:20]}, qui n'est pas dans l'équipe."
            )
        result["membre"] = member_text
    elif kind not in TEAM_PIECES:
        raise InputError(
            f"La pièce « {types.label(kind)} » est individuelle : indiquez le RPPS ou l'ADELI du membre."
        )
    result["sha256"] = _proof_hash(proof.strip(), files_allowed)
    return result


def _proof_hash(proof: str, files_allowed: bool) -> str:
    if _HEX64.fullmatch(proof.lower()):
        return proof.lower()
    if not files_allowed:
        raise InputError(
            f"« {proof[:70]} » n'est pas une empreinte SHA-256 (64 caractères 0-9 et a-f) : "
            "calculez-la avec `sha256sum fichier.pdf` ou `coop nouveau adhesion --piece`."
        )
    return sha256_of(Path(proof).expanduser())


MEMBER_FIELDS = "RPPS ou ADELI ; Nom ; Prénom ; profession ; mode d'exercice ; rôle"
TRAINING_FIELDS = "date de formation ; organisme ; durée en heures"


def member_from_fields(
    fields: list[str], protocol: dict[str, Any], referentials: dict[str, Referential]
) -> dict[str, Any]:
    """A member from `RPPS ; Nom ; Prénom ; profession ; mode ; rôle [; date ; organisme ; heures]`."""
    fields = [f.strip() for f in fields]
    if len(fields) not in (6, 9):
        raise InputError(
            f"{len(fields)} champ(s) au lieu de 6 ({MEMBER_FIELDS}), ou 9 pour un délégué avec sa formation "
            f"(… ; {TRAINING_FIELDS})."
        )
    role = pick_code(fields[5], referentials["role"], referentials["role"].codes, "le rôle")
    member: dict[str, Any] = {
        **identifier(fields[0]),
        "nom_exercice": clean_text(fields[1], "Le nom", 100),
        "prenom": clean_text(fields[2], "Le prénom", 100),
        "profession": pick_code(
            fields[3],
            referentials["profession"],
            professions_for(protocol, role),
            f"la profession d'un {referentials['role'].label(role).lower()} de ce protocole",
        ),
        "mode_exercice": pick_code(
            fields[4],
            referentials["mode_exercice"],
            protocol.get("modes_exercice") or referentials["mode_exercice"].codes,
            "le mode d'exercice",
        ),
        "role": role,
    }
    if len(fields) == 9:
        if role != "delegue":
            raise InputError("La formation (3 derniers champs) ne se déclare que pour un délégué.")
        member["formation"] = training(fields[6], fields[7], fields[8])
    return member


def training(
    date: str, organisme: str, hours: str, today: datetime.date | None = None
) -> dict[str, Any]:
    return {
        "date": past_date(date, "La date de formation", today),
        "organisme": clean_text(organisme, "L'organisme de formation"),
        "duree_heures": parse_hours(hours, "La durée de formation"),
    }


def write_new_file(root: Path, rel: str, text: str) -> Path:
    """Create `root/rel`; an existing file is never replaced."""
    target = root / rel
    if target.exists() or target.is_symlink():
        raise refused(
            f"Le fichier {rel} existe déjà : il n'a pas été modifié. Modifiez-le directement, ou choisissez "
            "un autre identifiant d'équipe."
        )
    try:
        write_atomically(root, target, text, new=True)
    except FileExistsError:
        raise refused(f"Le fichier {rel} existe déjà : il n'a pas été modifié.") from None
    return target
