"""`coop cle creer`, `coop dossier ouvrir`, `coop pieces verifier`: the ARS side of the dossier
a team sends without a GitHub account (docs/developpeurs/dossier.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..errors import CoopError
from ..textguards import for_terminal
from .options import resolve_root, root_option

# how each kind of piece finding counts: for a dossier opened, a missing piece makes a draft
OPENING_ERRORS = {"non-conforme", "en-double", "manifeste", "forme"}
CHECKING_ERRORS = {"manquante", "non-conforme", "en-double", "manifeste"}


@click.group("cle")
def key_group() -> None:
    """Clés de chiffrement des dossiers (une par agent de l'ARS)."""


@key_group.command("creer")
@click.option(
    "--region", required=True, metavar="CODE", help="Code INSEE de la région de l'agent (ex. 84)."
)
@click.option(
    "--sortie",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Fichier de clé à créer (par défaut : ~/.config/coop-ps/cles/ars-<région>-<date>.txt).",
)
@root_option
def create_key_command(region: str, sortie: Path | None, root: Path | None) -> None:
    """Créer la clé d'un agent de l'ARS et afficher la ligne à ajouter à relecteurs.yml.

    La clé secrète reste sur l'ordinateur de l'agent (lisible par elle seule), jamais
    dans le dépôt ; la clé publique affichée s'ajoute aux destinataires de la région.
    """
    from ..keys import create_identity

    register_root = _root_or_none(root)
    if register_root is not None:
        _known_region(register_root, region)
    key = create_identity(region, sortie, register_root)
    click.echo(
        f"Clé secrète créée : {key.path} (lisible par vous seule ; gardez-en une copie sur "
        "un support chiffré, jamais dans le dépôt ni dans un courriel)."
    )
    click.echo(
        f"\nAjoutez cette ligne à relecteurs.yml, région « {region} », sous dossier → destinataires :\n"
    )
    click.echo(
        f"        - {key.recipient}  # agent instructeur de l'ARS (rôle, jamais un nom ni un contact)"
    )


@click.group("dossier")
def dossier_group() -> None:
    """Dossiers de déclaration chiffrés reçus des équipes."""


@dossier_group.command("ouvrir")
@click.argument("fichier", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--identite",
    "identities",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Fichier de votre clé (répétable ; par défaut : les clés de ~/.config/coop-ps/cles).",
)
@click.option(
    "--pieces",
    "pieces_folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Dossier privé où ranger les pièces (par défaut : ~/coop-ps-pieces/<région>/…), hors du dépôt.",
)
@click.option("--pr", "open_pr", is_flag=True, help="Publier la branche et ouvrir la pull request.")
@click.option(
    "--base",
    metavar="REF",
    default=None,
    help="Branche de base (par défaut : origin/main, sinon main).",
)
@click.option(
    "--depot",
    metavar="ORGANISATION/DEPOT",
    default=None,
    help="Dépôt GitHub, avec --pr (par défaut : GITHUB_REPOSITORY, sinon celui de mkdocs.yml).",
)
@root_option
def open_command(
    fichier: Path,
    identities: tuple[Path, ...],
    pieces_folder: Path | None,
    open_pr: bool,
    base: str | None,
    depot: str | None,
    root: Path | None,
) -> None:
    """Ouvrir un dossier reçu, vérifier ses pièces et proposer la déclaration.

    Déchiffre FICHIER, vérifie chaque pièce par son empreinte, range les pièces dans un
    dossier privé hors du dépôt, contrôle la déclaration comme sa pull request et l'écrit
    sur une nouvelle branche declaration/<région>/<équipe>. Avec --pr, publie la branche
    et ouvre la pull request (en brouillon s'il manque des pièces).
    """
    from ..dossier import default_pieces_folder, store_pieces
    from ..gitops.declaration import base_for, commit_message, default_base, propose
    from ..reporters import REPORTERS

    register_root = resolve_root(root)
    api = _api(register_root, depot) if open_pr else None
    dossier, adhesion, pieces = _opened(fichier, list(identities), register_root)
    base_ref = base or default_base(register_root)
    base_for(
        register_root, dossier, base_ref
    )  # a dossier already opened stops here, nothing written
    folder = store_pieces(dossier, pieces_folder or default_pieces_folder(dossier), register_root)
    click.echo(f"Pièces rangées dans {folder} (lisibles par vous seule, hors du dépôt).\n")
    piece_errors = any(finding.kind in OPENING_ERRORS for finding in pieces.findings)
    proposal = propose(
        register_root,
        dossier,
        base_ref,
        commit_message(dossier, _team_name(adhesion)),
        draft=bool(pieces.missing),
    )
    click.echo("Contrôle de la déclaration (celui de sa pull request) :")
    REPORTERS["text"](register_root).write(proposal.report, sys.stdout)
    click.echo(
        f"\nBranche « {proposal.branch} » créée depuis {base_ref} : {dossier.adhesion_path}."
    )
    draft = bool(pieces.missing) or piece_errors or bool(proposal.report.errors)
    if api is not None:
        _open_pull_request(register_root, api, proposal, base_ref, dossier, pieces, adhesion, draft)
    sys.exit(1 if proposal.report.errors or piece_errors else 0)


def _opened(path: Path, identities: list[Path], root: Path) -> tuple[Any, Any, Any]:
    """Decrypt and read the dossier, check its pieces and say what it holds."""
    from ..dossier import decrypt, open_dossier, read_encrypted
    from ..keys import load_identities
    from ..pieces import check_pieces, declared_pieces

    plaintext = decrypt(read_encrypted(path), load_identities(identities), path.name)
    dossier, findings = open_dossier(plaintext, path.name)
    adhesion = _adhesion_data(dossier.adhesion)
    labels = _labels(root)
    pieces = check_pieces(declared_pieces(adhesion), dossier.received(), labels, named=True)
    pieces.findings[:0] = (
        findings + _date_findings(dossier, adhesion) + _form_findings(dossier, root)
    )
    click.echo(
        for_terminal(
            f"Dossier « {path.name} » ouvert : équipe « {_team_name(adhesion) or dossier.team} », "
            f"protocole {dossier.protocol}, région {dossier.region}, préparé le {dossier.created}."
        )
    )
    _show_pieces(pieces, OPENING_ERRORS, labels)
    return dossier, adhesion, pieces


def _open_pull_request(
    root: Path,
    api: Any,
    proposal: Any,
    base_ref: str,
    dossier: Any,
    pieces: Any,
    adhesion: Any,
    draft: bool,
) -> None:
    from ..gitops.declaration import open_pull_request, pull_request_body

    title = f"Déclaration d'adhésion : {_team_name(adhesion) or dossier.team} ({dossier.protocol})"
    address = open_pull_request(
        root,
        api,
        proposal,
        base_ref.removeprefix("origin/"),
        title,
        pull_request_body(dossier, pieces, draft),
        draft=draft,
    )
    click.echo(f"Pull request ouverte{' en brouillon' if draft else ''} : {address}")


@click.group("pieces")
def pieces_group() -> None:
    """Pièces justificatives reçues hors du dépôt."""


@pieces_group.command("verifier")
@click.argument("adhesion", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.argument("dossier", type=click.Path(exists=True, path_type=Path))
@root_option
def check_pieces_command(adhesion: Path, dossier: Path, root: Path | None) -> None:
    """Vérifier des pièces reçues (un dossier ou une archive ZIP) contre une adhésion.

    Dit, par son empreinte, quelle pièce déclarée est chaque fichier, et lesquelles
    manquent, sont en trop ou servent pour deux membres.
    """
    from ..dossier import read_received
    from ..pieces import check_pieces, declared_pieces

    register_root = _root_or_none(root)  # outside a register, piece types are shown as codes
    data = _adhesion_data(_read_file(adhesion))
    if not isinstance(data, dict) or not isinstance(data.get("pieces"), list):
        raise CoopError(
            f"« {adhesion} » n'a pas de liste de pièces (`pieces`) : est-ce bien le fichier "
            "d'une adhésion ?",
            exit_code=1,
        )
    labels = _labels(register_root) if register_root else {}
    pieces = check_pieces(declared_pieces(data), read_received(dossier), labels)
    _show_pieces(pieces, CHECKING_ERRORS, labels)
    sys.exit(1 if any(finding.kind in CHECKING_ERRORS for finding in pieces.findings) else 0)


def _show_pieces(pieces: Any, errors: set[str], labels: dict[str, str]) -> None:
    click.echo(
        f"Pièces : {len(pieces.recognised())} reconnues sur {len(pieces.declared)} déclarées."
    )
    for received, piece in pieces.matches:
        click.echo(for_terminal(f"  ✓ {received.name} : {piece.label(labels)}"))
    for finding in pieces.findings:
        severity = "Erreur" if finding.kind in errors else "Avertissement"
        click.echo(for_terminal(f"  {severity} : {finding.message}"))


def _adhesion_data(raw: bytes) -> Any:
    from ..reading import read_bytes

    doc = read_bytes("adhesion.yml", raw)
    errors = [finding for finding in doc.findings if finding.severity == "error"]
    if errors:
        raise CoopError(
            f"L'adhésion ne se lit pas (ligne {errors[0].line}) : {errors[0].message}", exit_code=1
        )
    return doc.data


def _date_findings(dossier: Any, adhesion: Any) -> list[Any]:
    from ..pieces import MANIFEST, PieceFinding

    declared = str(adhesion.get("date_declaration")) if isinstance(adhesion, dict) else ""
    if declared == dossier.created:
        return []
    return [
        PieceFinding(
            MANIFEST,
            f"Le dossier est daté du {dossier.created}, mais l'adhésion déclare "
            f"le {declared or '(sans date)'} : ils devraient être le même jour.",
        )
    ]


def _form_findings(dossier: Any, root: Path) -> list[Any]:
    """The adhesion must be in `coop formater`'s form, byte for byte: the pull request checks it."""
    from ..authoring.fmt import FormatRefused, format_text
    from ..pieces import PieceFinding
    from ..schema import Schemas

    try:
        canonical = format_text(
            "adhesion", dossier.adhesion.decode("utf-8"), Schemas(root), dossier.adhesion_path
        )
    except (UnicodeDecodeError, FormatRefused):
        return []  # the check of the declaration says what is wrong
    if canonical.encode("utf-8") == dossier.adhesion:
        return []
    return [
        PieceFinding(
            "forme",
            "L'adhésion du dossier n'est pas sous sa forme canonique (celle de « coop formater ») : "
            "la vérification de la pull request le signalera. Lancez « coop formater » sur la "
            "branche, puis validez la modification.",
        )
    ]


def _team_name(adhesion: Any) -> str:
    team = adhesion.get("equipe") if isinstance(adhesion, dict) else None
    name = team.get("nom") if isinstance(team, dict) else None
    return for_terminal(" ".join(name.split())[:120]) if isinstance(name, str) else ""


def _labels(root: Path) -> dict[str, str]:
    from ..schema import Schemas

    return dict(Schemas(root).referentials["type_piece"].labels)


def _read_file(path: Path) -> bytes:
    from ..paths import SpecialFile, read_regular

    try:
        return read_regular(path, limit=4 * 1024 * 1024)
    except (OSError, SpecialFile) as err:
        raise CoopError(
            f"« {path} » est illisible ({getattr(err, 'strerror', None) or err})."
        ) from None


def _known_region(root: Path, region: str) -> None:
    from ..schema import Schemas

    if region not in Schemas(root).referentials["region"].codes:
        raise CoopError(
            f"Région inconnue : « {region} » (code INSEE à deux chiffres, par exemple 84)."
        )


def _root_or_none(root: Path | None) -> Path | None:
    try:
        return resolve_root(root)
    except CoopError:
        return None


def _api(root: Path, depot: str | None) -> Any:
    import os

    from ..gitops import deployment
    from ..gitops.github import GitHub

    if not depot and not os.environ.get("GITHUB_REPOSITORY"):
        try:
            place = deployment.load(root)
            depot = f"{place.organisation}/{place.repository}"
        except CoopError:
            depot = None
    return GitHub.from_environment(depot)
