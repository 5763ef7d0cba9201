"""Where the register is deployed: ONE place, `mkdocs.yml` (`repo_url`, `site_url`).

The organisation, the repository and the site's address are read from there.
A few files cannot read it themselves and must carry the values literally:
the issue form's contact link (GitHub wants an absolute address), the GitHub
teams of `relecteurs.yml` (`@<organisation>/<équipe>`, hence CODEOWNERS) and
the `$id` of the published schemas (an absolute URI). `coop deploiement`
rewrites them from `mkdocs.yml` and `--verifier` (run in CI) fails when one
drifts, as `coop proprietaires --verifier` does for CODEOWNERS.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import CoopError
from ..paths import SCHEMAS_DIR

MKDOCS = "mkdocs.yml"
ISSUE_CONFIG = ".github/ISSUE_TEMPLATE/config.yml"
REVIEWERS = "relecteurs.yml"
_REPO_URL = re.compile(
    r"^repo_url:\s*[\"']?https://github\.com/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+?)/?[\"']?\s*$", re.M
)
_SITE_URL = re.compile(r"^site_url:\s*[\"']?(https://\S+?/)[\"']?\s*$", re.M)
_TEAM = re.compile(r"@([A-Za-z0-9_.-]+)/")
_SCHEMA_ID = re.compile(r'"\$id":\s*"(https://\S+?/)schemas/')
_GUIDE_URL = re.compile(r"url:\s*(https://\S+?/)guides/")


@dataclass(frozen=True)
class Deployment:
    organisation: str
    repository: str
    site_url: str  # ends with "/"


def load(root: Path) -> Deployment:
    try:
        text = (root / MKDOCS).read_text(encoding="utf-8")
    except OSError:
        raise CoopError(
            f"{MKDOCS} est absent de {root} : c'est lui qui dit où le registre est déployé."
        ) from None
    repo, site = _REPO_URL.search(text), _SITE_URL.search(text)
    if not repo or not site:
        raise CoopError(
            f"{MKDOCS} doit donner `repo_url: https://github.com/<organisation>/<dépôt>` et "
            "`site_url: https://…/` (avec la barre finale)."
        )
    return Deployment(repo[1], repo[2], site[1])


def drifts(root: Path, deployment: Deployment) -> dict[str, str]:
    """{file: its content rewritten to `deployment`} for every file that does not follow mkdocs.yml."""
    changed = {}
    for rel, pattern, wanted in _places(root, deployment):
        path = root / rel
        text = path.read_text(encoding="utf-8")
        rewritten = _rewrite(text, pattern, wanted)
        if rewritten != text:
            changed[rel] = rewritten
    return changed


def _places(root: Path, deployment: Deployment) -> list[tuple[str, re.Pattern[str], str]]:
    places = [
        (ISSUE_CONFIG, _GUIDE_URL, deployment.site_url),
        (REVIEWERS, _TEAM, deployment.organisation),
    ]
    places += [
        (path.relative_to(root).as_posix(), _SCHEMA_ID, deployment.site_url)
        for path in sorted((root / SCHEMAS_DIR).glob("*.schema.json"))
    ]
    return [place for place in places if (root / place[0]).is_file()]


def _rewrite(text: str, pattern: re.Pattern[str], wanted: str) -> str:
    def replace(match: re.Match[str]) -> str:
        start, end = match.span(1)
        whole = match.group(0)
        return whole[: start - match.start()] + wanted + whole[end - match.start() :]

    return pattern.sub(replace, text)
