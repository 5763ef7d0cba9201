"""The long fuzzing campaign (scripts/fuzz.sh): N mutated files through fuzzkit's invariants, the
figures written to docs/developpeurs/fuzz-<date>.md. Usage: python fuzz_campaign.py [N] [SEED]."""

from __future__ import annotations

import datetime
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import fuzzkit


def main(count: int, seed: int) -> int:
    os.environ.setdefault("COOP_CACHE_DIR", tempfile.mkdtemp(prefix="coop-fuzz-cache-"))
    root = fuzzkit.scratch_copy(Path(tempfile.mkdtemp(prefix="coop-fuzz-")))
    seeds, rng = fuzzkit.shipped_seeds(), random.Random(seed)
    totals: Counter[str] = Counter()
    failures: list[str] = []
    slowest, start = 0.0, time.monotonic()
    for number in range(count):
        case = rng.choice(seeds)
        outcome = fuzzkit.check_case(
            root, case, fuzzkit.mutate(rng, case), fuzzkit.FORMATS[number % 3]
        )
        slowest = max(slowest, outcome.seconds)
        totals.update(
            {
                "crash": outcome.crash,
                "hang": outcome.hang,
                "traceback": outcome.traceback,
                "slow": outcome.seconds > fuzzkit.BUDGET_SECONDS,
                "failed": bool(outcome.problems),
            }
        )
        if outcome.problems:
            print(f"case {number} ({case.path}): {'; '.join(outcome.problems)}", flush=True)
        if outcome.problems and len(failures) < 50:
            failures.append(f"- case {number} ({case.path}): {'; '.join(outcome.problems)}")
        if number % 500 == 499:
            print(
                f"{number + 1} files, {totals['failed']} failing, {time.monotonic() - start:.0f} s",
                flush=True,
            )
    write_report(count, seed, totals, failures, slowest, time.monotonic() - start)
    return 1 if totals["failed"] else 0


def write_report(
    count: int, seed: int, totals: Counter[str], failures: list[str], slowest: float, seconds: float
) -> None:
    today = datetime.date.today().isoformat()
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=fuzzkit.REPO_ROOT,
    ).stdout.strip()
    target = fuzzkit.REPO_ROOT / "docs" / "developpeurs" / f"fuzz-{today}.md"
    target.write_text(
        "\n".join(
            [
                f"# Fuzzing campaign, {today}",
                "",
                f"`scripts/fuzz.sh {count} {seed}` on commit `{commit}`: {count:,} mutated copies of the shipped valid",
                "files (tooling/tests/fuzzkit.py: bytes, lines, YAML indicators, hostile scalars, any Unicode",
                "character), each through `coop verifier` (text, json, github in turn) and "
                "`coop formater`, in process.",
                "",
                "| figure | value |",
                "| --- | --- |",
                f"| files | {count:,} |",
                f"| crashes (« Erreur interne » or an exception) | {totals['crash']} |",
                f"| hangs (stopped after {fuzzkit.HANG_SECONDS} CPU s) | {totals['hang']} |",
                f"| tracebacks | {totals['traceback']} |",
                f"| over {fuzzkit.BUDGET_SECONDS:g} CPU s | {totals['slow']} |",
                f"| files breaking any invariant (fmt included) | {totals['failed']} |",
                f"| slowest file | {slowest:.2f} CPU s |",
                f"| duration | {seconds / 60:.1f} min |",
                "",
                *(["Failures (first 50):", "", *failures, ""] if failures else []),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"Figures written to {target.relative_to(fuzzkit.REPO_ROOT)}")


if __name__ == "__main__":
    sys.exit(
        main(
            int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
            int(sys.argv[2]) if len(sys.argv) > 2 else 1,
        )
    )
