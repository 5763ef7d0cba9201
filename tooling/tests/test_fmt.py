"""`coop formater`: canonical form, comments kept, refusal leaves files untouched."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from coopps.cli import main

ADHESION = "adhesions/84/nat-sutures-plaies-simples/ch-exemple.yml"
MESSY = """# l'équipe de garde
membres:  # deux membres
  - role: delegant   # le médecin
    rpps: 10000000009
    prenom: Camille
    nom_exercice: Exemple
    profession: medecin
    mode_exercice: salarie_public
  - {rpps: "10000000017", nom_exercice: Fictif, prenom: Dominique, profession: infirmier,
     mode_exercice: salarie_public, role: delegue, formation: {duree_heures: 8, organisme: CESU, date: '2024-01-15'}}
date_declaration: "2024-03-12"
# la structure
equipe:
  nom: Urgences de Valmont
  code_postal: 01000
  commune: Valmont
  structure: etablissement_sante
pieces:
  - sha256: 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881
    type: declaration_commune
"""
CANONICAL = """# yaml-language-server: $schema=../../../schemas/adhesion.schema.json
# l'équipe de garde
# la structure
equipe:
  nom: Urgences de Valmont
  structure: etablissement_sante
  commune: Valmont
  code_postal: "01000"
date_declaration: 2024-03-12
membres:  # deux membres
  - rpps: "10000000009"
    nom_exercice: Exemple
    prenom: Camille
    profession: medecin
    mode_exercice: salarie_public
    role: delegant   # le médecin
  - rpps: "10000000017"
    nom_exercice: Fictif
    prenom: Dominique
    profession: infirmier
    mode_exercice: salarie_public
    role: delegue
    formation:
      date: 2024-01-15
      organisme: CESU
      duree_heures: 8
pieces:
  - type: declaration_commune
    sha256: "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
"""


def coop(root: Path, *args: str) -> Result:
    """Run `coop` from the register's root, as a team would."""
    with contextlib.chdir(root):
        return CliRunner().invoke(main, [*args, "--racine", str(root)], catch_exceptions=False)


def test_fmt_writes_the_canonical_form_and_keeps_comments(scratch_register):
    root = scratch_register({ADHESION: MESSY}, with_shipped_protocols=True)
    result = coop(root, "formater", ADHESION)
    assert result.exit_code == 0, result.output
    assert f"Reformaté : {ADHESION}" in result.output
    assert (root / ADHESION).read_text(encoding="utf-8") == CANONICAL


def test_fmt_is_idempotent_and_check_passes_after(scratch_register):
    root = scratch_register({ADHESION: MESSY}, with_shipped_protocols=True)
    coop(root, "formater")
    first = {p: p.read_bytes() for p in root.glob("*/**/*.yml")}
    again = coop(root, "formater")
    assert "0 reformaté(s)" in again.output
    assert {p: p.read_bytes() for p in root.glob("*/**/*.yml")} == first
    assert coop(root, "formater", "--verifier").exit_code == 0


def test_the_formatted_file_stays_valid(scratch_register):
    root = scratch_register({ADHESION: CANONICAL}, with_shipped_protocols=True)
    result = coop(root, "verifier", "--brouillon", ADHESION)
    assert result.exit_code == 0, result.output
    assert coop(root, "formater", "--verifier", ADHESION).exit_code == 0


def test_check_lists_files_and_writes_nothing(scratch_register):
    root = scratch_register({ADHESION: MESSY}, with_shipped_protocols=True)
    result = coop(root, "formater", "--verifier", "adhesions")
    assert result.exit_code == 1
    assert f"À reformater : {ADHESION}" in result.output
    assert "lancez `coop formater`" in result.output
    assert (root / ADHESION).read_text(encoding="utf-8") == MESSY


def test_protocol_gets_its_schema_line_and_block_lists(scratch_register):
    text = (
        "portee: national\nintitule: Sutures  # court\nstatut: autorise\n"
        "professions: {delegues: [infirmier], delegants: [medecin]}\n"
        "nature_actes: [realisation]\narrete: {date: 2020-03-06}\n"
    )
    root = scratch_register({"protocols/nat-essai.yml": text})
    assert coop(root, "formater").exit_code == 0
    assert (root / "protocols/nat-essai.yml").read_text(encoding="utf-8") == (
        "# yaml-language-server: $schema=../schemas/protocole.schema.json\n"
        "intitule: Sutures  # court\nportee: national\nstatut: autorise\n"
        "professions:\n  delegants:\n    - medecin\n  delegues:\n    - infirmier\n"
        "nature_actes:\n  - realisation\narrete:\n  date: 2020-03-06\n"
    )


def test_text_that_yaml_could_misread_is_quoted(scratch_register):
    text = (
        'intitule: "NO"\nportee: national\nstatut: autorise\n'
        "professions: {delegants: [medecin], delegues: [infirmier]}\n"
        'nature_actes: [realisation]\narrete: {date: 2020-03-06, reference: "1.10"}\nnotes: "2020-03-06"\n'
    )
    root = scratch_register({"protocols/nat-essai.yml": text})
    coop(root, "formater")
    written = (root / "protocols/nat-essai.yml").read_text(encoding="utf-8")
    assert (
        'intitule: "NO"\n' in written
        and 'reference: "1.10"\n' in written
        and 'notes: "2020-03-06"\n' in written
    )


def test_files_that_do_not_read_cleanly_are_refused_untouched(scratch_register):
    duplicate = "equipe:\n  nom: A\n  nom: B\n"
    anchors = "equipe: &e\n  nom: A\nfin: *e\n"
    broken = 'equipe:\n  nom: "A\n'
    files = {
        "adhesions/84/nat-sutures-plaies-simples/doublon.yml": duplicate,
        "adhesions/84/nat-sutures-plaies-simples/ancre.yml": anchors,
        "adhesions/84/nat-sutures-plaies-simples/casse.yml": broken,
    }
    root = scratch_register(files, with_shipped_protocols=True)
    result = coop(root, "formater", "adhesions")
    assert result.exit_code == 1
    assert (
        "Refusé : adhesions/84/nat-sutures-plaies-simples/doublon.yml : ligne 3 : La clé « nom » apparaît deux fois : "
        "gardez une seule occurrence avec la bonne valeur. Le fichier n'a pas été modifié."
    ) in result.output
    assert "Refusé : adhesions/84/nat-sutures-plaies-simples/ancre.yml" in result.output
    assert "Refusé : adhesions/84/nat-sutures-plaies-simples/casse.yml : ligne" in result.output
    for rel, text in files.items():
        assert (root / rel).read_text(encoding="utf-8") == text


def test_a_path_outside_the_register_is_a_french_error(scratch_register, tmp_path):
    root = scratch_register({})
    result = coop(root, "formater", str(tmp_path / "ailleurs.yml"))
    assert result.exit_code != 0
    assert "n'existe pas" in result.output or "hors du registre" in result.output


def test_the_shipped_register_is_in_canonical_form(repo_root):
    result = CliRunner().invoke(
        main, ["formater", "--verifier", "--racine", str(repo_root)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("line_break", ["\r", "\r\n", "\x85", "\u2028", "\u2029"])
def test_a_header_ending_with_any_line_break_the_reader_accepts_is_formatted(
    scratch_register, line_break
):
    """The header was cut at the first line feed only: CR, NEL or U+2028 took the next line
    with it, and fmt ended in « Erreur interne (KeyError) »."""
    header, rest = CANONICAL.split("\n", 1)
    root = scratch_register({ADHESION: header + line_break + rest}, with_shipped_protocols=True)
    result = coop(root, "formater", ADHESION)
    assert result.exit_code == 0, result.output
    assert (root / ADHESION).read_text(encoding="utf-8") == CANONICAL


@pytest.mark.parametrize("opening", ["\n", "\n\n", " \n  \n", "\n\n\n\n"])
def test_blank_lines_before_a_file_without_header_go_on_the_first_pass(scratch_register, opening):
    """Found by the long fuzz run: two blank lines, then a comment, and no header. The first
    pass put the header above one blank line, the second removed it."""
    header, rest = CANONICAL.split("\n", 1)
    commented = opening + "# Équipe de démonstration\n" + rest
    root = scratch_register({ADHESION: commented}, with_shipped_protocols=True)
    coop(root, "formater", ADHESION)
    first = (root / ADHESION).read_text(encoding="utf-8")
    assert first == header + "\n# Équipe de démonstration\n" + rest
    assert "0 reformaté(s)" in coop(root, "formater", ADHESION).output
