"""Which region a postal code belongs to: `schemas/departements.json`.

The referential maps each département (INSEE's code officiel géographique,
Corsica 2A/2B, overseas 971-976) to its region, lists the postal prefixes that
belong to no region (Saint-Pierre-et-Miquelon, Monaco, the Pacific), and the
few postal codes known to serve communes of a neighbouring département.

A French postal code starts with its département: two digits in metropolitan
France (`20` for both Corsican départements), three overseas (`97x`). The
wizard, the issue form and the register rule ask the same questions here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .schema import Schemas

REFERENTIAL = "departements.json"
CORSICA = ("2A", "2B")


@dataclass(frozen=True)
class Geography:
    departments: dict[str, dict[str, str]]  # code → {"nom", "region"}
    outside: dict[str, str]  # postal prefix → what it is (no region)
    shared: dict[str, tuple[str, ...]]  # postal code → départements it serves

    def department_of(self, postal_code: str) -> str | None:
        """The département a postal code is filed under, or None (unknown prefix)."""
        if postal_code.startswith("20"):
            return "2A" if postal_code < "20200" else "2B"
        prefix = postal_code[:3] if postal_code.startswith("97") else postal_code[:2]
        return prefix if prefix in self.departments else None

    def regions_of(self, postal_code: str) -> tuple[str, ...]:
        """The regions a postal code may belong to: one, several for a shared code, none if unknown."""
        departments = self.shared.get(postal_code) or (self.department_of(postal_code),)
        found = [
            self.departments[code]["region"] for code in departments if code in self.departments
        ]
        return tuple(dict.fromkeys(found))

    def outside_region(self, postal_code: str) -> str | None:
        """What a postal code outside every region is (`Monaco`…), or None."""
        return self.outside.get(postal_code[:3])

    def department_name(self, code: str) -> str:
        return self.departments.get(code, {}).get("nom", code)


def load(schemas: Schemas) -> Geography | None:
    """The register's table (None when the rule book has none, or an unreadable one: the rule then stays silent)."""
    document = schemas.tables.get("departements")
    if not isinstance(document, dict) or not isinstance(document.get("departements"), dict):
        return None
    return _parsed(schemas.fingerprint, document)


_PARSED: dict[str, Geography] = {}


def _parsed(fingerprint: str, document: dict[str, Any]) -> Geography:
    if fingerprint not in _PARSED:
        shared = {
            code: tuple(deps)
            for code, deps in (document.get("codes_postaux_partages") or {}).items()
            if not code.startswith("$")
        }
        _PARSED[fingerprint] = Geography(
            document["departements"], document.get("codes_postaux_sans_region") or {}, shared
        )
    return _PARSED[fingerprint]
