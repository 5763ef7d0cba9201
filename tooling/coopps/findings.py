"""Findings are plain data: what is wrong, where, and what to write instead.

Every finding carries a stable `code` declared in `checks.CHECKS`; the
severity comes from that registry unless the caller lowers it (``--brouillon``).
Every finding is made by `found`: it carries its key path (`key`, e.g.
`("membres", 1, "rpps")`; empty for a finding about the whole file) and the
parameters its message was rendered from (`params`), so every place that
shows it (terminal, GitHub, the JSON report, the issue form's words) formats
it from data; nothing parses a message back. Formatting lives only in
`reporters`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from .checks import Check, Severity

# Findings that explain others: on the same line, they are listed first (the register
# rules also fold the findings that follow from them, see rules/completeness.py).
CAUSES = frozenset({"rpps-cle-invalide", "yaml-invalide", "chemin-invalide"})


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    code: str
    severity: Severity
    message: str
    # Data beside the sentence; not part of a finding's identity (equality, order, hash).
    key: tuple[str | int, ...] = field(default=(), compare=False)
    params: Mapping[str, object] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict[str, object]:
        """The JSON report's shape (docs/developpeurs/validation.md): the key path as a list
        and the template's parameters beside the message."""
        data = asdict(self)
        shown = {name: data[name] for name in ("code", "severity", "path", "line", "message")}
        return {**shown, "key": list(self.key), "params": dict(self.params)}


@dataclass
class Report:
    """The findings of one run, plus how many files were looked at."""

    findings: list[Finding] = field(default_factory=list)
    files_checked: int = 0

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def sorted(self) -> list[Finding]:
        """By file and line; on one line, a cause before what follows from it."""
        return sorted(
            set(self.findings),
            key=lambda f: (f.path, f.line, f.code not in CAUSES, f.code, f.severity, f.message),
        )

    def summary(self) -> dict[str, object]:
        findings = self.sorted()
        return {
            "files": self.files_checked,
            "files_with_findings": len({f.path for f in findings}),
            "errors": sum(1 for f in findings if f.severity == "error"),
            "warnings": sum(1 for f in findings if f.severity == "warning"),
            "by_code": dict(sorted(Counter(f.code for f in findings).items())),
        }


def found(
    check: Check,
    path: str,
    line: int,
    key: tuple[str | int, ...] = (),
    params: Mapping[str, object] | None = None,
) -> Finding:
    """A finding of a declared check, its message rendered from the check's template."""
    params = dict(params or {})
    return Finding(
        path=path,
        line=max(line, 1),
        code=check.code,
        severity=check.severity,
        message=check.render(params),
        key=key,
        params=params,
    )
