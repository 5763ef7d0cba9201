"""Replace the old English spellings of `coop`'s commands and options with the French ones, in
every tracked text file (workflows, scripts, docs, README, tests, messages). Idempotent: run it
again after merging a branch that still writes the old names.

    .venv/bin/python scripts/rename_cli.py            # leaves out the site's pages and scripts
    .venv/bin/python scripts/rename_cli.py --tout     # every file, once those branches are merged

The names themselves (`COMMANDS`, `OPTIONS`) are the ones `coopps.cli.renamed` accepts and flags
on stderr; the CLI's own definitions are not rewritten here (they carry both spellings).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tooling"))

from coopps.cli.renamed import COMMANDS, OPTIONS  # noqa: E402  (after the path)

# Files that define the names or speak of them as old names.
NEVER = {
    "scripts/rename_cli.py",
    "tooling/coopps/cli/renamed.py",
    "tooling/tests/test_cli_renamed.py",
    "docs/developpeurs/cli.md",
}
# Other branches work on these (the site's pages and the declaration page's script): `--tout`
# once they are merged.
LATER = ("tooling/coopps/site/templates/", "tooling/coopps/site/assets/")
TEXT = {".py", ".md", ".yml", ".yaml", ".sh", ".js", ".html", ".txt", ".toml", ".cfg", ""}

OLD_COMMAND = "|".join(re.escape(old) for old in sorted(COMMANDS, key=len, reverse=True))
# `coop validate`, `coop new adhesion`: the word after `coop`, not part of a longer word.
COMMAND_WORD = re.compile(
    rf"(?:(?<![\w-])|(?<=\\[nt]))coop ({OLD_COMMAND})(?![\w-])"
)  # "\ncoop" in code
# In Python tests and scripts: a command name as the first argument of a CLI call.
CLI_LINE = re.compile(r"invoke\(|coop\(|_run\(|\bCOOP\b|run\(\)|\"coop\"|BIN / \"coop\"|\"--")
QUOTED_COMMAND = re.compile(
    rf"(?<=[\[(,] )\"({OLD_COMMAND})\"(?=[,\])])|(?<=[\[(])\"({OLD_COMMAND})\"(?=[,\])])"
)
OLD_OPTION = "|".join(re.escape(old) for old in sorted(OPTIONS, key=len, reverse=True))
OPTION_WORD = re.compile(rf"(?<![\w-])({OLD_OPTION})(?![\w-])")
COOP_LINE = re.compile(r"\bcoop\b")
# Other tools have these too (`ruff format --check`, `git diff --check`, `gzip --stdout`, `git log
# --root`): they are rewritten only on a line that runs or names `coop`.
AMBIGUOUS = {"--check", "--stdout"}
# A git call in a test (`git(repo, "status", "--porcelain")`) names git's commands, not coop's.
GIT_CALL = re.compile(r"\bgit\(|\"git\"")
OTHER_TOOL = re.compile(r"\b(git|ruff|prettier|gzip|black|mkdocs|npm|npx)\b")


def rewrite(text: str, python: bool) -> str:
    """`text` with the old spellings replaced: `coop <command>` everywhere; a quoted command
    name that starts a CLI call in Python; an option beside `coop` or in a Python CLI call,
    or anywhere for an option no other tool of the repository has."""
    text = COMMAND_WORD.sub(lambda m: f"coop {COMMANDS[m.group(1)]}", text)
    return "".join(_line(line, python) for line in text.splitlines(keepends=True))


def _line(line: str, python: bool) -> str:
    cli = bool(COOP_LINE.search(line) or (python and CLI_LINE.search(line)))
    if python and CLI_LINE.search(line) and not GIT_CALL.search(line):
        line = _quoted(line)
    other = bool(OTHER_TOOL.search(line)) and not COOP_LINE.search(line)

    def option(match: re.Match[str]) -> str:
        old = match.group(1)
        keep = other or (old in AMBIGUOUS and not cli)
        return old if keep else OPTIONS[old]

    return OPTION_WORD.sub(option, line)


def _quoted(line: str) -> str:
    return QUOTED_COMMAND.sub(lambda m: f'"{COMMANDS[m.group(1) or m.group(2)]}"', line)


def tracked_files(everything: bool) -> list[str]:
    listed = (
        subprocess.run(["git", "-C", str(REPO), "ls-files", "-z"], capture_output=True, check=True)
        .stdout.decode("utf-8")
        .split("\0")
    )
    return [
        rel
        for rel in listed
        if rel
        and rel not in NEVER
        and Path(rel).suffix in TEXT
        and (everything or not rel.startswith(LATER))
        and (REPO / rel).is_file()
        and not (REPO / rel).is_symlink()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tout", action="store_true", help="also the site's pages and scripts")
    arguments = parser.parse_args()
    changed = []
    for rel in tracked_files(arguments.tout):
        path = REPO / rel
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        new = rewrite(text, rel.endswith(".py"))
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(rel)
    print(f"{len(changed)} fichiers modifiés" + "".join(f"\n  {rel}" for rel in changed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
