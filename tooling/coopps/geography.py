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

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

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
        found = [self.departments[code]["region"] for code in departments if code in self.departments]
        return tuple(dict.fromkeys(found))

    def outside_region(self, postal_code: str) -> str | None:
        """What a postal code outside every region is (`Monaco`…), or None."""
        return self.outside.get(postal_code[:3])

    def department_name(self, code: str) -> str:
        return self.departments.get(code, {}).get("nom", code)


def load(schemas_folder: Path) -> Geography | None:
    """The referential of a register (None when the register has none: the rule then stays silent)."""
    path = schemas_folder / REFERENTIAL
    try:
        return _load(path, path.stat().st_mtime_ns)
    except OSError:
        return None


@lru_cache(maxsize=8)
def _load(path: Path, _mtime: int) -> Geography | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    shared = {code: tuple(deps) for code, deps in document.get("codes_postaux_partages", {}).items()
              if not code.startswith("$")}
    return Geography(document["departements"], document.get("codes_postaux_sans_region", {}), shared)
