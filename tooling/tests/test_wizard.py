"""`coop nouveau adhesion` / `coop nouveau protocole`: the file a team gets, interactively or by flags."""

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
    "--region",
    "84",
    "--protocole",
    PROTOCOL,
    "--equipe",
    "ch-valmont",
    "--nom",
    "Urgences de Valmont",
    "--structure",
    "etablissement_sante",
    "--commune",
    "Valmont",
    "--code-postal",
    "01000",
    "--date",
    "2024-06-05",
    "--membre",
    "10000000009 ; Exemple ; Camille ; médecin ; salarie_public ; delegant",
    "--membre",
    "10000000017 ; Fictif ; Dominique ; infirmier ; salarie_public ; delegue ; 15/01/2024 ; CESU ; 8",
]


def coop(root: Path, *args: str, input: str | None = None) -> Result:
    with contextlib.chdir(root):
        return CliRunner().invoke(
            main, [*args, "--racine", str(root)], input=input, catch_exceptions=False
        )


def register(scratch_register, **files: str) -> Path:
    shipped = (Path(__file__).resolve().parents[2] / EXISTING).read_text(encoding="utf-8")
    return scratch_register({EXISTING: shipped, **files}, with_shipped_protocols=True)


def test_flags_write_a_valid_canonical_file_and_say_what_next(scratch_register, tmp_path):
    root = register(scratch_register)
    piece = tmp_path / "diplome.pdf"
    piece.write_bytes(b"diplome")
    result = coop(
        root,
        "nouveau",
        "adhesion",
        *FLAGS,
        "--piece",
        f"diplome:10000000009:{piece}",
        "--non-interactif",
    )
    assert result.exit_code == 0, result.output
    assert f"Fichier écrit : {TARGET}" in result.output
    assert "git switch -c adhesion-84-ch-valmont" in result.output
    text = (root / TARGET).read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../../schemas/adhesion.schema.json\n"
    )
    assert 'code_postal: "01000"' in text and "date: 2024-01-15" in text
    assert f'sha256: "{hashlib.sha256(b"diplome").hexdigest()}"' in text
    assert coop(root, "formater", "--verifier", TARGET).exit_code == 0
    assert coop(root, "verifier", "--brouillon", TARGET).exit_code == 0
    assert piece.read_bytes() == b"diplome"  # the piece is hashed, never copied
    assert not any(p.suffix == ".pdf" for p in root.rglob("*"))


NO_PIECE = [""] * 9  # team 2, salaried délégant 3, salaried délégué 4: each asked, Entrée = later


def test_interactive_wizard_finds_existing_member_and_reuses_spelling(scratch_register):
    root = register(scratch_register)
    answers = (
        "\n".join(
            [
                "84",  # region
                "sutures",  # keyword
                PROTOCOL,  # chosen among the matches by its identifier
                "Urgences de Valmont",
                "ch-valmont",
                "",
                "Valmont",
                "69003",  # team (structure: the only one allowed)
                "",  # date: today
                "exemple",  # search by name
                "1",  # reuse Camille Exemple
                "",  # RPPS kept
                "delegant",
                "",
                "",  # name and first name kept
                "",  # profession: the only one allowed
                "salarie_public",
                "",  # no search for the second member
                "10000000017",
                "o",  # reuse the spelling found for that RPPS
                "delegue",
                "",
                "",
                "",
                "salarie_public",
                "2024-01-15",
                "CESU",
                "8",
                "n",  # no other member
                *NO_PIECE,
            ]
        )
        + "\n"
    )
    result = coop(root, "nouveau", "adhesion", input=answers)
    assert result.exit_code == 0, result.output
    assert "Région : 84 — Auvergne-Rhône-Alpes" in result.output
    assert f". {PROTOCOL} — Réalisation de sutures de plaies simples" in result.output
    assert "1. Camille Exemple — RPPS 10000000009 — medecin" in result.output
    assert (
        "Ce numéro figure déjà au registre : Dominique Fictif. Reprendre cette orthographe ?"
        in result.output
    )
    assert (
        "Attestation de formation — Dominique Fictif (10000000017) : chemin du fichier"
        in result.output
    )
    text = (root / TARGET).read_text(encoding="utf-8")
    assert (
        "nom_exercice: Exemple\n    prenom: Camille" in text
        and "nom_exercice: Fictif\n    prenom: Dominique" in text
    )
    assert coop(root, "verifier", "--brouillon", TARGET).exit_code == 0


def test_interactive_wizard_reasks_after_a_wrong_rpps_key(scratch_register):
    root = register(scratch_register)
    flags = [f for f in FLAGS if not f.startswith("10000000")]
    flags = flags[: flags.index("--membre")]
    answers = (
        "\n".join(
            [
                "",
                "10000000048",
                "10000000041",
                "delegant",
                "Martin",
                "Camille",
                "",
                "liberal",
                "",
                "10000000058",
                "delegue",
                "Petit",
                "Alex",
                "",
                "liberal",
                "2024-01-15",
                "CESU",
                "8",
                "n",
                *[""] * 7,
            ]
        )
        + "\n"
    )
    result = coop(root, "nouveau", "adhesion", *flags, input=answers)
    assert result.exit_code == 0, result.output
    assert (
        "✗ Le numéro RPPS 10000000048 est invalide (sa clé, le dernier chiffre, ne correspond pas) : "
        "recopiez-le depuis la carte CPS ou l'annuaire santé."
    ) in result.output


def without(*options: str) -> list[str]:
    """FLAGS less some options (and their values)."""
    kept, skip = [], False
    for flag in FLAGS:
        if skip:
            skip = False
        elif flag in options:
            skip = True
        else:
            kept.append(flag)
    return kept


def test_a_future_date_is_refused_at_its_prompt_and_pieces_are_asked_one_by_one(
    scratch_register, tmp_path
):
    root = register(scratch_register)
    piece = tmp_path / "declaration.pdf"
    piece.write_bytes(b"declaration commune")
    answers = "\n".join(["2099-01-01", "05/06/2024", str(piece), *NO_PIECE[1:]]) + "\n"
    result = coop(root, "nouveau", "adhesion", *without("--date"), input=answers)
    assert result.exit_code == 0, result.output
    assert "✗ La date de déclaration (2099-01-01) est dans le futur" in result.output
    assert "Déclaration commune de l'équipe — équipe : chemin du fichier" in result.output
    text = (root / TARGET).read_text(encoding="utf-8")
    assert "date_declaration: 2024-06-05" in text
    assert f'sha256: "{hashlib.sha256(b"declaration commune").hexdigest()}"' in text


def test_a_postal_code_of_another_region_is_refused_at_its_prompt(scratch_register):
    root = register(scratch_register)
    result = coop(
        root,
        "nouveau",
        "adhesion",
        *without("--code-postal"),
        input="\n".join(["35000", "01000", *NO_PIECE]) + "\n",
    )
    assert result.exit_code == 0, result.output
    assert (
        "✗ Le code postal 35000 (Ille-et-Vilaine) est en région Bretagne (53), pas en région Auvergne-Rhône-Alpes"
        in result.output
    )


def test_back_to_the_previous_question_and_a_team_id_suggested_from_the_name(scratch_register):
    root = register(scratch_register)
    answers = "\n".join(["MSP des Tilleuls", "<", "Urgences des Tilleuls", "", *NO_PIECE]) + "\n"
    result = coop(root, "nouveau", "adhesion", *without("--nom", "--equipe"), input=answers)
    assert result.exit_code == 0, result.output
    assert "↩ Question précédente." in result.output
    assert "[urgences-des-tilleuls]" in result.output  # the suggestion, kept with Entrée
    text = (root / f"adhesions/84/{PROTOCOL}/urgences-des-tilleuls.yml").read_text(encoding="utf-8")
    assert "nom: Urgences des Tilleuls" in text


def test_a_file_that_fails_the_check_is_named_and_the_questions_offered_again(scratch_register):
    root = register(scratch_register)
    answers = "\n".join(["2000-01-01", *NO_PIECE, "o", "2024-06-05", *NO_PIECE]) + "\n"
    result = coop(root, "nouveau", "adhesion", *without("--date"), input=answers)
    assert result.exit_code == 0, result.output
    assert (
        "Le fichier ne passe pas la vérification. Reprendre les questions pour le corriger"
        in result.output
    )
    assert f"Fichier {TARGET} retiré : reprenons." in result.output
    assert coop(root, "verifier", "--brouillon", TARGET).exit_code == 0
    other = [("ch-valmont-2" if f == "ch-valmont" else f) for f in without("--date")]
    kept = coop(
        root, "nouveau", "adhesion", *other, input="\n".join(["2000-01-01", *NO_PIECE, "n"]) + "\n"
    )
    assert kept.exit_code == 1
    assert (
        f"Le fichier {TARGET.replace('ch-valmont', 'ch-valmont-2')} est écrit mais ne passe pas"
        in kept.output
    )


def test_the_same_professional_twice_is_refused_at_the_prompt(scratch_register):
    root = register(scratch_register)
    flags = without("--membre", "--membre")
    answers = (
        "\n".join(
            [
                "",
                "10000000041",
                "delegant",
                "Martin",
                "Camille",
                "",
                "liberal",
                "",
                "10000000041",
                "delegue",
                "Martin",
                "Camille",
                "",
                "liberal",
                "2024-01-15",
                "CESU",
                "8",
                "",
                "10000000058",
                "delegue",
                "Petit",
                "Alex",
                "",
                "liberal",
                "2024-01-15",
                "CESU",
                "8",
                "n",
                *[""] * 7,
            ]
        )
        + "\n"
    )
    result = coop(root, "nouveau", "adhesion", *flags, input=answers)
    assert result.exit_code == 0, result.output
    assert "✗ Ce professionnel figure déjà dans l'équipe (membre n° 1)" in result.output


def test_never_overwrites_an_existing_file(scratch_register):
    root = register(scratch_register)
    before = (root / EXISTING).read_bytes()
    flags = [("ch-exemple-urgences" if f == "ch-valmont" else f) for f in FLAGS]
    result = coop(root, "nouveau", "adhesion", *flags, "--non-interactif")
    assert result.exit_code == 1
    assert (
        f"Erreur : --equipe : le fichier {EXISTING} existe déjà : modifiez-le directement, "
        "ou choisissez un autre identifiant."
    ) in result.output
    assert (root / EXISTING).read_bytes() == before


def test_profession_is_limited_to_the_protocol(scratch_register):
    root = register(scratch_register)
    flags = [f.replace("infirmier", "orthoptiste") for f in FLAGS]
    result = coop(root, "nouveau", "adhesion", *flags, "--non-interactif")
    assert result.exit_code == 1
    assert (
        "Erreur : --membre n° 2 : « orthoptiste » n'est pas une valeur possible pour la profession d'un délégué "
        "de ce protocole. Valeurs possibles : infirmier (Infirmier)."
    ) in result.output
    assert not (root / TARGET).exists()


def test_protocol_must_be_authorised_in_the_region(scratch_register):
    root = register(scratch_register)
    flags = [("nat-inconnu" if f == PROTOCOL else f) for f in FLAGS]
    result = coop(root, "nouveau", "adhesion", *flags, "--non-interactif")
    assert result.exit_code == 1
    assert (
        "Erreur : --protocole : « nat-inconnu » n'est pas un protocole applicable en région 84"
        in result.output
    )


def test_a_replaced_or_unconfirmed_protocol_is_refused_with_why_and_what_to_apply(scratch_register):
    root = register(scratch_register)
    flags = [("nat-odynophagie-2020" if f == PROTOCOL else f) for f in FLAGS]
    result = coop(root, "nouveau", "adhesion", *flags, "--non-interactif")
    assert result.exit_code == 1
    assert (
        "« nat-odynophagie-2020 » n'est pas un protocole applicable en région 84 (Auvergne-Rhône-Alpes). "
        "Remplacé : les équipes appliquent désormais le protocole qui le remplace. "
        "Protocole à appliquer : nat-odynophagie-2023."
    ) in result.output
    flags = [("82-0000000125" if f == PROTOCOL else f) for f in FLAGS]
    result = coop(root, "nouveau", "adhesion", *flags, "--non-interactif")
    assert (
        result.exit_code == 1
        and "Autorisation non confirmée par une source (déduite d'une demande" in result.output
    )


def test_missing_answer_without_terminal_is_named(scratch_register):
    root = register(scratch_register)
    result = coop(root, "nouveau", "adhesion", "--region", "84", "--non-interactif")
    assert result.exit_code == 1
    assert "Erreur : Réponse manquante : indiquez --protocole (ou --recherche)." in result.output


def test_new_local_protocol(scratch_register):
    root = register(scratch_register)
    result = coop(
        root,
        "nouveau",
        "protocole",
        "--region",
        "84",
        "--identifiant",
        "suivi-diabete",
        "--intitule",
        "Suivi des patients diabétiques par un infirmier",
        "--equipe",
        "msp-des-tilleuls",
        "--promoteur",
        "MSP des Tilleuls",
        "--date-depot",
        "2024-05-02",
        "--delegant",
        "Médecin",
        "--delegue",
        "infirmier",
        "--nature",
        "suivi",
        "--acte",
        "Renouvellement des bilans",
        "--non-interactif",
    )
    assert result.exit_code == 0, result.output
    rel = "protocols/loc-84-suivi-diabete.yml"
    text = (root / rel).read_text(encoding="utf-8")
    assert 'portee: local\nstatut: depose\nregion: "84"\ndate_depot: 2024-05-02\n' in text
    assert coop(root, "verifier", rel).exit_code == 0
    again = coop(
        root,
        "nouveau",
        "protocole",
        "--region",
        "84",
        "--identifiant",
        "suivi-diabete",
        "--non-interactif",
    )
    assert again.exit_code == 1
    assert "le protocole loc-84-suivi-diabete existe déjà" in again.output


def test_a_region_is_a_code_or_a_name_never_a_position(scratch_register):
    """`--region 6` once wrote into Île-de-France (6th of the list), `--region 16` into Auvergne-Rhône-Alpes."""
    root = register(scratch_register)
    position = coop(root, "nouveau", "adhesion", "--region", "16", *FLAGS[2:], "--non-interactif")
    assert position.exit_code == 1
    assert "« 16 » n'est pas une valeur possible pour la région" in position.output
    short = coop(root, "nouveau", "adhesion", "--region", "6", *FLAGS[2:], "--non-interactif")
    assert short.exit_code == 1 and "Vouliez-vous dire 06 (Mayotte) ?" in short.output
    by_name = coop(
        root,
        "nouveau",
        "adhesion",
        "--region",
        "auvergne-rhone-alpes",
        *FLAGS[2:],
        "--non-interactif",
    )
    assert by_name.exit_code == 0, by_name.output
    assert "Région : 84 — Auvergne-Rhône-Alpes" in by_name.output
    assert (root / TARGET).exists()
