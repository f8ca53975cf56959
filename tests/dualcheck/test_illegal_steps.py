"""Illegal steps of 一案双查: every service in every wrong stage is refused with 409
(404 where the actor may not even know the clue exists yet) and writes nothing; the
wrong person is refused with 403 — whatever the stage, maker ≠ checker, and an API
client never takes a step that needs a named person."""

import datetime as dt

import pytest

from core.exceptions import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from core.models import Department, Role
from core.selectors import forget_memberships
from dualcheck import policy
from dualcheck.models import ClueStatus, ConclusionFinding, DispositionKind
from dualcheck.policy import clue_actions
from dualcheck.selectors import clues_visible_to
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from tests.core.factories import make_member
from tests.dualcheck.factories import (
    advance,
    at_stage,
    form_team,
    make_api_user,
    register,
    snapshot,
)

pytestmark = pytest.mark.django_db

ALL_STAGES = [s.value for s in ClueStatus]


def _team(dc):
    return [
        {"user": dc.lower_head, "department": Department.EXECUTION, "is_leader": True},
        {"user": dc.lower_inspector, "department": Department.SUPERVISION},
    ]


def _finding(clue):
    return [{"officer": clue.officers.get().pk, "result": "substantiated", "detail": "接受宴请一次。"}]


# action → (who would rightly take it, the call with valid input)
ACTIONS = {
    "screen": (
        "working_group",
        lambda dc, c, a: s_clues.clue_screen(actor=a, clue=c, proceed=True, opinion="建议提请审核。"),
    ),
    "approve": (
        "head",
        lambda dc, c, a: s_clues.clue_approve(actor=a, clue=c, approved=True, opinion="同意。"),
    ),
    "decide": (
        "inspector",
        lambda dc, c, a: s_clues.clue_decide(
            actor=a, clue=c, launch=True, participants=[dc.head, dc.inspector], minutes="决定启动。"
        ),
    ),
    "refer": (
        "head",
        lambda dc, c, a: s_clues.clue_refer(
            actor=a,
            clue=c,
            mode="refer",
            target_court=dc.courts.lu0102,
            report_days=30,
            instructions="请组成联合调查组。",
        ),
    ),
    "form-team": ("lower_head", lambda dc, c, a: s_inv.team_form(actor=a, clue=c, members=_team(dc))),
    "record-work": (
        "lower_inspector",
        lambda dc, c, a: s_inv.team_record_work(actor=a, clue=c, methods=["file_review"], scope=["passive"]),
    ),
    "report": (
        "lower_inspector",
        lambda dc, c, a: s_inv.report_save(
            actor=a, clue=c, process="调卷审查。", officer_conduct="宴请属实。"
        ),
    ),
    "submit-report": (
        "lower_inspector",
        lambda dc, c, a: s_inv.report_submit(
            actor=a,
            clue=c,
            process="经过。",
            facts="事实。",
            analysis="分析。",
            opinion="意见。",
            officer_conduct="宴请属实。",
            officer_findings=_finding(c),
        ),
    ),
    "attach": (
        "lower_inspector",
        lambda dc, c, a: s_inv.report_attachment_add(
            actor=a, clue=c, name="笔录.txt", content_type="text/plain", data=b"notes"
        ),
    ),
    "review": (
        "head",
        lambda dc, c, a: s_inv.clue_review(actor=a, clue=c, decision="accept", opinion="采纳。"),
    ),
    "conclude": (
        "inspector",
        lambda dc, c, a: s_out.clue_conclude(
            actor=a,
            clue=c,
            finding=ConclusionFinding.SUBSTANTIATED,
            summary="属实。",
            participants=[dc.head, dc.inspector],
            minutes="会商。",
            dispositions=[
                {
                    "kind": DispositionKind.DEADLINE_ORDER,
                    "detail": "限期办理。",
                    "target_court": dc.courts.lu0102,
                    "due_date": dt.date(2026, 12, 31),
                }
            ],
        ),
    ),
    "feedback": (
        "inspector",
        lambda dc, c, a: s_out.clue_feedback(actor=a, clue=c, method="phone", content="已告知。"),
    ),
    "clarify": (
        "inspector",
        lambda dc, c, a: s_out.clue_clarify(actor=a, clue=c, scope="本院", content="澄清。"),
    ),
    "close": ("inspector", lambda dc, c, a: s_out.clue_close(actor=a, clue=c)),
}

ALLOWED = {
    "screen": {"received"},
    "approve": {"screened"},
    "decide": {"pending_meeting"},
    "refer": {"launched"},
    "form-team": {"referred"},
    "record-work": {"investigating"},
    "report": {"investigating"},
    "submit-report": {"investigating"},
    "attach": {"investigating"},
    "review": {"reported"},
    "conclude": {"accepted"},
    "feedback": {"concluded"},
    "clarify": {"concluded", "fed_back"},
    "close": {"concluded", "fed_back"},
}
assert set(ALLOWED) == set(ACTIONS)
# Steps of the investigating (lower) court: before the referral it does not know of
# the clue at all, so it is told "not found", not "wrong stage".
LOWER_COURT_ACTIONS = {"form-team", "record-work", "report", "submit-report", "attach"}
BEFORE_REFERRAL = {"received", "screened", "pending_meeting", "launched", "not_launched"}

WRONG = [
    pytest.param(stage, action, id=f"{action}@{stage}")
    for action in ACTIONS
    for stage in ALL_STAGES
    if stage not in ALLOWED[action]
]


@pytest.mark.parametrize(("stage", "action"), WRONG)
def test_every_step_in_every_wrong_stage_is_refused_and_writes_nothing(dc, stage, action):
    clue = at_stage(dc, stage)
    assert clue.status == stage
    who, call = ACTIONS[action]
    actor = getattr(dc, who)
    before = snapshot(clue)

    hidden = action in LOWER_COURT_ACTIONS and stage in BEFORE_REFERRAL
    with pytest.raises(NotFound if hidden else InvalidTransition) as refused:
        call(dc, clue, actor)

    assert refused.value.status_code == (404 if hidden else 409)
    assert clues_visible_to(actor).filter(pk=clue.pk).exists() is not hidden
    assert action not in clue_actions(actor, clue)
    assert snapshot(clue) == before


RIGHT = [
    pytest.param(stage, action, id=f"{action}@{stage}")
    for action in ACTIONS
    for stage in [sorted(ALLOWED[action], key=ALL_STAGES.index)[-1]]
]


@pytest.mark.parametrize(("stage", "action"), RIGHT)
def test_the_same_calls_succeed_in_their_stage(dc, stage, action):
    """The control for the test above: the refused calls are valid in their stage."""
    finding = ConclusionFinding.UNSUBSTANTIATED if action == "clarify" else ConclusionFinding.SUBSTANTIATED
    clue = advance(dc, register(dc), stage, finding=finding)
    who, call = ACTIONS[action]
    actor = getattr(dc, who)
    if action == "submit-report":
        s_inv.team_record_work(actor=actor, clue=clue, methods=["file_review"])
    # what the page offers matches what the service does (record-work etc. share one slug)
    slug = {"attach": "report"}.get(action, action)
    assert slug in clue_actions(actor, clue)
    call(dc, clue, actor)


# --- the wrong person ---------------------------------------------------------------


def refused_403(call, *, code=None):
    with pytest.raises(PermissionDenied) as refused:
        call()
    assert refused.value.status_code == 403
    if code:
        assert refused.value.code == code
    return refused.value


def test_the_head_does_not_approve_a_clue_he_screened_himself(dc, clue):
    s_clues.clue_screen(actor=dc.head, clue=clue, proceed=True, opinion="建议提请审核。")
    clue.refresh_from_db()
    before = snapshot(clue)

    refused_403(
        lambda: s_clues.clue_approve(actor=dc.head, clue=clue, approved=True, opinion="同意。"),
        code="maker_checker",
    )
    assert snapshot(clue) == before
    assert "approve" not in clue_actions(dc.head, clue)

    other_head = make_member(Role.BUREAU_HEAD, dc.courts.lu01, "head2_lu01")
    s_clues.clue_approve(actor=other_head, clue=clue, approved=True, opinion="同意。")
    clue.refresh_from_db()
    assert (clue.status, clue.screened_by, clue.approved_by) == (
        ClueStatus.PENDING_MEETING,
        dc.head,
        other_head,
    )


def test_only_the_head_of_the_handling_court_approves(dc, clue):
    advance(dc, clue, "screened")
    before = snapshot(clue)
    high_head = make_member(Role.BUREAU_HEAD, dc.courts.lu, "head_lu")
    # who sees the clue but holds no head's post at 鲁01: 403
    for person in (dc.working_group, dc.inspector, dc.leader, high_head):
        refused_403(
            lambda p=person: s_clues.clue_approve(actor=p, clue=clue, approved=True, opinion="同意。")
        )
    # a lower court's head (and the sibling court's) does not even see it: 404
    for person in (dc.lower_head, dc.sibling_head):
        with pytest.raises(NotFound):
            s_clues.clue_approve(actor=person, clue=clue, approved=True, opinion="同意。")
    assert snapshot(clue) == before


def test_an_inspector_does_not_screen(dc, clue):
    before = snapshot(clue)
    refused_403(lambda: s_clues.clue_screen(actor=dc.inspector, clue=clue, proceed=True, opinion="筛选。"))
    refused_403(lambda: s_clues.clue_screen(actor=dc.leader, clue=clue, proceed=False, opinion="筛选。"))
    assert snapshot(clue) == before


def test_the_working_group_does_not_decide_refer_review_or_conclude(dc, clue):
    wg = dc.working_group
    for stage, action in [
        ("pending_meeting", "decide"),
        ("launched", "refer"),
        ("reported", "review"),
        ("accepted", "conclude"),
    ]:
        clue = advance(dc, clue, stage)
        before = snapshot(clue)
        refused_403(lambda a=action, c=clue: ACTIONS[a][1](dc, c, wg))
        assert snapshot(clue) == before


def test_a_handler_takes_no_step(dc, clue):
    handler2 = dc.lower_handler2
    upper_handler = make_member(Role.HANDLER, dc.courts.lu01, "handler_lu01")
    refused_403(lambda: register(dc, actor=upper_handler))
    refused_403(lambda: register(dc, actor=dc.officer, court=dc.courts.lu01))
    # a handler who is not on the team does not see the clue at any stage
    for stage in ("received", "launched", "referred", "investigating", "reported"):
        clue = advance(dc, clue, stage)
        for person in (handler2, upper_handler):
            with pytest.raises(NotFound):
                s_inv.team_form(actor=person, clue=clue, members=_team(dc))


def test_a_handler_on_the_team_does_the_investigation_and_nothing_of_the_upper_court(dc, clue):
    clue = advance(dc, clue, "referred")
    with pytest.raises(NotFound):  # not on the team yet: the clue is not theirs to see
        s_inv.team_form(actor=dc.lower_handler2, clue=clue, members=_team(dc))
    form_team(dc, clue)  # handler2 (execution) + lower inspector
    s_inv.team_record_work(actor=dc.lower_handler2, clue=clue, methods=["file_review"])
    s_inv.report_save(actor=dc.lower_handler2, clue=clue, process="调卷审查。")
    advance(dc, clue, "reported")
    clue.refresh_from_db()
    before = snapshot(clue)
    refused_403(lambda: ACTIONS["review"][1](dc, clue, dc.lower_handler2))
    assert snapshot(clue) == before


def test_only_team_members_investigate(dc, clue):
    clue = advance(dc, clue, "referred")
    form_team(dc, clue)  # lower_head formed it but is not a member
    before = snapshot(clue)
    for person in (dc.lower_head, dc.inspector, dc.head, dc.leader):
        for action in ("record-work", "report", "submit-report", "attach"):
            refused_403(lambda a=action, p=person: ACTIONS[a][1](dc, clue, p), code="not_team_member")
    assert snapshot(clue) == before


def test_the_team_is_formed_at_the_investigating_court(dc, clue):
    clue = advance(dc, clue, "referred")
    before = snapshot(clue)
    for person in (dc.head, dc.inspector, dc.leader):  # the upper court sees it but does not form it
        refused_403(lambda p=person: s_inv.team_form(actor=p, clue=clue, members=_team(dc)))
    assert snapshot(clue) == before


def test_feedback_is_led_by_the_department_of_the_issue(dc):
    # an allegation against an officer: the supervision department leads (§10)
    clue = advance(dc, register(dc), "concluded")
    refused_403(
        lambda: s_out.clue_feedback(actor=dc.head, clue=clue, method="phone", content="告知。"),
        code="not_feedback_lead",
    )
    # conduct of the execution only: the execution department leads
    plain = advance(dc, register(dc, officer_allegation="", officers=[]), "investigating")
    s_inv.team_record_work(actor=dc.lower_inspector, clue=plain, methods=["file_review"])
    s_inv.report_submit(
        actor=dc.lower_inspector,
        clue=plain,
        process="经过。",
        facts="事实。",
        analysis="分析。",
        opinion="意见。",
    )
    plain.refresh_from_db()
    plain = advance(dc, plain, "concluded", finding=ConclusionFinding.UNSUBSTANTIATED)
    assert policy.feedback_lead(plain) == "execution"
    refused_403(
        lambda: s_out.clue_feedback(actor=dc.inspector, clue=plain, method="phone", content="告知。"),
        code="not_feedback_lead",
    )
    s_out.clue_feedback(actor=dc.working_group, clue=plain, method="phone", content="告知。")


def test_only_the_supervision_department_clarifies(dc):
    clue = advance(dc, register(dc), "concluded", finding=ConclusionFinding.UNSUBSTANTIATED)
    before = snapshot(clue)
    for person in (dc.head, dc.working_group, dc.leader):
        refused_403(lambda p=person: s_out.clue_clarify(actor=p, clue=clue, scope="本院", content="澄清。"))
    assert snapshot(clue) == before


def test_an_api_client_takes_no_step_that_needs_a_named_person(dc):
    upper_api = make_api_user(dc.courts.lu01, "鲁01指挥中心")
    lower_api = make_api_user(dc.courts.lu0102, "鲁0102指挥中心")
    # it may register a clue from the command centre (§3(八))
    clue = register(dc, actor=upper_api, source="command_centre", cases=[])
    assert clue.status == ClueStatus.RECEIVED

    steps = [
        ("received", "screen", upper_api),
        ("screened", "approve", upper_api),
        ("pending_meeting", "decide", upper_api),
        ("launched", "refer", upper_api),
        ("referred", "form-team", lower_api),
        ("investigating", "record-work", lower_api),
        ("investigating", "submit-report", lower_api),
        ("reported", "review", upper_api),
        ("accepted", "conclude", upper_api),
        ("concluded", "feedback", upper_api),
        ("concluded", "close", upper_api),
    ]
    for stage, action, machine in steps:
        clue = advance(dc, clue, stage)
        before = snapshot(clue)
        if machine is lower_api:
            # the machine of the court under investigation never sees a clue about its court
            assert not clues_visible_to(machine).filter(pk=clue.pk).exists()
            with pytest.raises(NotFound):
                ACTIONS[action][1](dc, clue, machine)
        else:
            assert clues_visible_to(machine).filter(pk=clue.pk).exists()
            assert clue_actions(machine, clue) == []
            refused_403(lambda a=action, c=clue, m=machine: ACTIONS[a][1](dc, c, m))
        assert snapshot(clue) == before


def test_the_officer_concerned_is_shut_out_even_with_a_supervisory_role(dc, clue):
    make_member(Role.INSPECTOR, dc.courts.lu01, dc.officer.username)  # seconded to 鲁01 监察
    forget_memberships(dc.officer)
    clue = advance(dc, clue, "pending_meeting")
    with pytest.raises(NotFound):
        s_clues.clue_decide(
            actor=dc.officer, clue=clue, launch=True, participants=[dc.head, dc.inspector], minutes="启动。"
        )
    # nor may anyone seat them at the joint meeting
    with pytest.raises(ValidationFailed) as refused:
        s_clues.clue_decide(
            actor=dc.inspector, clue=clue, launch=True, participants=[dc.head, dc.officer], minutes="启动。"
        )
    assert refused.value.code == "conflict_of_interest"


def test_the_joint_meeting_needs_both_departments(dc, clue):
    clue = advance(dc, clue, "pending_meeting")
    before = snapshot(clue)
    with pytest.raises(ValidationFailed) as refused:
        s_clues.clue_decide(
            actor=dc.head, clue=clue, launch=True, participants=[dc.head, dc.working_group], minutes="启动。"
        )
    assert refused.value.code == "meeting_composition"
    with pytest.raises(ValidationFailed):  # someone of another court
        s_clues.clue_decide(
            actor=dc.head,
            clue=clue,
            launch=True,
            participants=[dc.head, dc.sibling_inspector],
            minutes="启动。",
        )
    assert snapshot(clue) == before
