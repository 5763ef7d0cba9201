"""The fast paths give the same answers as the plain ones: the cache, the
parallel loading and rules, the compiled schema gate, and the pull-request
check that reads only the changed files (timings live in bench/, not here)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REPO_ROOT, git
from coopps import checker, loading
from coopps.cache import cache_folder
from coopps.checker import Options, validate
from coopps.loading import compute_layers
from coopps.paths import iter_data_files
from coopps.register import Register
from coopps.rules import CHECKS
from coopps.schema import Schemas
from synth import write_register
from synth_git import git_history

# Each mistake lands on one adhesion of the synthetic register, by its position in the sorted list.
MISTAKES = {
    0: ("profession: ", "profession: dentiste-"),  # schema: unknown value
    1: ("role: delegant", "role: delegue"),  # rules: missing délégant, missing training
    2: (
        "  - type: declaration_commune\n",
        '  - type: declaration_commune\n    membre: "000000000"\n',
    ),
    3: ("date_declaration: ", "date_declaration: 2099-01-0"),  # a date that is no date
    4: ('code_postal: "([0-9]+)"', r"code_postal: 0\1"),  # unquoted identifier (reading layer)
}


def cache_dir(root: Path) -> Path:
    found = cache_folder(root)
    assert found is not None
    return found


def synthetic(root: Path, adhesions: int = 120) -> Path:
    write_register(root, REPO_ROOT / "schemas", 30, adhesions, seed=11)
    return root


def adhesion_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.glob("adhesions/*/*/*.yml"))


def break_files(root: Path, files: list[str]) -> None:
    for index, (old, new) in MISTAKES.items():
        path = root / files[index]
        path.write_text(
            re.sub(old, new, path.read_text(encoding="utf-8"), count=1), encoding="utf-8"
        )


def misspell(root: Path, files: list[str]) -> str:
    """Copy a team into a new file with one member's first name changed: a spelling warning there."""
    source = root / files[10]
    text = source.read_text(encoding="utf-8")
    first = text.split("prenom: ", 1)[1].split("\n", 1)[0]
    target = source.with_name("equipe-copiee.yml")
    target.write_text(text.replace(f"prenom: {first}", 'prenom: "Zoé"', 1), encoding="utf-8")
    return target.relative_to(root).as_posix()


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    root = synthetic(tmp_path / "r")
    break_files(root, adhesion_files(root))
    return root


def test_a_warm_run_reports_what_a_cold_run_reports(broken):
    cold = validate(Options(root=broken))
    assert list(cache_dir(broken).glob("couches-*.sqlite")) and not (broken / ".cache").exists()
    warm = validate(Options(root=broken))
    assert warm.sorted() == cold.sorted()
    assert {f.code for f in cold.findings} >= {
        "valeur-inconnue",
        "role-manquant",
        "piece-membre-inconnu",
        "format-invalide",
        "valeur-ambigue",
    }
    uncached = Register.load(broken, cache=False)
    assert [e.findings for e in uncached.entries] == [
        e.findings for e in Register.load(broken).entries
    ]


def test_the_cache_follows_the_content(broken):
    validate(Options(root=broken))
    files = adhesion_files(broken)
    fixed = broken / files[0]
    fixed.write_text(
        fixed.read_text(encoding="utf-8").replace("profession: dentiste-", "profession: "),
        encoding="utf-8",
    )
    moved = broken / files[1].replace(".yml", "-bis.yml")
    moved.write_bytes((broken / files[1]).read_bytes())
    warm = validate(Options(root=broken))
    assert warm.sorted() == validate(Options(root=broken)).sorted()
    assert not [f for f in warm.findings if f.path == files[0] and f.code == "valeur-inconnue"]
    moved_rel = moved.relative_to(broken).as_posix()
    assert {f.code for f in warm.findings if f.path == moved_rel} == {
        f.code for f in warm.findings if f.path == files[1]
    }


def test_a_new_schema_starts_a_new_cache(broken):
    validate(Options(root=broken))
    before = {p.name for p in cache_dir(broken).glob("couches-*.sqlite")}
    schema = broken / "schemas" / "adhesion.schema.json"
    schema.write_text(
        schema.read_text(encoding="utf-8").replace('"minItems": 1', '"minItems": 2', 1),
        encoding="utf-8",
    )
    validate(Options(root=broken))
    after = {p.name for p in cache_dir(broken).glob("couches-*.sqlite")}
    assert len(after) == 1 and after != before


def test_a_damaged_cache_is_ignored_then_rewritten(broken):
    cold = validate(Options(root=broken)).sorted()
    (cache,) = cache_dir(broken).glob("couches-*.sqlite")
    cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])
    assert validate(Options(root=broken)).sorted() == cold
    assert validate(Options(root=broken)).sorted() == cold


def test_parallel_loading_and_rules_find_what_one_process_finds(broken, monkeypatch):
    serial_entries = [
        (e.where.path, e.findings) for e in Register.load(broken, cache=False).entries
    ]
    serial = validate(Options(root=broken)).sorted()
    assert serial  # the register is broken on purpose: there is something to compare
    monkeypatch.setattr(loading, "PARALLEL_FROM", 1)
    monkeypatch.setattr(checker, "PARALLEL_RULES_FROM", 1)
    parallel_entries = [
        (e.where.path, e.findings) for e in Register.load(broken, cache=False).entries
    ]
    assert parallel_entries == serial_entries
    assert validate(Options(root=broken)).sorted() == serial


def test_the_compiled_schema_gate_agrees_with_jsonschema(broken):
    schemas = Schemas(broken)
    gate = loading._fast_validators(schemas)
    for rel in adhesion_files(broken)[:40] + sorted(
        p.relative_to(broken).as_posix() for p in broken.glob("protocols/*")
    ):
        kind = "protocole" if rel.startswith("protocols/") else "adhesion"
        data = loading.read_bytes(rel, (broken / rel).read_bytes()).data
        if data is None:
            continue
        assert gate[kind](data) == (not list(schemas.validators[kind].iter_errors(data))), rel


@pytest.fixture
def pull_request(tmp_path: Path) -> tuple[Path, set[str]]:
    """A register on `main` and a branch changing a few adhesions, some of them wrongly."""
    root = synthetic(tmp_path / "r")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "registre", date="2025-07-01")
    git(root, "checkout", "-q", "-b", "pr")
    files = adhesion_files(root)
    break_files(root, files)
    added = misspell(root, files)
    return root, {*(files[i] for i in MISTAKES), added}


def test_a_pull_request_check_reports_what_a_full_run_reports_for_its_files(pull_request):
    root, changed = pull_request
    pr = validate(Options(root=root, base="main"))
    full = validate(Options(root=root))
    assert pr.files_checked == len(changed)
    layers_1_to_3 = [
        f for f in pr.findings if CHECKS[f.code].layer != "transition"
    ]  # --base adds layer 4
    assert sorted(layers_1_to_3) == sorted(f for f in full.findings if f.path in changed)
    assert "rpps-orthographe" in {f.code for f in pr.findings}


def test_a_pull_request_check_reads_only_the_changed_files_and_what_they_need(
    pull_request, monkeypatch
):
    root, changed = pull_request
    read: list[str] = []

    def recording(rel: str, kind: str, raw: bytes, schemas: Schemas, **options: bool):  # type: ignore[no-untyped-def]
        read.append(rel)
        return compute_layers(rel, kind, raw, schemas, **options)

    monkeypatch.setattr(loading, "compute_layers", recording)
    validate(Options(root=root, base="main"))
    assert changed <= set(read)
    extra = set(read) - changed
    assert all(rel.startswith("protocols/") or rel.startswith("adhesions/") for rel in extra)
    assert len(read) < 40 < len(adhesion_files(root))


def test_one_file_check_loads_what_the_rules_need(pull_request):
    root, changed = pull_request
    one = sorted(changed)[0]
    alone = validate(Options(root=root, paths=(one,)))
    full = validate(Options(root=root))
    assert sorted(alone.findings) == sorted(f for f in full.findings if f.path == one)


def test_the_synthetic_pull_request_changes_three_files(tmp_path):
    root = synthetic(tmp_path / "r", adhesions=60)
    git_history(root, 11)
    assert validate(Options(root=root, base="main")).files_checked == 3


def test_the_listing_keeps_symlinks_stray_files_and_readmes_but_not_empty_placeholders(
    broken, tmp_path
):
    (broken / "adhesions" / "README.md").write_text(
        "x", encoding="utf-8"
    )  # refused by layer 1, text scanned
    (broken / "adhesions" / "84" / "piece.pdf").write_bytes(b"%PDF")
    (broken / "adhesions" / "84" / ".gitkeep").write_bytes(b"")
    (broken / "protocols" / "lien").symlink_to(tmp_path)
    listed = iter_data_files(broken)
    assert {"adhesions/84/piece.pdf", "protocols/lien", "adhesions/README.md"} <= set(listed)
    assert "adhesions/84/.gitkeep" not in listed
    assert listed == sorted(listed)
