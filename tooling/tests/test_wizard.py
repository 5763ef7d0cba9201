"""`coop new adhesion` / `coop new protocole`: the file a team gets, interactively or by flags."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from click.testing import CliRunner, Result

from coopps.cli import main

PROTOCOL = "nat-sutures-plaies-simples"
TARGET = f"adhesions/84/{PROTOCOL}/ch-valmont.yml"
EXISTING = f"adhesions/84/{PROTOCOL}/ch-exemple-urgences.yml"
FLAGS = [
    "--region", "84", "--protocole", PROTOCOL, "--equipe", "ch-valmont", "--nom", "Urgences de Valmont",
    "--structure", "etablissement_sante", "--commune", "Valmont", "--code-postal", "01000", "--date", "2024-06-05",
    "--membre", "10000000009 ; Exemple ; Camille ; médecin ; salarie_public ; delegant",
    "--membre", "10000000017 ; Fictif ; Dominique ; infirmier ; salarie_public ; delegue ; 15/01/2024 ; CESU ; 8",
]


def coop(root: Path, *args: str, input: str | None = None) -> Result:
    with contextlib.chdir(root):
        return CliRunner().invoke(main, [*args, "--root", str(root)], input=input, catch_exceptions=False)


def register(scratch_register, **files: str) -> Path:
    shipped = (Path(__file__).resolve().parents[2] / EXISTING).read_text(encoding="utf-8")
    return scratch_register({EXISTING: shipped, **files}, with_shipped_protocols=True)


def test_flags_write_a_valid_canonical_file_and_say_what_next(scratch_register, tmp_path):
    root = register(scratch_register)
    piece = tmp_path / "diplome.pdf"
    piece.write_bytes(b"diplome")
    result = coop(root, "new", "adhesion", *FLAGS, "--piece", f"diplome:10000000009:{piece}", "--non-interactif")
    assert result.exit_code == 0, result.output
    assert f"Fichier écrit : {TARGET}" in result.output
    assert "git switch -c adhesion-84-ch-valmont" in result.output
    text = (root / TARGET).read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/adhesion.schema.json\n")
    assert 'code_postal: "01000"' in text and "date: 2024-01-15" in text
    assert f'sha256: "{hashlib.sha256(b"diplome").hexdigest()}"' in text
    assert coop(root, "fmt", "--check", TARGET).exit_code == 0
    assert coop(root, "validate", "--draft", TARGET).exit_code == 0
    assert piece.read_bytes() == b"diplome"  # the piece is hashed, never copied
    assert not any(p.suffix == ".pdf" for p in root.rglob("*"))


def test_interactive_wizard_finds_existing_member_and_reuses_spelling(scratch_register):
    root = register(scratch_register)
    answers = "\n".join([
        "84",  # region
        "sutures",  # keyword
        PROTOCOL,  # chosen among the matches by its identifier
        "ch-valmont", "Urgences de Valmont", "", "Valmont", "69003",  # team (structure: the only one allowed)
        "",  # date: today
        "exemple",  # search by name
        "1",  # reuse Camille Exemple
        "",  # RPPS kept
        "delegant",
        "", "",  # name and first name kept
        "",  # profession: the only one allowed
        "salarie_public",
        "",  # no search for the second member
        "10000000017",
        "o",  # reuse the spelling found for that RPPS
        "delegue", "", "", "", "salarie_public",
        "2024-01-15", "CESU", "8",
        "n",  # no other member
        "",  # no piece
    ]) + "\n"
    result = coop(root, "new", "adhesion", input=answers)
    assert result.exit_code == 0, result.output
    assert f". {PROTOCOL} — Réalisation de sutures de plaies simples" in result.output
    assert "1. Camille Exemple — RPPS 10000000009 — medecin" in result.output
    assert "Ce numéro figure déjà au registre : Dominique Fictif. Reprendre cette orthographe ?" in result.output
    assert "[ ] Attestation de formation — Dominique Fictif (10000000017)" in result.output
    text = (root / TARGET).read_text(encoding="utf-8")
    assert "nom_exercice: Exemple\n    prenom: Camille" in text and "nom_exercice: Fictif\n    prenom: Dominique" in text
    assert coop(root, "validate", "--draft", TARGET).exit_code == 0


def test_interactive_wizard_reasks_after_a_wrong_rpps_key(scratch_register):
    root = register(scratch_register)
    flags = [f for f in FLAGS if not f.startswith("10000000")]
    flags = flags[: flags.index("--membre")]
    answers = "\n".join([
        "", "10000000048", "10000000041", "delegant", "Martin", "Camille", "", "liberal",
        "", "10000000058", "delegue", "Petit", "Alex", "", "liberal", "2024-01-15", "CESU", "8", "n", "",
    ]) + "\n"
    result = coop(root, "new", "adhesion", *flags, input=answers)
    assert result.exit_code == 0, result.output
    assert ("✗ Le numéro RPPS 10000000048 est invalide (sa clé, le dernier chiffre, ne correspond pas) : "
            "recopiez-le depuis la carte CPS ou l'annuaire santé.") in result.output


def test_never_overwrites_an_existing_file(scratch_register):
    root = register(scratch_register)
    before = (root / EXISTING).read_bytes()
    flags = [("ch-exemple-urgences" if f == "ch-valmont" else f) for f in FLAGS]
    result = coop(root, "new", "adhesion", *flags, "--non-interactif")
    assert result.exit_code == 1
    assert (f"Erreur : --equipe : le fichier {EXISTING} existe déjà : modifiez-le directement, "
            "ou choisissez un autre identifiant.") in result.output
    assert (root / EXISTING).read_bytes() == before


def test_profession_is_limited_to_the_protocol(scratch_register):
    root = register(scratch_register)
    flags = [f.replace("infirmier", "orthoptiste") for f in FLAGS]
    result = coop(root, "new", "adhesion", *flags, "--non-interactif")
    assert result.exit_code == 1
    assert ("Erreur : --membre n° 2 : « orthoptiste » n'est pas une valeur possible pour la profession d'un délégué "
            "de ce protocole. Valeurs possibles : infirmier (Infirmier).") in result.output
    assert not (root / TARGET).exists()


def test_protocol_must_be_authorised_in_the_region(scratch_register):
    root = register(scratch_register)
    flags = [("nat-inconnu" if f == PROTOCOL else f) for f in FLAGS]
    result = coop(root, "new", "adhesion", *flags, "--non-interactif")
    assert result.exit_code == 1
    assert "Erreur : --protocole : « nat-inconnu » n'est pas un protocole autorisé applicable en région 84" in result.output


def test_missing_answer_without_terminal_is_named(scratch_register):
    root = register(scratch_register)
    result = coop(root, "new", "adhesion", "--region", "84", "--non-interactif")
    assert result.exit_code == 1
    assert "Erreur : Réponse manquante : indiquez --protocole (ou --recherche)." in result.output


def test_new_local_protocol(scratch_register):
    root = register(scratch_register)
    result = coop(root, "new", "protocole", "--region", "84", "--slug", "suivi-diabete", "--intitule",
                  "Suivi des patients diabétiques par un infirmier", "--equipe", "msp-des-tilleuls",
                  "--promoteur", "MSP des Tilleuls", "--date-depot", "2024-05-02", "--delegant", "Médecin",
                  "--delegue", "infirmier", "--nature", "suivi", "--acte", "Renouvellement des bilans", "--non-interactif")
    assert result.exit_code == 0, result.output
    rel = "protocols/loc-84-suivi-diabete.yml"
    text = (root / rel).read_text(encoding="utf-8")
    assert "portee: local\nstatut: depose\nregion: \"84\"\ndate_depot: 2024-05-02\n" in text
    assert coop(root, "validate", rel).exit_code == 0
    again = coop(root, "new", "protocole", "--region", "84", "--slug", "suivi-diabete", "--non-interactif")
    assert again.exit_code == 1
    assert "le protocole loc-84-suivi-diabete existe déjà" in again.output


def test_a_region_is_a_code_or_a_name_never_a_position(scratch_register):
    """`--region 6` once wrote into Île-de-France (6th of the list), `--region 16` into Auvergne-Rhône-Alpes."""
    root = register(scratch_register)
    position = coop(root, "new", "adhesion", "--region", "16", *FLAGS[2:], "--non-interactif")
    assert position.exit_code == 1
    assert "« 16 » n'est pas une valeur possible pour la région" in position.output
    short = coop(root, "new", "adhesion", "--region", "6", *FLAGS[2:], "--non-interactif")
    assert short.exit_code == 1 and "Vouliez-vous dire 06 (Mayotte) ?" in short.output
    by_name = coop(root, "new", "adhesion", "--region", "auvergne-rhone-alpes", *FLAGS[2:], "--non-interactif")
    assert by_name.exit_code == 0, by_name.output
    assert "Région : 84 — Auvergne-Rhône-Alpes" in by_name.output
    assert (root / TARGET).exists()
