"""The answer to a « Déclarer une adhésion » issue: file, full check, and the bot's comment.

`coop depuis-issue --resultat DIR` runs in a workflow job WITHOUT write
permission: it parses the untrusted body, writes the adhesion file in the
checkout, runs the same check as a draft pull request on it, and leaves in DIR
what a second job (the only one allowed to push and comment) needs:

- `etat.txt`: `statut=pret|a-corriger|refuse`, `chemin=…`, `region=…`,
  `erreurs=…`, `avertissements=…` (one `key=value` a line, checked again by
  `.github/scripts/publier-declaration.sh` before use);
- `commentaire.md`: the comment in the words of the form (`form_words.py`);
- `fichier.yml`: the adhesion file, when there is one.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CoopError
from ..findings import Finding
from ..markdown_text import markdown_code_block, markdown_text
from ..paths import refuse_symlinks, write_atomically
from ..register import Register, load_entry
from . import form_words
from .from_issue import ERRORS_INTRO, Parsed, parse_issue

MARKER = "<!-- coop-ps:declaration -->"
EDIT_HINT = (
    "Pour corriger, modifiez l'issue (menu « ··· » en haut de votre message, puis « Edit ») : "
    "ce message se met à jour après chaque modification."
)


@dataclass
class Outcome:
    status: str  # "pret" (no error: the pull request may be opened), "a-corriger" or "refuse"
    path: str = ""
    region: str = ""
    errors: int = 0
    warnings: int = 0
    to_complete: int = (
        0  # completeness findings: the pull request stays a draft while there are any
    )
    comment: list[str] = field(default_factory=list)
    text: str = ""  # the adhesion file

    def state(self) -> str:
        return "".join(
            f"{key}={value}\n"
            for key, value in (
                ("statut", self.status),
                ("chemin", self.path),
                ("region", self.region),
                ("erreurs", self.errors),
                ("avertissements", self.warnings),
                ("a_completer", self.to_complete),
            )
        )


def answer(
    root: Path, body: str | None, today: datetime.date, in_progress: tuple[str, ...] = ()
) -> Outcome:
    """Everything the bot says and does about one issue body (None: the body is too long).
    `in_progress`: the adhesion files the author's other open declarations already propose."""
    register = Register.load(root)
    parsed = (
        parse_issue(body, register, today) if body is not None else Parsed(errors=[_too_long()])
    )
    if parsed.errors:
        return Outcome(
            "a-corriger", errors=len(parsed.errors), comment=_parse_errors(parsed.errors)
        )
    if parsed.path in in_progress:
        return _already_in_progress(parsed.path)
    return _checked(register, parsed)


RESULT_FILES = ("etat.txt", "commentaire.md", "fichier.yml")


def refuse_linked_results(root: Path, folder: Path) -> None:
    """Before anything is written: no result file, nor `folder`, may be a symbolic link."""
    refuse_symlinks(root, [folder / name for name in RESULT_FILES])


def write(outcome: Outcome, root: Path, folder: Path) -> None:
    """The result files of one issue in `folder` (checked by `refuse_linked_results` first)."""
    files = {
        "etat.txt": outcome.state(),
        "commentaire.md": "\n".join([MARKER, *outcome.comment]) + "\n",
    }
    if outcome.text:
        files["fichier.yml"] = outcome.text
    refuse_linked_results(root, folder)
    for name, text in files.items():
        write_atomically(root, folder / name, text)


def _too_long() -> str:
    from .from_issue import MAX_BODY_BYTES

    return (
        f"Le texte de l'issue dépasse {MAX_BODY_BYTES // 1024} Kio : une déclaration tient en quelques lignes. "
        "Retirez ce qui n'a pas été demandé par le formulaire."
    )


def _already_in_progress(path: str) -> Outcome:
    return Outcome(
        "refuse",
        path="",
        comment=[
            "## Déclaration non traitée",
            "",
            "Vous avez déjà une déclaration en cours pour cette équipe et ce protocole, "
            f"dans une autre issue (fichier {markdown_text(path)}). Complétez-la, ou fermez-la, "
            "puis modifiez cette issue pour qu'elle soit traitée. Vos déclarations pour d'autres "
            "équipes ou d'autres protocoles ne sont pas concernées.",
        ],
    )


def _parse_errors(errors: list[str]) -> list[str]:
    heading = "## Votre déclaration : à corriger"
    return [heading, "", ERRORS_INTRO, "", *_bullets(errors), "", EDIT_HINT]


def _bullets(lines: list[str]) -> list[str]:
    """One list item per line; every value in it shows as text (`markdown_text`)."""
    return [f"- {markdown_text(line)}" for line in lines]


def _checked(register: Register, parsed: Parsed) -> Outcome:
    from ..checker import Options, validate
    from ..checks import is_completeness
    from .declaration import write_new_file
    from .fmt import FormatRefused, format_data

    try:
        text = format_data("adhesion", parsed.data, register.schemas)
        write_new_file(register.root, parsed.path, text)
    except (FormatRefused, CoopError) as err:
        return Outcome("a-corriger", errors=1, comment=_parse_errors([str(err)]))
    report = validate(Options(root=register.root, paths=(parsed.path,), draft=True))
    entry = load_entry(register.root, parsed.path, register.schemas)
    outcome = Outcome(
        "a-corriger" if report.errors else "pret",
        parsed.path,
        parsed.path.split("/")[1],
        len(report.errors),
        len(report.warnings),
        text=text,
        to_complete=sum(is_completeness(f.code) for f in report.findings),
    )
    outcome.comment = _findings_comment(
        report.sorted(), entry.doc.lines, parsed.data, register, outcome
    )
    return outcome


def _findings_comment(
    findings: list[Finding],
    lines: Mapping[tuple[Any, ...], int],
    data: dict[str, Any],
    register: Register,
    outcome: Outcome,
) -> list[str]:
    types = register.schemas.referentials["type_piece"]
    shown = [f for f in findings if f.code != "piece-manquante"]
    words = {f: form_words.sentence(f, form_words.where(f, lines, data, types)) for f in shown}
    errors = [words[f] for f in shown if f.severity == "error"]
    advice = [words[f] for f in shown if f.severity != "error"]
    missing = form_words.missing_piece_lines(data, types)
    body = [_headline(outcome, bool(advice or missing)), ""]
    if errors:
        body += ["### À corriger", "", *_bullets(errors), ""]
    if advice:
        body += ["### À vérifier ou compléter", "", *_bullets(advice), ""]
    if missing:
        body += [
            "### Pièces à ajouter dans « Pièces justificatives »",
            "",
            "Une ligne par pièce ; remplacez `<empreinte SHA-256>` par l'empreinte du fichier, qui reste chez vous "
            "(guide « Déclarer une adhésion »).",
            "",
            *markdown_code_block(missing),
            "",
        ]
    if errors or advice or missing:
        body.append(EDIT_HINT)
    return body


def _headline(outcome: Outcome, incomplete: bool) -> str:
    if outcome.status != "pret":
        return f"## Votre déclaration : {outcome.errors} correction(s) avant de l'enregistrer"
    if incomplete:
        return "## Votre déclaration : enregistrée en brouillon, à compléter"
    return "## Votre déclaration : complète et conforme ✅"
