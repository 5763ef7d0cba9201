"""Every input of the YAML test suite (yaml/yaml-test-suite, MIT), placed as an
adhesion of a register: the check ends with findings, never an internal error
nor a crash, and what the suite marks invalid is never accepted.

All the inputs are checked by one in-process run (one register holding them
all), so the ~400 cases cost one load; `coop formater` reads each of them too."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from coopps.authoring.fmt import FormatRefused, format_text
from coopps.checker import Options, validate
from coopps.findings import Finding
from coopps.rules import CHECKS
from coopps.schema import Schemas
from register_samples import VALID_REGISTER

SUITE = Path(__file__).parent / "data" / "yaml-test-suite"
CASES = sorted(path.stem for path in SUITE.glob("*.yaml"))
INVALID = set((SUITE / "invalid.txt").read_text(encoding="utf-8").split())


def adhesion_path(case: str) -> str:
    return f"adhesions/84/nat-test/yts-{case.lower()}.yml"


@pytest.fixture(scope="module")
def findings_by_case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Finding]]:
    import shutil

    from conftest import REPO_ROOT

    root = tmp_path_factory.mktemp("suite") / "registre"
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    for rel, text in VALID_REGISTER.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    for case in CASES:
        (root / adhesion_path(case)).write_bytes((SUITE / f"{case}.yaml").read_bytes())
    by_path: dict[str, list[Finding]] = defaultdict(list)
    for finding in validate(Options(root=root)).findings:
        by_path[finding.path].append(finding)
    return {case: by_path[adhesion_path(case)] for case in CASES}


def test_the_suite_is_all_there():
    assert len(CASES) == 402
    assert len(INVALID) == 94 and set(CASES) >= INVALID


def test_every_input_ends_in_findings_never_in_an_internal_error(findings_by_case):
    without = [
        case
        for case, found in findings_by_case.items()
        if not any(f.severity == "error" for f in found)
    ]
    assert without == []  # none of them is a valid adhesion: each must say why, in French
    for found in findings_by_case.values():
        assert all(f.code in CHECKS and f.line >= 1 and "Traceback" not in f.message for f in found)


@pytest.mark.parametrize("case", sorted(INVALID))
def test_what_the_suite_marks_invalid_is_refused_at_reading(findings_by_case, case):
    reading = [
        f
        for f in findings_by_case[case]
        if CHECKS[f.code].layer == "lecture" and f.severity == "error"
    ]
    assert reading, f"{case}: {[(f.code, f.line) for f in findings_by_case[case]]}"


def test_fmt_reads_every_input_without_crashing():
    schemas = Schemas(Path(__file__).resolve().parents[2])
    outcomes = {"formatted": 0, "refused": 0}
    for case in CASES:
        text = (SUITE / f"{case}.yaml").read_bytes().decode("utf-8", "replace")
        try:
            format_text("adhesion", text, schemas, adhesion_path(case))
            outcomes["formatted"] += 1
        except FormatRefused:
            outcomes["refused"] += 1
    assert outcomes["refused"] >= len(INVALID)
