"""The one model of dates and statuses (`coopps.gitops.timeline`), case by case."""

from __future__ import annotations

import pytest

from coopps.applicability import territory
from coopps.gitops.history import Event, History
from coopps.gitops.timeline import (
    active_years,
    adhesion_dates,
    adhesion_status,
    is_stale,
    last_due_year,
    owed_years,
    protocol_status_date,
)

NEW = "adhesions/84/nat-test/msp-c.yml"
TODAY = "2026-12-01"
ADDED = Event("2024-03-20", "a" * 40, 3, "ajout", "Adhésion enregistrée (PR #3)")
DECLARED = {"date_declaration": "2024-03-01"}
REPRISE = {
    "date_declaration": "2019-02-04",
    "reprise": {"source": "coop-ps", "date_activation": "2019-03-25", "reference": "COOP-PS 1"},
}


def _history(*events: Event) -> History:
    return History({NEW: list(events)}, [(NEW, e) for e in events])


@pytest.mark.parametrize(
    ("data", "protocol", "history", "pr_state", "expected"),
    [
        ({}, None, History(), None, ("brouillon", "Brouillon", None, None)),
        (
            DECLARED,
            None,
            History(),
            "envoyee",
            ("envoyee", "Déclarée (envoyée à l'ARS) le 01/03/2024", "2024-03-01", None),
        ),
        # completed on an unknown day: no date rather than the declaration's
        (DECLARED, None, History(), "completee", ("completee", "Déclarée (complétée)", None, None)),
        (DECLARED, None, History(), "brouillon", ("brouillon", "Brouillon", None, None)),
        (DECLARED, None, History(), "refusee", ("refusee", "Refusée", None, None)),
        # merged: active since the declaration, instructed on the merge day
        (
            DECLARED,
            {"statut": "autorise"},
            _history(ADDED),
            "envoyee",
            ("active", "Active depuis le 01/03/2024", "2024-03-01", "2024-03-20"),
        ),
        (
            {**DECLARED, "suspension": {"date": "2024-08-30"}},
            None,
            _history(ADDED),
            None,
            ("suspendue", "Suspendue depuis le 30/08/2024", "2024-08-30", "2024-03-20"),
        ),
        (
            {**DECLARED, "fin": {"date": "2025-01-31"}},
            None,
            _history(ADDED),
            None,
            ("terminee", "Terminée le 31/01/2025", "2025-01-31", "2024-03-20"),
        ),
        (
            {**DECLARED, "fin": {"date": "2030-01-31"}},
            None,
            _history(ADDED),
            None,  # an end still to come
            ("active", "Active depuis le 01/03/2024", "2024-03-01", "2024-03-20"),
        ),
        (
            {"date_declaration": "2022-01-10"},
            {"statut": "arrete", "arret": {"date": "2023-03-09"}},
            _history(ADDED),
            None,
            (
                "terminee-protocole-arrete",
                "Terminée (protocole arrêté) le 09/03/2023",
                "2023-03-09",
                "2024-03-20",
            ),
        ),
        # imported history: the import commit is no date of the adhesion
        (
            REPRISE,
            None,
            _history(ADDED),
            None,
            ("active", "Active depuis le 25/03/2019", "2019-03-25", "2019-03-25"),
        ),
    ],
)
def test_effective_status_is_derived(data, protocol, history, pr_state, expected):
    status = adhesion_status(NEW, data, protocol, history, pr_state, TODAY)
    assert (status.code, status.phrase, status.since, status.instructed) == expected


def test_a_completed_pull_request_is_dated_by_its_completion_not_its_declaration():
    status = adhesion_status(
        NEW, DECLARED, None, History(), "completee", TODAY, completed="2024-04-02"
    )
    assert (status.code, status.phrase, status.since) == (
        "completee",
        "Déclarée (complétée le 02/04/2024)",
        "2024-04-02",
    )


def test_a_suspension_lifted_in_history_is_dated_by_its_own_date():
    suspended = Event("2024-09-01", "b" * 40, 4, "suspension", "…", "2024-08-30")
    lifted = Event("2024-12-03", "c" * 40, 5, "levee-suspension", "…")
    dates = adhesion_dates(NEW, DECLARED, None, _history(ADDED, suspended, lifted), TODAY)
    assert dates.suspensions == (("2024-08-30", "2024-12-03"),)
    assert dates.changes == (
        ("2024-03-01", "active"),
        ("2024-08-30", "suspendue"),
        ("2024-12-03", "active"),
    )


@pytest.mark.parametrize(
    ("changes", "until", "years"),
    [
        (
            (("2019-03-25", "active"), ("2025-06-30", "terminee")),
            2025,
            [2019, 2020, 2021, 2022, 2023, 2024, 2025],
        ),
        ((("2024-01-15", "active"),), 2025, [2024, 2025]),
        ((("2023-10-02", "active"),), 2024, [2023, 2024]),
        # suspended during the whole of 2024: nothing owed for 2024
        (
            (("2023-05-02", "active"), ("2023-12-01", "suspendue"), ("2025-01-01", "active")),
            2025,
            [2023, 2025],
        ),
        (
            (("2023-05-02", "active"), ("2024-01-01", "terminee")),
            2025,
            [2023],
        ),  # ended on 1 January
        ((), 2025, []),
    ],
)
def test_a_team_owes_a_report_for_every_year_it_was_active_in(changes, until, years):
    assert active_years(changes, until) == years


def test_reports_are_due_by_31_march_of_the_next_year():
    assert last_due_year("2025-03-31") == 2023 and last_due_year("2025-04-01") == 2024
    assert owed_years((("2024-01-15", "active"),), "2025-03-31") == []
    assert owed_years((("2024-01-15", "active"),), TODAY) == [2024, 2025]


def test_territory_one_definition():
    codes = ("11", "75", "76", "84")
    assert territory({"portee": "national"}, codes) == codes
    assert territory(
        {"portee": "regional", "region": "11", "regions_application": ["75"]}, codes
    ) == ("11", "75")
    assert territory({"portee": "local", "region": "84", "regions_application": ["11"]}, codes) == (
        "84",
    )


def test_staleness_is_two_years_without_event():
    assert is_stale("2013-06-01", TODAY) and is_stale("2024-11-30", TODAY)
    assert not is_stale("2024-12-01", TODAY) and not is_stale(None, TODAY)


def test_a_protocol_status_is_dated_by_its_data_before_git():
    stopped = Event("2026-11-23", "d" * 40, None, "statut", "…", "arrete", bulk=True)
    data = {"statut": "arrete", "arret": {"date": "2025-01-01"}}
    assert protocol_status_date(data, [stopped]) == "2025-01-01"
    assert (
        protocol_status_date({"statut": "refuse"}, [stopped]) is None
    )  # an import commit dates nothing
    refused = Event("2024-05-02", "e" * 40, 9, "statut", "…", "refuse")
    assert protocol_status_date({"statut": "refuse"}, [refused]) == "2024-05-02"
