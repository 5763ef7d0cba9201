"""The hostile corpus (`data/hostile/<family>/`): each case is a file placed in
a register (or a special file made there), checked by the `coop verifier`
command in process; `attendu.toml` says the exit code and the finding (code,
path, line, French message fragment), and for the output family what the
report must and must not contain. No case may end in a traceback or an
internal error. `docs/developpeurs/corpus-hostile.md` says what each family guards."""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from coopps.cli import main
from coopps.csvsafe import safe_cell
from register_samples import ADHESION_PATH, VALID_REGISTER

HOSTILE = Path(__file__).parent / "data" / "hostile"
FAMILIES = ("lecture", "vie-privee", "pannes", "sortie", "site")


@dataclass(frozen=True)
class HostileCase:
    family: str
    name: str
    spec: dict[str, Any] = field(hash=False)

    @property
    def id(self) -> str:
        return f"{self.family}/{self.name}"

    @property
    def path(self) -> str:
        return str(self.spec["chemin"])

    def place(self, root: Path) -> None:
        target = root / self.path
        target.parent.mkdir(parents=True, exist_ok=True)
        special = self.spec.get("special")
        if special == "fifo":
            os.mkfifo(target)
        elif special == "symlink":
            target.symlink_to("/etc/passwd")
        elif special is None:
            target.write_bytes((HOSTILE / self.family / self.spec["fichier"]).read_bytes())


def load_cases() -> Iterator[HostileCase]:
    for family in FAMILIES:
        expected = tomllib.loads((HOSTILE / family / "attendu.toml").read_text(encoding="utf-8"))
        for name, spec in expected.items():
            yield HostileCase(family, name, spec)


CASES = list(load_cases())


def build_register(scratch_register: Any, case: HostileCase) -> Path:
    files = dict(VALID_REGISTER)
    if (
        case.path.startswith("adhesions/")
        and case.path.endswith(".yml")
        and case.path != ADHESION_PATH
    ):
        del files[ADHESION_PATH]  # the case's adhesion replaces the sample one
    root = scratch_register(files)
    case.place(root)
    return root


def run_validate(root: Path, output_format: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["verifier", "--racine", str(root), "--format", output_format], catch_exceptions=False
    )
    return result.exit_code, result.output


def test_the_corpus_is_large_enough_and_every_case_has_its_file():
    assert len(CASES) >= 80
    for case in CASES:
        assert "special" in case.spec or (HOSTILE / case.family / case.spec["fichier"]).is_file(), (
            case.id
        )


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.spec.get("special") != "socket"], ids=lambda case: case.id
)
def test_hostile_case(scratch_register, case: HostileCase):
    root = build_register(scratch_register, case)
    code, out = run_validate(root, "json")
    assert "Traceback" not in out and "Erreur interne" not in out
    assert code == case.spec["sortie"], out
    findings = json.loads(out)["findings"]
    if "code" in case.spec:
        wanted = (case.spec["code"], case.path, case.spec["ligne"])
        matching = [f for f in findings if (f["code"], f["path"], f["line"]) == wanted]
        assert matching, [(f["code"], f["path"], f["line"]) for f in findings]
        assert any(case.spec["message"] in f["message"] for f in matching), [
            f["message"] for f in matching
        ]
    else:
        assert [f for f in findings if f["severity"] == "error"] == []
    if "format" in case.spec:
        assert_output(root, case)


def assert_output(root: Path, case: HostileCase) -> None:
    code, out = run_validate(root, case.spec["format"])
    assert code == case.spec["sortie"]
    for text in case.spec.get("contient", []):
        assert text in out, out
    for text in case.spec.get("exclut", []):
        assert text not in out, out


def test_a_socket_in_a_data_folder_is_refused_unopened(scratch_register):
    case = next(c for c in CASES if c.spec.get("special") == "socket")
    root = build_register(scratch_register, case)
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(root / case.path))
        code, out = run_validate(root, "json")
    assert code == 1
    assert [(f["code"], f["path"]) for f in json.loads(out)["findings"]] == [
        ("fichier-special", case.path)
    ]


SITE_CSV_CASES = [c for c in CASES if c.family == "site" and c.name.startswith("csv-")]


def team_name(case: HostileCase) -> str:
    from coopps.reading import read_bytes

    doc = read_bytes(case.path, (HOSTILE / case.family / case.spec["fichier"]).read_bytes())
    return str(doc.data["equipe"]["nom"])


@pytest.mark.parametrize("case", SITE_CSV_CASES, ids=lambda case: case.id)
def test_no_spreadsheet_runs_a_team_name_whatever_separator_it_splits_on(case: HostileCase):
    from coopps.site.export import to_csv
    from coopps.stats.figures import Table

    name = team_name(case)
    assert safe_cell(name) != name  # the case is dangerous, and neutralised
    written = [
        to_csv(["nom_equipe"], [{"nom_equipe": name}]),
        Table("t", "T", ("nom_equipe",), [(name,)]).csv(),
    ]
    for text in written:
        for separator in (",", ";", "\t"):
            cells = [
                cell for row in csv.reader(io.StringIO(text), delimiter=separator) for cell in row
            ]
            naive = [part for line in text.split("\n") for part in line.split(separator)]
            for cell in cells + naive:
                assert not cell.strip(' "').startswith(("=", "+", "-", "@")), (separator, cell)


def test_numbers_and_plain_text_are_left_alone_in_csv():
    assert [safe_cell(v) for v in ("-3", "-0.5", "Lyon", "MSP A (exemple)", 12, None)] == [
        "-3",
        "-0.5",
        "Lyon",
        "MSP A (exemple)",
        12,
        None,
    ]
    assert safe_cell("Lyon; =1") == "Lyon; '=1"


def test_the_site_refuses_to_publish_personal_data(tmp_path, caplog):
    from mkdocs.exceptions import Abort

    from sitekit import build_site, copy_register

    case = next(c for c in CASES if c.name == "site-refuse-une-donnee-personnelle")
    root = copy_register(tmp_path / "registre")
    case.place(root)
    with pytest.raises(Abort):
        build_site(root, tmp_path / "site", strict=False)
    assert (
        f"Publication refusée : 1 donnée(s) personnelle(s) dans le registre ({case.path}, ligne 23)"
        in caplog.text
    )
    assert not (tmp_path / "site" / "index.html").exists()
