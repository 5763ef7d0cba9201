"""Dossiers made as the declaration page makes them (docs/developpeurs/dossier.md): the
adhesion in `coop formater`'s canonical form, `pieces/NN-type[-membre].ext`, a manifest, zipped
(deflate) and encrypted with age (pyrage) to X25519 recipients. Each helper follows the
contract; the tests bend one thing at a time."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyrage
import yaml
from pyrage import x25519

from coopps.authoring.fmt import format_text
from coopps.schema import Schemas
from register_samples import ADHESION, ADHESION_PATH, SHA

REPO_ROOT = Path(__file__).resolve().parents[2]
REGION, PROTOCOL, TEAM = ADHESION_PATH.removesuffix(".yml").split("/")[1:]
CREATED = "2024-03-12"  # the sample adhesion's date_declaration


def piece_bytes(number: int) -> bytes:
    """A small PDF-looking document, different for each piece."""
    return (
        b"%PDF-1.4\n% piece "
        + str(number).encode()
        + b"\n"
        + bytes(range(256)) * number
        + b"\n%%EOF\n"
    )


def adhesion_for(pieces: list[bytes], *, same_for: tuple[int, int] | None = None) -> bytes:
    """The sample adhesion declaring these files (in order), canonical; `same_for=(a, b)`
    declares piece b with piece a's fingerprint (one file for two members)."""
    text = ADHESION
    shas = [hashlib.sha256(data).hexdigest() for data in pieces]
    if same_for:
        shas[same_for[1] - 1] = shas[same_for[0] - 1]
    for sha in shas:
        text = text.replace(f"sha256: {SHA}", f'sha256: "{sha}"', 1)
    return format_text("adhesion", text, Schemas(REPO_ROOT), ADHESION_PATH).encode("utf-8")


def piece_name(number: int, piece: dict[str, Any], extension: str = "pdf") -> str:
    member = f"-{piece['membre']}" if piece.get("membre") else ""
    return f"pieces/{number:02d}-{piece['type']}{member}.{extension}"


@dataclass
class DossierParts:
    """What goes in the ZIP; tests change one part before `zipped()`."""

    adhesion: bytes
    files: dict[str, bytes]
    manifest: dict[str, Any]
    extra_members: dict[str, bytes] = field(default_factory=dict)

    def zipped(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("adhesion.yml", self.adhesion)
            for name, data in self.files.items():
                archive.writestr(name, data)
            archive.writestr(
                "manifeste.json", json.dumps(self.manifest, ensure_ascii=False, indent=2)
            )
            for name, data in self.extra_members.items():
                archive.writestr(name, data)
        return buffer.getvalue()


def dossier_parts(pieces: list[bytes] | None = None, **adhesion_options: Any) -> DossierParts:
    pieces = pieces if pieces is not None else [piece_bytes(n) for n in range(1, 9)]
    adhesion = adhesion_for(pieces, **adhesion_options)
    declared = yaml.safe_load(adhesion)["pieces"]
    files = {
        piece_name(n, piece): data
        for n, (piece, data) in enumerate(zip(declared, pieces, strict=True), start=1)
    }
    entries = [
        {
            "fichier": name,
            "type": piece["type"],
            "membre": piece.get("membre"),
            "sha256": hashlib.sha256(data).hexdigest(),
            "taille": len(data),
        }
        for (name, data), piece in zip(files.items(), declared, strict=True)
    ]
    manifest = {
        "format": "coop-ps/dossier",
        "version": 1,
        "cree_le": CREATED,
        "region": REGION,
        "protocole": PROTOCOL,
        "equipe": TEAM,
        "adhesion": "adhesion.yml",
        "pieces": entries,
    }
    return DossierParts(adhesion, files, manifest)


def drop_piece(parts: DossierParts, number: int) -> None:
    """Leave piece `number` out of the dossier (file and manifest), as a team that skips it."""
    name = next(name for name in parts.files if name.startswith(f"pieces/{number:02d}-"))
    del parts.files[name]
    parts.manifest["pieces"] = [e for e in parts.manifest["pieces"] if e["fichier"] != name]


def encrypt(plaintext: bytes, *recipients: str) -> bytes:
    return pyrage.encrypt(plaintext, [x25519.Recipient.from_str(r) for r in recipients])


def new_identity(folder: Path, name: str = "cle.txt") -> tuple[Path, str]:
    """An identity file in age's format, and its recipient."""
    identity = x25519.Identity.generate()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"# public key: {identity.to_public()}\n{identity}\n", encoding="utf-8")
    return path, str(identity.to_public())


def dossier_file(folder: Path, data: bytes) -> Path:
    path = folder / f"dossier-{REGION}-{PROTOCOL}-{TEAM}.age"
    path.write_bytes(data)
    return path
