"""Build tests of the catalogue: the shipped register builds strictly, every
protocol and region has its page, exports agree with the register, the feed
is well-formed Atom, and YAML text can never inject markup."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from coopps.register import Register
from coopps.schema import Schemas
from sitekit import REPO_ROOT, XSS_PROTOCOL, build_site, commit_all, copy_register

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Register]:
    """The repository's own register, built with --strict, as `mkdocs build` does it."""
    site = build_site(REPO_ROOT, tmp_path_factory.mktemp("site"), strict=True)
    return site, Register.load(REPO_ROOT)


def valid_protocols(register: Register) -> dict[str, dict]:
    return {pid: e.data for pid, e in register.protocols.items() if e.valid}


def test_every_protocol_and_region_has_its_page(shipped: tuple[Path, Register]) -> None:
    site, register = shipped
    for pid in valid_protocols(register):
        assert (site / "protocoles" / pid / "index.html").is_file(), pid
    for code in Schemas(REPO_ROOT).region_codes:
        assert (site / "regions" / code / "index.html").is_file(), code
    for page in (
        "index.html",
        "recherche/index.html",
        "journal/index.html",
        "statuts/autorises/index.html",
        "statuts/en-cours/index.html",
        "statuts/refuses/index.html",
        "statuts/arretes/index.html",
        "reference/controles/index.html",
        "donnees-ouvertes/index.html",
    ):
        assert (site / page).is_file(), page


def test_protocol_page_shows_french_labels(shipped: tuple[Path, Register]) -> None:
    site, register = shipped
    pid, data = next(iter(valid_protocols(register).items()))
    html = (site / "protocoles" / pid / "index.html").read_text(encoding="utf-8")
    labels = Schemas(REPO_ROOT).referentials["profession"]
    for code in data["professions"]["delegues"]:
        assert labels.label(code) in html


def test_exports_agree_with_the_register(shipped: tuple[Path, Register]) -> None:
    site, register = shipped
    protocols = valid_protocols(register)
    catalogue = json.loads((site / "catalogue.json").read_text(encoding="utf-8"))
    assert {p["identifiant"] for p in catalogue["protocoles"]} == set(protocols)
    for record in catalogue["protocoles"]:
        assert record["intitule"] == protocols[record["identifiant"]]["intitule"]
        assert record["statut"] == protocols[record["identifiant"]]["statut"]
    with (site / "protocoles.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert {r["identifiant"] for r in rows} == set(protocols)
    adhesions = {e.path for e in register.adhesions if e.valid}
    with (site / "adhesions.csv").open(encoding="utf-8") as stream:
        teams = list(csv.DictReader(stream))
    assert {
        f"adhesions/{t['region']}/{t['protocole']}/{t['equipe']}.yml" for t in teams
    } == adhesions
    index = json.loads((site / "recherche.json").read_text(encoding="utf-8"))
    assert len(index["protocoles"]) == len(protocols)


def test_schemas_are_published_at_their_id(shipped: tuple[Path, Register]) -> None:
    site, _ = shipped
    for path in (REPO_ROOT / "schemas").glob("*.schema.json"):
        schema_id = json.loads(path.read_text(encoding="utf-8"))["$id"]
        rel = schema_id.removeprefix("https://registre-coop-ps.github.io/registre/")
        assert json.loads((site / rel).read_text(encoding="utf-8"))["$id"] == schema_id


def test_feed_is_well_formed_atom(shipped: tuple[Path, Register]) -> None:
    site, _ = shipped
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for tag in ("title", "id", "updated"):
        assert feed.find(f"{ATOM}{tag}") is not None
    ids = [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    for entry in feed.iter(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}updated")


def test_yaml_text_cannot_inject_markup(tmp_path: Path) -> None:
    root = copy_register(tmp_path / "registre", {"protocols/nat-test-xss.yml": XSS_PROTOCOL})
    site = build_site(root, tmp_path / "site", strict=True)
    page = (site / "protocoles" / "nat-test-xss" / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page and "[clic](javascript:" in page
    for built in site.rglob("*.html"):
        text = built.read_text(encoding="utf-8")
        for bad in (
            "<script>window.__xss",
            "<img src=x",
            'href="javascript:',
            "<iframe",
            "<svg onload",
            "<b>gras",
        ):
            assert bad not in text, (built, bad)
    head = page.split("</head>")[0]
    assert "<script>" not in head.split("<title>")[1].split("</title>")[0]


def feed_ids(site: Path) -> list[str]:
    return [
        e.findtext(f"{ATOM}id") or ""
        for e in ET.parse(site / "feed.xml").getroot().iter(f"{ATOM}entry")
    ]


def test_feed_ids_are_stable_across_builds(tmp_path: Path) -> None:
    root = copy_register(tmp_path / "registre", with_git=True)
    before = feed_ids(build_site(root, tmp_path / "avant"))
    extra = root / "protocols" / "nat-test-xss.yml"
    extra.write_text(XSS_PROTOCOL, encoding="utf-8")
    commit_all(root, "Nouveau protocole")
    after = feed_ids(build_site(root, tmp_path / "apres"))
    new = [entry for entry in after if "protocols/nat-test-xss.yml" in entry]
    assert before and any(
        entry.endswith("/fiche-inscrite") for entry in new
    )  # its registration is an event
    assert set(after) - set(new) <= set(
        before
    )  # every other entry keeps its id (the feed is bounded: some leave)


def test_serve_watches_the_register(tmp_path: Path) -> None:
    from mkdocs.config import load_config

    config = load_config(str(REPO_ROOT / "mkdocs.yml"), site_dir=str(tmp_path))
    plugin = config.plugins["coopps"]
    plugin.on_config(config)
    watched: list[str] = []

    class Server:
        def watch(self, path: str) -> None:
            watched.append(path)

    plugin.on_serve(Server(), config=config, builder=None)
    assert {str(REPO_ROOT / "protocols"), str(REPO_ROOT / "adhesions")} <= set(watched)


def test_nav_folder_entries_list_their_pages(tmp_path: Path) -> None:
    from coopps.site.plugin import expand_folders

    (tmp_path / "guides").mkdir()
    (tmp_path / "guides" / "adherer.md").write_text("# Adhérer à un protocole\n", encoding="utf-8")
    (tmp_path / "guides" / "index.md").write_text("# Guides\n", encoding="utf-8")
    nav = [{"Accueil": "index.md"}, {"Guides": "guides/"}, {"Vide": "absent/"}]
    assert expand_folders(nav, tmp_path) == [
        {"Accueil": "index.md"},
        {
            "Guides": [
                {"Guides": "guides/index.md"},
                {"Adhérer à un protocole": "guides/adherer.md"},
            ]
        },
    ]


def test_pages_lose_template_indentation_but_code_blocks_keep_theirs():
    from coopps.site.plugin import squeeze_indentation

    html = '<div>\n    <p>texte</p>\n  <pre><code>membres:\n  - rpps: "1"\n</code></pre>\n\t<textarea>\n  a</textarea>'
    assert squeeze_indentation(html) == (
        '<div>\n<p>texte</p>\n<pre><code>membres:\n  - rpps: "1"\n</code></pre>\n<textarea>\n  a</textarea>'
    )


def test_team_lists_are_on_protocol_pages_but_not_in_the_search_index(
    shipped: tuple[Path, Register],
) -> None:
    site, register = shipped
    adhesion = next(e for e in register.adhesions if e.valid)
    team = adhesion.data["equipe"]["nom"]
    page = (site / "protocoles" / adhesion.where.protocol_id / "index.html").read_text(
        encoding="utf-8"
    )
    assert team in page and "coop:bloc-" not in page and "hors-recherche" not in page
    docs = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    indexed = "\n".join(f"{doc['title']}\n{doc['text']}" for doc in docs)
    assert team not in indexed
    assert register.protocols[adhesion.where.protocol_id].data["intitule"] in indexed


def test_the_theme_speaks_french(shipped: tuple[Path, Register]) -> None:
    site, _ = shipped
    missing = (site / "404.html").read_text(encoding="utf-8")
    assert "<h1>Page introuvable</h1>" in missing and "Not found" not in missing
    assert 'href="/registre/recherche/"' in missing  # error pages link from the site's root path
    for page in ("index.html", "recherche/index.html", "404.html"):
        html = (site / page).read_text(encoding="utf-8")
        assert "Made with" not in html and "Material for MkDocs" not in html, page


def test_the_search_index_holds_folded_lay_words_and_no_curator_note(
    shipped: tuple[Path, Register],
) -> None:
    site, register = shipped
    index = json.loads((site / "recherche.json").read_text(encoding="utf-8"))
    records = {r["id"]: r for r in index["protocoles"]}
    assert " cystite" in " " + records["nat-pollakiurie-2023"]["mots"]
    assert (
        " vaccin " in " " + records["11-0000000004"]["mots"] + " "
    )  # « vaccins » folded to the singular
    assert (
        records["nat-pollakiurie-2023"]["date"] == "2023-03-09"
        and records["nat-pollakiurie-2023"]["date_source"] == "arrete"
    )
    assert records["11-0000000004"]["facettes"]["particularite"] == ["etendu"]
    assert "généraliste" in index["facettes"]["specialite"]["valeurs"]
    raw = (site / "recherche.json").read_text(encoding="utf-8")
    for pid, entry in register.protocols.items():
        note = entry.data.get("notes")
        if isinstance(note, str) and len(note) > 40:
            assert note[:40] not in raw, pid
