"""The « Attestation de déclaration d'adhésion » as a PDF (fpdf2), from plain data.

The attestation names the members of a team: it is a private document, given to
the team and its ARS (a workflow artifact, or `coop attestation` run locally),
never published on the site nor written into the register. What it says is
gathered by `gitops/attestation.py`; this module only lays it out. Text is set
in DejaVu Sans, embedded in the file, so every accent and letter of a name
renders (the PDF core fonts know Latin-1 only).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import CoopError

if TYPE_CHECKING:  # imported when rendering: `coop verifier` never loads the PDF library
    from fpdf import FPDF

TITLE = "Attestation de déclaration d'adhésion"
NOT_KNOWN = "non connu"
FONT_FOLDERS = (  # Debian and Ubuntu (fonts-dejavu-core), then Fedora and Arch
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu-sans-fonts"),
    Path("/usr/share/fonts/TTF"),
)
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
FAMILY = "DejaVu"
MEMBER_COLUMNS = ("Nom et prénom", "Profession", "Rôle", "Identifiant")
COLUMN_WIDTHS = (3, 3, 1.5, 2.5)


@dataclass(frozen=True)
class Member:
    name: str  # « Camille Exemple »
    profession: str  # label of the referential
    role: str  # label of the referential
    identifier: str  # « RPPS 10000000009 » or « ADELI 123456789 »


@dataclass(frozen=True)
class Attestation:
    """Everything the attestation says, as French text ready to print."""

    ars: str  # « Agence régionale de santé Auvergne-Rhône-Alpes »
    team: tuple[tuple[str, str], ...]  # (label, value) lines: name, structure, commune, id
    protocol: tuple[tuple[str, str], ...]  # title, id, arrêté date and reference
    members: tuple[Member, ...]
    dates: tuple[tuple[str, str], ...]  # declaration, instruction, status
    source: str  # where the facts come from: file, commit, day the attestation was made
    instructed: bool


def font_folder() -> Path:
    """The first folder holding DejaVu Sans and its bold face; a French error otherwise."""
    for folder in FONT_FOLDERS:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    raise CoopError(
        "La police DejaVu Sans est introuvable (fichier DejaVuSans.ttf) : installez-la "
        "(`apt-get install fonts-dejavu-core` sous Debian ou Ubuntu) puis relancez la commande."
    )


def render(attestation: Attestation) -> bytes:
    """The attestation as the bytes of an A4 PDF."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    folder = font_folder()
    for style, name in FONT_FILES.items():
        pdf.add_font(FAMILY, style, str(folder / name))
    pdf.set_title(TITLE)
    pdf.set_lang("fr")
    pdf.set_creator("coop attestation (registre des protocoles de coopération)")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_page()
    _heading(pdf, attestation)
    _section(pdf, "Équipe", attestation.team)
    _section(pdf, "Protocole de coopération", attestation.protocol)
    _members(pdf, attestation.members)
    _section(pdf, "Déclaration et instruction", attestation.dates)
    _footer(pdf, attestation.source)
    return bytes(pdf.output())


def _heading(pdf: FPDF, attestation: Attestation) -> None:
    pdf.set_font(FAMILY, "", 10)
    pdf.multi_cell(0, 5, attestation.ars, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font(FAMILY, "B", 17)
    pdf.multi_cell(0, 9, TITLE, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 9.5)
    pdf.multi_cell(
        0,
        5,
        "Protocole de coopération entre professionnels de santé "
        "(articles L.4011-1 à L.4011-3 du code de la santé publique)",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if not attestation.instructed:
        pdf.ln(3)
        pdf.set_font(FAMILY, "B", 11)
        pdf.set_text_color(150, 40, 20)
        pdf.multi_cell(
            0,
            6,
            "Déclaration non encore instruite par l'ARS",
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0, 0, 0)
    pdf.ln(4)


def _title(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 12)
    pdf.cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(120, 120, 120)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(2)


def _section(pdf: FPDF, title: str, lines: tuple[tuple[str, str], ...]) -> None:
    _title(pdf, title)
    label_width = 55
    for label, value in lines:
        pdf.set_font(FAMILY, "B", 10)
        pdf.multi_cell(label_width, 6, label, align="L", new_x="RIGHT", new_y="TOP")
        pdf.set_font(FAMILY, "", 10)
        pdf.multi_cell(0, 6, value, align="L", new_x="LMARGIN", new_y="NEXT")


def _members(pdf: FPDF, members: tuple[Member, ...]) -> None:
    _title(pdf, "Membres de l'équipe")
    pdf.set_font(FAMILY, "", 9.5)
    with pdf.table(
        col_widths=COLUMN_WIDTHS, line_height=5.5, padding=1.5, headings_style=_headings_style()
    ) as table:
        table.row(MEMBER_COLUMNS)
        for member in members:
            table.row((member.name, member.profession, member.role, member.identifier))


def _headings_style() -> object:
    from fpdf.fonts import FontFace

    return FontFace(family=FAMILY, emphasis="BOLD", fill_color=(225, 230, 240))


def _footer(pdf: FPDF, source: str) -> None:
    pdf.ln(6)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.set_text_color(70, 70, 70)
    pdf.multi_cell(0, 4.5, source, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)
    pdf.multi_cell(
        0,
        4.5,
        "Document privé : il contient les noms et numéros des professionnels de l'équipe. "
        "Il est remis à l'équipe et à l'ARS et n'est jamais publié.",
        align="L",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)
