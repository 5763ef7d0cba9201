"""A stand-in for the GitHub API, for workflows executed by act.

GitHub's REST and GraphQL services are not ours, so the tests serve the
endpoints our workflows call from one in-memory repository on 127.0.0.1 and
record every write. Pull requests, issues, reviews, comments, labels,
commit statuses and workflow runs can be seeded and asserted.
Only what our scripts call is served; anything else answers 404, so a new
call in a workflow fails its scenario until it is modelled here.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BOT = {"login": "github-actions[bot]", "type": "Bot"}


def user(login: str) -> dict[str, str]:
    return {"login": login, "type": "User"}


@dataclass
class Write:
    method: str
    path: str
    body: Any


@dataclass
class Repository:
    """The state the API serves: one repository."""

    full_name: str
    pulls: dict[int, dict[str, Any]] = field(default_factory=dict)
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    reviews: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    statuses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    runs: list[dict[str, Any]] = field(default_factory=list)
    check_runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    files: dict[int, list[str]] = field(default_factory=dict)
    writes: list[Write] = field(default_factory=list)
    next_id: int = 1000

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def add_pull(self, number: int, **fields: Any) -> dict[str, Any]:
        pull = {
            "number": number,
            "state": "open",
            "draft": False,
            "merged": False,
            "merged_at": None,
            "node_id": f"PR_{number}",
            "labels": [],
            "user": user("equipe"),
            "title": f"PR {number}",
            "created_at": "2026-12-01T09:00:00Z",
            "updated_at": "2026-12-01T09:00:00Z",
            **fields,
        }
        self.pulls[number] = pull
        return pull

    def add_issue(
        self,
        number: int,
        body: str,
        login: str = "equipe",
        labels: tuple[str, ...] = ("declaration-adhesion",),
    ) -> dict[str, Any]:
        issue = {
            "number": number,
            "body": body,
            "state": "open",
            "user": user(login),
            "labels": [{"name": name} for name in labels],
            "title": f"Issue {number}",
        }
        self.issues[number] = issue
        return issue

    def review(self, number: int, login: str, state: str, commit_id: str) -> None:
        self.reviews.setdefault(number, []).append(
            {"id": self.new_id(), "user": user(login), "state": state, "commit_id": commit_id}
        )

    def comment_bodies(self, number: int) -> list[str]:
        return [comment["body"] for comment in self.comments.get(number, [])]

    def labels_of(self, number: int) -> list[str]:
        owner = self.pulls.get(number) or self.issues.get(number) or {}
        return [label["name"] for label in owner.get("labels", [])]


class _Api:
    """Routes: (method, pattern) → handler(match, query, body) → (status, payload)."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        prefix = "/repos/" + re.escape(repo.full_name)
        self.routes = [
            ("GET", prefix + r"/pulls/(\d+)", self.get_pull),
            ("GET", prefix + r"/pulls/(\d+)/reviews", self.list_reviews),
            ("GET", prefix + r"/pulls/(\d+)/files", self.list_files),
            ("GET", prefix + r"/pulls", self.list_pulls),
            ("POST", prefix + r"/pulls", self.create_pull),
            ("GET", prefix + r"/issues", self.list_issues),
            ("GET", prefix + r"/issues/(\d+)/comments", self.list_comments),
            ("POST", prefix + r"/issues/(\d+)/comments", self.create_comment),
            ("PATCH", prefix + r"/issues/comments/(\d+)", self.update_comment),
            ("POST", prefix + r"/issues/(\d+)/labels", self.add_labels),
            ("POST", prefix + r"/labels", self.create_label),
            ("POST", prefix + r"/statuses/([0-9a-f]{40})", self.create_status),
            ("POST", prefix + r"/issues", self.create_issue),
            ("PATCH", prefix + r"/issues/(\d+)", self.update_issue),
            ("GET", prefix + r"/commits/([0-9a-f]{40})/check-runs", self.list_check_runs),
            ("GET", prefix + r"/commits/([0-9a-f]{40})/status", self.combined_status),
            ("GET", prefix + r"/actions/workflows/([\w.-]+)/runs", self.list_runs),
            ("POST", prefix + r"/actions/runs/(\d+)/rerun", self.rerun),
            ("POST", r"/graphql", self.graphql),
        ]

    def handle(self, method: str, url: str, body: Any) -> tuple[int, Any]:
        parts = urlsplit(url)
        path = parts.path.removeprefix("/api/v3")
        for verb, pattern, handler in self.routes:
            match = re.fullmatch(pattern, path)
            if verb == method and match:
                if method != "GET":
                    self.repo.writes.append(Write(method, path, body))
                return handler(match, parse_qs(parts.query), body)
        return 404, {"message": "Not Found"}

    def _pull(self, match: re.Match[str]) -> dict[str, Any] | None:
        return self.repo.pulls.get(int(match.group(1)))

    def get_pull(self, match, query, body):
        pull = self._pull(match)
        return (200, pull) if pull else (404, {"message": "Not Found"})

    def list_reviews(self, match, query, body):
        return 200, self.repo.reviews.get(int(match.group(1)), [])

    def list_files(self, match, query, body):
        return 200, [{"filename": name} for name in self.repo.files.get(int(match.group(1)), [])]

    def list_pulls(self, match, query, body):
        state = query.get("state", ["open"])[0]
        head = query.get("head", [None])[0]
        found = [
            pull
            for pull in self.repo.pulls.values()
            if state in ("all", pull.get("state", "open"))
            and (
                head is None
                or f"{self.repo.full_name.split('/')[0]}:{pull.get('head', {}).get('ref')}" == head
            )
        ]
        return 200, found

    def create_pull(self, match, query, body):
        number = max([*self.repo.pulls, *self.repo.issues, 0]) + 1
        pull = self.repo.add_pull(
            number,
            title=body["title"],
            body=body.get("body", ""),
            draft=bool(body.get("draft")),
            user=BOT,
            head={"ref": body["head"]},
            base={"ref": body["base"]},
        )
        pull["html_url"] = f"https://github.com/{self.repo.full_name}/pull/{number}"
        return 201, pull

    def list_issues(self, match, query, body):
        creator = query.get("creator", [None])[0]
        label = query.get("labels", [None])[0]
        state = query.get("state", ["open"])[0]
        found = [
            issue
            for issue in self.repo.issues.values()
            if state in ("all", issue["state"])
            and (creator is None or issue["user"]["login"] == creator)
            and (label is None or label in [x["name"] for x in issue["labels"]])
        ]
        return 200, found

    def create_issue(self, match, query, body):
        number = max([*self.repo.pulls, *self.repo.issues, 0]) + 1
        issue = self.repo.add_issue(
            number, body.get("body", ""), login=BOT["login"], labels=tuple(body.get("labels", ()))
        )
        issue.update(title=body["title"], user=BOT)
        return 201, issue

    def update_issue(self, match, query, body):
        issue = self.repo.issues.get(int(match.group(1)))
        if issue is None:
            return 404, {"message": "Not Found"}
        issue.update({key: body[key] for key in ("title", "body", "state") if key in body})
        return 200, issue

    def list_check_runs(self, match, query, body):
        name = query.get("check_name", [None])[0]
        runs = [
            run
            for run in self.repo.check_runs.get(match.group(1), [])
            if name in (None, run["name"])
        ]
        return 200, {"total_count": len(runs), "check_runs": runs}

    def combined_status(self, match, query, body):
        return 200, {"sha": match.group(1), "statuses": self.repo.statuses.get(match.group(1), [])}

    def list_comments(self, match, query, body):
        return 200, self.repo.comments.get(int(match.group(1)), [])

    def create_comment(self, match, query, body):
        comment = {"id": self.repo.new_id(), "body": body["body"], "user": BOT}
        self.repo.comments.setdefault(int(match.group(1)), []).append(comment)
        return 201, comment

    def update_comment(self, match, query, body):
        for comments in self.repo.comments.values():
            for comment in comments:
                if comment["id"] == int(match.group(1)):
                    comment["body"] = body["body"]
                    return 200, comment
        return 404, {"message": "Not Found"}

    def add_labels(self, match, query, body):
        number = int(match.group(1))
        owner = self.repo.pulls.get(number) or self.repo.issues.get(number)
        if owner is None:
            return 404, {"message": "Not Found"}
        names = [label["name"] for label in owner["labels"]]
        owner["labels"] += [{"name": name} for name in body["labels"] if name not in names]
        return 200, owner["labels"]

    def create_label(self, match, query, body):
        return 201, {"name": body["name"]}

    def create_status(self, match, query, body):
        self.repo.statuses.setdefault(match.group(1), []).append(body)
        return 201, body

    def list_runs(self, match, query, body):
        sha = query.get("head_sha", [None])[0]
        event = query.get("event", [None])[0]
        status = query.get("status", [None])[0]
        runs = [
            run
            for run in self.repo.runs
            if run["workflow"] == match.group(1)
            and sha in (None, run.get("head_sha"))
            and event in (None, run.get("event"))
            and status in (None, run.get("conclusion"))
        ]
        return 200, {"total_count": len(runs), "workflow_runs": runs}

    def rerun(self, match, query, body):
        return 201, {}

    def graphql(self, match, query, body):
        text = body.get("query", "")
        number = int(str(body.get("variables", {}).get("id", "PR_0")).removeprefix("PR_"))
        pull = self.repo.pulls.get(number)
        if pull is None:
            return 200, {"errors": [{"message": "Could not resolve to a node"}]}
        if "markPullRequestReadyForReview" in text:
            pull["draft"] = False
        elif "convertPullRequestToDraft" in text:
            pull["draft"] = True
        else:
            return 200, {"errors": [{"message": "unsupported"}]}
        return 200, {"data": {"pullRequest": {"isDraft": pull["draft"]}}}


class GitHubStandIn:
    """The server: `with GitHubStandIn(repo) as api:` then `api.url`."""

    def __init__(self, repo: Repository) -> None:
        self.repo = repo
        self.api = _Api(repo)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> GitHubStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        api = self.api
        lock = threading.Lock()

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                authorised = self.headers.get("Authorization", "").startswith(("Bearer ", "token "))
                with lock:
                    status, payload = (
                        (401, {"message": "Bad credentials"})
                        if not authorised
                        else api.handle(self.command, self.path, json.loads(raw) if raw else None)
                    )
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = _serve

            def log_message(self, format: str, *args: Any) -> None:
                pass

        return Handler
