"""The cases part of the REST contract."""

import pytest

from enforcement.models import Case
from tests.enforcement.factories import case_payload


def test_create_case_returns_201_with_deadlines_and_masked_parties(api):
    response = api.post("/api/v1/cases/", case_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "received"
    assert body["case_number"] == "(2026)鲁0102执1001号"
    assert "fund_account" in body
    rules = {d["rule"]: d for d in body["deadlines"]}
    assert rules["SEARCH_START"]["due_date"] == "2026-10-13"
    assert rules["SEARCH_START"]["basis"] == "322号 第13条"
    assert rules["EXECUTION_NOTICE"]["due_date"] == "2026-10-10"  # 10 days; 10 Oct is a make-up Saturday
    # 6 months from 28 Sep 2026 is Sunday 28 Mar 2027; 2027's calendar is not loaded,
    # so it moves to Monday 29 March on the predicted calendar, marked provisional.
    assert rules["CASE_DURATION"]["due_date"] == "2027-03-29"
    assert rules["CASE_DURATION"]["provisional"] is True
    assert rules["SEARCH_START"]["provisional"] is False
    applicant = body["applicants"][0]
    assert applicant["id_number"].startswith("370102") and "*" in applicant["id_number"]
    assert applicant["phone"] == "138****0000"
    assert "*" in applicant["payout_account"]["account_number"]


def test_full_width_brackets_are_stored_half_width_and_duplicates_409(api):
    r1 = api.post("/api/v1/cases/", case_payload("（2026）鲁0102执1001号"), format="json")
    assert r1.json()["case_number"] == "(2026)鲁0102执1001号"
    r2 = api.post("/api/v1/cases/", case_payload(), format="json")
    assert r2.status_code == 409 and r2.json()["code"] == "duplicate_case_number"


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"case_number": "(2026)鲁0102民初1号"}, "case_number"),
        ({"case_number": "(2026)鲁0103执1号"}, "case_number"),  # another court's number
        ({"claim_amount": "1,000"}, "claim_amount"),
        ({"claim_amount": "１０００"}, "claim_amount"),
        ({"claim_amount": "12.345"}, "claim_amount"),
        ({"claim_amount": "0"}, "claim_amount"),
        ({"claim_amount": "NaN"}, "claim_amount"),
        ({"claim_amount": "1e309"}, "claim_amount"),
        ({"court": "鲁0202"}, "court"),  # not the client's court
        ({"respondents": []}, "respondents"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_writes_nothing(api, override, field):
    response = api.post("/api/v1/cases/", case_payload(**override), format="json")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] in ("invalid", "invalid_case_number")
    assert field in body["extra"]["fields"]
    assert not Case.objects.exists()


def test_bad_id_number_names_the_nested_field(api):
    payload = case_payload()
    payload["applicants"][0]["id_number"] = "370102199001011230"
    body = api.post("/api/v1/cases/", payload, format="json").json()
    assert body["code"] == "invalid"
    assert "applicants[0].id_number" in body["extra"]["fields"]


def test_applicant_without_payout_account_is_refused(api):
    payload = case_payload()
    del payload["applicants"][0]["payout_account"]
    body = api.post("/api/v1/cases/", payload, format="json").json()
    assert "applicants[0].payout_account" in body["extra"]["fields"]


def test_future_received_at_is_refused(api):
    body = api.post("/api/v1/cases/", case_payload(received_at="2099-01-01T10:00:00+08:00"), format="json").json()
    assert body["code"] == "node_in_future"


def test_list_filters_and_search(api, courts):
    for n in range(3):
        api.post("/api/v1/cases/", case_payload(f"(2026)鲁0102执{1001 + n}号"), format="json")
    all_cases = api.get("/api/v1/cases/").json()
    assert all_cases["count"] == 3 and set(all_cases) == {"count", "next", "previous", "results"}
    assert all(r["overdue"] is True for r in all_cases["results"])  # 13 Oct 2026 has passed
    assert api.get("/api/v1/cases/", {"status": "received", "court": "鲁0102", "overdue": "true"}).json()["count"] == 3
    assert api.get("/api/v1/cases/", {"q": "（2026）鲁0102执1002号"}).json()["count"] == 1
    assert api.get("/api/v1/cases/", {"q": "某某公司"}).json()["count"] == 3
    assert api.get("/api/v1/cases/", {"status": "closed"}).json()["count"] == 0
    assert api.get("/api/v1/cases/", {"status": "bogus"}).status_code == 400


def test_case_list_query_count_is_constant(api, django_assert_max_num_queries):
    for n in range(12):
        api.post("/api/v1/cases/", case_payload(f"(2026)鲁0102执{2001 + n}号"), format="json")
    with django_assert_max_num_queries(6):
        response = api.get("/api/v1/cases/")
    assert response.json()["count"] == 12


def test_case_detail_query_count_is_constant(api, django_assert_max_num_queries):
    case_id = api.post("/api/v1/cases/", case_payload(), format="json").json()["id"]
    with django_assert_max_num_queries(20):
        assert api.get(f"/api/v1/cases/{case_id}/").status_code == 200


def test_bulk_ingest_with_mixed_items(api):
    good = [case_payload(f"(2026)鲁0102执{3001 + n}号") for n in range(3)]
    bad = case_payload("(2026)鲁0102执3001号")  # duplicate of the first
    worse = case_payload("not a number")
    response = api.post("/api/v1/cases/bulk/", {"cases": [*good, bad, worse]}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["created"] == 3 and body["failed"] == 2
    assert body["results"][3]["error"]["code"] == "duplicate_case_number" and body["results"][3]["status"] == 409
    assert body["results"][4]["error"]["code"] == "invalid"
    assert Case.objects.count() == 3


def test_bulk_is_idempotent_with_a_key(api):
    items = {"cases": [case_payload("(2026)鲁0102执4001号")]}
    first = api.post("/api/v1/cases/bulk/", items, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1").json()
    again = api.post("/api/v1/cases/bulk/", items, format="json", HTTP_IDEMPOTENCY_KEY="bulk-1").json()
    assert first == again and Case.objects.count() == 1


def test_bulk_limit(api, settings):
    settings.ENFORCEMENT_BULK_MAX = 2
    body = api.post("/api/v1/cases/bulk/", {"cases": [case_payload()] * 3}, format="json").json()
    assert body["code"] == "invalid" and "cases" in body["extra"]["fields"]
