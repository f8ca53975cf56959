"""执行信访 after 办结 (issue 15 item 10; lifecycle spec §8, tests T12a–T12c).

322号 §30: "人民法院收到信访材料后5个工作日内必须录入执行信访办理系统，30个工作日内办结，
并将办理结果及时反馈当事人". PETITION_FEEDBACK runs from 办结 to the feedback (the
period is the court's setting: the seed says "及时"); the handler of the case
complained about — now or before a reassignment — may not conclude the petition.

Petition about case C (handler H; earlier handler H0, reassigned 09-20) received
Thu 2026-09-17 10:00. Dates are the spec's, hand-computed on the 2026 calendar
(make-up working days Sun 09-20 and Sat 10-10; 09-25–27 and 10-01–07 rest)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from core.exceptions import PermissionDenied
from core.models import Deadline, DeadlineRule, Role
from enforcement.services.cases import case_assign
from supervision.models import PetitionStatus
from supervision.services.petitions import petition_conclude, petition_feedback, petition_register
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case
from tests.supervision.factories import *  # noqa: F403
from tests.supervision.test_orders_views import browser
from tests.supervision.test_petitions_api import assert_error, client_for

pytestmark = pytest.mark.django_db


def end_of(day: str) -> dt.datetime:
    """24:00 Asia/Shanghai of ``day`` (a working-day period ends at the end of its last day)."""
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


def clock(pk) -> Deadline:
    return Deadline.objects.select_related("rule").get(pk=pk)


@pytest.fixture
def earlier_handler(courts):
    """H0: the handler case C was registered with, reassigned away on 09-20."""
    return make_member(Role.HANDLER, courts.lu0102, "handler0")


@pytest.fixture
def case_c(clerk, courts, bureau_head, handler, earlier_handler):
    case = make_case(
        clerk, courts.lu0102, number="(2026)鲁0102执3001号", received="2026-09-10 10:00",
        filed="2026-09-08", handler=earlier_handler,
    )
    with time_machine.travel(at("2026-09-20 10:00"), tick=False):
        return case_assign(actor=bureau_head, case=case, handler=handler)


@pytest.fixture
def petition_c(receive_petition, case_c):
    return receive_petition(case=case_c, received_at=at("2026-09-17 10:00"))


@pytest.fixture
def registered_c(petition_c, clerk):
    return petition_register(actor=clerk, petition=petition_c, at=at("2026-09-24 10:00"))


def conclude(actor, petition, day="2026-10-09 10:00"):
    return petition_conclude(
        actor=actor, petition=petition, result="经核查，已督促承办人发放案款。", finding="untrue",
        concluded_at=at(day),
    )


# --- T12a ----------------------------------------------------------------------------------


def test_t12a_register_and_close_clocks_count_from_receipt(petition_c, registered_c, bureau_head):
    register = clock(petition_c.register_deadline_id)
    close = clock(petition_c.close_deadline_id)
    # 09-18(1) 09-20(2, make-up Sun) 09-21(3) 09-22(4) 09-23(5)
    assert register.due_at == end_of("2026-09-23")
    # registered 09-24 → breached
    assert (register.status, register.completed_at) == ("breached", at("2026-09-24 10:00"))
    # 09-18(1) … 10-09(11) 10-10(12, make-up Sat) … 11-04(30)
    assert close.due_at == end_of("2026-11-04")

    concluded = conclude(bureau_head, registered_c)

    close.refresh_from_db()
    assert (close.status, close.completed_at) == ("met", at("2026-10-09 10:00"))
    assert concluded.status == PetitionStatus.CONCLUDED
    # PETITION_CLOSE stops at 办结; the feedback is PETITION_FEEDBACK's (spec §8.1)
    assert DeadlineRule.objects.get(code="PETITION_CLOSE").stops_on == "办结"


# --- T12b ----------------------------------------------------------------------------------


def test_t12b_concluding_starts_the_feedback_clock(registered_c, bureau_head):
    petition = conclude(bureau_head, registered_c)

    feedback = clock(petition.feedback_deadline_id)
    assert feedback.rule.code == "PETITION_FEEDBACK"
    assert (feedback.started_at, feedback.status, feedback.unit) == (at("2026-10-09 10:00"), "open", "working_days")
    assert feedback.subject_id == petition.pk and feedback.case is None  # the petition's, not the case's
    # 10-10(1, make-up Sat) 10-12(2) 10-13(3) 10-14(4) 10-15(5)
    assert feedback.due_at == end_of("2026-10-15")


@pytest.mark.parametrize(
    ("fed_back", "status"), [("2026-10-15 16:00", "met"), ("2026-10-16 09:00", "breached")]
)
def test_t12b_the_feedback_stops_the_clock(registered_c, bureau_head, clerk, fed_back, status):
    petition = conclude(bureau_head, registered_c)

    petition = petition_feedback(actor=clerk, petition=petition, method="phone", fed_back_at=at(fed_back))

    feedback = clock(petition.feedback_deadline_id)
    assert (feedback.status, feedback.completed_at) == (status, at(fed_back))
    assert petition.status == PetitionStatus.CLOSED


def test_the_feedback_rule_is_the_courts_setting_and_unverified(db):
    rule = DeadlineRule.objects.get(code="PETITION_FEEDBACK")

    assert (rule.duration, rule.unit, rule.starts_on) == (5, "working_days", "信访办结")
    assert rule.verified is False
    assert rule.basis_in_force == "322号 第30条（及时反馈；期限由本院设定）"


# --- T12c ----------------------------------------------------------------------------------


def test_t12c_the_current_handler_may_not_conclude(registered_c, handler):
    with pytest.raises(PermissionDenied) as refused:
        conclude(handler, registered_c)

    assert refused.value.code == "petition_concluder_conflict"
    assert refused.value.extra == {"case": "(2026)鲁0102执3001号"}
    registered_c.refresh_from_db()
    assert registered_c.status == PetitionStatus.REGISTERED
    assert registered_c.feedback_deadline_id is None
    assert clock(registered_c.close_deadline_id).status == "open"


def test_t12c_the_earlier_handler_may_not_conclude_either(registered_c, earlier_handler, case_c, handler):
    assert case_c.handler == handler  # H0 was reassigned away on 09-20

    with pytest.raises(PermissionDenied) as refused:
        conclude(earlier_handler, registered_c)

    assert refused.value.code == "petition_concluder_conflict"


def test_t12c_the_bureau_head_or_another_handler_concludes(registered_c, bureau_head, courts):
    other = make_member(Role.HANDLER, courts.lu0102, "other_handler")

    petition = conclude(other, registered_c)

    assert petition.concluded_by == other
    # the feedback clock is the concluder's to answer for
    assert clock(petition.feedback_deadline_id).responsible == other


def test_t12c_a_handler_may_conclude_a_petition_about_no_case_of_theirs(receive_petition, clerk, handler):
    petition = petition_register(
        actor=clerk, petition=receive_petition(received_at=at("2026-09-17 10:00")), at=at("2026-09-18 10:00")
    )

    petition = conclude(handler, petition)

    assert petition.concluded_by == handler
    assert clock(petition.feedback_deadline_id).rule.code == "PETITION_FEEDBACK"


def test_a_flagged_petition_is_not_fed_back_by_the_handler_concerned(registered_c, bureau_head, handler, clerk):
    from supervision.services.petitions import petition_flag_dualcheck

    petition = conclude(bureau_head, registered_c)
    petition_flag_dualcheck(actor=bureau_head, petition=petition, reason="反映承办人消极执行。", at=at("2026-10-09 11:00"))

    with pytest.raises(PermissionDenied) as refused:
        petition_feedback(actor=handler, petition=petition, method="phone", fed_back_at=at("2026-10-12 10:00"))

    assert refused.value.code == "petition_concluder_conflict"
    assert petition_feedback(
        actor=clerk, petition=petition, method="phone", fed_back_at=at("2026-10-12 10:00")
    ).status == PetitionStatus.CLOSED


# --- T12c in REST and in the browser --------------------------------------------------------


def test_t12c_rest_refuses_the_handler_with_the_code(registered_c, handler, earlier_handler, bureau_head):
    url = f"/api/v1/petitions/{registered_c.pk}/conclude/"
    body = {"result": "已核查。", "finding": "untrue", "concluded_at": "2026-10-09T10:00:00+08:00"}

    for refused in (handler, earlier_handler):
        error = assert_error(client_for(refused).post(url, body, format="json"), 403, "petition_concluder_conflict")
        assert "(2026)鲁0102执3001号" in error["message"]

    response = client_for(bureau_head).post(url, body, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "concluded"
    assert data["feedback_deadline"]["rule"] == "PETITION_FEEDBACK"
    assert data["feedback_deadline"]["due_date"] == "2026-10-15"
    assert data["feedback_deadline"]["basis_verified"] is False


def test_t12c_the_page_hides_the_button_from_the_handler_and_says_why(registered_c, handler, bureau_head):
    url = reverse("supervision:petition-detail", args=[registered_c.pk])

    html = browser(handler).get(url).content.decode()
    assert 'id="form-conclude"' not in html
    assert 'id="conclude-refused"' in html
    assert "不能办结" in html and "(2026)鲁0102执3001号" in html

    html = browser(bureau_head).get(url).content.decode()
    assert 'id="form-conclude"' in html and 'id="conclude-refused"' not in html


def test_t12c_the_page_refuses_a_posted_conclusion_by_the_handler(registered_c, handler):
    response = browser(handler).post(
        reverse("supervision:petition-action", args=[registered_c.pk, "conclude"]),
        {"result": "已核查。", "finding": "untrue", "measures": "", "concluded_at": "2026-10-09T10:00"},
    )

    assert response.status_code == 403
    assert "(2026)鲁0102执3001号" in response.content.decode()
    registered_c.refresh_from_db()
    assert registered_c.status == PetitionStatus.REGISTERED


def test_the_petition_page_shows_the_feedback_clock(registered_c, bureau_head):
    petition = conclude(bureau_head, registered_c)

    html = browser(bureau_head).get(reverse("supervision:petition-detail", args=[petition.pk])).content.decode()

    assert 'data-clock="PETITION_FEEDBACK"' in html and 'data-due="2026-10-15"' in html
    assert "未核实" in html  # the period is the court's setting, not a verified legal one
