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

from .change_checks import (
    ADHESION_DELETED,
    EARLY_DECLARATION,
    NEW_HISTORIC,
    PROTOCOL_DELETED,
    RENAMED,
    REPORT_DELETED,
    REPRISE_MAINTAINERS_ONLY,
    STATUS_BACK,
    SUSPENSION_ARS_ONLY,
    TOOLING_MAINTAINERS_ONLY,
)
from .findings import Finding, found
from .gitops import git as gitrepo
from .gitops.reviewers import REVIEWERS_FILE, Reviewers, reviewers_from_bytes
from .instructed import instructed_identity, kept_end
from .paths import ADHESIONS_DIR, classify
from .reading import read_bytes
from .register import Entry, Register
from .stage_checks import SUBMODULE, SYMLINK

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


DECLARATION_LEEWAY_DAYS = (
    31  # a declaration dated further before the file's first commit is warned about
)


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


def check_transitions(
    register: Register,
    pr: gitrepo.PullRequest,
    approval: Approval | None = None,
    reviewers: Reviewers | None = None,
) -> list[Finding]:
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
            yield found(SYMLINK, path, 1)
        else:
            yield found(SUBMODULE, path, 1)


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
    params = {"variante": "plus" if more > 0 else "", "fichiers": shown, "autres": max(more, 0)}
    yield found(TOOLING_MAINTAINERS_ONLY, pr.other_changes[0], 1, (), params)


def _transitions(
    register: Register, base_sha: str, changes: list[gitrepo.Change]
) -> Iterator[Transition]:
    entries = {entry.path: entry for entry in register.entries}
    specs = {c.path: f"{base_sha}:{c.old_path or c.path}" for c in changes if c.status != "A"}
    blobs = gitrepo.read_blobs(register.root, specs.values())
    for change in changes:
        raw = blobs.get(specs.get(change.path, ""))
        base_data = _data(change.old_path or change.path, raw) if raw is not None else None
        yield Transition(
            change, base_data, entries.get(change.path) if change.status != "D" else None
        )


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
        yield found(ADHESION_DELETED, path, 1)
    elif kind == "suivi":
        yield found(REPORT_DELETED, path, 1)
    elif kind == "protocole":
        yield found(PROTOCOL_DELETED, path, 1)


def _renamed(change: gitrepo.Change, register: Register) -> Finding:
    kind = _kind(change.path, register)
    params = {"variante": kind if kind in ("adhesion", "suivi") else "", "ancien": change.old_path}
    return found(RENAMED, change.path, 1, (), params)


def _protocol(base: dict[str, Any] | None, head: Entry, added: bool) -> Iterator[Finding]:
    if added and head.data.get("historique") is True:
        yield found(NEW_HISTORIC, head.path, head.line("historique"), ("historique",))
    old, new = (base or {}).get("statut"), head.data.get("statut")
    if isinstance(old, str) and isinstance(new, str) and not is_allowed_move(old, new):
        yield found(
            STATUS_BACK,
            head.path,
            head.line("statut"),
            ("statut",),
            {"avant": old, "apres": new, "suivants": _nexts(old)},
        )


def _nexts(old: str) -> str:
    nexts = sorted(reachable(old))
    return ", ".join(f"`{s}`" for s in nexts) if nexts else "aucun (statut définitif)"


def _ars_approves(region: str, reviewers: Reviewers, approval: Approval) -> bool:
    """The author or one approver reviews `region` (base branch's relecteurs.yml)."""
    logins = (*((approval.author,) if approval.author else ()), *approval.approvers)
    return reviewers.any_region_reviewer(region, logins) is not None


def _instructed(base: dict[str, Any], head: Entry, context: Context) -> Iterator[Finding]:
    """An adhesion of the base is instructed: its identity needs its ARS, its end stays."""
    approved = _ars_approves(head.where.region, context.reviewers, context.approval)
    yield from instructed_identity(base, head, approved, _who(context.approval))
    yield from kept_end(base, head)


def _suspension(
    base: dict[str, Any], head: Entry, reviewers: Reviewers, approval: Approval
) -> Iterator[Finding]:
    old, new = base.get("suspension"), head.data.get("suspension")
    if old == new:
        return
    region = head.where.region
    if _ars_approves(region, reviewers, approval):
        return
    action = "pose" if old is None else ("lève" if new is None else "modifie")
    line = head.line("suspension") if new is not None else 1
    key = ("suspension",) if new is not None else ()
    params = {"action": action, "region": region, "qui": _who(approval)}
    yield found(SUSPENSION_ARS_ONLY, head.path, line, key, params)


def _reprise(base: dict[str, Any], head: Entry, context: Context) -> Iterator[Finding]:
    """Only a maintainer listed on the BASE branch's relecteurs.yml adds, changes or removes `reprise`."""
    old, new = base.get("reprise"), head.data.get("reprise")
    if old == new or context.reviewers.is_maintainer(context.approval.author):
        return
    author = context.approval.author
    who = f"« {author} »" if author else "l'auteur de la pull request (inconnu, option --auteur)"
    key = ("reprise",) if new is not None else ()
    line = head.line(*key) if key else 1
    yield found(REPRISE_MAINTAINERS_ONLY, head.path, line, key, {"qui": who})


def _declaration_age(head: Entry, first_commit: str | None) -> Iterator[Finding]:
    """`date_declaration` is the day the team sent its declaration: not much before the file's first commit
    (the commit that first added it on the branch; today for a file not yet committed)."""
    declared = head.data.get("date_declaration")
    committed = first_commit or datetime.date.today().isoformat()
    if not isinstance(declared, str):
        return
    limit = (
        datetime.date.fromisoformat(committed) - datetime.timedelta(days=DECLARATION_LEEWAY_DAYS)
    ).isoformat()
    if declared < limit:
        params = {"date": declared, "jours": DECLARATION_LEEWAY_DAYS, "commit": committed}
        yield found(
            EARLY_DECLARATION,
            head.path,
            head.line("date_declaration"),
            ("date_declaration",),
            params,
        )


def _who(approval: Approval) -> str:
    author = (
        f"auteur : « {approval.author} »" if approval.author else "auteur inconnu, option --auteur"
    )
    if not approval.approvers:
        return f"{author} ; aucune approbation"
    return f"{author} ; approuvée par " + ", ".join(
        f"« {login} »" for login in approval.approvers[:5]
    )
