"""A cache row gives back exactly what reading the file gives: the data, every line of the line
map (rebuilt from the data's own paths, or stored when they differ) and the findings.

The rows store line numbers without their key paths when the paths are the data's own, in
document order (`cache.LineMap`); these tests read every file of the hostile corpus and of a
synthetic register both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from coopps.cache import LineMap, _read_data_paths, data_paths, decode_layers, encode_layers
from coopps.loading import compute_layers
from coopps.reading import read_bytes
from coopps.register import Register
from coopps.schema import Schemas
from synth import write_register

HOSTILE = Path(__file__).parent / "data" / "hostile"
SCHEMAS = Schemas(REPO_ROOT)


def hostile_files() -> list[Path]:
    return sorted(
        path for path in HOSTILE.rglob("*") if path.is_file() and path.name != "attendu.toml"
    )


def round_trip(rel: str, raw: bytes) -> None:
    layers = compute_layers(rel, "adhesion", raw, SCHEMAS)
    decoded = decode_layers(encode_layers(layers))
    assert decoded is not None
    data, lines, reading, schema = decoded
    assert json.dumps(data) == json.dumps(layers[0])
    assert list(lines.items()) == list(layers[1].items())
    assert (reading, schema) == (layers[2], layers[3])


@pytest.mark.parametrize(
    "path", hostile_files(), ids=lambda path: path.relative_to(HOSTILE).as_posix()
)
def test_a_hostile_file_comes_back_from_its_row_as_read(path):
    round_trip("adhesions/84/nat-test/msp-a.yml", path.read_bytes())


def test_every_synthetic_file_comes_back_from_its_row_as_read(tmp_path):
    root = tmp_path / "r"
    write_register(root, REPO_ROOT / "schemas", 10, 60, seed=5)
    files = sorted(p for p in root.rglob("*.yml") if "schemas" not in p.parts)
    assert len(files) >= 70
    for path in files:
        round_trip(path.relative_to(root).as_posix(), path.read_bytes())


def test_a_worker_s_row_without_shared_objects_is_the_row_of_the_shared_layers(tmp_path):
    """Workers skip `_compact` (their layers only become a row): the row must be the same, byte for byte."""
    root = tmp_path / "r"
    write_register(root, REPO_ROOT / "schemas", 5, 30, seed=9)
    files = [*sorted(p for p in root.rglob("*.yml") if "schemas" not in p.parts), *hostile_files()]
    for path in files:
        rel = (
            path.relative_to(root).as_posix()
            if root in path.parents
            else "adhesions/84/nat-test/msp-a.yml"
        )
        kind = "protocole" if rel.startswith("protocols/") else "adhesion"
        raw = path.read_bytes()
        shared, unshared = (
            compute_layers(rel, kind, raw, SCHEMAS, shared=flag) for flag in (True, False)
        )
        assert encode_layers(unshared) == encode_layers(shared), rel


def test_the_encoder_s_recursive_walk_gives_the_data_s_own_paths_even_deeper_than_recursion_allows():
    for path in hostile_files():
        data = read_bytes("a.yml", path.read_bytes()).data
        assert _read_data_paths(data) == data_paths(data), path.name
    deep: list[object] = []
    for _ in range(5000):
        deep = [deep, {"k": 1}]
    assert _read_data_paths(deep) == data_paths(deep)
    assert len(data_paths(deep)) == 3 * 5000 + 1


def test_the_paths_are_stored_only_when_they_are_not_the_data_s_own():
    usual = read_bytes("a.yml", b"a: 1\nb:\n  - x\n  - {c: 2}\n")
    assert list(usual.lines) == data_paths(usual.data)
    assert json.loads(encode_layers((usual.data, usual.lines, [], [])))[2] is None
    refused = read_bytes("a.yml", b"a: [1\n")  # unreadable: no data, no line map
    assert json.loads(encode_layers((refused.data, refused.lines, refused.findings, [])))[2] == []
    assert (
        dict(decode_layers(encode_layers((refused.data, refused.lines, refused.findings, [])))[1])
        == {}
    )


def test_a_line_map_is_built_only_when_a_line_is_asked_for(tmp_path):
    root = tmp_path / "r"
    write_register(root, REPO_ROOT / "schemas", 5, 20, seed=3)
    Register.load(root)  # fills the cache
    entries = Register.load(root).entries
    maps = [entry.doc.lines for entry in entries]
    assert all(isinstance(lines, LineMap) and lines._built is None for lines in maps)
    member = next(entry for entry in entries if entry.where.kind == "adhesion")
    assert member.line("membres", 1, "rpps") > member.line("membres", 0) > 1
    assert member.doc.lines._built is not None  # type: ignore[attr-defined]


def test_a_damaged_row_gives_approximate_lines_never_an_error():
    lines = LineMap({"a": {"b": 1}}, [1, 2])  # three paths, two numbers
    assert dict(lines) == {(): 1, ("a",): 2} and ("a", "b") not in lines
    assert decode_layers('[{"a":1},[1,"x"],null,[],[]]') is None
    assert decode_layers('[{"a":1},[1,2],7,[],[]]') is None
