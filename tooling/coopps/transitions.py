"""Layer 4: what a pull request may change, judged against its base branch.

Only the files changed since the merge base are looked at, and only their base
versions are read from git (one `git cat-file --batch`): the cost follows the
size of the change, never the size of the register.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .findings import Finding, make_finding
from .gitops import git as gitrepo
from .gitops.reviewers import REVIEWERS_FILE, Reviewers, reviewers_from_bytes
from .instructed import instructed_identity, kept_end
from .paths import ADHESIONS_DIR, classify
from .reading import SUBMODULE_MESSAGE, SYMLINK_MESSAGE, read_bytes
from .register import Entry, Register

# Each protocol status and the statuses a pull request may move it to next.
STATUS_GRAPH: dict[str, tuple[str, ...]] = {
    "depose": ("en_instruction", "refuse"),
    "en_instruction": ("avis_has", "refuse"),
    "avis_has": ("autorise", "refuse"),
    "autorise": ("arrete",),
    "refuse": (),
    "arrete": (),
}


def reachable(status: str) -> set[str]:
    """Every status reachable forward from `status` (one PR may record several steps)."""
    seen: set[str] = set()
    todo = list(STATUS_GRAPH.get(status, ()))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(STATUS_GRAPH.get(current, ()))
    return seen


DECLARATION_LEEWAY_DAYS = 31  # a declaration dated further before the file's first commit is warned about


def is_allowed_move(old: str, new: str) -> bool:
    return old == new or old not in STATUS_GRAPH or new in reachable(old)


@dataclass(frozen=True)
class Approval:
    """Who may vouch for a pull request's suspension changes: its author, the logins that approved it."""

    author: str | None = None
    approvers: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transition:
    """One changed data file: its base content (None when added) and its head entry (None when deleted)."""

    change: gitrepo.Change
    base: dict[str, Any] | None
    head: Entry | None


@dataclass(frozen=True)
class Context:
    """What every transition rule may ask: who reviews (the base branch's register), who asks and who approved,
    and when each added adhesion was first committed."""

    reviewers: Reviewers
    approval: Approval
    first_commits: dict[str, str]


def check_transitions(register: Register, pr: gitrepo.PullRequest, approval: Approval | None = None,
                      reviewers: Reviewers | None = None) -> list[Finding]:
    """Findings of every transition rule for the changes since merge-base(`base`, HEAD).

    `reviewers` is the reviewers register of the base (by default the base's blob of relecteurs.yml)."""
    base_sha = pr.base_sha
    changes = [c for c in pr.changes if c.path.endswith(".yml")]
    added = any(c.status == "A" and c.path.startswith(ADHESIONS_DIR + "/") for c in changes)
    if reviewers is None:
        blob = f"{base_sha}:{REVIEWERS_FILE}"
        reviewers = reviewers_from_bytes(gitrepo.read_blobs(register.root, [blob]).get(blob))
    context = Context(
        reviewers=reviewers,
        approval=approval or Approval(),
        first_commits=gitrepo.first_added(register.root, base_sha, ADHESIONS_DIR) if added else {},
    )
    findings: list[Finding] = [*_special_entries(pr), *_tooling(pr, context)]
    for transition in _transitions(register, base_sha, changes):
        findings.extend(_check(transition, register, context))
    return findings


def _special_entries(pr: gitrepo.PullRequest) -> Iterator[Finding]:
    """Gitlinks and symlinks committed under the data folders: what git holds, whatever the disk shows."""
    for kind, path in pr.special_entries:
        if kind == "lien":
            yield make_finding("lien-symbolique", path, 1, SYMLINK_MESSAGE)
        else:
            yield make_finding("sous-module", path, 1, SUBMODULE_MESSAGE)


def _tooling(pr: gitrepo.PullRequest, context: Context) -> Iterator[Finding]:
    """Tooling, workflows and documentation change only with a maintainer (base's relecteurs.yml):
    whatever a pull request does to them, its own check stays red until one approves it."""
    if not pr.other_changes:
        return
    logins = (context.approval.author, *context.approval.approvers)
    if any(context.reviewers.is_maintainer(login) for login in logins):
        return
    shown = ", ".join(f"« {path} »" for path in pr.other_changes[:5])
    more = len(pr.other_changes) - 5
    yield make_finding("outillage-reserve-mainteneurs", pr.other_changes[0], 1, (
        f"Cette pull request modifie {shown}{f' et {more} autre(s) fichier(s)' if more > 0 else ''}, "
        "qui ne sont ni des adhésions, ni des protocoles, ni des règles du registre : l'outillage, "
        "les workflows et la documentation ne changent qu'avec l'approbation d'un mainteneur "
        "(relecteurs.yml de la branche de base). Retirez ces fichiers de la pull request, ou "
        "demandez à un mainteneur de l'approuver : le contrôle sera relancé."
    ))


def _transitions(register: Register, base_sha: str, changes: list[gitrepo.Change]) -> Iterator[Transition]:
    entries = {entry.path: entry for entry in register.entries}
    specs = {c.path: f"{base_sha}:{c.old_path or c.path}" for c in changes if c.status != "A"}
    blobs = gitrepo.read_blobs(register.root, specs.values())
    for change in changes:
        raw = blobs.get(specs.get(change.path, ""))
        base_data = _data(change.old_path or change.path, raw) if raw is not None else None
        yield Transition(change, base_data, entries.get(change.path) if change.status != "D" else None)


def _data(path: str, raw: bytes) -> dict[str, Any] | None:
    data = read_bytes(path, raw).data
    return data if isinstance(data, dict) else None


def _check(transition: Transition, register: Register, context: Context) -> Iterator[Finding]:
    change = transition.change
    if change.status == "D":
        yield from _deleted(change.path, register)
        return
    if change.status == "R":
        yield _renamed(change, register)
    head = transition.head
    if head is None or not head.doc.readable or not isinstance(head.doc.data, dict):
        return  # layer 1 already says what is wrong with the file
    if head.where.kind == "protocole":
        yield from _protocol(transition.base, head, change.status == "A")
    elif head.where.kind == "adhesion" and head.where.region:
        yield from _suspension(transition.base or {}, head, context.reviewers, context.approval)
        yield from _reprise(transition.base or {}, head, context)
        if transition.base is not None:
            yield from _instructed(transition.base, head, context)
        if change.status == "A" and "reprise" not in head.data:
            yield from _declaration_age(head, context.first_commits.get(head.path))


def _kind(path: str, register: Register) -> str:
    return classify(path, register.schemas.region_codes).kind


def _deleted(path: str, register: Register) -> Iterator[Finding]:
    kind = _kind(path, register)
    if kind == "adhesion":
        yield make_finding("suppression-adhesion", path, 1, (
            "Cette adhésion est enregistrée sur la branche de base : elle ne se supprime pas. "
            "Remettez le fichier et ajoutez-y `fin:` avec `date:` et `motif:` pour y mettre fin."
        ))
    elif kind == "suivi":
        yield make_finding("suppression-rapport", path, 1, (
            "Ce rapport annuel de suivi est enregistré sur la branche de base : il ne se supprime pas. "
            "Remettez le fichier et corrigez-en les valeurs si elles étaient fausses."
        ))
    elif kind == "protocole":
        yield make_finding("suppression-protocole", path, 1, (
            "Ce protocole est enregistré sur la branche de base : il ne se supprime pas. Remettez le fichier ; "
            "s'il n'est plus appliqué, passez son statut à `arrete` avec `arret:` (date, motif)."
        ))


def _renamed(change: gitrepo.Change, register: Register) -> Finding:
    what = {"adhesion": "d'une adhésion", "suivi": "d'un rapport de suivi"}.get(_kind(change.path, register), "d'un protocole")
    return make_finding("renommage-interdit", change.path, 1, (
        f"Ce fichier est renommé depuis « {change.old_path} » : l'identité {what} est son chemin, qui ne change jamais. "
        f"Gardez le chemin « {change.old_path} » et modifiez le contenu du fichier."
    ))


def _protocol(base: dict[str, Any] | None, head: Entry, added: bool) -> Iterator[Finding]:
    if added and head.data.get("historique") is True:
        yield make_finding("historique-nouveau", head.path, head.line("historique"), (
            "Un nouveau protocole ne peut pas porter `historique: true` : cette marque est réservée aux fiches "
            "importées de l'historique. Retirez la ligne et renseignez les dates et références qu'exige son statut."
        ))
    old, new = (base or {}).get("statut"), head.data.get("statut")
    if isinstance(old, str) and isinstance(new, str) and not is_allowed_move(old, new):
        yield make_finding("statut-retour", head.path, head.line("statut"), _status_message(old, new))


def _status_message(old: str, new: str) -> str:
    nexts = sorted(reachable(old))
    allowed = ", ".join(f"`{s}`" for s in nexts) if nexts else "aucun (statut définitif)"
    return (
        f"Le statut passe de `{old}` à `{new}` : un statut ne revient jamais en arrière "
        f"(dépôt → instruction → avis HAS → autorisé ou refusé, autorisé → arrêté). "
        f"Remettez `statut: {old}` ou choisissez un statut suivant : {allowed}."
    )


def _ars_approves(region: str, reviewers: Reviewers, approval: Approval) -> bool:
    """The author or one approver reviews `region` (base branch's relecteurs.yml)."""
    logins = (*((approval.author,) if approval.author else ()), *approval.approvers)
    return reviewers.any_region_reviewer(region, logins) is not None


def _instructed(base: dict[str, Any], head: Entry, context: Context) -> Iterator[Finding]:
    """An adhesion of the base is instructed: its identity needs its ARS, its end stays."""
    approved = _ars_approves(head.where.region, context.reviewers, context.approval)
    yield from instructed_identity(base, head, approved, _who(context.approval))
    yield from kept_end(base, head)


def _suspension(base: dict[str, Any], head: Entry, reviewers: Reviewers, approval: Approval) -> Iterator[Finding]:
    old, new = base.get("suspension"), head.data.get("suspension")
    if old == new:
        return
    region = head.where.region
    if _ars_approves(region, reviewers, approval):
        return
    action = "pose" if old is None else ("lève" if new is None else "modifie")
    line = head.line("suspension") if new is not None else 1
    yield make_finding("suspension-reservee-ars", head.path, line, (
        f"Cette modification {action} la suspension de l'adhésion, mais aucun relecteur de l'ARS de la région {region} "
        f"(relecteurs.yml de la branche de base) n'a ouvert ni approuvé la pull request ({_who(approval)}). "
        "Seule l'ARS de la région pose ou lève une suspension : retirez ce changement de la pull request, "
        "ou demandez à l'ARS de l'approuver."
    ))


def _reprise(base: dict[str, Any], head: Entry, context: Context) -> Iterator[Finding]:
    """Only a maintainer listed on the BASE branch's relecteurs.yml adds, changes or removes `reprise`."""
    old, new = base.get("reprise"), head.data.get("reprise")
    if old == new or context.reviewers.is_maintainer(context.approval.author):
        return
    author = context.approval.author
    who = f"« {author} »" if author else "l'auteur de la pull request (inconnu, option --auteur)"
    yield make_finding("reprise-reservee-mainteneurs", head.path, head.line("reprise") if new is not None else 1, (
        f"Le bloc `reprise` date l'adhésion d'après un dossier antérieur au registre (COOP-PS ou "
        f"démarches-simplifiées), mais {who} ne figure pas parmi les mainteneurs de relecteurs.yml sur la branche "
        "de base. Retirez ce bloc : une nouvelle déclaration est datée par `date_declaration`, et seuls les "
        "mainteneurs reprennent l'historique."
    ))


def _declaration_age(head: Entry, first_commit: str | None) -> Iterator[Finding]:
    """`date_declaration` is the day the team sent its declaration: not much before the file's first commit
    (the commit that first added it on the branch; today for a file not yet committed)."""
    declared = head.data.get("date_declaration")
    committed = first_commit or datetime.date.today().isoformat()
    if not isinstance(declared, str):
        return
    limit = (datetime.date.fromisoformat(committed) - datetime.timedelta(days=DECLARATION_LEEWAY_DAYS)).isoformat()
    if declared < limit:
        yield make_finding("declaration-anterieure", head.path, head.line("date_declaration"), (
            f"`date_declaration: {declared}` précède de plus de {DECLARATION_LEEWAY_DAYS} jours le premier commit de "
            f"ce fichier ({committed}) : c'est le jour où l'équipe envoie sa déclaration, dont l'adhésion est active "
            "depuis. Indiquez la date d'envoi réelle (souvent celle de la pull request) ; un dossier repris de "
            "COOP-PS ou de démarches-simplifiées est ajouté par un mainteneur avec un bloc `reprise`."
        ))


def _who(approval: Approval) -> str:
    author = f"auteur : « {approval.author} »" if approval.author else "auteur inconnu, option --auteur"
    if not approval.approvers:
        return f"{author} ; aucune approbation"
    return f"{author} ; approuvée par " + ", ".join(f"« {login} »" for login in approval.approvers[:5])
