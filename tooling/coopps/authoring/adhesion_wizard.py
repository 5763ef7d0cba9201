"""`coop nouveau adhesion`: a wizard that forgives.

Every answer is checked at its prompt (a date in the future, a postal code of
another region, an RPPS with a wrong key are refused there, with the reason);
`<` or « retour » goes back to the previous question, whose answer becomes the
default; the team id is suggested from the team's name; the pieces are asked
one by one with their French label, as a file whose SHA-256 is computed (the
file stays with the team). When the written file still fails the check, the
wizard says so and offers to go through the questions again, every earlier
answer kept as the default.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from .. import geography
from ..errors import refused
from ..register import Entry, Register
from ..rules.geography import mismatch
from . import declaration as decl
from .asking import BACK_HINT, Asker, prompt, run_steps
from .declaration import InputError
from .members import MAX_LISTED, ask_members
from .wizard import ask_region, next_steps, write_and_check


@dataclass
class Answers:
    region: str = ""
    protocol: Entry | None = None
    nom: str = ""
    team: str = ""
    structure: str = ""
    commune: str = ""
    code_postal: str = ""
    day: str = ""
    members: list[dict[str, Any]] = field(default_factory=list)
    pieces: list[dict[str, str]] = field(default_factory=list)

    def data(self) -> dict[str, Any]:
        equipe = {
            "nom": self.nom,
            "structure": self.structure,
            "commune": self.commune,
            "code_postal": self.code_postal,
        }
        return {
            "equipe": equipe,
            "date_declaration": self.day,
            "membres": self.members,
            "pieces": self.pieces,
        }


@dataclass(frozen=True)
class Given:
    """What the flags answer already (None: ask)."""

    region: str | None = None
    protocol_id: str | None = None
    recherche: str | None = None
    team: str | None = None
    nom: str | None = None
    structure: str | None = None
    commune: str | None = None
    code_postal: str | None = None
    date: str | None = None
    members: tuple[str, ...] = ()
    pieces: tuple[str, ...] = ()


def new_adhesion(root: Path, given: Given, batch: bool) -> None:
    """Déclarer l'adhésion d'une équipe à un protocole autorisé."""
    register = Register.load(root)
    ask = Asker(interactive=not batch)
    answers = Answers()
    if ask.interactive:
        click.echo(f"Déclaration d'une adhésion {BACK_HINT}.")
    while True:
        run_steps(_steps(ask, register, given, answers))
        rel = decl.adhesion_path(answers.region, _protocol(answers).where.protocol_id, answers.team)
        report = write_and_check(
            register, rel, "adhesion", answers.data(), stop_on_errors=not ask.interactive
        )
        if not report.errors:
            break
        if not ask.yes(
            "Le fichier ne passe pas la vérification. Reprendre les questions pour le corriger "
            "(vos réponses sont gardées : Entrée les conserve) ?",
            default=True,
        ):
            raise refused(
                f"Le fichier {rel} est écrit mais ne passe pas la vérification : corrigez-le avant d'ouvrir "
                "la pull request (`coop verifier` dit quoi changer)."
            )
        (register.root / rel).unlink()
        click.echo(f"Fichier {rel} retiré : reprenons.")
    next_steps(
        rel,
        f"adhesion-{answers.region}-{answers.team}",
        f"Adhésion de {answers.nom} au protocole {_protocol(answers).where.protocol_id}",
    )


def _protocol(answers: Answers) -> Entry:
    assert answers.protocol is not None
    return answers.protocol


def _steps(
    ask: Asker, register: Register, given: Given, answers: Answers
) -> list[Callable[[], object]]:
    refs = register.schemas.referentials

    def set_region() -> None:
        answers.region = ask_region(ask, register, given.region, default=answers.region or None)

    def set_protocol() -> None:
        answers.protocol = _ask_protocol(
            ask, register, answers.region, given.protocol_id, given.recherche
        )

    def set_nom() -> None:
        answers.nom = ask(
            "Nom de l'équipe ou de la structure",
            lambda v: decl.clean_text(v, "Le nom de l'équipe"),
            given=given.nom,
            default=answers.nom or None,
            option="--nom",
        )

    def set_team() -> None:
        answers.team = _ask_team(ask, register, answers, given.team)

    def set_structure() -> None:
        answers.structure = _ask_structure(
            ask, register, _protocol(answers).data, given.structure, answers.structure
        )

    def set_commune() -> None:
        answers.commune = ask(
            "Commune",
            lambda v: decl.clean_text(v, "La commune", 100),
            given=given.commune,
            default=answers.commune or None,
            option="--commune",
        )

    def set_postal() -> None:
        answers.code_postal = ask(
            "Code postal",
            lambda v: _postal_in_region(register, v, answers.region),
            given=given.code_postal,
            default=answers.code_postal or None,
            option="--code-postal",
        )

    def set_day() -> None:
        answers.day = ask(
            "Date de déclaration (AAAA-MM-JJ ou JJ/MM/AAAA)",
            lambda v: decl.past_date(v, "La date de déclaration"),
            given=given.date,
            default=answers.day or datetime.date.today().isoformat(),
            option="--date",
        )

    def set_members() -> None:
        keep = f"Garder les {len(answers.members)} membres déjà saisis ?"
        if answers.members and not given.members and ask.yes(keep, default=True):
            return
        answers.members = ask_members(ask, register, _protocol(answers).data, given.members)

    def set_pieces() -> None:
        answers.pieces = _pieces(ask, refs["type_piece"], answers, given.pieces)

    return [
        set_region,
        set_protocol,
        set_nom,
        set_team,
        set_structure,
        set_commune,
        set_postal,
        set_day,
        set_members,
        set_pieces,
    ]


def _ask_protocol(
    ask: Asker, register: Register, region: str, given: str | None, keyword: str | None
) -> Entry:
    label = register.schemas.referentials["region"].label(region)
    candidates = decl.applicable_protocols(register, region)
    if not candidates:
        raise refused(
            f"Aucun protocole autorisé ne s'applique en région {region} ({label}) dans ce registre."
        )
    by_id = {p.where.protocol_id: p for p in candidates}
    if given is not None:
        if given not in by_id:
            why = decl.why_not_applicable(register, given, region)
            raise refused(
                f"--protocole : « {given[:80]} » n'est pas un protocole applicable en région "
                f"{region} ({label}).{why} Consultez le catalogue, ou utilisez --recherche."
            )
        return by_id[given]
    if not ask.interactive and keyword is None:
        raise refused("Réponse manquante : indiquez --protocole (ou --recherche).")
    while True:
        words = (
            keyword
            if keyword is not None
            else prompt(
                "Mot-clé pour chercher le protocole (Entrée pour tout voir)",
                default="",
                show_default=False,
            )
        )
        keyword = None
        shown = decl.search_protocols(candidates, words)
        if not ask.interactive:
            if len(shown) != 1:
                raise refused(
                    f"--recherche « {words} » désigne {len(shown)} protocoles : précisez avec --protocole."
                )
            return shown[0]
        if shown:
            return _choose_protocol(shown)
        click.echo(
            f"  ✗ Aucun protocole autorisé en région {label} ne contient « {words} ». Essayez un autre mot."
        )


def _choose_protocol(shown: list[Entry]) -> Entry:
    for number, entry in enumerate(shown[:MAX_LISTED], start=1):
        click.echo(f"  {number}. {entry.where.protocol_id} — {entry.data['intitule']}")
    if len(shown) > MAX_LISTED:
        click.echo(f"  … et {len(shown) - MAX_LISTED} autres : précisez le mot-clé.")
    choices = {str(n): e for n, e in enumerate(shown[:MAX_LISTED], start=1)} | {
        e.where.protocol_id: e for e in shown
    }
    while True:
        raw = prompt("Numéro ou identifiant du protocole").strip()
        if raw in choices:
            chosen = choices[raw]
            click.echo(f"Protocole choisi : {chosen.data['intitule']}")
            return chosen
        click.echo("  ✗ Tapez un numéro de la liste ou l'identifiant d'un protocole affiché.")


def _ask_team(ask: Asker, register: Register, answers: Answers, given: str | None) -> str:
    protocol = _protocol(answers)
    promoting = (
        protocol.data.get("equipe_promotrice") if protocol.data["portee"] == "local" else None
    )

    def convert(raw: str) -> str:
        team = decl.team_id(raw)
        if promoting and team != promoting:
            raise InputError(f"ce protocole local est réservé à l'équipe « {promoting} ».")
        rel = decl.adhesion_path(answers.region, protocol.where.protocol_id, team)
        if (register.root / rel).exists():
            raise InputError(
                f"le fichier {rel} existe déjà : modifiez-le directement, ou choisissez un autre identifiant."
            )
        return team

    suggested = promoting or answers.team or decl.suggest_slug(answers.nom)
    return ask(
        "Identifiant de l'équipe (minuscules, chiffres, tirets ; Entrée garde la suggestion)",
        convert,
        given=given,
        default=suggested if ask.interactive or promoting else None,
        option="--equipe",
    )


def _ask_structure(
    ask: Asker, register: Register, protocol: dict[str, Any], given: str | None, earlier: str
) -> str:
    cadres = register.schemas.referentials["cadre_exercice"]
    allowed = list(protocol.get("cadres_exercice") or cadres.codes)
    if given is None and ask.interactive:
        click.echo("Structures possibles pour ce protocole :")
        for number, code in enumerate(allowed, start=1):
            click.echo(f"  {number}. {code} ({cadres.label(code)})")
    default = earlier or (allowed[0] if len(allowed) == 1 else None)
    return ask(
        "Structure (numéro ou code)",
        lambda v: decl.pick_code(v, cadres, allowed, "la structure"),
        given=given,
        default=default,
        option="--structure",
    )


def _postal_in_region(register: Register, raw: str, region: str) -> str:
    """A postal code of the team's region (the ARS of another region would receive the declaration)."""
    code = decl.code_postal(raw)
    places = geography.load(register.schemas)
    if places is None:
        return code
    problem = mismatch(places, code, region, register.schemas.referentials["region"].label)
    if problem and region not in places.regions_of(code):
        raise InputError(
            problem.replace(
                "Corrigez le code postal ou déplacez le fichier.",
                "Corrigez le code postal, ou « < » pour revenir jusqu'à la région.",
            )
        )
    if problem:
        click.echo(f"  ⚠ {problem}")
    return code


# --- pieces -------------------------------------------------------------------------------------------------


def _pieces(
    ask: Asker, types: Any, answers: Answers, specs: tuple[str, ...]
) -> list[dict[str, str]]:
    if specs or not ask.interactive:
        return [_piece_from_spec(spec, answers.members, types) for spec in specs]
    click.echo(
        "\nPièces justificatives, une par une. Le fichier reste chez vous : seule son empreinte SHA-256 "
        "entre dans le registre. Entrée : pièce à déclarer plus tard."
    )
    earlier = {(p["type"], p.get("membre")): p for p in answers.pieces}
    names = {
        m.get("rpps") or m.get("adeli"): f"{m['prenom']} {m['nom_exercice']}"
        for m in answers.members
    }
    pieces = []
    for kind, number in decl.checklist(answers.members):
        who = f"{names[number]} ({number})" if number else "équipe"
        found = _ask_piece(
            kind, number, f"{types.label(kind)} — {who}", answers.members, types, earlier
        )
        if found:
            pieces.append(found)
    return pieces


def _ask_piece(
    kind: str,
    number: str | None,
    label: str,
    members: list[dict[str, Any]],
    types: Any,
    earlier: dict[tuple[str, str | None], dict[str, str]],
) -> dict[str, str] | None:
    kept = earlier.get((kind, number))
    while True:
        raw = prompt(
            f"{label} : chemin du fichier",
            default=kept["sha256"] if kept else "",
            show_default=bool(kept),
        ).strip()
        if not raw:
            return None
        try:
            piece = decl.piece(kind, number or "", raw, members, types, files_allowed=True)
        except InputError as err:
            click.echo(f"  ✗ {err}")
            continue
        click.echo(f"  ✓ empreinte {piece['sha256']}")
        return piece


def _piece_from_spec(spec: str, members: list[dict[str, Any]], types: Any) -> dict[str, str]:
    parts = spec.split(":", 2)
    try:
        if len(parts) != 3:
            raise InputError(
                "écrivez TYPE:MEMBRE:CHEMIN, par exemple diplome:10000000009:~/pieces/diplome.pdf "
                "ou declaration_commune::declaration.pdf"
            )
        return decl.piece(parts[0], parts[1], parts[2], members, types, files_allowed=True)
    except InputError as err:
        raise refused(f"--piece « {spec[:80]} » : {err}") from None
