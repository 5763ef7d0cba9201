"""Commands that write data files for people: `coop nouveau` (wizard), `coop formater`
(canonical form) and `coop depuis-issue` (issue form → adhesion file).
None of them ever overwrites a file it was not asked to change."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

import click

from ..authoring import declaration as decl
from ..errors import refused
from .options import resolve_root, root_option


@click.command("formater")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[CHEMIN]...")
@root_option
@click.option(
    "--verifier",
    "check",
    is_flag=True,
    help="Ne rien écrire : lister les fichiers à reformater (code de sortie 1 s'il y en a).",
)
def fmt_command(paths: tuple[Path, ...], root: Path | None, check: bool) -> None:
    """Écrire les protocoles et les adhésions sous leur forme canonique.

    Ordre des clés du schéma, identifiants entre guillemets, dates AAAA-MM-JJ,
    listes en colonne, commentaires conservés. Sans CHEMIN : tout le registre.
    """
    from ..authoring.fmt import FileResult, format_file, selected_files
    from ..schema import Schemas

    base = resolve_root(root)
    schemas = Schemas(base)
    results: list[FileResult] = [
        format_file(base, rel, schemas, check=check) for rel in selected_files(base, paths)
    ]
    for result in results:
        if result.status == "reformate":
            click.echo(f"{'À reformater' if check else 'Reformaté'} : {result.path}")
        elif result.status == "refuse":
            click.echo(
                f"Refusé : {result.path} : {result.message} Le fichier n'a pas été modifié.",
                err=True,
            )
    changed = sum(r.status == "reformate" for r in results)
    failed = sum(r.status == "refuse" for r in results)
    click.echo(_fmt_summary(len(results), changed, failed, check))
    sys.exit(1 if failed or (check and changed) else 0)


def _fmt_summary(total: int, changed: int, failed: int, check: bool) -> str:
    verb = "à reformater" if check else "reformaté(s)"
    text = f"{total} fichier(s) examiné(s), {changed} {verb}"
    if failed:
        text += f", {failed} refusé(s) (corrigez-les d'abord : `coop verifier`)"
    if check and changed:
        text += " : lancez `coop formater` puis committez le résultat"
    return text + "."


@click.group("nouveau")
def new_group() -> None:
    """Créer une adhésion ou un protocole local, question par question."""


@new_group.command("adhesion")
@root_option
@click.option("--region", help="Code INSEE de la région (exemple : 84).")
@click.option("--protocole", "protocol_id", help="Identifiant du protocole dans le catalogue.")
@click.option("--recherche", help="Mot-clé pour chercher le protocole dans le catalogue.")
@click.option(
    "--equipe",
    "team",
    help="Identifiant de l'équipe : minuscules, chiffres, tirets (msp-des-tilleuls) ; "
    "par défaut, tiré du nom.",
)
@click.option("--nom", help="Nom de l'équipe ou de la structure.")
@click.option("--structure", help="Type de structure (msp, centre_sante…).")
@click.option("--commune", help="Commune de la structure.")
@click.option("--code-postal", help="Code postal de la structure.")
@click.option("--date", "date_declaration", help="Date de déclaration (par défaut : aujourd'hui).")
@click.option(
    "--membre",
    "members",
    multiple=True,
    metavar="LIGNE",
    help=f"Un membre : « {decl.MEMBER_FIELDS} » (+ « ; {decl.TRAINING_FIELDS} » pour un délégué). Répétable.",
)
@click.option(
    "--piece",
    "pieces",
    multiple=True,
    metavar="TYPE:MEMBRE:CHEMIN",
    help="Une pièce : type, RPPS/ADELI du membre (vide pour l'équipe), fichier local dont l'empreinte est calculée.",
)
@click.option(
    "--non-interactif",
    "batch",
    is_flag=True,
    help="Ne poser aucune question : tout vient des options.",
)
def new_adhesion_command(
    root: Path | None,
    region: str | None,
    protocol_id: str | None,
    recherche: str | None,
    team: str | None,
    nom: str | None,
    structure: str | None,
    commune: str | None,
    code_postal: str | None,
    date_declaration: str | None,
    members: tuple[str, ...],
    pieces: tuple[str, ...],
    batch: bool,
) -> None:
    """Déclarer l'adhésion d'une équipe à un protocole autorisé."""
    from ..authoring.adhesion_wizard import Given, new_adhesion

    given = Given(
        region,
        protocol_id,
        recherche,
        team,
        nom,
        structure,
        commune,
        code_postal,
        date_declaration,
        members,
        pieces,
    )
    new_adhesion(resolve_root(root), given, batch)


@new_group.command("protocole")
@root_option
@click.option("--region", help="Code INSEE de la région (exemple : 84).")
@click.option(
    "--identifiant",
    "slug",
    help="Fin de l'identifiant : loc-<région>-<slug> (minuscules, chiffres, tirets).",
)
@click.option("--intitule", help="Intitulé du protocole.")
@click.option(
    "--equipe", "team", help="Identifiant de l'équipe promotrice (celui de son adhésion)."
)
@click.option(
    "--promoteur", "promoters", multiple=True, help="Structure qui dépose le protocole. Répétable."
)
@click.option("--date-depot", help="Date de dépôt (par défaut : aujourd'hui).")
@click.option("--delegant", "delegants", multiple=True, help="Profession des délégants. Répétable.")
@click.option("--delegue", "delegues", multiple=True, help="Profession des délégués. Répétable.")
@click.option(
    "--nature",
    "natures",
    multiple=True,
    help="Nature des actes (realisation, prescription…). Répétable.",
)
@click.option("--acte", "actes", multiple=True, help="Acte dérogatoire. Répétable.")
@click.option(
    "--non-interactif",
    "batch",
    is_flag=True,
    help="Ne poser aucune question : tout vient des options.",
)
def new_protocole_command(
    root: Path | None,
    region: str | None,
    slug: str | None,
    intitule: str | None,
    team: str | None,
    promoters: tuple[str, ...],
    date_depot: str | None,
    delegants: tuple[str, ...],
    delegues: tuple[str, ...],
    natures: tuple[str, ...],
    actes: tuple[str, ...],
    batch: bool,
) -> None:
    """Déposer un protocole local (statut « depose »), écrit par une équipe."""
    from ..authoring.wizard import new_protocole

    new_protocole(
        resolve_root(root),
        region,
        slug,
        intitule,
        team,
        promoters,
        date_depot,
        delegants,
        delegues,
        natures,
        actes,
        batch,
    )


@click.command("depuis-issue")
@click.argument(
    "source",
    default="-",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    metavar="[SOURCE]",
)
@root_option
@click.option(
    "--sortie-standard",
    "to_stdout",
    is_flag=True,
    help="Afficher le fichier YAML au lieu de l'écrire.",
)
@click.option(
    "--date",
    "today",
    help="Date de déclaration quand l'issue n'en donne pas (par défaut : aujourd'hui).",
)
@click.option(
    "--resultat",
    "result_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Dossier où écrire l'état, le commentaire de l'issue et le fichier (workflow du formulaire).",
)
@click.option(
    "--fichier-en-cours",
    "in_progress",
    multiple=True,
    metavar="CHEMIN",
    help="Fichier d'adhésion déjà proposé par une autre déclaration ouverte du même "
    "auteur (répétable) : une déclaration pour ce même fichier est refusée, les "
    "autres sont traitées.",
)
@click.option(
    "--autre-declaration",
    "other_open",
    multiple=True,
    type=click.IntRange(min=1),
    metavar="NUMERO",
    help="Obsolète, sans effet : un auteur peut avoir plusieurs déclarations ouvertes "
    "(une par équipe et par protocole, voir --fichier-en-cours).",
)
def from_issue_command(
    source: Path,
    root: Path | None,
    to_stdout: bool,
    today: str | None,
    result_dir: Path | None,
    in_progress: tuple[str, ...],
    other_open: tuple[int, ...],
) -> None:
    """Transformer une issue « Déclarer une adhésion » en fichier d'adhésion.

    SOURCE est le texte de l'issue (fichier, ou - pour l'entrée standard).
    En cas d'erreur, la liste des corrections est affichée (code de sortie 1).
    Avec --resultat, le contrôle complet du fichier est fait comme pour une pull request
    en brouillon, et le dossier reçoit etat.txt, commentaire.md (dans les mots du
    formulaire) et fichier.yml ; le code de sortie est 0 (le workflow lit etat.txt).
    Dans GitHub Actions, le chemin du fichier écrit est ajouté à $GITHUB_OUTPUT (chemin=…).
    """
    from ..authoring.fmt import FormatRefused, format_data
    from ..authoring.from_issue import MAX_BODY_BYTES, error_report, parse_issue
    from ..register import Register

    base = resolve_root(root)
    body = _read_body(source, MAX_BODY_BYTES)
    try:
        day = datetime.date.fromisoformat(today) if today else datetime.date.today()
    except ValueError:
        raise refused(f"--date : « {today} » n'est pas une date AAAA-MM-JJ.") from None
    if result_dir is not None:
        from ..authoring import issue_loop

        issue_loop.refuse_linked_results(base, result_dir)
        if other_open:
            click.echo(
                "Avertissement : --autre-declaration est obsolète et sans effet "
                "(voir --fichier-en-cours).",
                err=True,
            )
        proposed = tuple(path.strip().removeprefix("./") for path in in_progress)
        outcome = issue_loop.answer(base, body, day, proposed)
        issue_loop.write(outcome, base, result_dir)
        click.echo(outcome.state(), nl=False)
        return
    register = Register.load(base)
    if body is None:
        click.echo(
            error_report(
                [
                    f"Le texte de l'issue dépasse {MAX_BODY_BYTES // 1024} Kio : une déclaration tient en "
                    "quelques lignes. Retirez ce qui n'a pas été demandé par le formulaire."
                ]
            )
        )
        sys.exit(1)
    parsed = parse_issue(body, register, day)
    if parsed.errors:
        click.echo(error_report(parsed.errors))
        sys.exit(1)
    try:
        text = format_data("adhesion", parsed.data, register.schemas)
    except FormatRefused as err:
        raise refused(str(err)) from None
    if to_stdout:
        click.echo(text, nl=False)
        return
    decl.write_new_file(register.root, parsed.path, text)
    _github_output(parsed.path)
    click.echo(f"Fichier écrit : {parsed.path}")


def _read_body(source: Path, limit: int) -> str | None:
    """The issue text (at most `limit` bytes), or None when it is longer."""
    if str(source) == "-":
        raw = (
            sys.stdin.buffer.read(limit + 1)
            if hasattr(sys.stdin, "buffer")
            else sys.stdin.read().encode()
        )
    else:
        try:
            with source.open("rb") as stream:
                raw = stream.read(limit + 1)
        except OSError as err:
            raise refused(f"Impossible de lire « {source} » ({err.strerror}).") from None
    return None if len(raw) > limit else raw.decode("utf-8", errors="replace")


def _github_output(rel: str) -> None:
    target = os.environ.get("GITHUB_OUTPUT")
    if target:
        with open(target, "a", encoding="utf-8") as stream:
            stream.write(f"chemin={rel}\n")
