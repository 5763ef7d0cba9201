"""Orchestration of `coop verifier`: load, check, scope, and grade findings.

Layers run in order on each file: a file that cannot be read is not
schema-checked, and a file that is not schema-valid is kept out of the
register rules (its own findings say what to fix first).

What is loaded follows what is asked: the whole register (in parallel, through
the cache) for a full check; for PATHS or a pull request (`--base`), only those
files and what the rules consult about them (`Register.load_related`), so a
three-file pull request costs three files whatever the size of the register.
With `--base` and no PATHS, the report covers the files the pull request
changes, plus the adhesions of any protocol it changes. What is reported never
widens with the number of files: above `FULL_LOAD_FROM` targets the whole
register is loaded (cheaper), and still only the targets are reported.

With `--base`, the rules come from the base (`rulebook.py`): the schemas,
referentials and reviewers register of the merge base, and for the pull
request's own adhesions the base version of their protocols. A pull request
that changes a rule file is judged again by its new rules, and says so.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .checks import is_completeness
from .errors import CoopError
from .findings import Finding, Report
from .paths import (
    ADHESIONS_DIR,
    DATA_DIRS,
    PROTOCOLS_DIR,
    YAML_SUFFIX,
    iter_files_under,
    symlinked_parent,
)

if (
    TYPE_CHECKING
):  # imported when used: a pull request's check imports them while git lists its changes
    from .directory import Directory
    from .gitops.git import PullRequest
    from .register import Entry, Register
    from .rulebook import RuleBook

FULL_LOAD_FROM = 5000  # targets above which a full (cached, parallel) load is cheaper; the report stays the targets


@dataclass(frozen=True)
class Options:
    root: Path
    paths: tuple[
        str, ...
    ] = ()  # repository-relative files or folders under the data folders; empty = everything
    draft: bool = False
    base: str | None = None
    author: str | None = None  # GitHub login of the pull request's author (transition rules)
    approvers: tuple[
        str, ...
    ] = ()  # GitHub logins that approved the pull request (transition rules)
    directory: Path | None = None  # Annuaire santé index (`coop annuaire indexer`)


def validate(options: Options) -> Report:
    check_scope(options.root, options.paths)
    directory = _open_directory(options.directory)
    listing = _start_pull_request(options)
    from .rulebook import base_rules, reviewer_findings, work_tree_rules

    pr = listing() if listing else None
    rules = base_rules(options.root, pr.base_sha) if pr else work_tree_rules(options.root)
    targets = _targets(options, pr)
    judged = _judge(options, pr, targets, rules, cache=True)
    findings = judged.findings + _transitions(judged.register, options, pr, rules)
    findings += [f for f in reviewer_findings(options.root) if _in_scope(f.path, options.paths)]
    if pr is not None and pr.rule_changes:
        findings += _with_proposed_rules(options, pr, targets, judged)
    if directory is not None:
        findings += _directory_findings(directory, judged.in_scope, rules)
    return Report(
        findings=list(_graded(dict.fromkeys(findings), options.draft)),
        files_checked=len(judged.in_scope),
    )


def _open_directory(index: Path | None) -> Directory | None:
    """The Annuaire santé index, opened before anything is read: a missing one stops the run."""
    if index is None:
        return None
    from .directory import open_index

    return open_index(index)


def _directory_findings(
    directory: Directory, entries: list[Entry], rules: RuleBook
) -> list[Finding]:
    from .directory_check import check_members

    professions = rules.schemas.documents["referentiels"]["$defs"]["profession"]
    codes = {k: v for k, v in professions.get("x-codes-tre-g15", {}).items() if isinstance(v, str)}
    try:
        return check_members(entries, directory, rules.schemas.referentials["profession"], codes)
    finally:
        directory.close()


@dataclass
class Judged:
    register: Register
    in_scope: list[Entry]
    findings: list[Finding]


def _judge(
    options: Options,
    pr: PullRequest | None,
    targets: set[str] | None,
    rules: RuleBook,
    *,
    cache: bool,
    eligible: set[str] | None = None,
) -> Judged:
    """Layers 1 to 3 of the files to report, judged by `rules`. `eligible`: the files the register
    rules may read (by default every valid one); the others get their layers 1 and 2 only."""
    from .register import Register
    from .rules import CONSULTED_BY_KIND

    if targets is None or len(targets) >= FULL_LOAD_FROM:
        register = Register.load(options.root, rules.schemas, cache=cache)
    else:
        register = Register.load_related(
            options.root, sorted(targets), pr, rules.schemas, CONSULTED_BY_KIND
        )
    in_scope = [
        entry
        for entry in register.entries
        if (targets is None or entry.path in targets) and _in_scope(entry.path, options.paths)
    ]
    ruled = [entry for entry in in_scope if eligible is None or entry.path in eligible]
    read_only = [
        finding
        for entry in in_scope
        if eligible is not None and entry.path not in eligible
        for finding in entry.findings
    ]
    own, others = _split_own(ruled, pr)
    findings = read_only + check_entries(others, register)
    if own:
        findings += check_entries(own, _with_base_protocols(register, pr, own) if pr else register)
    return Judged(register, in_scope, findings)


def _split_own(entries: list[Entry], pr: PullRequest | None) -> tuple[list[Entry], list[Entry]]:
    """The pull request's own adhesions and reports (judged by the base's protocols), and the rest."""
    if pr is None:
        return [], entries
    changed_protocols = {c.path for c in pr.changes if c.path.startswith(PROTOCOLS_DIR + "/")}
    if not changed_protocols:
        return [], entries  # the base's protocols are the work tree's: one pass
    changed = {c.path for c in pr.changes}
    own = [
        e
        for e in entries
        if e.path in changed
        and e.where.kind != "protocole"
        and f"{PROTOCOLS_DIR}/{e.where.protocol_id}{YAML_SUFFIX}" in changed_protocols
    ]
    mine = {id(e) for e in own}
    return own, [e for e in entries if id(e) not in mine]


def _with_base_protocols(register: Register, pr: PullRequest, own: list[Entry]) -> Register:
    """`register` where the protocols the pull request changes are their base versions (absent when new)."""
    from .gitops.git import read_blobs
    from .register import entry_from_bytes

    rels = sorted({f"{PROTOCOLS_DIR}/{e.where.protocol_id}{YAML_SUFFIX}" for e in own})
    blobs = read_blobs(register.root, [f"{pr.base_sha}:{rel}" for rel in rels])
    replaced: dict[str, Entry | None] = {}
    for rel in rels:
        raw = blobs[f"{pr.base_sha}:{rel}"]
        protocol_id = rel.removeprefix(PROTOCOLS_DIR + "/").removesuffix(YAML_SUFFIX)
        replaced[protocol_id] = (
            entry_from_bytes(rel, raw, register.schemas) if raw is not None else None
        )
    return register.with_protocols(replaced)


def _with_proposed_rules(
    options: Options, pr: PullRequest, targets: set[str] | None, judged: Judged
) -> list[Finding]:
    """A pull request that changes a rule file: say so, and judge its files by its new rules too.

    Its new rules are untrusted input: the register rules only read the files that the base's rules
    found valid (the data they were written for), and any failure to apply them is a finding."""
    from .rulebook import changed_rules_finding, proposed_rules

    said = [
        changed_rules_finding(c.path) for c in pr.rule_changes if _in_scope(c.path, options.paths)
    ]
    proposed, problems = proposed_rules(options.root)
    if proposed is None:
        return said + problems
    eligible = {entry.path for entry in judged.in_scope if entry.valid}
    try:
        again = _judge(options, pr, targets, proposed, cache=False, eligible=eligible)
    except (
        Exception
    ) as err:  # the new rules are data from the pull request: never an internal error
        from .rulebook import not_applicable

        return [*said, not_applicable(pr.rule_changes[0].path, err)]
    return said + again.findings


def check_scope(root: Path, paths: tuple[str, ...]) -> None:
    """Refuse, in French, a path that is not a data file or folder of the register."""
    for item in paths:
        if item == "":
            continue
        if item.split("/", 1)[0] not in DATA_DIRS:
            raise CoopError(
                f"« {item} » n'est pas un fichier du registre : `coop verifier` vérifie les fichiers de "
                "`protocols/` et `adhesions/` ; indiquez l'un de ces dossiers, un de leurs "
                "sous-dossiers ou un de leurs fichiers."
            )
        link = symlinked_parent(root, item)
        if link is not None:
            raise CoopError(
                f"« {item} » passe par le lien symbolique « {link} » : les liens ne sont pas suivis."
            )
        if not os.path.lexists(root / item):
            raise CoopError(f"« {item} » est introuvable dans le registre : vérifiez le chemin.")


def _start_pull_request(options: Options) -> Callable[[], PullRequest] | None:
    if not options.base:
        return None
    from .gitops.git import start_pull_request

    return start_pull_request(options.root, options.base)


def _transitions(
    register: Register, options: Options, pr: PullRequest | None, rules: RuleBook
) -> list[Finding]:
    if pr is None:
        return []
    from .transitions import Approval, check_transitions

    approval = Approval(options.author, options.approvers)
    found = check_transitions(register, pr, approval, rules.reviewers)
    return [f for f in found if _in_scope(f.path, options.paths)]


def check_entries(entries: list[Entry], register: Register) -> list[Finding]:
    """Layers 1 to 3 of `entries`; the register rules run on every core for a large register.

    The workers are forked once the register is loaded and indexed, so they share it
    without copying it through a pipe; only their findings come back."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from .loading import available_cores

    workers = available_cores()
    if (
        len(entries) < PARALLEL_RULES_FROM
        or workers < 2
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return _check_slice(entries, register, 0, len(entries))
    register.build_indexes()
    _SHARED["job"] = (entries, register)
    gc.freeze()  # the forked workers then never touch (and copy) the register's pages for garbage collection
    step = -(-len(entries) // (workers * 4))
    slices = [(start, min(start + step, len(entries))) for start in range(0, len(entries), step)]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return [finding for part in pool.map(_check_shared_slice, slices) for finding in part]
    finally:
        _SHARED.clear()


PARALLEL_RULES_FROM = 4000
_SHARED: dict[str, tuple[list[Entry], Register]] = {}


def _check_shared_slice(bounds: tuple[int, int]) -> list[Finding]:
    entries, register = _SHARED["job"]
    return _check_slice(entries, register, *bounds)


def _check_slice(entries: list[Entry], register: Register, start: int, stop: int) -> list[Finding]:
    from .rules import check_entry

    findings: list[Finding] = []
    for entry in entries[start:stop]:
        findings.extend(entry.findings)
        findings.extend(check_entry(entry, register))
    return findings


def _targets(options: Options, pr: PullRequest | None) -> set[str] | None:
    """The data files to report, or None for the whole register."""
    if not options.paths and not options.base:
        return None
    targets: set[str] = set()
    if options.paths:
        if any(item.strip("/") in ("", *DATA_DIRS) for item in options.paths):
            return None
        targets |= _expand(options.root, options.paths)
    if pr is not None:
        targets |= _changed(options.root, pr, with_impacted=not options.paths)
    return targets


def _expand(root: Path, paths: tuple[str, ...]) -> set[str]:
    """The files of these paths (under the data folders, checked by `check_scope`); folders walked
    without following links."""
    found: set[str] = set()
    for item in paths:
        full = root / item
        if full.is_dir() and not full.is_symlink():
            found.update(iter_files_under(root, item))
        else:
            found.add(item)
    return found


def _changed(root: Path, pr: PullRequest, with_impacted: bool) -> set[str]:
    """Files a pull request changes (still present), and the adhesions of the protocols it changes."""
    present = {
        change.path
        for change in pr.changes
        if change.status != "D" and (root / change.path).exists()
    }
    if not with_impacted:
        return present
    impacted: set[str] = set()
    for rel in present:
        parts = rel.split("/")
        if parts[0] == PROTOCOLS_DIR and len(parts) == 2:
            pattern = f"*/{parts[1].removesuffix(YAML_SUFFIX)}/*"
            impacted.update(
                p.relative_to(root).as_posix() for p in (root / ADHESIONS_DIR).glob(pattern)
            )
    return present | impacted


def _in_scope(path: str, scope: tuple[str, ...]) -> bool:
    if not scope or "" in scope:
        return True
    return any(path == item or path.startswith(item.rstrip("/") + "/") for item in scope)


def _graded(findings: Iterable[Finding], draft: bool) -> Iterable[Finding]:
    """With --brouillon (a draft pull request), completeness is advice, not a blocker."""
    for finding in findings:
        if draft and finding.severity == "error" and is_completeness(finding.code):
            yield replace(finding, severity="warning")
        else:
            yield finding
