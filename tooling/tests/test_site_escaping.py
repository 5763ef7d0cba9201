"""Escaping by construction: a hostile value in every published field of a protocol,
an adhesion and a yearly report is shown as text on every page of a real site build,
never as markup, never evaluated as a template, never as a `javascript:` link.

The values are valid for the schemas (an invalid file is not published at all, which
would make this test pass for nothing): the test first checks that they load as valid."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markupsafe import escape

from coopps.register import Register
from register_samples import ADHESION
from sitekit import build_site, copy_register

# Markup, an attribute break-out, Jinja syntax (evaluated, it would print 49 or fail), a script URL.
HOSTILE = '<script>alert(1)</script>" onmouseover="x(2)" {{ 7*7 }} {% raw %} javascript:x(3)'
BAD_URL = 'https://exemple.invalid/"onmouseover="alert(4)"><script>alert(5)</script>'
FIELDS = (
    "intitule",
    "arret",
    "promoteur",
    "specialite",
    "acte",
    "formation",
    "indicateur",
    "unite",
    "avis",
    "arrete",
    "motif",
    "document",
    "source",
    "informations",
    "modification",
    "equipe",
    "commune",
    "valeur",
)


# A published name (team, commune) holds only a name's characters (schema `nom_publie`): quotes,
# an ampersand and an apostrophe are what it can still carry into an attribute.
NAMES = ("equipe", "commune")
NAME_HOSTILE = '« x » "y" & l\'autre (z)'


def hostile(field: str) -> str:
    """The hostile text of one field, tagged so that each field can be found on the pages."""
    return f"piege-{field} {NAME_HOSTILE if field in NAMES else HOSTILE}"


def quoted(field: str) -> str:
    return '"' + hostile(field).replace("\\", "\\\\").replace('"', '\\"') + '"'


PROTOCOL = f"""# yaml-language-server: $schema=../schemas/protocole.schema.json
intitule: {quoted("intitule")}
portee: local
statut: autorise
region: "84"
date_depot: 2022-01-10
equipe_promotrice: msp-piegee
promoteurs: [{quoted("promoteur")}]
professions:
  delegants: [medecin]
  delegues: [infirmier]
specialites: [{quoted("specialite")}]
nature_actes: [suivi]
actes_derogatoires: [{quoted("acte")}]
formation:
  duree_heures: 12
  description: {quoted("formation")}
indicateurs:
  - cle: patients-pieges
    libelle: {quoted("indicateur")}
    type: entier
    unite: {quoted("unite")}
  - cle: commentaire-piege
    libelle: Commentaire libre
    type: texte
avis_has:
  date: 2022-03-01
  sens: favorable
  reference: {quoted("avis")}
arrete:
  date: 2022-06-01
  reference: {quoted("arrete")}
  url: '{BAD_URL}'
documents:
  - type: grille
    titre: {quoted("document")}
    url: '{BAD_URL}'
sources:
  - {quoted("source")}
  - "javascript:alert(6)"
  - '{BAD_URL}'
informations: {quoted("informations")}
modifications:
  - date: 2023-01-05
    reference: Arrêté du 5 janvier 2023
    resume: {quoted("modification")}
notes: {quoted("notes")}
"""
STOPPED = f"""# yaml-language-server: $schema=../schemas/protocole.schema.json
intitule: {quoted("arret")}
portee: national
statut: arrete
professions:
  delegants: [medecin]
  delegues: [infirmier]
nature_actes: [suivi]
arrete:
  date: 2020-03-06
arret:
  date: 2023-03-09
  motif: {quoted("motif")}
"""
ADHESION_PATH = "adhesions/84/loc-84-piege/msp-piegee.yml"
TEAM = re.sub(
    r"^  nom: .*\n  structure: msp\n  commune: .*$",
    f"  nom: {quoted('equipe')}\n  structure: msp\n  commune: {quoted('commune')}",
    ADHESION,
    count=1,
    flags=re.M,
)
REPORT = f"""# yaml-language-server: $schema=../../../schemas/suivi.schema.json
annee: 2024
eig_declares: 0
indicateurs:
  patients-pieges: 12
  commentaire-piege: {quoted("valeur")}
"""
FILES = {
    "protocols/loc-84-piege.yml": PROTOCOL,
    ADHESION_PATH: TEAM,
    "adhesions/84/loc-84-piege/msp-piegee.suivi-2024.yml": REPORT,
    "protocols/nat-piege-arrete.yml": STOPPED,
}
RAW = ("<script>alert", '" onmouseover="', 'href="javascript:', "piege-valeur")
# Where each field must be shown (escaped): the protocol page has them all.
SHOWN_ON = {
    "protocoles/loc-84-piege/index.html": [
        f for f in FIELDS if f not in ("valeur", "arret", "motif")
    ],  # texts are counted
    "protocoles/nat-piege-arrete/index.html": ["arret", "motif"],
    "regions/84/index.html": ["intitule", "equipe", "commune"],
    "journal/index.html": ["intitule", "equipe"],
    "protocoles/index.html": ["intitule"],
    "statuts/autorises/index.html": ["intitule"],
    "statuts/arretes/index.html": ["arret"],
    "tableaux-de-bord/national/index.html": ["intitule", "indicateur", "unite"],
    "tableaux-de-bord/84/index.html": ["intitule", "indicateur", "unite"],
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_register(tmp_path_factory.mktemp("registre"), FILES, with_git=True)
    entries = {e.path: e for e in Register.load(root, cache=False).entries}
    for path in FILES:
        assert entries[path].valid, [f.message for f in entries[path].findings]
    return build_site(root, tmp_path_factory.mktemp("site"), strict=True)


def read(path: Path) -> str:
    """A built page, its quote entities in one spelling (`&quot;` and `&#34;` are the same character)."""
    return path.read_text(encoding="utf-8").replace("&quot;", "&#34;").replace("&#x27;", "&#39;")


def pages(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): read(p) for p in site.rglob("*.html")}


def test_no_page_holds_the_hostile_markup(site: Path) -> None:
    for name, text in pages(site).items():
        for raw in RAW:
            assert raw not in text, (name, raw)
        assert 'alert(4)"><' not in text and not re.search(
            r"""href=["']?javascript:""", text, re.I
        ), name


def test_every_field_is_shown_escaped_where_it_is_published(site: Path) -> None:
    built = pages(site)
    for name, fields in SHOWN_ON.items():
        for field in fields:
            assert str(escape(hostile(field))) in built[name], (name, field)


def test_templates_syntax_in_data_is_text_not_template(site: Path) -> None:
    page = read(site / "protocoles" / "loc-84-piege" / "index.html")
    shown = len([f for f in SHOWN_ON["protocoles/loc-84-piege/index.html"] if f not in NAMES])
    assert page.count("{{ 7*7 }}") >= shown and page.count("{% raw %}") >= shown
    assert "x(2)&#34; 49" not in page


def test_urls_outside_the_allow_list_are_text_not_links(site: Path) -> None:
    page = read(site / "protocoles" / "loc-84-piege" / "index.html")
    hrefs = [html.unescape(h) for h in re.findall(r'href="([^"]*)"', page)]
    assert not [h for h in hrefs if "exemple.invalid" in h or h.lower().startswith("javascript")]
    assert f" ; {escape(BAD_URL)}." in page  # a source that is not a safe URL is shown as text
    assert " ; javascript:alert(6) ; " in page


def test_curator_notes_are_never_published(site: Path) -> None:
    for name, text in pages(site).items():
        assert "piege-notes" not in text, name


def test_titles_are_plain(site: Path) -> None:
    page = read(site / "protocoles" / "loc-84-piege" / "index.html")
    title = page.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and "{" not in title and "piege-intitule" in title
