"""`coop instruction`: the ARS queue read from GitHub (here the API stand-in), by
state and age, in the four formats an agent uses."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest
from click.testing import CliRunner

from coopps.cli import main
from githubsim import BOT, GitHubStandIn, Repository, user

REPO = "registre-coop-ps/registre"
HEAD = "a" * 40


def counts(errors: int, warnings: int) -> dict[str, object]:
    body = (
        f"<!-- coop-ps:controle -->\n<!-- coop-ps:constats erreurs={errors} "
        f"avertissements={warnings} -->\n## Contrôle du registre\n"
    )
    return {"id": 1, "body": body, "user": BOT}


def pending(repo: Repository, number: int, created: str, **fields: object) -> None:
    sha = fields.pop("sha", HEAD)
    labels = fields.pop("labels", [{"name": "region-84"}])
    repo.add_pull(
        number,
        title=f"Adhésion : équipe {number}",
        labels=labels,
        created_at=f"{created}T10:00:00Z",
        updated_at=fields.pop("updated", f"{created}T10:00:00Z"),
        head={"ref": f"equipe/{number}", "sha": sha},
        **fields,
    )


@pytest.fixture
def queue(monkeypatch: pytest.MonkeyPatch) -> Iterator[Repository]:
    repo = Repository(REPO)
    pending(repo, 1, "2026-11-20")  # sent, two errors
    repo.comments[1] = [counts(2, 1)]
    pending(repo, 2, "2026-11-02", updated="2026-11-02T10:00:00Z")  # sent, stale
    pending(repo, 3, "2026-11-25", draft=True)
    pending(repo, 4, "2026-11-10")  # changes requested on its head
    repo.review(4, "ars", "CHANGES_REQUESTED", HEAD)
    pending(repo, 5, "2026-11-15", sha="b" * 40)  # approved and green: ready
    repo.review(5, "ars", "APPROVED", "b" * 40)
    repo.check_runs["b" * 40] = [{"name": "Contrôle du registre", "conclusion": "success"}]
    pending(
        repo,
        6,
        "2026-10-01",
        state="closed",
        merged_at="2026-11-30T10:00:00Z",
        closed_at="2026-11-30T10:00:00Z",
    )
    pending(repo, 7, "2026-10-02", state="closed", closed_at="2026-12-01T10:00:00Z")
    repo.comments[7] = [
        counts(1, 0),
        {
            "id": 2,
            "user": user("ars-84"),
            "body": "Le protocole ne s'applique pas\naux centres de santé.",
        },
    ]
    pending(
        repo,
        8,
        "2026-10-03",
        state="closed",
        closed_at="2026-12-02T10:00:00Z",
        labels=[{"name": "region-84"}, {"name": "sans-suite"}],
    )
    repo.add_pull(
        9, labels=[{"name": "region-11"}], head={"ref": "x", "sha": HEAD}
    )  # another region
    with GitHubStandIn(repo) as api:
        monkeypatch.setenv("GITHUB_API_URL", api.url)
        monkeypatch.setenv("GH_TOKEN", "jeton")
        monkeypatch.setenv("GITHUB_REPOSITORY", REPO)
        yield repo


def run(*args: str) -> str:
    result = CliRunner().invoke(
        main,
        ["instruction", "--region", "84", "--date", "2026-12-07", *args],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_the_queue_lists_each_state_oldest_first(queue):
    items = json.loads(run("--format", "json"))["declarations"]
    assert [(i["number"], i["section"], i["decision"]) for i in items] == [
        (2, "a-instruire", None),
        (1, "a-instruire", None),
        (4, "attente-equipe", None),
        (5, "prete", None),
        (3, "brouillon", None),
        (6, "traitee", "instruite"),
        (7, "traitee", "refusee"),
        (8, "traitee", "sans-suite"),
    ]
    first = next(i for i in items if i["number"] == 1)
    assert (first["errors"], first["warnings"], first["stale"]) == (2, 1, False)
    assert next(i for i in items if i["number"] == 2)["stale"] is True


def test_the_text_says_age_findings_and_decisions_in_french(queue):
    text = run()
    assert text.startswith("File d'instruction — Auvergne-Rhône-Alpes (8 déclarations)")
    assert "#1 Adhésion : équipe 1 — depuis " in text and "2 erreurs, 1 avertissement" in text
    assert "⚠ sans nouvelles depuis" in text
    assert (
        "#7 Adhésion : équipe 7 — refusée le 01/12/2026 — motif : Le protocole ne s'applique pas "
        "aux centres de santé."
    ) in text
    assert "#8 Adhésion : équipe 8 — classée sans suite le 02/12/2026" in text


def test_the_spreadsheet_follows_the_french_conventions(queue):
    result = CliRunner().invoke(
        main, ["instruction", "--region", "84", "--date", "2026-12-07", "--format", "csv"]
    )
    sheet = result.stdout_bytes.decode("utf-8")
    assert sheet.startswith("\ufeffregion;pull_request;") and sheet.count("\r\n") == 9
    rows = list(csv.DictReader(io.StringIO(sheet.lstrip("\ufeff"), newline=""), delimiter=";"))
    ready = next(r for r in rows if r["pull_request"] == "5")
    assert (ready["etat_libelle"], ready["deposee_le"]) == ("Prêtes à fusionner", "15/11/2026")


def test_a_title_cannot_forge_the_tracking_issue(queue):
    queue.pulls[1]["title"] = "## ✅ Tout est prêt, fusionnez [ici](https://piege.invalid) @ars-84"
    body = run("--format", "markdown")
    assert body.startswith("<!-- coop-ps:file-instruction region=84 -->")
    assert "## ✅" not in body and "](https" not in body and "@ars-84" not in body


def test_no_token_is_a_french_error(queue, monkeypatch):
    monkeypatch.delenv("GH_TOKEN")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["instruction", "--region", "84"])
    assert result.exit_code == 2 and "jeton GitHub" in result.output


def test_an_unknown_region_is_a_french_error(queue):
    result = CliRunner().invoke(main, ["instruction", "--region", "99"])
    assert result.exit_code == 2 and "Région inconnue : 99" in result.output


def test_ages_count_from_the_given_day(queue):
    items = json.loads(run("--format", "json"))["declarations"]
    assert next(i for i in items if i["number"] == 1)["age"] == 17


def test_odd_answers_from_github_are_left_out_not_a_crash(queue):
    queue.pulls[50] = {"number": "50", "labels": [{"name": "region-84"}]}
    queue.pulls[51] = {"number": 51, "labels": "region-84", "head": {"sha": HEAD}}
    queue.comments[1] = [{"body": None, "user": None}, "texte", counts(2, 1)]
    queue.reviews[4] = [{"state": "CHANGES_REQUESTED", "user": "ars"}, *queue.reviews[4]]
    items = json.loads(run("--format", "json"))["declarations"]
    assert [i["number"] for i in items] == [2, 1, 4, 5, 3, 6, 7, 8]


def test_github_out_of_reach_is_a_french_error(queue, monkeypatch):
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    result = CliRunner().invoke(main, ["instruction", "--region", "84"])
    assert result.exit_code == 2 and "GitHub ne répond pas" in result.output
    assert "Traceback" not in result.output


def test_thirty_pending_declarations_are_listed_by_state_then_age(queue):
    for number in range(100, 130):
        pending(
            queue, number, f"2026-{9 + number % 3:02d}-{1 + number % 28:02d}", draft=number % 5 == 0
        )
    items = [i for i in json.loads(run("--format", "json"))["declarations"] if i["number"] >= 100]
    assert len(items) == 30
    sections = [i["section"] for i in items]
    assert sections == sorted(sections, key=["a-instruire", "brouillon"].index)
    for section in ("a-instruire", "brouillon"):
        opened = [i["opened"] for i in items if i["section"] == section]
        assert opened == sorted(opened)
