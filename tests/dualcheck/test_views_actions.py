"""The action forms of the clue page: each step through its form (POST, then the
clue page again), and each refusal shown next to the input it is about with 422
(403 for someone without the role, 409 for a step the stage no longer allows)."""

import re

import pytest
from django.urls import reverse

from core.web.forms import local_now_input
from dualcheck.models import Clarification, ClueStatus, ConfidentialRead, Disposition, Feedback, Team
from dualcheck.services import investigation as s_inv
from tests.dualcheck.conftest import advance
from tests.supervision.test_orders_views import browser

pytestmark = pytest.mark.django_db


NOW = local_now_input()


def field_errors(html: str, field: str) -> list[str]:
    """The error messages under the input ``field`` (up to the next field; works for
    checkbox and radio groups, whose markup nests ``div`` elements)."""
    start = html.find(f'data-field="{field}"')
    assert start >= 0, f"no field {field} on the page"
    end = html.find('data-field="', start + 1)
    block = html[start : end if end >= 0 else len(html)]
    return re.findall(r'<p class="field-error" role="alert"[^>]*>(.*?)</p>', block)


def act(user, clue, slug, data=None):
    return browser(user).post(reverse("dualcheck:clue-action", args=[clue.pk, slug]), data or {})


def refreshed(clue):
    clue.refresh_from_db()
    return clue


def done(response, clue):
    html = response.content.decode()
    errors = re.findall(r'class="(?:field-error|form-error)" role="alert"[^>]*>(.*?)</', html, re.S)
    assert response.status_code == 302, errors
    assert response["Location"] == reverse("dualcheck:clue-detail", args=[clue.pk])


def non_field_errors(html: str) -> str:
    return " ".join(re.findall(r'<div class="form-error" role="alert">(.*?)</div>', html, re.S))


# --- the happy path through the forms ---------------------------------------------------------


def test_the_whole_path_through_the_page(dc, clue):
    done(act(dc.working_group, clue, "screen", {"proceed": "1", "opinion": "线索具体。"}), clue)
    assert refreshed(clue).status == ClueStatus.SCREENED
    done(act(dc.head, clue, "approve", {"approved": "1", "opinion": "同意。"}), clue)
    assert refreshed(clue).status == ClueStatus.PENDING_MEETING

    html = browser(dc.inspector).get(reverse("dualcheck:clue-detail", args=[clue.pk])).content.decode()
    assert 'id="form-decide"' in html and f'value="{dc.head.pk}"' in html  # the head is offered
    done(
        act(
            dc.inspector,
            clue,
            "decide",
            {
                "held_at": "",
                "participants": [dc.head.pk, dc.inspector.pk],
                "minutes": "会议决定启动。",
                "launch": "1",
            },
        ),
        clue,
    )
    assert refreshed(clue).status == ClueStatus.LAUNCHED
    assert clue.meetings.get().participants.count() == 2

    done(
        act(
            dc.head,
            clue,
            "refer",
            {
                "mode": "refer",
                "target_court": dc.courts.lu0102.pk,
                "report_days": "30",
                "instructions": "请组成联合调查组。",
            },
        ),
        clue,
    )
    assert refreshed(clue).status == ClueStatus.REFERRED and clue.target_court == dc.courts.lu0102

    done(
        act(
            dc.lower_head,
            clue,
            "form-team",
            {
                "members": [f"{dc.lower_head.pk}:execution", f"{dc.lower_inspector.pk}:supervision"],
                "leader": dc.lower_inspector.pk,
            },
        ),
        clue,
    )
    team = Team.objects.get(clue=clue)
    assert refreshed(clue).status == ClueStatus.INVESTIGATING
    assert team.members.get(is_leader=True).user == dc.lower_inspector

    done(
        act(
            dc.lower_inspector,
            clue,
            "record-work",
            {
                "methods": ["file_review", "system_check"],
                "scope": ["passive", "discipline"],
                "notes": "调卷。",
            },
        ),
        clue,
    )
    team.refresh_from_db()
    assert team.methods == ["file_review", "system_check"] and team.work_notes == "调卷。"

    s_inv.report_submit(
        actor=dc.lower_inspector,
        clue=clue,
        process="调取卷宗。",
        facts="未发起查控。",
        analysis="消极执行。",
        opinion="督促限期办理。",
        officer_conduct="接受宴请属实。",
        officer_findings=[
            {"officer": clue.officers.get().pk, "result": "substantiated", "detail": "宴请一次。"}
        ],
    )
    done(act(dc.head, clue, "review", {"decision": "accept", "opinion": "采纳。"}), clue)
    assert refreshed(clue).status == ClueStatus.ACCEPTED

    # the inspector may name the officer in a disciplinary disposition
    html = browser(dc.inspector).get(reverse("dualcheck:clue-detail", args=[clue.pk])).content.decode()
    assert 'value="disciplinary"' in html
    officer = clue.officers.get()
    done(
        act(
            dc.inspector,
            clue,
            "conclude",
            {
                "held_at": "",
                "participants": [dc.head.pk, dc.inspector.pk],
                "minutes": "会商。",
                "finding": "substantiated",
                "summary": "属实。",
                "dispositions-0-kind": "deadline_order",
                "dispositions-0-detail": "十日内采取查封措施。",
                "dispositions-0-target_court": dc.courts.lu0102.pk,
                "dispositions-0-due_date": "2026-12-31",
                "dispositions-1-kind": "disciplinary",
                "dispositions-1-detail": "移送处理。",
                "dispositions-1-officer": officer.pk,
                "dispositions-1-referred_to": "历下区法院监察室",
                # a blank row is ignored
                "dispositions-2-kind": "",
                "dispositions-2-detail": "",
            },
        ),
        clue,
    )
    assert refreshed(clue).status == ClueStatus.CONCLUDED
    assert sorted(Disposition.objects.values_list("kind", flat=True)) == ["deadline_order", "disciplinary"]

    # the allegation is about an officer: the supervision department leads the feedback (§10)
    html = browser(dc.inspector).get(reverse("dualcheck:clue-detail", args=[clue.pk])).content.decode()
    assert 'data-lead="supervision"' in html
    assert (
        'id="form-feedback"'
        not in browser(dc.head).get(reverse("dualcheck:clue-detail", args=[clue.pk])).content.decode()
    )
    done(act(dc.inspector, clue, "feedback", {"method": "phone", "content": "已电话告知。"}), clue)
    assert Feedback.objects.get(clue=clue).lead == "supervision"

    done(act(dc.head, clue, "close", {"note": "办结。"}), clue)
    assert refreshed(clue).status == ClueStatus.CLOSED


def test_a_bureau_head_concludes_without_seeing_officers(dc, clue):
    clue = advance(dc, clue, "accepted")
    html = browser(dc.head).get(reverse("dualcheck:clue-detail", args=[clue.pk])).content.decode()
    assert 'id="form-conclude"' in html
    assert 'value="disciplinary"' not in html and "李承办" not in html
    response = act(
        dc.head,
        clue,
        "conclude",
        {
            "held_at": "",
            "participants": [dc.head.pk, dc.inspector.pk],
            "minutes": "会商。",
            "finding": "partly",
            "summary": "部分属实。",
            "dispositions-0-kind": "correction",
            "dispositions-0-detail": "自行纠正。",
            "dispositions-0-target_court": dc.courts.lu0102.pk,
        },
    )
    done(response, clue)
    assert not ConfidentialRead.objects.filter(user=dc.head).exists()


def test_clarification_after_an_untrue_allegation(dc, clue):
    clue = advance(dc, clue, "fed_back", finding="unsubstantiated")
    html = browser(dc.inspector).get(reverse("dualcheck:clue-detail", args=[clue.pk])).content.decode()
    assert 'id="form-clarify"' in html

    bad = act(dc.inspector, clue, "clarify", {"scope": "", "content": "经查不实。"})
    assert bad.status_code == 422 and field_errors(bad.content.decode(), "scope")

    done(act(dc.inspector, clue, "clarify", {"scope": "历下区法院执行局内部", "content": "经查不实。"}), clue)
    assert Clarification.objects.filter(clue=clue).exists()
    done(act(dc.inspector, clue, "close"), clue)
    assert refreshed(clue).status == ClueStatus.CLOSED


def test_screened_out_and_not_launched(dc, clue):
    done(act(dc.working_group, clue, "screen", {"proceed": "0", "opinion": "线索不具体。"}), clue)
    assert refreshed(clue).status == ClueStatus.NOT_LAUNCHED


def test_a_supplementary_investigation_and_a_hearing(dc, clue):
    clue = advance(dc, clue, "reported")
    done(
        act(
            dc.head,
            clue,
            "review",
            {
                "decision": "hearing",
                "opinion": "组织听证。",
                "hearing_at": NOW,
                "hearing_record": "双方到场。",
            },
        ),
        clue,
    )
    assert refreshed(clue).status == ClueStatus.REPORTED
    done(
        act(dc.head, clue, "review", {"decision": "supplement", "opinion": "补充调查。", "days": "15"}), clue
    )
    assert refreshed(clue).status == ClueStatus.INVESTIGATING and clue.round == 2


# --- refusals next to their fields --------------------------------------------------------------


def refused(response, field: str) -> list[str]:
    assert response.status_code == 422, response.status_code
    errors = field_errors(response.content.decode(), field)
    assert errors, f"no error next to {field}"
    return errors


def test_screen_and_approve_need_an_opinion(dc, clue):
    refused(act(dc.working_group, clue, "screen", {"proceed": "1", "opinion": ""}), "opinion")
    clue = advance(dc, clue, "screened")
    refused(act(dc.head, clue, "approve", {"approved": "1", "opinion": "  "}), "opinion")


def test_a_meeting_of_one_department_is_refused_next_to_the_participants(dc, clue):
    clue = advance(dc, clue, "pending_meeting")
    errors = refused(
        act(
            dc.inspector,
            clue,
            "decide",
            {"held_at": "", "participants": [dc.head.pk], "minutes": "会议。", "launch": "1"},
        ),
        "participants",
    )
    assert "执行机构和监察机构共同参加" in errors[0]
    refused(
        act(
            dc.inspector,
            clue,
            "decide",
            {
                "held_at": "2099-11-01T10:00",
                "participants": [dc.head.pk, dc.inspector.pk],
                "minutes": "会议。",
                "launch": "1",
            },
        ),
        "held_at",
    )
    assert refreshed(clue).status == ClueStatus.PENDING_MEETING


def test_a_referral_needs_a_lower_court(dc, clue):
    clue = advance(dc, clue, "launched")
    refused(
        act(
            dc.head,
            clue,
            "refer",
            {"mode": "refer", "target_court": "", "report_days": "30", "instructions": "请调查。"},
        ),
        "target_court",
    )
    refused(
        act(
            dc.head,
            clue,
            "refer",
            {
                "mode": "refer",
                "target_court": dc.courts.lu0102.pk,
                "report_days": "0",
                "instructions": "请调查。",
            },
        ),
        "report_days",
    )


def test_a_team_of_one_department_is_refused_next_to_the_members(dc, clue):
    clue = advance(dc, clue, "referred")
    errors = refused(
        act(
            dc.lower_head,
            clue,
            "form-team",
            {"members": [f"{dc.lower_head.pk}:execution", f"{dc.lower_handler2.pk}:execution"]},
        ),
        "members",
    )
    assert "每个部门至少一人" in errors[0]
    # the officer concerned must stand aside
    refused(
        act(
            dc.lower_head,
            clue,
            "form-team",
            {"members": [f"{dc.officer.pk}:execution", f"{dc.lower_inspector.pk}:supervision"]},
        ),
        "members",
    )
    assert refreshed(clue).status == ClueStatus.REFERRED


def test_record_work_refuses_an_unknown_method(dc, clue):
    clue = advance(dc, clue, "investigating")
    refused(act(dc.lower_inspector, clue, "record-work", {"methods": ["telepathy"]}), "methods")


def test_a_supplementary_investigation_needs_its_days(dc, clue):
    clue = advance(dc, clue, "reported")
    refused(act(dc.head, clue, "review", {"decision": "supplement", "opinion": "补充调查。"}), "days")
    refused(act(dc.head, clue, "review", {"decision": "hearing", "opinion": "听证。"}), "hearing_at")


def test_a_conclusion_of_fact_needs_dispositions_and_their_details(dc, clue):
    clue = advance(dc, clue, "accepted")
    base = {
        "held_at": "",
        "participants": [dc.head.pk, dc.inspector.pk],
        "minutes": "会商。",
        "finding": "substantiated",
        "summary": "属实。",
    }
    response = act(dc.inspector, clue, "conclude", base)
    assert response.status_code == 422
    assert 'data-rows="dispositions"' in response.content.decode()
    assert "须写明处理方式" in response.content.decode()

    response = act(
        dc.inspector,
        clue,
        "conclude",
        {
            **base,
            "dispositions-0-kind": "deadline_order",
            "dispositions-0-detail": "限期办理。",
            "dispositions-0-target_court": dc.courts.lu0102.pk,
        },
    )
    assert "督促限期办理须写明办理期限" in " ".join(refused(response, "dispositions-0-due_date"))

    response = act(
        dc.inspector,
        clue,
        "conclude",
        {
            **base,
            "dispositions-0-kind": "correction",
            "dispositions-0-detail": "纠正。",
            "dispositions-0-target_court": dc.courts.lu0102.pk,
            "dispositions-0-supervision_order": "鲁01督〔2026〕99号",
        },
    )
    refused(response, "dispositions-0-supervision_order")
    assert refreshed(clue).status == ClueStatus.ACCEPTED


def test_feedback_needs_its_content(dc, clue):
    clue = advance(dc, clue, "concluded")
    refused(act(dc.inspector, clue, "feedback", {"method": "phone", "content": ""}), "content")


def test_closing_before_the_feedback_is_refused(dc, clue):
    clue = advance(dc, clue, "concluded")
    response = act(dc.inspector, clue, "close", {"note": ""})
    assert response.status_code == 422
    assert "向反映人反馈" in non_field_errors(response.content.decode())
    assert refreshed(clue).status == ClueStatus.CONCLUDED


# --- who may act ----------------------------------------------------------------------------


def test_someone_without_the_role_gets_403_and_outsiders_404(dc, clue):
    response = act(dc.inspector, clue, "screen", {"proceed": "1", "opinion": "线索具体。"})
    assert response.status_code == 403
    assert "工作组" in non_field_errors(response.content.decode())
    for outsider in (dc.sibling_inspector, dc.officer, dc.clerk):
        assert act(outsider, clue, "screen", {"proceed": "1", "opinion": "x"}).status_code == 404
    assert refreshed(clue).status == ClueStatus.RECEIVED


def test_a_step_the_stage_no_longer_allows_is_409(dc, clue):
    clue = advance(dc, clue, "screened")
    response = act(dc.working_group, clue, "screen", {"proceed": "1", "opinion": "再次筛选。"})
    assert response.status_code == 409


def test_an_unknown_step_is_404(dc, clue):
    assert act(dc.working_group, clue, "explode").status_code == 404
    assert (
        browser(dc.working_group).get(reverse("dualcheck:clue-action", args=[clue.pk, "screen"])).status_code
        == 405
    )


def test_a_removed_team_member_loses_the_forms(dc, clue):
    clue = advance(dc, clue, "investigating")
    from django.utils import timezone

    from dualcheck.models import TeamMember

    TeamMember.objects.filter(user=dc.lower_inspector).update(removed_at=timezone.now())
    assert (
        browser(dc.lower_inspector).get(reverse("dualcheck:clue-detail", args=[clue.pk])).status_code == 200
    )
    # still 鲁0102's inspector (sees the referred clue), but no longer on the team
    html = browser(dc.lower_inspector).get(reverse("dualcheck:clue-detail", args=[clue.pk])).content.decode()
    assert 'id="form-record-work"' not in html


def test_the_disposition_row_partial(dc, clue):
    clue = advance(dc, clue, "accepted")
    url = reverse("dualcheck:disposition-row", args=[clue.pk])
    html = browser(dc.inspector).get(url, {"index": 3}, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="dispositions-3-kind"' in html and "李承办" in html and 'hx-swap-oob="true"' in html
    assert ConfidentialRead.objects.filter(user=dc.inspector, what="officers").exists()
    html = browser(dc.head).get(url, {"index": 3}).content.decode()
    assert 'name="dispositions-3-kind"' in html and "李承办" not in html
    assert browser(dc.lower_head).get(url).status_code == 404


def test_the_leader_must_be_one_of_the_members(dc, clue):
    clue = advance(dc, clue, "referred")
    response = act(
        dc.lower_head,
        clue,
        "form-team",
        {
            "members": [f"{dc.lower_head.pk}:execution", f"{dc.lower_inspector.pk}:supervision"],
            "leader": dc.lower_handler2.pk,
        },
    )
    refused(response, "leader")
    assert not Team.objects.exists()
