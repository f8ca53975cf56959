"""Matching 不明款 to a case already closed or closing (结案/终本): the service and REST
refuse (422 ``case_closed``, naming the state) unless confirmed with a reason, which
is recorded; the 不明款 page shows the state and asks to confirm."""

import pytest

from core.models import NodeEvent
from custody_funds.models import Receipt, ReceiptStatus
from custody_funds.services import funds
from tests.custody_funds.factories import closed, stray
from tests.enforcement.factories import make_case


@pytest.fixture
def closed_case(courts, clerk, handler):
    case = closed(make_case(clerk, courts.lu0102, handler=handler), clerk)
    assert case.status == "closed"
    return case


@pytest.fixture
def unidentified(courts, finance):
    return stray(courts.lu0102, finance, "800.00", "U-9", "2026-11-20 09:00", payer="王某")


def test_rest_refuses_without_confirmation_naming_the_state(closed_case, unidentified, finance, as_user):
    r = as_user(finance).post(
        f"/api/v1/receipts/{unidentified.pk}/match/", {"case": closed_case.pk}, format="json"
    )
    assert r.status_code == 422
    body = r.json()
    assert body["code"] == "case_closed" and body["extra"]["case_status"] == "closed"
    assert "已结案" in body["message"] and "撤回申请" in body["message"]
    unidentified.refresh_from_db()
    assert unidentified.status == ReceiptStatus.UNIDENTIFIED and unidentified.case_id is None


def test_rest_confirmation_needs_a_reason(closed_case, unidentified, finance, as_user):
    r = as_user(finance).post(
        f"/api/v1/receipts/{unidentified.pk}/match/",
        {"case": closed_case.pk, "confirm_closed_case": True},
        format="json",
    )
    assert r.status_code == 400 and "closed_case_reason" in r.json()["extra"]["fields"]
    assert Receipt.objects.get(pk=unidentified.pk).status == ReceiptStatus.UNIDENTIFIED


def test_rest_confirmed_match_is_recorded(closed_case, unidentified, finance, as_user):
    r = as_user(finance).post(
        f"/api/v1/receipts/{unidentified.pk}/match/",
        {
            "case": closed_case.pk,
            "confirm_closed_case": True,
            "closed_case_reason": "撤回后被执行人仍汇款，待退还",
        },
        format="json",
    )
    assert r.status_code == 200
    assert r.json()["matched_case_status"] == "closed"
    receipt = Receipt.objects.get(pk=unidentified.pk)
    assert receipt.case_id == closed_case.pk and receipt.closed_case_reason == "撤回后被执行人仍汇款，待退还"
    node = NodeEvent.objects.get(kind="funds.receipt_matched", case=closed_case)
    assert node.payload["closed_case_confirmed"]["reason"] == "撤回后被执行人仍汇款，待退还"
    assert node.payload["closed_case_confirmed"]["status"] == "closed"


def test_an_open_case_needs_no_confirmation(case, unidentified, finance):
    receipt = funds.receipt_match(actor=finance, receipt=unidentified, case=case, reason="转账凭证")
    assert receipt.status == ReceiptStatus.MATCHED and receipt.matched_case_status == ""


def test_page_warns_then_matches_once_confirmed(closed_case, unidentified, finance, client):
    client.force_login(finance)
    url = f"/funds/receipts/{unidentified.pk}/match/"
    r = client.post(url, {"case_number": closed_case.case_number, "reason": "付款凭证"})
    html = r.content.decode()
    assert r.status_code == 422 and "data-closed-case" in html and "已结案（撤回申请）" in html
    assert Receipt.objects.get(pk=unidentified.pk).status == ReceiptStatus.UNIDENTIFIED
    r = client.post(
        url, {"case_number": closed_case.case_number, "reason": "付款凭证", "confirm_closed_case": "on"}
    )
    assert r.status_code == 422 and "请说明匹配到该案的理由" in r.content.decode()
    r = client.post(
        url,
        {
            "case_number": closed_case.case_number,
            "reason": "付款凭证",
            "confirm_closed_case": "on",
            "closed_case_reason": "撤回后仍汇款，待退还",
        },
    )
    assert r.status_code == 302
    assert Receipt.objects.get(pk=unidentified.pk).matched_case_status == "closed"
