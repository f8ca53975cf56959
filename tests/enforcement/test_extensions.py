"""Extensions through the case's approval flow (issue 15 item 3; spec §2, T5a, T5c):
the rule decides who approves, in what unit and up to what; the form names the unit."""

import datetime as dt

import pytest
from django.urls import reverse

from core.exceptions import PermissionDenied, RuleViolation
from core.models import Deadline, DeadlineStatus, Role
from enforcement.models import Approval, ApprovalStatus
from enforcement.services import closure as closure_services
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db


def end_of(day: str) -> dt.datetime:
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


@pytest.fixture
def january_case(time_machine, courts, clerk, handler):
    """立案 Mon 2026-01-05: CASE_DURATION 01-05 + 6 M = Sun 07-05 → Mon 07-06."""
    time_machine.move_to(at("2026-01-05 10:00"), tick=False)
    return make_case(clerk, courts.lu0102, number="(2026)鲁0102执3001号", received="2026-01-05 09:00",
                     filed="2026-01-05", handler=handler)


@pytest.fixture
def president(courts):
    """院领导 of 鲁0102 (there is no 院长 role: 院领导 stands for the court president)."""
    return make_member(Role.COURT_LEADER, courts.lu0102, "president_0102")


def duration_of(case) -> Deadline:
    return Deadline.objects.get(case=case, rule__code="CASE_DURATION")


def test_t5a_the_president_approves_three_months_and_no_more(january_case, handler, bureau_head, president,
                                                            time_machine):
    clock = duration_of(january_case)
    assert clock.due_at == end_of("2026-07-06")
    time_machine.move_to(at("2026-06-29 10:00"), tick=False)
    approval = closure_services.approval_request(actor=handler, case=january_case, kind="extension",
                                                 reason="财产尚在处置", payload={"deadline": clock.pk, "added": 3})
    assert approval.payload == {"deadline": clock.pk, "added": 3, "unit": "months"}

    time_machine.move_to(at("2026-06-30 10:00"), tick=False)
    with pytest.raises(PermissionDenied) as refused:
        closure_services.approval_decide(actor=bureau_head, approval=approval, approve=True)
    assert refused.value.code == "extension_wrong_role"
    closure_services.approval_decide(actor=president, approval=approval, approve=True)
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.USED
    clock.refresh_from_db()
    assert clock.due_at == end_of("2026-10-08")  # 07-05 + 3 M = 10-05 (rest) → 10-08
    assert clock.original_due_at == end_of("2026-07-06")

    with pytest.raises(RuleViolation) as refused:
        closure_services.approval_request(actor=handler, case=january_case, kind="extension", reason="再延长",
                                          payload={"deadline": clock.pk, "added": 1})
    assert refused.value.code == "extension_exceeds_maximum"
    assert {k: refused.value.extra[k] for k in ("max_total", "used", "unit")} == {
        "max_total": 3, "used": 3, "unit": "months"
    }


def test_pending_requests_count_towards_the_maximum(january_case, handler, time_machine):
    clock = duration_of(january_case)
    time_machine.move_to(at("2026-06-29 10:00"), tick=False)
    closure_services.approval_request(actor=handler, case=january_case, kind="extension", reason="a",
                                      payload={"deadline": clock.pk, "added": 2})
    with pytest.raises(RuleViolation) as refused:
        closure_services.approval_request(actor=handler, case=january_case, kind="extension", reason="b",
                                          payload={"deadline": clock.pk, "added": 2})
    assert refused.value.code == "extension_exceeds_maximum"


def test_a_case_duration_request_after_the_due_moment_is_late(january_case, handler, time_machine):
    clock = duration_of(january_case)
    time_machine.move_to(at("2026-07-07 09:00"), tick=False)
    with pytest.raises(RuleViolation) as refused:
        closure_services.approval_request(actor=handler, case=january_case, kind="extension", reason="x",
                                          payload={"deadline": clock.pk, "added": 1})
    assert refused.value.code == "extension_request_late"
    assert not Approval.objects.exists()


def test_t5b_a_fixed_clock_cannot_even_be_requested(january_case, handler, time_machine):
    clock = Deadline.objects.get(case=january_case, rule__code="SEARCH_START")
    with pytest.raises(RuleViolation) as refused:
        closure_services.approval_request(actor=handler, case=january_case, kind="extension", reason="x",
                                          payload={"deadline": clock.pk, "added": 1})
    assert refused.value.code == "extension_not_allowed"


def test_t5c_the_api_refuses_another_unit(january_case, handler, as_user, time_machine):
    clock = duration_of(january_case)
    time_machine.move_to(at("2026-06-29 10:00"), tick=False)
    response = as_user(handler).post(
        f"/api/v1/cases/{january_case.pk}/approvals/",
        {"kind": "extension", "reason": "x", "deadline": clock.pk, "added": 90, "unit": "working_days"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "extension_unit_mismatch"
    assert not Approval.objects.exists()
    clock.refresh_from_db()
    assert clock.due_at == end_of("2026-07-06")
    response = as_user(handler).post(
        f"/api/v1/cases/{january_case.pk}/approvals/",
        {"kind": "extension", "reason": "x", "deadline": clock.pk, "added": 3, "unit": "months"},
        format="json",
    )
    assert response.status_code == 201, response.content


def test_t5c_the_form_names_the_unit_and_refuses_too_much_next_to_the_field(client, january_case, handler,
                                                                           time_machine):
    from tests.enforcement.test_views import action_url, detail_url, field_block

    time_machine.move_to(at("2026-06-29 10:00"), tick=False)
    client.force_login(handler)
    body = client.get(detail_url(january_case)).content.decode()
    assert "延长天数" not in body
    assert "延长期限（月）" in body
    clock = duration_of(january_case)
    response = client.post(
        action_url(january_case, "approval-request"),
        {"kind": "extension", "deadline": str(clock.pk), "added": "90", "reason": "财产处置需要时间"},
    )
    assert response.status_code == 422
    assert "尚可延长 3 月" in field_block(response.content.decode(), "added")
    assert not Approval.objects.exists()


def test_the_queue_shows_the_clock_unit(client, january_case, handler, president, time_machine):
    clock = duration_of(january_case)
    time_machine.move_to(at("2026-06-29 10:00"), tick=False)
    closure_services.approval_request(actor=handler, case=january_case, kind="extension", reason="x",
                                      payload={"deadline": clock.pk, "added": 2})
    client.force_login(president)
    queue = client.get(reverse("enforcement:approvals")).content.decode()
    assert "执行期限 延长 2 月" in queue
    assert clock.status == DeadlineStatus.OPEN


def test_t5e_the_case_page_shows_a_breach_done_within_the_extension(client, january_case, handler, president,
                                                                   courts, time_machine):
    from core.services import clocks
    from core.services.clocks.recompute import clocks_mark_breached
    from tests.enforcement.test_views import detail_url

    clock = duration_of(january_case)
    time_machine.move_to(at("2026-07-07 00:10"), tick=False)
    clocks_mark_breached(court_id=courts.lu0102.pk, at=at("2026-07-07 00:10"))
    time_machine.move_to(at("2026-07-08 10:00"), tick=False)
    clocks.clock_extend(deadline=clock, added=3, reason="财产处置中", approved_by=president)
    time_machine.move_to(at("2026-09-01 10:00"), tick=False)
    clock = clocks.clock_stop(deadline=clock, stopped_at=at("2026-09-01 10:00"))
    assert clock.status == DeadlineStatus.BREACHED
    client.force_login(handler)
    assert "超期（延长后按期完成）" in client.get(detail_url(january_case)).content.decode()
