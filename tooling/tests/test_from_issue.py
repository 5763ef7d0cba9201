"""`coop depuis-issue` on recorded issue-form bodies: a good one, mistakes, malicious ones."""

from __future__ import annotations

import contextlib
from pathlib import Path

from click.testing import CliRunner, Result

from coopps.cli import main
from coopps.reading import read_bytes

ISSUES = Path(__file__).parent / "data" / "issues"
TARGET = "adhesions/84/nat-sutures-plaies-simples/ch-valmont-urgences.yml"


def coop(root: Path, *args: str, input: str | None = None) -> Result:
    with contextlib.chdir(root):
        return CliRunner().invoke(
            main, [*args, "--racine", str(root)], input=input, catch_exceptions=False
        )


def files_under(root: Path) -> set[str]:
    """The register's data and configuration files (caches left aside)."""
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_file() and ".cache" not in p.parts
    }


def test_good_declaration_becomes_a_valid_file(scratch_register):
    root = scratch_register({}, with_shipped_protocols=True)
    result = coop(root, "depuis-issue", str(ISSUES / "bonne-declaration.md"))
    assert result.exit_code == 0, result.output
    assert result.output == f"Fichier écrit : {TARGET}\n"
    text = (root / TARGET).read_text(encoding="utf-8")
    assert 'code_postal: "01000"' in text and "date_declaration: 2024-06-05" in text
    assert coop(root, "formater", "--verifier", TARGET).exit_code == 0
    validation = coop(root, "verifier", "--brouillon", TARGET)
    assert validation.exit_code == 0, validation.output


def test_standard_input_and_stdout(scratch_register):
    root = scratch_register({}, with_shipped_protocols=True)
    body = (ISSUES / "bonne-declaration.md").read_text(encoding="utf-8")
    result = coop(root, "depuis-issue", "-", "--sortie-standard", input=body)
    assert result.exit_code == 0
    assert result.output.startswith(
        "# yaml-language-server: $schema=../../../schemas/adhesion.schema.json\nequipe:\n"
    )
    assert not (root / TARGET).exists()


def test_never_overwrites(scratch_register):
    root = scratch_register({TARGET: "# déjà là\n"}, with_shipped_protocols=True)
    result = coop(root, "depuis-issue", str(ISSUES / "bonne-declaration.md"))
    assert result.exit_code == 1
    assert f"Erreur : Le fichier {TARGET} existe déjà : il n'a pas été modifié." in result.output
    assert (root / TARGET).read_text(encoding="utf-8") == "# déjà là\n"


FIN = "fin:\n  date: 2024-05-31\n  motif: Fin de l'activité (exemple fictif).\n"


def ended(text: str) -> str:
    return text + FIN


def test_a_team_declares_again_after_the_end_of_its_adhesion(scratch_register):
    root = scratch_register({}, with_shipped_protocols=True)
    first = coop(
        root, "depuis-issue", str(ISSUES / "bonne-declaration.md"), "--sortie-standard"
    ).output
    again = TARGET.replace(".yml", "-2.yml")
    (root / TARGET).parent.mkdir(parents=True)
    (root / TARGET).write_text(ended(first), encoding="utf-8")
    result = coop(root, "depuis-issue", str(ISSUES / "bonne-declaration.md"))
    assert result.exit_code == 0 and result.output == f"Fichier écrit : {again}\n"
    assert (root / TARGET).read_text(encoding="utf-8") == ended(
        first
    )  # the ended adhesion is kept as it was
    (root / again).write_text(ended(first), encoding="utf-8")
    third = coop(root, "depuis-issue", str(ISSUES / "bonne-declaration.md"))
    assert third.output == f"Fichier écrit : {TARGET.replace('.yml', '-3.yml')}\n"


def test_mistakes_are_listed_in_french_for_the_issue_comment(scratch_register):
    root = scratch_register({}, with_shipped_protocols=True)
    before = files_under(root)
    result = coop(root, "depuis-issue", str(ISSUES / "declaration-avec-erreurs.md"))
    assert result.exit_code == 1
    assert result.output.startswith(
        "La déclaration n'a pas pu être transformée en fichier d'adhésion. Modifiez l'issue pour corriger :\n\n"
    )
    for line in [
        "- « Identifiant de l'équipe » : « MSP des Tilleuls » n'est pas un identifiant d'équipe valide",
        "- « Commune » : réponse manquante.",
        "- « Code postal » : « 6900 » n'est pas un code postal (5 chiffres, exemple : 69003).",
        "- « Membres de l'équipe », ligne 1 : Le numéro RPPS 10000000008 est invalide",
        "- « Membres de l'équipe », ligne 2 : « kinésithérapeute » n'est pas une valeur possible pour la profession "
        "d'un délégué de ce protocole. Valeurs possibles : infirmier (Infirmier).",
        "- « Membres de l'équipe », ligne 3 : 4 champ(s) au lieu de 6",
        "- « Pièces justificatives », ligne 1 : La pièce « Diplôme » est individuelle : "
        "indiquez le RPPS ou l'ADELI du membre.",
    ]:
        assert line in result.output
    assert files_under(root) == before


def test_path_traversal_is_refused(scratch_register):
    root = scratch_register({}, with_shipped_protocols=True)
    before = files_under(root)
    result = coop(root, "depuis-issue", str(ISSUES / "malveillante-chemin.md"))
    assert result.exit_code == 1
    assert (
        "« ../../../.github/workflows/pirate » n'est pas un identifiant d'équipe valide"
        in result.output
    )
    assert (
        "« ../../../protocols/nat-sutures-plaies-simples » n'est pas un protocole applicable"
        in result.output
    )
    assert files_under(root) == before
    assert not (root.parent / ".github").exists()


def test_yaml_injection_stays_text(scratch_register):
    root = scratch_register({}, with_shipped_protocols=True)
    result = coop(root, "depuis-issue", str(ISSUES / "malveillante-yaml.md"))
    assert result.exit_code == 0, result.output
    rel = "adhesions/84/nat-sutures-plaies-simples/ch-injection.yml"
    doc = read_bytes(rel, (root / rel).read_bytes())
    assert doc.readable
    assert set(doc.data) == {
        "equipe",
        "date_declaration",
        "membres",
        "pieces",
    }  # no `suspension` smuggled in
    assert doc.data["equipe"]["nom"] == '"Équipe" # commentaire suspension: 2024-01-01'
    assert doc.data["equipe"]["commune"] == 'Lyon: &ancre !!python/object/apply:os.system ["id"]'
    assert doc.data["membres"][0]["nom_exercice"] == 'Exemple" , role: delegant, x: "y'
    assert [m["role"] for m in doc.data["membres"]] == ["delegant", "delegue"]


def test_html_and_mentions_are_refused_and_not_echoed(scratch_register):
    root = scratch_register({}, with_shipped_protocols=True)
    result = coop(root, "depuis-issue", str(ISSUES / "malveillante-html.md"))
    assert result.exit_code == 1
    assert "« Nom de l'équipe » : Le nom contient des caractères non admis" in result.output
    assert "« Commune » : La commune contient des caractères non admis" in result.output
    assert (
        "« Membres de l'équipe », ligne 2 : Le prénom contient des caractères non admis"
        in result.output
    )
    assert not any(char in result.output for char in "<>@`")
    assert not (root / "adhesions/84/nat-sutures-plaies-simples/ch-html.yml").exists()


def test_a_one_megabyte_body_is_refused_unread(scratch_register, tmp_path):
    root = scratch_register({}, with_shipped_protocols=True)
    body = tmp_path / "enorme.md"
    good = (ISSUES / "bonne-declaration.md").read_text(encoding="utf-8")
    body.write_text(good + "\n" + "x" * (1024 * 1024), encoding="utf-8")
    result = coop(root, "depuis-issue", str(body))
    assert result.exit_code == 1
    assert (
        "- Le texte de l'issue dépasse 64 Kio : une déclaration tient en quelques lignes."
        in result.output
    )
    assert not (root / TARGET).exists()
