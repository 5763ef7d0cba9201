"""`coop new adhesion` and `coop new protocole`: French wizards that write a new data file.

Each prompt has a flag, so a test or a workflow can answer without a
terminal (`--non-interactif` turns a missing answer into an error). The file
is built as data, written in fmt's canonical form at the path its identity
gives, never over an existing file, then validated as a draft.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import refused
from ..paths import PROTOCOLS_DIR, SLUG, YAML_SUFFIX
from ..register import Entry, Register
from . import declaration as decl
from .declaration import InputError

T = TypeVar("T")
MAX_LISTED = 30


@dataclass
class Asker:
    """Ask a question, or take the flag's value; re-ask until the answer is usable."""

    interactive: bool

    def __call__(self, question: str, convert: Callable[[str], T], *, given: str | None = None,
                 default: str | None = None, option: str = "") -> T:
        if given is not None:
            try:
                return convert(given)
            except InputError as err:
                raise refused(f"{option} : {err}") from None
        if not self.interactive:
            if default is not None:
                return convert(default)
            raise refused(f"Réponse manquante : indiquez {option} (ou lancez la commande sans --non-interactif).")
        while True:
            raw = click.prompt(question, default=default, show_default=default is not None)
            try:
                return convert(raw)
            except InputError as err:
                click.echo(f"  ✗ {err}")

    def yes(self, question: str, default: bool = False) -> bool:
        if not self.interactive:
            return default
        while True:
            raw = click.prompt(f"{question} (o/n)", default="o" if default else "n").strip().lower()
            if raw in ("o", "oui", "y", "yes"):
                return True
            if raw in ("n", "non", "no"):
                return False
            click.echo("  ✗ Répondez o (oui) ou n (non).")


# --- coop new adhesion -----------------------------------------------------------------------------------


@dataclass
class Answers:
    region: str = ""
    protocol: Entry | None = None
    team: str = ""
    equipe: dict[str, str] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=list)
    pieces: list[dict[str, str]] = field(default_factory=list)


def new_adhesion(root: Path, region: str | None, protocol_id: str | None, recherche: str | None, team: str | None,
                 nom: str | None, structure: str | None, commune: str | None, code_postal: str | None,
                 date_declaration: str | None, members: tuple[str, ...], pieces: tuple[str, ...], batch: bool) -> None:
    """Déclarer l'adhésion d'une équipe à un protocole autorisé."""
    register = Register.load(root)
    ask = Asker(interactive=not batch)
    answers = Answers()
    answers.region = _ask_region(ask, register, region)
    answers.protocol = _ask_protocol(ask, register, answers.region, protocol_id, recherche)
    answers.team = _ask_team(ask, register, answers, team)
    answers.equipe = _ask_equipe(ask, register, answers.protocol.data, nom, structure, commune, code_postal)
    day = ask("Date de déclaration (AAAA-MM-JJ)", lambda v: decl.parse_date(v, "La date de déclaration"),
              given=date_declaration, default=datetime.date.today().isoformat(), option="--date")
    answers.members = _members(ask, register, answers.protocol.data, members)
    answers.pieces = _pieces(ask, register, answers.members, pieces)
    data = {"equipe": answers.equipe, "date_declaration": day, "membres": answers.members, "pieces": answers.pieces}
    rel = decl.adhesion_path(answers.region, answers.protocol.where.protocol_id, answers.team)
    _write_and_check(register, rel, "adhesion", data)
    _next_steps(rel, f"adhesion-{answers.region}-{answers.team}", f"Adhésion de {answers.equipe['nom']} au protocole "
                f"{answers.protocol.where.protocol_id}")


def _ask_region(ask: Asker, register: Register, given: str | None) -> str:
    regions = register.schemas.referentials["region"]
    if given is None and ask.interactive:
        click.echo("Régions :")
        for code in regions.codes:
            click.echo(f"  {code}  {regions.label(code)}")
    code = ask("Code ou nom de la région de l'équipe", lambda v: decl.region_code(v, regions), given=given,
               option="--region")
    click.echo(f"Région : {code} — {regions.label(code)}")
    return code


def _ask_protocol(ask: Asker, register: Register, region: str, given: str | None, keyword: str | None) -> Entry:
    label = register.schemas.referentials["region"].label(region)
    candidates = decl.applicable_protocols(register, region)
    if not candidates:
        raise refused(f"Aucun protocole autorisé ne s'applique en région {region} ({label}) dans ce registre.")
    by_id = {p.where.protocol_id: p for p in candidates}
    if given is not None:
        if given not in by_id:
            raise refused(f"--protocole : « {given[:80]} » n'est pas un protocole autorisé applicable en région "
                            f"{region} ({label}). Consultez le catalogue, ou utilisez --recherche.")
        return by_id[given]
    if not ask.interactive and keyword is None:
        raise refused("Réponse manquante : indiquez --protocole (ou --recherche).")
    while True:
        words = keyword if keyword is not None else click.prompt(
            "Mot-clé pour chercher le protocole (Entrée pour tout voir)", default="", show_default=False)
        keyword = None
        shown = decl.search_protocols(candidates, words)
        if not ask.interactive:
            if len(shown) != 1:
                raise refused(f"--recherche « {words} » désigne {len(shown)} protocoles : précisez avec --protocole.")
            return shown[0]
        if shown:
            return _choose_protocol(shown)
        click.echo(f"  ✗ Aucun protocole autorisé en région {label} ne contient « {words} ». Essayez un autre mot.")


def _choose_protocol(shown: list[Entry]) -> Entry:
    for number, entry in enumerate(shown[:MAX_LISTED], start=1):
        click.echo(f"  {number}. {entry.where.protocol_id} — {entry.data['intitule']}")
    if len(shown) > MAX_LISTED:
        click.echo(f"  … et {len(shown) - MAX_LISTED} autres : précisez le mot-clé.")
    choices = {str(n): e for n, e in enumerate(shown[:MAX_LISTED], start=1)} | {e.where.protocol_id: e for e in shown}
    while True:
        raw = click.prompt("Numéro ou identifiant du protocole").strip()
        if raw in choices:
            chosen = choices[raw]
            click.echo(f"Protocole choisi : {chosen.data['intitule']}")
            return chosen
        click.echo("  ✗ Tapez un numéro de la liste ou l'identifiant d'un protocole affiché.")


def _ask_team(ask: Asker, register: Register, answers: Answers, given: str | None) -> str:
    assert answers.protocol is not None
    protocol = answers.protocol.data
    default = protocol.get("equipe_promotrice") if protocol["portee"] == "local" else None

    def convert(raw: str) -> str:
        team = decl.team_id(raw)
        if default and team != default:
            raise InputError(f"ce protocole local est réservé à l'équipe « {default} ».")
        rel = decl.adhesion_path(answers.region, answers.protocol.where.protocol_id, team)  # type: ignore[union-attr]
        if (register.root / rel).exists():
            raise InputError(f"le fichier {rel} existe déjà : modifiez-le directement, ou choisissez un autre identifiant.")
        return team

    return ask("Identifiant de l'équipe (minuscules, chiffres, tirets : msp-des-tilleuls)", convert,
               given=given, default=default, option="--equipe")


def _ask_equipe(ask: Asker, register: Register, protocol: dict[str, Any], nom: str | None, structure: str | None,
                commune: str | None, code_postal: str | None) -> dict[str, str]:
    cadres = register.schemas.referentials["cadre_exercice"]
    allowed = protocol.get("cadres_exercice") or cadres.codes
    if structure is None and ask.interactive:
        click.echo("Structures possibles pour ce protocole :")
        for number, code in enumerate(allowed, start=1):
            click.echo(f"  {number}. {code} ({cadres.label(code)})")
    return {
        "nom": ask("Nom de l'équipe ou de la structure", lambda v: decl.clean_text(v, "Le nom de l'équipe"),
                   given=nom, option="--nom"),
        "structure": ask("Structure (numéro ou code)", lambda v: decl.pick_code(v, cadres, allowed, "la structure"),
                         given=structure, default=allowed[0] if len(allowed) == 1 else None, option="--structure"),
        "commune": ask("Commune", lambda v: decl.clean_text(v, "La commune", 100), given=commune, option="--commune"),
        "code_postal": ask("Code postal", decl.code_postal, given=code_postal, option="--code-postal"),
    }


# --- members ------------------------------------------------------------------------------------------------


def _members(ask: Asker, register: Register, protocol: dict[str, Any], lines: tuple[str, ...]) -> list[dict[str, Any]]:
    refs = register.schemas.referentials
    if lines:
        members = []
        for number, line in enumerate(lines, start=1):
            try:
                members.append(decl.member_from_fields(line.split(";"), protocol, refs))
            except InputError as err:
                raise refused(f"--membre n° {number} : {err}") from None
        return members
    if not ask.interactive:
        raise refused("Réponse manquante : indiquez au moins un --membre délégant et un --membre délégué.")
    members = []
    while True:
        click.echo(f"\nMembre n° {len(members) + 1}")
        members.append(_ask_member(ask, register, protocol))
        roles = {m["role"] for m in members}
        if roles >= {"delegant", "delegue"} and not ask.yes("Ajouter un autre membre ?"):
            return members
        if not roles >= {"delegant", "delegue"}:
            click.echo("L'équipe doit compter au moins un délégant et un délégué : ajoutez le membre suivant.")


def _ask_member(ask: Asker, register: Register, protocol: dict[str, Any]) -> dict[str, Any]:
    refs = register.schemas.referentials
    known = _look_up(register)
    number = ask("RPPS (11 chiffres) ou ADELI (9 chiffres)", decl.identifier,
                 default=known.get("rpps") or known.get("adeli"))
    if not known:
        known = _same_number(ask, register, next(iter(number.values())))
    role = ask("Rôle : delegant ou delegue", lambda v: decl.pick_code(v, refs["role"], refs["role"].codes, "le rôle"))
    professions = decl.professions_for(protocol, role)
    modes = protocol.get("modes_exercice") or refs["mode_exercice"].codes
    member: dict[str, Any] = {
        **number,
        "nom_exercice": ask("Nom d'exercice", lambda v: decl.clean_text(v, "Le nom", 100), default=known.get("nom_exercice")),
        "prenom": ask("Prénom", lambda v: decl.clean_text(v, "Le prénom", 100), default=known.get("prenom")),
        "profession": ask(f"Profession ({', '.join(professions)})",
                          lambda v: decl.pick_code(v, refs["profession"], professions, "la profession pour ce rôle"),
                          default=professions[0] if len(professions) == 1 else None),
        "mode_exercice": ask(f"Mode d'exercice ({', '.join(modes)})",
                             lambda v: decl.pick_code(v, refs["mode_exercice"], modes, "le mode d'exercice"),
                             default=known.get("mode_exercice") if known.get("mode_exercice") in modes else None),
        "role": role,
    }
    if role == "delegue":
        member["formation"] = _ask_training(ask, protocol)
    return member


def _look_up(register: Register) -> dict[str, Any]:
    """Search the register by name or RPPS first, so that one person is spelled one way."""
    while True:
        query = click.prompt("Rechercher le professionnel dans le registre par son nom ou son RPPS "
                             "(Entrée pour le saisir directement)", default="", show_default=False).strip()
        if not query:
            return {}
        found = decl.find_members(register, query)[:MAX_LISTED]
        if not found:
            click.echo(f"  Aucun professionnel « {query} » dans le registre : saisissez-le.")
            return {}
        for number, member in enumerate(found, start=1):
            click.echo(f"  {number}. {member['prenom']} {member['nom_exercice']} — "
                       f"{'RPPS ' + member['rpps'] if 'rpps' in member else 'ADELI ' + member['adeli']} — "
                       f"{member['profession']} ({member['vu_dans']})")
        raw = click.prompt("Numéro du professionnel à reprendre (0 : aucun, nouvelle recherche)", default="0").strip()
        if raw.isdigit() and 1 <= int(raw) <= len(found):
            return found[int(raw) - 1]


def _same_number(ask: Asker, register: Register, number: str) -> dict[str, Any]:
    found = [m for m in decl.find_members(register, number) if number in (m.get("rpps"), m.get("adeli"))]
    if found and ask.yes(f"Ce numéro figure déjà au registre : {found[0]['prenom']} {found[0]['nom_exercice']}. "
                         "Reprendre cette orthographe ?", default=True):
        return found[0]
    return {}


def _ask_training(ask: Asker, protocol: dict[str, Any]) -> dict[str, Any]:
    required = protocol.get("formation", {}).get("duree_heures")
    hint = f" (le protocole exige {required:g} h)" if required else ""
    return {
        "date": ask("Date de fin de formation (AAAA-MM-JJ)", lambda v: decl.parse_date(v, "La date de formation")),
        "organisme": ask("Organisme de formation", lambda v: decl.clean_text(v, "L'organisme")),
        "duree_heures": ask(f"Durée de la formation en heures{hint}", lambda v: decl.parse_hours(v, "La durée"),
                            default=f"{required:g}" if required else None),
    }


# --- pieces -------------------------------------------------------------------------------------------------


def _pieces(ask: Asker, register: Register, members: list[dict[str, Any]], specs: tuple[str, ...]) -> list[dict[str, str]]:
    types = register.schemas.referentials["type_piece"]
    names = {m.get("rpps") or m.get("adeli"): f"{m['prenom']} {m['nom_exercice']}" for m in members}
    click.echo("\nPièces à déclarer (le fichier reste chez vous : seule son empreinte SHA-256 entre dans le registre) :")
    for kind, number in decl.checklist(members):
        click.echo(f"  [ ] {types.label(kind)}" + (f" — {names[number]} ({number})" if number else " — équipe"))
    pieces = [_piece_from_spec(spec, members, types) for spec in specs]
    if specs or not ask.interactive:
        return pieces
    while True:
        raw = click.prompt("Pièce à ajouter : TYPE:MEMBRE:CHEMIN_DU_FICHIER (MEMBRE vide pour l'équipe ; "
                           "Entrée pour terminer)", default="", show_default=False).strip()
        if not raw:
            return pieces
        try:
            pieces.append(_parse_piece(raw, members, types))
            click.echo(f"  ✓ {types.label(pieces[-1]['type'])} : {pieces[-1]['sha256']}")
        except InputError as err:
            click.echo(f"  ✗ {err}")


def _piece_from_spec(spec: str, members: list[dict[str, Any]], types: Any) -> dict[str, str]:
    try:
        return _parse_piece(spec, members, types)
    except InputError as err:
        raise refused(f"--piece « {spec[:80]} » : {err}") from None


def _parse_piece(spec: str, members: list[dict[str, Any]], types: Any) -> dict[str, str]:
    parts = spec.split(":", 2)
    if len(parts) != 3:
        raise InputError("écrivez TYPE:MEMBRE:CHEMIN, par exemple diplome:10000000009:~/pieces/diplome.pdf "
                         "ou declaration_commune::declaration.pdf")
    return decl.piece(parts[0], parts[1], parts[2], members, types, files_allowed=True)


# --- writing ------------------------------------------------------------------------------------------------


def _write_and_check(register: Register, rel: str, kind: str, data: dict[str, Any]) -> None:
    from ..checker import Options, validate
    from ..reporters import TextReporter
    from .fmt import FormatRefused, format_data

    try:
        text = format_data(kind, data, register.schemas)
    except FormatRefused as err:
        raise refused(str(err)) from None
    decl.write_new_file(register.root, rel, text)
    click.echo(f"\nFichier écrit : {rel}")
    report = validate(Options(root=register.root, paths=(rel,), draft=True))
    if report.findings:
        click.echo("Vérification (comme pour une pull request en brouillon) :")
        TextReporter(register.root).write(report, sys.stdout)
    else:
        click.echo("Vérification : aucune erreur, aucun avertissement.")
    if report.errors:
        click.echo("Corrigez ces erreurs dans le fichier avant d'ouvrir la pull request.")
        sys.exit(1)


def _next_steps(rel: str, branch: str, message: str) -> None:
    click.echo(
        "\nEt maintenant :\n"
        f"  1. git switch -c {branch}\n"
        f"  2. git add {rel}\n"
        f"  3. git commit -m \"{message}\"\n"
        f"  4. git push -u origin {branch}\n"
        "  5. Ouvrez la pull request sur GitHub (en brouillon tant que des pièces manquent) : "
        "la vérification automatique y répond, puis l'ARS de votre région l'instruit."
    )


# --- coop new protocole ---------------------------------------------------------------------------------------


def new_protocole(root: Path, region: str | None, slug: str | None, intitule: str | None, team: str | None,
                  promoters: tuple[str, ...], date_depot: str | None, delegants: tuple[str, ...], delegues: tuple[str, ...],
                  natures: tuple[str, ...], actes: tuple[str, ...], batch: bool) -> None:
    """Déposer un protocole local (statut « depose »), écrit par une équipe."""
    register = Register.load(root)
    ask = Asker(interactive=not batch)
    refs = register.schemas.referentials
    code = _ask_region(ask, register, region)

    def protocol_slug(raw: str) -> str:
        text = raw.strip()
        if not SLUG.fullmatch(text) or len(text) > 60:
            raise InputError("minuscules sans accent, chiffres et tirets, 60 caractères au plus (exemple : suivi-diabete).")
        if (register.root / PROTOCOLS_DIR / f"loc-{code}-{text}{YAML_SUFFIX}").exists():
            raise InputError(f"le protocole loc-{code}-{text} existe déjà : choisissez un autre nom.")
        return text

    name = ask("Nom court du protocole (minuscules et tirets : suivi-diabete)", protocol_slug, given=slug, option="--slug")
    data: dict[str, Any] = {
        "intitule": ask("Intitulé du protocole", lambda v: decl.clean_text(v, "L'intitulé", 2000), given=intitule,
                        option="--intitule"),
        "portee": "local",
        "statut": "depose",
        "region": code,
        "date_depot": ask("Date de dépôt (AAAA-MM-JJ)", lambda v: decl.parse_date(v, "La date de dépôt"), given=date_depot,
                          default=datetime.date.today().isoformat(), option="--date-depot"),
        "promoteurs": _list(ask, "Structure promotrice", promoters, lambda v: decl.clean_text(v, "Le promoteur"), "--promoteur"),
        "professions": {
            "delegants": _codes(ask, "Profession des délégants", delegants, refs["profession"], "--delegant"),
            "delegues": _codes(ask, "Profession des délégués", delegues, refs["profession"], "--delegue"),
        },
        "nature_actes": _codes(ask, "Nature des actes", natures, refs["nature_acte"], "--nature"),
        "actes_derogatoires": _list(ask, "Acte dérogatoire", actes, lambda v: decl.clean_text(v, "L'acte", 2000), "--acte"),
        "equipe_promotrice": ask("Identifiant de l'équipe promotrice", decl.team_id, given=team, option="--equipe"),
    }
    rel = f"{PROTOCOLS_DIR}/loc-{code}-{name}{YAML_SUFFIX}"
    _write_and_check(register, rel, "protocole", data)
    _next_steps(rel, f"protocole-loc-{code}-{name}", f"Dépôt du protocole local loc-{code}-{name}")


def _codes(ask: Asker, question: str, given: tuple[str, ...], referential: Any, option: str) -> list[str]:
    if given or ask.interactive:
        return _list(ask, f"{question} (code ou libellé)", given,
                     lambda v: decl.pick_code(v, referential, referential.codes, question.lower()), option)
    raise refused(f"Réponse manquante : indiquez au moins un {option}.")


def _list(ask: Asker, question: str, given: tuple[str, ...], convert: Callable[[str], str], option: str) -> list[str]:
    if given:
        return list(dict.fromkeys(ask(question, convert, given=value, option=option) for value in given))
    if not ask.interactive:
        raise refused(f"Réponse manquante : indiquez au moins un {option}.")
    values = [ask(question, convert)]
    while True:
        raw = click.prompt(f"{question} suivant (Entrée pour terminer)", default="", show_default=False)
        if not raw.strip():
            return list(dict.fromkeys(values))
        try:
            values.append(convert(raw))
        except InputError as err:
            click.echo(f"  ✗ {err}")
