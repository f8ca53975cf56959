"""Bulk endpoints answer per item, whatever an item raises (API.md "Bulk"): each item
in its own savepoint, so a failing item leaves nothing behind and the items before
and after it go through; the request answers 200 with one result per item, and the
same ``Idempotency-Key`` replays exactly that answer."""

import logging

import pytest
from django.db import IntegrityError
from django_fsm import TransitionNotAllowed

from enforcement.models import Asset, AssetSearch, Case
from enforcement.services import cases as case_services
from enforcement.services import cases_bulk
from tests.enforcement.factories import case_payload, launch_search

pytestmark = pytest.mark.django_db

FEEDBACK = "/api/v1/asset-searches/feedback/bulk/"
CASES = "/api/v1/cases/bulk/"


def number(n: int) -> str:
    return f"(2026)鲁0102执{5000 + n}号"


def feedback(search: int, description: str) -> dict:
    return {
        "search": search,
        "received_at": "2026-10-10T09:00:00+08:00",
        "findings": [
            {
                "category": "bank_deposit",
                "description": description,
                "value": "8000.00",
                "controllable_online": True,
            }
        ],
    }


@pytest.fixture
def searches(api) -> list[int]:
    """Three online searches, one per case, launched and waiting for feedback."""
    return [
        launch_search(api, api.post("/api/v1/cases/", case_payload(number(n)), format="json").json()["id"])
        for n in range(3)
    ]


def test_an_item_already_fed_back_fails_alone_and_a_retry_replays_the_same_answer(api, searches):
    first, middle, last = searches
    done = api.post(f"/api/v1/asset-searches/{middle}/feedback/", feedback(middle, "早先反馈"), format="json")
    assert done.status_code == 201
    body = {"feedback": [feedback(first, "存款甲"), feedback(middle, "存款乙"), feedback(last, "存款丙")]}

    response = api.post(FEEDBACK, body, format="json", HTTP_IDEMPOTENCY_KEY="feedback-bulk-1")

    assert response.status_code == 200, response.content
    answer = response.json()
    assert (answer["created"], answer["failed"]) == (2, 1)
    ok_first, refused, ok_last = answer["results"]
    assert (ok_first["index"], ok_first["key"], ok_first["result"], ok_first["search"]) == (
        0,
        first,
        "created",
        first,
    )
    assert (ok_last["index"], ok_last["key"], ok_last["result"], ok_last["search"]) == (
        2,
        last,
        "created",
        last,
    )
    assert (refused["index"], refused["key"], refused["result"], refused["status"]) == (
        1,
        middle,
        "error",
        409,
    )
    assert refused["error"]["code"] == "invalid_transition" and set(refused["error"]) == {
        "code",
        "message",
        "extra",
    }
    # the earlier and the later items are saved; the refused one added nothing
    assert set(Asset.objects.filter(search_id=middle).values_list("description", flat=True)) == {"早先反馈"}
    for result, description in ((ok_first, "存款甲"), (ok_last, "存款丙")):
        [asset] = Asset.objects.filter(search_id=result["search"])
        assert (result["assets"], asset.description) == ([asset.pk], description)
        assert AssetSearch.objects.get(pk=result["search"]).status == "feedback_received"

    again = api.post(FEEDBACK, body, format="json", HTTP_IDEMPOTENCY_KEY="feedback-bulk-1")
    assert again.status_code == 200 and again.json() == answer
    assert again["Idempotent-Replayed"] == "true"
    assert Asset.objects.count() == 3  # nothing twice

    # without the key, the same body is answered item by item again: all three refused now
    fresh = api.post(FEEDBACK, body, format="json").json()
    assert (fresh["created"], fresh["failed"]) == (0, 3)
    assert {r["error"]["code"] for r in fresh["results"]} == {"invalid_transition"}


def test_a_search_out_of_scope_is_404_for_that_item_only(api, searches):
    body = {"feedback": [feedback(searches[0], "存款"), feedback(2_000_000_000, "不存在")]}
    answer = api.post(FEEDBACK, body, format="json").json()
    assert [r["result"] for r in answer["results"]] == ["created", "error"]
    assert answer["results"][1]["status"] == 404 and answer["results"][1]["error"]["code"] == "not_found"


def _failing_register(monkeypatch, fails_on: str, raise_it):
    """The set write does all its writes, then fails in the database, so that the
    items are registered one by one (``cases_bulk``'s fallback) by a ``case_register``
    that does all its writes, then raises for ``fails_on``."""
    real = case_services.case_register
    real_set_write = cases_bulk._set_write

    def register(*, actor, data):
        case = real(actor=actor, data=data)
        if case.case_number == fails_on:
            raise_it(case)
        return case

    def set_write(*, actor, batch):
        real_set_write(actor=actor, batch=batch)
        raise IntegrityError("injected: a number registered meanwhile")

    monkeypatch.setattr(cases_bulk, "case_register", register)
    monkeypatch.setattr(cases_bulk, "_set_write", set_write)


def _duplicate_row(case):
    """A real IntegrityError from PostgreSQL (the transaction is aborted until its
    savepoint is rolled back): the same case row again."""
    Case.objects.create(**{f.attname: getattr(case, f.attname) for f in Case._meta.concrete_fields})


def _not_allowed(case):
    raise TransitionNotAllowed("injected", object=case, method=None)


@pytest.mark.parametrize(
    ("raise_it", "status", "code"),
    [
        (_not_allowed, 409, "invalid_transition"),
        (_duplicate_row, 500, "internal_error"),
        (lambda case: (_ for _ in ()).throw(IntegrityError("injected")), 500, "internal_error"),
        (lambda case: 1 / 0, 500, "internal_error"),
    ],
    ids=["TransitionNotAllowed", "IntegrityError-real", "IntegrityError", "ZeroDivisionError"],
)
def test_whatever_an_item_raises_it_fails_alone_and_leaves_nothing(
    api, monkeypatch, caplog, raise_it, status, code
):
    _failing_register(monkeypatch, number(1), raise_it)
    body = {"cases": [case_payload(number(n)) for n in range(3)]}

    with caplog.at_level(logging.ERROR, logger="core.api.bulk"):
        response = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY=f"cases-bulk-{code}")

    assert response.status_code == 200, response.content
    answer = response.json()
    assert [(r["index"], r["key"], r["result"]) for r in answer["results"]] == [
        (0, number(0), "created"),
        (1, number(1), "error"),
        (2, number(2), "created"),
    ]
    assert (answer["created"], answer["failed"]) == (2, 1)
    failed = answer["results"][1]
    assert (failed["status"], failed["error"]["code"]) == (status, code)
    assert set(failed["error"]) == {"code", "message", "extra"}
    assert set(Case.objects.values_list("case_number", flat=True)) == {number(0), number(2)}
    logged = [r for r in caplog.records if r.name == "core.api.bulk"]
    if status == 500:
        # with its traceback (rendered, masked, into exc_text by core.logging.RedactFilter)
        assert len(logged) == 1 and "Traceback" in (logged[0].exc_text or "")
        assert "injected" not in failed["error"]["message"]  # nothing internal leaks to the client
    else:
        assert logged == []

    again = api.post(CASES, body, format="json", HTTP_IDEMPOTENCY_KEY=f"cases-bulk-{code}")
    assert again.status_code == 200 and again.json() == answer and again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 2
