"""The synthetic register's git history: `main` with dated commits (by `git fast-import`,
seconds for 50,000 files) and a branch `pr` that changes three files."""

from __future__ import annotations

import datetime
import os
import random
import subprocess
from pathlib import Path
from typing import Any

from coopps.errors import CoopError
from coopps.paths import SCHEMAS_DIR
from coopps.rules.identifiers import luhn_complete
from synth_vocabulary import LAST_DAY

GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Générateur synthétique",
    "GIT_AUTHOR_EMAIL": "synth@example.invalid",
    "GIT_COMMITTER_NAME": "Générateur synthétique",
    "GIT_COMMITTER_EMAIL": "synth@example.invalid",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}


def git_history(dest: Path, seed: int) -> None:
    """Commits on `main` with pinned dates (one per group of regions), then a branch `pr` changing 3 files.

    One `git fast-import` stream writes a single pack (no 50,000 loose objects); the
    index is then read from the tree of `pr`, the branch left checked out."""
    git(dest, "init", "-q", "-b", "main")
    regions = (
        sorted(p.name for p in (dest / "adhesions").iterdir())
        if (dest / "adhesions").is_dir()
        else []
    )
    groups = [regions[start : start + 4] for start in range(0, len(regions), 4)]
    importer = subprocess.Popen(
        ["git", "-C", str(dest), "fast-import", "--quiet", "--done"],
        stdin=subprocess.PIPE,
        env={**os.environ, **GIT_IDENTITY},
    )
    assert importer.stdin is not None
    stream = importer.stdin
    base = [
        ".gitignore",
        "README.md",
        *_files_under(dest, SCHEMAS_DIR),
        *_files_under(dest, "protocols"),
    ]
    _commit(stream, dest, "main", "Registre synthétique : protocoles", "2025-07-01", base)
    for number, group in enumerate(groups):
        files = [rel for code in group for rel in _files_under(dest, f"adhesions/{code}")]
        _commit(
            stream,
            dest,
            "main",
            f"Adhésions des régions {', '.join(group)}",
            f"2025-{number + 7:02d}-15",
            files,
        )
    changed = pr_change(dest, seed)
    _commit(
        stream,
        dest,
        "pr",
        "Pull request synthétique : une adhésion, un membre, une fin",
        "2025-12-01",
        changed,
        parent="refs/heads/main",
    )
    stream.write(b"done\n")
    stream.close()
    if importer.wait() != 0:
        raise CoopError("git fast-import a échoué.")
    git(dest, "symbolic-ref", "HEAD", "refs/heads/pr")
    git(dest, "read-tree", "HEAD")
    git(dest, "update-index", "-q", "--refresh")


def _files_under(root: Path, folder: str) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in (root / folder).rglob("*") if p.is_file())


def _commit(
    stream: Any, root: Path, branch: str, message: str, day: str, files: list[str], parent: str = ""
) -> None:
    when = int(datetime.datetime.fromisoformat(f"{day}T12:00:00+00:00").timestamp())
    who = f"{GIT_IDENTITY['GIT_AUTHOR_NAME']} <{GIT_IDENTITY['GIT_AUTHOR_EMAIL']}> {when} +0000"
    text = message.encode()
    chunks = [
        f"commit refs/heads/{branch}\nauthor {who}\ncommitter {who}\ndata {len(text)}\n".encode(),
        text,
        b"\n",
    ]
    if parent:
        chunks.append(f"from {parent}\n".encode())
    for rel in files:
        raw = (root / rel).read_bytes()
        chunks += [f"M 100644 inline {rel}\ndata {len(raw)}\n".encode(), raw, b"\n"]
    stream.write(b"".join(chunks) + b"\n")


def pr_change(dest: Path, seed: int) -> list[str]:
    """A pull request's worth of change on 3 files: a new adhesion, a new member, an ending."""
    files = sorted(p.relative_to(dest).as_posix() for p in (dest / "adhesions").glob("*/*/*.yml"))
    rng = random.Random(seed)
    candidates = [f for f in files if "/loc-" not in f]
    rng.shuffle(candidates)
    source, grown, ended = [
        f for f in candidates[:50] if "fin:" not in (dest / f).read_text(encoding="utf-8")
    ][:3]
    new = source.rsplit("/", 1)[0] + "/equipe-nouvelle-synthetique.yml"
    (dest / new).write_text((dest / source).read_text(encoding="utf-8"), encoding="utf-8")
    _add_member(dest / grown)
    with (dest / ended).open("a", encoding="utf-8") as stream:
        stream.write(f"fin:\n  date: {LAST_DAY}\n  motif: Départ du délégué de l'équipe\n")
    return [new, grown, ended]


def _add_member(path: Path) -> None:
    """Duplicate the first délégant under a new RPPS, with its pieces."""
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("membres:\n", 1)
    first = rest.split("  - ", 2)[1]
    old = first.split('"', 2)[1]
    new = luhn_complete("19" + old[2:10])
    member = "  - " + first.replace(old, new).replace("role: delegue", "role: delegant")
    member = (
        "\n".join(
            line
            for line in member.splitlines()
            if not line.startswith(("    formation:", "      "))
        )
        + "\n"
    )
    kinds = ["piece_identite", "diplome"] + (
        ["accord_employeur"] if "mode_exercice: salarie" in member else []
    )
    pieces = "".join(
        f'  - type: {kind}\n    membre: "{new}"\n    sha256: {"ab" * 32}\n' for kind in kinds
    )
    text = head + "membres:\n" + member + rest
    members_part, pieces_part = text.split("pieces:\n", 1)
    path.write_text(members_part + "pieces:\n" + pieces + pieces_part, encoding="utf-8")


def git(root: Path, *args: str, date: str | None = None) -> None:
    env = {**os.environ, **GIT_IDENTITY}
    if date:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{date}T12:00:00+00:00"
    result = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=env
    )
    if result.returncode != 0:
        raise CoopError(f"git {args[0]} a échoué : {result.stderr.strip()}")
