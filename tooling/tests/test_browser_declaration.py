"""« Déclarer une adhésion » in a real browser (Debian chromium driven by Playwright for Python).

A declaration is typed from an empty page as a person would; the fingerprints shown must be
`hashlib.sha256` of the files picked, the downloaded file must pass `coop verifier` and
`coop formater --verifier`, and the prefilled issue form must give the same file through
`coop depuis-issue`. The scripted 4-member declaration prints its fields and clicks (the
measure of docs/developpeurs/declaration-navigateur.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
import yaml
from click.testing import CliRunner

from coopps.authoring.declaration import suggest_slug
from coopps.cli import main
from coopps.rules.identifiers import luhn_complete, luhn_valid
from sitekit import CHROMIUM, REPO_ROOT, build_site, copy_register, serving, watched_page

playwright_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Debian chromium is not installed (apt-get install chromium)"
)
AXE = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
ISSUE_FORM = yaml.safe_load(
    (REPO_ROOT / ".github" / "ISSUE_TEMPLATE" / "declarer-adhesion.yml").read_text(encoding="utf-8")
)
PROTOCOL = "nat-varicelle-enfant"  # national; MSP or centre de santé; délégués infirmier or pharmacien; 10 h


def rpps(seed: int) -> str:
    return luhn_complete(f"1{seed:09d}")


# Two délégants, two délégués, one of them salaried: the declaration the measure scripts.
TEAM = [
    {
        "prenom": "Camille",
        "nom": "Exemple",
        "role": "delegant",
        "profession": "medecin",
        "mode": "liberal",
        "numero": rpps(101),
    },
    {
        "prenom": "Sacha",
        "nom": "D'Arc-Fictif",
        "role": "delegant",
        "profession": "medecin",
        "mode": "liberal",
        "numero": rpps(102),
    },
    {
        "prenom": "Dominique",
        "nom": "Imaginaire",
        "role": "delegue",
        "profession": "infirmier",
        "mode": "liberal",
        "numero": rpps(103),
        "formation": ("2024-03-15", "IFSI de Valence : session 2", "10"),
    },
    {
        "prenom": "Alix",
        "nom": "Inventée",
        "role": "delegue",
        "profession": "pharmacien",
        "mode": "salarie_prive",
        "numero": rpps(104),
        "formation": ("2024-04-02", "Organisme de formation fictif", "12.5"),
    },
]


class Counted:
    """The page, with every field filled and every click counted (the measure)."""

    def __init__(self, page: Any) -> None:
        self.page, self.fields, self.clicks, self.files, self.typed, self.selects = (
            page,
            0,
            0,
            0,
            0,
            0,
        )

    def fill(self, selector: str, value: str) -> None:
        self.page.fill(selector, value)
        self.fields += 1
        self.typed += len(value)

    def select(self, selector: str, value: str) -> None:
        self.page.select_option(selector, value)
        self.fields += 1
        self.selects += 1

    def click(self, selector: str) -> None:
        self.page.click(selector)
        self.clicks += 1

    def pick_file(self, selector: str, path: Path) -> None:
        self.page.set_input_files(selector, str(path))
        self.clicks += 1  # the « Choisir un fichier » button
        self.files += 1  # and one choice in the file dialog


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_register(tmp_path_factory.mktemp("registre"))
    return build_site(root, tmp_path_factory.mktemp("site"), strict=True)


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serving(site) as url:
        yield url


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    with watched_page(browser, base_url, accept_downloads=True) as page:
        yield page


@pytest.fixture
def pieces(tmp_path: Path) -> list[Path]:
    """Real files of different sizes and contents, as a team would pick them."""
    folder = tmp_path / "pieces"
    folder.mkdir()
    files = []
    for number in range(16):
        path = folder / f"piece-{number:02d}.pdf"
        path.write_bytes(
            b"%PDF-1.4\n" + bytes(range(256)) * (number * 37 + 1) + f"piece {number}\n".encode()
        )
        files.append(path)
    return files


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_function("window.coopDeclaration && window.coopDeclaration.ready")


def fill_member(c: Counted, uid: int, member: dict[str, Any]) -> None:
    prefix = f"#d-m{uid}-"
    c.fill(prefix + "prenom", member["prenom"])
    c.fill(prefix + "nom", member["nom"])
    if c.page.input_value(prefix + "role") != member["role"]:
        c.select(prefix + "role", member["role"])
    if c.page.input_value(prefix + "profession") != member["profession"]:
        c.select(prefix + "profession", member["profession"])
    c.select(prefix + "mode", member["mode"])
    c.fill(prefix + "numero", member["numero"])
    if "formation" in member:
        date, body, hours = member["formation"]
        c.fill(prefix + "formation-date", date)
        c.fill(prefix + "formation-organisme", body)
        c.fill(prefix + "formation-heures", hours)


def fill_team(c: Counted, name: str, structure: str, commune: str, postal_code: str) -> None:
    """Region 84, the tested protocol, and the team's identity."""
    c.select("#d-region", "84")
    c.select("#d-protocole", PROTOCOL)
    c.fill("#d-nom", name)
    c.select("#d-structure", structure)
    c.fill("#d-commune", commune)
    c.fill("#d-code-postal", postal_code)


def declare(
    c: Counted, files: list[Path], team: list[dict[str, Any]], skip: tuple[str, ...] = ()
) -> None:
    """From an empty page to a complete declaration; `skip` lists piece inputs left empty."""
    fill_team(c, "MSP des Tilleuls : « pôle enfants » (exemple fictif)", "msp", "Valence", "26000")
    for uid, member in enumerate(team, start=1):
        if uid > 2:  # the page opens with one délégant and one délégué
            c.click("#d-ajouter")
        fill_member(c, uid, member)
    inputs = c.page.locator("#d-pieces input[type=file]")
    ids = [inputs.nth(i).get_attribute("id") for i in range(inputs.count())]
    for number, input_id in enumerate(ids):
        if input_id not in skip:
            c.pick_file("#" + input_id, files[number])
    c.page.wait_for_function(
        f"document.querySelectorAll('#d-pieces code').length === {len(ids) - len(skip)}"
    )


def coop(root: Path, *args: str) -> Any:
    with contextlib.chdir(root):
        return CliRunner().invoke(main, [*args, "--racine", str(root)], catch_exceptions=False)


def download(page: Any, root: Path) -> tuple[str, str]:
    """The file the page offers, saved where it says it belongs: (path, text)."""
    path = page.text_content("#d-chemin")
    with page.expect_download() as info:
        page.click("#d-telecharger")
    target = root / path
    target.parent.mkdir(parents=True, exist_ok=True)
    info.value.save_as(str(target))
    return path, target.read_text(encoding="utf-8")


def issue_body(url: str, pasted: dict[str, str] | None = None) -> tuple[dict[str, str], str]:
    """The issue GitHub would create from the prefilled form: `### Label` then the answer."""
    params = dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))
    params.update(pasted or {})
    sections = []
    for item in ISSUE_FORM["body"]:
        if "id" in item and item["type"] != "checkboxes":
            sections.append(
                f"### {item['attributes']['label']}\n\n{params.get(item['id']) or '_No response_'}"
            )
    sections.append("### Engagements\n\n- [X] accord\n- [X] aucune coordonnée")
    return params, "\n\n".join(sections) + "\n"


@pytest.fixture
def register(scratch_register: Any) -> Path:
    return scratch_register({}, with_shipped_protocols=True)


def test_a_four_member_declaration_from_empty_page_to_prefilled_issue(
    page: Any, base_url: str, pieces: list[Path], register: Path
) -> None:
    open_page(page, base_url + "declarer/")
    c = Counted(page)
    declare(c, pieces, TEAM)
    shown = page.locator("#d-pieces li").all_inner_texts()
    assert len(shown) == 2 + 2 + 2 + 3 + 4
    for text, path in zip(shown, pieces, strict=False):
        assert hashlib.sha256(path.read_bytes()).hexdigest() in text and path.name in text
    assert (
        page.inner_text("#d-constats .coop-constats-resume")
        == "Tout est prêt : la déclaration est complète."
    )
    url = page.get_attribute("#d-issue", "href")
    c.clicks += 1  # the last click, on « Ouvrir la demande préremplie » (GitHub is not reached from the test)
    print(
        f"\nMESURE déclaration de 4 membres : {c.fields} champs remplis ou choisis ({c.selects} listes, "
        f"{c.fields - c.selects} saisies, {c.typed} caractères tapés), {c.clicks} clics (dont {c.files} choix de "
        f"fichier), lien prérempli de {len(url)} caractères"
    )

    path, text = download(page, register)
    assert path == f"adhesions/84/{PROTOCOL}/msp-des-tilleuls-pole-enfants-exemple-fictif.yml"
    validation = coop(register, "verifier", "--format", "json", path)
    assert validation.exit_code == 0 and json.loads(validation.output)["findings"] == [], (
        validation.output
    )
    assert coop(register, "formater", "--verifier", path).exit_code == 0, text

    params, body = issue_body(url)
    assert url.startswith("https://github.com/registre-coop-ps/registre/issues/new?")
    assert (
        params["template"] == "declarer-adhesion.yml"
        and params["region"] == "84 — Auvergne-Rhône-Alpes"
    )
    with contextlib.chdir(register):
        result = CliRunner().invoke(
            main,
            ["depuis-issue", "-", "--sortie-standard", "--racine", str(register)],
            input=body,
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    assert result.output == text


def test_a_missing_piece_is_the_finding_the_validator_gives(
    page: Any, base_url: str, pieces: list[Path], register: Path
) -> None:
    open_page(page, base_url + "declarer/")
    declare(Counted(page), pieces, TEAM[:3], skip=("d-piece-piece_identite-3",))
    assert "1 élément reste à compléter" in page.inner_text("#d-constats")
    page.click(
        "#d-tout-verifier"
    )  # the piece's field is not touched yet: its message waits for this
    shown = page.locator('#d-constats li[data-code="piece-manquante"]').all_inner_texts()
    assert shown == ["Ajoutez la pièce d'identité de Dominique Imaginaire."]
    assert page.inner_text("#d-piece-piece_identite-3-erreur") == shown[0]
    path, _ = download(page, register)
    report = json.loads(coop(register, "verifier", "--format", "json", path).output)["findings"]
    assert [f["code"] for f in report] == ["piece-manquante"]
    assert (
        "Dominique Imaginaire" in report[0]["message"]
        and "Pièce d'identité" in report[0]["message"]
    )


def test_invalid_rpps_and_forbidden_characters_block_the_request(page: Any, base_url: str) -> None:
    open_page(page, base_url + "declarer/")
    page.fill("#d-m1-prenom", "Camille")
    page.fill("#d-m1-nom", "Exemple")
    page.fill("#d-m1-numero", rpps(101)[:-1] + str((int(rpps(101)[-1]) + 1) % 10))
    page.fill("#d-commune", "Valence <b>")
    page.press("#d-commune", "Tab")
    codes = page.locator("#d-constats li").evaluate_all("items => items.map(i => i.dataset.code)")
    assert "rpps-cle-invalide" in codes and "caracteres" in codes
    assert page.is_hidden("#d-envoi")


def test_browser_rules_equal_python_ones(page: Any, base_url: str) -> None:
    open_page(page, base_url + "declarer/")
    numbers = [f"{n:011d}" for n in range(10000000000, 10000000400, 7)]
    assert page.evaluate("ns => ns.map(n => window.coopDeclaration.luhnValid(n))", numbers) == [
        luhn_valid(n) for n in numbers
    ]
    names = [
        "MSP des Tilleuls",
        "Centre de santé « L'Île » — Nord",
        "  Équipe   œil & cœur  ",
        "EHPAD 2000",
        "Ça_va d'accord",
    ]
    assert page.evaluate("ns => ns.map(n => window.coopDeclaration.suggestSlug(n))", names) == [
        suggest_slug(n) for n in names
    ]


TRICKY = [
    "O'Neil",
    "Jean: Paul",
    "a #b",
    "a#b",
    "#x",
    "-x",
    "- x",
    "? x",
    "?x",
    ":x",
    "x:",
    "@x",
    "%x",
    "!x",
    "&x",
    "*x",
    "[x",
    "x, y",
    '"x"',
    "'x",
    "No",
    "yes",
    "2024",
    "01",
    "1.5",
    "2024-01-02",
    "---",
    "...",
    "Élise",
    "Centre (CESU)",
    "x [y]",
    "a:b",
    "~",
    "null",
    "Ab\\Cd",
    "Jean: d'Arc",
    "12:30",
    "0x1F",
    "1_000",
    ".inf",
    "é’",
    "x{y}",
]


def test_yaml_quoting_is_the_one_coop_fmt_writes(
    page: Any, base_url: str, scratch_register: Any
) -> None:
    from coopps.authoring.fmt import format_data
    from coopps.schema import Schemas

    open_page(page, base_url + "declarer/")
    written = page.evaluate(
        "ts => ts.map(t => window.coopDeclaration.yamlScalar(t, false))", TRICKY
    )
    schemas = Schemas(REPO_ROOT)
    for text, browser_form in zip(TRICKY, written, strict=True):
        data = {
            "equipe": {"nom": text, "structure": "msp", "commune": "x", "code_postal": "26000"},
            "date_declaration": "2024-01-02",
            "membres": [],
            "pieces": [],
        }
        canonical = format_data("adhesion", data, schemas).splitlines()[2]
        assert canonical == f"  nom: {browser_form}", text


def test_protocol_page_button_preselects_region_and_protocol(page: Any, base_url: str) -> None:
    page.goto(base_url + "protocoles/reg-75-asalee/")
    page.click(".coop-declarer a")
    page.wait_for_function("window.coopDeclaration && window.coopDeclaration.ready")
    assert (
        page.input_value("#d-region") == "75"
        and page.input_value("#d-protocole") == "reg-75-asalee"
    )
    assert (
        page.input_value("#d-structure") == "cabinet_liberal"
    )  # the one structure the protocol admits
    page.goto(base_url + f"protocoles/{PROTOCOL}/")
    page.click(".coop-declarer a")
    page.wait_for_function("window.coopDeclaration && window.coopDeclaration.ready")
    page.select_option("#d-region", "53")
    assert page.input_value("#d-protocole") == PROTOCOL  # national: kept whatever the region


FILL_MEMBERS = """team => team.forEach((m, index) => {
  if (index >= 2) { document.getElementById("d-ajouter").click(); }
  const el = document.getElementById("d-membres").children[index];
  const set = (name, value, event) => { const f = el.querySelector(`[data-champ="${name}"]`); f.value = value;
                                         f.dispatchEvent(new Event(event, {bubbles: true})); };
  set("role", m.role, "change");
  ["prenom", "nom", "numero"].forEach(name => { el.querySelector(`[data-champ="${name}"]`).value = m[name]; });
  set("profession", m.profession, "change");
  set("mode", m.mode, "change");
})"""


def test_a_team_too_large_for_a_url_gets_copy_and_paste(
    page: Any, base_url: str, pieces: list[Path], register: Path
) -> None:
    open_page(page, base_url + "declarer/")
    team = [
        TEAM[0]
        | {
            "prenom": f"Prénom{n}",
            "nom": "Nom d'exercice long " + "x" * 75,
            "numero": rpps(200 + n),
        }
        for n in range(55)
    ]
    team.insert(1, TEAM[2])
    fill_team(Counted(page), "Grande équipe", "centre_sante", "Lyon", "69003")
    page.evaluate(FILL_MEMBERS, team)
    fill_member(Counted(page), 2, TEAM[2])
    page.set_input_files("#d-piece-declaration_commune-equipe", str(pieces[0]))
    page.wait_for_function("document.querySelectorAll('#d-pieces code').length === 1")
    assert page.is_visible("#d-copie"), page.inner_text("#d-constats")[:600]
    url = page.get_attribute("#d-issue", "href")
    assert len(url) < 8000 and "membres=" not in url and "pieces=" not in url
    pasted = {
        "membres": page.input_value("#d-copie-membres"),
        "pieces": page.input_value("#d-copie-pieces"),
    }
    assert len(pasted["membres"].splitlines()) == 56 and len(pasted["pieces"].splitlines()) == 1
    _, text = download(page, register)
    _, body = issue_body(url, pasted)
    with contextlib.chdir(register):
        result = CliRunner().invoke(
            main,
            ["depuis-issue", "-", "--sortie-standard", "--racine", str(register)],
            input=body,
            catch_exceptions=False,
        )
    assert result.exit_code == 0, result.output
    assert result.output == text


@pytest.mark.parametrize("width", [1280, 390])
def test_accessible_on_desktop_and_phone_without_calling_other_sites(
    page: Any, base_url: str, pieces: list[Path], width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    open_page(page, base_url + "declarer/")
    violations = axe(page)
    declare(Counted(page), pieces, TEAM, skip=("d-piece-diplome-2",))
    violations += axe(page)
    assert violations == [], json.dumps(violations, ensure_ascii=False)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"declarer-{width}.png"), full_page=True)
    assert page.elsewhere == []
    live = page.locator("#d-constats")
    assert live.get_attribute("aria-live") == "polite"
    assert page.locator("#d-membres fieldset legend").count() == 4


def axe(page: Any) -> list[Any]:
    page.add_script_tag(path=str(AXE))
    report = page.evaluate("axe.run()")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in report["violations"]
        if v["impact"] in ("serious", "critical")
    ]
