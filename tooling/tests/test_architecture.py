"""The layout is the architecture (docs/developpeurs/architecture.md): each
family imports only the families below it, no module imports itself back
through others (imports written inside functions included), only `gitops/git.py`
runs git, and no module grows past 450 lines."""

from __future__ import annotations

import ast
import sys
from functools import cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "coopps"
MAX_LINES = 650  # as ruff format writes them (100 columns); 450 when lines ran to 130

# family → families it may import ("pipeline" is the top level of the package)
MAY_IMPORT = {
    "pipeline": {"pipeline", "gitops"},
    "gitops": {"pipeline", "gitops"},
    "stats": {"pipeline", "gitops", "stats"},
    "authoring": {"pipeline", "authoring"},
    "site": {
        "pipeline",
        "gitops",
        "stats",
        "authoring",
        "site",
    },  # the declaration page mirrors the issue form
    "cli": {"pipeline", "gitops", "stats", "authoring", "cli"},
}
# the pipeline may use git only through these two modules (changed files, blobs at a ref; who reviews)
PIPELINE_USES_OF_GITOPS = {"coopps.gitops.git", "coopps.gitops.reviewers"}
CLICK_ALLOWED = {  # plus cli/: the interactive prompts of the wizard, its job
    "coopps.authoring.wizard",
    "coopps.authoring.adhesion_wizard",
    "coopps.authoring.members",
    "coopps.authoring.asking",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def family(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in MAY_IMPORT else "pipeline"


@cache
def imported_modules(module: str) -> set[str]:
    """Every coopps module that `module` imports, at the top or inside a function."""
    path = MODULES[module]
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            target = ".".join([*base, *([node.module] if node.module else [])])
            for alias in node.names:
                found.add(
                    f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                )
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name in MODULES and name != module}


@cache
def third_party_imports(module: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            names.add(node.module.split(".")[0])
    return names


def cycles() -> list[list[str]]:
    graph = {module: imported_modules(module) for module in MODULES}
    seen: set[str] = set()
    found: list[list[str]] = []

    def walk(module: str, trail: list[str]) -> None:
        if module in trail:
            found.append([*trail[trail.index(module) :], module])
            return
        if module in seen:
            return
        for target in sorted(graph[module]):
            walk(target, [*trail, module])
        seen.add(module)

    for module in graph:
        walk(module, [])
    return found


def test_no_module_imports_itself_back():
    assert cycles() == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_family_imports_only_the_families_below_it(module):
    allowed = MAY_IMPORT[family(module)]
    wrong = {target for target in imported_modules(module) if family(target) not in allowed}
    if family(module) == "pipeline":
        wrong |= {
            t
            for t in imported_modules(module)
            if family(t) == "gitops" and t not in PIPELINE_USES_OF_GITOPS
        }
    assert wrong == set(), f"{module} imports {sorted(wrong)}"


def test_only_the_git_module_runs_programs():
    runners = {module for module in MODULES if "subprocess" in third_party_imports(module)}
    assert runners == {"coopps.gitops.git"}


def test_commands_live_in_the_cli_package():
    users = {m for m in MODULES if "click" in third_party_imports(m) and family(m) != "cli"}
    assert users == CLICK_ALLOWED


def test_nothing_imports_the_cli():
    importers = {
        m
        for m in MODULES
        if family(m) != "cli" and any(family(t) == "cli" for t in imported_modules(m))
    }
    assert importers == set()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_short(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines"


# The speed machinery of a load (workers, the collector, interning, the jsonschema-rs gate) is
# `loading.py`'s: the model the rule authors read (`register.py`) and the rules never touch it.
SPEED_MACHINERY = {"gc", "multiprocessing", "concurrent", "jsonschema_rs", "sys"}


def test_the_register_model_holds_no_speed_machinery():
    assert third_party_imports("coopps.register") & SPEED_MACHINERY == set()
    assert {"gc", "multiprocessing"} <= third_party_imports("coopps.loading")


def test_rules_read_the_model_not_the_loading():
    rules = {module for module in MODULES if module.startswith("coopps.rules")}
    assert {module for module in rules if "coopps.loading" in imported_modules(module)} == set()
    assert all("coopps.register" in imported_modules(m) for m in rules - {"coopps.rules"})


def test_the_checker_catches_a_cycle(monkeypatch):
    """The cycle search itself finds a loop (so an empty answer means something)."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}}
    monkeypatch.setattr(sys.modules[__name__], "imported_modules", lambda module: graph[module])
    monkeypatch.setattr(sys.modules[__name__], "MODULES", dict.fromkeys(graph))
    assert cycles() == [["a", "b", "c", "a"]]


# Where a `Finding(...)` may be built: `found` (from a declared check, its template and its
# parameters), and the two readers of findings written earlier (cache rows, the JSON report).
FINDING_BUILDERS = {"coopps.findings", "coopps.cache", "coopps.pr_comment"}


def finding_builders() -> set[str]:
    return {
        module
        for module, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Finding"
    }


def test_every_finding_is_made_from_a_declared_check():
    """No stage writes a free-text finding: each one is `findings.found(check, …)`, its message
    rendered from the check's template, with its key path and parameters."""
    assert finding_builders() == FINDING_BUILDERS
