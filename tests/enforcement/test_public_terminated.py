"""The public 终本案件 list (322号 §11; h/gateproc): one court's closed 终本 cases, reachable without
login, respondents' names masked for persons, no ID number and no internal id, throttled."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle

from enforcement.models import CaseStatus
from enforcement.services import closure as closure_services
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from tests.conftest import at
from tests.enforcement.factories import org_code, person_id
from tests.enforcement.gate_gateproc import serve_ruling_on_all

pytestmark = pytest.mark.django_db

PERSON_ID = person_id("37010219800202123")
ORG_ID = org_code()
URL = "/api/v1/public/terminated-cases/"
PAGE = "/public/terminated-cases/"


def _case(clerk, court, number, respondent="李四"):
    return case_register(actor=clerk, data=CaseInput(
        case_number=number, court=court, filed_on=dt.date(2026, 1, 15), received_at=at("2026-01-15 09:00"),
        claim_amount=Decimal("500000.00"), costs=Decimal("8800.00"), basis_document="(2025)民初9号民事判决书",
        applicants=[PartyInput("张三", "person", person_id(), "13800000000",
                               PayoutAccountInput("工商银行", "6222020200112233445", "张三"))],
        respondents=[PartyInput(respondent, "person", PERSON_ID), PartyInput("某某公司", "organization", ORG_ID)],
    ))


def _terminate(case, head, clerk, served=True):
    # the gate's rows and the clocks are their own tests' (test_gate_procedure, test_clock_lifecycle)
    real, real_clocks = closure_services.terminated_round_unmet, closure_services.clocks_blocking_closure
    closure_services.terminated_round_unmet = lambda *a, **k: []
    closure_services.clocks_blocking_closure = lambda *a, **k: []
    try:
        closure_services.case_close(actor=head, case=case, closure="terminated_this_round",
                                    closed_at=at("2026-04-16 10:00"), document=f"{case.case_number}之一")
    finally:
        closure_services.terminated_round_unmet, closure_services.clocks_blocking_closure = real, real_clocks
    if served:
        serve_ruling_on_all(case, actor=clerk, at=at("2026-04-24 10:00"))


@pytest.fixture
def world(time_machine, courts, clerk, bureau_head):
    from core.models import Role
    from tests.core.factories import make_member

    time_machine.move_to(at("2026-05-06 10:00"), tick=False)
    cache.clear()
    clerk0103 = make_member(Role.CLERK, courts.lu0103, "clerk0103_pub")
    head0103 = make_member(Role.BUREAU_HEAD, courts.lu0103, "head0103_pub")
    ours = _case(clerk, courts.lu0102, "(2026)鲁0102执21号")
    _terminate(ours, bureau_head, clerk)
    closing = _case(clerk, courts.lu0102, "(2026)鲁0102执22号")
    _terminate(closing, bureau_head, clerk, served=False)
    _case(clerk, courts.lu0102, "(2026)鲁0102执23号")  # open
    other = _case(clerk0103, courts.lu0103, "(2026)鲁0103执24号", respondent="王五")
    _terminate(other, head0103, clerk0103)
    return ours, closing, other


def test_the_list_is_one_courts_closed_terminated_cases_masked(world):
    ours, closing, other = world
    assert (closing.__class__.objects.get(pk=closing.pk).status) == CaseStatus.CLOSING
    response = APIClient().get(URL, {"court": "鲁0102"})  # no login
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1  # not the closing one, not the open one, not 鲁0103's
    assert body["results"] == [{
        "case_number": "(2026)鲁0102执21号", "court": "鲁0102", "court_name": "历下区人民法院",
        "terminated_on": "2026-04-24", "unpaid_amount": "508800.00", "respondents": ["李*", "某某公司"],
    }]
    text = response.content.decode()
    assert PERSON_ID not in text and ORG_ID not in text and "李四" not in text and "张三" not in text
    other_court = APIClient().get(URL, {"court": "鲁0103"}).json()
    assert [r["case_number"] for r in other_court["results"]] == ["(2026)鲁0103执24号"]
    assert other_court["results"][0]["respondents"] == ["王*", "某某公司"]


def test_the_court_is_required_and_must_exist(world):
    missing = APIClient().get(URL)
    assert missing.status_code == 400 and "court" in missing.json()["extra"]["fields"]
    assert APIClient().get(URL, {"court": "鲁9999"}).status_code == 404


def test_the_page_needs_no_login_and_masks(client, world):
    response = client.get(PAGE, {"court": "鲁0102"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "(2026)鲁0102执21号" in text and "李*" in text and "508,800.00" in text  # grouped, as money is printed
    assert "(2026)鲁0102执22号" not in text and "(2026)鲁0103执24号" not in text
    assert "李四" not in text and PERSON_ID not in text and ORG_ID not in text
    assert client.get(PAGE, {"court": "鲁9999"}).status_code == 404
    assert "(2026)" not in client.get(PAGE).content.decode()  # no court chosen: no rows


def test_both_are_throttled_like_every_anonymous_request(client, world, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/min"})
    cache.clear()
    api = APIClient()
    # an address of this test's own: the cache is shared with the other workers' anonymous requests
    api_addr, page_addr = "198.51.100.17", "198.51.100.18"
    assert [api.get(URL, {"court": "鲁0102"}, REMOTE_ADDR=api_addr).status_code for _ in range(3)] == [200, 200, 429]
    cache.clear()
    statuses = [client.get(PAGE, {"court": "鲁0102"}, REMOTE_ADDR=page_addr) for _ in range(3)]
    assert [r.status_code for r in statuses] == [200, 200, 429]
    assert statuses[-1]["Retry-After"] and "请求过于频繁" in statuses[-1].content.decode()
