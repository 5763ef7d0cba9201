"""The only module that talks to git.

It runs the `git` executable directly: `git diff --name-status` costs ~2 ms on
a 50,000-file repository where GitPython's diff objects cost ~13 ms, and the
import of GitPython alone (~140 ms) would dominate a pre-commit hook
(docs/developpeurs/measured-facts.md). Everything here returns plain data; nothing parses YAML.

Diffs always compare the *base* side with the *head* side (`merge-base...HEAD`
semantics, as in a pull request), never the other way round.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CoopError
from ..paths import DATA_DIRS, RULE_PATHS

EMPTY_BLOB = "0" * 40


@dataclass(frozen=True)
class Change:
    """One data file changed between the base and the head."""

    status: str  # "A", "M", "D" or "R"
    path: str  # the head path (the old path for a deletion)
    old_path: str | None = None  # the base path for a rename


@dataclass(frozen=True)
class FileChange:
    """One file changed by one commit, with the blob ids on each side."""

    status: str  # "A", "M", "D", "R" (copies and type changes are read as "M")
    path: str
    old_path: str | None
    old_blob: str | None
    new_blob: str | None


@dataclass(frozen=True)
class Commit:
    sha: str
    date: str  # committer date, YYYY-MM-DD
    subject: str
    changes: list[FileChange] = field(default_factory=list)


def _run(
    root: Path,
    *args: str,
    check: bool = True,
    stdin: bytes | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=check, input=stdin, env=env
        )
    except FileNotFoundError:
        raise _no_git() from None
    except subprocess.CalledProcessError as err:
        raise _failed(args, err.stderr, err.returncode) from None


def _no_git() -> CoopError:
    return CoopError(
        "La commande `git` est introuvable : installez git pour utiliser cette option."
    )


def _failed(args: Iterable[str], stderr: bytes, code: int) -> CoopError:
    detail = stderr.decode("utf-8", "replace").strip().splitlines()
    return CoopError(
        f"git a échoué ({' '.join(list(args)[:2])}) : {detail[-1] if detail else code}"
    )


def is_repository(root: Path) -> bool:
    """True when `root` is inside a git work tree."""
    try:
        result = _run(root, "rev-parse", "--is-inside-work-tree", check=False)
    except CoopError:
        return False
    return result.returncode == 0 and result.stdout.strip() == b"true"


def work_tree_root(start: Path) -> Path:
    """The enclosing git work tree, or `start` itself when it is not in one."""
    try:
        result = _run(start, "rev-parse", "--show-toplevel", check=False)
    except CoopError:
        return start.resolve()
    top = result.stdout.decode("utf-8", "replace").strip()
    return Path(top) if result.returncode == 0 and top else start.resolve()


def resolve(root: Path, ref: str) -> str | None:
    """The full sha of `ref`, or None when it names no commit."""
    if ref.startswith("-"):
        return None
    result = _run(
        root,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{ref}^{{commit}}",
        check=False,
    )
    if result.returncode != 0:
        return None
    return result.stdout.decode().strip() or None


def merge_base(root: Path, base_ref: str, head: str = "HEAD") -> str:
    """The commit a pull request from `head` into `base_ref` started from."""
    if not is_repository(root):
        raise CoopError(
            f"« {root} » n'est pas un dépôt git : l'option --base compare deux versions du dépôt."
        )
    base_sha = resolve(root, base_ref)
    if base_sha is None:
        raise CoopError(
            f"La référence de base « {base_ref} » est introuvable dans le dépôt : "
            "récupérez-la (`git fetch origin`) ou vérifiez son nom (exemple : `--base origin/main`)."
        )
    result = _run(root, "merge-base", base_sha, head, check=False)
    if result.returncode != 0:
        raise CoopError(
            f"Aucun ancêtre commun entre « {base_ref} » et {head} : la branche ne part pas de la base."
        )
    return result.stdout.decode().strip()


@dataclass(frozen=True)
class PullRequest:
    """What a pull request into a base changes: computed once per run."""

    base_sha: str  # merge-base of the base ref and HEAD
    changes: list[Change]  # data files (protocols/, adhesions/)
    rule_changes: list[Change] = field(
        default_factory=list
    )  # rule files (schemas/, relecteurs.yml)
    # (kind, path) of every gitlink ("sous-module") and symlink ("lien") under the data folders of HEAD
    special_entries: list[tuple[str, str]] = field(default_factory=list)
    # every other path the pull request changes: tooling, workflows, documentation
    other_changes: list[str] = field(default_factory=list)


def pull_request(root: Path, base_ref: str) -> PullRequest:
    return start_pull_request(root, base_ref)()


def start_pull_request(root: Path, base_ref: str) -> Callable[[], PullRequest]:
    """Start listing what a pull request changes; the function returned waits for the list.

    The listings stat every file of the register (0.13 s for 50,000 files): the
    caller imports and prepares its work meanwhile."""
    base_sha = merge_base(root, base_ref)
    listing = _start_listing(root, base_sha, with_rules=True)
    tree = _start(root, ["ls-tree", "-r", "-z", "--full-tree", "HEAD", "--", *DATA_DIRS])
    others = _start(
        root,
        [
            "diff",
            "--name-only",
            "-z",
            "--no-ext-diff",
            base_sha,
            "HEAD",
            "--",
            ".",
            *(f":(exclude){path}" for path in (*DATA_DIRS, *RULE_PATHS)),
        ],
    )

    def finish() -> PullRequest:
        found = listing()
        data = [c for c in found if c.path.split("/", 1)[0] in DATA_DIRS]
        specials = list(_special_entries(_finish(tree)[0]))
        other = [p for p in _finish(others)[0].decode("utf-8", "surrogateescape").split("\0") if p]
        return PullRequest(base_sha, data, [c for c in found if c not in data], specials, other)

    return finish


def work_tree_changes(root: Path) -> PullRequest | None:
    """The work tree as HEAD plus its uncommitted changes; None outside git or before a first commit."""
    if not is_repository(root) or (head := resolve(root, "HEAD")) is None:
        return None
    return PullRequest(head, _start_listing(root, head)())


def _start_listing(
    root: Path, base_sha: str, with_rules: bool = False
) -> Callable[[], list[Change]]:
    """Start listing the data files (and, `with_rules`, the rule files) changed between
    `base_sha` and the work tree, renames detected; the function returned waits for the list.

    The work tree (not HEAD) is the head side because the register is read from
    disk; in CI both are the same. Untracked new files count as added.
    """
    folders = [*DATA_DIRS, *(RULE_PATHS if with_rules else ())]
    running = _start(
        root,
        ["diff", "--name-status", "-M", "-z", "--no-ext-diff", base_sha, "--", *folders],
        ["ls-files", "-z", "--others", "--exclude-standard", "--", *folders],
    )

    def changes() -> list[Change]:
        diff, untracked = _finish(running)
        listed = _parse_name_status(diff.decode("utf-8", "surrogateescape").split("\0"))
        found = [part for change in listed for part in _split_move(change)]
        return found + [
            Change("A", path)
            for path in untracked.decode("utf-8", "surrogateescape").split("\0")
            if path
        ]

    return changes


def _start(root: Path, *commands: list[str]) -> list[tuple[list[str], subprocess.Popen[bytes]]]:
    """Start git commands side by side; `_finish` collects their outputs."""
    try:
        return [
            (
                args,
                subprocess.Popen(
                    ["git", "-C", str(root), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
                ),
            )
            for args in commands
        ]
    except FileNotFoundError:
        raise _no_git() from None


def _finish(running: list[tuple[list[str], subprocess.Popen[bytes]]]) -> list[bytes]:
    outputs = [process.communicate() for _, process in running]
    for (args, process), (_, err) in zip(running, outputs, strict=True):
        if process.returncode:
            raise _failed(args, err, process.returncode)
    return [out for out, _ in outputs]


SPECIAL_MODES = {b"160000": "sous-module", b"120000": "lien"}


def _special_entries(listing: bytes) -> Iterator[tuple[str, str]]:
    """Gitlinks and symlinks of an `ls-tree -r -z` listing ("<mode> <type> <id>\t<path>")."""
    for record in listing.split(b"\0"):
        kind = SPECIAL_MODES.get(record[:6])
        if kind is not None:
            path = record.partition(b"\t")[2].decode("utf-8", "surrogateescape")
            yield kind, path


def tree_blobs(root: Path, commit: str, folder: str) -> dict[str, str]:
    """Path → blob id of every file under `folder` at `commit`."""
    out = _run(root, "ls-tree", "-r", "-z", "--full-tree", commit, "--", folder).stdout
    blobs: dict[str, str] = {}
    for line in out.decode("utf-8", "surrogateescape").split("\0"):
        meta, _, path = line.partition("\t")
        if path:
            _, kind, blob = meta.split()
            if kind == "blob":
                blobs[path] = blob
    return blobs


def blob_changes(root: Path, old: str, new: str, folder: str) -> list[FileChange]:
    """Files under `folder` that differ between two commits, without rename detection
    (a rename is a deletion and an addition): tree to tree, so it costs the change."""
    out = _run(
        root, "diff", "--raw", "-z", "--no-renames", "--no-abbrev", old, new, "--", folder
    ).stdout
    return list(_parse_raw(out.decode("utf-8", "surrogateescape").split("\0")))


def _parse_name_status(fields: list[str]) -> Iterator[Change]:
    position = 0
    while position < len(fields) and fields[position]:
        status = fields[position][0]
        if status in "RC":
            old, new = fields[position + 1], fields[position + 2]
            position += 3
            yield Change("R", new, old) if status == "R" else Change("A", new)
            continue
        path = fields[position + 1]
        position += 2
        yield Change(status if status in "ADM" else "M", path)


def _split_move(change: Change) -> list[Change]:
    """A rename that leaves its folder family (`protocols/`, `adhesions/`, `schemas/`…) or its
    suffix is a deletion plus an addition: a move out of the data folders (into `schemas/`,
    to a `.yaml` name) must not hide the deletion of a data file."""
    if (
        change.status != "R"
        or change.old_path is None
        or _same_family(change.old_path, change.path)
    ):
        return [change]
    return [Change("D", change.old_path), Change("A", change.path)]


def _same_family(old: str, new: str) -> bool:
    return old.split("/", 1)[0] == new.split("/", 1)[0] and Path(old).suffix == Path(new).suffix


def read_blobs(root: Path, specs: Iterable[str]) -> dict[str, bytes | None]:
    """Contents of several objects (`sha` or `rev:path`) in one `git cat-file --batch`.

    A missing object maps to None.
    """
    wanted = list(dict.fromkeys(specs))
    if not wanted:
        return {}
    request = "".join(f"{spec}\n" for spec in wanted).encode("utf-8", "surrogateescape")
    try:
        command = ["git", "-C", str(root), "cat-file", "--batch", "--buffer"]
        result = subprocess.run(command, input=request, capture_output=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        raise CoopError(
            "Lecture impossible des fichiers dans l'historique git (`git cat-file`)."
        ) from None
    return dict(zip(wanted, _parse_batch(result.stdout), strict=True))


def _parse_batch(out: bytes) -> Iterator[bytes | None]:
    position = 0
    while position < len(out):
        header_end = out.index(b"\n", position)
        header = out[position:header_end].split()
        if header[-1] == b"missing" or len(header) < 3:
            position = header_end + 1
            yield None
            continue
        size = int(header[2])
        start = header_end + 1
        yield out[start : start + size]
        position = start + size + 1  # the content is followed by a newline


def first_added(root: Path, base_sha: str, folder: str) -> dict[str, str]:
    """{path: committer date (YYYY-MM-DD) of the first commit adding it} over `base_sha..HEAD`, in one pass."""
    out = _run(
        root,
        "log",
        "--diff-filter=A",
        "--no-renames",
        "--name-only",
        "-z",
        "--format=%x1e%cs",
        f"{base_sha}..HEAD",
        "--",
        folder,
    ).stdout.decode("utf-8", "surrogateescape")
    dates: dict[str, str] = {}
    for chunk in out.split("\x1e"):  # newest first: the oldest addition is written last
        date, *paths = [
            token.strip("\n")
            for token in chunk.replace("\n", "\0").split("\0")
            if token.strip("\n")
        ] or [""]
        for path in paths:
            dates[path] = date
    return dates


def first_parent_log(root: Path, ref: str) -> list[Commit]:
    """Every first-parent commit of `ref` touching the data folders, oldest first.

    One `git log` pass: merges are diffed against their first parent, so a pull
    request's files appear on its merge commit, dated by the merge.
    """
    out = _run(
        root,
        "log",
        "--first-parent",
        "--diff-merges=first-parent",
        "-M",
        "--raw",
        "--no-abbrev",
        "-z",
        "--format=%x1e%H%x1f%cs%x1f%s",
        "--end-of-options",
        ref,
        "--",
        *DATA_DIRS,
    ).stdout.decode("utf-8", "surrogateescape")
    commits = [_parse_commit(chunk) for chunk in out.split("\x1e") if chunk]
    commits.reverse()
    return commits


def _parse_commit(chunk: str) -> Commit:
    header, _, raw = chunk.partition("\0")
    sha, date, subject = [*header.split("\x1f"), "", ""][:3]
    return Commit(sha, date, subject.strip(), list(_parse_raw(raw.lstrip("\n").split("\0"))))


def _parse_raw(fields: list[str]) -> Iterator[FileChange]:
    position = 0
    while position < len(fields) and fields[position].startswith(":"):
        meta = fields[position][1:].split()
        old_blob, new_blob, status = _none_if_empty(meta[2]), _none_if_empty(meta[3]), meta[4][0]
        if status in "RC":
            old, new = fields[position + 1], fields[position + 2]
            position += 3
            yield FileChange(
                "R" if status == "R" else "A",
                new,
                old if status == "R" else None,
                old_blob if status == "R" else None,
                new_blob,
            )
            continue
        path = fields[position + 1]
        position += 2
        yield FileChange(status if status in "ADM" else "M", path, None, old_blob, new_blob)


def _none_if_empty(blob: str) -> str | None:
    return None if blob == EMPTY_BLOB else blob


def commit_file(root: Path, parent: str, rel: str, data: bytes, message: str) -> str:
    """A new commit: `parent`'s tree with `rel` holding `data`. Neither the work tree nor the
    index changes (a temporary index is used); no branch points to it yet (`create_branch`)."""
    blob = _run(root, "hash-object", "-w", "--stdin", stdin=data).stdout.decode().strip()
    with tempfile.TemporaryDirectory(prefix="coop-index-") as folder:
        env = {**os.environ, "GIT_INDEX_FILE": str(Path(folder) / "index")}
        _run(root, "read-tree", parent, env=env)
        _run(root, "update-index", "--add", "--cacheinfo", f"100644,{blob},{rel}", env=env)
        tree = _run(root, "write-tree", env=env).stdout.decode().strip()
    return (
        _run(root, "commit-tree", tree, "-p", parent, "-F", "-", stdin=message.encode())
        .stdout.decode()
        .strip()
    )


def branch_exists(root: Path, branch: str) -> bool:
    return (
        _run(
            root, "show-ref", "--verify", "--quiet", f"refs/heads/{branch}", check=False
        ).returncode
        == 0
    )


def create_branch(root: Path, branch: str, commit: str) -> None:
    """Point the new branch `branch` at `commit`; refused when it exists (nothing is overwritten)."""
    if _run(root, "check-ref-format", f"refs/heads/{branch}", check=False).returncode != 0:
        raise CoopError(f"« {branch} » ne peut pas être un nom de branche.")
    result = _run(root, "update-ref", f"refs/heads/{branch}", commit, "", check=False)
    if result.returncode != 0:
        raise CoopError(f"La branche « {branch} » existe déjà : rien n'a été écrit.", exit_code=1)


def file_at(root: Path, commit: str, rel: str) -> bytes | None:
    """The bytes of `rel` at `commit`, or None when it has no such file."""
    return read_blobs(root, [f"{commit}:{rel}"])[f"{commit}:{rel}"]


def add_detached_worktree(root: Path, folder: Path, commit: str) -> None:
    """Check `commit` out in `folder` (a new, linked work tree), HEAD detached."""
    _run(root, "worktree", "add", "--quiet", "--detach", str(folder), commit)


def remove_worktree(root: Path, folder: Path) -> None:
    _run(root, "worktree", "remove", "--force", str(folder), check=False)
    _run(root, "worktree", "prune", check=False)


def push_branch(root: Path, remote: str, branch: str) -> None:
    """Publish `branch` on `remote` under the same name (never forced)."""
    result = _run(
        root, "push", "--quiet", remote, f"refs/heads/{branch}:refs/heads/{branch}", check=False
    )
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise CoopError(
            f"L'envoi de la branche « {branch} » vers « {remote} » a échoué : "
            f"{detail[-1] if detail else result.returncode}."
        )
