"""Reporters turn a `Report` into text for people, JSON for programs, or
GitHub workflow commands. They are the only place that formats findings.

Each reporter writes to the streams it is given, so tests need no capture.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from itertools import groupby
from pathlib import Path
from typing import IO, Protocol

from .checks import CHECKS
from .findings import Finding, Report
from .markdown_text import markdown_text
from .paths import SpecialFile, read_regular
from .reading import MAX_BYTES
from .textguards import for_terminal, printable
from .wording import plural

SEVERITY_FR = {"error": "erreur", "warning": "avertissement"}


def summary_line(report: Report) -> str:
    summary = report.summary()
    errors, warnings = summary["errors"], summary["warnings"]
    count = int(summary["files"])  # type: ignore[call-overload]
    files = plural(count, "fichier vérifié", "fichiers vérifiés")
    if not errors and not warnings:
        return f"Registre conforme : {files}, aucune erreur."
    return f"{files} : {plural(errors, 'erreur')}, {plural(warnings, 'avertissement')}."  # type: ignore[arg-type]


class TextReporter:
    """Grouped by file, each finding with its line quoted."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, report: Report, out: IO[str]) -> None:
        """Everything that comes from the data (path, quoted line, message) is shown with its
        control, bidirectional and invisible characters escaped: a file cannot drive the terminal."""
        for path, group in groupby(report.sorted(), key=lambda f: f.path):
            out.write(f"\n{for_terminal(path)}\n")
            source = _source_lines(self.root / path)
            for finding in group:
                out.write(
                    f"  ligne {finding.line} · {SEVERITY_FR[finding.severity]} [{finding.code}]\n"
                )
                quoted = (
                    source[finding.line - 1].rstrip() if 0 < finding.line <= len(source) else ""
                )
                if quoted.strip():
                    out.write(f"    │ {for_terminal(quoted[:160])}\n")
                out.write(f"    → {for_terminal(finding.message)}\n")
        out.write(("\n" if report.findings else "") + summary_line(report) + "\n")


def _source_lines(path: Path) -> list[str]:
    """The file's lines as git and editors count them (line feeds only), or none if it is not a
    readable regular file: a pipe is never opened."""
    try:
        raw = read_regular(path, MAX_BYTES + 1)
    except (OSError, SpecialFile):
        return []
    if len(raw) > MAX_BYTES:
        return []
    return [line.removesuffix("\r") for line in raw.decode("utf-8", "replace").split("\n")]


class JsonReporter:
    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, report: Report, out: IO[str]) -> None:
        document = {
            "findings": [f.as_dict() for f in shown_findings(report)],
            "summary": report.summary(),
        }
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")


class GithubReporter:
    """Workflow-command annotations on stdout, and a Markdown step summary
    appended to the file GitHub names in $GITHUB_STEP_SUMMARY."""

    def __init__(self, root: Path, summary_path: Path | None = None) -> None:
        self.root = root
        self.summary_path = summary_path

    def write(self, report: Report, out: IO[str]) -> None:
        for finding in shown_findings(report):
            level = "error" if finding.severity == "error" else "warning"
            title = _escape_property(f"{finding.code} — {CHECKS[finding.code].layer}")
            out.write(
                f"::{level} file={_escape_property(finding.path)},line={finding.line},title={title}::"
                f"{_escape_data(finding.message)}\n"
            )
        out.write(summary_line(report) + "\n")
        if self.summary_path is not None:
            with self.summary_path.open("a", encoding="utf-8") as summary:
                summary.write(markdown_summary(report))


def shown_findings(report: Report) -> list[Finding]:
    """The sorted findings, each text they carry (path, message, key, parameters) writable by any
    output (`textguards.printable`)."""
    return [_shown(f) for f in report.sorted()]


def _shown(finding: Finding) -> Finding:
    key = tuple(printable(part) if isinstance(part, str) else part for part in finding.key)
    params = {
        printable(name): printable(value) if isinstance(value, str) else value
        for name, value in finding.params.items()
    }
    return replace(
        finding,
        path=printable(finding.path),
        message=printable(finding.message),
        key=key,
        params=params,
    )


def markdown_summary(report: Report) -> str:
    """The instruction checklist a reviewer reads: one table row per finding."""
    lines = ["## Contrôle du registre", "", summary_line(report), ""]
    if report.findings:
        lines += markdown_findings_table(shown_findings(report))
    lines.append("")
    return "\n".join(lines) + "\n"


FINDINGS_TABLE_HEAD = [
    "| Fichier | Ligne | Gravité | Contrôle | Ce qu’il faut faire |",
    "| --- | --- | --- | --- | --- |",
]


def markdown_findings_table(findings: list[Finding]) -> list[str]:
    """The findings as a Markdown table, every value neutralised (`markdown_text`)."""
    return [*FINDINGS_TABLE_HEAD, *(markdown_finding_row(f) for f in findings)]


def markdown_finding_row(finding: Finding) -> str:
    severity = SEVERITY_FR[finding.severity]
    cells = [finding.path, str(finding.line), severity, finding.code, finding.message]
    return "| " + " | ".join(markdown_text(cell) for cell in cells) + " |"


def _escape_data(text: str) -> str:
    """A workflow command's message: `%`, CR and LF encoded as GitHub reads them back, and any
    other control or bidirectional character escaped (the log viewer renders ANSI sequences)."""
    return for_terminal(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


class Reporter(Protocol):
    def write(self, report: Report, out: IO[str]) -> None: ...


def _github(root: Path) -> Reporter:
    summary = os.environ.get("GITHUB_STEP_SUMMARY")
    return GithubReporter(root, Path(summary) if summary else None)


REPORTERS: dict[str, Callable[[Path], Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": _github,
}
