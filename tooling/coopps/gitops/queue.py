"""The ARS desk: each region's pending declarations as a queue, read from GitHub.

Pending declarations are pull requests labelled `region-<code>`; their state
comes from GitHub (draft, reviews, the check of the head commit), their
findings from the bot's comment. Sections, oldest first in each:

- à instruire: sent, or completed by the team after a request;
- en attente de l'équipe: the ARS asked for changes on the current commit;
- prêtes à fusionner: approved on the current commit, check green;
- brouillons: drafts;
- traitées: closed in the last 90 days — instruite (merged), refusée (closed
  without merge), classée sans suite (closed with the label `sans-suite`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import quote

from .github import GitHub

SECTIONS = {
    "a-instruire": "À instruire",
    "attente-equipe": "En attente de l'équipe",
    "prete": "Prêtes à fusionner",
    "brouillon": "Brouillons",
    "traitee": "Traitées (90 derniers jours)",
}
DECISIONS = {"instruite": "instruite", "refusee": "refusée", "sans-suite": "classée sans suite"}
STALE_DAYS = 30
TREATED_DAYS = 90
CHECK_NAME = "Contrôle du registre"
COMMENT_MARKER = "<!-- coop-ps:controle -->"
_COUNTS = re.compile(r"<!-- coop-ps:constats erreurs=(\d{1,6}) avertissements=(\d{1,6}) -->")


@dataclass(frozen=True)
class Item:
    """One declaration of the queue."""

    region: str
    number: int
    title: str
    section: str
    decision: str | None
    opened: str  # YYYY-MM-DD
    closed: str | None
    age: int  # days since it was opened
    quiet: int  # days since its last update
    errors: int | None
    warnings: int | None
    motif: str = ""  # a closed declaration: the ARS's last comment before closing it

    @property
    def stale(self) -> bool:
        return self.section != "traitee" and self.quiet > STALE_DAYS

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "stale": self.stale}


def region_queue(api: GitHub, region: str, today: datetime.date) -> list[Item]:
    """The region's declarations by section, oldest first in each."""
    label = f"region-{region}"
    pending = [
        pr
        for pr in api.pages("pulls?state=open&sort=created&direction=asc")
        if _well_formed(pr) and label in _labels(pr)
    ]
    recent = [
        pr
        for pr in api.pages("pulls?state=closed&sort=updated&direction=desc", limit=3)
        if _well_formed(pr)
        and label in _labels(pr)
        and _days(pr.get("closed_at"), today) <= TREATED_DAYS
    ]
    items = [_item(api, pr, region, today) for pr in [*pending, *recent]]
    order = list(SECTIONS)
    return sorted(items, key=lambda i: (order.index(i.section), i.opened, i.number))


def _item(api: GitHub, pr: dict[str, Any], region: str, today: datetime.date) -> Item:
    number = int(pr["number"])
    section, decision = _state(api, pr)
    errors, warnings = _counts(api, number) if section != "traitee" else (None, None)
    closed = str(pr["closed_at"])[:10] if pr.get("closed_at") else None
    motif = _motif(api, number) if decision in ("refusee", "sans-suite") else ""
    return Item(
        region,
        number,
        str(pr.get("title", "")),
        section,
        decision,
        str(pr.get("created_at", ""))[:10],
        closed,
        _days(pr.get("created_at"), today),
        _days(pr.get("updated_at"), today),
        errors,
        warnings,
        motif,
    )


def _state(api: GitHub, pr: dict[str, Any]) -> tuple[str, str | None]:
    if pr.get("state") == "closed":
        if pr.get("merged_at"):
            return "traitee", "instruite"
        return "traitee", "sans-suite" if "sans-suite" in _labels(pr) else "refusee"
    if pr.get("draft"):
        return "brouillon", None
    head = pr["head"]["sha"]
    latest = _latest_reviews(api.pages(f"pulls/{pr['number']}/reviews"))
    if any(r["state"] == "CHANGES_REQUESTED" and r.get("commit_id") == head for r in latest):
        return "attente-equipe", None
    approved = any(r["state"] == "APPROVED" and r.get("commit_id") == head for r in latest)
    return ("prete" if approved and _green(api, head) else "a-instruire"), None


def _list(document: Any, key: str) -> list[dict[str, Any]]:
    items = document.get(key) if isinstance(document, dict) else None
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _latest_reviews(reviews: Iterable[Any]) -> list[dict[str, Any]]:
    """Each reviewer's last review that is not a mere comment."""
    latest: dict[str, dict[str, Any]] = {}
    for review in reviews:
        user = review.get("user") if isinstance(review, dict) else None
        if isinstance(user, dict) and review.get("state") != "COMMENTED":
            latest[str(user.get("login"))] = review
    return list(latest.values())


def _green(api: GitHub, sha: str) -> bool:
    """The check « Contrôle du registre » passed on `sha` (a job's check run, or the bot's status)."""
    runs = api.get(f"commits/{sha}/check-runs?check_name={quote(CHECK_NAME)}")
    statuses = api.get(f"commits/{sha}/status")
    passed = [run.get("conclusion") == "success" for run in _list(runs, "check_runs")]
    posted = [
        s.get("state") == "success"
        for s in _list(statuses, "statuses")
        if s.get("context") == CHECK_NAME
    ]
    return bool(passed or posted) and all(passed) and all(posted)


def _counts(api: GitHub, number: int) -> tuple[int | None, int | None]:
    """The findings counted in the bot's comment (its hidden second line)."""
    for comment in api.pages(f"issues/{number}/comments"):
        if not isinstance(comment, dict) or not isinstance(comment.get("user"), dict):
            continue
        body = str(comment.get("body", ""))
        is_bot = comment["user"].get("type") == "Bot"
        if is_bot and body.startswith(COMMENT_MARKER) and (found := _COUNTS.search(body)):
            return int(found.group(1)), int(found.group(2))
    return None, None


def _well_formed(pr: Any) -> bool:
    """A pull request as GitHub describes one (anything else is left out, never a crash)."""
    return (
        isinstance(pr, dict)
        and type(pr.get("number")) is int
        and isinstance(pr.get("head"), dict)
        and isinstance(pr["head"].get("sha"), str)
        and isinstance(pr.get("labels", []), list)
    )


def _motif(api: GitHub, number: int) -> str:
    """The last comment a person (not the bot) wrote on the pull request: the ARS's reason."""
    said = [
        str(c.get("body") or "")
        for c in api.pages(f"issues/{number}/comments")
        if isinstance(c, dict)
        and isinstance(c.get("user"), dict)
        and c["user"].get("type") != "Bot"
    ]
    return " ".join(said[-1].split())[:300] if said else ""


def _labels(pr: dict[str, Any]) -> set[str]:
    return {str(label.get("name")) for label in pr.get("labels", []) if isinstance(label, dict)}


def _days(stamp: Any, today: datetime.date) -> int:
    try:
        return (today - datetime.date.fromisoformat(str(stamp)[:10])).days
    except ValueError:
        return 0
