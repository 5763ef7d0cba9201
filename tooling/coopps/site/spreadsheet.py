"""The open data as French spreadsheets open it: `protocoles-tableur.csv` and `adhesions-tableur.csv`.

French Excel and LibreOffice read a CSV as Windows-1252 unless it starts with a byte
order mark, split it on `;` and read `1,5` as a number: so these files are UTF-8 with
a BOM, `;`-separated, numbers with a decimal comma and dates as JJ/MM/AAAA. Each code
has its French label in the next column (`statut`, `statut_libelle`); several values in
one cell are separated by « , ». Every cell goes through the one CSV guard, `csvsafe`.
The open-data CSV files (`export.py`) stay as they are, for programs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..csvsafe import write_csv
from ..wording import french_date
from .export import deduced_fields
from .model import Catalogue, Protocol, Team
from .templating import number

DELIMITER = ";"
IN_CELL = ", "
PROTOCOLS = "protocoles-tableur.csv"
TEAMS = "adhesions-tableur.csv"


class Row:
    """One row being written: codes beside their labels, French dates and numbers."""

    def __init__(self, cat: Catalogue) -> None:
        self.cat = cat
        self.cells: dict[str, Any] = {}

    def text(self, column: str, value: Any) -> Row:
        self.cells[column] = "" if value is None else value
        return self

    def coded(self, column: str, referential: str, codes: Any) -> Row:
        """`column` holds the code(s), `column_libelle` their French labels."""
        values = (
            [str(c) for c in codes]
            if isinstance(codes, list | tuple)
            else ([str(codes)] if codes else [])
        )
        self.cells[column] = IN_CELL.join(values)
        self.cells[f"{column}_libelle"] = IN_CELL.join(
            self.cat.label(referential, c) for c in values
        )
        return self

    def date(self, column: str, value: Any) -> Row:
        self.cells[column] = french_date(value)
        return self

    def count(self, column: str, value: float) -> Row:
        self.cells[column] = number(value)
        return self


def protocol_row(cat: Catalogue, p: Protocol, page: str) -> dict[str, Any]:
    prof, avis, arrete = p.sub("professions"), p.sub("avis_has"), p.sub("arrete")
    row = (
        Row(cat)
        .text("identifiant", p.id)
        .text("intitule", p.intitule)
        .coded("portee", "portee", p.portee)
        .coded("statut", "statut_protocole", p.statut)
        .coded("region", "region", p.get("region"))
        .date("date_depot", p.get("date_depot"))
        .coded("professions_delegantes", "profession", prof.get("delegants", []))
        .coded("professions_deleguees", "profession", prof.get("delegues", []))
        .text("specialites", IN_CELL.join(str(s) for s in p.items("specialites")))
        .coded("nature_actes", "nature_acte", p.items("nature_actes"))
        .date("date_avis_has", avis.get("date"))
        .coded("sens_avis_has", "sens_avis", avis.get("sens"))
        .date("date_arrete", arrete.get("date"))
        .text("reference_arrete", arrete.get("reference"))
        .date("date_journal_officiel", arrete.get("journal_officiel"))
        .text("url_arrete", arrete.get("url"))
        .date("date_arret", p.sub("arret").get("date"))
        .text("faits_deduits", IN_CELL.join(deduced_fields(p)))
        .text("remplace", p.get("remplace"))
        .text("remplace_par", p.get("remplace_par"))
        .text("applicable", "oui" if p.applicable else "non")
        .text("raison", p.verdict.sentence)
        .text("remplacant", p.verdict.successor)
        .coded("regions_applicables", "region", list(p.verdict.regions))
        .count("equipes_actives", len(p.active_teams))
        .text("exemple", "oui" if p.example else "")
        .date("dernier_evenement", p.last_event)
        .text("page", page)
    )
    return row.cells


def team_row(cat: Catalogue, t: Team) -> dict[str, Any]:
    protocol = cat.protocols.get(t.protocol_id)
    row = (
        Row(cat)
        .coded("region", "region", t.region)
        .text("protocole", t.protocol_id)
        .text("protocole_intitule", protocol.intitule if protocol else "")
        .text("equipe", t.team_id)
        .text("nom_equipe", t.nom)
        .coded("structure", "cadre_exercice", t.structure)
        .text("commune", t.commune)
        .count("nombre_delegants", t.delegants)
        .count("nombre_delegues", t.delegues)
        .text("statut", t.status)
        .text("statut_libelle", t.status_label)
        .date("depuis", t.since)
        .date("date_declaration", t.declared)
        .date("instruite_le", t.instructed)
        .text("reprise", t.reprise)
        .date("dernier_evenement", t.last_event)
        .text("exemple", "oui" if t.example else "")
    )
    return row.cells


def to_spreadsheet_csv(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    """The rows as a French spreadsheet reads them: BOM, `;`, CRLF, every cell guarded."""
    return write_csv(
        columns,
        ([row.get(column) for column in columns] for row in rows),
        delimiter=DELIMITER,
        line_end="\r\n",
        bom=True,
    )


def spreadsheet_files(cat: Catalogue, urls: dict[str, str]) -> dict[str, str]:
    """{site path: text} of both spreadsheet exports."""
    protocols = [protocol_row(cat, p, urls[p.id]) for p in cat.sorted_protocols]
    teams = [team_row(cat, t) for t in cat.teams]
    return {
        PROTOCOLS: to_spreadsheet_csv(protocols, PROTOCOL_COLUMNS),
        TEAMS: to_spreadsheet_csv(teams, TEAM_COLUMNS),
    }


PROTOCOL_COLUMNS = [
    "identifiant",
    "intitule",
    "portee",
    "portee_libelle",
    "statut",
    "statut_libelle",
    "region",
    "region_libelle",
    "date_depot",
    "professions_delegantes",
    "professions_delegantes_libelle",
    "professions_deleguees",
    "professions_deleguees_libelle",
    "specialites",
    "nature_actes",
    "nature_actes_libelle",
    "date_avis_has",
    "sens_avis_has",
    "sens_avis_has_libelle",
    "date_arrete",
    "date_journal_officiel",
    "reference_arrete",
    "url_arrete",
    "date_arret",
    "faits_deduits",
    "remplace",
    "remplace_par",
    "applicable",
    "raison",
    "remplacant",
    "regions_applicables",
    "regions_applicables_libelle",
    "equipes_actives",
    "exemple",
    "dernier_evenement",
    "page",
]
TEAM_COLUMNS = [
    "region",
    "region_libelle",
    "protocole",
    "protocole_intitule",
    "equipe",
    "nom_equipe",
    "structure",
    "structure_libelle",
    "commune",
    "nombre_delegants",
    "nombre_delegues",
    "statut",
    "statut_libelle",
    "depuis",
    "date_declaration",
    "instruite_le",
    "reprise",
    "dernier_evenement",
    "exemple",
]
