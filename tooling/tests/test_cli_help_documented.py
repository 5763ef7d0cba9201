"""Every `coop` command and option has a French help text and is documented
(sqlite-utils style: the click tree is walked, the docs are searched).

Documented means: the option is written in a block of README.md or docs/ (a
paragraph, a fenced code block or a table row) that names the command
(`coop nouveau adhesion`), or in the README paragraph on the options every command
takes (« Every command takes … »).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from coopps.cli import main

REPO_ROOT = Path(__file__).resolve().parents[2]
# whole words that give away an English help text
ENGLISH_WORDS = re.compile(
    r"\b(the|show|path|of|and|to|is|with|print|output|write|file|files|directory|default|use|for|from|"
    r"only|not|this|when|if|exit|instead|each|every|given|value|values|format of|branch)\b",
    re.IGNORECASE,
)
COMMON_OPTIONS_MARK = "Every command takes"


@dataclass(frozen=True)
class Documented:
    path: tuple[str, ...]
    command: click.Command

    @property
    def name(self) -> str:
        return " ".join(("coop", *self.path))

    def options(self) -> list[click.Option]:
        return [param for param in self.command.params if isinstance(param, click.Option)]


def walk(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[Documented]:
    yield Documented(path, command)
    if isinstance(command, click.Group):
        context = click.Context(command, info_name=path[-1] if path else "coop")
        for name in command.list_commands(context):
            sub = command.get_command(context, name)
            assert sub is not None, name
            yield from walk(sub, (*path, name))


COMMANDS = list(walk(main))
LEAVES = [c for c in COMMANDS if not isinstance(c.command, click.Group)]
OPTIONS = [(c, option) for c in COMMANDS for option in c.options()]


def command_cases(commands: list[Documented]) -> list[object]:
    return [pytest.param(c, id=c.name) for c in commands]


def option_cases(options: list[tuple[Documented, click.Option]]) -> list[object]:
    return [pytest.param(c, o, id=f"{c.name} {o.opts[0]}") for c, o in options]


def markdown_blocks(text: str) -> list[str]:
    """Paragraphs, whole fenced code blocks and single table rows."""
    blocks: list[str] = []
    current: list[str] = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
        if not fenced and (not line.strip() or line.lstrip().startswith("|")):
            blocks += ["\n".join(current)] if current else []
            current = []
            blocks += [line] if line.strip() else []
            continue
        current.append(line)
    return blocks + (["\n".join(current)] if current else [])


def documentation() -> dict[str, list[str]]:
    files = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md"))]
    return {
        path.relative_to(REPO_ROOT).as_posix(): markdown_blocks(path.read_text(encoding="utf-8"))
        for path in files
    }


DOCS = documentation()


def names_command(block: str, name: str) -> bool:
    return re.search(re.escape(name) + r"(?![\w-])", block) is not None


def writes_option(block: str, option: str) -> bool:
    return re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", block) is not None


def blocks_about(name: str) -> list[str]:
    return [block for blocks in DOCS.values() for block in blocks if names_command(block, name)]


def common_options_blocks() -> list[str]:
    return [block for block in DOCS["README.md"] if COMMON_OPTIONS_MARK in block]


def looks_english(text: str) -> list[str]:
    return ENGLISH_WORDS.findall(re.sub(r"`[^`]*`", "", text))


def test_the_walk_reaches_every_command() -> None:
    names = {c.name for c in COMMANDS}
    assert {
        "coop verifier",
        "coop nouveau adhesion",
        "coop nouveau protocole",
        "coop chiffres",
    } <= names
    assert len(OPTIONS) > 40


@pytest.mark.parametrize("command", command_cases(COMMANDS))
def test_command_has_a_french_help_text(command: Documented) -> None:
    text = (command.command.help or "").strip()
    assert text, f"{command.name} : aide vide"
    assert not looks_english(text), f"{command.name} : aide en anglais ? {looks_english(text)}"


@pytest.mark.parametrize(("command", "option"), option_cases(OPTIONS))
def test_option_has_a_french_help_text(command: Documented, option: click.Option) -> None:
    text = (option.help or "").strip()
    assert text, f"{command.name} {option.opts[0]} : aide vide"
    assert not looks_english(text), (
        f"{command.name} {option.opts[0]} : aide en anglais ? {looks_english(text)}"
    )


@pytest.mark.parametrize("command", command_cases(LEAVES))
def test_command_is_in_the_readme_table(command: Documented) -> None:
    rows = [block for block in DOCS["README.md"] if block.startswith("|")]
    assert any(names_command(row, command.name) for row in rows), command.name


@pytest.mark.parametrize(("command", "option"), option_cases(OPTIONS))
def test_option_is_documented(command: Documented, option: click.Option) -> None:
    blocks = blocks_about(command.name) + common_options_blocks()
    spelled = [*option.opts, *option.secondary_opts]
    assert any(writes_option(block, opt) for block in blocks for opt in spelled), (
        f"{command.name} {option.opts[0]} n'apparaît ni dans le README ni dans docs/ à côté de la commande"
    )


def test_english_detection_catches_english() -> None:
    assert looks_english("Show this message and exit.")
    assert looks_english("Path of the register.")
    assert not looks_english(
        "Racine du registre (par défaut : le dépôt git qui contient le dossier courant)."
    )
    assert not looks_english(
        "Créer un historique git (main) et une branche `pr` modifiant 3 fichiers."
    )


def test_blocks_keep_a_fenced_command_with_its_options() -> None:
    text = (
        "Intro\n\n```\ncoop chiffres \\\n\n    --tableau retards\n```\n\n"
        "| `coop formater [--verifier]` | x |\n| `coop b` | y |\n"
    )
    blocks = markdown_blocks(text)
    assert blocks[0] == "Intro"
    assert "--tableau" in blocks[1] and "coop chiffres" in blocks[1]
    assert blocks[2:] == ["| `coop formater [--verifier]` | x |", "| `coop b` | y |"]
    assert not names_command("coop nouveau adhesion", "coop nouveau protocole")
    assert not writes_option("--date-depot", "--date")
