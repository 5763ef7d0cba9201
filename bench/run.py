"""Benchmark of the register at national scale: `.venv/bin/python bench/run.py`.

Generates (once; `--keep` reuses them) a synthetic register of 1,000 protocols
and 50,000 adhesions and a small one of 500 adhesions, both with a git history
and a branch `pr` changing 3 files (`bench/synth.py --git`), then measures in one
run, on this machine:

- the full `coop verifier`, cold (no cache) and warm (with the cache);
- the pull-request check (`--base main` on branch `pr`) on both registers: once
  with the identifier index to build (a clone's first check), then with it up to date;
- the peer, check-jsonschema with the project's schemas on the same files
  (schema layer only, as many processes as `coop` uses);
- the bare libyaml parse of the same files (`yaml.load`, CSafeLoader), same processes;
- `mkdocs build` of the catalogue for the big register, with its peak memory.

Prints a table with ratios and each target of issue 5 as met / not met, and
writes it with the machine's description to docs/developpeurs/performances.md.
Timings are never assertions of the unit tests.
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
DOC = REPO / "docs" / "developpeurs" / "performances.md"
GIB = 1024**3


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes, the largest process of the run
    output: str = ""
    code: int = 0


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Wall time and peak RSS (of the command and the children it waited for)."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return Run(seconds, usage.ru_maxrss * 1024, text, process.returncode)


def cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# Registers -------------------------------------------------------------------------------------------


def synthetic(
    workdir: Path, protocols: int, adhesions: int, seed: int, keep: bool
) -> tuple[Path, float | None]:
    root = workdir / f"registre-{protocols}-{adhesions}-{seed}"
    if keep and (root / ".git").is_dir():
        return root, None
    shutil.rmtree(root, ignore_errors=True)
    run = measure(
        [
            str(BIN / "python"),
            str(Path(__file__).with_name("synth.py")),
            str(root),
            "--protocols",
            str(protocols),
            "--adhesions",
            str(adhesions),
            "--seed",
            str(seed),
            "--git",
        ]
    )
    if run.code:
        sys.exit(f"bench/synth.py a échoué :\n{run.output}")
    return root, run.seconds


def data_files(root: Path) -> list[Path]:
    return sorted([*root.glob("protocols/*.yml"), *root.glob("adhesions/*/*/*.yml")])


# Measurements ----------------------------------------------------------------------------------------


def cache_of(root: Path) -> Path:
    """Each register's cache and identifier index, outside it (`COOP_CACHE_DIR`), beside the registers."""
    return root.parent / f"cache-{root.name}"


def validate(root: Path, *args: str) -> Run:
    env = {**os.environ, "COOP_CACHE_DIR": str(cache_of(root))}
    run = measure(
        [str(BIN / "coop"), "verifier", "--racine", str(root), "--format", "json", *args], env=env
    )
    try:
        summary = json.loads(run.output)["summary"]
    except (ValueError, KeyError):
        sys.exit(f"coop verifier n'a pas rendu de JSON :\n{run.output[-2000:]}")
    run.output = f"{summary['files']} fichiers, {summary['errors']} erreurs, {summary['warnings']} avertissements"
    return run


def median_run(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.seconds)
    return ordered[len(ordered) // 2]


def _parse_chunk(paths: list[str]) -> int:
    import yaml

    for path in paths:
        with open(path, "rb") as stream:
            yaml.load(stream.read(), Loader=yaml.CSafeLoader)
    return len(paths)


def bare_parse(files: list[Path], workers: int) -> float:
    chunks = [[str(p) for p in files[i : i + 250]] for i in range(0, len(files), 250)]
    start = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        sum(pool.map(_parse_chunk, chunks))
    return time.perf_counter() - start


def peer(root: Path, files: list[Path], workers: int) -> float:
    """check-jsonschema on `files` (schema layer only), `workers` processes at a time."""
    batches: list[list[str]] = []
    for kind, schema in (("protocols/", "protocole"), ("adhesions/", "adhesion")):
        mine = [str(p) for p in files if p.relative_to(root).as_posix().startswith(kind)]
        batches += [[schema, *mine[i : i + 1000]] for i in range(0, len(mine), 1000)]
    schemas = root / "schemas"
    start = time.perf_counter()
    running: list[subprocess.Popen[bytes]] = []
    for schema, *batch in batches:
        if len(running) >= workers:
            running.pop(0).wait()
        schemafile = schemas / f"{schema}.schema.json"
        running.append(
            subprocess.Popen(
                [
                    str(BIN / "check-jsonschema"),
                    "--base-uri",
                    schemafile.as_uri(),
                    "--schemafile",
                    str(schemafile),
                    *batch,
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    for process in running:
        process.wait()
    return time.perf_counter() - start


def site(root: Path, workdir: Path) -> dict[str, float] | None:
    """`mkdocs build` of the catalogue of `root` with the repository's mkdocs.yml and docs/, reading the
    cache the full check just filled (the site workflow validates, then builds, in one job)."""
    import yaml

    if not (REPO / "tooling" / "coopps" / "site" / "plugin.py").is_file():
        return None
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    config["docs_dir"] = str(REPO / config.get("docs_dir", "docs"))
    if isinstance(config.get("theme"), dict) and config["theme"].get("custom_dir"):
        config["theme"]["custom_dir"] = str(REPO / config["theme"]["custom_dir"])
    config["site_dir"] = str(workdir / "site")
    config["plugins"] = [
        {"coopps": {"registre": str(root)}}
        if p == "coopps" or (isinstance(p, dict) and "coopps" in p)
        else p
        for p in config.get("plugins", [])
    ]
    path = workdir / "mkdocs-bench.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.rmtree(workdir / "site", ignore_errors=True)
    env = {**os.environ, "COOP_CACHE_DIR": str(cache_of(root))}
    run = measure([str(BIN / "mkdocs"), "build", "-q", "-f", str(path)], env=env)
    if run.code:
        print(f"mkdocs build a échoué :\n{run.output[-3000:]}", file=sys.stderr)
        return None
    out = workdir / "site"
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    indexes = {
        name: len(gzip.compress((out / rel).read_bytes(), 6))
        for name, rel in (("material", "search/search_index.json"), ("catalogue", "recherche.json"))
        if (out / rel).is_file()
    }
    return {
        "seconds": run.seconds,
        "rss": run.peak_rss,
        "size": size,
        "pages": sum(1 for _ in out.rglob("*.html")),
        **{f"index_{name}": value for name, value in indexes.items()},
    }


# Report ----------------------------------------------------------------------------------------------


def machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    cpu = platform.processor() or platform.machine()
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        cpu = model
    except (OSError, StopIteration):
        pass
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return (
        f"{cores()} cœurs ({cpu}), {memory:.0f} Gio, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()} ; charge moyenne en fin de mesure (1, 5, 15 min) : {load}"
    )


def verdict(ok: bool) -> str:
    return "atteint" if ok else "**non atteint**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--protocols", type=int, default=1000)
    parser.add_argument("--adhesions", type=int, default=50_000)
    parser.add_argument(
        "--small", type=int, default=500, help="adhesions of the small register (PR-check ratio)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "coop-bench")
    parser.add_argument(
        "--keep", action="store_true", help="reuse the registers generated by a previous run"
    )
    parser.add_argument(
        "--peer-sample",
        type=int,
        default=0,
        help="run check-jsonschema on N files only and extrapolate (0: every file)",
    )
    parser.add_argument("--skip-site", action="store_true")
    parser.add_argument(
        "--no-doc", action="store_true", help="do not write docs/developpeurs/performances.md"
    )
    options = parser.parse_args()
    options.workdir.mkdir(parents=True, exist_ok=True)
    workers = cores()
    rows: list[tuple[str, str, str]] = []
    targets: list[tuple[str, str, bool]] = []

    big, synth_big = synthetic(
        options.workdir, options.protocols, options.adhesions, options.seed, options.keep
    )
    small, _ = synthetic(
        options.workdir, options.protocols, options.small, options.seed, options.keep
    )
    files = data_files(big)
    label = (
        f"{options.protocols} protocoles + {options.adhesions} adhésions ({len(files)} fichiers)"
    )
    print(f"Registre : {label} dans {big}", flush=True)
    if synth_big is not None:
        rows.append(
            ("`bench/synth.py --git` (génération + historique git)", f"{synth_big:.1f} s", "")
        )

    shutil.rmtree(cache_of(big), ignore_errors=True)
    cold = validate(big)
    print(f"validate à froid : {cold.seconds:.1f} s ({cold.output})", flush=True)
    warm = validate(big)
    print(f"validate avec cache : {warm.seconds:.1f} s", flush=True)
    shutil.rmtree(cache_of(small), ignore_errors=True)
    pr_first = validate(big, "--base", "main")  # builds the identifier index of the clone
    validate(small, "--base", "main")
    print(
        f"PR 3 fichiers, index des identifiants à construire : {pr_first.seconds:.2f} s", flush=True
    )
    pr_big = median_run([validate(big, "--base", "main") for _ in range(5)])
    pr_small = median_run([validate(small, "--base", "main") for _ in range(5)])
    print(
        f"PR 3 fichiers : {pr_big.seconds:.2f} s (grand), {pr_small.seconds:.2f} s (petit)",
        flush=True,
    )
    parse = bare_parse(files, workers)
    tenth = files[::10]
    parse_one = bare_parse(tenth, 1) * len(files) / len(tenth)
    print(
        f"libyaml seul : {parse:.1f} s ({workers} processus), {parse_one:.1f} s (1 processus, extrapolé)",
        flush=True,
    )
    sample = (
        files if not options.peer_sample else files[:: max(1, len(files) // options.peer_sample)]
    )
    peer_seconds = peer(big, sample, workers) * len(files) / len(sample)
    extrapolated = "" if sample is files else f" (extrapolé de {len(sample)} fichiers)"
    print(f"check-jsonschema : {peer_seconds:.0f} s{extrapolated}", flush=True)
    built = None if options.skip_site else site(big, options.workdir)

    rows += [
        (
            f"`coop verifier` complet, à froid ({workers} processus)",
            f"{cold.seconds:.1f} s",
            f"{parse and cold.seconds / parse:.2f}× libyaml seul ; pic {cold.peak_rss / GIB:.2f} Gio ; {cold.output}",
        ),
        (
            "`coop verifier` complet, avec le cache",
            f"{warm.seconds:.1f} s",
            f"{cold.seconds / warm.seconds:.1f}× plus rapide qu'à froid ; pic {warm.peak_rss / GIB:.2f} Gio",
        ),
        (
            "`coop verifier --base main` (PR de 3 fichiers), grand registre, premier contrôle du clone "
            "(construit l'index des identifiants)",
            f"{pr_first.seconds:.2f} s",
            f"pic {pr_first.peak_rss / GIB:.2f} Gio",
        ),
        (
            "`coop verifier --base main` (PR de 3 fichiers), grand registre, index à jour (médiane de 5)",
            f"{pr_big.seconds:.2f} s",
            pr_big.output,
        ),
        (
            f"`coop verifier --base main` (PR de 3 fichiers), registre de {options.small} adhésions (médiane de 5)",
            f"{pr_small.seconds:.2f} s",
            f"grand / petit = {pr_big.seconds / pr_small.seconds:.2f}",
        ),
        (
            f"libyaml seul (`yaml.load`, CSafeLoader, {workers} processus)",
            f"{parse:.1f} s",
            f"1 processus : {parse_one:.1f} s (extrapolé d'un fichier sur 10) ; `coop verifier` à froid = "
            f"{cold.seconds / parse_one:.2f}× ce temps",
        ),
        (
            f"check-jsonschema, schémas du projet ({workers} processus){extrapolated}",
            f"{peer_seconds:.0f} s",
            f"{peer_seconds / cold.seconds:.1f}× plus lent que `coop verifier` à froid",
        ),
    ]
    targets += [
        (
            "PR de 3 fichiers sur le grand registre < 1 s",
            f"{pr_big.seconds:.2f} s",
            pr_big.seconds < 1,
        ),
        (
            "PR grand registre < 2× PR petit registre",
            f"{pr_big.seconds / pr_small.seconds:.2f}×",
            pr_big.seconds < 2 * pr_small.seconds,
        ),
        (
            "validation complète ≥ 10× plus rapide que check-jsonschema",
            f"{peer_seconds / cold.seconds:.1f}×",
            peer_seconds >= 10 * cold.seconds,
        ),
        (
            "validation à froid ≤ 1,5× libyaml seul",
            f"{cold.seconds / parse:.2f}×",
            cold.seconds <= 1.5 * parse,
        ),
    ]
    if built:
        rows.append(
            (
                "`mkdocs build` du catalogue",
                f"{built['seconds']:.1f} s",
                f"pic {built['rss'] / GIB:.2f} Gio ; {built['size'] / 1e6:.0f} Mo ; {built['pages']:.0f} pages HTML",
            )
        )
        indexes = {k.removeprefix("index_"): v for k, v in built.items() if k.startswith("index_")}
        targets += [
            ("site : build < 60 s", f"{built['seconds']:.1f} s", built["seconds"] < 60),
            ("site : pic mémoire < 2 Gio", f"{built['rss'] / GIB:.2f} Gio", built["rss"] < 2 * GIB),
            ("site : taille < 100 Mo", f"{built['size'] / 1e6:.0f} Mo", built["size"] < 100e6),
        ]
        targets += [
            (
                f"site : index de recherche {name} < 5 Mo compressé",
                f"{size / 1e6:.2f} Mo",
                size < 5e6,
            )
            for name, size in indexes.items()
        ]
    else:
        targets.append(
            (
                "site : build, mémoire, taille, index",
                "non mesuré (--skip-site ou build en échec)",
                False,
            )
        )

    table = render(label, rows, targets)
    print("\n" + table)
    if not options.no_doc:
        write_doc(table)


def render(
    label: str, rows: list[tuple[str, str, str]], targets: list[tuple[str, str, bool]]
) -> str:
    today = datetime.date.today().isoformat()
    lines = [
        f"### {today} — {label}",
        "",
        f"Machine : {machine()}.",
        "",
        "| mesure | durée | rapport, mémoire |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {value} | {note} |" for name, value, note in rows]
    lines += ["", "| objectif (issue 5) | mesuré | |", "|---|---|---|"]
    lines += [f"| {name} | {value} | {verdict(ok)} |" for name, value, ok in targets]
    return "\n".join(lines) + "\n"


MARK = "<!-- résultats : bench/run.py écrit sous cette ligne -->"


def write_doc(table: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.is_file() else f"# Performances\n\n{MARK}\n"
    head, _, rest = text.partition(MARK)
    DOC.write_text(f"{head}{MARK}\n\n{table}\n{rest.lstrip()}", encoding="utf-8")
    print(f"Résultats ajoutés à {DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
