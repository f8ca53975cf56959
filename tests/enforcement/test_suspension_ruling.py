"""Issue 15 (d), lifecycle spec §1 "Approved reason on 中止": ``case_suspend`` carries
the 中止 ruling's number and the 执行局长 who approved it (≠ the requester) instead of
free text — in REST and on the case page, each refusal beside its input, nothing
changed by a refusal.

Case received Mon 2026-04-13 09:00; SEARCH_START due 04-20 24:00 (T4); 中止 04-15 10:00.
"""

import pytest
from django.urls import reverse

from core.models import Deadline, NodeEvent, Role
from enforcement.models import Case, CaseStatus
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.enforcement.test_views import field_block

pytestmark = pytest.mark.django_db

SUSPEND_AT = "2026-04-15T10:00:00+08:00"


@pytest.fixture
def case(courts, clerk, handler):
    c = make_case(clerk, courts.lu0102, number="(2026)鲁0102执4号", received="2026-04-13 09:00", filed="2026-04-13", handler=handler)
    Case.objects.filter(pk=c.pk).update(status=CaseStatus.EXECUTING)
    return c


def _url(case):
    return f"/api/v1/cases/{case.pk}/suspend/"


def _unchanged(case):
    assert Case.objects.get(pk=case.pk).status == CaseStatus.EXECUTING
    assert not Deadline.objects.filter(case=case, paused_at__isnull=False).exists()
    assert not NodeEvent.objects.filter(case=case, kind="case.suspended").exists()


def test_free_text_alone_is_refused_naming_what_is_missing(as_user, clerk, case):
    response = as_user(clerk).post(_url(case), {"reason": "案外人异议", "at": SUSPEND_AT}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "suspension_incomplete"
    assert body["extra"]["missing"] == ["ruling_number", "approved_by"]
    assert set(body["extra"]["fields"]) == {"ruling_number", "approved_by"}
    assert "裁定书文号" in body["message"] and "批准人" in body["message"]
    _unchanged(case)


def test_the_bureau_head_may_not_approve_his_own_suspension(as_user, bureau_head, case):
    body = {"ruling_number": "(2026)鲁0102执异1号", "approved_by": bureau_head.pk, "at": SUSPEND_AT}
    response = as_user(bureau_head).post(_url(case), body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "maker_checker"
    assert "approved_by" in response.json()["extra"]["fields"]
    _unchanged(case)


@pytest.mark.parametrize("who", ["handler", "sibling_head", "upper_head", "nobody"])
def test_the_approver_is_a_bureau_head_of_the_case_court(as_user, clerk, handler, courts, case, who):
    approver = {
        "handler": lambda: handler.pk,
        "sibling_head": lambda: make_member(Role.BUREAU_HEAD, courts.lu0103, "head0103").pk,
        "upper_head": lambda: make_member(Role.BUREAU_HEAD, courts.lu01, "head01").pk,
        "nobody": lambda: 2_000_000_000,
    }[who]()
    body = {"ruling_number": "(2026)鲁0102执异1号", "approved_by": approver, "at": SUSPEND_AT}
    response = as_user(clerk).post(_url(case), body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "suspension_approver_invalid"
    assert response.json()["extra"]["fields"]["approved_by"] == ["批准人须为本案所属法院的执行局长。"]
    _unchanged(case)


@pytest.mark.parametrize(
    ("field", "value"),
    [("approved_by", "abc"), ("approved_by", -1), ("approved_by", 0), ("approved_by", 2**63), ("approved_by", 1.5),
     ("ruling_number", "执异\u00001号"), ("ruling_number", "号" * 101)],
)  # fmt: skip
def test_bad_input_is_400_beside_its_field(as_user, clerk, bureau_head, case, field, value):
    body = {"ruling_number": "(2026)鲁0102执异1号", "approved_by": bureau_head.pk, "at": SUSPEND_AT, field: value}
    response = as_user(clerk).post(_url(case), body, format="json")
    assert response.status_code == 400 and field in response.json()["extra"]["fields"]
    _unchanged(case)


def test_the_ruling_and_its_approver_are_recorded_and_pause_the_procedure_clocks(as_user, clerk, bureau_head, case):
    body = {"ruling_number": "(2026)鲁0102执异1号", "approved_by": bureau_head.pk, "reason": "案外人异议", "at": SUSPEND_AT}
    response = as_user(clerk).post(_url(case), body, format="json")
    assert response.status_code == 200 and response.json()["status"] == "suspended"
    node = NodeEvent.objects.get(case=case, kind="case.suspended")
    assert (node.payload["ruling_number"], node.payload["approved_by"], node.payload["reason"]) == (
        "(2026)鲁0102执异1号", bureau_head.pk, "案外人异议"
    )
    search = Deadline.objects.get(case=case, rule__code="SEARCH_START")
    assert search.paused_at == at("2026-04-15 10:00")
    assert search.pauses.get().reason == "中止执行：(2026)鲁0102执异1号（案外人异议）"


def test_the_page_form_offers_the_bureau_heads_and_shows_every_error_beside_its_field(client, clerk, bureau_head, case):
    client.force_login(clerk)
    url = reverse("enforcement:case-action", kwargs={"case_id": case.pk, "action": "suspend"})
    page = client.get(reverse("enforcement:case-detail", kwargs={"case_id": case.pk})).content.decode()
    approver = field_block(page, "approved_by")
    assert f'value="{bureau_head.pk}"' in approver and "批准人（执行局长）" in approver
    assert "中止执行裁定书文号" in field_block(page, "ruling_number")

    response = client.post(url, {"at": "2026-04-15T10:00", "reason": "案外人异议"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "请填写中止执行裁定书文号。" in field_block(html, "ruling_number")
    assert "请选择批准中止的执行局长。" in field_block(html, "approved_by")
    _unchanged(case)

    ok = client.post(url, {"at": "2026-04-15T10:00", "ruling_number": "(2026)鲁0102执异1号", "approved_by": bureau_head.pk})
    assert ok.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUSPENDED


def test_the_page_does_not_offer_the_requester_as_his_own_approver(client, bureau_head, courts, case):
    deputy = make_member(Role.BUREAU_HEAD, courts.lu0102, "deputy_head")
    client.force_login(bureau_head)
    page = client.get(reverse("enforcement:case-detail", kwargs={"case_id": case.pk})).content.decode()
    approver = field_block(page, "approved_by")
    assert f'value="{deputy.pk}"' in approver and f'value="{bureau_head.pk}"' not in approver
