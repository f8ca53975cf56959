"""The joint team (双查规定 §5), its report (§8: four required parts, a finding for
every officer concerned, the methods of §6) and the upper court's review: accept,
supplementary investigation, direct investigation, hearing."""

import pytest

from core.exceptions import RuleViolation, ValidationFailed
from core.models import Deadline, DeadlineStatus, Department, Role
from dualcheck.models import (
    REPORT_SECTIONS,
    ClueStatus,
    Referral,
    Report,
    ReportAttachment,
    ReportStatus,
    Review,
    Team,
    TeamMember,
)
from dualcheck.policy import clue_actions
from dualcheck.selectors import active_team, can_read_confidential, is_team_member
from dualcheck.services import investigation as s_inv
from tests.conftest import at
from tests.core.factories import make_member
from tests.dualcheck.factories import advance, event_kinds, form_team, register, snapshot

pytestmark = pytest.mark.django_db

FULL = {
    "process": "调卷审查、约谈。",
    "facts": "三个月未查控。",
    "analysis": "消极执行。",
    "opinion": "督促办理。",
}


def findings(clue, detail="接受宴请一次。"):
    return [{"officer": clue.officers.get().pk, "result": "substantiated", "detail": detail}]


def submit(dc, clue, actor=None, **parts):
    data = {**FULL, "officer_conduct": "宴请属实。", "officer_findings": findings(clue), **parts}
    report = s_inv.report_submit(actor=actor or dc.lower_inspector, clue=clue, **data)
    clue.refresh_from_db()
    return report


# --- review: supplement, direct, hearing -------------------------------------------


def test_a_supplementary_investigation_is_a_second_round_under_its_own_clock(dc, clue):
    clue = advance(dc, clue, "reported")
    first_clock = Deadline.objects.get(rule__code="DUALCHECK_REPORT")
    assert first_clock.status == DeadlineStatus.MET

    review = s_inv.clue_review(
        actor=dc.head, clue=clue, decision="supplement", opinion="问题分析不充分，请补充调查。", days=15
    )
    clue.refresh_from_db()

    assert (clue.status, clue.round, clue.target_court) == (ClueStatus.INVESTIGATING, 2, dc.courts.lu0102)
    assert (review.decision, review.days, review.report.round) == ("supplement", 15, 1)
    clock = clue.report_deadline
    assert (clock.rule.code, clock.status, clock.court, clock.duration) == (
        "DUALCHECK_SUPPLEMENT",
        DeadlineStatus.OPEN,
        dc.courts.lu0102,
        15,
    )
    # the same team carries on; the first report stays as it was
    assert Team.objects.filter(clue=clue).count() == 1 and active_team(clue) is not None
    assert "submit-report" in clue_actions(dc.lower_inspector, clue)
    assert Report.objects.get(clue=clue, round=1).status == ReportStatus.SUBMITTED

    s_inv.report_save(actor=dc.lower_head, clue=clue, analysis="补充：承办人未按规定发起查控。")
    second = submit(dc, clue, analysis="补充后的问题分析。")

    assert (second.round, second.status, clue.status) == (2, ReportStatus.SUBMITTED, ClueStatus.REPORTED)
    assert clue.report_deadline is None
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.MET and clock.completed_at == second.submitted_at
    s_inv.clue_review(actor=dc.inspector, clue=clue, decision="accept", opinion="采纳补充报告。")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ACCEPTED
    assert list(Review.objects.filter(clue=clue).values_list("decision", "report__round")) == [
        ("supplement", 1),
        ("accept", 2),
    ]
    assert event_kinds(clue).count("dualcheck.report_submitted") == 2


def test_investigating_directly_stands_the_lower_team_down(dc, clue):
    clue = advance(dc, clue, "reported")
    lower_team = active_team(clue)

    s_inv.clue_review(actor=dc.inspector, clue=clue, decision="direct", opinion="由本院直接调查。", days=20)
    clue.refresh_from_db()

    lower_team.refresh_from_db()
    assert lower_team.dissolved_at is not None
    assert (clue.status, clue.round, clue.target_court) == (ClueStatus.REFERRED, 2, dc.courts.lu01)
    referral = Referral.objects.filter(clue=clue).latest("id")
    assert (referral.mode, referral.target_court, referral.report_days) == ("direct", dc.courts.lu01, 20)
    assert referral.number == f"{clue.number}-交2"
    assert clue.report_deadline == referral.deadline
    assert (referral.deadline.rule.code, referral.deadline.court) == ("DUALCHECK_REPORT", dc.courts.lu01)
    assert not is_team_member(dc.lower_inspector, clue)
    assert "form-team" in clue_actions(dc.head, clue)

    team = s_inv.team_form(
        actor=dc.head,
        clue=clue,
        members=[
            {"user": dc.working_group, "department": Department.EXECUTION},
            {"user": dc.inspector, "department": Department.SUPERVISION, "is_leader": True},
        ],
    )
    clue.refresh_from_db()
    assert (team.court, team.referral, clue.status) == (dc.courts.lu01, referral, ClueStatus.INVESTIGATING)
    assert Team.objects.filter(clue=clue, dissolved_at__isnull=True).get() == team
    s_inv.team_record_work(actor=dc.inspector, clue=clue, methods=["hearing_parties"])
    report = submit(dc, clue, actor=dc.working_group)
    assert (report.round, report.team, clue.status) == (2, team, ClueStatus.REPORTED)


def test_a_hearing_keeps_the_report_under_review(dc, clue):
    clue = advance(dc, clue, "reported")
    review = s_inv.clue_review(
        actor=dc.head,
        clue=clue,
        decision="hearing",
        opinion="组织听证核查。",
        hearing_at=at("2026-11-02 09:30"),
        hearing_record="双方当事人到场陈述。",
    )
    clue.refresh_from_db()
    assert clue.status == ClueStatus.REPORTED and clue.round == 1
    assert (review.hearing_record, review.days) == ("双方当事人到场陈述。", None)
    assert "review" in clue_actions(dc.head, clue)

    with pytest.raises(ValidationFailed):  # a hearing is recorded after it took place
        s_inv.clue_review(
            actor=dc.head,
            clue=clue,
            decision="hearing",
            opinion="听证。",
            hearing_at=at("2099-01-01 09:00"),
            hearing_record="记录。",
        )
    s_inv.clue_review(actor=dc.head, clue=clue, decision="accept", opinion="听证后采纳。")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.ACCEPTED


@pytest.mark.parametrize("days", [None, 0, 181, "15", True])
def test_a_supplement_needs_a_period_of_whole_days(dc, clue, days):
    clue = advance(dc, clue, "reported")
    before = snapshot(clue)
    with pytest.raises(ValidationFailed) as refused:
        s_inv.clue_review(actor=dc.head, clue=clue, decision="supplement", opinion="补充。", days=days)
    assert "days" in refused.value.extra["fields"]
    assert snapshot(clue) == before


# --- team composition (§5) ----------------------------------------------------------


def members(*rows):
    return [{"user": u, "department": d, "is_leader": lead} for u, d, lead in rows]


def refused_team(dc, clue, rows, error):
    before = snapshot(clue)
    with pytest.raises(error) as refused:
        s_inv.team_form(actor=dc.lower_head, clue=clue, members=rows)
    assert snapshot(clue) == before
    assert Team.objects.count() == TeamMember.objects.count() == 0
    return refused.value


def test_a_team_of_one_department_is_refused(dc, clue):
    clue = advance(dc, clue, "referred")
    error = refused_team(
        dc,
        clue,
        members(
            (dc.lower_head, Department.EXECUTION, True),
            (dc.lower_handler2, Department.EXECUTION, False),
        ),
        RuleViolation,
    )
    assert (error.status_code, error.code, error.extra["departments"]) == (
        422,
        "team_composition",
        ["execution"],
    )
    error = refused_team(dc, clue, members((dc.lower_inspector, Department.SUPERVISION, True)), RuleViolation)
    assert error.code == "team_composition"


def test_the_officer_concerned_cannot_be_on_the_team(dc, clue):
    clue = advance(dc, clue, "referred")
    error = refused_team(
        dc,
        clue,
        members(
            (dc.officer, Department.EXECUTION, True),
            (dc.lower_inspector, Department.SUPERVISION, False),
        ),
        RuleViolation,
    )
    assert (error.status_code, error.code) == (422, "conflict_of_interest")
    assert "members[0].user" in error.extra["fields"]


def test_a_member_of_another_court_is_refused(dc, clue):
    clue = advance(dc, clue, "referred")
    error = refused_team(
        dc,
        clue,
        members(
            (dc.lower_head, Department.EXECUTION, True),
            (dc.inspector, Department.SUPERVISION, False),  # 鲁01, not 鲁0102
        ),
        ValidationFailed,
    )
    assert error.status_code == 400 and "members[1].department" in error.extra["fields"]
    # nor a member claiming the other department
    error = refused_team(
        dc,
        clue,
        members(
            (dc.lower_head, Department.SUPERVISION, True),
            (dc.lower_inspector, Department.SUPERVISION, False),
        ),
        ValidationFailed,
    )
    assert "members[0].department" in error.extra["fields"]


def test_two_leaders_are_refused(dc, clue):
    clue = advance(dc, clue, "referred")
    error = refused_team(
        dc,
        clue,
        members(
            (dc.lower_head, Department.EXECUTION, True),
            (dc.lower_inspector, Department.SUPERVISION, True),
        ),
        ValidationFailed,
    )
    assert error.status_code == 400 and "members" in error.extra["fields"]


def test_the_same_person_twice_and_no_one_are_refused(dc, clue):
    clue = advance(dc, clue, "referred")
    refused_team(dc, clue, [], ValidationFailed)
    refused_team(
        dc,
        clue,
        members(
            (dc.lower_inspector, Department.SUPERVISION, True),
            (dc.lower_inspector, Department.SUPERVISION, False),
            (dc.lower_head, Department.EXECUTION, False),
        ),
        ValidationFailed,
    )


def test_a_team_without_a_named_leader_gets_its_first_member(dc, clue):
    clue = advance(dc, clue, "referred")
    team = form_team(
        dc,
        clue,
        members(
            (dc.lower_handler2, Department.EXECUTION, False),
            (dc.lower_inspector, Department.SUPERVISION, False),
        ),
    )
    assert list(team.members.filter(is_leader=True).values_list("user", flat=True)) == [dc.lower_handler2.pk]
    assert event_kinds(clue)[-1] == "dualcheck.team_formed"


def test_the_command_centre_counts_as_the_execution_side(dc, clue):
    """专人监管 sit in the 执行指挥中心, part of the 执行机构."""
    clue = advance(dc, clue, "referred")
    supervisor = make_member(Role.CASE_SUPERVISOR, dc.courts.lu0102, "supervisor_lu0102")
    team = form_team(
        dc,
        clue,
        members(
            (supervisor, Department.EXECUTION, True),
            (dc.lower_inspector, Department.SUPERVISION, False),
        ),
    )
    assert team.members.count() == 2


# --- report (§8) --------------------------------------------------------------------


@pytest.fixture
def investigating(dc, clue):
    clue = advance(dc, clue, "investigating")
    s_inv.team_record_work(actor=dc.lower_inspector, clue=clue, methods=["file_review", "system_check"])
    return clue


def refused_report(dc, clue, **parts):
    clock = Deadline.objects.get(rule__code="DUALCHECK_REPORT")
    before = snapshot(clue)
    with pytest.raises(ValidationFailed) as refused:
        submit(dc, clue, **parts)
    error = refused.value
    assert (error.status_code, error.code) == (400, "report_incomplete")
    # nothing submitted, not even the draft edits of the refused call; the clock runs on
    assert snapshot(clue) == before
    clue.refresh_from_db()
    assert clue.status == ClueStatus.INVESTIGATING and clue.report_deadline == clock
    clock.refresh_from_db()
    assert (clock.status, clock.completed_at) == (DeadlineStatus.OPEN, None)
    assert not Report.objects.filter(status=ReportStatus.SUBMITTED).exists()
    assert "dualcheck.report_submitted" not in event_kinds(clue)
    return error


@pytest.mark.parametrize("section", list(REPORT_SECTIONS))
def test_each_missing_section_is_named(dc, investigating, section):
    error = refused_report(dc, investigating, **{section: "   "})
    assert error.extra["missing"] == [section]
    assert list(error.extra["fields"]) == [section]
    assert str(REPORT_SECTIONS[section]) in str(error.message)


def test_every_missing_section_is_named_at_once(dc, investigating):
    s_inv.report_save(actor=dc.lower_inspector, clue=investigating, process="草稿。")
    error = refused_report(dc, investigating, process="", facts="", analysis="", opinion="")
    assert error.extra["missing"] == ["process", "facts", "analysis", "opinion"]
    assert set(error.extra["fields"]) == {"process", "facts", "analysis", "opinion"}
    # the saved draft survives the refusal
    assert Report.objects.get().process == "草稿。"


def test_a_finding_for_each_officer_concerned_is_required(dc, investigating):
    error = refused_report(dc, investigating, officer_findings=[])
    assert error.extra["missing"] == []
    assert list(error.extra["fields"]) == ["officer_findings"]


def test_the_methods_of_the_investigation_are_required(dc, clue):
    clue = advance(dc, clue, "investigating")
    error = refused_report(dc, clue)
    assert list(error.extra["fields"]) == ["methods"]
    s_inv.team_record_work(actor=dc.lower_inspector, clue=clue, methods=[])
    assert list(refused_report(dc, clue).extra["fields"]) == ["methods"]


def test_a_draft_keeps_what_is_not_sent_again(dc, investigating):
    clue = investigating
    s_inv.report_save(actor=dc.lower_inspector, clue=clue, process="经过。", officer_findings=findings(clue))
    s_inv.report_save(actor=dc.lower_head, clue=clue, facts="事实。")
    report = Report.objects.get()
    assert (report.process, report.facts, report.status, report.round) == ("经过。", "事实。", "draft", 1)
    assert report.officer_findings.count() == 1
    report = s_inv.report_submit(actor=dc.lower_head, clue=clue, analysis="分析。", opinion="意见。")
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == dc.lower_head


def test_a_finding_about_someone_else_is_refused(dc, investigating):
    other = register(dc)
    with pytest.raises(ValidationFailed) as refused:
        s_inv.report_save(
            actor=dc.lower_inspector,
            clue=investigating,
            officer_findings=[{"officer": other.officers.get().pk, "result": "substantiated", "detail": "x"}],
        )
    assert "officer_findings[0].officer" in refused.value.extra["fields"]


def test_attachments_are_checked_and_belong_to_the_draft(dc, investigating):
    clue = investigating
    attachment = s_inv.report_attachment_add(
        actor=dc.lower_inspector,
        clue=clue,
        name="../谈话笔录.pdf",
        content_type="application/pdf",
        data=b"%PDF-1",
    )
    assert (attachment.name, attachment.size, attachment.report.round) == (".._谈话笔录.pdf", 6, 1)
    for name, content_type, data in [
        ("a.exe", "application/x-msdownload", b"MZ"),
        ("empty.pdf", "application/pdf", b""),
        ("big.pdf", "application/pdf", b"x" * (s_inv.ATTACHMENT_MAX_BYTES + 1)),
    ]:
        with pytest.raises(ValidationFailed):
            s_inv.report_attachment_add(
                actor=dc.lower_inspector, clue=clue, name=name, content_type=content_type, data=data
            )
    assert ReportAttachment.objects.count() == 1
    assert can_read_confidential(dc.lower_inspector, clue)


def test_a_machine_client_is_no_team_member(dc, clue):
    from tests.dualcheck.factories import make_api_user

    clue = advance(dc, clue, "referred")
    machine = make_api_user(dc.courts.lu0102, "鲁0102指挥中心")
    error = refused_team(
        dc,
        clue,
        members(
            (machine, Department.EXECUTION, True),
            (dc.lower_inspector, Department.SUPERVISION, False),
        ),
        ValidationFailed,
    )
    assert "members[0].department" in error.extra["fields"]
