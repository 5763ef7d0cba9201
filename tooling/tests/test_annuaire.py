"""`coop annuaire indexer` and `coop verifier --annuaire`: members checked against the
Annuaire santé.

The extraction here is written in the official format of the public file
PS_LibreAcces_Personne_activite (header row, `|` separators, a trailing `|`,
one line per activity), with fictitious people holding the sample register's
numbers.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from coopps.directory import fold
from gitops_samples import coop
from register_samples import (
    ADHESION,
    ADHESION_PATH,
    RPPS_DELEGANT,
    RPPS_DELEGUE,
    RPPS_OTHER,
    VALID_REGISTER,
)

HEADER = [
    "Type d'identifiant PP",
    "Identifiant PP",
    "Identification nationale PP",
    "Code civilité d'exercice",
    "Libellé civilité d'exercice",
    "Code civilité",
    "Libellé civilité",
    "Nom d'exercice",
    "Prénom d'exercice",
    "Code profession",
    "Libellé profession",
    "Code catégorie professionnelle",
    "Libellé catégorie professionnelle",
    "Code type savoir-faire",
    "Libellé type savoir-faire",
    "Code savoir-faire",
    "Libellé savoir-faire",
    "Code mode exercice",
    "Libellé mode exercice",
    "Numéro SIRET site",
    "Numéro SIREN site",
    "Numéro FINESS site",
    "Numéro FINESS établissement juridique",
    "Identifiant technique de la structure",
    "Raison sociale site",
    "Enseigne commerciale site",
    "Complément destinataire (coord. structure)",
    "Complément point géographique (coord. structure)",
    "Numéro Voie (coord. structure)",
    "Indice répétition voie (coord. structure)",
    "Code type de voie (coord. structure)",
    "Libellé type de voie (coord. structure)",
    "Libellé Voie (coord. structure)",
    "Mention distribution (coord. structure)",
    "Bureau cedex (coord. structure)",
    "Code postal (coord. structure)",
    "Code commune (coord. structure)",
    "Libellé commune (coord. structure)",
    "Code pays (coord. structure)",
    "Libellé pays (coord. structure)",
    "Téléphone (coord. structure)",
    "Téléphone 2 (coord. structure)",
    "Télécopie (coord. structure)",
    "Adresse e-mail (coord. structure)",
    "Code Département (structure)",
    "Libellé Département (structure)",
    "Ancien identifiant de la structure",
    "Autorité d'enregistrement",
    "Code secteur d'activité",
    "Libellé secteur d'activité",
    "Code section tableau pharmaciens",
    "Libellé section tableau pharmaciens",
]
PROFESSIONS = {"10": "Médecin", "60": "Infirmier", "70": "Masseur-Kinésithérapeute"}
ADELI = "691234567"


def line(number: str, last: str, first: str, code: str, *, commune: str = "LYON") -> str:
    """One activity line; RPPS numbers have 11 digits (type 8), ADELI numbers 9 (type 0)."""
    kind = "8" if len(number) == 11 else "0"
    values = dict.fromkeys(HEADER, "")
    values |= {
        "Type d'identifiant PP": kind,
        "Identifiant PP": number,
        "Identification nationale PP": kind + number,
        "Nom d'exercice": last,
        "Prénom d'exercice": first,
        "Code profession": code,
        "Libellé profession": PROFESSIONS[code],
        "Code catégorie professionnelle": "C",
        "Libellé catégorie professionnelle": "Civil",
        "Libellé commune (coord. structure)": commune,
    }
    return "|".join(values[name] for name in HEADER) + "|"


PEOPLE = [
    line(RPPS_DELEGANT, "EXEMPLE", "CAMILLE", "10"),
    line(RPPS_DELEGANT, "EXEMPLE", "CAMILLE", "10", commune="VILLEURBANNE"),  # a second activity
    line(RPPS_DELEGUE, "FICTIF", "DOMINIQUE", "60"),
    line(RPPS_OTHER, "MARTIN", "ALEXANDRE", "10"),
    line(ADELI, "FICTIF", "DOMINIQUE", "60"),
]


def extraction(tmp_path: Path, people: list[str] = PEOPLE, header: list[str] = HEADER) -> Path:
    path = tmp_path / "PS_LibreAcces_Personne_activite_202612070900.txt"
    path.write_text("\n".join(["|".join(header) + "|", *people]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def index(tmp_path: Path) -> Callable[..., Path]:
    """An index built from `people` (with --index, no register is needed)."""

    def build(people: list[str] = PEOPLE) -> Path:
        target = tmp_path / "index" / "annuaire.sqlite"
        result = coop(
            tmp_path,
            "annuaire",
            "indexer",
            str(extraction(tmp_path, people)),
            "--index",
            str(target),
        )
        assert result.exit_code == 0, result.output
        return target

    return build


def check(root: Path, index: Path) -> tuple[int, list[dict[str, object]]]:
    result = coop(root, "verifier", "--format", "json", "--annuaire", str(index))
    return result.exit_code, [
        f for f in json.loads(result.output)["findings"] if str(f["code"]).startswith("annuaire")
    ]


def test_the_index_is_built_from_the_official_extraction(
    scratch_register: Callable[..., Path], tmp_path: Path
) -> None:
    root = scratch_register(VALID_REGISTER)
    result = coop(root, "annuaire", "indexer", str(extraction(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "Index de l'Annuaire santé écrit" in result.output
    assert "5 lignes lues ; 3 numéros RPPS, 1 numéro ADELI." in result.output
    default = tmp_path / "cache-coop"  # COOP_CACHE_DIR of the tests
    assert list(default.rglob("annuaire.sqlite"))


def test_a_register_that_matches_the_directory_is_clean(
    scratch_register: Callable[..., Path], index: Callable[..., Path]
) -> None:
    status, findings = check(scratch_register(VALID_REGISTER), index())
    assert (status, findings) == (0, [])


@pytest.mark.parametrize(
    ("declared", "listed"),
    [
        ("Lefèvre-Dupré", "LEFEVRE DUPRE"),
        ("d'Alembert", "D ALEMBERT"),
        ("Œuvray", "OEUVRAY"),
        ("  Éloïse ", "ELOISE"),
        ("MARIE-JOSÉE", "Marie Josee"),
    ],
)
def test_names_match_with_accents_case_and_signs_folded(declared: str, listed: str) -> None:
    assert fold(declared) == fold(listed)


def test_accented_names_match_the_directory_spelling(
    scratch_register: Callable[..., Path], index: Callable[..., Path]
) -> None:
    people = [*PEOPLE[:2], line(RPPS_DELEGUE, "LEFEVRE DUPRE", "HELENE", "60")]
    adhesion = ADHESION.replace(
        "nom_exercice: Fictif\n    prenom: Dominique",
        "nom_exercice: Lefèvre-Dupré\n    prenom: Hélène",
    )
    root = scratch_register({**VALID_REGISTER, ADHESION_PATH: adhesion})
    assert check(root, index(people)) == (0, [])


def test_a_number_under_another_persons_name_is_an_error(
    scratch_register: Callable[..., Path], index: Callable[..., Path]
) -> None:
    adhesion = ADHESION.replace("nom_exercice: Exemple", "nom_exercice: Martin")
    root = scratch_register({**VALID_REGISTER, ADHESION_PATH: adhesion})
    status, findings = check(root, index())
    assert status == 1
    assert [(f["code"], f["severity"], f["line"]) for f in findings] == [
        ("annuaire-autre-personne", "error", 9)
    ]
    message = str(findings[0]["message"])
    assert "le nom diffère" in message and "carte CPS" in message
    assert (
        "EXEMPLE" not in message and "Exemple" not in message
    )  # the holder's name is never quoted


def test_a_nurses_number_declared_as_a_physician_is_an_error(
    scratch_register: Callable[..., Path], index: Callable[..., Path]
) -> None:
    people = [line(RPPS_DELEGANT, "EXEMPLE", "CAMILLE", "60"), *PEOPLE[2:]]
    status, findings = check(scratch_register(VALID_REGISTER), index(people))
    assert status == 1
    assert [(f["code"], f["line"]) for f in findings] == [("annuaire-profession", 12)]
    assert "« Infirmier », pas « Médecin »" in str(findings[0]["message"])


def test_an_unknown_rpps_number_is_an_error(
    scratch_register: Callable[..., Path], index: Callable[..., Path]
) -> None:
    people = [p for p in PEOPLE if f"|{RPPS_DELEGUE}|" not in p]
    status, findings = check(scratch_register(VALID_REGISTER), index(people))
    assert status == 1
    assert [(f["code"], f["line"]) for f in findings] == [("annuaire-rpps-inconnu", 15)]


def adeli_member(number: str) -> str:
    return ADHESION.replace(f'  - rpps: "{RPPS_DELEGUE}"', f'  - adeli: "{number}"').replace(
        f'membre: "{RPPS_DELEGUE}"', f'membre: "{number}"'
    )


def test_an_adeli_number_is_checked_where_present(
    scratch_register: Callable[..., Path], index: Callable[..., Path]
) -> None:
    root = scratch_register({**VALID_REGISTER, ADHESION_PATH: adeli_member(ADELI)})
    assert check(root, index()) == (0, [])


def test_an_adeli_number_missing_from_the_extraction_is_a_warning(
    scratch_register: Callable[..., Path], index: Callable[..., Path]
) -> None:
    root = scratch_register({**VALID_REGISTER, ADHESION_PATH: adeli_member("699999999")})
    status, findings = check(root, index())
    assert status == 0
    assert [(f["code"], f["severity"]) for f in findings] == [("annuaire-adeli-inconnu", "warning")]


def test_the_same_person_by_rpps_and_by_adeli_is_the_register_rule(
    scratch_register: Callable[..., Path], index: Callable[..., Path]
) -> None:
    twice = ADHESION.replace(
        "pieces:\n",
        (
            f'  - adeli: "{ADELI}"\n    nom_exercice: FICTIF\n    prenom: dominique\n'
            "    profession: infirmier\n    mode_exercice: liberal\n    role: delegue\n"
            "    formation:\n      date: 2024-01-15\n"
            "      organisme: IFSI de test\n      duree_heures: 20\npieces:\n"
        ),
        1,
    )
    root = scratch_register({**VALID_REGISTER, ADHESION_PATH: twice})
    status, findings = check(root, index())
    assert status == 1 and findings == []  # the directory adds nothing: the register rule says it
    result = coop(root, "verifier", "--format", "json", "--annuaire", str(index()))
    twins = [f for f in json.loads(result.output)["findings"] if f["code"] == "personne-en-double"]
    assert [f["line"] for f in twins] == [25] and RPPS_DELEGUE in str(twins[0]["message"])


def test_the_index_keeps_no_spelling_of_a_name(index: Callable[..., Path]) -> None:
    import sqlite3

    with sqlite3.connect(index()) as connection:
        rows = connection.execute("SELECT last, first FROM person").fetchall()
    assert ("exemple", "camille") in rows and all(r == (r[0].lower(), r[1].lower()) for r in rows)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("Identifiant PP|Nom d'exercice\n1|X\n", "colonnes absentes"),
        (b"\xff\xfeT\x00y\x00p\x00e\x00", "n'est pas en UTF-8"),
    ],
)
def test_a_file_that_is_not_the_extraction_is_refused_in_french(
    scratch_register: Callable[..., Path], tmp_path: Path, content: str | bytes, words: str
) -> None:
    source = tmp_path / "extraction.txt"
    if isinstance(content, bytes):
        source.write_bytes(content)
    else:
        source.write_text(content, encoding="utf-8")
    target = tmp_path / "annuaire.sqlite"
    result = coop(
        scratch_register(VALID_REGISTER),
        "annuaire",
        "indexer",
        str(source),
        "--index",
        str(target),
    )
    assert result.exit_code == 2
    assert words in result.output
    assert not target.exists()


def test_a_missing_extraction_is_said_in_french(
    scratch_register: Callable[..., Path], tmp_path: Path
) -> None:
    result = coop(
        scratch_register(VALID_REGISTER), "annuaire", "indexer", str(tmp_path / "absent.txt")
    )
    assert result.exit_code == 2
    assert "ne peut pas être lue" in result.output


def test_the_index_is_never_written_through_a_symbolic_link(
    scratch_register: Callable[..., Path], tmp_path: Path
) -> None:
    (tmp_path / "vrai.sqlite").write_bytes(b"")
    (tmp_path / "lien.sqlite").symlink_to(tmp_path / "vrai.sqlite")
    result = coop(
        scratch_register(VALID_REGISTER),
        "annuaire",
        "indexer",
        str(extraction(tmp_path)),
        "--index",
        str(tmp_path / "lien.sqlite"),
    )
    assert result.exit_code == 1
    assert "lien symbolique" in result.output
    assert (tmp_path / "vrai.sqlite").read_bytes() == b""


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: d / "absent.sqlite", "introuvable"),
        (
            lambda d: (d / "texte.sqlite").write_text("pas une base") and d / "texte.sqlite",
            "reconstruisez-le",
        ),
    ],
)
def test_validate_with_a_wrong_index_cannot_run(
    scratch_register: Callable[..., Path], tmp_path: Path, make: Callable[[Path], Path], words: str
) -> None:
    result = coop(scratch_register(VALID_REGISTER), "verifier", "--annuaire", str(make(tmp_path)))
    assert result.exit_code == 2
    assert words in result.output
