"""Search feedback in bulk written as a set (issue 17): ``POST
/asset-searches/feedback/bulk/`` checks every item as the single feedback does and
writes the accepted ones together — the same rows a feedback recorded alone writes,
the same per-item answers, a query count that does not grow with the items."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import Deadline, NodeEvent
from enforcement.models import Asset, AssetSearch
from tests.enforcement.factories import case_payload, launch_search
from tests.enforcement.snapshots import history_of, row

pytestmark = pytest.mark.django_db

FEEDBACK = "/api/v1/asset-searches/feedback/bulk/"


def _searches(api, n: int, first: int = 0) -> list[int]:
    """``n`` cases (registered in bulk), each with an online search launched."""
    bodies = [case_payload(f"(2026)鲁0102执{8000 + first + k}号") for k in range(n)]
    answer = api.post("/api/v1/cases/bulk/", {"cases": bodies}, format="json").json()
    assert answer["created"] == n, answer
    return [launch_search(api, result["id"]) for result in answer["results"]]


def feedback(search, *, category: str = "bank_deposit", note: str = "") -> dict:
    return {
        "search": search,
        "received_at": "2026-10-10T09:00:00+08:00",
        "note": note,
        "findings": [
            {
                "category": category,
                "description": "工行存款",
                "value": "8000.00",
                "controllable_online": True,
            },
            {
                "category": "vehicle",
                "description": "鲁A12345 小型轿车",
                "value": "50000.00",
                "controllable_online": False,
            },
        ],
    }


def _snapshot(search_id: int) -> dict:
    search = AssetSearch.objects.get(pk=search_id)
    assets = list(Asset.objects.filter(search=search).order_by("description"))
    return {
        "search": row(search, drop={"case_id", "respondent_id"}),
        "assets": [row(a, drop={"case_id", "search_id"}) for a in assets],
        "clocks": [
            row(d, drop={"case_id", "subject_id", "subject_label"})
            for d in Deadline.objects.filter(rule__code="CONTROL_AFTER_FEEDBACK", case_id=search.case_id)
        ],
        "events": [
            row(e, drop={"case_id", "subject_id", "subject_label"})
            for e in NodeEvent.objects.filter(case_id=search.case_id, kind="search.feedback")
        ],
        "history": history_of(
            {
                AssetSearch: [search.pk],
                Asset: [a.pk for a in assets],
                Deadline: list(
                    Deadline.objects.filter(
                        case_id=search.case_id, rule__code="CONTROL_AFTER_FEEDBACK"
                    ).values_list("pk", flat=True)
                ),
            }
        ),
    }


def test_feedback_recorded_in_bulk_writes_what_feedback_recorded_alone_writes(api):
    alone_id, bulk_id, other_id = _searches(api, 3)
    alone = api.post(
        f"/api/v1/asset-searches/{alone_id}/feedback/", feedback(alone_id, note="走访"), format="json"
    )
    assert alone.status_code == 201, alone.content
    answer = api.post(
        FEEDBACK, {"feedback": [feedback(bulk_id, note="走访"), feedback(other_id)]}, format="json"
    ).json()
    assert answer["created"] == 2, answer

    expected = _snapshot(alone_id)
    assert _snapshot(bulk_id) == expected
    assert expected["search"]["status"] == "feedback_received" and len(expected["assets"]) == 2
    assert (
        len(expected["clocks"]) == 1 and len(expected["events"]) == 1
    )  # the vehicle: 3 working days to control
    assert expected["events"][0]["payload"]["findings"] == 2
    assert expected["history"] and all(count > 0 for count in expected["history"].values())
    [first, _second] = answer["results"]
    assert first["search"] == bulk_id and sorted(first["assets"]) == sorted(
        Asset.objects.filter(search_id=bulk_id).values_list("pk", flat=True)
    )


def test_each_feedback_item_gets_its_own_answer(api):
    ok, fed, twice, bad = _searches(api, 4)
    assert (
        api.post(f"/api/v1/asset-searches/{fed}/feedback/", feedback(fed), format="json").status_code == 201
    )
    body = {
        "feedback": [
            feedback(ok),
            feedback(fed),  # has its feedback already
            feedback(2_000_000_000),  # no such search (or not in the client's courts)
            feedback(bad, category="no_such_category"),
            feedback(twice),
            feedback(twice),  # the same search again in the request
            {"search": "x"},
        ]
    }
    answer = api.post(FEEDBACK, body, format="json", HTTP_IDEMPOTENCY_KEY="feedback-bulk-mixed").json()

    summary = [(r["result"], r.get("status"), (r.get("error") or {}).get("code")) for r in answer["results"]]
    assert summary == [
        ("created", None, None),
        ("error", 409, "invalid_transition"),
        ("error", 404, "not_found"),
        ("error", 400, "invalid"),
        ("created", None, None),
        ("error", 409, "invalid_transition"),
        ("error", 404, "not_found"),
    ]
    assert "findings[0].category" in answer["results"][3]["error"]["extra"]["fields"]
    assert Asset.objects.filter(search_id=bad).count() == 0
    assert AssetSearch.objects.get(pk=bad).status == "launched"
    assert Asset.objects.filter(search_id=twice).count() == 2  # once, not twice
    assert NodeEvent.objects.filter(kind="search.feedback").count() == 3  # fed, ok, twice

    again = api.post(FEEDBACK, body, format="json", HTTP_IDEMPOTENCY_KEY="feedback-bulk-mixed")
    assert again.json() == answer and again["Idempotent-Replayed"] == "true"


def test_the_feedback_query_count_does_not_grow_with_the_items(api):
    searches = _searches(api, 40)

    def run(ids: list[int]) -> int:
        with CaptureQueriesContext(connection) as queries:
            answer = api.post(FEEDBACK, {"feedback": [feedback(s) for s in ids]}, format="json").json()
        assert answer["created"] == len(ids), answer
        return len(queries)

    assert run(searches[:10]) == run(searches[10:40])


def test_a_database_failure_of_the_set_falls_back_to_one_by_one(api, monkeypatch):
    """The set write does all its writes, then fails in the database: rolled back, and
    the items recorded one by one with the same answers."""
    from django.db import IntegrityError

    from enforcement.services import assets_bulk

    real = assets_bulk._set_write

    def failing(**kwargs):
        real(**kwargs)
        raise IntegrityError("injected")

    monkeypatch.setattr(assets_bulk, "_set_write", failing)
    first, second = _searches(api, 2)
    answer = api.post(
        FEEDBACK, {"feedback": [feedback(first), feedback(second), feedback(first)]}, format="json"
    )

    results = answer.json()["results"]
    assert [(r["result"], r.get("status")) for r in results] == [
        ("created", None),
        ("created", None),
        ("error", 409),
    ]
    assert Asset.objects.filter(search_id__in=[first, second]).count() == 4  # once each, not twice
    assert NodeEvent.objects.filter(kind="search.feedback").count() == 2
    assert Deadline.objects.filter(rule__code="CONTROL_AFTER_FEEDBACK").count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_for_one_search_one_records_it(courts, api_token):
    import threading

    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token}")
    shared, own_0, own_1 = _searches(client, 3)
    barrier = threading.Barrier(2)
    answers: dict[int, dict] = {}

    def run(i: int, own: int) -> None:
        racer = APIClient()
        racer.credentials(HTTP_AUTHORIZATION=f"Token {api_token}")
        try:
            barrier.wait()
            answers[i] = racer.post(
                FEEDBACK, {"feedback": [feedback(own), feedback(shared)]}, format="json"
            ).json()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, own)) for i, own in enumerate((own_0, own_1))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)

    assert all(answers[i]["results"][0]["result"] == "created" for i in range(2))
    shared_results = sorted(
        (answers[i]["results"][1]["result"], answers[i]["results"][1].get("status")) for i in range(2)
    )
    assert shared_results == [("created", None), ("error", 409)]
    assert Asset.objects.filter(search_id=shared).count() == 2
    assert NodeEvent.objects.filter(kind="search.feedback").count() == 3
