"""一案双查 from clue to closure at the service level (双查规定 §3–§11): every node
recorded as a ``dualcheck.*`` event with nothing confidential in it, the short cuts to
the joint meeting, the three ways a clue ends without launching, and the one-click
clues from a petition and from a deadline alert."""

import json

import pytest

from core.exceptions import Conflict, InvalidTransition, PermissionDenied, RuleViolation
from core.models import Department, NodeEvent
from dualcheck import policy
from dualcheck.models import (
    Clarification,
    Clue,
    ClueSource,
    ClueStatus,
    ConclusionFinding,
    Disposition,
    DispositionKind,
    JointMeeting,
    Report,
    ReportStatus,
    Team,
)
from dualcheck.selectors import clues_for_case
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from supervision.models import Alert, AlertLevel
from supervision.services.petitions import petition_flag_dualcheck, petition_receive
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.dualcheck.factories import advance, event_kinds, register

pytestmark = pytest.mark.django_db

# Confidential texts, distinctive enough to be searched for anywhere.
ALLEGATION = "反映承办人李承办收受被执行人宴请并索要好处费五千元"
CONDUCT = "经查李承办于八月两次接受被执行人宴请"
FINDING = "宴请属实，好处费查无实据"
DISCIPLINE = "建议给予李承办警告处分"
CLARIFICATION = "经查李承办不存在收受宴请问题，予以澄清"
CONFIDENTIAL = (ALLEGATION, CONDUCT, FINDING, DISCIPLINE, CLARIFICATION, "李承办")

FULL_PATH = [
    ("dualcheck.clue_registered", ClueStatus.RECEIVED),
    ("dualcheck.clue_screened", ClueStatus.SCREENED),
    ("dualcheck.clue_approved", ClueStatus.PENDING_MEETING),
    ("dualcheck.meeting_decided", ClueStatus.LAUNCHED),
    ("dualcheck.referred", ClueStatus.REFERRED),
    ("dualcheck.team_formed", ClueStatus.INVESTIGATING),
    ("dualcheck.report_submitted", ClueStatus.REPORTED),
    ("dualcheck.reviewed", ClueStatus.ACCEPTED),
    ("dualcheck.concluded", ClueStatus.CONCLUDED),
    ("dualcheck.fed_back", ClueStatus.FED_BACK),
    ("dualcheck.closed", ClueStatus.CLOSED),
]


def assert_nothing_confidential_in_any_event():
    for event in NodeEvent.objects.all():
        text = json.dumps(event.payload, ensure_ascii=False) + event.subject_label
        for secret in CONFIDENTIAL:
            assert secret not in text, (event.kind, secret)


def _report_with_secrets(dc, clue):
    s_inv.team_record_work(
        actor=dc.lower_inspector,
        clue=clue,
        methods=["file_review", "internal_interview"],
        scope=["discipline"],
    )
    s_inv.report_attachment_add(
        actor=dc.lower_inspector,
        clue=clue,
        name="谈话笔录.txt",
        content_type="text/plain",
        data=CONDUCT.encode(),
    )
    return s_inv.report_submit(
        actor=dc.lower_inspector,
        clue=clue,
        process="调卷审查、约谈承办人。",
        facts="立案后三个月未发起网络查控。",
        analysis="构成消极执行。",
        opinion="建议督促限期办理并移送处理。",
        officer_conduct=CONDUCT,
        officer_findings=[{"officer": clue.officers.get().pk, "result": "partly", "detail": FINDING}],
    )


def test_the_full_path_records_every_node_and_nothing_confidential(dc):
    clue = register(dc, officer_allegation=ALLEGATION)
    clue = advance(dc, clue, "investigating")
    _report_with_secrets(dc, clue)
    clue.refresh_from_db()
    clue = advance(dc, clue, "accepted")
    s_out.clue_conclude(
        actor=dc.inspector,
        clue=clue,
        finding=ConclusionFinding.PARTLY,
        summary="消极执行属实。",
        participants=[dc.head, dc.inspector, dc.working_group],
        minutes="会商形成检查结论。",
        dispositions=[
            {
                "kind": DispositionKind.DEADLINE_ORDER,
                "detail": "责令十日内采取查封措施。",
                "target_court": dc.courts.lu0102,
                "due_date": at("2026-12-31 00:00").date(),
            },
            {
                "kind": DispositionKind.DISCIPLINARY,
                "detail": DISCIPLINE,
                "officer": clue.officers.get().pk,
                "referred_to": "历下区法院监察室",
            },
        ],
    )
    clue.refresh_from_db()
    clue = advance(dc, clue, "closed")

    events = list(NodeEvent.objects.filter(kind__startswith="dualcheck.").order_by("id"))
    assert [(e.kind, e.payload["status"]) for e in events] == FULL_PATH
    for event in events:
        # on the handling court's record, never on the case's timeline (the officer
        # concerned reads that), labelled with the clue number only
        assert (event.court_id, event.case_id, event.subject_id) == (dc.courts.lu01.pk, None, clue.pk)
        assert event.subject_label == clue.number
        assert event.payload["clue"] == clue.pk
    actors = [e.actor for e in events]
    assert actors == [
        dc.working_group,
        dc.working_group,
        dc.head,
        dc.inspector,
        dc.head,
        dc.lower_head,
        dc.lower_inspector,
        dc.head,
        dc.inspector,
        dc.inspector,
        dc.inspector,
    ]
    assert events[4].payload == {
        "clue": clue.pk,
        "number": clue.number,
        "status": "referred",
        "mode": "refer",
        "target_court": "鲁0102",
        "days": 30,
        "referral": f"{clue.number}-交1",
    }
    assert_nothing_confidential_in_any_event()

    assert (clue.status, clue.round, clue.report_deadline) == (ClueStatus.CLOSED, 1, None)
    assert clue.closed_by == dc.inspector
    assert Team.objects.get(clue=clue).dissolved_at is not None
    assert Report.objects.get(clue=clue).status == ReportStatus.SUBMITTED
    assert set(Disposition.objects.values_list("kind", flat=True)) == {"deadline_order", "disciplinary"}
    assert [m.purpose for m in JointMeeting.objects.filter(clue=clue)] == ["launch", "conclusion"]


def test_an_untrue_allegation_is_clarified_before_closing(dc):
    clue = advance(dc, register(dc, officer_allegation=ALLEGATION), "concluded", finding="unsubstantiated")
    assert policy.clarification_required(clue)

    with pytest.raises(RuleViolation) as unmet:
        s_out.clue_close(actor=dc.inspector, clue=clue)
    assert (unmet.value.status_code, unmet.value.code) == (422, "closure_conditions_unmet")
    assert unmet.value.extra["unmet"] == ["feedback", "clarification"]

    s_out.clue_clarify(actor=dc.inspector, clue=clue, scope="历下区法院执行局", content=CLARIFICATION)
    with pytest.raises(InvalidTransition):  # once
        s_out.clue_clarify(actor=dc.inspector, clue=clue, scope="历下区法院执行局", content=CLARIFICATION)
    s_out.clue_feedback(actor=dc.inspector, clue=clue, method="letter", content="书面告知反映人检查结果。")
    s_out.clue_close(actor=dc.inspector, clue=clue, note="已澄清并反馈。")
    clue.refresh_from_db()

    assert clue.status == ClueStatus.CLOSED
    assert Clarification.objects.get(clue=clue).content == CLARIFICATION
    assert event_kinds(clue)[-4:] == [
        "dualcheck.concluded",
        "dualcheck.clarified",
        "dualcheck.fed_back",
        "dualcheck.closed",
    ]
    assert_nothing_confidential_in_any_event()


def test_a_true_allegation_is_not_clarified(dc):
    clue = advance(dc, register(dc), "concluded")
    with pytest.raises(RuleViolation) as refused:
        s_out.clue_clarify(actor=dc.inspector, clue=clue, scope="本院", content="澄清。")
    assert (refused.value.status_code, refused.value.code) == (422, "clarification_not_applicable")


def test_a_clue_from_inspection_goes_straight_to_the_joint_meeting(dc):
    clue = register(dc, source=ClueSource.INSPECTION, source_detail="2026年司法巡查发现")

    assert clue.status == ClueStatus.PENDING_MEETING
    assert (clue.screened_by, clue.approved_by) == (None, None)
    assert event_kinds(clue) == ["dualcheck.clue_registered"]
    assert NodeEvent.objects.get(kind="dualcheck.clue_registered").payload["status"] == "pending_meeting"
    with pytest.raises(InvalidTransition):
        s_clues.clue_screen(actor=dc.working_group, clue=clue, proceed=True, opinion="筛选。")
    clue = advance(dc, clue, "launched")
    assert clue.status == ClueStatus.LAUNCHED


def test_a_clue_the_supervision_department_registers_goes_straight_to_the_joint_meeting(dc):
    clue = register(dc, actor=dc.inspector)

    assert (clue.status, clue.registered_department) == (ClueStatus.PENDING_MEETING, Department.SUPERVISION)
    assert advance(dc, clue, "launched").status == ClueStatus.LAUNCHED


def test_a_clue_the_working_group_registers_waits_for_screening(dc):
    clue = register(dc)
    assert (clue.status, clue.registered_department) == (ClueStatus.RECEIVED, Department.EXECUTION)
    assert clue.number == "鲁01双查〔2026〕1号"
    assert register(dc).number == "鲁01双查〔2026〕2号"


def _not_launched(clue, kind, actor):
    clue.refresh_from_db()
    assert clue.status == ClueStatus.NOT_LAUNCHED
    assert clue.closed_by == actor and clue.closed_at is not None and clue.close_reason
    assert event_kinds(clue)[-1] == kind
    assert NodeEvent.objects.filter(kind=kind).latest("id").payload["status"] == "not_launched"
    assert not clue.is_open


def test_screened_out_by_the_working_group(dc, clue):
    s_clues.clue_screen(actor=dc.working_group, clue=clue, proceed=False, opinion="反映内容不具体。")
    _not_launched(clue, "dualcheck.clue_screened", dc.working_group)
    assert clue.screened_by == dc.working_group and clue.close_reason == "反映内容不具体。"
    assert NodeEvent.objects.get(kind="dualcheck.clue_screened").payload["proceed"] is False


def test_refused_by_the_head(dc, clue):
    advance(dc, clue, "screened")
    s_clues.clue_approve(actor=dc.head, clue=clue, approved=False, opinion="已另案处理，不予启动。")
    _not_launched(clue, "dualcheck.clue_approved", dc.head)
    assert clue.approved_by == dc.head and clue.approval_opinion == "已另案处理，不予启动。"


def test_the_joint_meeting_decides_not_to_launch(dc, clue):
    advance(dc, clue, "pending_meeting")
    s_clues.clue_decide(
        actor=dc.head,
        clue=clue,
        launch=False,
        participants=[dc.head, dc.inspector],
        minutes="经会商，反映问题已在信访程序中解决，不启动一案双查。",
    )
    _not_launched(clue, "dualcheck.meeting_decided", dc.head)
    meeting = JointMeeting.objects.get(clue=clue)
    assert meeting.launch is False
    assert sorted(meeting.participants.values_list("department", flat=True)) == ["execution", "supervision"]
    # the case page of a clue that was never launched shows no review at all
    assert clues_for_case(dc.officer, dc.case)[0] is False


# --- one click from a petition ------------------------------------------------------


def _petition(dc, **overrides):
    params = {
        "actor": dc.clerk,
        "court": dc.courts.lu0102,
        "channel": "letter",
        "petitioner_name": "李四",
        "petitioner_phone": "13812345678",
        "content": "申请执行人来信反映：执行法院立案三个月未采取任何措施。",
        "received_at": at("2026-10-09 10:00"),
        "case": dc.case,
    }
    params.update(overrides)
    return petition_receive(**params)


def test_a_flagged_petition_becomes_a_clue_of_the_court_above_once(dc):
    petition = _petition(dc)
    petition_flag_dualcheck(
        actor=dc.working_group, petition=petition, reason="反映消极执行", at=at("2026-10-10 09:00")
    )

    clue = s_clues.clue_register_from_petition(actor=dc.working_group, petition_id=petition.pk)

    petition.refresh_from_db()
    assert petition.dualcheck_clue_id == clue.pk
    assert (clue.court, clue.status, clue.source) == (dc.courts.lu01, ClueStatus.RECEIVED, "letters_visits")
    assert (clue.petition_id, clue.summary) == (petition.pk, petition.content)
    assert (clue.complainant_name, clue.complainant_phone) == ("李四", "13812345678")
    assert "反映消极执行" in clue.source_detail
    assert [link.case for link in clue.case_links.all()] == [dc.case]
    assert event_kinds(clue) == ["dualcheck.clue_registered"]

    for actor in (dc.working_group, dc.inspector):
        with pytest.raises(Conflict) as again:
            s_clues.clue_register_from_petition(actor=actor, petition_id=petition.pk)
        assert (again.value.status_code, again.value.code) == (409, "already_linked")
    assert Clue.objects.count() == 1


def test_an_unflagged_petition_cannot_become_a_clue(dc):
    petition = _petition(dc)
    with pytest.raises(InvalidTransition) as refused:
        s_clues.clue_register_from_petition(actor=dc.working_group, petition_id=petition.pk)
    assert (refused.value.status_code, refused.value.code) == (409, "not_flagged")
    assert Clue.objects.count() == 0


def test_only_the_upper_court_turns_a_petition_into_a_clue(dc):
    petition = _petition(dc)
    petition_flag_dualcheck(actor=dc.working_group, petition=petition, reason="反映消极执行")
    with pytest.raises(PermissionDenied) as refused:
        s_clues.clue_register_from_petition(actor=dc.clerk, petition_id=petition.pk)
    assert refused.value.code == "not_dualcheck_role"
    petition.refresh_from_db()
    assert petition.dualcheck_clue_id is None and Clue.objects.count() == 0


# --- one click from a deadline alert ------------------------------------------------


def test_an_alert_raised_by_the_scan_becomes_a_clue_once(dc):
    # dc.case was received Wed 09-30; SEARCH_START (5 working days, start day not
    # counted): 10-08, 10-09, Sat 10-10 (调休), 10-12, 10-13 → overdue after 10-13.
    scan_court(court_id=dc.courts.lu0102.pk, at=at("2026-10-14 09:00"))
    alert = Alert.objects.get(deadline__case=dc.case, deadline__rule__code="SEARCH_START")
    assert alert.level == AlertLevel.OVERDUE

    clue = s_clues.clue_register_from_alert(actor=dc.working_group, alert_id=alert.pk)

    assert (clue.court, clue.source, clue.alert_id) == (dc.courts.lu01, ClueSource.COMMAND_CENTRE, alert.pk)
    assert clue.status == ClueStatus.RECEIVED
    assert (
        dc.case.case_number in clue.summary
        and "发起网络查控" in clue.summary
        and "2026-10-13" in clue.summary
    )
    assert [link.case for link in clue.case_links.all()] == [dc.case]
    assert event_kinds(clue) == ["dualcheck.clue_registered"]
    with pytest.raises(Conflict) as again:
        s_clues.clue_register_from_alert(actor=dc.inspector, alert_id=alert.pk)
    assert (again.value.status_code, again.value.code) == (409, "already_linked")
    with pytest.raises(PermissionDenied):  # a basic court has no 一案双查 of its own
        s_clues.clue_register_from_alert(actor=dc.lower_head, alert_id=alert.pk)
    assert Clue.objects.count() == 1


def test_clue_numbers_run_per_handling_court(dc):
    from core.models import Role
    from tests.core.factories import make_member
    from tests.enforcement.factories import make_case

    first = register(dc)
    clerk = make_member(Role.CLERK, dc.courts.lu0202, "clerk_lu0202")
    lu0202_case = make_case(clerk, dc.courts.lu0202, number="(2026)鲁0202执1号")
    other = register(dc, actor=dc.sibling_head, court=dc.courts.lu02, cases=[lu0202_case], officers=[])
    assert (first.number, other.number) == ("鲁01双查〔2026〕1号", "鲁02双查〔2026〕1号")
