"""`coop attestation`: the team's private PDF, read back as text and looked at as a picture.

The PDF of a shipped example is rendered to PNG with poppler's `pdftoppm` into
test-artifacts/screenshots/, like the browser tests' screenshots. The file is
never written under the register's published or data folders, never through a
symbolic link, and never reaches the built site.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from gitops_samples import NEW_TEAM, NEW_TEAM_PATH, base_files, branch, commit, coop, merge, write
from sitekit import REPO_ROOT, build_site, copy_register

SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
COTEAUX = "adhesions/84/loc-84-exemple-plaies-chroniques/msp-exemple-des-coteaux.yml"
URGENCES = "adhesions/84/nat-sutures-plaies-simples/ch-exemple-urgences.yml"
CLAIN = "adhesions/75/11-0000000004/cds-exemple-du-clain.yml"  # its protocol's arrêté has no known reference


def pdf_text(path: Path) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
    return " ".join(text.split())


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped register as a git repository."""
    return copy_register(tmp_path_factory.mktemp("registre"), with_git=True)


def test_the_attestation_of_a_shipped_example_says_what_the_register_says(
    shipped: Path, tmp_path: Path
) -> None:
    target = tmp_path / "attestation.pdf"
    result = coop(shipped, "attestation", str(shipped / COTEAUX), "--sortie", str(target))
    assert result.exit_code == 0, result.output
    assert "Attestation écrite" in result.output
    text = pdf_text(target)
    for expected in (
        "Agence régionale de santé Auvergne-Rhône-Alpes",
        "Attestation de déclaration d'adhésion",
        "MSP des Coteaux (exemple fictif)",
        "Maison de santé pluriprofessionnelle",
        "Valence (26000)",
        "loc-84-exemple-plaies-chroniques",
        "15/09/2023",
        "Arrêté fictif de l'ARS Auvergne-Rhône-Alpes (exemple)",
        "Sacha Exemplaire",
        "Médecin",
        "Délégant",
        "Alix Fictive",
        "Infirmier",
        "Délégué",
        "RPPS 10000002039",
        "Déclarée à l'ARS le 02/10/2023",
        "Historique repris de",
        "Document privé",
    ):
        assert expected in text, expected
    assert "non encore instruite" not in text


def picture(pdf: Path, name: str) -> Path:
    """The first page of `pdf` as test-artifacts/screenshots/<name>.png, for a person to see."""
    if shutil.which("pdftoppm") is None:
        pytest.skip(
            "pdftoppm (Debian's poppler-utils) is not installed: scripts/setup.sh test installs it"
        )
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "80", "-singlefile", str(pdf), str(SHOTS / name)],
        check=True,
        capture_output=True,
    )
    return SHOTS / f"{name}.png"


def test_the_attestation_looks_right_as_a_picture(shipped: Path, tmp_path: Path) -> None:
    target = tmp_path / "attestation.pdf"
    assert (
        coop(shipped, "attestation", str(shipped / COTEAUX), "--sortie", str(target)).exit_code == 0
    )
    assert picture(target, "attestation").stat().st_size > 10_000
    assert len(PdfReader(target).pages) == 1


def test_an_unknown_arrete_reference_is_said_never_guessed(shipped: Path, tmp_path: Path) -> None:
    target = tmp_path / "clain.pdf"
    assert (
        coop(shipped, "attestation", str(shipped / CLAIN), "--sortie", str(target)).exit_code == 0
    )
    text = pdf_text(target)
    assert "Date de l'arrêté 20/10/2017" in text
    assert "Référence de l'arrêté non connue" in text
    assert "Centre de santé" in text


def test_a_merged_declaration_is_instructed_on_its_merge_day(
    git_register: Callable[..., Path], tmp_path: Path
) -> None:
    root = git_register(base_files())
    branch(root, "msp-b")
    write(root, NEW_TEAM_PATH, NEW_TEAM)
    commit(root, "Déclaration MSP B", "2024-04-02")
    merge(root, "msp-b", 7, "2024-04-20")
    target = tmp_path / "msp-b.pdf"
    assert coop(root, "attestation", NEW_TEAM_PATH, "--sortie", str(target)).exit_code == 0
    text = pdf_text(target)
    assert "Instruite par l'ARS le 20/04/2024 (pull request n° 7)" in text
    assert "Déclarée à l'ARS le 12/03/2024" in text


def test_a_declaration_not_yet_merged_gets_an_attestation_that_says_so(
    git_register: Callable[..., Path], tmp_path: Path
) -> None:
    root = git_register(base_files())
    write(root, NEW_TEAM_PATH, NEW_TEAM)
    target = tmp_path / "msp-b.pdf"
    assert coop(root, "attestation", NEW_TEAM_PATH, "--sortie", str(target)).exit_code == 0
    text = pdf_text(target)
    assert "Déclaration non encore instruite par l'ARS" in text
    assert "Instruction déclaration non encore instruite" in text
    assert picture(target, "attestation-non-instruite").stat().st_size > 10_000


def test_by_default_it_is_written_in_the_current_folder(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert coop(shipped, "attestation", str(shipped / URGENCES)).exit_code == 0
    assert (tmp_path / "attestation-ch-exemple-urgences.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("folder", ["adhesions/84", "protocols", "docs", "site", "schemas"])
def test_it_is_never_written_into_a_published_or_data_folder(shipped: Path, folder: str) -> None:
    target = shipped / folder / "attestation.pdf"
    result = coop(shipped, "attestation", URGENCES, "--sortie", str(target))
    assert result.exit_code == 1
    assert "reste privée" in result.output
    assert not target.exists()


def test_it_is_never_written_through_a_symbolic_link(shipped: Path, tmp_path: Path) -> None:
    (tmp_path / "ailleurs").mkdir()
    (tmp_path / "lien").symlink_to(tmp_path / "ailleurs")
    result = coop(
        shipped, "attestation", URGENCES, "--sortie", str(tmp_path / "lien" / "attestation.pdf")
    )
    assert result.exit_code == 1
    assert "lien symbolique" in result.output
    assert list((tmp_path / "ailleurs").iterdir()) == []


def test_a_link_outside_the_register_into_its_site_sources_is_refused(
    shipped: Path, tmp_path: Path
) -> None:
    (tmp_path / "vers-docs").symlink_to(shipped / "docs")
    result = coop(
        shipped, "attestation", URGENCES, "--sortie", str(tmp_path / "vers-docs" / "a.pdf")
    )
    assert result.exit_code == 1
    assert not (shipped / "docs" / "a.pdf").exists()


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (["protocols/nat-sutures-plaies-simples.yml"], 2, "n'est pas un fichier d'adhésion"),
        ([URGENCES.replace(".yml", ".suivi-2024.yml")], 2, "n'est pas un fichier d'adhésion"),
        ([URGENCES, "--sortie", "attestation.txt"], 1, "se termine par `.pdf`"),
        ([URGENCES, "--ref", "branche-inconnue"], 2, "ne désigne aucun commit"),
    ],
)
def test_what_cannot_be_attested_is_said_in_french(
    shipped: Path,
    tmp_path: Path,
    args: list[str],
    status: int,
    words: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    result = coop(shipped, "attestation", *args)
    assert result.exit_code == status
    assert words in result.output


def test_an_invalid_adhesion_is_refused(git_register: Callable[..., Path], tmp_path: Path) -> None:
    root = git_register(base_files())
    write(root, NEW_TEAM_PATH, NEW_TEAM.replace("    role: delegant\n", ""))
    result = coop(root, "attestation", NEW_TEAM_PATH, "--sortie", str(tmp_path / "a.pdf"))
    assert result.exit_code == 1
    assert "coop verifier" in result.output
    assert not (tmp_path / "a.pdf").exists()


def test_the_attestation_never_reaches_the_built_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Made at the register's root (allowed, ignored by git): no part of the site built next."""
    root = copy_register(tmp_path / "registre", with_git=True)
    monkeypatch.chdir(root)
    assert coop(root, "attestation", COTEAUX).exit_code == 0
    assert (root / "attestation-msp-exemple-des-coteaux.pdf").is_file()
    site = build_site(root, tmp_path / "site")
    files = [p for p in site.rglob("*") if p.is_file()]
    assert files
    assert [p for p in files if p.suffix == ".pdf" or p.read_bytes().startswith(b"%PDF")] == []
    assert [p for p in files if b"Sacha Exemplaire" in p.read_bytes()] == []


def test_git_ignores_an_attestation_left_at_the_root() -> None:
    ignored = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "check-ignore", "-q", "attestation-msp-a.pdf"], check=False
    )
    assert ignored.returncode == 0
