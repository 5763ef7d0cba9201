"""The dossier's other tools: `--pr` through the GitHub API (its stand-in), `coop pieces
verifier` on a folder and a ZIP, `coop cle creer`, and the `dossier` section of relecteurs.yml."""

from __future__ import annotations

import hashlib
import io
import stat
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import git
from coopps.cli import main
from coopps.dossier_channel import channel_problems
from coopps.errors import CoopError
from coopps.gitops.reviewers import dossier_channels, load_reviewers
from coopps.rulebook import reviewer_findings
from dossierkit import (
    ADHESION_PATH,
    REGION,
    TEAM,
    dossier_file,
    dossier_parts,
    drop_piece,
    encrypt,
    new_identity,
)
from githubsim import GitHubStandIn, Repository
from register_samples import VALID_REGISTER

BRANCH = f"declaration/{REGION}/{TEAM}"


@pytest.fixture
def register(git_register):
    return git_register({rel: text for rel, text in VALID_REGISTER.items() if rel != ADHESION_PATH})


@pytest.fixture
def published(register, tmp_path):
    """The register with a bare `origin` holding its main branch."""
    remote = tmp_path / "origine.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    git(register, "remote", "add", "origin", str(remote))
    git(register, "push", "-q", "origin", "main")
    git(register, "fetch", "-q", "origin")
    return register, remote


def open_with_pr(root, tmp_path, parts, monkeypatch):
    identity, recipient = new_identity(tmp_path / "cles")
    path = dossier_file(tmp_path, encrypt(parts.zipped(), recipient))
    repo = Repository("registre-coop-ps/registre")
    with GitHubStandIn(repo) as api:
        monkeypatch.setenv("GITHUB_API_URL", api.url)
        monkeypatch.setenv("GH_TOKEN", "jeton-de-test")
        monkeypatch.setenv("GITHUB_REPOSITORY", repo.full_name)
        result = CliRunner().invoke(
            main,
            [
                "dossier",
                "ouvrir",
                str(path),
                "--identite",
                str(identity),
                "--pieces",
                str(tmp_path / "prive"),
                "--racine",
                str(root),
                "--pr",
            ],
            catch_exceptions=False,
        )
    return result, repo


def test_pr_pushes_the_branch_and_opens_the_pull_request(published, tmp_path, monkeypatch):
    root, remote = published
    result, repo = open_with_pr(root, tmp_path, dossier_parts(), monkeypatch)
    assert result.exit_code == 0, result.output
    assert "Pull request ouverte :" in result.output and "brouillon" not in result.output
    assert git(remote, "rev-parse", BRANCH) == git(root, "rev-parse", BRANCH)
    [write] = [w for w in repo.writes if w.path.endswith("/pulls")]
    assert write.method == "POST"
    assert (write.body["head"], write.body["base"], write.body["draft"]) == (BRANCH, "main", False)
    assert "8 sur 8" in write.body["body"] and "MSP A" in write.body["title"]
    assert "10000001015" not in write.body["body"]  # no member named in the public description
    [pull] = repo.pulls.values()
    assert repo.labels_of(pull["number"]) == [
        f"region-{REGION}",
        "adhesion",
    ]  # in the region's queue


def test_pr_is_a_draft_when_pieces_are_missing(published, tmp_path, monkeypatch):
    root, _ = published
    parts = dossier_parts()
    drop_piece(parts, 5)
    result, repo = open_with_pr(root, tmp_path, parts, monkeypatch)
    assert result.exit_code == 0, result.output
    assert "Pull request ouverte en brouillon" in result.output
    [write] = [w for w in repo.writes if w.path.endswith("/pulls")]
    assert write.body["draft"] is True
    assert "Pièce n° 5 : manquante" in write.body["body"]


def test_pr_without_a_token_stops_before_anything_is_written(published, tmp_path, monkeypatch):
    root, _ = published
    monkeypatch.delenv("GH_TOKEN", raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_REPOSITORY", "registre-coop-ps/registre")
    identity, recipient = new_identity(tmp_path / "cles")
    path = dossier_file(tmp_path, encrypt(dossier_parts().zipped(), recipient))
    result = CliRunner().invoke(
        main,
        [
            "dossier",
            "ouvrir",
            str(path),
            "--identite",
            str(identity),
            "--pieces",
            str(tmp_path / "prive"),
            "--racine",
            str(root),
            "--pr",
        ],
    )
    assert result.exit_code == 2
    assert "jeton GitHub" in result.output
    assert git(root, "branch", "--list", BRANCH) == "" and not (tmp_path / "prive").exists()


def verify(root, adhesion, received):
    return CliRunner().invoke(
        main,
        ["pieces", "verifier", str(adhesion), str(received), "--racine", str(root)],
        catch_exceptions=False,
    )


def received_folder(tmp_path, parts):
    adhesion = tmp_path / "adhesion.yml"
    adhesion.write_bytes(parts.adhesion)
    folder = tmp_path / "recu"
    folder.mkdir()
    for number, data in enumerate(parts.files.values(), start=1):
        (folder / f"scan {number}.PDF").write_bytes(
            data
        )  # names the team chose: only fingerprints count
    return adhesion, folder


def test_pieces_verifier_names_each_file_of_a_folder(register, tmp_path):
    parts = dossier_parts()
    adhesion, folder = received_folder(tmp_path, parts)
    result = verify(register, adhesion, folder)
    assert result.exit_code == 0, result.output
    assert "8 reconnues sur 8" in result.output
    assert "✓ scan 3.PDF : pièce n° 3 (Pièce d'identité, membre 10000001015)" in result.output


def test_pieces_verifier_reports_missing_extra_and_shared_files(register, tmp_path):
    parts = dossier_parts()
    adhesion, folder = received_folder(tmp_path, parts)
    (folder / "scan 2.PDF").unlink()
    (folder / "vacances.jpg").write_bytes(b"photo")
    result = verify(register, adhesion, folder)
    assert result.exit_code == 1
    assert "Erreur : Pièce n° 2 (Attestation d'assurance" in result.output
    assert (
        "Avertissement : « vacances.jpg » ne correspond à aucune pièce déclarée." in result.output
    )


def test_pieces_verifier_reads_a_zip(register, tmp_path):
    parts = dossier_parts()
    adhesion = tmp_path / "adhesion.yml"
    adhesion.write_bytes(parts.adhesion)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number, data in enumerate(list(parts.files.values())[:-1], start=1):
            archive.writestr(f"envoi/{number}.pdf", data)
    (tmp_path / "envoi.zip").write_bytes(buffer.getvalue())
    result = verify(register, adhesion, tmp_path / "envoi.zip")
    assert result.exit_code == 1
    assert "7 reconnues sur 8" in result.output and "✓ envoi/1.pdf : pièce n° 1" in result.output
    assert (
        "Pièce n° 8 (Accord de l'employeur, membre 10000001023) : aucun fichier reçu."
        in result.output
    )


def test_pieces_verifier_finds_one_file_declared_for_two_members(register, tmp_path):
    parts = dossier_parts(same_for=(3, 5))
    adhesion, folder = received_folder(tmp_path, parts)
    result = verify(register, adhesion, folder)
    assert result.exit_code == 1
    assert "Un même fichier est déclaré pour pièce n° 3" in result.output


def test_a_created_key_opens_a_dossier_encrypted_to_the_line_it_printed(register, tmp_path):
    key = tmp_path / "cles" / "agent.txt"
    result = CliRunner().invoke(
        main,
        ["cle", "creer", "--region", "84", "--sortie", str(key), "--racine", str(register)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    [line] = [line for line in result.output.splitlines() if line.strip().startswith("- age1")]
    recipient = line.split()[1]
    assert recipient in key.read_text()
    path = dossier_file(tmp_path, encrypt(dossier_parts().zipped(), recipient))
    opened = CliRunner().invoke(
        main,
        [
            "dossier",
            "ouvrir",
            str(path),
            "--identite",
            str(key),
            "--pieces",
            str(tmp_path / "prive"),
            "--racine",
            str(register),
            "--base",
            "main",
        ],
        catch_exceptions=False,
    )
    assert opened.exit_code == 0, opened.output


def test_a_key_is_never_written_in_the_repository_nor_over_a_file(register, tmp_path):
    inside = CliRunner().invoke(
        main,
        [
            "cle",
            "creer",
            "--region",
            "84",
            "--sortie",
            str(register / "cle.txt"),
            "--racine",
            str(register),
        ],
    )
    assert inside.exit_code == 1 and "dans le dépôt du registre" in inside.output
    assert not (register / "cle.txt").exists()
    existing = tmp_path / "cle.txt"
    existing.write_text("déjà là")
    over = CliRunner().invoke(main, ["cle", "creer", "--region", "84", "--sortie", str(existing)])
    assert over.exit_code == 1 and "existe déjà" in over.output
    assert existing.read_text() == "déjà là"


def test_a_key_goes_to_the_default_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["cle", "creer", "--region", "11"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    [key] = (tmp_path / "config" / "coop-ps" / "cles").iterdir()
    assert key.name.startswith("ars-11-") and "AGE-SECRET-KEY-1" in key.read_text()


def reviewers_with(dossier: str) -> str:
    return f"""\
mainteneurs:
  equipes: ["@org/mainteneurs"]
  membres: []
regions:
  "84":
    equipes: ["@org/ars-84"]
    membres: []
    dossier:
{dossier}"""


def good_section(
    recipient: str, kind: str = "adresse_fonctionnelle", address: str = "ars-ara-coop@ars.sante.fr"
) -> str:
    return f"""\
      destinataires:
        - {recipient}  # instructeur, pôle offre de soins
      canal:
        type: {kind}
        adresse: "{address}"
        consigne: "Joignez le fichier au message, sans autre pièce."
"""


def test_a_dossier_section_is_published_as_data(scratch_register, tmp_path):
    _, recipient = new_identity(tmp_path / "cles")
    root = scratch_register(
        {"relecteurs.yml": reviewers_with(good_section(recipient)), **VALID_REGISTER}
    )
    assert reviewer_findings(root) == []
    result = CliRunner().invoke(main, ["verifier", "--racine", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output  # a service's address is no personal data
    assert dossier_channels(root) == {
        "84": {
            "destinataires": [recipient],
            "canal": {
                "type": "adresse_fonctionnelle",
                "adresse": "ars-ara-coop@ars.sante.fr",
                "consigne": "Joignez le fichier au message, sans autre pièce.",
            },
        }
    }


def test_a_channel_without_instruction_is_published_without_one(scratch_register, tmp_path):
    _, recipient = new_identity(tmp_path / "cles")
    section = good_section(recipient).replace(
        '        consigne: "Joignez le fichier au message, sans autre pièce."\n', ""
    )
    root = scratch_register({"relecteurs.yml": reviewers_with(section)})
    assert dossier_channels(root)["84"]["canal"] == {
        "type": "adresse_fonctionnelle",
        "adresse": "ars-ara-coop@ars.sante.fr",
    }


def test_the_shipped_register_has_no_key(repo_root):
    assert dossier_channels(repo_root) == {}


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (
            lambda s, r: s.replace(r, r[:-1] + ("q" if r[-1] != "q" else "p")),
            "n'est pas une clé publique age valide",
        ),
        (lambda s, r: s.replace(r, "AGE-SECRET-KEY-1ABC"), "n'est pas une clé publique age"),
        (
            lambda s, r: s.replace("adresse_fonctionnelle", "telecopie"),
            "`regions.84.dossier.canal.type` vaut « telecopie »",
        ),
        (
            lambda s, r: s.replace("ars-ara-coop@ars.sante.fr", "camille.exemple@ars.sante.fr"),
            "ressemble à l'adresse d'une personne",
        ),
        (
            lambda s, r: s.replace("ars-ara-coop@ars.sante.fr", "ars-ara-coop@gmail.com"),
            "de l'ARS (…@ars.sante.fr)",
        ),
        (
            lambda s, r: s.replace("sans autre pièce.", "appelez le 06 12 34 56 78."),
            "contient un numéro de téléphone",
        ),
    ],
    ids=[
        "cle-alteree",
        "cle-secrete",
        "canal-inconnu",
        "adresse-personnelle",
        "autre-domaine",
        "telephone",
    ],
)
def test_a_bad_dossier_section_is_a_french_finding_and_refused_strictly(
    scratch_register, tmp_path, change, needle
):
    _, recipient = new_identity(tmp_path / "cles")
    root = scratch_register(
        {"relecteurs.yml": change(reviewers_with(good_section(recipient)), recipient)}
    )
    [finding] = reviewer_findings(root)
    assert finding.code == "relecteur-invalide" and needle in finding.message
    assert finding.line > 5
    assert dossier_channels(root) == {}
    with pytest.raises(CoopError, match=r"relecteurs\.yml"):
        load_reviewers(root)


@pytest.mark.parametrize(
    ("kind", "address"),
    [
        ("messagerie_securisee", "ars-ara-protocoles@ars-ara.mssante.fr"),
        ("demarches_simplifiees", "https://www.demarches-simplifiees.fr/commencer/cooperation-ara"),
    ],
)
def test_other_channels_are_accepted(scratch_register, tmp_path, kind, address):
    _, recipient = new_identity(tmp_path / "cles")
    root = scratch_register(
        {"relecteurs.yml": reviewers_with(good_section(recipient, kind, address))}
    )
    assert reviewer_findings(root) == []
    assert dossier_channels(root)["84"]["canal"]["adresse"] == address


def test_the_validate_command_reports_a_bad_section(scratch_register, tmp_path):
    root = scratch_register({"relecteurs.yml": reviewers_with(good_section("age1nimporte"))})
    result = CliRunner().invoke(main, ["verifier", "--racine", str(root)])
    assert result.exit_code == 1
    assert "relecteur-invalide" in result.output and "age1nimporte" in result.output


def test_fingerprints_in_the_kit_are_real():
    parts = dossier_parts()
    for entry in parts.manifest["pieces"]:
        assert hashlib.sha256(parts.files[entry["fichier"]]).hexdigest() == entry["sha256"]


def test_each_agent_of_the_region_opens_the_same_dossier(register, tmp_path):
    """Several agents, several recipients: the dossier is encrypted once for all of them."""
    first, first_recipient = new_identity(tmp_path / "cles", "premiere.txt")
    second, second_recipient = new_identity(tmp_path / "cles", "seconde.txt")
    path = dossier_file(
        tmp_path, encrypt(dossier_parts().zipped(), first_recipient, second_recipient)
    )
    for number, identity in enumerate((first, second)):
        result = CliRunner().invoke(
            main,
            [
                "dossier",
                "ouvrir",
                str(path),
                "--identite",
                str(identity),
                "--pieces",
                str(tmp_path / f"prive-{number}"),
                "--racine",
                str(register),
                "--base",
                "main",
            ],
            catch_exceptions=False,
        )
        assert "8 reconnues sur 8" in result.output, result.output
        git(register, "branch", "-D", BRANCH)


@settings(max_examples=200, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=80),
        lambda inner: (
            st.lists(inner, max_size=4)
            | st.dictionaries(
                st.sampled_from(["destinataires", "canal", "type", "adresse", "consigne", "x"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    )
)
def test_any_dossier_section_gives_findings_never_a_crash(section):
    problems = list(channel_problems(section, ("regions", "84", "dossier")))
    assert all(isinstance(message, str) and message for _, message in problems)


def test_pieces_verifier_works_outside_a_register(tmp_path, monkeypatch):
    parts = dossier_parts()
    adhesion, folder = received_folder(tmp_path, parts)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(
        main, ["pieces", "verifier", str(adhesion), str(folder)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "✓ scan 3.PDF : pièce n° 3 (piece_identite, membre 10000001015)" in result.output


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["cle", "creer", "--region", "99"], "Région inconnue : « 99 »"),
        (
            ["dossier", "ouvrir", "absent.age", "--identite", "cle.txt"],
            "Le fichier « absent.age » est introuvable",
        ),
        (
            ["dossier", "ouvrir", "d.age", "--identite", "absente.txt"],
            "Le fichier de clé « absente.txt » est introuvable",
        ),
        (
            ["pieces", "verifier", "schemas/adhesion.schema.json", "schemas"],
            "n'a pas de liste de pièces",
        ),
    ],
    ids=["region", "dossier-absent", "cle-absente", "pas-une-adhesion"],
)
def test_wrong_arguments_get_a_french_error(register, tmp_path, monkeypatch, args, needle):
    monkeypatch.chdir(register)
    (register / "d.age").write_bytes(b"age-encryption.org/v1\n")
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (1, 2) and needle in result.output, result.output
    assert "Traceback" not in result.output and "Erreur interne" not in result.output
