"""The dossier for the ARS in a real browser (Debian chromium driven by Playwright), real age encryption.

A region's ARS key is generated here with pyrage and written in a copy of relecteurs.yml before
the site build. The dossier the declaration page makes from files picked through its inputs is
decrypted in Python: its adhesion is byte for byte what `coop formater` writes, its pieces are the
files picked, its manifest says so. « Ouvrir un dossier » opens that dossier and one made in
Python (pyrage + zipfile), names every piece problem, and says in French why it cannot open a
dossier for another key, a tampered or truncated one, or a file that is no dossier. No request
leaves the site.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from coopps.authoring.fmt import format_data
from coopps.cli import main
from coopps.reading import read_bytes
from coopps.schema import Schemas
from sitekit import CHROMIUM, REPO_ROOT, build_site, copy_register, serving, watched_page
from test_browser_declaration import PROTOCOL, TEAM, Counted, axe, declare, open_page

pyrage = pytest.importorskip("pyrage")
playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)"
)
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
CHANNEL = (
    "ars-ara-coop-ps@ars-ara.mssante.fr"  # a functional address of the ARS, as the contract asks
)
TEAM_ID = "msp-des-tilleuls-pole-enfants-exemple-fictif"
DAMAGED = "Le dossier est abîmé : il a été modifié, ou il est incomplet"
WRONG_KEY = "Ce dossier n'est pas chiffré pour votre clé"
NOT_AGE = "Ce fichier n'est pas un dossier chiffré pour l'ARS"
NOT_A_DOSSIER = "ce n'est pas un dossier de déclaration"
NOT_A_KEY = "Ce fichier n'est pas une clé d'ARS"


@pytest.fixture(scope="module")
def agent() -> Any:
    """The identity of the ARS agent of Auvergne-Rhône-Alpes (84), made for this test."""
    return pyrage.x25519.Identity.generate()


def reviewers_with_key(recipient: str) -> str:
    """The shipped relecteurs.yml, with a `dossier` section for region 84 only."""
    text = (REPO_ROOT / "relecteurs.yml").read_text(encoding="utf-8")
    anchor = '  "84":  # Auvergne-Rhône-Alpes\n    equipes: ["@registre-coop-ps/ars-84"]\n    membres: []\n'
    assert anchor in text
    section = (
        f"    dossier:\n      destinataires:\n        - {recipient}  # agent instructeur\n"
        f'      canal:\n        type: messagerie_securisee\n        adresse: "{CHANNEL}"\n'
        '        consigne: "Objet du message : adhésion à un protocole de coopération."\n'
    )
    return text.replace(anchor, anchor + section)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, agent: Any) -> Iterator[str]:
    root = copy_register(
        tmp_path_factory.mktemp("registre"),
        {"relecteurs.yml": reviewers_with_key(str(agent.to_public()))},
    )
    with serving(build_site(root, tmp_path_factory.mktemp("site"), strict=True)) as url:
        yield url


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    with watched_page(browser, base_url, accept_downloads=True) as page:
        yield page


@pytest.fixture
def pieces(tmp_path: Path) -> list[Path]:
    """Files as a team picks them: PDFs and photos, one without an extension."""
    folder = tmp_path / "pieces"
    folder.mkdir()
    files = []
    for number in range(16):
        name = f"piece-{number:02d}" + (
            "" if number == 5 else ".JPEG" if number % 3 == 2 else ".pdf"
        )
        path = folder / name
        path.write_bytes(
            b"%PDF-1.4\n" + bytes(range(256)) * (number * 41 + 1) + f"piece {number}\n".encode()
        )
        files.append(path)
    return files


def coop(root: Path, *args: str) -> Any:
    with contextlib.chdir(root):
        return CliRunner().invoke(main, [*args, "--racine", str(root)], catch_exceptions=False)


def saved(info: Any, folder: Path) -> Path:
    target = folder / info.value.suggested_filename
    info.value.save_as(str(target))
    return target


def prepare(page: Any, folder: Path) -> Path:
    """« Préparer le dossier pour l'ARS », and the file it downloads."""
    with page.expect_download() as info:
        page.click("#d-dossier-preparer")
    return saved(info, folder)


def open_dossier(page: Any, base_url: str, dossier: Path, key: Path) -> None:
    page.goto(base_url + "ouvrir-un-dossier/")
    page.wait_for_function("window.coopDossier && window.coopDossier.ready")
    page.set_input_files("#o-dossier", str(dossier))
    page.set_input_files("#o-cle", str(key))
    page.click("#o-ouvrir-bouton")
    page.wait_for_function(
        "document.getElementById('o-etat').textContent !== 'Ouverture du dossier…'"
    )


def key_file(identity: Any, folder: Path) -> Path:
    path = folder / "cle-agent.txt"
    path.write_text(
        f"# créée pour le test\n# clé publique : {identity.to_public()}\n{identity}\n",
        encoding="utf-8",
    )
    return path


def unsealed(path: Path, identity: Any) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(pyrage.decrypt(path.read_bytes(), [identity])))


def test_the_page_makes_a_dossier_the_ars_opens_in_python(
    page: Any, base_url: str, pieces: list[Path], agent: Any, tmp_path: Path, scratch_register: Any
) -> None:
    open_page(page, base_url + "declarer/")
    declare(Counted(page), pieces, TEAM)
    page.wait_for_selector("#d-dossier-preparer")
    dossier = prepare(page, tmp_path)
    assert dossier.name == f"dossier-84-{PROTOCOL}-{TEAM_ID}.age"
    assert dossier.read_bytes().startswith(b"age-encryption.org/v1\n-> X25519 ")
    shown = page.inner_text("#d-dossier")
    assert CHANNEL in shown and "messagerie sécurisée" in shown and "aucun compte GitHub" in shown

    archive = unsealed(dossier, agent)
    names = archive.namelist()
    manifest = json.loads(archive.read("manifeste.json"))
    text = archive.read("adhesion.yml")
    data = read_bytes("adhesion.yml", text).data  # as the validator reads it (dates are texts)
    assert names[0] == "adhesion.yml" and names[-1] == "manifeste.json"
    assert manifest == manifest | {
        "format": "coop-ps/dossier",
        "version": 1,
        "region": "84",
        "protocole": PROTOCOL,
        "equipe": TEAM_ID,
        "adhesion": "adhesion.yml",
        "cree_le": str(data["date_declaration"]),
    }

    # Each piece is the file picked for it, under its position, type, member and extension.
    picked = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in pieces}
    assert len(manifest["pieces"]) == len(data["pieces"]) == 13
    for position, (entry, declared) in enumerate(
        zip(manifest["pieces"], data["pieces"], strict=True), start=1
    ):
        original = picked[declared["sha256"]]
        member = f"-{declared['membre']}" if "membre" in declared else ""
        ext = original.suffix.lower().lstrip(".") or "bin"
        assert entry == {
            "fichier": f"pieces/{position:02d}-{declared['type']}{member}.{ext}",
            "type": declared["type"],
            "membre": declared.get("membre"),
            "sha256": declared["sha256"],
            "taille": original.stat().st_size,
        }
        assert archive.read(entry["fichier"]) == original.read_bytes()
    assert sorted(names[1:-1]) == sorted(e["fichier"] for e in manifest["pieces"])

    # The adhesion is byte for byte the file `coop formater` writes, the same as the page's download.
    register = scratch_register({}, with_shipped_protocols=True)
    path = register / "adhesions" / "84" / PROTOCOL / f"{TEAM_ID}.yml"
    path.parent.mkdir(parents=True)
    path.write_bytes(text)
    assert coop(register, "formater", str(path.relative_to(register))).exit_code == 0
    assert path.read_bytes() == text
    assert text.decode() == format_data("adhesion", data, Schemas(REPO_ROOT))
    validation = coop(register, "verifier", "--format", "json", str(path.relative_to(register)))
    assert json.loads(validation.output)["findings"] == [], validation.output
    with page.expect_download() as info:
        page.click("#d-telecharger")
    assert saved(info, tmp_path).read_bytes() == text

    # « Ouvrir un dossier » opens it: every piece verified, the adhesion as it is.
    open_dossier(page, base_url, dossier, key_file(agent, tmp_path))
    assert page.inner_text("#o-erreur") == ""
    assert page.inner_text("#o-pieces-verdict").startswith(
        "Les 13 pièces sont celles que l'équipe a déclarées"
    )
    assert "Aucun point à signaler" in page.inner_text("#o-constats")
    with page.expect_download() as info:
        page.click("#o-telecharger-adhesion")
    assert saved(info, tmp_path).read_bytes() == text
    assert page.elsewhere == []


def python_dossier(
    folder: Path,
    identity: Any,
    *,
    drop: int | None = None,
    swap: int | None = None,
    extra: bool = False,
    twin: bool = False,
    lying: int | None = None,
    undeclared: int | None = None,
) -> Path:
    """A dossier made in Python for a valid adhesion of region 84: the shipped example, its
    pieces made here. `drop` leaves a piece out, `swap` puts another file in its place, `extra`
    adds an undeclared file, `twin` declares one file for two members, `lying` gives a wrong
    size for a piece in the manifest, `undeclared` removes a required piece from the adhesion."""
    example = REPO_ROOT / "adhesions/84/nat-sutures-plaies-simples/ch-exemple-urgences.yml"
    data = read_bytes(example.name, example.read_bytes()).data
    data.pop("reprise")
    if undeclared is not None:
        del data["pieces"][undeclared]
    files = [
        f"pièce {n} de l'équipe (fictive)\n".encode() * (n + 3) for n in range(len(data["pieces"]))
    ]
    if twin:
        files[5] = files[2]  # the identity card of member 2 is the one of member 1
    for piece, content in zip(data["pieces"], files, strict=True):
        piece["sha256"] = hashlib.sha256(content).hexdigest()
    text = format_data("adhesion", data, Schemas(REPO_ROOT))
    entries = []
    for position, (piece, content) in enumerate(zip(data["pieces"], files, strict=True), start=1):
        member = f"-{piece['membre']}" if "membre" in piece else ""
        entries.append(
            {
                "fichier": f"pieces/{position:02d}-{piece['type']}{member}.pdf",
                "type": piece["type"],
                "membre": piece.get("membre"),
                "sha256": piece["sha256"],
                "taille": len(content),
            }
        )
    if lying is not None:
        entries[lying]["taille"] += 1
    manifest = {
        "format": "coop-ps/dossier",
        "version": 1,
        "cree_le": "2024-03-12",
        "region": "84",
        "protocole": "nat-sutures-plaies-simples",
        "equipe": "ch-exemple-urgences",
        "adhesion": "adhesion.yml",
        "pieces": entries,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("adhesion.yml", text)
        for number, (entry, content) in enumerate(zip(entries, files, strict=True)):
            if number == drop:
                continue
            archive.writestr(
                entry["fichier"], b"une autre version\n" if number == swap else content
            )
        if extra:
            archive.writestr("pieces/99-photo-de-vacances.jpg", b"rien a voir\n")
        archive.writestr("manifeste.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    path = folder / "dossier-84-nat-sutures-plaies-simples-ch-exemple-urgences.age"
    path.write_bytes(pyrage.encrypt(buffer.getvalue(), [identity.to_public()]))
    return path


def test_the_open_page_opens_a_dossier_made_in_python(
    page: Any, base_url: str, agent: Any, tmp_path: Path
) -> None:
    dossier = python_dossier(tmp_path, agent)
    open_dossier(page, base_url, dossier, key_file(agent, tmp_path))
    assert page.inner_text("#o-erreur") == ""
    assert page.inner_text("#o-pieces-verdict").startswith(
        "Les 9 pièces sont celles que l'équipe a déclarées"
    )
    assert "Service des urgences du CH de Valmont" in page.inner_text("#o-resume")
    assert "Camille Exemple (10000000009)" in page.inner_text("#o-pieces")
    with page.expect_download() as info:
        page.click('[data-piece="pieces/03-piece_identite-10000000009.pdf"]')
    assert saved(info, tmp_path).read_bytes() == unsealed(dossier, agent).read(
        "pieces/03-piece_identite-10000000009.pdf"
    )
    assert page.elsewhere == []


@pytest.mark.parametrize(
    ("change", "kinds"),
    [
        ({"drop": 3}, ["manquante"]),
        ({"swap": 4}, ["differente"]),
        ({"extra": True}, ["en-trop"]),
        ({"twin": True}, ["meme-fichier"]),
        ({"lying": 2}, ["manifeste"]),
        ({"drop": 0, "swap": 1, "extra": True}, ["manquante", "differente", "en-trop"]),
    ],
)
def test_every_piece_problem_is_named(
    page: Any, base_url: str, agent: Any, tmp_path: Path, change: dict[str, Any], kinds: list[str]
) -> None:
    open_dossier(
        page, base_url, python_dossier(tmp_path, agent, **change), key_file(agent, tmp_path)
    )
    found = page.locator("#o-pieces-problemes li").evaluate_all(
        "items => items.map(i => i.dataset.genre)"
    )
    assert found == kinds, page.inner_text("#o-pieces")
    assert "problème" in page.inner_text("#o-pieces-verdict")


def test_the_adhesion_is_shown_with_its_findings(
    page: Any, base_url: str, agent: Any, tmp_path: Path
) -> None:
    open_dossier(
        page, base_url, python_dossier(tmp_path, agent, undeclared=5), key_file(agent, tmp_path)
    )
    assert page.inner_text("#o-pieces-verdict").startswith("Les 8 pièces sont celles")
    findings = page.locator("#o-constats-liste li").all_inner_texts()
    assert findings == [
        "À compléter : Une pièce justificative obligatoire n'est pas déclarée — Dominique Fictif : "
        "Pièce d'identité."
    ]


def flipped(data: bytes, where: int) -> bytes:
    return data[:where] + bytes([data[where] ^ 0x01]) + data[where + 1 :]


def test_wrong_key_tampered_truncated_and_foreign_files_get_french_errors(
    page: Any, base_url: str, agent: Any, tmp_path: Path
) -> None:
    dossier = python_dossier(tmp_path, agent)
    sealed = dossier.read_bytes()
    key = key_file(agent, tmp_path)
    other = tmp_path / "autre"
    other.mkdir()
    cases: list[tuple[Path, Path, str]] = [
        (dossier, key_file(pyrage.x25519.Identity.generate(), other), WRONG_KEY)
    ]
    for name, content, expected in [
        ("modifie.age", flipped(sealed, len(sealed) // 2), DAMAGED),
        ("tronque.age", sealed[: len(sealed) - 300], DAMAGED),
        ("tronque-en-tete.age", sealed[:60], DAMAGED),
        ("piece.pdf", b"%PDF-1.4\nune piece\n", NOT_AGE),
        ("pas-un-zip.age", pyrage.encrypt(b"bonjour\n", [agent.to_public()]), NOT_A_DOSSIER),
    ]:
        (tmp_path / name).write_bytes(content)
        cases.append((tmp_path / name, key, expected))
    not_a_key = tmp_path / "pas-une-cle.txt"
    not_a_key.write_text(str(agent.to_public()) + "\n", encoding="utf-8")
    cases.append((dossier, not_a_key, NOT_A_KEY))
    for dossier_path, key_path, expected in cases:
        open_dossier(page, base_url, dossier_path, key_path)
        assert expected in page.inner_text("#o-erreur"), (
            dossier_path.name,
            page.inner_text("#o-erreur"),
        )
        assert page.is_hidden("#o-resultat")
    assert page.elsewhere == []


def test_an_oversized_file_is_refused_before_it_is_read(
    page: Any, base_url: str, agent: Any, tmp_path: Path
) -> None:
    huge = tmp_path / "dossier-84-enorme.age"
    with huge.open("wb") as sparse:  # 201 Mio that cost nothing on disk
        sparse.write(b"age-encryption.org/v1\n")
        sparse.truncate(201 * 1024 * 1024)
    open_dossier(page, base_url, huge, key_file(agent, tmp_path))
    assert "plus que les 200 Mo d'un dossier de déclaration" in page.inner_text("#o-erreur")


def test_a_region_without_a_key_says_so_and_offers_the_other_paths(
    page: Any, base_url: str, pieces: list[Path]
) -> None:
    open_page(page, base_url + "declarer/")
    intro = page.locator(".coop > p").nth(1).inner_text()  # said up front, before the form
    assert "demande un compte GitHub" in intro and "publique" in intro and "numéros RPPS" in intro
    declare(Counted(page), pieces, TEAM)
    page.select_option("#d-region", "53")  # Bretagne: its ARS has published no key
    page.fill("#d-code-postal", "35000")
    page.wait_for_selector("#d-dossier-contenu .coop-alerte")
    assert page.is_visible("#d-dossier-contenu")
    text = page.inner_text("#d-dossier-contenu")
    assert "L'ARS Bretagne n'a pas encore publié de clé" in text and "formulaire GitHub" in text
    assert page.locator("#d-dossier-preparer").count() == 0
    assert page.is_visible("#d-issue") and page.is_visible("#d-telecharger")  # the other paths
    assert "La demande est publique" in page.inner_text("#d-envoi")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#d-resultat").screenshot(path=str(SHOTS / "dossier-sans-cle-1280.png"))


def test_a_dossier_made_before_a_change_is_withdrawn(
    page: Any, base_url: str, pieces: list[Path], tmp_path: Path
) -> None:
    open_page(page, base_url + "declarer/")
    declare(Counted(page), pieces, TEAM[:3])
    prepare(page, tmp_path)
    assert page.is_visible("#d-dossier-telecharger")
    page.fill("#d-commune", "Valence-sur-Rhône")
    assert page.is_hidden("#d-dossier-resultat")
    assert "préparez-le à nouveau" in page.inner_text("#d-dossier-etat")


def test_after_a_reload_the_pieces_are_asked_again(
    page: Any, base_url: str, pieces: list[Path]
) -> None:
    open_page(page, base_url + "declarer/")
    declare(Counted(page), pieces, TEAM[:3])
    page.reload()
    page.wait_for_function("window.coopDossier && window.coopDossier.ready")
    page.click("#d-dossier-preparer")
    assert "choisissez à nouveau ces pièces" in page.inner_text("#d-dossier-etat")
    assert page.is_hidden("#d-dossier-resultat")


@pytest.mark.parametrize("width", [1280, 390])
def test_both_pages_on_desktop_and_phone(
    page: Any, base_url: str, pieces: list[Path], agent: Any, tmp_path: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, base_url + "declarer/")
    declare(Counted(page), pieces, TEAM)
    dossier = prepare(page, tmp_path)
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#d-dossier").screenshot(path=str(SHOTS / f"dossier-preparer-{width}.png"))
    open_dossier(page, base_url, dossier, key_file(agent, tmp_path))
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(SHOTS / f"dossier-ouvrir-{width}.png"), full_page=True)
    assert page.elsewhere == []


def test_the_ars_guide_leads_to_the_open_page_which_the_menu_does_not_show(
    page: Any, base_url: str
) -> None:
    page.goto(base_url + "guides/instruire-une-declaration/")
    assert (
        page.locator(".md-tabs a, .md-nav--primary > .md-nav__list > .md-nav__item > a")
        .filter(has_text="Ouvrir un dossier")
        .count()
        == 0
    )
    page.click("article a:has-text('Ouvrir un dossier')")
    page.wait_for_function("window.coopDossier && window.coopDossier.ready")
    assert page.url == base_url + "ouvrir-un-dossier/"
    assert "ne sont envoyés nulle part" in page.inner_text("article")


def test_round_trip_page_to_coop_dossier_ouvrir(
    page: Any, base_url: str, pieces: list[Path], agent: Any, tmp_path: Path, git_register: Any
) -> None:
    """The dossier the page makes, opened by the ARS's command: the branch holds its very bytes."""
    from conftest import git

    open_page(page, base_url + "declarer/")
    declare(Counted(page), pieces, TEAM)
    page.wait_for_selector("#d-dossier-preparer")
    dossier = prepare(page, tmp_path)
    text = unsealed(dossier, agent).read("adhesion.yml")
    register = git_register({}, with_shipped_protocols=True)
    result = CliRunner().invoke(
        main,
        [
            "dossier",
            "ouvrir",
            str(dossier),
            "--identite",
            str(key_file(agent, tmp_path)),
            "--pieces",
            str(tmp_path / "prive"),
            "--racine",
            str(register),
            "--base",
            "main",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    committed = git(
        register, "show", f"declaration/84/{TEAM_ID}:adhesions/84/{PROTOCOL}/{TEAM_ID}.yml"
    )
    assert committed.encode() == text
    stored = [p.read_bytes() for p in (tmp_path / "prive").rglob("*") if p.is_file()]
    assert all(
        piece.read_bytes() in stored for piece in pieces[:13]
    )  # every piece picked, in the private folder
