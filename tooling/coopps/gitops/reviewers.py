"""The reviewers register (`relecteurs.yml`).

One file says who instructs what: the maintainers of the tooling, the national
reviewers of `protocols/`, and per region the GitHub team of that ARS with the
logins of its reviewers. `.github/CODEOWNERS` is generated from it
(`codeowners.py`), and the transition rules ask it who may set or lift a
suspension.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CoopError
from ..paths import REVIEWERS_FILE
from ..reading import read_bytes

__all__ = ["REVIEWERS_FILE", "Group", "Reviewers", "load_reviewers", "reviewers_from_bytes"]
_OWNER_HINT = "une équipe `@organisation/equipe` ou un compte `@identifiant`"


@dataclass(frozen=True)
class Group:
    """Who reviews one part of the register: GitHub owners and member logins."""

    owners: tuple[str, ...] = ()
    members: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reviewers:
    maintainers: Group = Group()
    national: Group = Group()
    regions: dict[str, Group] = field(default_factory=dict)

    def region(self, code: str) -> Group:
        return self.regions.get(code, Group())

    def is_region_reviewer(self, code: str, login: str | None) -> bool:
        return bool(login) and _login(login or "") in self.region(code).members

    def is_maintainer(self, login: str | None) -> bool:
        return bool(login) and _login(login or "") in self.maintainers.members

    def any_region_reviewer(self, code: str, logins: tuple[str, ...]) -> str | None:
        """The first of `logins` that reviews region `code`, or None."""
        return next((login for login in logins if self.is_region_reviewer(code, login)), None)


def _login(value: str) -> str:
    return value.strip().removeprefix("@").lower()


def load_reviewers(root: Path) -> Reviewers:
    """Read the reviewers register; an absent file means nobody reviews."""
    path = root / REVIEWERS_FILE
    return reviewers_from_bytes(path.read_bytes() if path.is_file() and not path.is_symlink() else None)


def reviewers_from_bytes(raw: bytes | None) -> Reviewers:
    """The reviewers register from its bytes (the work tree's, or a commit's); None means nobody reviews."""
    if raw is None:
        return Reviewers()
    doc = read_bytes(REVIEWERS_FILE, raw)
    errors = [f for f in doc.findings if f.severity == "error"]
    if errors:
        raise CoopError(f"{REVIEWERS_FILE}, ligne {errors[0].line} : {errors[0].message}")
    return _parse_reviewers(doc.data)


def _parse_reviewers(data: Any) -> Reviewers:
    if not isinstance(data, dict):
        raise CoopError(f"{REVIEWERS_FILE} doit contenir les clés `mainteneurs`, `relecteurs_nationaux` et `regions`.")
    regions = data.get("regions") or {}
    if not isinstance(regions, dict):
        raise CoopError(f"{REVIEWERS_FILE} : `regions` doit associer un code de région à son équipe.")
    return Reviewers(
        maintainers=_group(data.get("mainteneurs"), "mainteneurs"),
        national=_group(data.get("relecteurs_nationaux"), "relecteurs_nationaux"),
        regions={str(code): _group(spec, f"regions.{code}") for code, spec in sorted(regions.items())},
    )


def _group(spec: Any, where: str) -> Group:
    if spec is None:
        return Group()
    if not isinstance(spec, dict):
        raise CoopError(f"{REVIEWERS_FILE} : `{where}` doit contenir `equipes` (liste) et `membres` (liste).")
    owners = _strings(spec.get("equipes"), f"{where}.equipes")
    for owner in owners:
        if not owner.startswith("@") or " " in owner:
            raise CoopError(f"{REVIEWERS_FILE} : `{where}.equipes` contient « {owner} » ; écrivez {_OWNER_HINT}.")
    members = frozenset(_login(login) for login in _strings(spec.get("membres"), f"{where}.membres"))
    return Group(tuple(owners), members)


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CoopError(f"{REVIEWERS_FILE} : `{where}` doit être une liste de textes.")
    return value
