"""Bulk ingest written as a set (issue 17): ``POST /cases/bulk/`` checks every item
with the per-case checks and writes the valid ones in one INSERT per table — the same
rows a case registered alone gets, the same per-item answers, a query count that
does not grow with the number of items, and a concurrent duplicate settled one by
one."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.models import Deadline, NodeEvent, Notification
from custody_funds.models import LedgerAccount
from custody_funds.services.ledger import account_number_valid
from enforcement.models import Case, Party, PayoutAccount
from tests.enforcement.factories import case_payload
from tests.enforcement.snapshots import history_of, row

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/bulk/"


def number(n: int) -> str:
    return f"(2026)鲁0102执{7000 + n}号"


def _history_counts(case: Case) -> dict[str, int]:
    """History rows of the case and every row registration wrote for it."""
    return history_of(
        {
            Case: [case.pk],
            Party: list(Party.objects.filter(case=case).values_list("pk", flat=True)),
            PayoutAccount: list(PayoutAccount.objects.filter(party__case=case).values_list("pk", flat=True)),
            Deadline: list(Deadline.objects.filter(case=case).values_list("pk", flat=True)),
            LedgerAccount: list(LedgerAccount.objects.filter(case=case).values_list("pk", flat=True)),
        }
    )


def _snapshot(case: Case) -> dict:
    """Everything registration wrote for ``case``, comparable across two cases."""
    parties = list(Party.objects.filter(case=case).order_by("role", "name"))
    return {
        "case": row(case, drop={"case_number"}),
        "parties": [row(p, drop={"case_id"}) for p in parties],
        "payout_accounts": [
            row(a, drop={"party_id"}) for a in PayoutAccount.objects.filter(party__case=case).order_by("bank")
        ],
        "ledger_accounts": [
            row(a, drop={"case_id", "number"}) for a in LedgerAccount.objects.filter(case=case)
        ],
        "clocks": [
            row(d, drop={"case_id", "subject_id", "subject_label"})
            for d in Deadline.objects.filter(case=case).order_by("rule__code")
        ],
        "events": [
            {
                **row(e, drop={"case_id", "subject_id", "subject_label"}),
                "payload": {**e.payload, "case_number": "-"},
            }
            for e in NodeEvent.objects.filter(case=case).order_by("kind")
        ],
        "notifications": [
            (n.kind, n.recipient_id, n.title.replace(case.case_number, "-"), n.body, n.court_id)
            for n in Notification.objects.filter(subject_type="enforcement.case", subject_id=str(case.pk))
        ],
        "history": _history_counts(case),
    }


@pytest.mark.parametrize(
    "overrides",
    [
        {"handler": "handler", "team": "执行一组", "track": "ordinary", "costs": "1200.50"},
        {"case_number": "-", "find_property": True},  # 执保 with property to find: SEARCH_START only
    ],
    ids=["执", "执保"],
)
def test_a_case_registered_in_bulk_gets_every_row_a_case_registered_alone_gets(api, handler, overrides):
    def payload(n: int) -> dict:
        body = case_payload(number(n), **overrides)
        if overrides.get("case_number"):
            body["case_number"] = f"(2026)鲁0102执保{7000 + n}号"
        return body

    alone = api.post("/api/v1/cases/", payload(1), format="json")
    assert alone.status_code == 201, alone.content
    bulk = api.post(CASES, {"cases": [payload(2), payload(3)]}, format="json")
    assert bulk.status_code == 200, bulk.content
    assert bulk.json()["created"] == 2

    single = Case.objects.get(pk=alone.json()["id"])
    in_bulk = Case.objects.get(pk=bulk.json()["results"][0]["id"])
    expected = _snapshot(single)
    assert _snapshot(in_bulk) == expected
    # the rows that make the comparison meaningful are there
    assert (
        expected["clocks"]
        and expected["events"]
        and expected["ledger_accounts"]
        and expected["payout_accounts"]
    )
    # Case, PayoutAccount and Deadline are tracked (parties and ledger accounts are not)
    assert len(expected["history"]) == 3 and all(count > 0 for count in expected["history"].values())
    assert expected["events"][0]["kind"] == "case.received"
    # the handler is told of the case assigned to them (not the API client that registered it)
    assert len(expected["notifications"]) == (1 if overrides.get("handler") else 0)
    if not overrides.get("find_property"):
        # 执行期限 runs into 2027, a year the calendar only predicts: provisional, in both
        assert [c["provisional"] for c in expected["clocks"] if c["duration"] == 6] == [True]
    # the account numbers carry their check digit and name their own case
    for case in (single, in_bulk):
        account = LedgerAccount.objects.get(case=case)
        assert account_number_valid(account.number) and account.number[5:14] == f"{case.pk:09d}"


def _register(api, bodies, **headers):
    response = api.post(CASES, {"cases": bodies}, format="json", **headers)
    assert response.status_code == 200, response.content
    return response.json()


def test_each_item_gets_its_own_answer_and_the_refused_ones_write_nothing(api):
    existing = api.post("/api/v1/cases/", case_payload(number(0)), format="json")
    assert existing.status_code == 201
    bodies = [
        case_payload(number(1)),
        case_payload(number(2), claim_amount="0.00"),  # refused by the case checks
        case_payload(number(1)),  # the same number again in the request
        case_payload(number(0)),  # registered already
        case_payload(number(3), court="鲁0103"),  # a court the client may not register at
        {"case_number": number(4)},  # not a case body at all
        case_payload(number(5), handler="nobody"),  # a handler who is not of the court
        case_payload(number(6)),
    ]

    answer = _register(api, bodies, HTTP_IDEMPOTENCY_KEY="bulk-ingest-mixed")

    summary = [
        (
            r["index"],
            r["key"],
            r["result"],
            r.get("status") if r["result"] == "error" else None,
            (r.get("error") or {}).get("code"),
        )
        for r in answer["results"]
    ]
    assert summary == [
        (0, number(1), "created", None, None),
        (1, number(2), "error", 400, "invalid"),
        (2, number(1), "error", 409, "duplicate_case_number"),
        (3, number(0), "error", 409, "duplicate_case_number"),
        (4, number(3), "error", 400, "invalid"),
        (5, number(4), "error", 400, "invalid"),
        (6, number(5), "error", 400, "invalid"),
        (7, number(6), "created", None, None),
    ]
    assert (answer["created"], answer["failed"]) == (2, 6)
    errors = {r["index"]: r["error"] for r in answer["results"] if r["result"] == "error"}
    assert set(errors[1]["extra"]["fields"]) == {"claim_amount"}
    assert set(errors[4]["extra"]["fields"]) == {"court"}
    assert set(errors[6]["extra"]["fields"]) == {"handler"}
    assert "applicants" in errors[5]["extra"]["fields"]
    assert all(set(error) == {"code", "message", "extra"} for error in errors.values())
    assert sorted(Case.objects.values_list("case_number", flat=True)) == sorted(
        [number(0), number(1), number(6)]
    )
    assert NodeEvent.objects.filter(kind="case.received").count() == 3
    assert LedgerAccount.objects.filter(case__isnull=False).count() == 3

    again = api.post(CASES, {"cases": bodies}, format="json", HTTP_IDEMPOTENCY_KEY="bulk-ingest-mixed")
    assert again.status_code == 200 and again.json() == answer and again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 3


def test_a_person_cannot_register_at_another_court(courts, as_user):
    from tests.core.factories import make_member

    clerk_0103 = make_member("clerk", courts.lu0103, "clerk_0103")
    answer = as_user(clerk_0103).post(CASES, {"cases": [case_payload(number(1))]}, format="json").json()
    [result] = answer["results"]
    assert (result["result"], result["status"]) == ("error", 400)
    assert set(result["error"]["extra"]["fields"]) == {"court"}
    assert not Case.objects.exists()


def test_the_query_count_does_not_grow_with_the_items(api, handler, django_assert_max_num_queries):
    def run(first: int, n: int) -> int:
        bodies = [case_payload(number(first + i), handler="handler") for i in range(n)]
        with CaptureQueriesContext(connection) as queries:
            answer = _register(api, bodies)
        assert answer["created"] == n
        return len(queries)

    api.post("/api/v1/cases/", case_payload(number(999)), format="json")  # warm the per-process caches
    ten, hundred = run(0, 10), run(100, 100)
    assert hundred == ten
    with django_assert_max_num_queries(ten):
        _register(api, [case_payload(number(300 + i), handler="handler") for i in range(100)])
    assert Deadline.objects.filter(case__case_number=number(399)).count() == 3


@pytest.mark.django_db(transaction=True)
def test_two_requests_racing_for_one_number_one_wins_it_and_nothing_half_written(courts, api_token):
    """Real transactions on PostgreSQL: the loser's set INSERT hits the unique number,
    its set is rolled back and its items registered one by one."""
    shared = number(50)
    barrier = threading.Barrier(2)
    answers: dict[int, dict] = {}

    def run(i: int) -> None:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token}")
        bodies = [case_payload(number(60 + 10 * i + k)) for k in range(5)] + [case_payload(shared)]
        try:
            barrier.wait()
            answers[i] = client.post(CASES, {"cases": bodies}, format="json").json()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads)

    shared_results = [answers[i]["results"][5] for i in range(2)]
    assert sorted(r["result"] for r in shared_results) == ["created", "error"]
    [lost] = [r for r in shared_results if r["result"] == "error"]
    assert (lost["status"], lost["error"]["code"]) == (409, "duplicate_case_number")
    assert all(r["result"] == "created" for i in range(2) for r in answers[i]["results"][:5])
    assert Case.objects.count() == 11
    case = Case.objects.get(case_number=shared)
    # one registration's rows, not two, not half
    assert Party.objects.filter(case=case).count() == 2
    assert NodeEvent.objects.filter(case=case).count() == 1
    assert Deadline.objects.filter(case=case).count() == 3
    assert LedgerAccount.objects.filter(case=case).count() == 1
    assert Party.objects.count() == 22 and NodeEvent.objects.filter(kind="case.received").count() == 11


def test_the_history_of_a_bulk_write_names_who_sent_it(api):
    """Rows written by COPY get their history per statement, with the request's
    context (``core.services.bulk.rows_insert``)."""
    answer = _register(api, [case_payload(number(40)), case_payload(number(41))])
    ids = [item["id"] for item in answer["results"]]
    clocks = list(Deadline.objects.filter(case_id__in=ids).values_list("pk", flat=True))
    events = [
        *Case.pgh_event_model.objects.filter(pgh_obj_id__in=ids, pgh_label="insert"),
        *Deadline.pgh_event_model.objects.filter(pgh_obj_id__in=clocks, pgh_label="insert"),
    ]
    assert len(events) == len(ids) + len(clocks) and len(clocks) >= 2
    users = {event.pgh_context.metadata.get("user") if event.pgh_context else None for event in events}
    assert len(users) == 1 and None not in users
