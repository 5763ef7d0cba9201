"""The ARS agents' age keys: an identity file per agent (secret, kept on her computer, never in
the repository) and the recipient (public) that `relecteurs.yml` lists for her region.

The identity file is age's own format (comments, then one `AGE-SECRET-KEY-1…` line), so `age`,
`rage` and the « Ouvrir un dossier » page read it as well. Default folder: `KEYS_FOLDER` under
the user's configuration folder (`$XDG_CONFIG_HOME`, else `~/.config`).
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CoopError, refused
from .gitops import git as gitrepo

if TYPE_CHECKING:
    from pyrage.x25519 import Identity

KEYS_FOLDER = Path("coop-ps") / "cles"
MAX_IDENTITY_FILE = 64 * 1024
REGION_CODE = re.compile(r"[0-9]{2}")


@dataclass(frozen=True)
class NewKey:
    path: Path
    recipient: str  # age1…


def keys_folder() -> Path:
    """Where identities are made and looked for by default."""
    config = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config) / KEYS_FOLDER


def create_identity(region: str, output: Path | None, root: Path | None) -> NewKey:
    """Make a new identity for an agent of `region` in `output` (mode 0600; never over a file,
    never inside a git work tree) and return where it is and its recipient."""
    from pyrage import x25519

    if not REGION_CODE.fullmatch(region):
        raise CoopError(
            f"« {region} » n'est pas un code de région (deux chiffres, par exemple 84)."
        )
    today = datetime.date.today().isoformat()
    path = (output or keys_folder() / f"ars-{region}-{today}.txt").expanduser().absolute()
    refuse_inside_repository(path, root, "la clé secrète")
    identity = x25519.Identity.generate()
    recipient = str(identity.to_public())
    try:
        write_private(path, _identity_text(str(identity), recipient, region, today).encode())
    except FileExistsError:
        raise refused(
            f"« {path} » existe déjà : une clé n'en remplace jamais une autre. "
            "Choisissez un autre nom avec --sortie."
        ) from None
    return NewKey(path, recipient)


def _identity_text(secret: str, recipient: str, region: str, today: str) -> str:
    return (
        f"# Clé d'un agent de l'ARS, région {region}, créée le {today} (coop cle creer).\n"
        "# SECRÈTE : ne la copiez ni dans le dépôt, ni dans un courriel, ni sur un partage.\n"
        f"# created: {today}\n# public key: {recipient}\n{secret}\n"
    )


def write_private(path: Path, data: bytes) -> None:
    """A new file only its owner reads (0600), in a folder only she opens when it is new (0700);
    never over an existing file (FileExistsError), never through a link."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    handle = os.open(path, flags, 0o600)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
    os.chmod(path, 0o600)


def refuse_inside_repository(path: Path, root: Path | None, what: str) -> None:
    """Refuse a private file or folder inside the register or any git work tree."""
    target = path.resolve()
    if root is not None and target.is_relative_to(root.resolve()):
        raise refused(
            f"« {path} » est dans le dépôt du registre : {what} ne doit jamais y être "
            "écrite. Choisissez un dossier personnel hors du dépôt."
        )
    existing = next((folder for folder in [target, *target.parents] if folder.is_dir()), None)
    if existing is not None and gitrepo.is_repository(existing):
        raise refused(
            f"« {path} » est dans un dépôt git ({gitrepo.work_tree_root(existing)}) : "
            f"{what} ne doit jamais y être écrite. Choisissez un dossier hors de tout dépôt."
        )


def load_identities(paths: list[Path]) -> list[Identity]:
    """The age identities in these files (age's identity format); a French error for a file that
    holds none. With no path, every file of the default keys folder."""
    from pyrage import IdentityError, x25519

    files = paths or sorted(p for p in keys_folder().glob("*") if p.is_file())
    if not files:
        raise CoopError(
            f"Aucune clé trouvée dans {keys_folder()} : indiquez votre fichier de clé "
            "avec --identite (il a été créé par « coop cle creer »)."
        )
    identities: list[Identity] = []
    for path in files:
        lines = _identity_lines(path)
        try:
            identities += [x25519.Identity.from_str(line) for line in lines]
        except IdentityError:
            lines = []
        if not lines:
            raise CoopError(
                f"« {path} » n'est pas un fichier de clé age (une ligne AGE-SECRET-KEY-1…)."
            )
    return identities


def _identity_lines(path: Path) -> list[str]:
    if not path.is_file():
        raise CoopError(
            f"Le fichier de clé « {path} » est introuvable : indiquez celui que « coop cle "
            "creer » a créé pour vous (--identite)."
        )
    try:
        with path.open("rb") as stream:
            raw = stream.read(MAX_IDENTITY_FILE + 1)
    except OSError as err:
        raise CoopError(f"Le fichier de clé « {path} » est illisible ({err.strerror}).") from None
    if len(raw) > MAX_IDENTITY_FILE:
        return []
    text = raw.decode("utf-8", "replace")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
