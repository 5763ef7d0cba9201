"""The catalogue as health professionals read it (issue 12): curator notes never published,
no key name nor curator remark in the visible text, no empty section, a protocol's later
changes and replacement shown, and the spreadsheet exports read back in their own dialect."""

from __future__ import annotations

import csv
import html
import io
import re
from pathlib import Path

import pytest

from coopps.register import Register
from coopps.site.spreadsheet import PROTOCOL_COLUMNS, TEAM_COLUMNS
from sitekit import REPO_ROOT, build_site, copy_register

# Curator jargon and raw keys a professional must never read (outside code samples).
JARGON = (
    "cadres_exercice",
    "modes_exercice",
    "date_depot",
    "à vérifier",
    "inférence",
    "non lue",
    "non lus",
    "non traduit",
    "historique: true",
    "Dossier historique",
    "(s)",
    "remplace_par",
    "mots_cles",
)
# « 1 barres », « 1 adhésions actives »: French takes the singular for 0 and 1.
FALSE_PLURAL = re.compile(
    r"(?<![\d,.])[01] (?:barres|protocoles|équipes|adhésions|déclarées|terminées|suspendues|autres)\b"
)
# Pages written for developers and curators (they name keys on purpose): the data model, the checks.
FOR_CURATORS = ("developpeurs/", "reference/")
TEXT_FILES = (".html", ".json", ".csv", ".xml", ".js", ".txt")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_register(tmp_path_factory.mktemp("registre"), with_git=True)
    return build_site(root, tmp_path_factory.mktemp("site"), strict=True)


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load(REPO_ROOT)


def visible_text(page: str) -> str:
    """The article's text as a reader sees it: no markup, no code sample, no script."""
    found = re.search(r"<article\b.*?</article>", page, re.S)
    text = found.group(0) if found else page
    text = re.sub(
        r"<(script|style|pre|code|textarea|template)\b.*?</\1>", " ", text, flags=re.S | re.I
    )
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)))


def public_pages(site: Path) -> dict[str, str]:
    pages = {
        p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")
    }
    return {name: text for name, text in pages.items() if not name.startswith(FOR_CURATORS)}


def article(site: Path, pid: str) -> str:
    return visible_text((site / "protocoles" / pid / "index.html").read_text(encoding="utf-8"))


def note_sentences(register: Register) -> list[tuple[str, str]]:
    """(protocol, sentence) of every curator note that says something no published field says."""
    out = []
    for pid, entry in register.protocols.items():
        note = entry.data.get("notes") if entry.valid else None
        if not isinstance(note, str):
            continue
        published = " ".join(str(v) for k, v in entry.data.items() if k != "notes")
        out += [
            (pid, s)
            for s in re.split(r"(?<=[.;:])\s+", note)
            if len(s) >= 30 and s not in published
        ]
    return out


def test_no_curator_note_of_any_shipped_protocol_is_in_any_built_file(
    site: Path, register: Register
) -> None:
    sentences = note_sentences(register)
    assert len(sentences) > 50  # the shipped register has notes: the test has something to find
    files = [p for p in site.rglob("*") if p.is_file() and p.suffix in TEXT_FILES]
    texts = [html.unescape(p.read_text(encoding="utf-8")) for p in files]
    for pid, sentence in sentences:
        assert not any(sentence in text for text in texts), (pid, sentence)


def test_no_curator_jargon_nor_raw_key_in_the_visible_text(site: Path) -> None:
    pages = public_pages(site)
    assert len(pages) > 80
    texts = {name: visible_text(page) for name, page in pages.items()}
    found = [(name, term) for name, text in texts.items() for term in JARGON if term in text]
    found += [
        (name, m.group(0)) for name, text in texts.items() for m in FALSE_PLURAL.finditer(text)
    ]
    assert found == []


def test_no_section_heading_without_content(site: Path) -> None:
    # A heading directly followed by one of the same or a higher level, or by the end of the page.
    empty = [
        re.compile(r"<h2\b[^>]*>(?:(?!</h2>).)*</h2>\s*(?=<h[12]\b|</article>)", re.S),
        re.compile(r"<h3\b[^>]*>(?:(?!</h3>).)*</h3>\s*(?=<h[123]\b|</article>)", re.S),
    ]
    found = [
        (name, m.group(0)[:80])
        for name, page in public_pages(site).items()
        for e in empty
        for m in e.finditer(page)
    ]
    assert found == []


def test_a_pharmacist_sees_the_cystitis_protocol_no_longer_includes_pharmacists(site: Path) -> None:
    page = article(site, "nat-pollakiurie-2023")
    changes = page.split("Modifications", 1)[1]
    assert "17/06/2024 — Arrêté du 17 juin 2024 modifiant le protocole de coopération" in changes
    assert "Les pharmaciens d'officine ne sont plus délégués de ce protocole" in changes
    assert "Délégués Infirmier " in page and "Informations pour les professionnels" in page
    raw = (site / "protocoles" / "nat-pollakiurie-2023" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'Ce protocole remplace <a href="\.\./nat-pollakiurie-2020/">Prise en charge de la pollakiurie',
        raw,
    )
    old = (site / "protocoles" / "nat-pollakiurie-2020" / "index.html").read_text(encoding="utf-8")
    assert re.search(
        r'remplacé</strong> par <a href="\.\./nat-pollakiurie-2023/">Prise en charge par le pharmacien',
        old,
    )


def test_unknown_facts_read_non_connu_and_provenance_is_one_sentence(site: Path) -> None:
    page = article(site, "26-0000000022")
    assert "Arrêté d'autorisation Date non connue Référence non connue Texte lien non connu" in page
    assert "Professions" not in page  # the file gives none: no empty heading
    assert (
        "Provenance Fiche reprise de l'historique des protocoles de coopération ; sources : Copies d'écran"
        in page
    )
    assert "oui :" not in page
    linked = (site / "protocoles" / "nat-pollakiurie-2020" / "index.html").read_text(
        encoding="utf-8"
    )
    source = r'sources : <a href="https://www\.legifrance\.gouv\.fr/[^"]+" rel="noopener">legifrance\.gouv\.fr</a> ;'
    assert re.search(source, linked)


def test_every_protocol_open_to_adhesion_keeps_its_declare_button(
    site: Path, register: Register
) -> None:
    for pid, entry in register.protocols.items():
        if (
            entry.valid
            and entry.data.get("statut") == "autorise"
            and entry.data.get("portee") == "national"
        ):
            assert "Déclarer une adhésion" in article(site, pid), pid


def read_spreadsheet(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM French Excel needs to read UTF-8
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_spreadsheet_exports_read_back_with_their_labels(
    site: Path, register: Register
) -> None:
    protocols = read_spreadsheet(site / "protocoles-tableur.csv")
    assert list(protocols[0]) == PROTOCOL_COLUMNS
    by_id = {row["identifiant"]: row for row in protocols}
    assert set(by_id) == {pid for pid, e in register.protocols.items() if e.valid}
    cystitis = by_id["nat-pollakiurie-2023"]
    assert (cystitis["statut"], cystitis["statut_libelle"]) == ("autorise", "Autorisé")
    assert (cystitis["professions_delegantes"], cystitis["professions_delegantes_libelle"]) == (
        "medecin",
        "Médecin",
    )
    assert (
        cystitis["date_arrete"] == "09/03/2023" and cystitis["remplace"] == "nat-pollakiurie-2020"
    )
    assert (
        "Île-de-France" in cystitis["regions_applicables_libelle"]
    )  # accents survive the BOM round trip
    teams = read_spreadsheet(site / "adhesions-tableur.csv")
    assert teams and list(teams[0]) == TEAM_COLUMNS
    assert all(
        row["statut_libelle"] and row["region_libelle"] and row["protocole_intitule"]
        for row in teams
    )
    assert {row["structure_libelle"] for row in teams} & {
        "Maison de santé pluriprofessionnelle",
        "Centre de santé",
    }


def test_the_spreadsheet_guard_and_decimal_comma(tmp_path: Path) -> None:
    from coopps.site.spreadsheet import to_spreadsheet_csv

    text = to_spreadsheet_csv([{"a": "=HYPERLINK(1)", "b": "Lyon;@x"}], ["a", "b"])
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[1] == ["'=HYPERLINK(1)", "Lyon;'@x"]
    from coopps.site.templating import number

    assert number(1.5) == "1,5" and number(3.0) == "3"


def test_the_open_data_page_documents_every_spreadsheet_column() -> None:
    page = (REPO_ROOT / "docs" / "donnees-ouvertes.md").read_text(encoding="utf-8")
    section = page.split("## Fichiers pour tableur", 1)[1]
    missing = [c for c in (*PROTOCOL_COLUMNS, *TEAM_COLUMNS) if f"`{c}`" not in section]
    assert missing == []
