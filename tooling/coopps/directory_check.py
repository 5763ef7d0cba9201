"""`coop verifier --annuaire INDEX`: each member checked against the Annuaire santé.

For every schema-valid adhesion reported: the RPPS number exists in the index
(`annuaire-rpps-inconnu`; an ADELI number the extraction does not list is only a
warning, `annuaire-adeli-inconnu`, since ADELI is being replaced by RPPS); the
declared name and first name are those of the number's holder, accents, case,
hyphens and apostrophes set aside (`annuaire-autre-personne`: a number under
another person's name); the declared profession is the holder's
(`annuaire-profession`, through the referential's TRE_G15 codes). The same person
declared by RPPS and by ADELI needs no directory: it is the register rule
`personne-en-double`.

A number whose key is wrong (`rpps-cle-invalide`) is left to that finding. The
holder's names are never quoted: only whether the name, the first name or both
differ, so a public report shows nothing of a stranger.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .change_checks import (
    DIRECTORY_ADELI_UNKNOWN,
    DIRECTORY_OTHER_PERSON,
    DIRECTORY_PROFESSION,
    DIRECTORY_RPPS_UNKNOWN,
)
from .directory import Directory, Person, fold
from .findings import Finding, found
from .personal import luhn_valid
from .register import Entry
from .schema import Referential


def check_members(
    entries: list[Entry], directory: Directory, professions: Referential, codes: dict[str, str]
) -> list[Finding]:
    """Findings for the members of the valid adhesions among `entries`."""
    checker = _Checker(directory, professions, codes)
    return [
        finding
        for entry in entries
        if entry.valid and entry.where.kind == "adhesion"
        for finding in checker.entry(entry)
    ]


class _Checker:
    def __init__(
        self, directory: Directory, professions: Referential, codes: dict[str, str]
    ) -> None:
        self.directory, self.professions, self.codes = directory, professions, codes

    def entry(self, entry: Entry) -> Iterator[Finding]:
        members: list[dict[str, Any]] = entry.data["membres"]
        for position, member in enumerate(members):
            yield from self.member(entry, position, member)

    def member(self, entry: Entry, position: int, member: dict[str, Any]) -> Iterator[Finding]:
        kind = "rpps" if member.get("rpps") else "adeli"
        number = member[kind]
        if kind == "rpps" and not luhn_valid(number):
            return  # rpps-cle-invalide says it
        key = ("membres", position, kind)
        line = entry.line(*key)
        people = self.directory.people(kind, number)
        if not people:
            yield _unknown(entry.path, line, key, number)
            return
        names = (fold(member["nom_exercice"]), fold(member["prenom"]))
        same = [p for p in people if (p.last, p.first) == names]
        if not same:
            yield _other_person(entry.path, line, key, member, people)
            return
        yield from self.profession(entry, position, member, f"{kind.upper()} {number}", same)

    def profession(
        self, entry: Entry, position: int, member: dict[str, Any], number: str, same: list[Person]
    ) -> Iterator[Finding]:
        declared = member["profession"]
        if self.codes.get(declared) in {p.code for p in same}:
            return
        held = " ou ".join(dict.fromkeys(p.label or f"code {p.code}" for p in same))
        line = entry.line("membres", position, "profession")
        params = {"numero": number, "annuaire": held, "declaree": self.professions.label(declared)}
        yield found(
            DIRECTORY_PROFESSION, entry.path, line, ("membres", position, "profession"), params
        )


def _unknown(path: str, line: int, key: tuple[str | int, ...], number: str) -> Finding:
    if key[-1] == "adeli":
        return found(DIRECTORY_ADELI_UNKNOWN, path, line, key, {"numero": number})
    return found(DIRECTORY_RPPS_UNKNOWN, path, line, key, {"numero": number})


def _other_person(
    path: str, line: int, key: tuple[str | int, ...], member: dict[str, Any], people: list[Person]
) -> Finding:
    last, first = fold(member["nom_exercice"]), fold(member["prenom"])
    if any(p.last == last for p in people):
        what = "le prénom diffère"
    elif any(p.first == first for p in people):
        what = "le nom diffère"
    else:
        what = "le nom et le prénom diffèrent"
    declared = f"{member['prenom']} {member['nom_exercice']}"
    kind = str(key[-1])
    number = f"{kind.upper()} {member[kind]}"
    params = {"numero": number, "declare": declared, "ecart": what}
    return found(DIRECTORY_OTHER_PERSON, path, line, key, params)
