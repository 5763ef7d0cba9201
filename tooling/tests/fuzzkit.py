"""Mutation fuzzing of the shipped data files: what a file may become, and what must hold whatever it is.

A case is one shipped valid file (protocols/, adhesions/) put through one to three mutations:
bytes flipped or inserted, YAML structure broken (lines deleted, duplicated, swapped, re-indented,
indicators inserted), a value replaced by a hostile scalar of `HOSTILE_SCALARS`, or a character
of any Unicode category inserted. `check_case` writes it in place in a scratch register and runs
`coop verifier` (one of the three formats) and `coop formater` in process; `Outcome.problems` lists every
broken invariant: exit 0 or 1 (or 2 with a French message), no « Erreur interne », no traceback, under
`BUDGET_SECONDS`, and `fmt` idempotent and keeping the data (numeric identifiers written as text, as
fmt promises). Used by test_fuzz.py (hypothesis, a fixed budget) and scripts/fuzz.sh (a long
campaign, fuzz_campaign.py).
"""

from __future__ import annotations

import random
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from coopps.authoring.fmt import promised_data
from coopps.cli import main
from coopps.reading import read_bytes

REPO_ROOT = Path(__file__).resolve().parents[2]
# Budgets are CPU seconds of this process: a machine busy with other work slows a case
# without making it a hang.
BUDGET_SECONDS = 2.0
HANG_SECONDS = 20  # a case still running then is stopped and counted as a hang
FORMATS = ("text", "json", "github")
HOSTILE_SCALARS = (
    "1e309",
    "-1e309",
    ".inf",
    "-.Inf",
    ".nan",
    "9" * 5000,
    "-" + "9" * 400,
    "1e308",
    "0x1F",
    "0o17",
    "1_000",
    "01000",
    "1:30",
    "yes",
    "No",
    "on",
    "~",
    "null",
    "",
    "''",
    '""',
    "[]",
    "{}",
    "[[[[",
    "{a: [b, {c: d}]}",
    "!!binary aGVsbG8=",
    "!!python/object:os.system",
    "!x",
    "&a v",
    "*a",
    "<<",
    "? k",
    "- x",
    "|",
    ">-",
    "#",
    "'unterminated",
    '"\\u202e"',
    '"\\e[2J"',
    '"\\x00"',
    '"\\uFFFF"',
    "\u2800\u2800\u2800",
    "\u3000",
    "\u00ad",
    "\u202eevil",
    "\ufeff",
    "\U0001f600",
    "a" * 100_000,
    "!" * 13 + "a" * 50_000,
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "<script>alert(1)</script>",
    "]]>",
    "%",
    "\\",
    "é" * 300,
    "2024-13-45",
    "2024-02-30",
    "0612345678",
    "jean.dupont@exemple.fr",
    "10000000009",
)
STRUCTURE_TOKENS = (
    "- ",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "? ",
    "&a ",
    "*a",
    "!!str ",
    "! ",
    "---\n",
    "...\n",
    "%YAML 1.2\n",
    "\t",
    "#",
    '"',
    "'",
    "|\n",
    ">\n",
    ",",
    "<<: ",
    "\n  ",
    "\n-",
)


@dataclass(frozen=True)
class Seed:
    path: str
    data: bytes


def shipped_seeds(root: Path = REPO_ROOT) -> list[Seed]:
    """Every valid data file the repository ships, with its register path."""
    files = sorted([*root.glob("protocols/*.yml"), *root.glob("adhesions/*/*/*.yml")])
    return [Seed(str(file.relative_to(root)), file.read_bytes()) for file in files]


# --- mutations --------------------------------------------------------------------------------------------


def _flip_bytes(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if out:
            out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def _insert_bytes(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + rng.randbytes(rng.randint(1, 8)) + data[at:]


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _edit_lines(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    at, other = rng.randrange(len(lines)), rng.randrange(len(lines))
    action = rng.randrange(4)
    if action == 0:
        del lines[at]
    elif action == 1:
        lines.insert(at, lines[other])
    elif action == 2:
        lines[at], lines[other] = lines[other], lines[at]
    else:
        lines[at] = b" " * rng.choice((1, 2, 3, 4, 8)) + lines[at].lstrip(b" ")
    return b"\n".join(lines)


def _insert_token(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    return data[:at] + rng.choice(STRUCTURE_TOKENS).encode() + data[at:]


def _hostile_value(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    valued = [
        index for index, line in enumerate(lines) if b": " in line and not line.startswith(b"#")
    ]
    if not valued:
        return data
    index = rng.choice(valued)
    key = lines[index].split(b": ", 1)[0]
    lines[index] = key + b": " + rng.choice(HOSTILE_SCALARS).encode("utf-8")
    return b"\n".join(lines)


def random_character(rng: random.Random) -> str:
    """Any code point, of any Unicode category (surrogates included: written as invalid UTF-8)."""
    plane = rng.choice((0x80, 0x800, 0x3000, 0x10000, 0x110000))
    return chr(rng.randrange(plane))


def _insert_character(rng: random.Random, data: bytes) -> bytes:
    at = rng.randint(0, len(data))
    while at < len(data) and (data[at] & 0xC0) == 0x80:  # at a character boundary
        at += 1
    return data[:at] + random_character(rng).encode("utf-8", "surrogatepass") + data[at:]


MUTATIONS: dict[str, Callable[[random.Random, bytes], bytes]] = {
    "octets": _flip_bytes,
    "insertion-octets": _insert_bytes,
    "lignes": _edit_lines,
    "structure": _insert_token,
    "valeur-hostile": _hostile_value,
    "unicode": _insert_character,
}


def mutate(rng: random.Random, seed: Seed, families: tuple[str, ...] = tuple(MUTATIONS)) -> bytes:
    data = seed.data
    for _ in range(rng.randint(1, 3)):
        data = MUTATIONS[rng.choice(families)](rng, data)
    return data


# --- invariants -------------------------------------------------------------------------------------------


class Hang(Exception):
    pass


@contextmanager
def stopped_after(seconds: float) -> Iterator[None]:
    def _stop(signum: int, frame: object) -> None:
        raise Hang

    previous = signal.signal(signal.SIGPROF, _stop)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous)


@dataclass
class Outcome:
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    crash: bool = False
    hang: bool = False
    traceback: bool = False


def scratch_copy(destination: Path) -> Path:
    """The shipped register (data, schemas, reviewers) copied where cases may overwrite it."""
    for name in ("protocols", "adhesions", "schemas"):
        shutil.copytree(REPO_ROOT / name, destination / name, dirs_exist_ok=True)
    shutil.copy(REPO_ROOT / "relecteurs.yml", destination / "relecteurs.yml")
    return destination


def check_case(root: Path, seed: Seed, data: bytes, output_format: str = "text") -> Outcome:
    """Write `data` at the seed's path, run validate then fmt, put the seed back; what broke."""
    outcome = Outcome()
    target = root / seed.path
    target.write_bytes(data)
    start = time.process_time()
    try:
        with stopped_after(HANG_SECONDS):
            _validate(root, seed.path, output_format, outcome)
            _fmt(root, seed.path, data, outcome)
    except Hang:
        outcome.hang = True
        outcome.problems.append(f"arrêté après {HANG_SECONDS} s")
    finally:
        target.write_bytes(seed.data)
    outcome.seconds = time.process_time() - start
    if outcome.seconds > BUDGET_SECONDS and not outcome.hang:
        outcome.problems.append(f"{outcome.seconds:.1f} s (plus de {BUDGET_SECONDS} s)")
    return outcome


def _run(root: Path, args: list[str], outcome: Outcome) -> tuple[int, str]:
    result = CliRunner().invoke(main, [*args, "--racine", str(root)])
    output = result.output
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        if isinstance(result.exception, Hang):
            raise result.exception
        outcome.crash = True
        outcome.problems.append(
            f"{args[0]} : exception {type(result.exception).__name__}: {result.exception}"[:300]
        )
    if "Traceback" in output:
        outcome.traceback = True
        outcome.problems.append(f"{args[0]} : traceback")
    if "Erreur interne" in output:
        outcome.crash = True
        outcome.problems.append(f"{args[0]} : {output.strip()[-200:]}")
    if result.exit_code not in (0, 1) and not (
        result.exit_code == 2 and output.startswith("Erreur")
    ):
        outcome.problems.append(f"{args[0]} : sortie {result.exit_code} : {output.strip()[:200]}")
    return result.exit_code, output


def _validate(root: Path, rel: str, output_format: str, outcome: Outcome) -> None:
    _run(root, ["verifier", rel, "--format", output_format], outcome)


def _fmt(root: Path, rel: str, data: bytes, outcome: Outcome) -> None:
    _run(root, ["formater", rel], outcome)
    formatted = (root / rel).read_bytes()
    if formatted == data:
        return
    before, after = read_bytes(rel, data), read_bytes(rel, formatted)
    if after.data != promised_data(before.data):
        outcome.problems.append("fmt : les données relues diffèrent de celles du fichier d'origine")
    _run(root, ["formater", rel], outcome)
    if (root / rel).read_bytes() != formatted:
        outcome.problems.append("fmt : un second passage change encore le fichier")
