"""Adding a check touches one module: a copy of the package gets one more check, declared
with its examples in an existing family (`rules/adhesions.py`), and nothing else. In a fresh
interpreter on that copy, the check is in the registry and runs on adhesions, its examples
fail and pass as declared, and the reference page, the issue form's words and the
declaration page's rule tables all carry it (docs/developpeurs/architecture.md shows the
same change as a real diff)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO_ROOT

TESTS = Path(__file__).parent
PACKAGE = TESTS.parent / "coopps"

NEW_CHECK = """

CAPITALS = declare(Check(
    "nom-en-majuscules", "registre", "warning",
    title="Le nom de l'équipe s'écrit comme il s'affiche, pas tout en majuscules.",
    example="equipe:\\n  nom: MSP DES TILLEULS",
    fix="equipe:\\n  nom: MSP des Tilleuls",
    kinds=ADHESION,
    message="Le nom « {nom} » est écrit tout en majuscules : écrivez-le comme il "
            "s'affiche (exemple : « MSP des Tilleuls »).",
    form="écrivez le nom comme il s'affiche, pas tout en majuscules.",
    failing=(Example("  nom: MSP A EXEMPLE FICTIF", "  nom: MSP A (exemple fictif)"),),
    passing=(Example("  nom: MSP A (Exemple fictif)", "  nom: MSP A (exemple fictif)"),),
))


@rule("adhesion", CAPITALS)
def check_capitals(entry: Entry, register: Register) -> Iterator[Finding]:
    name = entry.data["equipe"]["nom"]
    if name.isupper():
        yield at(CAPITALS, entry, "equipe", "nom", nom=name)
"""

# Run in the copy: what every place that derives from the declarations says of the new code.
PROBE = """
import json, shutil, sys
from pathlib import Path

from coopps.checker import Options, validate
from coopps.rules import CHECKS, RULES_BY_KIND
from coopps.schema import Schemas
from coopps.site.declaration import check_words
from coopps.site.declaration_rules import judging_rules
from coopps.site.reference import checks_markdown
from coopps.authoring import form_words
from register_samples import VALID_REGISTER
from test_checks import declared_case, write_case

root, repo = Path(sys.argv[1]), Path(sys.argv[2])
check = CHECKS["nom-en-majuscules"]
verdicts = []
for example, label in [(e, "failing") for e in check.failing] + [(e, "passing") for e in check.passing]:
    case = declared_case(check, example)
    where = root / label
    shutil.copytree(repo / "schemas", where / "schemas")
    for rel, text in {**VALID_REGISTER, case.path: case.content}.items():
        (where / rel).parent.mkdir(parents=True, exist_ok=True)
        (where / rel).write_text(text, encoding="utf-8")
    found = validate(Options(root=where)).findings
    verdicts.append([label, [[f.code, f.line, f.severity, list(f.key)] for f in found], case.line])
print(json.dumps({
    "rules": [rule.__name__ for rule in RULES_BY_KIND["adhesion"]],
    "verdicts": verdicts,
    "reference": "### `nom-en-majuscules`" in checks_markdown(),
    "form": form_words.SENTENCES.get("nom-en-majuscules"),
    "page_words": check_words().get("nom-en-majuscules"),
    "page_severity": judging_rules(Schemas(repo))["constats"].get("nom-en-majuscules"),
}))
"""


def test_a_check_declared_in_one_module_reaches_every_place(tmp_path: Path) -> None:
    copy = tmp_path / "paquet"
    shutil.copytree(PACKAGE, copy / "coopps", ignore=shutil.ignore_patterns("__pycache__"))
    family = copy / "coopps" / "rules" / "adhesions.py"
    family.write_text(family.read_text(encoding="utf-8") + NEW_CHECK, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(copy), str(TESTS)])}
    result = subprocess.run(
        [sys.executable, "-c", PROBE, str(tmp_path / "registres"), str(REPO_ROOT)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])

    assert "check_capitals" in seen["rules"]
    (failing, found, line), (passing, clean, _) = seen["verdicts"]
    assert (failing, found) == (
        "failing",
        [["nom-en-majuscules", line, "warning", ["equipe", "nom"]]],
    )
    assert (passing, clean) == ("passing", [])
    assert seen["reference"] is True
    assert seen["form"] == "écrivez le nom comme il s'affiche, pas tout en majuscules."
    assert seen["page_words"] == {"gravite": "warning", "completude": False, "phrase": seen["form"]}
    assert seen["page_severity"] == {"gravite": "warning", "completude": False}


def test_the_copy_without_the_new_check_knows_nothing_of_it(tmp_path: Path) -> None:
    """The probe's questions have a different answer without the added lines (so the test above
    can fail)."""
    from coopps.rules import CHECKS

    assert "nom-en-majuscules" not in CHECKS
