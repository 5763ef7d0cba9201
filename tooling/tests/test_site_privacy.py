"""Privacy: no field outside the allow-list reaches the built site.

Every adhesion of the shipped register is copied with canary values planted in
each field that must never be published (RPPS, ADELI, names, first names,
training bodies and dates, document digests, FINESS, motives of suspension and
end); the site is built and every byte under it is searched for them.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from coopps.register import Register
from coopps.rules.identifiers import luhn_complete
from sitekit import REPO_ROOT, build_site, commit_all


class Canaries:
    def __init__(self) -> None:
        self.values: list[str] = []

    def new(self, kind: str, make: Callable[[int], str] | None = None) -> str:
        n = len(self.values) + 1
        value = make(n) if make else f"Canari{kind}{n:04d}x"
        self.values.append(value)
        return value


def plant(data: dict[str, Any], canaries: Canaries, position: int) -> dict[str, Any]:
    renamed: dict[str, str] = {}
    for member in data["membres"]:
        old = member.get("rpps") or member.get("adeli")
        member["rpps"] = canaries.new("rpps", lambda n: luhn_complete(f"7331{n:06d}"))
        member["adeli"] = canaries.new("adeli", lambda n: f"7332{n:05d}")
        member["nom_exercice"] = canaries.new("nom")
        member["prenom"] = canaries.new("prenom")
        if "formation" in member:
            member["formation"]["organisme"] = canaries.new("organisme")
        renamed[old] = member["rpps"]
    for piece in data["pieces"]:
        piece["sha256"] = canaries.new(
            "sha", lambda n: hashlib.sha256(f"canari-{n}".encode()).hexdigest()
        )
        if "membre" in piece:
            piece["membre"] = renamed.get(piece["membre"], piece["membre"])
    data["equipe"]["finess"] = canaries.new("finess", lambda n: f"9B{n:07d}")
    block = "suspension" if position % 2 == 0 else "fin"
    data.pop("fin", None)
    data[block] = {"date": "2025-01-15", "motif": canaries.new("motif")}
    return data


def test_no_unpublished_field_reaches_the_site(
    scratch_register: Callable[..., Path], tmp_path: Path
) -> None:
    root = scratch_register({}, with_shipped_protocols=True)
    shutil.copy2(REPO_ROOT / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO_ROOT / "docs", root / "docs")
    shutil.copytree(REPO_ROOT / "overrides", root / "overrides")
    canaries = Canaries()
    files = sorted((REPO_ROOT / "adhesions").rglob("*.yml"))
    sources = [path for path in files if ".suivi-" not in path.name]
    assert sources, "the shipped register has no adhesion to copy"
    for report in set(files) - set(sources):  # yearly reports: published only as aggregates
        (root / report.relative_to(REPO_ROOT)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(report, root / report.relative_to(REPO_ROOT))
    for position, source in enumerate(sources):
        data = plant(yaml.safe_load(source.read_text(encoding="utf-8")), canaries, position)
        target = root / source.relative_to(REPO_ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    commit_all(root, "Registre avec canaris")
    adhesions = Register.load(root).adhesions
    assert adhesions and all(e.valid for e in adhesions), [
        f.message for e in adhesions for f in e.findings
    ]

    site = build_site(root, tmp_path / "site", strict=True)

    assert (site / "adhesions.csv").read_text(encoding="utf-8").count("\n") == len(sources) + 1
    leaks = []
    for path in (p for p in site.rglob("*") if p.is_file()):
        content = path.read_bytes()
        leaks += [
            (path.relative_to(site).as_posix(), value)
            for value in canaries.values
            if value.encode() in content
        ]
    assert leaks == []
