"""`coop dossier ouvrir`: a real age dossier, made as the page makes it, opened into a branch of
a real git repository; each way a received file can be wrong gives a French error."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import git
from coopps.cli import main
from dossierkit import (
    ADHESION_PATH,
    CREATED,
    REGION,
    TEAM,
    dossier_file,
    dossier_parts,
    drop_piece,
    encrypt,
    new_identity,
    piece_bytes,
)
from register_samples import VALID_REGISTER

BRANCH = f"declaration/{REGION}/{TEAM}"


@pytest.fixture
def register(git_register):
    return git_register({rel: text for rel, text in VALID_REGISTER.items() if rel != ADHESION_PATH})


@pytest.fixture
def key(tmp_path):
    return new_identity(tmp_path / "cles")


def open_dossier(root: Path, path: Path, identity: Path, pieces: Path, *extra: str):
    return CliRunner().invoke(
        main,
        [
            "dossier",
            "ouvrir",
            str(path),
            "--identite",
            str(identity),
            "--pieces",
            str(pieces),
            "--racine",
            str(root),
            "--base",
            "main",
            *extra,
        ],
        catch_exceptions=False,
    )


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(folder).parts
    }


def test_a_dossier_becomes_a_branch_with_the_same_bytes(register, key, tmp_path):
    identity, recipient = key
    parts = dossier_parts()
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    before = files_under(register)
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 0, result.output
    assert "8 reconnues sur 8 déclarées" in result.output
    assert f"Branche « {BRANCH} » créée" in result.output
    committed = git(register, "show", f"{BRANCH}:{ADHESION_PATH}").encode()
    assert committed == parts.adhesion  # byte-identical to the dossier's adhesion.yml
    message = git(register, "log", "-1", "--format=%B", BRANCH)
    assert TEAM in message and CREATED in message and "MSP A" in message
    assert git(register, "rev-parse", f"{BRANCH}~1") == git(register, "rev-parse", "main")
    # the agent's work tree is left as it was: same branch, same files, nothing staged
    assert git(register, "branch", "--show-current").strip() == "main"
    assert git(register, "status", "--porcelain") == ""
    assert files_under(register) == before


def test_pieces_go_to_the_private_folder_and_never_into_the_repository(register, key, tmp_path):
    identity, recipient = key
    parts = dossier_parts()
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    assert open_dossier(register, path, identity, tmp_path / "prive").exit_code == 0
    stored = {p.name: p for p in (tmp_path / "prive").iterdir()}
    for name, data in parts.files.items():
        target = stored[name.removeprefix("pieces/")]
        assert target.read_bytes() == data
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "prive").stat().st_mode) == 0o700
    fingerprints = {hashlib.sha256(data).digest() for data in parts.files.values()}
    everything = [p for p in register.rglob("*") if p.is_file()]
    assert not [p for p in everything if hashlib.sha256(p.read_bytes()).digest() in fingerprints]
    blobs = git(register, "rev-list", "--objects", "--all").split()
    assert not {
        hashlib.sha1(b"blob %d\0" % len(d) + d).hexdigest() for d in parts.files.values()
    } & set(blobs)


def test_a_private_folder_inside_the_repository_is_refused(register, key, tmp_path):
    identity, recipient = key
    path = dossier_file(tmp_path, encrypt(dossier_parts().zipped(), recipient))
    result = open_dossier(register, path, identity, register / "pieces-privees")
    assert result.exit_code == 1
    assert "dans le dépôt du registre" in result.output
    assert not (register / "pieces-privees").exists()
    assert git(register, "branch", "--list", BRANCH) == ""


def test_the_default_private_folder_is_in_the_home_folder(register, key, tmp_path, monkeypatch):
    identity, recipient = key
    monkeypatch.setenv("HOME", str(tmp_path / "maison"))
    monkeypatch.delenv("COOP_PIECES_DIR", raising=False)
    path = dossier_file(tmp_path, encrypt(dossier_parts().zipped(), recipient))
    result = CliRunner().invoke(
        main,
        [
            "dossier",
            "ouvrir",
            str(path),
            "--identite",
            str(identity),
            "--racine",
            str(register),
            "--base",
            "main",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "maison" / "coop-ps-pieces" / REGION / "nat-test" / f"{TEAM}-{CREATED}"
    assert (folder / "adhesion.yml").is_file()


def test_a_dossier_for_another_key_is_refused(register, tmp_path):
    identity, _ = new_identity(tmp_path / "cles", "mienne.txt")
    _, other = new_identity(tmp_path / "autres", "autre.txt")
    path = dossier_file(tmp_path, encrypt(dossier_parts().zipped(), other))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1
    assert "n'est pas chiffré pour votre clé" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "prive").exists()


@pytest.mark.parametrize("damage", ["tronque", "modifie"])
def test_a_damaged_dossier_is_refused(register, key, tmp_path, damage):
    identity, recipient = key
    data = bytearray(encrypt(dossier_parts().zipped(), recipient))
    if damage == "tronque":
        data = data[: len(data) - 300]
    else:
        data[-200] ^= 0x01
    path = dossier_file(tmp_path, bytes(data))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1
    assert "abîmé ou incomplet" in result.output
    assert git(register, "branch", "--list", BRANCH) == ""


def test_an_oversized_file_is_refused_before_it_is_read(register, key, tmp_path):
    identity, _ = key
    path = tmp_path / "gros.age"
    with path.open("wb") as stream:
        stream.write(b"age-encryption.org/v1\n")
        stream.truncate(201 * 1024 * 1024)  # sparse: nothing is really written
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1
    assert "pèse 201 Mo" in result.output and "200 Mo" in result.output


def test_a_file_that_is_not_age_is_refused(register, key, tmp_path):
    identity, _ = key
    path = tmp_path / "dossier.age"
    path.write_bytes(dossier_parts().zipped())  # the ZIP, sent unencrypted
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1
    assert "ne commence pas comme un fichier age" in result.output


def zip_of(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("plaintext", "needle"),
    [
        (b"not a zip at all", "n'est pas une archive ZIP"),
        (zip_of({"adhesion.yml": b"a: 1\n"}), "n'a pas de « manifeste.json »"),
        (
            zip_of({"adhesion.yml": b"a: 1\n", "manifeste.json": b'{"format": "autre"}'}),
            "« format » doit valoir",
        ),
        (
            zip_of({"adhesion.yml": b"a: 1\n", "manifeste.json": b"{}", "../../evil.sh": b"x"}),
            "« ../../evil.sh », un nom de fichier qui n'est pas prévu",
        ),
        (
            zip_of(
                {"adhesion.yml": b"a: 1\n", "manifeste.json": b"{}", "pieces/../../x.pdf": b"x"}
            ),
            "un nom de fichier qui n'est pas prévu",
        ),
        (zip_of({"/etc/passwd": b"x"}), "un nom de fichier qui n'est pas prévu"),
    ],
    ids=["pas-zip", "sans-manifeste", "autre-format", "traversee", "traversee-pieces", "absolu"],
)
def test_a_zip_that_is_not_a_dossier_is_refused(register, key, tmp_path, plaintext, needle):
    identity, recipient = key
    path = dossier_file(tmp_path, encrypt(plaintext, recipient))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1, result.output
    assert needle in result.output
    assert not (tmp_path / "evil.sh").exists() and not (tmp_path / "prive").exists()


def test_a_zip_bomb_is_refused_before_it_is_inflated(register, key, tmp_path):
    identity, recipient = key
    buffer = io.BytesIO()
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("pieces/01-declaration_commune.pdf", "w", force_zip64=True) as member,
    ):
        for _ in range(260):
            member.write(zeros)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    path = dossier_file(tmp_path, encrypt(buffer.getvalue(), recipient))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1
    assert "se décompresse en plus de 250 Mo" in result.output


def test_a_missing_piece_is_a_warning_and_the_rest_goes_on(register, key, tmp_path):
    identity, recipient = key
    parts = dossier_parts()
    drop_piece(parts, 4)
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 0, result.output
    assert "7 reconnues sur 8" in result.output
    assert (
        "Avertissement : Pièce n° 4 (Diplôme, membre 10000001015) : aucun fichier reçu."
        in result.output
    )
    assert git(register, "branch", "--list", BRANCH).strip()


def test_a_changed_piece_is_a_mismatch(register, key, tmp_path):
    identity, recipient = key
    parts = dossier_parts()
    name = next(iter(parts.files))
    parts.files[name] += b"modifie"
    parts.manifest["pieces"][0].update(
        sha256=hashlib.sha256(parts.files[name]).hexdigest(), taille=len(parts.files[name])
    )
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1
    assert f"Erreur : « {name} » devrait être la pièce n° 1" in result.output
    assert "aucun fichier reçu" not in result.output  # mismatched, not also missing


def test_a_file_the_manifest_does_not_vouch_for_is_reported(register, key, tmp_path):
    identity, recipient = key
    parts = dossier_parts()
    name = list(parts.files)[2]
    parts.files[name] = b"autre document"
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1
    assert f"« {name} » n'a pas l'empreinte ou la taille que donne le manifeste" in result.output


def test_an_extra_piece_is_reported(register, key, tmp_path):
    identity, recipient = key
    parts = dossier_parts()
    parts.files["pieces/09-diplome.pdf"] = b"un diplome de plus"
    parts.manifest["pieces"].append(
        {
            "fichier": "pieces/09-diplome.pdf",
            "type": "diplome",
            "membre": None,
            "sha256": hashlib.sha256(b"un diplome de plus").hexdigest(),
            "taille": 18,
        }
    )
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert (
        "Avertissement : « pieces/09-diplome.pdf » ne correspond à aucune pièce déclarée."
        in result.output
    )


def test_one_file_for_two_members_is_refused(register, key, tmp_path):
    identity, recipient = key
    pieces = [piece_bytes(n) for n in range(1, 9)]
    pieces[4] = pieces[2]  # the delegate's identity card is the delegating doctor's
    parts = dossier_parts(pieces)
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1
    assert (
        "Un même fichier est déclaré pour pièce n° 3 (Pièce d'identité, membre 10000001015) et "
        "pièce n° 5 (Pièce d'identité, membre 10000001023)"
    ) in result.output


def test_a_dossier_opened_twice_is_refused_the_second_time(register, key, tmp_path):
    identity, recipient = key
    path = dossier_file(tmp_path, encrypt(dossier_parts().zipped(), recipient))
    assert open_dossier(register, path, identity, tmp_path / "prive").exit_code == 0
    result = open_dossier(register, path, identity, tmp_path / "prive2")
    assert result.exit_code == 1
    assert f"La branche « {BRANCH} » existe déjà" in result.output
    assert not (tmp_path / "prive2").exists()  # refused before anything is written


def test_an_invalid_adhesion_gives_the_exit_code_of_validate(register, key, tmp_path):
    identity, recipient = key
    parts = dossier_parts()
    parts.adhesion = parts.adhesion.replace(b'code_postal: "69003"', b'code_postal: "75003"')
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1, result.output
    assert "erreur" in result.output.lower()
    assert git(register, "show", f"{BRANCH}:{ADHESION_PATH}").encode() == parts.adhesion


def test_identities_are_read_from_the_default_folder(register, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    _, recipient = new_identity(tmp_path / "config" / "coop-ps" / "cles", "ars-84.txt")
    path = dossier_file(tmp_path, encrypt(dossier_parts().zipped(), recipient))
    result = CliRunner().invoke(
        main,
        [
            "dossier",
            "ouvrir",
            str(path),
            "--pieces",
            str(tmp_path / "p"),
            "--racine",
            str(register),
            "--base",
            "main",
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output


def test_no_key_at_all_says_how_to_give_one(register, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "vide"))
    path = dossier_file(tmp_path, b"age-encryption.org/v1\n")
    result = CliRunner().invoke(main, ["dossier", "ouvrir", str(path), "--racine", str(register)])
    assert result.exit_code == 2
    assert "Aucune clé trouvée" in result.output and "--identite" in result.output


def test_an_adhesion_not_in_canonical_form_is_an_error(register, key, tmp_path):
    identity, recipient = key
    parts = dossier_parts()
    parts.adhesion = parts.adhesion.replace(b"  nom: MSP A", b"  nom:    MSP A")
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    result = open_dossier(register, path, identity, tmp_path / "prive")
    assert result.exit_code == 1
    assert "n'est pas sous sa forme canonique" in result.output
    assert (
        git(register, "show", f"{BRANCH}:{ADHESION_PATH}").encode() == parts.adhesion
    )  # kept as received
