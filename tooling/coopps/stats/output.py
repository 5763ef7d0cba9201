"""`coop chiffres` output: text for people, JSON for programs, CSV for spreadsheets."""

from __future__ import annotations

from typing import IO, Any

from .facts import DEADLINE, Facts, Scope
from .figures import Table, _cell

# --- output -----------------------------------------------------------------------------------------------


def scope_title(facts: Facts, scope: Scope) -> str:
    parts = []
    if scope.region:
        parts.append(f"{facts.region_labels.get(scope.region, scope.region)} ({scope.region})")
    if scope.protocol:
        parts.append(f"protocole « {facts.protocol_titles.get(scope.protocol, scope.protocol)} »")
    return ", ".join(parts) or "France entière"


def write_text(tables: dict[str, Table], heading: str, out: IO[str]) -> None:
    out.write(f"{heading}\n")
    for table in tables.values():
        out.write(f"\n{table.title} [{table.name}]\n")
        if not table.rows:
            out.write("  (aucune donnée)\n")
            continue
        cells = [list(table.columns), *[[_short(_cell(v)) for v in row] for row in table.rows]]
        widths = [max(len(row[i]) for row in cells) for i in range(len(table.columns))]
        for row in cells:
            out.write(
                "  "
                + "  ".join(
                    value.ljust(width) for value, width in zip(row, widths, strict=True)
                ).rstrip()
                + "\n"
            )


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_json(tables: dict[str, Table], facts: Facts, scope: Scope) -> dict[str, Any]:
    return {
        "date": facts.today,
        "perimetre": {
            "region": scope.region,
            "protocole": scope.protocol,
            "libelle": scope_title(facts, scope),
        },
        "echeance_rapport": f"le {DEADLINE[3:]}/{DEADLINE[:2]} de l'année suivante",
        "tableaux": {
            name: {"titre": t.title, "colonnes": list(t.columns), "lignes": t.records()}
            for name, t in tables.items()
        },
    }


def write_csv(tables: dict[str, Table], out: IO[str]) -> None:
    """One table: exactly its CSV file. Several: each preceded by a `# tableau: <name>` line."""
    if len(tables) == 1:
        out.write(next(iter(tables.values())).csv())
        return
    out.write("\n".join(f"# tableau: {name}\n{table.csv()}" for name, table in tables.items()))
