"""Dashboards: the CSV files of the site are what `coop chiffres --format csv`
prints, every chart is an accessible SVG with its data table, and no personal
data reaches a page. Uses the dated register of test_stats."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from coopps.cli import main
from coopps.gitops.history import load_history
from coopps.register import Register
from coopps.site.charts import Series, bar_chart, line_chart, nice_max, ticks
from coopps.site.dashboards import INDEX, csv_uri, dashboard_files, dashboard_uri
from coopps.site.html import GeneratedPage, page_url
from coopps.stats.figures import TABLES
from register_samples import RPPS_DELEGANT, RPPS_DELEGUE
from synth import synth_command
from test_stats import STEPS, TODAY, build_history

SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return build_history(tmp_path_factory.mktemp("tableaux") / "registre", STEPS)


def as_text(files: dict[str, str | GeneratedPage]) -> dict[str, str]:
    """Pages as their HTML (with the front matter, for the title), CSV files as they are."""
    return {
        uri: c.markdown + c.html if isinstance(c, GeneratedPage) else c for uri, c in files.items()
    }


@pytest.fixture(scope="module")
def site(repo) -> dict[str, str]:
    return as_text(dashboard_files(Register.load(repo), load_history(repo), today=TODAY))


def stats_csv(repo: Path, *args: str) -> str:
    result = CliRunner().invoke(
        main,
        ["chiffres", "--racine", str(repo), "--date", TODAY, "--format", "csv", *args],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_one_page_per_region_a_national_page_and_an_index(site, repo):
    raw = dashboard_files(Register.load(repo), load_history(repo), today=TODAY)
    assert isinstance(raw[INDEX], GeneratedPage) and raw[INDEX].markdown.startswith("---\ntitle:")
    pages = sorted(uri for uri in site if uri.endswith(".md"))
    assert INDEX in pages and dashboard_uri("national") in pages and dashboard_uri("84") in pages
    assert len(pages) == 1 + 1 + 18  # index, national, every region of the referential
    assert "Tableau de bord — Auvergne-Rhône-Alpes" in site[dashboard_uri("84")]
    assert "Aucune donnée pour ce périmètre." in site[dashboard_uri("93")]


@pytest.mark.parametrize(
    ("key", "options"), [("national", []), ("84", ["--region", "84"]), ("11", ["--region", "11"])]
)
def test_every_csv_of_the_site_is_what_coop_stats_prints(repo, site, key, options):
    for name in TABLES:
        assert site[csv_uri(key, name)] == stats_csv(repo, *options, "--tableau", name), name


def test_the_dashboard_shows_the_hand_counted_figures(site):
    page = site[dashboard_uri("84")]
    assert (
        "<strong>2</strong> adhésions actives" in page and "<strong>1</strong> terminée<" in page
    )  # a real singular
    assert "<strong>2</strong> équipes en retard" in page
    late = page.split("Équipes en retard pour leur rapport annuel")[1]
    assert (
        "MSP B (exemple fictif)" in late
        and "MSP D (exemple fictif)" in late
        and "MSP A" not in late
    )
    assert "<td>2024-06</td><td>2</td><td>1</td><td>0</td>" in page  # B suspended in June 2024
    national = site[dashboard_uri("national")]
    assert (
        "<td>2024</td><td>Nombre de patients pris en charge par le délégué</td><td>patients</td><td>2</td>"
        "<td>150</td><td>75</td><td>30</td><td>120</td>" in national
    )


def test_every_chart_is_an_accessible_svg_with_its_data_table(site):
    charts = 0
    for uri, content in site.items():
        if not uri.endswith(".md"):
            continue
        assert "<canvas" not in content and "<script" not in content
        for section in re.findall(r"<section>.*?</section>", content, re.DOTALL):
            for svg in SVG.findall(section):
                charts += 1
                root = ET.fromstring(svg)
                ns = "{http://www.w3.org/2000/svg}"
                assert root.get("role") == "img"
                title, desc = root.find(f"{ns}title"), root.find(f"{ns}desc")
                assert title is not None and title.text and desc is not None and desc.text
                assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
                assert "<table" in section.split(svg)[1], f"no data table after a chart of {uri}"
                assert not re.search(r'(?:href|src)="https?:', svg)
    # national and 84: curve, protocols, professions, reports; 11: no active profession left; others: no adhesion
    assert charts == 4 + 4 + 3


def test_chart_ids_are_unique_on_a_page(site):
    for uri, content in site.items():
        ids = re.findall(r'\bid="([^"]+)"', content)
        assert len(ids) == len(set(ids)), uri


@pytest.mark.parametrize("use_dirs", [True, False])
def test_download_and_page_links_resolve(repo, use_dirs):
    files = as_text(
        dashboard_files(
            Register.load(repo), load_history(repo), use_directory_urls=use_dirs, today=TODAY
        )
    )
    urls = {page_url(uri, use_dirs) if uri.endswith(".md") else uri: uri for uri in files}
    for uri, content in files.items():
        if not uri.endswith(".md"):
            continue
        here = page_url(uri, use_dirs)
        base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
        for link in re.findall(r'href="([^"]+)"', content):
            target = posixpath.normpath(posixpath.join(base, link)) + (
                "/" if link.endswith("/") else ""
            )
            target = "" if target in ("./", "./.") else target.removeprefix("./")
            if target.startswith("protocoles/"):
                continue  # pages of the site plugin
            assert target in urls, (uri, link, target)


def test_no_personal_data_on_dashboards(site):
    everything = "\n".join(site.values())
    for forbidden in (
        RPPS_DELEGANT,
        RPPS_DELEGUE,
        "Camille",
        "Dominique",
        "Fictif\n",
        "IFSI de test",
        "Pièces à compléter",
    ):
        assert forbidden not in everything


def test_charts_without_data_are_not_drawn():
    assert line_chart("x", "Vide", [], []) == "" and bar_chart("y", "Vide", [], []) == ""
    single = line_chart("z", "Un mois", ["2025-01"], [Series("Actives", [3])], "adhésions")
    assert "En 2025-01 (adhésions) : actives : 3." in single
    assert [nice_max(v) for v in (0, 1, 3, 7, 12, 180)] == [1, 1, 3, 8, 15, 200]
    assert ticks(15) == [0, 5, 10, 15]


def test_a_long_list_of_late_teams_is_cut_on_the_page_but_whole_in_the_csv(tmp_path):
    """At national scale the late teams are tens of thousands: the page shows the
    first ones and says where the full list is."""
    from coopps.site.dashboards import LATE_SHOWN

    dest = tmp_path / "synthetique"
    result = CliRunner().invoke(
        synth_command,
        [str(dest), "--protocols", "5", "--adhesions", str(LATE_SHOWN + 40), "--git"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    register = Register.load(dest, cache=False)
    files = dashboard_files(register, load_history(dest), True, today="2030-06-01")
    late_csv = files[csv_uri("national", "retards")]
    assert isinstance(late_csv, str)
    late = late_csv.count("\n") - 1
    assert late > LATE_SHOWN
    page = files[dashboard_uri("national")]
    assert isinstance(page, GeneratedPage)

    def squeeze(text: str) -> str:  # numbers are printed with narrow no-break spaces
        return re.sub(r"\s", "", text)

    assert squeeze(f"Les {LATE_SHOWN} premières équipes sur {late}") in squeeze(page.html)


def test_a_site_csv_read_back_holds_the_hand_counted_figures(site):
    """Independent of `Table.csv`: the file a spreadsheet opens has the counts test_stats.py counts by hand."""
    import csv
    import io

    header, *rows = list(
        csv.reader(io.StringIO(site[csv_uri("national", "rapports-par-annee-total")]))
    )
    assert [dict(zip(header, row, strict=True)) for row in rows] == [
        {header[0]: "2024", header[1]: "4", header[2]: "2"},
    ]
