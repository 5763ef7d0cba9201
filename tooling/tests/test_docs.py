"""Documentation generated from the code cannot drift from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coopps.rules import CHECKS
from coopps.schema import Schemas
from coopps.site.reference import checks_markdown, data_model_markdown

SCHEMA_FILES = sorted((Path(__file__).resolve().parents[2] / "schemas").glob("*.schema.json"))


def test_every_check_is_documented_with_an_example_and_its_fix():
    page = checks_markdown()
    for code, check in CHECKS.items():
        section = page.split(f"### `{code}`", 1)[1].split("### ", 1)[0]
        assert check.title in section
        assert "Exemple fautif" in section and "Correction" in section


def test_the_data_model_page_lists_every_property(repo_root):
    schemas = Schemas(repo_root).documents
    page = data_model_markdown(schemas)
    for kind, schema in schemas.items():
        for key in schema.get("properties", {}):
            assert f"| `{key}` |" in page, (kind, key)


def _properties(schema: dict, where: str = ""):
    for key, spec in schema.get("properties", {}).items():
        yield f"{where}{key}", spec
        nested = spec.get("items", spec)
        if isinstance(nested, dict):
            yield from _properties(nested, f"{where}{key}.")


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=lambda p: p.name)
def test_schemas_have_an_id_and_french_help_on_every_property(path: Path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$id"].endswith("/schemas/" + path.name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema.get("title") and schema.get("description")
    for name, spec in _properties(schema):
        assert spec.get("description"), f"{path.name}: {name} has no description"
