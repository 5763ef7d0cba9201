"""Findings in the words of the issue form: what a team that never saw the YAML file must change.

A team that declares through the « Déclarer une adhésion » form sees form fields
(« Code postal », one line per member, one line per piece), never keys. Every
finding of the full check on the generated file is turned here into a sentence
that names the field (and the member or the piece by its number in the answer)
and says what to type instead: the field from the finding's key path, the words
from the sentence its check declares for the form (`Check.form`) and the
finding's parameters; no message is parsed back. Missing pieces become the
lines to paste into « Pièces justificatives ». Values echoed from the issue go
through `plain()` (one line, bounded length); the sentences are plain text, made
Markdown-safe by `issue_loop` (`markdown_text`) where the comment is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..checks import Template, pick
from ..findings import Finding
from ..rules import CHECKS
from ..schema import Referential
from . import declaration as decl
from .from_issue import FIELDS

# Every check declares its sentence for the form, or none when the form cannot give it.
NOT_FROM_FORM = frozenset(code for code, check in CHECKS.items() if not check.from_form)
SENTENCES: dict[str, Template] = {
    code: check.form for code, check in CHECKS.items() if check.form is not None
}
# Parameters a sentence may use beside the finding's own: the form's words for its fields.
FORM_PARAMS = {"champs_formation": decl.TRAINING_FIELDS}
EQUIPE_FIELDS = {
    "nom": "nom",
    "structure": "structure",
    "commune": "commune",
    "code_postal": "code_postal",
}


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


def where(
    finding: Finding, lines: Mapping[tuple[Any, ...], int], data: dict[str, Any], types: Referential
) -> Where:
    """The form field (and member or piece) a finding is about: from its key path, or, for a
    finding about the whole file or found before the data was read (layer 1), from its line."""
    if finding.key:
        return _where(finding.key, data, types)
    return locate(finding.line, lines, data, types)


def locate(
    line: int, lines: Mapping[tuple[Any, ...], int], data: dict[str, Any], types: Referential
) -> Where:
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
        label = (
            f"{plain(item.get('prenom', ''))} {plain(item.get('nom_exercice', ''))}".strip()
            if head == "membres"
            else types.label(item.get("type", ""))
        )
        return Where(head, index, label)
    return Where("membres" if head == "membres" else "pieces")


def prefix(where: Where) -> str:
    text = f"« {FIELDS[where.field]} »"
    if where.item is not None:
        noun = "membre" if where.field == "membres" else "pièce"
        text += f", {noun} n° {where.item + 1}" + (f" ({where.label})" if where.label else "")
    return text


def sentence(finding: Finding, where: Where) -> str:
    """One finding as a line of the bot's comment: the field, then what to do (no key, no YAML)."""
    form = SENTENCES.get(finding.code)
    text = plain(finding.message, 400) if form is None else _form_words(form, finding)
    return f"{prefix(where)} : {text.replace('`', '')}"


def _form_words(form: Template, finding: Finding) -> str:
    return pick(form, finding.params).format(**{**FORM_PARAMS, **finding.params})


def missing_piece_lines(data: dict[str, Any], types: Referential) -> list[str]:
    """The lines to paste into « Pièces justificatives » for every piece still missing."""
    declared = {(p["type"], p.get("membre")) for p in data.get("pieces", [])}
    names = {
        m.get("rpps") or m.get("adeli"): f"{plain(m['prenom'])} {plain(m['nom_exercice'])}"
        for m in data.get("membres", [])
    }
    lines = []
    for kind, number in decl.checklist(data.get("membres", [])):
        if (kind, number) not in declared:
            who = f" de {names.get(number, number)}" if number else " de l'équipe"
            member = f" {number} " if number else " "
            lines.append(f"{kind} ;{member}; <empreinte SHA-256>   ← {types.label(kind)}{who}")
    return list(dict.fromkeys(lines))
