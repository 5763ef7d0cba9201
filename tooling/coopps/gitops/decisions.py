"""Decisions that git does not hold: declarations closed without being merged.

A merge is the instruction, and git dates it. A pull request closed without
merge is a refusal (label `sans-suite`: classée sans suite); GitHub knows it,
git does not. The workflow that builds the site asks GitHub's API
(`.github/scripts/decisions.sh`) and writes one JSON file:

    {"decisions": [{"pr": 12, "etat": "refusee", "date": "2026-12-05",
                    "fichiers": ["adhesions/84/nat-x/msp-y.yml"]}]}

This module reads it as untrusted data: every value is checked, anything
else is left out, and each decision becomes a dated journal event.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from .journal import SOURCE_REGISTER, DatedEvent

LABELS = {
    "refusee": "Déclaration refusée par l'ARS",
    "sans-suite": "Déclaration classée sans suite par l'ARS",
}
_ADHESION = re.compile(r"adhesions/[0-9]{2}/[a-z0-9][a-z0-9-]{0,79}/[a-z0-9][a-z0-9-]{0,79}\.yml")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
MAX_BYTES = 16 * 1024 * 1024


def read_decisions(path: Path) -> list[DatedEvent]:
    """The journal events of the decisions file; none when it is absent or unreadable."""
    try:
        raw = path.read_bytes()[:MAX_BYTES]
        document = json.loads(raw)
    except (OSError, ValueError, RecursionError):
        return []
    items = document.get("decisions") if isinstance(document, dict) else None
    if not isinstance(items, list):
        return []
    return [event for item in items for event in _events(item)]


def _events(item: Any) -> list[DatedEvent]:
    if not isinstance(item, dict):
        return []
    number, state, date = item.get("pr"), item.get("etat"), item.get("date")
    files = item.get("fichiers")
    if not (
        type(number) is int
        and 0 < number < 10**9
        and isinstance(state, str)
        and state in LABELS
        and isinstance(date, str)
        and _DATE.fullmatch(date)
        and isinstance(files, list)
    ):
        return []
    label = f"{LABELS[state]} (PR #{number})"
    paths = sorted({f for f in files if isinstance(f, str) and _ADHESION.fullmatch(f)})
    return [DatedEvent(date, state, label, path, SOURCE_REGISTER, "", number) for path in paths]
