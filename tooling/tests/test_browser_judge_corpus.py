"""The declaration page judges as the robot does: every case of the shared corpus (judge_corpus.py) goes
through the page's judge (`page.evaluate`, all cases in one call, one page) and through
`coop verifier --brouillon` on the file the page writes for it (one run over all the files).

What is compared, case by case:
- the robot's findings on the file, as a set of (code, severity), against the page's judge in the
  robot's order of layers (`robot: true`: register rules only on a schema-valid file at a valid path):
  equal, finding code for finding code and severity for severity;
- the verdict: « an error or not » equal between the page's form mode (`robot: false`, which also judges
  the well-formed parts of an unfinished file) and the robot; and every code the robot gives is also
  given in the form mode.
Line numbers are not compared (the page points at fields, not lines); the number of findings of one code
in one file is not either (the robot merges schema findings that share a line and a message).
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from coopps.cli import main
from judge_corpus import EXTRA_PROTOCOLS, TEXTS_FINE, TEXTS_WRONG, corpus
from sitekit import CHROMIUM, build_site, copy_register, serving

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)"
)

JUDGE_ALL = """cases => cases.map(c => {
  const d = window.coopDeclaration;
  const pairs = list => list.map(f => [f.code, f.level]);
  return {fichier: d.fichier(c.data), robot: pairs(d.juger(c.data, c.where, true)),
          form: pairs(d.juger(c.data, c.where, false))};
})"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = copy_register(tmp_path_factory.mktemp("registre"), EXTRA_PROTOCOLS)
    with serving(build_site(root, tmp_path_factory.mktemp("site"), strict=True)) as url:
        yield url


def robot_findings(root: Path, paths: list[str]) -> dict[str, set[tuple[str, str]]]:
    with contextlib.chdir(root):
        result = CliRunner().invoke(
            main,
            ["verifier", "--brouillon", "--format", "json", "--racine", str(root), *paths],
            catch_exceptions=False,
        )
    assert result.exit_code in (0, 1), result.output
    found: dict[str, set[tuple[str, str]]] = {path: set() for path in paths}
    for finding in json.loads(result.output)["findings"]:
        found.setdefault(finding["path"], set()).add((finding["code"], finding["severity"]))
    return found


def test_the_page_and_the_robot_agree_on_the_whole_corpus(
    browser: Any, base_url: str, scratch_register: Any
) -> None:
    cases = corpus()
    assert len(cases) >= 150 and len({c.path for c in cases}) == len(cases)
    page = browser.new_page()
    page.goto(base_url + "declarer/")
    page.wait_for_function("window.coopDeclaration && window.coopDeclaration.ready")
    judged = page.evaluate(JUDGE_ALL, [{"data": c.data, "where": c.where} for c in cases])
    page.close()

    root = scratch_register(EXTRA_PROTOCOLS, with_shipped_protocols=True)
    for case, result in zip(cases, judged, strict=True):
        (root / case.path).parent.mkdir(parents=True, exist_ok=True)
        (root / case.path).write_text(result["fichier"], encoding="utf-8")
    robot = robot_findings(root, [case.path for case in cases])

    disagreements, codes = [], Counter()
    for case, result in zip(cases, judged, strict=True):
        expected = robot[case.path]
        codes.update(code for code, _ in expected)
        page_robot = {tuple(pair) for pair in result["robot"]}
        form = {tuple(pair) for pair in result["form"]}
        blocked = any(severity == "error" for _, severity in expected)
        form_blocked = any(level == "error" for _, level in form)
        if (
            page_robot != expected
            or blocked != form_blocked
            or not {c for c, _ in expected} <= {c for c, _ in form}
        ):
            disagreements.append(
                f"{case.name} ({case.path}): robot {sorted(expected)}, page {sorted(page_robot)}, "
                f"formulaire {sorted(form)}\n{result['fichier']}"
            )
    print(
        f"\nCORPUS {len(cases)} cas, {len(cases) - len(disagreements)} d'accord ; "
        f"{sum(1 for c in cases if robot[c.path])} avec constats ; codes : {dict(sorted(codes.items()))}"
    )
    assert disagreements == [], "\n\n".join(disagreements)


PERSONAL = [
    *TEXTS_WRONG.values(),
    *TEXTS_FINE.values(),
    "élodie@exemple.fr",
    "jean.dupont@exemple.fr",
    "x ſat y.fr",
    "contact arobase exemple point fr",
    "Tél. 04.72.00.00.00",
    "0033 6 12 34 56 78",
    "+33 (0)6 12 34 56 78",
    "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000047307373",
    "https://x.fr/0612345678 et 0612345678",
    "12 bis rue Victor Hugo",
    "3, avenue Foch",
    "rue 12",
    "\uff10\uff16\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18",
    "tel\u00a006 12 34 56 78",
    "06\u202f12\u202f34\u202f56\u202f78",
    "ß@x.de",
    "x_y@ex.com",
    "١٢٣@x.fr",
    "2 85 05 2A 006 084 50",
    "1850578006084 91",
    "Dr ſ 10000001015",
    "été 2024 : 10 h",
    "MSP 04 75 ou 0475",
    "Ünïcödé@éxample.org",
    "n° 10000001016",
    "IFSI 26 000 Valence",
    "contact(at)exemple(dot)fr",
]


def test_personal_data_is_found_as_the_validator_finds_it(browser: Any, base_url: str) -> None:
    from coopps.personal import personal_data

    page = browser.new_page()
    page.goto(base_url + "declarer/")
    page.wait_for_function("window.coopDeclaration && window.coopDeclaration.ready")
    found = page.evaluate(
        "ts => ts.map(t => window.coopJuge.personalData(t, window.coopDeclaration.regles()))",
        PERSONAL,
    )
    page.close()
    assert found == [personal_data(text) for text in PERSONAL]
