"""GitHub's REST API for the ARS desk: read (`coop instruction`), and one write, the pull
request `coop dossier ouvrir --pr` opens (no `gh` needed on the agent's computer).

The address, the repository and the token come from the variables GitHub
gives every job (GITHUB_API_URL, GITHUB_REPOSITORY, GH_TOKEN or
GITHUB_TOKEN); an agent on her own computer sets them, or passes `--depot`.
urllib rather than a client library: five GET endpoints and one POST, JSON in, JSON out.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from ..errors import CoopError

PER_PAGE = 100
MAX_PAGES = 20
_REPOSITORY = re.compile(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}")


@dataclass
class GitHub:
    repository: str
    token: str
    api_url: str = "https://api.github.com"
    seen: dict[str, Any] = field(default_factory=dict)  # one answer per address and run

    @classmethod
    def from_environment(cls, repository: str | None = None) -> GitHub:
        repository = repository or os.environ.get("GITHUB_REPOSITORY", "")
        if not _REPOSITORY.fullmatch(repository):
            raise CoopError(
                "Indiquez le dépôt du registre : --depot organisation/depot "
                "(ou la variable GITHUB_REPOSITORY)."
            )
        token = os.environ.get("GH_TOKEN") or os.environ.get("GITHUB_TOKEN") or ""
        if not token:
            raise CoopError(
                "Un jeton GitHub est nécessaire pour lire les pull requests : "
                "variable GH_TOKEN (ou GITHUB_TOKEN)."
            )
        url = os.environ.get("GITHUB_API_URL") or cls.api_url
        return cls(repository, token, url.rstrip("/"))

    def get(self, path: str) -> Any:
        """The JSON answer for `repos/<repository>/<path>`."""
        address = f"{self.api_url}/repos/{self.repository}/{path}"
        if address not in self.seen:
            self.seen[address] = self._fetch(address)
        return self.seen[address]

    def pages(self, path: str, limit: int = MAX_PAGES) -> list[Any]:
        """Every item of a paginated list (at most `limit` pages of 100)."""
        joiner = "&" if "?" in path else "?"
        items: list[Any] = []
        for page in range(1, limit + 1):
            batch = self.get(f"{path}{joiner}per_page={PER_PAGE}&page={page}")
            if not isinstance(batch, list):
                break
            items += batch
            if len(batch) < PER_PAGE:
                break
        return items

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST `body` (JSON) to `repos/<repository>/<path>`; the JSON answer."""
        address = f"{self.api_url}/repos/{self.repository}/{path}"
        return self._fetch(address, json.dumps(body).encode("utf-8"))

    def _fetch(self, address: str, body: bytes | None = None) -> Any:
        request = urllib.request.Request(
            address,
            data=body,
            headers={
                "Authorization": f"Bearer {self.token}",
                "Accept": "application/vnd.github+json",
                "X-GitHub-Api-Version": "2022-11-28",
                **({"Content-Type": "application/json"} if body else {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as answer:
                return json.loads(answer.read())
        except urllib.error.HTTPError as err:
            what = "création" if body else "lecture"
            raise CoopError(
                f"GitHub a répondu {err.code} pour {address} : vérifiez le dépôt et "
                f"les droits du jeton ({what} des pull requests)."
            ) from None
        except (OSError, http.client.HTTPException, ValueError, RecursionError) as err:
            raise CoopError(f"GitHub ne répond pas ({address}) : {err}.") from None
