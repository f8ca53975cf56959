"""Actors and a clue at each stage of 一案双查.

济南中院 (鲁01) handles the clue; 历下区法院 (鲁0102) investigates it. ``handler``
(鲁0102 承办人) is the officer concerned."""

from types import SimpleNamespace

import pytest

from core.models import Department, Membership, Role
from dualcheck.models import ClueSource, ConclusionFinding, DispositionKind, ReviewDecision
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from tests.enforcement.conftest import as_user  # noqa: F401 - fixture re-exported
from tests.enforcement.factories import make_case
from tests.factories import make_member

STAGES_IN_ORDER = [
    "received",
    "screened",
    "pending_meeting",
    "launched",
    "referred",
    "investigating",
    "reported",
    "accepted",
    "concluded",
    "fed_back",
    "closed",
]


@pytest.fixture
def dc(courts, clerk, handler, bureau_head, case_supervisor, inspector, court_leader):
    """Everyone in a 一案双查 of a 鲁0102 case handled at 鲁01."""
    people = SimpleNamespace(
        courts=courts,
        # 鲁01 (the upper court handling the clue)
        working_group=case_supervisor,  # 专人监管, 执行指挥中心
        head=make_member(Role.BUREAU_HEAD, courts.lu01, "head_lu01"),
        inspector=inspector,  # 监察, 鲁01
        leader=court_leader,  # 院领导, 鲁 (above)
        # 鲁0102 (the lower court investigating it)
        lower_head=bureau_head,
        lower_inspector=make_member(Role.INSPECTOR, courts.lu0102, "inspector_lu0102"),
        lower_handler2=make_member(Role.HANDLER, courts.lu0102, "handler2_lu0102"),
        officer=handler,  # the officer concerned (承办人)
        clerk=clerk,
        # a sibling intermediate court
        sibling_inspector=make_member(Role.INSPECTOR, courts.lu02, "inspector_lu02"),
        sibling_head=make_member(Role.BUREAU_HEAD, courts.lu02, "head_lu02"),
    )
    people.case = make_case(clerk, courts.lu0102, handler=handler)
    return people


def register(dc, **overrides):
    data = {
        "actor": dc.working_group,
        "court": dc.courts.lu01,
        "source": ClueSource.LETTERS_VISITS,
        "summary": "申请执行人反映案件立案后三个月未采取任何执行措施。",
        "officer_allegation": "反映承办人收受被执行人宴请。",
        "complainant_name": "张三",
        "complainant_phone": "13800000000",
        "cases": [dc.case],
        "officers": [{"name": "李承办", "court": dc.courts.lu0102, "user": dc.officer, "position": "承办人"}],
    }
    data.update(overrides)
    return s_clues.clue_register(**data)


def advance(dc, clue, to: str, *, finding=ConclusionFinding.SUBSTANTIATED):
    """Drive ``clue`` forward through the happy path until its status is ``to``."""
    steps = {
        "received": lambda c: s_inv_noop(c),
        "screened": lambda c: s_clues.clue_screen(
            actor=dc.working_group, clue=c, proceed=True, opinion="线索具体，建议提请审核。"
        ),
        "pending_meeting": lambda c: s_clues.clue_approve(
            actor=dc.head, clue=c, approved=True, opinion="同意提交联席会议。"
        ),
        "launched": lambda c: s_clues.clue_decide(
            actor=dc.inspector,
            clue=c,
            launch=True,
            participants=[dc.head, dc.inspector],
            minutes="会议决定启动一案双查。",
        ),
        "referred": lambda c: s_clues.clue_refer(
            actor=dc.head,
            clue=c,
            mode="refer",
            target_court=dc.courts.lu0102,
            report_days=30,
            instructions="请组成联合调查组，30日内上报调查报告。",
        ),
        "investigating": lambda c: s_inv.team_form(
            actor=dc.lower_head,
            clue=c,
            members=[
                {"user": dc.lower_head, "department": Department.EXECUTION, "is_leader": True},
                {"user": dc.lower_inspector, "department": Department.SUPERVISION},
            ],
        ),
        "reported": lambda c: _report(dc, c),
        "accepted": lambda c: s_inv.clue_review(
            actor=dc.head, clue=c, decision=ReviewDecision.ACCEPT, opinion="报告事实清楚，予以采纳。"
        ),
        "concluded": lambda c: s_out.clue_conclude(
            actor=dc.inspector,
            clue=c,
            finding=finding,
            summary="反映的消极执行问题属实。",
            participants=[dc.head, dc.inspector],
            minutes="会商形成检查结论。",
            dispositions=[]
            if finding == ConclusionFinding.UNSUBSTANTIATED
            else [
                {
                    "kind": DispositionKind.DEADLINE_ORDER,
                    "detail": "责令十日内采取查封措施。",
                    "target_court": dc.courts.lu0102,
                    "due_date": __import__("datetime").date(2026, 12, 31),
                },
                {
                    "kind": DispositionKind.DISCIPLINARY,
                    "detail": "移送处理。",
                    "officer": c.officers.get().pk,
                    "referred_to": "历下区法院监察室",
                },
            ],
        ),
        "fed_back": lambda c: s_out.clue_feedback(
            actor=dc.inspector, clue=c, method="phone", content="已电话告知反映人检查结果。"
        ),
        "closed": lambda c: s_out.clue_close(actor=dc.inspector, clue=c),
    }
    clue = clue
    for stage in STAGES_IN_ORDER[STAGES_IN_ORDER.index(clue.status) + 1 : STAGES_IN_ORDER.index(to) + 1]:
        steps[stage](clue)
        clue.refresh_from_db()
    return clue


def s_inv_noop(clue):
    return clue


def _report(dc, clue):
    s_inv.team_record_work(
        actor=dc.lower_inspector,
        clue=clue,
        methods=["file_review", "system_check"],
        scope=["passive", "discipline"],
    )
    return s_inv.report_submit(
        actor=dc.lower_inspector,
        clue=clue,
        process="调取卷宗、系统检查、约谈承办人。",
        facts="立案后三个月未发起网络查控。",
        analysis="构成消极执行。",
        opinion="建议督促限期办理。",
        officer_conduct="承办人接受宴请属实。",
        officer_findings=[
            {"officer": clue.officers.get().pk, "result": "substantiated", "detail": "接受宴请一次。"}
        ],
    )


@pytest.fixture
def clue(dc):
    return register(dc)


def revoke(user, court, role):
    from django.utils import timezone

    Membership.objects.filter(user=user, court=court, role=role, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# --- helpers of the service/selector suite ------------------------------------------


def fresh(user):
    """A new object for ``user``: memberships are read again (the next request)."""
    from core.models import User

    return User.objects.get(pk=user.pk)


def make_api_user(court, name="执行指挥中心"):
    """An API-client-only user bound to ``court`` (the command centre's machine)."""
    from core.services.people import api_client_create

    user, _key = api_client_create(court=court, name=name)
    return user


def form_team(dc, clue, members=None, actor=None):
    """The lower court's joint team; by default 鲁0102's second handler (execution,
    leader) and its inspector (supervision) — not the head who forms it."""
    members = members or [
        {"user": dc.lower_handler2, "department": Department.EXECUTION, "is_leader": True},
        {"user": dc.lower_inspector, "department": Department.SUPERVISION},
    ]
    team = s_inv.team_form(actor=actor or dc.lower_head, clue=clue, members=members)
    clue.refresh_from_db()
    return team


def at_stage(dc, stage, **register_overrides):
    """A fresh clue at ``stage`` (any status, including ``not_launched``)."""
    clue = register(dc, **register_overrides)
    if stage == "not_launched":
        s_clues.clue_screen(
            actor=dc.working_group, clue=clue, proceed=False, opinion="线索不具体，不予启动。"
        )
        clue.refresh_from_db()
        return clue
    return advance(dc, clue, stage)


def event_kinds(clue):
    from core.models import NodeEvent

    return list(
        NodeEvent.objects.filter(subject_id=clue.pk, kind__startswith="dualcheck.")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def snapshot(clue):
    """Everything a dualcheck step could write, to prove a refused step wrote nothing."""
    from core.models import Deadline, NodeEvent
    from dualcheck import models as m

    row = m.Clue.objects.filter(pk=clue.pk).values().get()
    return {
        "clue": row,
        "events": NodeEvent.objects.count(),
        "meetings": m.JointMeeting.objects.count(),
        "participants": m.MeetingParticipant.objects.count(),
        "referrals": m.Referral.objects.count(),
        "teams": list(m.Team.objects.order_by("pk").values_list("pk", "dissolved_at", "methods", "scope")),
        "members": m.TeamMember.objects.count(),
        "reports": list(
            m.Report.objects.order_by("pk").values_list("pk", "status", "process", "facts", "officer_conduct")
        ),
        "findings": m.OfficerFinding.objects.count(),
        "attachments": m.ReportAttachment.objects.count(),
        "reviews": m.Review.objects.count(),
        "conclusions": m.Conclusion.objects.count(),
        "dispositions": m.Disposition.objects.count(),
        "feedback": m.Feedback.objects.count(),
        "clarifications": m.Clarification.objects.count(),
        "deadlines": list(Deadline.objects.order_by("pk").values_list("pk", "status", "completed_at")),
        "reads": m.ConfidentialRead.objects.count(),
        "clues": m.Clue.objects.count(),
    }
