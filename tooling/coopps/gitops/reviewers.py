"""The reviewers register (`relecteurs.yml`).

One file says who instructs what: the maintainers of the tooling, the national
reviewers of `protocols/`, and per region the GitHub team of that ARS with the
logins of its reviewers. `.github/CODEOWNERS` is generated from it
(`codeowners.py`), and the transition rules ask it who may set or lift a
suspension. A region may also name its `dossier`: the age recipients of its
agents and the channel a team sends its encrypted dossier by
(`dossier_channel.py`; `dossier_channels` is what the site publishes).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..dossier_channel import DossierChannel, channel_problems, parse_channel
from ..errors import CoopError
from ..paths import REVIEWERS_FILE
from ..reading import read_bytes

__all__ = [
    "REVIEWERS_FILE",
    "Group",
    "Reviewers",
    "dossier_channels",
    "entry_problems",
    "load_reviewers",
    "reviewers_from_bytes",
    "shape_problem",
]
_OWNER_HINT = "une équipe `@organisation/equipe` ou un compte `@identifiant`"
_LOGIN_HINT = (
    "un identifiant GitHub : lettres sans accent, chiffres et tirets simples, 39 caractères "
    "au plus, sans tiret au début ni à la fin"
)
# GitHub's rules: a login (or an organisation) is 1 to 39 ASCII letters or digits joined by single
# hyphens; a team slug is lowercase letters, digits, `_` and `-`. fullmatch: no newline slips through.
LOGIN = re.compile(r"(?=.{1,39}\Z)[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*", re.ASCII)
TEAM_SLUG = re.compile(r"[A-Za-z0-9_]+(?:-+[A-Za-z0-9_]+)*", re.ASCII)
MAX_SLUG = 100


@dataclass(frozen=True)
class Group:
    """Who reviews one part of the register: GitHub owners and member logins."""

    owners: tuple[str, ...] = ()
    members: frozenset[str] = frozenset()
    dossier: DossierChannel | None = None  # regions only: where a team sends its encrypted dossier


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


def load_reviewers(root: Path, strict: bool = True) -> Reviewers:
    """Read the reviewers register; an absent file means nobody reviews.
    `strict=False` leaves out the entries `entry_problems` reports instead of refusing the file."""
    path = root / REVIEWERS_FILE
    raw = path.read_bytes() if path.is_file() and not path.is_symlink() else None
    return reviewers_from_bytes(raw, strict)


def reviewers_from_bytes(raw: bytes | None, strict: bool = True) -> Reviewers:
    """The reviewers register from its bytes (the work tree's, or a commit's); None means nobody reviews."""
    if raw is None:
        return Reviewers()
    doc = read_bytes(REVIEWERS_FILE, raw)
    errors = [f for f in doc.findings if f.severity == "error"]
    if errors and strict:
        raise CoopError(f"{REVIEWERS_FILE}, ligne {errors[0].line} : {errors[0].message}")
    try:
        return Reviewers() if errors else _parse_reviewers(doc.data, strict)
    except CoopError:
        if strict:
            raise
        return Reviewers()  # not strict: `reviewer_findings` says what is wrong


def _parse_reviewers(data: Any, strict: bool) -> Reviewers:
    if not isinstance(data, dict):
        raise CoopError(
            f"{REVIEWERS_FILE} doit contenir les clés `mainteneurs`, `relecteurs_nationaux` et `regions`."
        )
    regions = data.get("regions") or {}
    if not isinstance(regions, dict):
        raise CoopError(
            f"{REVIEWERS_FILE} : `regions` doit associer un code de région à son équipe."
        )
    return Reviewers(
        maintainers=_group(data.get("mainteneurs"), "mainteneurs", strict),
        national=_group(data.get("relecteurs_nationaux"), "relecteurs_nationaux", strict),
        regions={
            str(code): _group(spec, f"regions.{code}", strict)
            for code, spec in sorted(regions.items())
        },
    )


def _group(spec: Any, where: str, strict: bool) -> Group:
    if spec is None:
        return Group()
    if not isinstance(spec, dict):
        raise CoopError(
            f"{REVIEWERS_FILE} : `{where}` doit contenir `equipes` (liste) et `membres` (liste)."
        )
    owners = _strings(spec.get("equipes"), f"{where}.equipes")
    members = _strings(spec.get("membres"), f"{where}.membres")
    problem = next(_group_problems(owners, members, (where,)), None)
    if problem is not None and strict:
        raise CoopError(f"{REVIEWERS_FILE} : {problem.message}")
    owners = [owner for owner in owners if not _owner_problem(owner)]
    members = [login for login in members if not _member_problem(login)]
    return Group(
        tuple(owners), frozenset(_login(login) for login in members), _dossier(spec, where, strict)
    )


def _dossier(spec: dict[str, Any], where: str, strict: bool) -> DossierChannel | None:
    """A region's dossier section; a bad one refuses the file (strict) or is left out."""
    if "dossier" not in spec or not where.startswith("regions."):
        return None
    problem = next(channel_problems(spec["dossier"], (*where.split("."), "dossier")), None)
    if problem is None:
        return parse_channel(spec["dossier"])
    if strict:
        raise CoopError(f"{REVIEWERS_FILE} : {problem[1]}")
    return None


def dossier_channels(root: Path) -> dict[str, dict[str, Any]]:
    """{region code: {"destinataires": [age1…], "canal": {type, adresse, consigne}}} for every
    region whose ARS has keys; the declaration page encrypts to them (a region absent has none)."""
    regions = load_reviewers(root, strict=False).regions
    return {code: group.dossier.as_data() for code, group in regions.items() if group.dossier}


def shape_problem(data: Any) -> str | None:
    """Why `data` is not a reviewers register (French), leaving the entries to `entry_problems`."""
    try:
        _parse_reviewers(data, strict=False)
    except CoopError as err:
        return err.message
    return None


@dataclass(frozen=True)
class EntryProblem:
    """One entry of relecteurs.yml that is no GitHub login nor team: where it is and why."""

    where: tuple[str | int, ...]  # its path in the file
    message: str  # French


def entry_problems(data: Any) -> list[EntryProblem]:
    """Every entry of `equipes` and `membres` that GitHub would not read as an owner or a login."""
    if not isinstance(data, dict):
        return []
    groups: list[tuple[tuple[str, ...], Any]] = [
        (("mainteneurs",), data.get("mainteneurs")),
        (("relecteurs_nationaux",), data.get("relecteurs_nationaux")),
    ]
    regions = data.get("regions")
    if isinstance(regions, dict):
        groups += [(("regions", str(code)), spec) for code, spec in regions.items()]
    found = [
        problem
        for where, spec in groups
        if isinstance(spec, dict)
        for problem in _group_problems(spec.get("equipes"), spec.get("membres"), where)
    ]
    return found + [
        EntryProblem(spot, message)
        for where, spec in groups[2:]
        if isinstance(spec, dict) and "dossier" in spec
        for spot, message in channel_problems(spec["dossier"], (*where, "dossier"))
    ]


def _group_problems(owners: Any, members: Any, where: tuple[str, ...]) -> Iterator[EntryProblem]:
    for key, values, check in (
        ("equipes", owners, _owner_problem),
        ("membres", members, _member_problem),
    ):
        for position, value in enumerate(values if isinstance(values, list) else []):
            problem = check(value) if isinstance(value, str) else "n'est pas un texte"
            if problem:
                spot = ".".join((*where, key))
                yield EntryProblem(
                    (*where, key, position),
                    (f"`{spot}` contient « {_shown(value)} », qui {problem}."),
                )


def _owner_problem(value: str) -> str | None:
    owner = value.removeprefix("@")
    organisation, slash, team = owner.partition("/")
    if not value.startswith("@"):
        return f"ne commence pas par `@` ; écrivez {_OWNER_HINT}"
    if not LOGIN.fullmatch(organisation):
        return f"ne nomme pas une organisation ou un compte GitHub ({_LOGIN_HINT})"
    if slash and not (TEAM_SLUG.fullmatch(team) and len(team) <= MAX_SLUG):
        return "ne nomme pas une équipe GitHub (lettres sans accent, chiffres, `_` et `-`)"
    return None


def _member_problem(value: str) -> str | None:
    return None if LOGIN.fullmatch(value.removeprefix("@")) else f"n'est pas {_LOGIN_HINT}"


def _shown(value: Any) -> str:
    """The value as it may be shown: control characters and line breaks visible, kept short."""
    text = repr(value)[1:-1] if isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CoopError(f"{REVIEWERS_FILE} : `{where}` doit être une liste de textes.")
    return value
