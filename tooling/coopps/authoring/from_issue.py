"""`coop depuis-issue`: the body of a « Déclarer une adhésion » issue into an adhesion file.

GitHub renders an issue form as Markdown: `### <label>` then the answer
(`_No response_` when empty). The body is untrusted text typed by anyone: it
is size-bounded, every identifier is checked against `coopps.paths` rules
before it becomes part of a path, the data is built in memory and dumped by
`coop formater` (never a string template), and every problem is collected into one
French list that a workflow can post back as a comment.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..register import Register
from ..textguards import for_terminal
from . import declaration as decl
from .declaration import InputError

T = TypeVar("T")
MAX_BODY_BYTES = 64 * 1024
MAX_MEMBERS = 60
MAX_PIECES = 400
NO_RESPONSE = "_No response_"

FIELDS = {
    "region": "Région",
    "protocole": "Identifiant du protocole",
    "equipe": "Identifiant de l'équipe",
    "nom": "Nom de l'équipe",
    "structure": "Structure",
    "commune": "Commune",
    "code_postal": "Code postal",
    "date": "Date de déclaration",
    "membres": "Membres de l'équipe",
    "pieces": "Pièces justificatives",
}
OPTIONAL = {"date", "pieces"}
# Linear: `(.+?)\s*$` tried every end of a long run of spaces (9 s on 20,000 spaces); the text is stripped after.
_HEADING = re.compile(r"###\s(.+)")
_TABLE_RULE = re.compile(r"\|?\s*+:?-{3,}+:?\s*+(?:\|\s*+:?-{3,}+:?\s*+)*+\|?")
_UNSAFE = re.compile(r"[<>`\\{}|@]")
_LINKISH = re.compile(r"\]\(|\b(?:https?|ftp)://|\bwww\.", re.IGNORECASE)


@dataclass
class Parsed:
    data: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    errors: list[str] = field(default_factory=list)


def sections(body: str) -> dict[str, str]:
    """The answers of the form, by field key; unknown headings are ignored."""
    by_label = {decl.simplified(label): key for key, label in FIELDS.items()}
    found: dict[str, list[str]] = {}
    current: str | None = None
    for line in body.replace("\r\n", "\n").split("\n"):
        heading = _HEADING.match(line)
        if heading:
            current = by_label.get(decl.simplified(heading[1].strip()))
            if current is not None:
                found.setdefault(current, [])
            continue
        if current is not None:
            found[current].append(line)
    return {key: _answer("\n".join(lines)) for key, lines in found.items()}


def _answer(text: str) -> str:
    text = text.strip()
    if text == NO_RESPONSE:
        return ""
    fence = re.fullmatch(
        r"```[a-z]*\n(.*?)\n?```", text, flags=re.S
    )  # `render:` textareas come fenced
    return fence[1].strip() if fence else text


def parse_issue(body: str, register: Register, today: datetime.date) -> Parsed:
    result = Parsed()
    if len(body.encode("utf-8", errors="replace")) > MAX_BODY_BYTES:
        result.errors.append(
            f"Le texte de l'issue dépasse {MAX_BODY_BYTES // 1024} Kio : une déclaration tient en "
            "quelques lignes. Retirez ce qui n'a pas été demandé par le formulaire."
        )
        return result
    answers = sections(body)
    _Builder(answers, register, result, today).build()
    return result


class _Builder:
    def __init__(
        self, answers: dict[str, str], register: Register, result: Parsed, today: datetime.date
    ) -> None:
        self.answers, self.register, self.result, self.today = answers, register, result, today
        self.refs = register.schemas.referentials

    def field(self, key: str, convert: Any) -> Any:
        if key not in OPTIONAL and not self.answers.get(key):
            self.result.errors.append(f"« {FIELDS[key]} » : réponse manquante.")
            return None
        try:
            return convert(self.answers.get(key, ""))
        except InputError as err:
            self.result.errors.append(f"« {FIELDS[key]} » : {err}")
            return None

    def build(self) -> None:
        region = self.field("region", lambda v: decl.region_code(_code(v), self.refs["region"]))
        protocol = self.field("protocole", lambda v: self.protocol(v, region)) if region else None
        team = self.field("equipe", decl.team_id)
        equipe = self.equipe(protocol.data if protocol else None)
        day = self.field(
            "date",
            lambda v: decl.past_date(v, "La date", self.today) if v else self.today.isoformat(),
        )
        members = self.members(protocol.data) if protocol else []
        if protocol and not members and not self.answers.get("membres"):
            self.result.errors.append(f"« {FIELDS['membres']} » : réponse manquante.")
        pieces = self.pieces(members)
        if self.result.errors or not (region and protocol and team):
            return
        if protocol.data["portee"] == "local" and team != protocol.data.get("equipe_promotrice"):
            self.result.errors.append(
                f"« {FIELDS['equipe']} » : ce protocole local est réservé à l'équipe "
                f"« {protocol.data.get('equipe_promotrice')} »."
            )
            return
        protocol_id = protocol.where.protocol_id
        self.result.path = next_adhesion_path(self.register, region, protocol_id, team)
        self.result.data = {
            "equipe": equipe,
            "date_declaration": day,
            "membres": members,
            "pieces": pieces,
        }

    def protocol(self, raw: str, region: str) -> Any:
        wanted = raw.strip()
        for entry in decl.applicable_protocols(self.register, region):
            if entry.where.protocol_id == wanted:
                return entry
        label = self.refs["region"].label(region)
        why = decl.why_not_applicable(self.register, wanted, region)
        raise InputError(
            f"« {_shown(wanted)} » n'est pas un protocole applicable en région {region} ({label}) :"
            f"{why or ''} recopiez l'identifiant d'un protocole applicable, affiché dans le catalogue."
        )

    def equipe(self, protocol: dict[str, Any] | None) -> dict[str, Any]:
        cadres = self.refs["cadre_exercice"]
        allowed = (protocol or {}).get("cadres_exercice") or cadres.codes
        return {
            "nom": self.field("nom", lambda v: _text(v, "Le nom")),
            "structure": self.field(
                "structure", lambda v: decl.pick_code(_code(v), cadres, allowed, "la structure")
            ),
            "commune": self.field("commune", lambda v: _text(v, "La commune", 100)),
            "code_postal": self.field("code_postal", decl.code_postal),
        }

    def members(self, protocol: dict[str, Any]) -> list[dict[str, Any]]:
        def member(cells: list[str]) -> dict[str, Any]:
            found = decl.member_from_fields(cells, protocol, self.refs)
            for key in ("nom_exercice", "prenom"):
                _text(found[key], "Le nom" if key == "nom_exercice" else "Le prénom", 100)
            if "formation" in found:
                _text(found["formation"]["organisme"], "L'organisme de formation")
            return found

        return self.rows("membres", MAX_MEMBERS, member)

    def pieces(self, members: list[dict[str, Any]]) -> list[dict[str, str]]:
        def piece(cells: list[str]) -> dict[str, str]:
            if len(cells) != 3:
                raise InputError(
                    "écrivez « type ; RPPS ou ADELI du membre (vide pour l'équipe) ; empreinte SHA-256 »."
                )
            return decl.piece(
                cells[0], cells[1], cells[2], members, self.refs["type_piece"], files_allowed=False
            )

        return self.rows("pieces", MAX_PIECES, piece)

    def rows(self, field: str, limit: int, parse: Callable[[list[str]], T]) -> list[T]:
        """One value per line of a textarea answer; each bad line becomes an error, none stops the others."""
        lines = _rows(self.answers.get(field, ""))
        if len(lines) > limit:
            self.result.errors.append(
                f"« {FIELDS[field]} » : {len(lines)} lignes, au plus {limit}."
            )
            return []
        parsed = []
        for number, cells in lines:
            try:
                parsed.append(parse(cells))
            except InputError as err:
                self.result.errors.append(f"« {FIELDS[field]} », ligne {number} : {err}")
        return parsed


def next_adhesion_path(register: Register, region: str, protocol_id: str, team: str) -> str:
    """The file of a new declaration: `<team>.yml`; when that adhesion has ended (`fin`), the
    team declares again in the next free `<team>-2.yml`, `<team>-3.yml`… An adhesion still
    running keeps its path (writing the file then refuses: it exists)."""
    recorded = {entry.path: entry.data for entry in register.adhesions}
    number = 1
    while True:
        path = decl.adhesion_path(region, protocol_id, team if number == 1 else f"{team}-{number}")
        if path not in recorded or "fin" not in recorded[path]:
            return path
        number += 1


def _code(answer: str) -> str:
    """`84 — Auvergne-Rhône-Alpes` (a dropdown option) → `84`."""
    return re.split(r"\s+[—–-]\s+", answer.strip(), maxsplit=1)[0]


def _text(raw: str, what: str, limit: int = decl.MAX_FIELD) -> str:
    text = decl.clean_text(raw, what, limit)
    if _LINKISH.search(text):
        raise InputError(
            f"{what} contient un lien : écrivez le nom seul, sans adresse web ni mise en forme."
        )
    if _UNSAFE.search(text):
        raise InputError(
            f"{what} contient des caractères non admis (chevrons, accent grave, barre oblique inverse, "
            "accolades, barre verticale ou arobase) : écrivez-le en lettres, chiffres et ponctuation simple."
        )
    return text


def _rows(text: str) -> list[tuple[int, list[str]]]:
    """Non-empty lines split into cells (`;`, tabulations or a Markdown table), headers skipped."""
    rows = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if not stripped or _TABLE_RULE.fullmatch(stripped):
            continue
        if stripped.startswith("|"):
            cells = stripped.strip("|").split("|")
        else:
            cells = (
                stripped.split("\t")
                if "\t" in stripped and ";" not in stripped
                else stripped.split(";")
            )
        first = decl.simplified(cells[0])
        if first in ("rpps", "rpps ou adeli", "type", "type de piece") or first.startswith(
            "rpps ou"
        ):
            continue
        rows.append((number, [cell.strip() for cell in cells]))
    return rows


def _shown(text: str) -> str:
    return text[:80]


ERRORS_INTRO = (
    "La déclaration n'a pas pu être transformée en fichier d'adhésion. "
    "Modifiez l'issue pour corriger :"
)


def error_report(errors: list[str]) -> str:
    """The French list shown on a terminal (`coop depuis-issue` without --resultat)."""
    return ERRORS_INTRO + "\n\n" + "\n".join(f"- {for_terminal(error)}" for error in errors) + "\n"
