"""The « Déclarer une adhésion » page as built: its rule tables say what the validator's Python
tables say, its issue link comes from mkdocs' `repo_url`, and protocol pages link to it."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from coopps.authoring import declaration as decl
from coopps.authoring.from_issue import FIELDS
from coopps.register import Register
from coopps.rules.completeness import TEAM_PIECES, required_member_pieces
from coopps.schema import Schemas
from coopps.site.declaration import PIECE_PHRASES, dropdown_option
from sitekit import REPO_ROOT, build_site, copy_register

ISSUE_FORM = REPO_ROOT / ".github" / "ISSUE_TEMPLATE" / "declarer-adhesion.yml"
OTHER_REPOSITORY = "https://github.com/ars-exemple/autre-registre"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_site(REPO_ROOT, tmp_path_factory.mktemp("site"), strict=True)


@pytest.fixture(scope="module")
def rules(site: Path) -> dict[str, Any]:
    return json.loads((site / "declarer" / "regles.json").read_text(encoding="utf-8"))


def test_member_pieces_are_the_validators_rule_over_every_role_and_mode(
    rules: dict[str, Any],
) -> None:
    refs = Schemas(REPO_ROOT).referentials
    assert rules["pieces_equipe"] == list(TEAM_PIECES)
    assert set(rules["pieces_membre"]) == set(refs["role"].codes)
    for role in refs["role"].codes:
        assert set(rules["pieces_membre"][role]) == set(refs["mode_exercice"].codes)
        for mode in refs["mode_exercice"].codes:
            assert rules["pieces_membre"][role][mode] == required_member_pieces(
                {"role": role, "mode_exercice": mode}
            )
    assert rules["pieces_membre"]["delegue"]["salarie_prive"][-2:] == [
        "attestation_formation",
        "accord_employeur",
    ]


def test_referentials_and_piece_phrases_come_from_the_schemas(rules: dict[str, Any]) -> None:
    refs = Schemas(REPO_ROOT).referentials
    for name, labels in rules["referentiels"].items():
        assert list(labels) == list(refs[name].codes)
        assert all(labels[code] == refs[name].label(code) for code in labels)
    assert set(PIECE_PHRASES) == set(refs["type_piece"].codes)
    for code, phrase in PIECE_PHRASES.items():
        assert refs["type_piece"].label(code).casefold() in phrase.casefold(), code


def test_protocols_offered_in_each_region_are_those_coop_from_issue_accepts(
    rules: dict[str, Any],
) -> None:
    register = Register.load(REPO_ROOT)
    offered = {p["id"]: p for p in rules["protocoles"]}
    for region in Schemas(REPO_ROOT).referentials["region"].codes:
        here = {pid for pid, p in offered.items() if region in p["regions"]}
        assert here == {e.where.protocol_id for e in decl.applicable_protocols(register, region)}, (
            region
        )
    for pid, protocol in offered.items():
        data = register.protocols[pid].data
        assert protocol["delegants"] == data.get("professions", {}).get("delegants", [])
        assert protocol["delegues"] == data.get("professions", {}).get("delegues", [])
        assert protocol["cadres_exercice"] == data.get("cadres_exercice", [])
        assert protocol["modes_exercice"] == data.get("modes_exercice", [])
        assert protocol["formation_heures"] == data.get("formation", {}).get("duree_heures")
        assert protocol["equipe_promotrice"] == data.get("equipe_promotrice")
    # The shipped local protocol is a fictitious example: never offered to a team (issue 22).
    assert "loc-84-exemple-plaies-chroniques" in register.protocols
    assert "loc-84-exemple-plaies-chroniques" not in offered


def test_issue_form_fields_and_options_match_what_the_page_sends(rules: dict[str, Any]) -> None:
    form = yaml.safe_load(ISSUE_FORM.read_text(encoding="utf-8"))
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    assert rules["formulaire"]["champs"] == FIELDS
    for key, label in FIELDS.items():
        assert fields[key]["attributes"]["label"] == label, key
    refs = Schemas(REPO_ROOT).referentials
    for key, referential in (("region", "region"), ("structure", "cadre_exercice")):
        expected = [
            dropdown_option(code, refs[referential].label(code)) for code in refs[referential].codes
        ]
        assert fields[key]["attributes"]["options"] == expected, key
    assert rules["formulaire"]["modele"] == ISSUE_FORM.name


def test_the_issue_link_comes_from_repo_url_only(tmp_path: Path, rules: dict[str, Any]) -> None:
    shipped = yaml.safe_load((REPO_ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert rules["formulaire"]["url"] == shipped["repo_url"] + "/issues/new"
    root = copy_register(tmp_path / "registre")
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(
        re.sub(r"^repo_url: .*$", f"repo_url: {OTHER_REPOSITORY}", config, flags=re.M),
        encoding="utf-8",
    )
    other = build_site(root, tmp_path / "site")
    moved = json.loads((other / "declarer" / "regles.json").read_text(encoding="utf-8"))
    assert moved["formulaire"]["url"] == OTHER_REPOSITORY + "/issues/new"
    script = (other / "assets" / "coopps" / "declaration.js").read_text(encoding="utf-8")
    assert "registre-coop-ps" not in script and "github.com" not in script


def test_theme_never_fetches_repository_counters(site: Path) -> None:
    page = (site / "declarer" / "index.html").read_text(encoding="utf-8")
    assert 'class="md-source"' in page and 'data-md-component="source"' not in page
    assert 'data-md-component="source"' not in (site / "404.html").read_text(encoding="utf-8")


def test_protocol_pages_open_to_adhesion_link_to_the_page(
    site: Path, rules: dict[str, Any]
) -> None:
    register = Register.load(REPO_ROOT)
    open_ids = {p["id"]: p for p in rules["protocoles"]}
    for pid in register.protocols:
        html = (site / "protocoles" / pid / "index.html").read_text(encoding="utf-8")
        links = re.findall(r'href="\.\./\.\./declarer/\?([^"]+)"', html)
        if pid not in open_ids:
            assert links == [], pid
            continue
        regions = open_ids[pid]["regions"]
        expected = f"protocole={pid}" + (f"&amp;region={regions[0]}" if len(regions) == 1 else "")
        assert links == [expected], pid
    assert len(open_ids) < len(register.protocols), "refused and stopped protocols get no button"


def test_guide_links_to_the_page(site: Path) -> None:
    guide = (site / "guides" / "declarer-une-adhesion" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../declarer/"' in guide


def test_judging_tables_are_the_validators(rules: dict[str, Any]) -> None:
    from coopps.checks import CHECKS
    from coopps.site.declaration_rules import KEYWORD_CODES

    judging = rules["juger"]
    assert judging["constats"] == {
        code: {"gravite": c.severity, "completude": c.completeness} for code, c in CHECKS.items()
    }
    assert set(KEYWORD_CODES.values()) <= set(CHECKS)
    assert "$ref" not in json.dumps(
        judging["schema"]
    )  # every reference resolved: the page has no resolver
    departements = json.loads(
        (REPO_ROOT / "schemas" / "departements.json").read_text(encoding="utf-8")
    )
    assert judging["geographie"]["departements"] == departements["departements"]
