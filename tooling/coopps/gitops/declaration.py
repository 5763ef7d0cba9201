"""A dossier's adhesion proposed to the register: a commit on a new branch
`declaration/<region>/<equipe>`, checked as its pull request would be, then (on request) pushed
and proposed through GitHub's API.

The commit is made from git objects (`git.commit_file`): the agent's work tree and index are
left as they are. The check runs in a temporary linked work tree at that commit, with the base
as `--base`, exactly what the pull request's workflow will run.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..checker import Options, validate
from ..dossier import Dossier
from ..errors import CoopError, refused
from ..findings import Report
from ..pieces import PieceCheck
from . import git as gitrepo
from .github import GitHub


@dataclass(frozen=True)
class Proposal:
    branch: str
    commit: str
    base_sha: str
    report: Report


def branch_name(dossier: Dossier) -> str:
    return f"declaration/{dossier.region}/{dossier.team}"


def default_base(root: Path) -> str:
    """`origin/main` when the clone has it (the register as published), else `main`."""
    return "origin/main" if gitrepo.resolve(root, "origin/main") else "main"


def commit_message(dossier: Dossier, team_name: str) -> str:
    return (
        f"Déclaration d'adhésion : {team_name or dossier.team} ({dossier.team})\n\n"
        f"Protocole : {dossier.protocol}\nRégion : {dossier.region}\n"
        f"Dossier préparé par l'équipe le {dossier.created} (date de déclaration).\n"
        "Reçu chiffré et ouvert par l'ARS avec « coop dossier ouvrir » ; les pièces sont "
        "conservées par l'ARS, hors du dépôt.\n\n"
        f"Equipe: {dossier.team}\nDossier-du: {dossier.created}\n"
    )


def base_for(root: Path, dossier: Dossier, base_ref: str) -> str:
    """The base's commit, once sure the dossier can be proposed on it (before anything is written)."""
    if not gitrepo.is_repository(root):
        raise CoopError(
            f"« {root} » n'est pas une copie git du registre : la déclaration s'écrit sur "
            "une branche du dépôt (clonez-le d'abord)."
        )
    base_sha = gitrepo.resolve(root, base_ref)
    if base_sha is None:
        raise CoopError(
            f"La branche de base « {base_ref} » est introuvable : récupérez-la "
            "(`git fetch origin`) ou indiquez --base."
        )
    branch = branch_name(dossier)
    if gitrepo.branch_exists(root, branch):
        raise refused(
            f"La branche « {branch} » existe déjà : ce dossier a sans doute déjà été ouvert. "
            "Supprimez-la d'abord si vous voulez recommencer."
        )
    if gitrepo.file_at(root, base_sha, dossier.adhesion_path) == dossier.adhesion:
        raise refused(
            f"« {dossier.adhesion_path} » est déjà au registre, identique : rien à proposer."
        )
    return base_sha


def propose(root: Path, dossier: Dossier, base_ref: str, message: str, *, draft: bool) -> Proposal:
    """Commit the adhesion on its new branch and check it against `base_ref`."""
    base_sha = base_for(root, dossier, base_ref)
    branch = branch_name(dossier)
    commit = gitrepo.commit_file(root, base_sha, dossier.adhesion_path, dossier.adhesion, message)
    report = check_commit(root, commit, base_sha, dossier.adhesion_path, draft=draft)
    gitrepo.create_branch(root, branch, commit)
    return Proposal(branch, commit, base_sha, report)


def check_commit(root: Path, commit: str, base_sha: str, rel: str, *, draft: bool) -> Report:
    """`coop verifier --base` on `rel` as of `commit`, in a temporary work tree."""
    with tempfile.TemporaryDirectory(prefix="coop-declaration-") as folder:
        tree = Path(folder) / "registre"
        gitrepo.add_detached_worktree(root, tree, commit)
        try:
            return validate(Options(root=tree, paths=(rel,), draft=draft, base=base_sha))
        finally:
            gitrepo.remove_worktree(root, tree)


def open_pull_request(
    root: Path,
    api: GitHub,
    proposal: Proposal,
    base_branch: str,
    title: str,
    body: str,
    *,
    draft: bool,
) -> str:
    """Push the branch to `origin` and open its pull request; its address."""
    gitrepo.push_branch(root, "origin", proposal.branch)
    answer = api.post(
        "pulls",
        {
            "title": title,
            "head": proposal.branch,
            "base": base_branch,
            "body": body,
            "draft": draft,
        },
    )
    if not isinstance(answer, dict) or not isinstance(answer.get("number"), int):
        raise CoopError(
            "GitHub n'a pas confirmé la création de la pull request : vérifiez-la sur le site."
        )
    region = proposal.branch.split("/")[1]
    # the labels the issue path puts: the region's queue (`coop instruction`) lists by them
    api.post(f"issues/{answer['number']}/labels", {"labels": [f"region-{region}", "adhesion"]})
    return str(answer.get("html_url") or f"#{answer['number']}")


def pull_request_body(dossier: Dossier, pieces: PieceCheck, draft: bool) -> str:
    """The pull request's description: what was received, never a document nor a contact."""
    total, seen = len(pieces.declared), len(pieces.recognised())
    lines = [
        f"Déclaration reçue par dossier chiffré, préparé par l'équipe le {dossier.created}, "
        "ouvert par l'ARS avec `coop dossier ouvrir`.",
        "",
        f"- Protocole : `{dossier.protocol}` ; région : {dossier.region} ; équipe : `{dossier.team}`",
        f"- Pièces vérifiées par leur empreinte : {seen} sur {total}",
    ]
    lines += [f"- Pièce n° {finding.piece} : manquante" for finding in pieces.missing]
    lines += ["", "Les pièces sont conservées par l'ARS, hors du dépôt."]
    if draft:
        lines += [
            "",
            "**Brouillon** : des pièces manquent ou des contrôles échouent ; l'ARS "
            "les demande à l'équipe avant de passer la déclaration en revue.",
        ]
    return "\n".join(lines)
