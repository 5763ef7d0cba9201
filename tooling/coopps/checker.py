"""Orchestration of `coop validate`: load, check, scope, and grade findings.

Layers run in order on each file: a file that cannot be read is not
schema-checked, and a file that is not schema-valid is kept out of the
register rules (its own findings say what to fix first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .catalogue import is_completeness
from .findings import Finding, Report
from .register import Register
from .rules import check_entry


@dataclass(frozen=True)
class Options:
    root: Path
    paths: tuple[str, ...] = ()  # repository-relative files or folders; empty = everything
    draft: bool = False
    base: str | None = None
    author: str | None = None  # GitHub login of the PR author (transition rules on suspensions)


def validate(options: Options) -> Report:
    register = Register.load(options.root)
    in_scope = [entry for entry in register.entries if _in_scope(entry.path, options.paths)]
    findings: list[Finding] = []
    for entry in in_scope:
        findings.extend(entry.findings)
        findings.extend(check_entry(entry, register))
    if options.base:
        from .transitions import check_transitions

        findings.extend(f for f in check_transitions(register, options.base, options.author) if _in_scope(f.path, options.paths))
    return Report(findings=list(_graded(findings, options.draft)), files_checked=len(in_scope))


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
