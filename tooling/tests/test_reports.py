"""Yearly follow-up reports: every rule with a failing report and its corrected
version, on the sample register extended with a protocol that lists indicators."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import REPO_ROOT
from coopps.checker import Options, validate
from coopps.paths import classify
from coopps.rules import CHECKS, reports
from register_samples import ADHESION, NATIONAL, VALID_REGISTER

INDICATORS = """\
indicateurs:
  - cle: patients-pris-en-charge
    libelle: Nombre de patients pris en charge par le délégué
    type: entier
    unite: patients
  - cle: reorientations-delegant
    libelle: Nombre de réorientations vers le délégant
    type: entier
  - cle: taux-satisfaction
    libelle: Taux de patients satisfaits
    type: taux
    unite: "%"
  - cle: difficultes
    libelle: Difficultés rencontrées
    type: texte
"""
NATIONAL_WITH_INDICATORS = NATIONAL.replace("arrete:\n", INDICATORS + "arrete:\n", 1)
REPORT = """\
# yaml-language-server: $schema=../../../schemas/suivi.schema.json
annee: 2024
eig_declares: 0
indicateurs:
  patients-pris-en-charge: 120
  reorientations-delegant: 7
  taux-satisfaction: 92.5
  difficultes: Aucune difficulté particulière
"""
BARE_REPORT = "# yaml-language-server: $schema=../../../schemas/suivi.schema.json\nannee: 2024\neig_declares: 1\n"
R = "adhesions/84/nat-test/msp-a.suivi-2024.yml"
REGIONAL_ADHESION = "adhesions/84/reg-84-test/msp-a.yml"
REGISTER = {
    **VALID_REGISTER,
    "protocols/nat-test.yml": NATIONAL_WITH_INDICATORS,
    R: REPORT,
    REGIONAL_ADHESION: ADHESION,
    "adhesions/84/reg-84-test/msp-a.suivi-2024.yml": BARE_REPORT,
}
ENDED = ADHESION + "fin:\n  date: 2024-06-30\n  motif: Départ du médecin délégant\n"
EARLY = ADHESION.replace("date_declaration: 2024-03-12", "date_declaration: 2022-03-12")


def sub(text: str, old: str, new: str) -> str:
    assert old in text, f"fixture text not found: {old!r}"
    return text.replace(old, new, 1)


def year(text: str, value: int) -> str:
    return sub(text, "annee: 2024", f"annee: {value}")


@dataclass(frozen=True)
class Case:
    """A failing register (`files` over REGISTER) and the corrected one (`fixed` over REGISTER)."""

    code: str
    path: str
    needle: str  # the finding is on the (first) line of `files[path]` containing this text
    files: dict[str, str | None]  # None removes a file of REGISTER
    fixed: dict[str, str | None] = field(default_factory=dict)
    name: str = ""

    @property
    def line(self) -> int:
        text = self.files[self.path] or ""
        return next(n for n, line in enumerate(text.splitlines(), start=1) if self.needle in line)


CASES = [
    Case(
        "suivi-sans-adhesion",
        "adhesions/84/nat-test/msp-b.suivi-2024.yml",
        "# yaml",
        {"adhesions/84/nat-test/msp-b.suivi-2024.yml": REPORT},
    ),
    Case(
        "suivi-sans-adhesion",
        "adhesions/11/nat-test/msp-a.suivi-2024.yml",
        "# yaml",
        {"adhesions/11/nat-test/msp-a.suivi-2024.yml": REPORT},
        name="autre-region",
    ),
    Case("suivi-annee-chemin", R, "annee", {R: year(REPORT, 2025)}),
    Case(
        "suivi-annee-future",
        "adhesions/84/nat-test/msp-a.suivi-2099.yml",
        "annee",
        {"adhesions/84/nat-test/msp-a.suivi-2099.yml": year(REPORT, 2099)},
    ),
    Case(
        "suivi-avant-adhesion",
        "adhesions/84/nat-test/msp-a.suivi-2023.yml",
        "annee",
        {"adhesions/84/nat-test/msp-a.suivi-2023.yml": year(REPORT, 2023)},
    ),
    Case(
        "suivi-apres-fin",
        "adhesions/84/nat-test/msp-a.suivi-2025.yml",
        "annee",
        {
            "adhesions/84/nat-test/msp-a.yml": ENDED,
            R: None,
            "adhesions/84/nat-test/msp-a.suivi-2025.yml": year(REPORT, 2025),
        },
        {"adhesions/84/nat-test/msp-a.yml": ENDED},
    ),
    Case(
        "suivi-apres-fin",
        "adhesions/84/nat-arrete/msp-a.suivi-2024.yml",
        "annee",
        {
            "adhesions/84/nat-arrete/msp-a.yml": EARLY,
            "adhesions/84/nat-arrete/msp-a.suivi-2024.yml": BARE_REPORT,
        },
        {
            "adhesions/84/nat-arrete/msp-a.yml": EARLY,
            "adhesions/84/nat-arrete/msp-a.suivi-2023.yml": year(BARE_REPORT, 2023),
        },
        name="protocole-arrete",
    ),
    Case(
        "indicateur-inconnu",
        R,
        "patients-pris-en-charges",
        {R: sub(REPORT, "patients-pris-en-charge:", "patients-pris-en-charges:")},
    ),
    Case(
        "indicateur-manquant",
        R,
        "indicateurs:",
        {R: sub(REPORT, "  reorientations-delegant: 7\n", "")},
    ),
    Case(
        "indicateur-manquant",
        R,
        "# yaml",
        {R: REPORT.split("indicateurs:")[0]},
        name="aucun-indicateur",
    ),
    Case(
        "indicateur-type-invalide",
        R,
        "patients-pris-en-charge",
        {R: sub(REPORT, "patients-pris-en-charge: 120", 'patients-pris-en-charge: "120 patients"')},
    ),
    Case(
        "indicateur-type-invalide",
        R,
        "reorientations",
        {R: sub(REPORT, "delegant: 7", "delegant: 7.5")},
        name="decimal",
    ),
    Case(
        "indicateur-type-invalide",
        R,
        "taux",
        {R: sub(REPORT, "satisfaction: 92.5", 'satisfaction: "92,5 %"')},
        name="taux-texte",
    ),
    Case(
        "indicateur-type-invalide",
        R,
        "difficultes",
        {R: sub(REPORT, "difficultes: Aucune difficulté particulière", "difficultes: 3")},
        name="texte-nombre",
    ),
    Case(
        "indicateur-negatif", R, "reorientations", {R: sub(REPORT, "delegant: 7", "delegant: -3")}
    ),
    Case(
        "taux-hors-limites", R, "taux", {R: sub(REPORT, "satisfaction: 92.5", "satisfaction: 925")}
    ),
    Case(
        "taux-hors-limites",
        R,
        "taux",
        {R: sub(REPORT, "satisfaction: 92.5", "satisfaction: -0.5")},
        name="taux-negatif",
    ),
    Case(
        "protocole-sans-indicateurs",
        "adhesions/84/reg-84-test/msp-a.suivi-2024.yml",
        "indicateurs",
        {
            "adhesions/84/reg-84-test/msp-a.suivi-2024.yml": BARE_REPORT
            + "indicateurs:\n  patients: 40\n"
        },
    ),
    # Codes of other layers that reports meet too
    Case(
        "chemin-invalide",
        "adhesions/84/nat-test/msp-a.suivi.yml",
        "# yaml",
        {"adhesions/84/nat-test/msp-a.suivi.yml": REPORT},
        name="nom-de-rapport",
    ),
    Case(
        "champ-obligatoire",
        R,
        "# yaml",
        {R: sub(REPORT, "eig_declares: 0\n", "")},
        name="eig-obligatoire",
    ),
    Case(
        "valeur-hors-limites",
        R,
        "eig_declares",
        {R: sub(REPORT, "eig_declares: 0", "eig_declares: -1")},
        name="eig-negatif",
    ),
    Case(
        "format-invalide",
        R,
        "indicateurs:",
        {R: sub(REPORT, "  difficultes:", "  Difficultés:")},
        name="cle-indicateur",
    ),
    Case(
        "donnee-personnelle",
        R,
        "difficultes",
        {R: sub(REPORT, "Aucune difficulté particulière", '"Rappeler le 06 12 34 56 78"')},
        name="telephone",
    ),
]


def build(tmp_path: Path, overrides: dict[str, str | None], name: str = "registre") -> Path:
    """A register in its own folder: the real schemas, REGISTER and the overrides."""
    root = tmp_path / name
    shutil.copytree(REPO_ROOT / "schemas", root / "schemas")
    for rel, text in {**REGISTER, **overrides}.items():
        if text is not None:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_text(text, encoding="utf-8")
    return root


def test_the_sample_register_with_reports_is_clean(tmp_path):
    report = validate(Options(root=build(tmp_path, {})))
    assert report.findings == []
    assert report.files_checked == len(REGISTER)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name or case.code)
def test_each_report_rule_fails_then_passes_once_corrected(tmp_path, case: Case):
    failing = validate(Options(root=build(tmp_path, case.files, "faux")))
    found = [(f.code, f.path, f.line) for f in failing.findings]
    assert (case.code, case.path, case.line) in found, found
    finding = next(f for f in failing.findings if f.code == case.code)
    assert finding.severity == CHECKS[case.code].severity
    assert re.search(r"[a-zéèà]", finding.message) and "Traceback" not in finding.message
    corrected = validate(Options(root=build(tmp_path, case.fixed, "corrige")))
    assert corrected.findings == []


def test_the_current_year_is_not_over(tmp_path, monkeypatch):
    monkeypatch.setattr(reports, "today", lambda: "2024-11-15")
    findings = validate(Options(root=build(tmp_path, {}))).findings
    assert {(f.code, f.path) for f in findings} == {
        ("suivi-annee-future", R),
        ("suivi-annee-future", "adhesions/84/reg-84-test/msp-a.suivi-2024.yml"),
    }
    assert "L'année 2024 est en cours" in findings[0].message


def test_draft_lowers_a_missing_indicator_to_a_warning(tmp_path):
    root = build(tmp_path, {R: sub(REPORT, "  reorientations-delegant: 7\n", "")})
    draft = validate(Options(root=root, draft=True))
    assert draft.errors == [] and [f.code for f in draft.warnings] == ["indicateur-manquant"]


def test_two_reports_for_one_year_cannot_share_a_path():
    """The year is in the file name: a second report for 2024 would be the same file."""
    regions = frozenset({"84"})
    first = classify("adhesions/84/nat-test/msp-a.suivi-2024.yml", regions)
    assert (first.kind, first.team_id, first.problem) == ("suivi", "msp-a", "")
    assert (
        reports.report_year(first) == 2024
        and reports.adhesion_path(first) == "adhesions/84/nat-test/msp-a.yml"
    )
    assert classify("adhesions/84/nat-test/msp-a.yml", regions).kind == "adhesion"
    assert classify("adhesions/84/nat-test/msp-a.suivi-24.yml", regions).problem


def test_every_report_code_is_in_the_catalogue_layer():
    layer = {code for code, check in CHECKS.items() if check.layer == "suivi"}
    assert layer == {case.code for case in CASES if case.code in layer}


def test_a_report_checked_alone_still_finds_its_adhesion_and_protocol(tmp_path):
    root = build(tmp_path, {R: sub(REPORT, "delegant: 7", "delegant: -3")})
    findings = validate(Options(root=root, paths=(R,))).findings
    assert [(f.code, f.path) for f in findings] == [("indicateur-negatif", R)]
