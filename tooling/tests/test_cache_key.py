"""The cache's version key covers the code whose output the rows store: every module that
register.py and cache.py import (at the top or inside functions) is hashed, with no list kept
by hand, and changing one byte of it, or adding a module to the pipeline, changes the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coopps import cache
from test_architecture import MODULES, family, imported_modules

COMPUTING_THE_ROWS = ("coopps.loading", "coopps.register", "coopps.cache")
RULES = "empreinte des règles"


def import_closure(starts: tuple[str, ...]) -> set[str]:
    seen: set[str] = set()
    waiting = list(starts)
    while waiting:
        module = waiting.pop()
        if module not in seen:
            seen.add(module)
            waiting += imported_modules(module)
    return seen


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the package, to change bytes in."""
    copy = tmp_path / "coopps"
    shutil.copytree(cache.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_every_module_the_rows_depend_on_is_hashed():
    hashed = set(cache.code_files())
    closure = import_closure(COMPUTING_THE_ROWS)
    assert {"coopps.reading", "coopps.schema", "coopps.yamlguards", "coopps.gitops.git"} <= closure
    assert {module for module in closure if MODULES[module] not in hashed} == set()


def test_only_the_families_the_pipeline_never_imports_are_left_out():
    hashed = set(cache.code_files())
    left_out = {family(module) for module, path in MODULES.items() if path not in hashed}
    assert left_out == {"authoring", "cli", "site", "stats"}


@pytest.mark.parametrize(
    "module", ["reading.py", "loading.py", "register.py", "rules/privacy.py", "gitops/git.py"]
)
def test_a_byte_changed_in_a_pipeline_module_changes_the_key(package: Path, module: str):
    before = cache.version_key(RULES, package)
    source = package / module
    source.write_bytes(source.read_bytes() + b"\n")
    assert cache.version_key(RULES, package) != before


def test_a_new_pipeline_module_changes_the_key(package: Path):
    before = cache.version_key(RULES, package)
    (package / "unicodeguards.py").write_text('"""A new reading module."""\n', encoding="utf-8")
    assert cache.version_key(RULES, package) != before


def test_a_renamed_module_changes_the_key(package: Path):
    before = cache.version_key(RULES, package)
    (package / "textguards.py").rename(package / "textguard.py")
    assert cache.version_key(RULES, package) != before


@pytest.mark.parametrize(
    "module", ["site/model.py", "cli/french.py", "stats/facts.py", "authoring/fmt.py"]
)
def test_code_the_rows_never_run_leaves_the_key_alone(package: Path, module: str):
    before = cache.version_key(RULES, package)
    source = package / module
    source.write_bytes(source.read_bytes() + b"\n")
    assert cache.version_key(RULES, package) == before


def test_the_key_is_the_one_the_installed_package_gives():
    assert cache.version_key(RULES) == cache.version_key(RULES, cache.PACKAGE)
    assert cache.version_key(RULES) != cache.version_key("autres règles")
