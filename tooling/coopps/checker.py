"""Orchestration of `coop validate`: load, check, scope, and grade findings.

Layers run in order on each file: a file that cannot be read is not
schema-checked, and a file that is not schema-valid is kept out of the
register rules (its own findings say what to fix first).

What is loaded follows what is asked: the whole register (in parallel, through
the cache) for a full check; for PATHS or a pull request (`--base`), only those
files and what the rules consult about them (`Register.load_related`), so a
three-file pull request costs three files whatever the size of the register.
With `--base` and no PATHS, the report covers the files the pull request
changes, plus the adhesions of any protocol it changes.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .catalogue import is_completeness
from .findings import Finding, Report
from .paths import ADHESIONS_DIR, DATA_DIRS, PROTOCOLS_DIR, YAML_SUFFIX

if TYPE_CHECKING:  # imported when used: a pull request's check imports them while git lists its changes
    from .gitrepo import PullRequest
    from .register import Entry, Register

FULL_LOAD_FROM = 5000  # targets above which a full (cached, parallel) load is cheaper than a targeted one


@dataclass(frozen=True)
class Options:
    root: Path
    paths: tuple[str, ...] = ()  # repository-relative files or folders; empty = everything
    draft: bool = False
    base: str | None = None
    author: str | None = None  # GitHub login of the pull request's author (transition rules)


def validate(options: Options) -> Report:
    listing = _start_pull_request(options)
    from .register import Register

    pr = listing() if listing else None
    targets = _targets(options, pr)
    transitions: list[Finding] = []
    if targets is None:
        register = Register.load(options.root)
        in_scope = [entry for entry in register.entries if _in_scope(entry.path, options.paths)]
        transitions = _transitions(register, options, pr)
    else:
        register = Register.load_related(options.root, sorted(targets), pr)
        transitions = _transitions(register, options, pr)
        in_scope = [entry for entry in register.entries if entry.path in targets and _in_scope(entry.path, options.paths)]
    findings = check_entries(in_scope, register) + transitions
    return Report(findings=list(_graded(findings, options.draft)), files_checked=len(in_scope))


def _start_pull_request(options: Options) -> Callable[[], PullRequest] | None:
    if not options.base:
        return None
    from .gitrepo import start_pull_request

    return start_pull_request(options.root, options.base)


def _transitions(register: Register, options: Options, pr: PullRequest | None) -> list[Finding]:
    if pr is None:
        return []
    from .transitions import check_transitions

    return [f for f in check_transitions(register, pr, options.author) if _in_scope(f.path, options.paths)]


def check_entries(entries: list[Entry], register: Register) -> list[Finding]:
    """Layers 1 to 3 of `entries`; the register rules run on every core for a large register.

    The workers are forked once the register is loaded and indexed, so they share it
    without copying it through a pipe; only their findings come back."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = _cores()
    if len(entries) < PARALLEL_RULES_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
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


def _cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


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
    """The data files to check, or None for the whole register."""
    if not options.paths and not options.base:
        return None
    targets: set[str] = set()
    if options.paths:
        if any(item.strip("/") in ("", *DATA_DIRS) for item in options.paths):
            return None
        targets |= _expand(options.root, options.paths)
    if pr is not None:
        targets |= _changed(options.root, pr, with_impacted=not options.paths)
    return targets if len(targets) < FULL_LOAD_FROM else None


def _expand(root: Path, paths: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for item in paths:
        full = root / item
        if full.is_dir() and not full.is_symlink():
            # every entry but folders: symlinks, pipes and devices are judged (never opened) by layer 1
            found.update(p.relative_to(root).as_posix() for p in full.rglob("*") if p.is_symlink() or not p.is_dir())
        elif item.split("/", 1)[0] in DATA_DIRS and os.path.lexists(full):
            found.add(item)
    return found


def _changed(root: Path, pr: PullRequest, with_impacted: bool) -> set[str]:
    """Files a pull request changes (still present), and the adhesions of the protocols it changes."""
    present = {change.path for change in pr.changes if change.status != "D" and (root / change.path).exists()}
    if not with_impacted:
        return present
    impacted: set[str] = set()
    for rel in present:
        parts = rel.split("/")
        if parts[0] == PROTOCOLS_DIR and len(parts) == 2:
            pattern = f"*/{parts[1].removesuffix(YAML_SUFFIX)}/*"
            impacted.update(p.relative_to(root).as_posix() for p in (root / ADHESIONS_DIR).glob(pattern))
    return present | impacted


def _in_scope(path: str, scope: tuple[str, ...]) -> bool:
    if not scope:
        return True
    return any(path == item or path.startswith(item.rstrip("/") + "/") for item in scope)


def _graded(findings: Iterable[Finding], draft: bool) -> Iterable[Finding]:
    """With --draft (a draft pull request), completeness is advice, not a blocker."""
    for finding in findings:
        if draft and finding.severity == "error" and is_completeness(finding.code):
            yield replace(finding, severity="warning")
        else:
            yield finding
