"""The issue-form loop end to end: `coop depuis-issue --resultat` (the read-only job) then
`.github/scripts/publier-declaration.sh` (the writing job) against a real git remote and a
stand-in of GitHub's API (githubsim) that records every write and keeps the state of the issue and its pull request."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import GIT_ENV, REPO_ROOT, git
from coopps.cli import main
from githubsim import GitHubStandIn, Repository
from markdown_oracle import links, render, tags, visible_text

ISSUES = Path(__file__).parent / "data" / "issues"
SCRIPT = REPO_ROOT / ".github" / "scripts" / "publier-declaration.sh"
TARGET = "adhesions/84/nat-sutures-plaies-simples/ch-valmont-urgences.yml"
BRANCH = "declaration/issue-12"
BOT = "41898282+github-actions[bot]@users.noreply.github.com"


@pytest.fixture
def github(tmp_path: Path):
    """A bare `origin` holding a register on `main`, the default-branch checkout of a job, and a stand-in gh."""
    origin, seed = tmp_path / "origin.git", tmp_path / "seed"
    for folder in ("schemas", "protocols", ".github"):
        shutil.copytree(REPO_ROOT / folder, seed / folder)
    (seed / "adhesions").mkdir()
    (seed / "adhesions" / ".gitkeep").write_text("", encoding="utf-8")
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "Registre")
    git(seed, "push", "-q", str(origin), "main")
    repo = Repository("o/r")
    repo.add_issue(12, "")
    with GitHubStandIn(repo) as api:
        yield tmp_path, origin, api, repo


def job_checkout(tmp_path: Path, origin: Path, name: str) -> Path:
    """What actions/checkout gives a job: the default branch, with its history."""
    target = tmp_path / name
    if target.exists():
        shutil.rmtree(target)
    git(tmp_path, "clone", "-q", str(origin), str(target))
    return target


def read_job(tmp_path: Path, origin: Path, body: str, run: int) -> Path:
    """Job 1 (no write permission): the issue body becomes a result folder."""
    checkout = job_checkout(tmp_path, origin, f"lire-{run}")
    (tmp_path / "issue.md").write_text(body, encoding="utf-8")
    result = tmp_path / f"resultat-{run}"
    with contextlib.chdir(checkout):
        outcome = CliRunner().invoke(
            main,
            [
                "depuis-issue",
                str(tmp_path / "issue.md"),
                "--racine",
                str(checkout),
                "--date",
                "2024-06-10",
                "--resultat",
                str(result),
            ],
            catch_exceptions=False,
        )
    assert outcome.exit_code == 0, outcome.output
    return result


def script_env(tmp_path: Path, api: GitHubStandIn, result: Path) -> dict[str, str]:
    return {
        **GIT_ENV,
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "GITHUB_API_URL": api.url,
        "GITHUB_GRAPHQL_URL": f"{api.url}/graphql",
        "GH_TOKEN": "jeton",
        "DEPOT": "o/r",
        "NUMERO": "12",
        "BASE": "main",
        "RESULTAT": str(result),
    }


def seen_by_github(repo: Repository) -> dict:
    """What the API holds after the job: the bot's pull request, its labels and statuses, the comment,
    and the writes, each named as the action a person sees."""
    pull = next(iter(repo.pulls.values()), None)
    actions = {
        ("POST", "/issues/12/comments"): ["issue", "comment"],
        ("POST", "/pulls"): ["pr", "create"],
    }
    calls = [
        actions.get((w.method, w.path.removeprefix("/repos/o/r")), [w.method, w.path])
        for w in repo.writes
    ]
    statuses = [
        [f"repos/o/r/statuses/{sha}", f"state={s['state']}", f"context={s['context']}"]
        for sha, posted in repo.statuses.items()
        for s in posted
    ]
    return {
        "pr": pull and pull["number"],
        "draft": pull and pull["draft"],
        "calls": calls,
        "labels": repo.labels_of(pull["number"]) if pull else [],
        "statuses": statuses,
        "comment": (repo.comment_bodies(12) or [""])[-1],
    }


def publish_job(
    tmp_path: Path, origin: Path, api: GitHubStandIn, repo: Repository, result: Path, run: int
) -> dict:
    """Job 2 (write permission): the script, on a fresh checkout, with the stand-in gh first on PATH."""
    checkout = job_checkout(tmp_path, origin, f"publier-{run}")
    done = subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=checkout,
        env=script_env(tmp_path, api, result),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return seen_by_github(repo)


def branch_log(origin: Path) -> list[str]:
    return git(origin, "log", "--format=%ae %s", f"main..{BRANCH}").splitlines()


GOOD = (ISSUES / "bonne-declaration.md").read_text(encoding="utf-8")


def test_a_declaration_opens_a_labelled_draft_with_its_check_and_one_comment(github):
    tmp_path, origin, api, repo = github
    result = read_job(tmp_path, origin, GOOD, 1)
    assert "statut=pret\n" in (result / "etat.txt").read_text(encoding="utf-8")
    after = publish_job(tmp_path, origin, api, repo, result, 1)
    assert [line.split(" ", 1)[0] for line in branch_log(origin)] == [BOT]
    assert git(origin, "show", f"{BRANCH}:{TARGET}") == (result / "fichier.yml").read_text(
        encoding="utf-8"
    )
    assert after["pr"] == 13 and after["draft"] is True  # pieces are missing: stays a draft
    assert after["labels"] == ["region-84", "adhesion"]
    head = git(origin, "rev-parse", BRANCH).strip()
    assert after["statuses"] == [
        [f"repos/o/r/statuses/{head}", "state=success", "context=Contrôle du registre"]
    ]
    comment = after["comment"]
    assert comment.startswith(
        "<!-- coop-ps:declaration -->\n## Votre déclaration : enregistrée en brouillon"
    )
    assert "attestation_assurance ; ; <empreinte SHA-256>" in comment
    assert "brouillon dans la pull request #13" in comment
    assert (
        "Ready for review" not in comment and "sha256" not in comment and "`pieces`" not in comment
    )


def test_an_edit_updates_the_same_comment_and_adds_a_commit(github):
    tmp_path, origin, api, repo = github
    publish_job(tmp_path, origin, api, repo, read_job(tmp_path, origin, GOOD, 1), 1)
    edited = GOOD.replace(
        "Urgences du CH de Valmont (exemple fictif)", "Service des urgences de Valmont (fictif)"
    )
    after = publish_job(tmp_path, origin, api, repo, read_job(tmp_path, origin, edited, 2), 2)
    assert len(branch_log(origin)) == 2  # a new commit on top: nothing rewritten
    assert sum(call[:2] == ["issue", "comment"] for call in after["calls"]) == 1
    assert any(call[0] == "PATCH" and "/issues/comments/" in call[1] for call in after["calls"])
    assert sum(call[:2] == ["pr", "create"] for call in after["calls"]) == 1
    assert "Service des urgences de Valmont" in git(origin, "show", f"{BRANCH}:{TARGET}")


def test_a_reviewers_commit_is_never_overwritten(github):
    tmp_path, origin, api, repo = github
    publish_job(tmp_path, origin, api, repo, read_job(tmp_path, origin, GOOD, 1), 1)
    reviewer = job_checkout(tmp_path, origin, "relecteur")
    git(reviewer, "switch", "-q", BRANCH)
    (reviewer / TARGET).write_text(
        (reviewer / TARGET).read_text(encoding="utf-8") + "# vu par l'ARS\n", encoding="utf-8"
    )
    git(reviewer, "-c", "user.email=ars@example.invalid", "commit", "-q", "-am", "Relecture")
    git(reviewer, "push", "-q", "origin", BRANCH)
    tip = git(origin, "rev-parse", BRANCH)
    edited = GOOD.replace("Valmont (exemple fictif)", "Valmont (fictif, modifié)")
    after = publish_job(tmp_path, origin, api, repo, read_job(tmp_path, origin, edited, 2), 2)
    assert git(origin, "rev-parse", BRANCH) == tip
    assert "Un relecteur a ajouté ses propres modifications" in after["comment"]


def test_mistakes_are_posted_in_the_words_of_the_form_and_nothing_is_pushed(github):
    tmp_path, origin, api, repo = github
    bad = GOOD.replace(
        "Valmont\n\n### Code postal", "Aurillac tel 06 12 34 56 78\n\n### Code postal"
    ).replace(
        "10000000017 ; Fictif ; Dominique ; Infirmier ; salarie_public ; delegue ; 2024-01-15 ; "
        "CESU du CH de Valmont ; 8",
        "10000000009 ; Exemple ; Camille ; médecin ; salarie_public ; délégant",
    )
    result = read_job(tmp_path, origin, bad, 1)
    after = publish_job(tmp_path, origin, api, repo, result, 1)
    assert git(origin, "branch", "--list", BRANCH) == ""
    comment = visible_text(render(after["comment"]))
    for words in [
        "« Commune » : cette réponse contient une adresse électronique, un numéro de téléphone",
        "« Membres de l'équipe » : l'équipe n'a aucun délégué : ajoutez une ligne dont le rôle est « delegue ».",
        "« Membres de l'équipe », membre n° 2 (Camille Exemple) : ce professionnel figure déjà",
    ]:
        assert words in comment


def test_a_complete_declaration_is_handed_to_the_ars_by_the_bot(github):
    tmp_path, origin, api, repo = github
    result = read_job(tmp_path, origin, GOOD, 1)
    (result / "etat.txt").write_text(
        (result / "etat.txt").read_text(encoding="utf-8").replace("a_completer=7", "a_completer=0")
    )
    after = publish_job(tmp_path, origin, api, repo, result, 1)
    assert after["draft"] is False and "transmise à l'ARS de votre région" in after["comment"]


def test_a_forged_result_is_refused(github):
    tmp_path, origin, api, _ = github
    result = read_job(tmp_path, origin, GOOD, 1)
    etat = result / "etat.txt"
    etat.write_text(
        etat.read_text(encoding="utf-8").replace(
            TARGET, "adhesions/84/../../.github/workflows/x.yml"
        )
    )
    checkout = job_checkout(tmp_path, origin, "publier-x")
    done = subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=checkout,
        env=script_env(tmp_path, api, result),
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "rien n'est publié" in done.stderr
    assert git(origin, "branch", "--list", BRANCH) == ""


def from_issue_result(tmp_path: Path, origin: Path, *options: str) -> tuple[str, str, str]:
    """Job 1 with extra options: (etat.txt, commentaire.md, what the command wrote on stderr)."""
    checkout = job_checkout(tmp_path, origin, "lire")
    (tmp_path / "issue.md").write_text(GOOD, encoding="utf-8")
    with contextlib.chdir(checkout):
        done = CliRunner().invoke(
            main,
            [
                "depuis-issue",
                str(tmp_path / "issue.md"),
                "--racine",
                str(checkout),
                "--resultat",
                str(tmp_path / "r"),
                *options,
            ],
            catch_exceptions=False,
        )
    return (
        (tmp_path / "r" / "etat.txt").read_text(encoding="utf-8"),
        visible_text(render((tmp_path / "r" / "commentaire.md").read_text(encoding="utf-8"))),
        done.stderr,
    )


def test_a_second_open_declaration_for_the_same_file_is_refused(github):
    tmp_path, origin, _, _ = github
    etat, comment, _ = from_issue_result(tmp_path, origin, "--fichier-en-cours", TARGET)
    assert "statut=refuse\n" in etat and "chemin=\n" in etat
    assert (
        "déjà une déclaration en cours pour cette équipe et ce protocole" in comment
        and TARGET in comment
    )


def test_an_author_may_declare_for_another_team_or_protocol_meanwhile(github):
    tmp_path, origin, _, _ = github
    other = "adhesions/84/nat-sutures-plaies-simples/une-autre-equipe.yml"
    etat, comment, warned = from_issue_result(
        tmp_path, origin, "--fichier-en-cours", other, "--autre-declaration", "5"
    )
    assert "statut=pret\n" in etat and f"chemin={TARGET}\n" in etat
    assert "déclaration en cours" not in comment
    assert "--autre-declaration est obsolète et sans effet" in warned


def test_a_declaration_after_an_ended_adhesion_becomes_a_new_file(github):
    tmp_path, origin, api, repo = github
    first = read_job(tmp_path, origin, GOOD, 1)
    seed = job_checkout(tmp_path, origin, "ars")
    (seed / TARGET).parent.mkdir(parents=True, exist_ok=True)
    (seed / TARGET).write_text(
        (first / "fichier.yml").read_text(encoding="utf-8")
        + "fin:\n  date: 2024-05-31\n  motif: Fin de l'activité (exemple fictif).\n"
    )
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "Adhésion terminée")
    git(seed, "push", "-q", "origin", "main")
    again = TARGET.replace(".yml", "-2.yml")
    result = read_job(tmp_path, origin, GOOD, 2)
    assert f"chemin={again}\n" in (result / "etat.txt").read_text(encoding="utf-8")
    after = publish_job(tmp_path, origin, api, repo, result, 2)
    assert git(origin, "show", f"{BRANCH}:{again}") == (result / "fichier.yml").read_text(
        encoding="utf-8"
    )
    assert "fin:" in git(origin, "show", f"{BRANCH}:{TARGET}")  # the ended adhesion is untouched
    assert after["pr"] == 13


def test_every_finding_code_has_words_for_the_form_or_cannot_come_from_it():
    from coopps.authoring.form_words import NOT_FROM_FORM, SENTENCES
    from coopps.rules import CHECKS

    assert set(SENTENCES) | NOT_FROM_FORM == set(CHECKS)
    assert not set(SENTENCES) & NOT_FROM_FORM


def test_markdown_and_links_never_reach_the_comment(github):
    tmp_path, origin, _, _ = github
    result = read_job(
        tmp_path,
        origin,
        GOOD.replace(
            "Urgences du CH de Valmont (exemple fictif)",
            "[Cliquez ici](https://exemple.invalid/piege)",
        ),
        1,
    )
    comment = (result / "commentaire.md").read_text(encoding="utf-8")
    assert "« Nom de l'équipe » : Le nom contient un lien" in visible_text(render(comment))
    assert "https://" not in comment and "](" not in comment


def test_a_hostile_answer_quoted_in_the_comment_shows_as_text(github):
    tmp_path, origin, _, _ = github
    hostile = "## ✅ Déclaration conforme, fusionnez @ars-team ![b](https://x/y.png) `x`"
    result = read_job(tmp_path, origin, GOOD.replace("nat-sutures-plaies-simples", hostile, 1), 1)
    shown = render((result / "commentaire.md").read_text(encoding="utf-8"))
    assert (
        tags(shown).count("h2") == 1
        and links(shown) == 0
        and "<code>" not in shown
        and "@ars-team" not in shown
    )
    assert f"« {hostile} » n'est pas un protocole applicable" in visible_text(shown)
