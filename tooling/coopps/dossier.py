"""The dossier a team sends its ARS: an age file (binary) whose plaintext is a ZIP holding
`adhesion.yml`, `manifeste.json` and `pieces/NN-type[-membre].ext`
(docs/developpeurs/dossier.md, the contract shared with the declaration page).

Everything here is untrusted input: the encrypted file is bounded before it is read, the ZIP's
names are an allow-list (no folder, no `..`, no other file), its sizes are bounded before a byte
is inflated, and the manifest must agree with the files. Failures are `CoopError`s in French.
"""

from __future__ import annotations

import datetime
import io
import json
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import CoopError, refused
from .keys import refuse_inside_repository, write_private
from .paths import is_protocol_id, is_team_id
from .pieces import MANIFEST, MISMATCHED, PieceFinding, ReceivedFile

if TYPE_CHECKING:
    from pyrage.x25519 import Identity

FORMAT, VERSION = "coop-ps/dossier", 1
AGE_HEADER = b"age-encryption.org/v1\n"
MAX_DOSSIER_BYTES = 200 * 1024 * 1024  # the encrypted file, as received
MAX_CONTENT_BYTES = 250 * 1024 * 1024  # every file of the ZIP once inflated
MAX_FILES = 200
PIECES_FOLDER = "coop-ps-pieces"
ADHESION, MANIFEST_FILE = "adhesion.yml", "manifeste.json"
PIECE_NAME = re.compile(r"pieces/[0-9]{2}-[a-z_]{1,40}(?:-[0-9]{9}(?:[0-9]{2})?)?\.[a-z0-9]{1,8}")
REGION = re.compile(r"[0-9]{2}")
_NOT_A_DOSSIER = "n'est pas un dossier de déclaration"


@dataclass(frozen=True)
class Dossier:
    region: str
    protocol: str
    team: str
    created: str  # YYYY-MM-DD, the day the team made it (its date_declaration)
    adhesion: bytes  # adhesion.yml, as the team's page wrote it
    manifest: dict[str, Any]
    pieces: dict[str, bytes]  # "pieces/NN-….ext" → bytes

    @property
    def adhesion_path(self) -> str:
        return f"adhesions/{self.region}/{self.protocol}/{self.team}.yml"

    def received(self) -> list[ReceivedFile]:
        return [ReceivedFile.of(name, data) for name, data in sorted(self.pieces.items())]


def read_encrypted(path: Path) -> bytes:
    """The bytes of a received dossier file, refused above `MAX_DOSSIER_BYTES` before reading."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise CoopError(f"« {path} » n'est pas un fichier.")
        if size > MAX_DOSSIER_BYTES:
            raise refused(
                f"« {path.name} » pèse {size // (1024 * 1024)} Mo : un dossier ne dépasse pas "
                f"{MAX_DOSSIER_BYTES // (1024 * 1024)} Mo. Demandez à l'équipe des pièces "
                "moins lourdes (numérisation en 150 ou 200 ppp, en PDF)."
            )
        with path.open("rb") as stream:
            return stream.read(MAX_DOSSIER_BYTES + 1)
    except FileNotFoundError:
        raise CoopError(f"Le fichier « {path} » est introuvable.") from None
    except OSError as err:
        raise CoopError(f"Le fichier « {path} » est illisible ({err.strerror}).") from None


def decrypt(data: bytes, identities: list[Identity], name: str) -> bytes:
    """The plaintext of an age file; a French error for each way it cannot be opened."""
    import pyrage

    if not data.startswith(AGE_HEADER):
        raise refused(
            f"« {name} » {_NOT_A_DOSSIER} chiffré : il ne commence pas comme un fichier age. "
            "Vérifiez que c'est bien le fichier « dossier-….age » reçu de l'équipe."
        )
    try:
        return pyrage.decrypt(data, identities)
    except pyrage.DecryptError as err:
        raise refused(_decrypt_failure(name, str(err))) from None


def _decrypt_failure(name: str, reason: str) -> str:
    if "No matching keys" in reason:
        return (
            f"« {name} » n'est pas chiffré pour votre clé : il a été préparé pour une autre région, "
            "ou avant que votre clé ne soit ajoutée. Vérifiez la clé (--identite) ; sinon, "
            "demandez à l'équipe de refaire le dossier depuis le site."
        )
    return (
        f"« {name} » est abîmé ou incomplet (le déchiffrement a échoué : le fichier a été tronqué "
        "ou modifié après sa préparation). Demandez à l'équipe de le renvoyer."
    )


def open_dossier(plaintext: bytes, name: str) -> tuple[Dossier, list[PieceFinding]]:
    """The dossier in a decrypted ZIP, and what its manifest says against its files."""
    files = read_zip(plaintext, name, allowed=_dossier_name)
    missing = [part for part in (ADHESION, MANIFEST_FILE) if part not in files]
    if missing:
        raise refused(f"« {name} » {_NOT_A_DOSSIER} : il n'a pas de « {missing[0]} ».")
    manifest = _manifest(files[MANIFEST_FILE], name)
    pieces = {key: value for key, value in files.items() if key.startswith("pieces/")}
    dossier = Dossier(
        manifest["region"],
        manifest["protocole"],
        manifest["equipe"],
        manifest["cree_le"],
        files[ADHESION],
        manifest,
        pieces,
    )
    return dossier, list(_manifest_findings(manifest, pieces))


def _dossier_name(member: str) -> bool:
    return member in (ADHESION, MANIFEST_FILE) or bool(PIECE_NAME.fullmatch(member))


def read_zip(data: bytes, name: str, allowed: Any = None) -> dict[str, bytes]:
    """{member name: bytes} of a ZIP, bounded: at most `MAX_FILES` files and `MAX_CONTENT_BYTES`
    once inflated (checked on the sizes the archive declares, which zipfile then enforces);
    names that could leave a folder are refused; `allowed(name)` restricts them further."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise refused(
            f"« {name} » {_NOT_A_DOSSIER} : son contenu n'est pas une archive ZIP lisible."
        ) from None
    _check_entries(infos, name, allowed)
    try:
        return {info.filename: _read_member(archive, info) for info in infos}
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, EOFError, OSError):
        raise refused(
            f"« {name} » : l'archive est abîmée (un fichier ne se décompresse pas)."
        ) from None


def _check_entries(infos: list[zipfile.ZipInfo], name: str, allowed: Any) -> None:
    if len(infos) > MAX_FILES:
        raise refused(
            f"« {name} » contient plus de {MAX_FILES} fichiers : ce n'est pas un dossier."
        )
    if sum(info.file_size for info in infos) > MAX_CONTENT_BYTES:
        raise refused(
            f"« {name} » se décompresse en plus de {MAX_CONTENT_BYTES // (1024 * 1024)} Mo : "
            "archive refusée (bombe de décompression ?)."
        )
    names = [info.filename for info in infos]
    for info in infos:
        if not _safe_name(info.filename) or (allowed is not None and not allowed(info.filename)):
            raise refused(
                f"« {name} » {_NOT_A_DOSSIER} : il contient « {_shown(info.filename)} », "
                "un nom de fichier qui n'est pas prévu."
            )
        if names.count(info.filename) > 1:
            raise refused(f"« {name} » contient deux fois « {_shown(info.filename)} ».")
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise refused(
                f"« {name} » : « {_shown(info.filename)} » est protégé ou compressé d'une façon "
                "non prévue (seules « stored » et « deflate » le sont)."
            )


def _safe_name(member: str) -> bool:
    parts = member.split("/")
    return (
        bool(member)
        and not member.startswith("/")
        and "\\" not in member
        and ":" not in member
        and all(part not in ("", ".", "..") for part in parts)
        and member.isprintable()
    )


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with archive.open(info) as stream:
        data = stream.read(info.file_size + 1)
    if len(data) != info.file_size:
        raise zipfile.BadZipFile("size")
    return data


def _manifest(raw: bytes, name: str) -> dict[str, Any]:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        manifest = None
    problem = _manifest_problem(manifest)
    if problem:
        raise refused(f"« {name} » {_NOT_A_DOSSIER} : son manifeste {problem}.")
    assert isinstance(manifest, dict)
    return manifest


def _manifest_problem(manifest: Any) -> str | None:
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return f"n'est pas celui d'un dossier (« format » doit valoir « {FORMAT} »)"
    if manifest.get("version") != VERSION:
        return f"est d'une version que cet outil ne lit pas ({_shown(manifest.get('version'))})"
    checks = {
        "region": _text_fits(REGION.fullmatch),
        "protocole": _text_fits(is_protocol_id),
        "equipe": _text_fits(is_team_id),
        "cree_le": _is_date,
        "adhesion": ADHESION.__eq__,
        "pieces": lambda value: isinstance(value, list),
    }
    wrong = next((key for key, fits in checks.items() if not fits(manifest.get(key))), None)
    return f"a une valeur « {wrong} » invalide" if wrong else None


def _text_fits(test: Any) -> Any:
    return lambda value: isinstance(value, str) and bool(test(value))


def _is_date(value: Any) -> bool:
    try:
        return isinstance(value, str) and datetime.date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def _manifest_findings(manifest: dict[str, Any], pieces: dict[str, bytes]) -> list[PieceFinding]:
    """The manifest against the files: each file listed once, with its fingerprint and size."""
    listed: dict[str, dict[str, Any]] = {}
    found = []
    for entry in manifest["pieces"]:
        file = entry.get("fichier") if isinstance(entry, dict) else None
        if not isinstance(file, str) or file in listed:
            found.append(
                PieceFinding(
                    MANIFEST, "Le manifeste liste une pièce sans nom de fichier, ou deux fois."
                )
            )
            continue
        listed[file] = entry
    for file in sorted(set(listed) ^ set(pieces)):
        where = (
            "n'est pas dans l'archive" if file in listed else "n'est pas listé dans le manifeste"
        )
        found.append(PieceFinding(MANIFEST, f"« {_shown(file)} » {where}.", file=file))
    for file in sorted(set(listed) & set(pieces)):
        received = ReceivedFile.of(file, pieces[file])
        if (listed[file].get("sha256"), listed[file].get("taille")) != (
            received.sha256,
            received.size,
        ):
            found.append(
                PieceFinding(
                    MISMATCHED,
                    f"« {file} » n'a pas l'empreinte ou la taille que "
                    "donne le manifeste : le fichier a changé.",
                    file=file,
                )
            )
    return found


def default_pieces_folder(dossier: Dossier) -> Path:
    """`$COOP_PIECES_DIR` (else `~/coop-ps-pieces`) / region / protocol / team-date."""
    base = Path(os.environ.get("COOP_PIECES_DIR") or Path.home() / PIECES_FOLDER)
    return base / dossier.region / dossier.protocol / f"{dossier.team}-{dossier.created}"


def store_pieces(dossier: Dossier, folder: Path, root: Path) -> Path:
    """Write the dossier's files in `folder` (new or empty, outside any git work tree),
    readable by their owner only. Returns the folder."""
    folder = folder.expanduser().absolute()
    refuse_inside_repository(folder, root, "une pièce")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise refused(
            f"« {folder} » existe déjà et n'est pas vide : les pièces de ce dossier y sont "
            "peut-être déjà. Choisissez un autre dossier avec --pieces."
        )
    files = {
        **{name.split("/", 1)[1]: data for name, data in dossier.pieces.items()},
        ADHESION: dossier.adhesion,
        MANIFEST_FILE: json.dumps(dossier.manifest, indent=2).encode(),
    }
    for name, data in sorted(files.items()):
        write_private(folder / name, data)
    os.chmod(folder, 0o700)
    return folder


def read_received(path: Path) -> list[ReceivedFile]:
    """The files received another way: a folder (every file under it) or a ZIP."""
    if path.is_dir():
        return _folder_files(path)
    data = read_encrypted(path)
    if data.startswith(AGE_HEADER):
        raise refused(
            f"« {path.name} » est un dossier chiffré : ouvrez-le avec « coop dossier ouvrir »."
        )
    return [
        ReceivedFile.of(name, content)
        for name, content in sorted(read_zip(data, path.name).items())
    ]


def _folder_files(folder: Path) -> list[ReceivedFile]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    if len(files) > MAX_FILES:
        raise refused(f"« {folder} » contient plus de {MAX_FILES} fichiers.")
    if sum(p.stat().st_size for p in files) > MAX_CONTENT_BYTES:
        raise refused(f"« {folder} » dépasse {MAX_CONTENT_BYTES // (1024 * 1024)} Mo.")
    return [ReceivedFile.of(p.relative_to(folder).as_posix(), p.read_bytes()) for p in files]


def _shown(value: Any) -> str:
    text = repr(value)[1:-1] if isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "…"
