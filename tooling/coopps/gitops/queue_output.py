"""The ARS queue as an agent reads it: text, JSON, a French spreadsheet, and the
Markdown of the region's tracking issue (every value from GitHub neutralised)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from ..csvsafe import write_csv
from ..markdown_text import markdown_text
from ..textguards import for_terminal
from ..wording import french_date, plural
from .queue import DECISIONS, SECTIONS, Item

ISSUE_MARKER = "<!-- coop-ps:file-instruction region={region} -->"
ISSUE_TITLE = "File d'instruction — {name}"
CSV_COLUMNS = [
    "region",
    "pull_request",
    "declaration",
    "etat",
    "etat_libelle",
    "decision",
    "deposee_le",
    "fermee_le",
    "age_jours",
    "sans_nouvelles_jours",
    "erreurs",
    "avertissements",
    "motif",
]


def findings_words(item: Item) -> str:
    if item.errors is None or item.warnings is None:
        return "contrôle sans résultat"
    if item.errors == item.warnings == 0:
        return "aucun constat"
    return f"{plural(item.errors, 'erreur')}, {plural(item.warnings, 'avertissement')}"


def situation(item: Item) -> str:
    """Age, findings, staleness or decision, in French."""
    if item.decision:
        motif = f" — motif : {item.motif}" if item.motif else ""
        return f"{DECISIONS[item.decision]} le {french_date(item.closed)}{motif}"
    words = f"depuis {plural(item.age, 'jour')}, {findings_words(item)}"
    if item.stale:
        words += f" — ⚠ sans nouvelles depuis {plural(item.quiet, 'jour')}"
    return words


def write_text(queues: dict[str, list[Item]], names: dict[str, str], out: TextIO) -> None:
    for region, items in queues.items():
        out.write(
            f"File d'instruction — {names.get(region, region)} ({plural(len(items), 'déclaration')})\n"
        )
        for section, title in SECTIONS.items():
            listed = [i for i in items if i.section == section]
            if listed:
                out.write(f"\n  {title} ({len(listed)})\n")
            for item in listed:
                out.write(f"    #{item.number} {for_terminal(item.title)} — {situation(item)}\n")
        out.write("\n")


def write_json(queues: dict[str, list[Item]], out: TextIO) -> None:
    items = [item.as_dict() for items in queues.values() for item in items]
    json.dump({"declarations": items}, out, ensure_ascii=False, indent=2)
    out.write("\n")


def write_csv_sheet(queues: dict[str, list[Item]], out: TextIO) -> None:
    """French spreadsheet conventions, as the site's: BOM, `;`, CRLF, JJ/MM/AAAA."""
    rows = (
        [
            i.region,
            i.number,
            i.title,
            i.section,
            SECTIONS[i.section],
            DECISIONS.get(i.decision or "", ""),
            french_date(i.opened),
            french_date(i.closed),
            i.age,
            i.quiet,
            i.errors,
            i.warnings,
            i.motif,
        ]
        for items in queues.values()
        for i in items
    )
    out.write(write_csv(CSV_COLUMNS, rows, delimiter=";", line_end="\r\n", bom=True))


def directory_gaps(report: str | None, region: str) -> list[str] | None:
    """The Annuaire santé's findings on the region's adhesions (`coop verifier --annuaire --format
    json`, read as untrusted data): where and which check, never the message, which may name
    another person."""
    from ..pr_comment import read_findings

    findings = read_findings(report)
    if findings is None:
        return None
    prefix = f"adhesions/{region}/"
    return [
        f"{f.path}, ligne {f.line} : {f.code}"
        for f in findings
        if f.code.startswith("annuaire-") and f.path.startswith(prefix)
    ]


def issue_markdown(
    region: str, name: str, items: list[Item], today: str, gaps: list[str] | None = None
) -> str:
    """The body of the region's tracking issue: first line its marker."""
    pending = [i for i in items if i.section != "traitee"]
    lines = [
        ISSUE_MARKER.format(region=region),
        f"Mise à jour le {french_date(today)} : {plural(len(pending), 'déclaration')} en cours, "
        "les plus anciennes d'abord.",
        "",
    ]
    for section, title in SECTIONS.items():
        listed = [i for i in items if i.section == section]
        lines += [f"## {title} ({len(listed)})", ""]
        lines += [_markdown_line(item) for item in listed] or ["Aucune.", ""]
        if listed:
            lines.append("")
    if gaps is not None:
        lines += [f"## Écarts avec l'Annuaire santé ({len(gaps)})", ""]
        lines += [f"- {markdown_text(gap)}" for gap in gaps] or ["Aucun."]
        lines += [
            "",
            markdown_text("Le détail : coop verifier --annuaire (voir le guide d'instruction)."),
        ]
    return "\n".join(lines)


def _markdown_line(item: Item) -> str:
    # `#N` is linked by GitHub itself; every other value is neutralised
    return f"- #{item.number} {markdown_text(item.title, 200)} — {markdown_text(situation(item))}"


def issue_files(
    queues: dict[str, list[Item]], names: dict[str, str], today: str, directory: str | None = None
) -> Iterable[tuple[str, str]]:
    """(file name, text) of each region: `<code>.md` (body) and `<code>.titre` (title);
    `directory`: the Annuaire santé's report, when the nightly run made one."""
    for region, items in queues.items():
        gaps = directory_gaps(directory, region) if directory is not None else None
        text = issue_markdown(region, names.get(region, region), items, today, gaps)
        if directory is not None and gaps is None:
            text += "\n\n" + markdown_text(
                "Écarts avec l'Annuaire santé : le contrôle de la nuit n'a pas produit de résultat."
            )
        yield f"{region}.md", text
        yield f"{region}.titre", ISSUE_TITLE.format(name=names.get(region, region)) + "\n"
