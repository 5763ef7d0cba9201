"""The pull request's comment: the findings of `coop verifier --format json`, read back as
untrusted data (the workflow that posts it never runs the pull request's code), as GitHub Markdown.

Every value goes through `markdown_text`; a report that cannot be read or does not have the shape
`JsonReporter` writes gives one sentence saying the check produced no result.
"""

from __future__ import annotations

import json
from typing import Any

from .findings import Finding
from .markdown_text import markdown_text
from .reporters import FINDINGS_TABLE_HEAD, markdown_finding_row
from .wording import plural

MARKER = "<!-- coop-ps:controle -->"
# The counts, for the ARS queue (gitops/queue.py), hidden in the comment's second line.
COUNTS = "<!-- coop-ps:constats erreurs={errors} avertissements={warnings} -->"
MAX_ROWS = 200
MAX_TABLE_CHARS = 50_000  # GitHub refuses a comment over 65,536 characters
NO_RESULT = (
    "Le contrôle n’a pas pu produire de résultat : consultez le journal du workflow "
    "« Validation du registre »."
)
NO_FINDING = "✅ Aucun constat : la déclaration est conforme."


def read_findings(text: str | None) -> list[Finding] | None:
    """The findings of a JSON report, or None when it is not one."""
    try:
        document = json.loads(text) if text is not None else None
    except (ValueError, RecursionError):
        return None
    found = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(found, list):
        return None
    findings = [_finding(item) for item in found]
    return None if any(f is None for f in findings) else [f for f in findings if f is not None]


def _finding(item: Any) -> Finding | None:
    """One finding of the report, or None when it does not have `Finding.as_dict`'s shape. A
    report without `key` or `params` (written before they existed) is still read."""
    if not isinstance(item, dict):
        return None
    texts = [item.get(key) for key in ("path", "code", "message")]
    line = item.get("line")
    if not all(isinstance(t, str) for t in texts):
        return None
    if item.get("severity") not in ("error", "warning"):
        return None
    key, params = item.get("key", []), item.get("params", {})
    if not (_is_key(key) and _is_params(params)):
        return None
    number = line if isinstance(line, int) and _is_int(line) and line > 0 else 1
    return Finding(
        str(texts[0]),
        number,
        str(texts[1]),
        item["severity"],
        str(texts[2]),
        key=tuple(key),
        params=params,
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_key(key: Any) -> bool:
    """A key path: a list of keys (text) and positions (integers)."""
    return isinstance(key, list) and all(isinstance(part, str) or _is_int(part) for part in key)


def _is_params(params: Any) -> bool:
    """The parameters of a message: names (text) to plain values, never a nested structure."""
    plain = (str, int, float, bool, type(None))
    return isinstance(params, dict) and all(isinstance(value, plain) for value in params.values())


def comment_lines(findings: list[Finding] | None) -> list[str]:
    """The comment's body: marker, title, then the findings (at most MAX_ROWS rows) or one
    sentence."""
    if findings is None:
        return [MARKER, "## Contrôle du registre", "", NO_RESULT]
    errors = sum(f.severity == "error" for f in findings)
    counts = COUNTS.format(errors=errors, warnings=len(findings) - errors)
    lines = [MARKER, counts, "## Contrôle du registre", ""]
    if not findings:
        return [*lines, NO_FINDING]
    lines += [f"{plural(errors, 'erreur')}, {plural(len(findings) - errors, 'avertissement')}.", ""]
    rows = _rows_that_fit(findings)
    lines += [*FINDINGS_TABLE_HEAD, *rows]
    left = len(findings) - len(rows)
    if left:
        more = plural(left, "autre constat", "autres constats")
        where = "voir le résumé du workflow « Validation du registre »"
        lines += ["", markdown_text(f"… et {more} ({where}).")]
    return lines


def _rows_that_fit(findings: list[Finding]) -> list[str]:
    rows: list[str] = []
    size = 0
    for finding in findings[:MAX_ROWS]:
        row = markdown_finding_row(finding)
        size += len(row) + 1
        if size > MAX_TABLE_CHARS:
            break
        rows.append(row)
    return rows
