"""What the « Attestation de déclaration d'adhésion » says, gathered from the register and git.

The team, its structure and commune; the protocol with its arrêté (« non connu »
when the protocol file does not say: never a guess); the members with their
profession and role; the declaration date; the instruction date, read from the
history like `coop statut` (« instruite le »: the merge, or the activation of an
imported file); the region's ARS. A declaration not yet merged still gets its
attestation, marked « Déclaration non encore instruite ».

The attestation names people: it is private. It is written only outside the
folders the register publishes or holds data in (`destination_problem`), never
through a symbolic link, and never on the site.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..attestation_pdf import NOT_KNOWN, Attestation, Member
from ..errors import CoopError, refused
from ..paths import ADHESIONS_DIR, PROTOCOLS_DIR, SCHEMAS_DIR, YAML_SUFFIX
from ..register import Entry, load_entry
from ..schema import Referential, Schemas
from ..wording import french_date
from . import git
from .history import load_history
from .timeline import adhesion_dates, effective_status, protocol_path_of, today_iso

# Folders of the register where a private file must never land: data, rules, the site's
# sources and its build (mkdocs `docs_dir` and `site_dir`), the theme overrides.
PUBLIC_FOLDERS = (
    PROTOCOLS_DIR,
    ADHESIONS_DIR,
    SCHEMAS_DIR,
    "docs",
    "site",
    "overrides",
    ".github",
)


def gather(root: Path, rel: str, ref: str, today: str | None = None) -> Attestation:
    """The attestation of the adhesion `rel` (register-relative), dated by the history of `ref`."""
    schemas = Schemas(root)
    entry = _adhesion_entry(root, rel, schemas)
    protocol = _protocol_data(root, rel, schemas)
    sha = git.resolve(root, ref) if git.is_repository(root) else None
    if git.is_repository(root) and sha is None:
        raise CoopError(
            f"« {ref} » ne désigne aucun commit de ce dépôt : "
            "indiquez une branche ou un commit (--ref)."
        )
    dates = adhesion_dates(rel, entry.data, protocol or None, load_history(root, ref), today)
    status = effective_status(dates)
    referentials = schemas.referentials
    day = today or today_iso()
    return Attestation(
        ars=f"Agence régionale de santé {referentials['region'].label(entry.where.region)}",
        team=_team_lines(entry, referentials),
        protocol=_protocol_lines(entry.where.protocol_id, protocol),
        members=tuple(_member(m, referentials) for m in entry.data["membres"]),
        dates=_date_lines(
            entry.data, dates.reprise, status.instructed, status.pr, status.phrase, day
        ),
        source=_source(rel, sha, day),
        instructed=status.instructed is not None,
    )


def _adhesion_entry(root: Path, rel: str, schemas: Schemas) -> Entry:
    entry = load_entry(root, rel, schemas)
    if entry.where.kind != "adhesion" or entry.where.problem:
        raise CoopError(
            f"« {rel} » n'est pas un fichier d'adhésion : indiquez "
            "`adhesions/<code région>/<protocole>/<équipe>.yml`."
        )
    if not entry.valid:
        raise refused(
            f"« {rel} » n'est pas valide : lancez `coop verifier {rel}` et corrigez-le d'abord."
        )
    return entry


def _protocol_data(root: Path, rel: str, schemas: Schemas) -> dict[str, Any]:
    path = protocol_path_of(rel)
    if not (root / path).is_file():
        return {}
    entry = load_entry(root, path, schemas)
    return entry.data if entry.valid else {}


def _team_lines(entry: Entry, referentials: dict[str, Referential]) -> tuple[tuple[str, str], ...]:
    team = entry.data["equipe"]
    return (
        ("Nom de l'équipe", team["nom"]),
        ("Structure", referentials["cadre_exercice"].label(team["structure"])),
        ("Commune", f"{team['commune']} ({team['code_postal']})"),
        ("Identifiant", entry.where.team_id),
    )


def _protocol_lines(protocol_id: str, protocol: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    block = protocol.get("arrete")
    arrete: dict[str, Any] = block if isinstance(block, dict) else {}
    date = arrete.get("date")
    reference = arrete.get("reference")
    return (
        ("Intitulé", str(protocol.get("intitule") or NOT_KNOWN)),
        ("Identifiant", protocol_id),
        ("Date de l'arrêté", french_date(date) if isinstance(date, str) else NOT_KNOWN),
        ("Référence de l'arrêté", reference if isinstance(reference, str) else "non connue"),
    )


def _member(member: dict[str, Any], referentials: dict[str, Referential]) -> Member:
    kind = "RPPS" if member.get("rpps") else "ADELI"
    return Member(
        name=f"{member['prenom']} {member['nom_exercice']}",
        profession=referentials["profession"].label(member["profession"]),
        role=referentials["role"].label(member["role"]),
        identifier=f"{kind} {member.get('rpps') or member.get('adeli')}",
    )


def _date_lines(
    data: dict[str, Any],
    reprise: Any,
    instructed: str | None,
    pr: int | None,
    phrase: str,
    today: str,
) -> tuple[tuple[str, str], ...]:
    lines = [("Déclarée à l'ARS le", french_date(data["date_declaration"]))]
    if instructed is None:
        return (*lines, ("Instruction", "déclaration non encore instruite"))
    via = f" (pull request n° {pr})" if pr else ""
    lines.append(("Instruite par l'ARS le", f"{french_date(instructed)}{via}"))
    if reprise is not None:
        reference = f", référence {reprise.reference}" if reprise.reference else ""
        lines.append(("Historique repris de", f"{reprise.source_label}{reference}"))
    lines.append((f"Statut au {french_date(today)}", phrase))
    return tuple(lines)


def _source(rel: str, sha: str | None, today: str) -> str:
    commit = f", commit {sha[:12]}" if sha else ""
    return (
        f"Attestation établie le {french_date(today)} à partir du registre des protocoles de "
        f"coopération (fichier {rel}{commit})."
    )


def default_name(rel: str) -> str:
    """`attestation-<équipe>.pdf` for the adhesion `rel`."""
    return f"attestation-{rel.rsplit('/', 1)[-1].removesuffix(YAML_SUFFIX)}.pdf"


def destination_problem(root: Path, target: Path) -> str | None:
    """Why the attestation may not be written at `target` (French), or None. `target` is taken
    as written (absolute, `..` folded, links not followed: `paths.write_atomically`
    refuses them)."""
    if target.suffix.lower() != ".pdf":
        return f"« {target} » : le nom du fichier de l'attestation se termine par `.pdf`."
    full = Path(os.path.realpath(os.path.abspath(target.parent))) / target.name
    try:
        parts = full.relative_to(root.resolve()).parts
    except ValueError:
        return None
    if len(parts) > 1 and parts[0] in PUBLIC_FOLDERS:
        return (
            f"« {target} » est dans le dossier `{parts[0]}/` du registre, qui est publié "
            "ou contient ses données : l'attestation nomme des personnes et reste privée. "
            "Écrivez-la ailleurs (--sortie /chemin/hors/du/registre/attestation.pdf)."
        )
    return None
