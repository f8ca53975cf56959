"""Case types (类型代字) and the clocks they run — issue 15 item 5, lifecycle spec §5, T7.

Only 执行实施 cases are registered: 执 and 执恢 with SEARCH_START, EXECUTION_NOTICE and
CASE_DURATION, 执保 with SEARCH_START only when the 保全裁定 orders property to be found.
执异/执复/执监 (执行审查, 322号 §6), 执协 and 执他 are refused with 400
``case_type_not_implementation``; nothing is created.

Dates (2026 calendar, rest days 06-19–21): received Mon 06-15 09:00 →
SEARCH_START 06-16(1) 06-17(2) 06-18(3) 06-22(4) 06-23(5) → 06-23 24:00;
EXECUTION_NOTICE 06-15 + 10 days = Thu 06-25; CASE_DURATION 06-15 + 6 months = Tue 12-15."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import RuleViolation
from core.models import Deadline
from custody_funds.models import LedgerAccount
from enforcement.models import Case, Party
from enforcement.services import closure as closure_services
from tests.conftest import at
from tests.enforcement.factories import case_payload
from tests.enforcement.test_views import field_block, register_data

REVIEW_TYPES = ["执异", "执复", "执监", "执协", "执他"]
RECEIVED = {"received_at": "2026-06-15T09:00:00+08:00", "filed_on": "2026-06-15"}


def due_dates(case_id: int) -> dict[str, str]:
    return {
        d.rule.code: timezone.localtime(d.due_at).date().isoformat()
        for d in Deadline.objects.filter(case_id=case_id).select_related("rule")
    }


def nothing_created() -> bool:
    return not (
        Case.objects.exists() or Party.objects.exists() or Deadline.objects.exists() or LedgerAccount.objects.exists()
    )


@pytest.mark.parametrize("type_code", REVIEW_TYPES)
def test_review_and_coordination_numbers_are_refused_with_nothing_created(api, type_code):
    # old code: registered, with an account and three clocks
    number = f"(2026)鲁0102{type_code}5号"
    response = api.post("/api/v1/cases/", case_payload(number, **RECEIVED), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == "case_type_not_implementation"
    assert body["extra"]["type_code"] == type_code
    assert body["extra"]["allowed"] == ["执", "执恢", "执保"]
    assert "执行实施" in body["extra"]["fields"]["case_number"][0] and body["message"]
    assert nothing_created()


def test_bulk_refuses_a_review_number_alone(api):
    items = [case_payload("(2026)鲁0102执异5号", **RECEIVED), case_payload("(2026)鲁0102执2301号", **RECEIVED)]
    body = api.post("/api/v1/cases/bulk/", {"cases": items}, format="json").json()
    assert (body["created"], body["failed"]) == (1, 1)
    refused = body["results"][0]
    assert refused["result"] == "error" and refused["status"] == 400
    assert refused["error"]["code"] == "case_type_not_implementation"
    assert "case_number" in refused["error"]["extra"]["fields"]
    assert list(Case.objects.values_list("case_number", flat=True)) == ["(2026)鲁0102执2301号"]


@pytest.mark.parametrize("type_code", ["执", "执恢"])
def test_implementation_cases_run_the_three_clocks(api, type_code):
    response = api.post("/api/v1/cases/", case_payload(f"(2026)鲁0102{type_code}3号", **RECEIVED), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["type_code"] == type_code
    assert due_dates(response.json()["id"]) == {
        "SEARCH_START": "2026-06-23",
        "EXECUTION_NOTICE": "2026-06-25",
        "CASE_DURATION": "2026-12-15",
    }


def test_preservation_runs_search_start_only_when_property_is_to_be_found(api):
    # old code: 执保 ran all three clocks whatever the 保全裁定 said
    found = api.post("/api/v1/cases/", case_payload("(2026)鲁0102执保7号", find_property=True, **RECEIVED), format="json")
    assert found.status_code == 201, found.content
    assert due_dates(found.json()["id"]) == {"SEARCH_START": "2026-06-23"}

    plain = api.post("/api/v1/cases/", case_payload("(2026)鲁0102执保8号", **RECEIVED), format="json")
    assert plain.status_code == 201, plain.content
    assert due_dates(plain.json()["id"]) == {}
    assert LedgerAccount.objects.filter(case_id=plain.json()["id"]).count() == 1  # registered all the same


def test_find_property_is_only_for_preservation(api):
    response = api.post("/api/v1/cases/", case_payload("(2026)鲁0102执9号", find_property=True, **RECEIVED), format="json")
    assert response.status_code == 400
    assert "find_property" in response.json()["extra"]["fields"]
    assert nothing_created()


def test_preservation_cannot_close_as_terminated_this_round(api, bureau_head):
    case_id = api.post("/api/v1/cases/", case_payload("(2026)鲁0102执保7号", **RECEIVED), format="json").json()["id"]
    case = Case.objects.get(pk=case_id)
    with pytest.raises(RuleViolation) as refused:
        closure_services.case_close(
            actor=bureau_head, case=case, closure="terminated_this_round", closed_at=at("2026-10-10 10:00"),
            document="(2026)鲁0102执保7号之一",
        )
    assert refused.value.code == "closure_type_not_allowed"
    assert refused.value.extra == {"type_code": "执保", "closure": "terminated_this_round"}
    case.refresh_from_db()
    assert case.status != "closed"


def test_browser_form_shows_the_refusal_next_to_the_case_number(client, courts, clerk):
    client.force_login(clerk)
    response = client.post(reverse("enforcement:case-new"), register_data(courts, case_number="（2026）鲁0102执监12号"))
    assert response.status_code == 422
    block = field_block(response.content.decode(), "case_number")
    assert 'class="field-error"' in block and "不作为执行实施案件登记" in block
    assert nothing_created()


def test_browser_form_registers_preservation_with_its_flag(client, courts, clerk):
    client.force_login(clerk)
    response = client.post(
        reverse("enforcement:case-new"), register_data(courts, case_number="(2026)鲁0102执保31号", find_property="on")
    )
    case = Case.objects.get(case_number="(2026)鲁0102执保31号")
    assert response.status_code == 302 and case.type_code == "执保"
    assert set(Deadline.objects.filter(case=case).values_list("rule__code", flat=True)) == {"SEARCH_START"}
