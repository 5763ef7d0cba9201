"""Every check of layers 1-3, as a specification: one failing fixture per
code with the path and line it must point at; the unchanged fixture (the
corrected state) passes."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from coopps.checker import Options, validate
from coopps.checks import Check, Example
from coopps.rules import CHECKS
from register_samples import (
    ADHESION,
    ADHESION_PATH,
    NATIONAL,
    REGIONAL,
    RPPS_DELEGANT,
    RPPS_DELEGUE,
    SHA,
    STOPPED,
    VALID_REGISTER,
)

TESTS_DIR = Path(__file__).parent


def sub(text: str, old: str, new: str, count: int = 1) -> str:
    assert old in text, f"fixture text not found: {old!r}"
    return text.replace(old, new, count)


@dataclass(frozen=True)
class Case:
    code: str
    path: str
    content: str | bytes
    needle: str  # the expected finding is on the line containing this text
    name: str = ""
    occurrence: int = 1  # …its n-th occurrence
    also: tuple[
        str, ...
    ] = ()  # codes of the other findings the same mistake rightly gives in that file
    elsewhere: tuple[tuple[str, str], ...] = ()  # (path, code) it rightly gives in other files

    @property
    def id(self) -> str:
        return self.name or self.code

    @property
    def content_text(self) -> str:
        content = self.content
        return content.decode("utf-8", "replace") if isinstance(content, bytes) else content

    @property
    def line(self) -> int:
        text = self.content_text
        matches = [
            number for number, line in enumerate(text.splitlines(), start=1) if self.needle in line
        ]
        if len(matches) >= self.occurrence:
            return matches[self.occurrence - 1]
        raise AssertionError(f"needle {self.needle!r} not in fixture")


P = "protocols/nat-test.yml"
A = ADHESION_PATH
MEMBER_2 = f'  - rpps: "{RPPS_DELEGUE}"'

CASES = [
    # 1. Reading
    Case("fichier-inattendu", "adhesions/84/nat-test/diplome.pdf", b"%PDF-1.4 fictif", "%PDF"),
    Case(
        "fichier-inattendu", "protocols/nat-autre.yaml", NATIONAL, "# yaml", name="extension-yaml"
    ),
    Case(
        "fichier-trop-gros",
        "protocols/nat-gros.yml",
        NATIONAL + "notes: " + "x" * 600_000 + "\n",
        "# yaml",
    ),
    Case(
        "encodage-invalide",
        P,
        NATIONAL.replace("régional", "").encode("utf-8").replace(b"national", b"nati\xe9nal", 1),
        "nati",
        name="latin1",
    ),
    Case("encodage-invalide", P, b"\x89PNG\r\n\x1a\n\x00\x00", "PNG", name="binaire"),
    Case(
        "fichier-vide",
        P,
        "# yaml-language-server: $schema=../schemas/protocole.schema.json\n",
        "# yaml",
    ),
    Case("yaml-trop-imbrique", P, NATIONAL + "notes: " + "[" * 5000 + "]" * 5000 + "\n", "notes"),
    Case(
        "alias-interdit",
        P,
        sub(
            sub(NATIONAL, "  delegants: [medecin]", "  delegants: &med [medecin]"),
            "  delegues: [infirmier]",
            "  delegues: *med",
        ),
        "delegues",
    ),
    Case(
        "alias-interdit",
        P,
        NATIONAL + "a: &a [x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b, *b, *b]\n",
        "b: &b",
        name="milliard-de-rires",
        also=("alias-interdit",),
    ),
    Case(
        "etiquette-interdite",
        P,
        sub(NATIONAL, "intitule: Protocole", "intitule: !!python/object:os.system Protocole"),
        "intitule",
        name="etiquette-python",
    ),
    Case(
        "etiquette-interdite",
        A,
        sub(ADHESION, "    prenom: Camille", "    !!binary prenom: Camille"),
        "prenom",
        name="etiquette-sur-cle",
    ),
    Case(
        "caractere-invisible",
        P,
        sub(
            NATIONAL,
            "intitule: Protocole national de test",
            'intitule: "Protocole \\u202enational"',
        ),
        "intitule",
    ),
    Case(
        "caractere-invisible",
        A,
        sub(ADHESION, "  commune: Lyon", "  commune: Ly\u200bon"),
        "commune",
        name="sans-chasse",
    ),
    Case("entete-schema", P, NATIONAL.split("\n", 1)[1], "intitule"),
    # 2. Schema
    Case(
        "champ-obligatoire",
        P,
        sub(NATIONAL, "arrete:\n  date: 2020-03-06\n  reference: Arrêté de test\n", ""),
        "# yaml",
        name="arrete-si-autorise",
    ),
    Case(
        "champ-obligatoire",
        "protocols/reg-84-test.yml",
        sub(REGIONAL, "arrete:\n  date: 2016-02-01\n", "arrete: {}\n"),
        "arrete",
        name="date-arrete-hors-historique",
    ),
    Case(
        "champ-obligatoire",
        P,
        sub(NATIONAL, "  delegues: [infirmier]\n", ""),
        "professions:",
        name="professions-hors-historique",
    ),
    Case(
        "champ-inconnu",
        A,
        sub(ADHESION, "    role: delegant\n", "    role: delegant\n    courriel: x@example.org\n"),
        "courriel",
        name="courriel",
        also=("donnee-personnelle",),
    ),
    Case(
        "type-invalide",
        "protocols/reg-84-test.yml",
        sub(REGIONAL, 'region: "84"', "region: 84"),
        "region: 84",
    ),
    Case(
        "type-invalide",
        A,
        sub(ADHESION, f'  - rpps: "{RPPS_DELEGANT}"', f"  - rpps: {RPPS_DELEGANT}"),
        f"rpps: {RPPS_DELEGANT}",
        name="rpps-nombre",
    ),
    Case(
        "valeur-inconnue",
        P,
        sub(NATIONAL, "portee: national", "portee: nationale"),
        "portee",
        also=("champ-obligatoire",),
    ),  # not national: a region is then required
    Case(
        "format-invalide",
        A,
        sub(ADHESION, f'  - rpps: "{RPPS_DELEGANT}"', '  - rpps: "1234"'),
        '"1234"',
        name="rpps-court",
    ),
    Case(
        "format-invalide",
        A,
        sub(ADHESION, f"    sha256: {SHA}", "    sha256: abc"),
        "sha256: abc",
        name="sha256",
    ),
    Case(
        "format-invalide",
        A,
        sub(ADHESION, f'  - rpps: "{RPPS_DELEGANT}"', f"  - rpps: |\n      {RPPS_DELEGANT}"),
        "rpps: |",
        name="rpps-bloc",
    ),
    Case(
        "schema-non-respecte",
        A,
        sub(
            ADHESION,
            f'  - rpps: "{RPPS_DELEGANT}"\n    nom_exercice: Exemple',
            "  - nom_exercice: Exemple",
        ),
        "nom_exercice: Exemple",
    ),
    # 3. Register rules
    Case("chemin-invalide", "adhesions/auvergne/nat-test/msp-a.yml", ADHESION, "# yaml"),
    Case(
        "chemin-invalide", "protocols/Protocole Test.yml", NATIONAL, "# yaml", name="nom-protocole"
    ),
    Case("chemin-invalide", "adhesions/84/msp-a.yml", ADHESION, "# yaml", name="profondeur"),
    Case(
        "chemin-invalide",
        "adhesions/84/nat-test/CON.yml",
        ADHESION,
        "# yaml",
        name="nom-reserve-windows",
    ),
    Case(
        "chemin-invalide",
        "adhesions/84/nat-test/lpt1.suivi-2024.yml",
        ADHESION,
        "# yaml",
        name="nom-reserve-suivi",
    ),
]


def declared_case(check: Check, example: Example) -> Case:
    """A check's declared example (`Check.failing`, `Check.passing`) as a case."""
    sample = VALID_REGISTER[example.start]
    changed = sub(sample, example.old, example.new) if example.old else sample + example.new
    return Case(
        check.code,
        example.where,
        changed,
        example.line_text,
        example.name,
        example.occurrence,
        example.also,
        example.elsewhere,
    )


# Above, the cases a declared example cannot write (bytes, several changes, a huge file);
# every other one is declared with its check.
CASES += [declared_case(check, example) for check in CHECKS.values() for example in check.failing]
PASSING = [declared_case(check, example) for check in CHECKS.values() for example in check.passing]


def write_case(root: Path, case: Case) -> None:
    target = root / case.path
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(case.content, bytes):
        target.write_bytes(case.content)
    else:
        target.write_text(case.content, encoding="utf-8")


def register_with(scratch_register, case: Case) -> Path:
    files = dict(VALID_REGISTER)
    if case.path.startswith("adhesions/") and case.path != A:
        del files[A]  # the case's adhesion replaces the sample one
    root = scratch_register(files)
    write_case(root, case)
    return root


def test_the_sample_register_is_clean(scratch_register):
    report = validate(Options(root=scratch_register(VALID_REGISTER)))
    assert report.findings == []
    assert report.files_checked == len(VALID_REGISTER)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_each_check_points_at_the_offending_line(scratch_register, case: Case):
    report = validate(Options(root=register_with(scratch_register, case)))
    findings = report.sorted()
    assert sorted(f.code for f in findings if f.path == case.path) == sorted(
        (case.code, *case.also)
    )
    assert sorted((f.path, f.code) for f in findings if f.path != case.path) == sorted(
        case.elsewhere
    )
    finding = next(f for f in report.findings if f.code == case.code and f.line == case.line)
    assert finding.severity == CHECKS[case.code].severity
    assert_reads_as_french(finding.message)


@pytest.mark.parametrize("case", PASSING, ids=lambda case: f"{case.code}-{case.id}")
def test_each_declared_passing_example_passes(scratch_register, case: Case):
    report = validate(Options(root=register_with(scratch_register, case)))
    assert case.code not in {f.code for f in report.findings}


def test_every_declared_example_changes_its_sample():
    """An example whose `old` text is not in its sample would silently test the sample itself."""
    for check in CHECKS.values():
        for example in (*check.failing, *check.passing):
            assert example.old in VALID_REGISTER[example.start], (check.code, example)


FRENCH_WORDS = re.compile(
    r"\b(le|la|les|un|une|des|du|de|est|sont|pas|ce|cette|ici|au|aux|ou|et)\b", re.IGNORECASE
)
LEFTOVERS = re.compile(r"Traceback|\{[a-z_]*\}|\bNone\b|\[\'|\bthe\b|\bmust\b|\bis not\b")


def assert_reads_as_french(message: str) -> None:
    """A sentence for a person: French words, no Python leftovers, a final full stop."""
    assert FRENCH_WORDS.search(message), message
    assert not LEFTOVERS.search(message), message
    assert message.rstrip().endswith((".", "?", "»", ")")), message


def test_every_check_has_a_failing_fixture():
    """A code without a fixture is a code nobody has seen fail. Layers tested in
    other modules (transitions, follow-up reports) name their codes there."""
    covered = {case.code for case in CASES}  # declared examples included
    all_tests = " ".join(p.read_text(encoding="utf-8") for p in TESTS_DIR.glob("test_*.py"))
    missing = [code for code in CHECKS if code not in covered and f'"{code}"' not in all_tests]
    assert missing == []


def test_symlinks_are_refused_without_being_followed(scratch_register, tmp_path):
    secret = tmp_path / "secret.yml"
    secret.write_text("intitule: secret\n", encoding="utf-8")
    root = scratch_register(VALID_REGISTER)
    (root / "protocols/nat-lien.yml").symlink_to(secret)
    report = validate(Options(root=root))
    assert [(f.code, f.path) for f in report.findings] == [
        ("lien-symbolique", "protocols/nat-lien.yml")
    ]


def test_draft_lowers_completeness_to_warnings(scratch_register):
    case = next(c for c in CASES if c.code == "piece-manquante")
    root = register_with(scratch_register, case)
    assert validate(Options(root=root)).errors
    draft = validate(Options(root=root, draft=True))
    assert draft.errors == []
    assert {f.code for f in draft.warnings} == {"piece-manquante"}


def test_paths_limit_the_report_but_not_the_cross_file_rules(scratch_register):
    case = next(c for c in CASES if c.code == "profession-non-prevue")
    root = register_with(scratch_register, case)
    only_adhesion = validate(Options(root=root, paths=(A,)))
    assert {f.code for f in only_adhesion.findings} == {"profession-non-prevue"}
    assert only_adhesion.files_checked == 1
    only_protocols = validate(Options(root=root, paths=("protocols",)))
    assert only_protocols.findings == []


def test_the_same_rpps_spelled_differently_is_a_warning(scratch_register):
    other = sub(
        sub(ADHESION, "MSP A", "MSP B"), "    nom_exercice: Exemple", "    nom_exercice: Exemplee"
    )
    root = scratch_register(
        {
            **VALID_REGISTER,
            "adhesions/84/nat-test/msp-b.yml": other,
            "adhesions/11/nat-test/msp-c.yml": sub(
                sub(ADHESION, "MSP A", "MSP C"), '"69003"', '"75011"'
            ),
        }
    )
    findings = validate(Options(root=root)).findings
    assert [(f.code, f.path, f.severity) for f in findings] == [
        ("rpps-orthographe", "adhesions/84/nat-test/msp-b.yml", "warning")
    ]
    assert "Camille Exemple" in findings[0].message


def test_a_mistyped_rpps_gives_the_cause_first_and_not_its_consequences(scratch_register):
    """One mistyped RPPS in `membres`, the right number in `pieces`: once 5 findings, the cause 5th."""
    typo = sub(ADHESION, f'  - rpps: "{RPPS_DELEGANT}"', '  - rpps: "10000001016"')
    root = scratch_register({**VALID_REGISTER, A: typo})
    report = validate(Options(root=root))
    (finding,) = report.sorted()
    assert (finding.code, finding.line) == ("rpps-cle-invalide", 9)
    assert (
        f"2 pièce(s) désignent {RPPS_DELEGANT} : c'est sans doute le bon numéro" in finding.message
    )


def test_a_piece_naming_a_stranger_is_still_reported_beside_a_typo(scratch_register):
    typo = sub(ADHESION, f'  - rpps: "{RPPS_DELEGANT}"', '  - rpps: "10000001016"')
    stranger = typo + f'  - type: diplome\n    membre: "29000001049"\n    sha256: {SHA}\n'
    root = scratch_register({**VALID_REGISTER, A: stranger})
    codes = [f.code for f in validate(Options(root=root)).sorted()]
    assert codes == ["rpps-cle-invalide", "piece-membre-inconnu"]


def test_on_one_line_the_cause_comes_first():
    from coopps.findings import Finding, Report

    consequence = Finding(A, 9, "piece-manquante", "error", "b")
    cause = Finding(A, 9, "rpps-cle-invalide", "error", "a")
    assert Report(findings=[consequence, cause]).sorted() == [cause, consequence]


def test_a_replacement_written_on_one_side_is_reported_on_both(scratch_register):
    root = scratch_register({**VALID_REGISTER, P: NATIONAL + "remplace: nat-arrete\n"})
    found = {(f.code, f.path, f.line) for f in validate(Options(root=root)).findings}
    line = NATIONAL.count("\n") + 1
    assert found == {
        ("remplacement-discordant", P, line),
        ("remplacement-discordant", "protocols/nat-arrete.yml", 1),
    }
    alone = validate(Options(root=root, paths=("protocols/nat-arrete.yml",))).findings
    assert [(f.code, f.path) for f in alone] == [
        ("remplacement-discordant", "protocols/nat-arrete.yml")
    ]
    assert "nat-test" in alone[0].message and "remplace_par" in alone[0].message


def test_a_replacement_written_on_both_sides_is_clean(scratch_register):
    root = scratch_register(
        {
            **VALID_REGISTER,
            P: NATIONAL + "remplace: nat-arrete\n",
            "protocols/nat-arrete.yml": STOPPED + "remplace_par: nat-test\n",
        }
    )
    assert validate(Options(root=root)).findings == []


def test_pipes_and_sockets_are_refused_without_being_opened(scratch_register):
    """A reader opening a FIFO would wait for a writer forever: the run must end, and say so."""
    import socket

    root = scratch_register(VALID_REGISTER)
    os.mkfifo(root / "adhesions/84/nat-test/tube.yml")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(root / "protocols/nat-socket.yml"))
        report = validate(Options(root=root))
    assert sorted((f.code, f.path) for f in report.findings) == [
        ("fichier-special", "adhesions/84/nat-test/tube.yml"),
        ("fichier-special", "protocols/nat-socket.yml"),
    ]
    assert "tube nommé" in report.findings[0].message or "tube nommé" in report.findings[1].message


def test_a_file_gone_between_listing_and_reading_is_a_finding(scratch_register):
    from coopps.reading import read_file

    doc = read_file(scratch_register(VALID_REGISTER), "protocols/nat-disparu.yml")
    assert [(f.code, f.line) for f in doc.findings] == [("fichier-illisible", 1)]
