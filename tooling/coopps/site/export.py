"""Open data of the catalogue: JSON, CSV, the Atom feed and the published schemas.

Everything here is built from the public `Catalogue` (allow-listed fields):
no RPPS, ADELI, member name, training body or document digest exists in it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from ..csvsafe import write_csv
from ..gitops.journal import FEED_ENTRIES
from ..textguards import xml_safe
from ..wording import french_date
from .model import Catalogue, JournalItem, Protocol, Team

ATOM = "http://www.w3.org/2005/Atom"
SEP = ";"
PROTOCOL_COLUMNS = [
    "identifiant",
    "intitule",
    "portee",
    "statut",
    "region",
    "date_depot",
    "professions_delegantes",
    "professions_deleguees",
    "specialites",
    "nature_actes",
    "date_avis_has",
    "sens_avis_has",
    "date_arrete",
    "date_journal_officiel",
    "reference_arrete",
    "url_arrete",
    "date_arret",
    "faits_deduits",
    "applicable",
    "raison",
    "remplacant",
    "regions_applicables",
    "equipes_actives",
    "exemple",
    "dernier_evenement",
    "page",
]
TEAM_COLUMNS = [
    "region",
    "protocole",
    "equipe",
    "nom_equipe",
    "structure",
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


def _joined(values: Any) -> str:
    return SEP.join(str(v) for v in values) if isinstance(values, list | tuple) else ""


def protocol_row(p: Protocol, page: str) -> dict[str, Any]:
    prof, avis, arrete = p.sub("professions"), p.sub("avis_has"), p.sub("arrete")
    return {
        "identifiant": p.id,
        "intitule": p.intitule,
        "portee": p.portee,
        "statut": p.statut,
        "region": p.get("region") or "",
        "date_depot": p.get("date_depot") or "",
        "professions_delegantes": _joined(prof.get("delegants")),
        "professions_deleguees": _joined(prof.get("delegues")),
        "specialites": _joined(p.items("specialites")),
        "nature_actes": _joined(p.items("nature_actes")),
        "date_avis_has": avis.get("date", ""),
        "sens_avis_has": avis.get("sens", ""),
        "date_arrete": arrete.get("date", ""),
        "reference_arrete": arrete.get("reference", ""),
        "url_arrete": arrete.get("url", ""),
        "date_arret": p.sub("arret").get("date", ""),
        "date_journal_officiel": arrete.get("journal_officiel", ""),
        "faits_deduits": _joined(deduced_fields(p)),
        "applicable": "oui" if p.applicable else "non",
        "raison": p.verdict.reason,
        "remplacant": p.verdict.successor or "",
        "regions_applicables": _joined(p.verdict.regions),
        "equipes_actives": len(p.active_teams),
        "exemple": "oui" if p.example else "",
        "dernier_evenement": p.last_event or "",
        "page": page,
    }


def deduced_fields(p: Protocol) -> list[str]:
    """The fields of `p` that no source states word for word (`deduit`)."""
    return [str(entry.get("champ")) for entry in p.items("deduit") if isinstance(entry, dict)]


def team_row(t: Team) -> dict[str, Any]:
    return {
        "region": t.region,
        "protocole": t.protocol_id,
        "equipe": t.team_id,
        "nom_equipe": t.nom,
        "structure": t.structure,
        "commune": t.commune,
        "nombre_delegants": t.delegants,
        "nombre_delegues": t.delegues,
        "statut": t.status,
        "statut_libelle": t.status_label,
        "depuis": t.since or "",
        "date_declaration": t.declared or "",
        "instruite_le": t.instructed or "",
        "reprise": t.reprise or "",
        "dernier_evenement": t.last_event or "",
        "exemple": "oui" if t.example else "",
    }


def to_csv(columns: list[str], rows: list[dict[str, Any]]) -> str:
    return write_csv(columns, ([row.get(column) for column in columns] for row in rows))


def protocols_csv(cat: Catalogue, urls: dict[str, str]) -> str:
    return to_csv(PROTOCOL_COLUMNS, [protocol_row(p, urls[p.id]) for p in cat.sorted_protocols])


def teams_csv(cat: Catalogue) -> str:
    return to_csv(TEAM_COLUMNS, [team_row(t) for t in cat.teams])


def catalogue_json(cat: Catalogue, urls: dict[str, str], schema_urls: list[str]) -> str:
    protocols = [
        {
            "identifiant": p.id,
            "page": urls[p.id],
            **p.fields,
            "applicable": p.applicable,
            "raison": p.verdict.reason,
            "remplacant": p.verdict.successor,
            "regions_applicables": list(p.verdict.regions),
            "equipes_actives": len(p.active_teams),
        }
        for p in cat.sorted_protocols
    ]
    document = {
        "schemas": schema_urls,
        "protocoles": protocols,
        "adhesions": [team_row(t) for t in cat.teams],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"


def schema_files(schemas_dir: Path, site_url: str) -> dict[str, str]:
    """{site path: text} of each JSON Schema, at the path its `$id` names under the site."""
    out = {}
    for path in sorted(schemas_dir.glob("*.schema.json")):
        text = path.read_text(encoding="utf-8")
        schema_id = str(json.loads(text).get("$id", ""))
        rel = (
            schema_id[len(site_url) :]
            if site_url and schema_id.startswith(site_url)
            else f"schemas/{path.name}"
        )
        out[rel.lstrip("/")] = text
    return out


def atom_feed(
    cat: Catalogue, site_url: str, title_of: dict[str, str], url_of: dict[str, str]
) -> str:
    """The journal's newest FEED_ENTRIES events as an Atom 1.0 feed, each dated by the event itself.
    Entry ids depend only on the event (commit or date, path, kind): they never change."""
    ET.register_namespace("", ATOM)
    base = site_url or "https://example.invalid/"
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "fr"})
    _text(feed, "title", "Journal du registre des protocoles de coopération")
    _text(feed, "id", base + "feed.xml")
    _text(feed, "updated", _stamp(cat.journal[0].date) if cat.journal else "1970-01-01T00:00:00Z")
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": base + "feed.xml"})
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "alternate", "href": base + "journal/"})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Registre coop-ps")
    host = urlsplit(base).hostname or "example.invalid"
    for item in cat.journal[:FEED_ENTRIES]:
        _entry(feed, item, host, base, title_of, url_of)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode") + "\n"


def _entry(
    feed: ET.Element,
    item: JournalItem,
    host: str,
    base: str,
    title_of: dict[str, str],
    url_of: dict[str, str],
) -> None:
    entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
    subject = title_of.get(item.path) or item.path
    _text(entry, "title", f"{subject} — {item.detail}")
    _text(
        entry,
        "id",
        f"tag:{host},2024:{item.key.rsplit('/', 1)[0]}/{re.sub(r'[^a-z0-9_-]', '-', item.kind.lower())}",
    )
    _text(entry, "updated", _stamp(item.date))
    ET.SubElement(
        entry,
        f"{{{ATOM}}}link",
        {"rel": "alternate", "href": base + url_of.get(item.path, "journal/")},
    )
    pr = f" Pull request n° {item.pr}." if item.pr else ""
    _text(entry, "summary", f"{item.detail}, le {french_date(item.date)} : {subject}.{pr}")


def _text(parent: ET.Element, name: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{name}").text = xml_safe(text)


def _stamp(date: str) -> str:
    """RFC 3339 as Atom wants it: a bare date becomes midnight UTC."""
    return f"{date}T00:00:00Z" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else date
