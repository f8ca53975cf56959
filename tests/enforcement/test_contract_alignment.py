"""The server does what the contract says (API.md; issue 17): unknown filters and pages
past the end are told apart from "not found", datetimes come in +08:00, an
Idempotency-Key still in progress says when to retry, and the documentation endpoints
answer strangers in the contract's shape."""

import datetime as dt

import pytest
from django.utils import timezone

from core.models import IdempotencyRecord
from tests.enforcement.factories import case_payload, make_case


def test_an_unknown_filter_is_a_400_naming_it_and_what_is_supported(api, courts, clerk):
    make_case(clerk, courts.lu0102)
    r = api.get("/api/v1/cases/?statsu=closed&court=鲁0102")
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == "unknown_parameter"
    assert set(body["extra"]["fields"]) == {"statsu"}
    assert {"status", "court", "page"} <= set(body["extra"]["allowed"])
    assert "statsu" in body["message"] and "status" in body["message"]
    # the declared filters still work
    assert api.get("/api/v1/cases/?status=executing&court=鲁0102").status_code == 200


def test_an_operation_without_parameters_refuses_any(api, courts, clerk):
    case = make_case(clerk, courts.lu0102)
    r = api.get(f"/api/v1/cases/{case.pk}/?expand=parties")
    assert r.status_code == 400 and r.json()["code"] == "unknown_parameter"
    assert r.json()["extra"]["allowed"] == []


def test_a_page_past_the_end_says_so(api, courts, clerk):
    for n in range(3):
        make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执{7100 + n}号")
    r = api.get("/api/v1/cases/?court=鲁0102&page_size=2&page=5")
    assert r.status_code == 404
    body = r.json()
    assert body["code"] == "page_not_found"
    assert body["extra"] == {"page": 5, "pages": 2, "count": 3}
    assert "第 5 页不存在" in body["message"] and "对象不存在" not in body["message"]
    assert api.get("/api/v1/cases/?court=鲁0102&page_size=2&page=last").json()["results"]


@pytest.mark.parametrize(("query", "field"), [("page=abc", "page"), ("page=0", "page"), ("page_size=0", "page_size"),
                                              ("page_size=501", "page_size"), ("page=-1", "page")])
def test_a_malformed_page_is_a_400_naming_the_parameter(api, query, field):
    r = api.get(f"/api/v1/cases/?{query}")
    assert r.status_code == 400 and set(r.json()["extra"]["fields"]) == {field}


def test_ledger_entries_are_dated_in_utc_plus_eight(api):
    case = api.post("/api/v1/cases/", case_payload(), format="json").json()
    api.post("/api/v1/receipts/", {"account_number": case["fund_account"], "amount": "100.00",
                                   "arrived_at": "2026-10-12T10:00:00+08:00", "payer": "某某公司", "reference": "B1"},
             format="json")
    entries = api.get(f"/api/v1/cases/{case['id']}/funds/").json()["entries"]
    assert entries and all(entry["at"].endswith("+08:00") for entry in entries)


def test_a_key_still_in_progress_says_when_to_retry(api):
    body = case_payload()
    first = api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-progress-1")
    assert first.status_code == 201
    record = IdempotencyRecord.objects.get(key="k-progress-1")
    user = record.user
    # the same key, a request still running (no response stored yet), started 60 s ago
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        response_status=None, response_body=None, created_at=timezone.now() - dt.timedelta(seconds=60)
    )
    r = api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-progress-1")
    assert r.status_code == 409 and r.json()["code"] == "idempotency_key_in_progress"
    assert r["Retry-After"] == "240" == str(r.json()["extra"]["retry_after"])
    assert IdempotencyRecord.objects.filter(user=user, key="k-progress-1").count() == 1


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_the_documentation_answers_strangers_in_the_contract_shape(client, path):
    r = client.get(path, HTTP_ACCEPT="text/html")
    assert r.status_code == 401
    assert r["Content-Type"].startswith("application/json")
    assert r.json()["code"] == "not_authenticated"
