"""The report clocks of 一案双查 (双查规定 §8) at hand-computed moments.

DUALCHECK_REPORT and DUALCHECK_SUPPLEMENT run in calendar days set by the upper court;
the start day is not counted and a last day that is a statutory rest day moves to the
next working day (民诉法 §85). Warnings come 3 working days before the due day; the
scan escalates 2 and 5 working days after it (rule defaults).

The 2026 working calendar (国务院办公厅 holiday notice, as seeded from chinese-calendar):
中秋 Fri 09-25 – Sun 09-27 off; 国庆 Thu 10-01 – Wed 10-07 off; Sun 09-20 and Sat 10-10
are 调休 working days."""

import pytest

from core.exceptions import InvalidTransition
from core.models import Deadline, DeadlineStatus, PeriodUnit
from dualcheck.models import Clue, ClueStatus
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from supervision.models import JOINT_TEAM_POST, Alert, AlertLevel
from supervision.selectors.alerts import alert_recipients, alerts_inbox
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.dualcheck.factories import form_team, register
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db


def end(day: str):
    return at(f"{day} 23:59").replace(second=59)


def referred(dc, when="2026-09-21 10:00", days=10) -> Clue:
    """A clue received mid-September about a case of June, launched and referred to
    鲁0102 at ``when`` with a report period of ``days``."""
    case = make_case(
        dc.clerk,
        dc.courts.lu0102,
        number="(2026)鲁0102执2001号",
        received="2026-06-01 10:00",
        filed="2026-05-28",
        handler=dc.officer,
    )
    clue = register(dc, cases=[case], received_at=at("2026-09-14 09:00"))
    s_clues.clue_screen(
        actor=dc.working_group, clue=clue, proceed=True, opinion="提请审核。", at=at("2026-09-15 09:00")
    )
    s_clues.clue_approve(actor=dc.head, clue=clue, approved=True, opinion="同意。", at=at("2026-09-16 09:00"))
    s_clues.clue_decide(
        actor=dc.inspector,
        clue=clue,
        launch=True,
        participants=[dc.head, dc.inspector],
        minutes="决定启动。",
        held_at=at("2026-09-17 15:00"),
    )
    s_clues.clue_refer(
        actor=dc.head,
        clue=clue,
        mode="refer",
        target_court=dc.courts.lu0102,
        report_days=days,
        instructions="请按期上报调查报告。",
        referred_at=at(when),
    )
    clue.refresh_from_db()
    return clue


def investigate(dc, clue, formed="2026-09-22 09:00"):
    s_inv.team_form(
        actor=dc.lower_head,
        clue=clue,
        members=[
            {"user": dc.lower_handler2, "department": "execution", "is_leader": True},
            {"user": dc.lower_inspector, "department": "supervision"},
        ],
        formed_at=at(formed),
    )
    s_inv.team_record_work(actor=dc.lower_inspector, clue=clue, methods=["file_review"])
    clue.refresh_from_db()
    return clue


def submit(dc, clue, when):
    report = s_inv.report_submit(
        actor=dc.lower_inspector,
        clue=clue,
        submitted_at=at(when),
        process="经过。",
        facts="事实。",
        analysis="分析。",
        opinion="意见。",
        officer_findings=[{"officer": clue.officers.get().pk, "result": "partly", "detail": "部分属实。"}],
    )
    clue.refresh_from_db()
    return report


def test_the_report_clock_over_national_day(dc):
    # Referred Mon 09-21 10:00 with 10 days. Calendar days, 09-21 not counted:
    # 09-22 (1) … 09-30 (9), 10-01 (10) — a National Day holiday, as is every day to
    # 10-07 → the period ends on the next working day, Thu 10-08, at 24:00.
    # Warn 3 working days before 10-08: 10-01…10-07 are off, so 09-30 (1), 09-29 (2),
    # 09-28 (3) → from 09-28 00:00.
    # Escalate 2 working days after: Fri 10-09 (1), Sat 10-10 (调休, 2) → 10-10 24:00.
    # Upper 5 after: 10-09, 10-10, 10-12, 10-13, 10-14 → 10-14 24:00.
    clue = referred(dc)

    clock = clue.report_deadline
    assert clock == clue.referrals.get().deadline
    assert (clock.rule.code, clock.unit, clock.duration) == ("DUALCHECK_REPORT", PeriodUnit.CALENDAR_DAYS, 10)
    # at the court investigating; its responsible person is the upper court's referrer
    assert (clock.court, clock.case, clock.responsible) == (dc.courts.lu0102, None, dc.head)
    assert (clock.subject_id, clock.subject_label) == (clue.pk, clue.number)
    assert clock.started_at == at("2026-09-21 10:00")
    assert clock.due_at == clock.original_due_at == end("2026-10-08")
    assert not clock.provisional
    assert clock.warn_at == at("2026-09-28 00:00")
    assert clock.escalate_at == end("2026-10-10")
    assert clock.upper_at == end("2026-10-14")
    assert clock.status == DeadlineStatus.OPEN


@pytest.mark.parametrize(
    ("when", "days", "due"),
    [
        # Fri 09-18 + 8 = Sat 09-26 (中秋) → Sun 09-27 (中秋) → Mon 09-28
        ("2026-09-18 16:00", 8, "2026-09-28"),
        # Wed 09-30 + 10 = Sat 10-10, a 调休 working day: the period ends that day
        ("2026-09-30 10:00", 10, "2026-10-10"),
        # Mon 09-21 + 30 = Wed 10-21, a working day
        ("2026-09-21 10:00", 30, "2026-10-21"),
        # Sat 09-19 (a rest day) + 1 = Sun 09-20, a 调休 working day: no move
        ("2026-09-19 11:00", 1, "2026-09-20"),
        # Tue 09-22 + 11 = Sat 10-03 (国庆) → 10-08
        ("2026-09-22 08:30", 11, "2026-10-08"),
    ],
)
def test_report_periods_are_calendar_days_moved_off_rest_days(dc, when, days, due):
    clock = referred(dc, when, days).report_deadline
    assert clock.due_at == end(due)


def test_submitting_in_time_stops_the_clock_met(dc):
    clue = investigate(dc, referred(dc))
    report = submit(dc, clue, "2026-10-08 17:30")

    clock = Deadline.objects.get(rule__code="DUALCHECK_REPORT")
    assert (clock.status, clock.completed_at, clock.completed_by) == (
        DeadlineStatus.MET,
        at("2026-10-08 17:30"),
        dc.lower_inspector,
    )
    assert report.submitted_at == at("2026-10-08 17:30")
    assert (clue.status, clue.report_deadline) == (ClueStatus.REPORTED, None)


def test_submitting_late_leaves_the_clock_breached(dc):
    clue = investigate(dc, referred(dc))
    submit(dc, clue, "2026-10-09 09:00")

    clock = Deadline.objects.get(rule__code="DUALCHECK_REPORT")
    assert (clock.status, clock.completed_at) == (DeadlineStatus.BREACHED, at("2026-10-09 09:00"))
    assert clue.status == ClueStatus.REPORTED


def test_the_supplement_clock(dc):
    clue = investigate(dc, referred(dc))
    submit(dc, clue, "2026-10-08 15:00")
    # Ordered Fri 10-16 10:00 with 15 days: 10-16 not counted, 10-31 is a Saturday,
    # 11-01 a Sunday → Mon 11-02 24:00. Warn 3 working days before 11-02: 10-30 (1),
    # 10-29 (2), 10-28 (3) → 10-28 00:00. Escalate: 11-03, 11-04 → 11-04 24:00;
    # upper: 11-03, 11-04, 11-05, 11-06, 11-09 → 11-09 24:00.
    s_inv.clue_review(
        actor=dc.head,
        clue=clue,
        decision="supplement",
        opinion="请补充调查承办人查控情况。",
        days=15,
        reviewed_at=at("2026-10-16 10:00"),
    )
    clue.refresh_from_db()

    clock = clue.report_deadline
    assert (clock.rule.code, clock.unit, clock.duration, clock.court) == (
        "DUALCHECK_SUPPLEMENT",
        PeriodUnit.CALENDAR_DAYS,
        15,
        dc.courts.lu0102,
    )
    assert clock.started_at == at("2026-10-16 10:00")
    assert clock.due_at == end("2026-11-02")
    assert clock.warn_at == at("2026-10-28 00:00")
    assert clock.escalate_at == end("2026-11-04")
    assert clock.upper_at == end("2026-11-09")
    # the first clock stays met
    assert Deadline.objects.get(rule__code="DUALCHECK_REPORT").status == DeadlineStatus.MET

    submit(dc, clue, "2026-11-03 09:00")  # one day late
    clock.refresh_from_db()
    assert (clock.status, clock.completed_at) == (DeadlineStatus.BREACHED, at("2026-11-03 09:00"))
    assert clue.status == ClueStatus.REPORTED and clue.round == 2


def test_a_supplement_submitted_on_its_last_day_is_met(dc):
    clue = investigate(dc, referred(dc))
    submit(dc, clue, "2026-10-08 15:00")
    s_inv.clue_review(
        actor=dc.head,
        clue=clue,
        decision="supplement",
        opinion="补充。",
        days=15,
        reviewed_at=at("2026-10-16 10:00"),
    )
    clue.refresh_from_db()
    submit(dc, clue, "2026-11-02 23:00")
    assert Deadline.objects.get(rule__code="DUALCHECK_SUPPLEMENT").status == DeadlineStatus.MET


def test_the_scan_alerts_the_joint_team_and_the_referrer_never_the_courts_posts(dc):
    """Every level goes to the clue's joint team and the upper court's referrer
    (``JOINT_TEAM_POST``): never to 鲁0102's 专人监管 or bureau head, who may be the
    officers concerned, nor up its ladder."""
    clue = investigate(dc, referred(dc))
    clock = clue.report_deadline
    lower = dc.courts.lu0102

    def alerts():
        return {a.level: a for a in Alert.objects.filter(deadline=clock)}

    scan_court(court_id=lower.pk, at=at("2026-09-27 23:00"))
    assert alerts() == {}

    scan_court(court_id=lower.pk, at=at("2026-09-28 09:00"))
    warning = alerts()[AlertLevel.WARNING]
    assert (warning.court_id, warning.to_court_id, warning.to_role) == (lower.pk, lower.pk, JOINT_TEAM_POST)
    assert (warning.case_id, warning.handler_id) == (None, dc.head.pk)
    assert (warning.threshold_at, warning.due_at) == (at("2026-09-28 00:00"), end("2026-10-08"))

    scan_court(court_id=lower.pk, at=at("2026-10-08 23:00"))
    assert set(alerts()) == {AlertLevel.WARNING}

    scan_court(court_id=lower.pk, at=at("2026-10-09 00:01"))
    overdue = alerts()[AlertLevel.OVERDUE]
    assert (overdue.to_court_id, overdue.to_role, overdue.handler_id) == (
        lower.pk,
        JOINT_TEAM_POST,
        dc.head.pk,
    )
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.BREACHED

    scan_court(court_id=lower.pk, at=at("2026-10-11 00:01"))
    escalated = alerts()[AlertLevel.ESCALATED]
    assert (escalated.to_court_id, escalated.to_role) == (lower.pk, JOINT_TEAM_POST)
    scan_court(court_id=lower.pk, at=at("2026-10-15 00:01"))
    upper = alerts()[AlertLevel.UPPER]
    assert (upper.to_court_id, upper.to_role) == (lower.pk, JOINT_TEAM_POST)

    # the officer concerned handles the clue's case but is told nothing; nor is
    # 鲁0102's bureau head (not on the team); the team and the referrer are
    assert not alerts_inbox(dc.officer).filter(deadline=clock).exists()
    assert not alerts_inbox(dc.lower_head).filter(deadline=clock).exists()
    for person in (dc.lower_handler2, dc.lower_inspector, dc.head):
        assert alerts_inbox(person).filter(deadline=clock).count() == 4
    recipients = alert_recipients([Alert.objects.select_related("rule").get(pk=escalated.pk)])
    assert set(recipients[escalated.pk]) == {dc.head, dc.lower_handler2, dc.lower_inspector}
    # an alert about a clue, not a case, is not itself a new clue
    with pytest.raises(InvalidTransition) as refused:
        s_clues.clue_register_from_alert(actor=dc.working_group, alert_id=overdue.pk)
    assert refused.value.code == "no_case"

    submit(dc, clue, "2026-10-16 10:00")
    assert {a.resolved_at for a in Alert.objects.filter(deadline=clock)} == {at("2026-10-16 10:00")}
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.BREACHED


def test_a_direct_investigation_runs_its_clock_at_the_upper_court(dc):
    clue = investigate(dc, referred(dc))
    submit(dc, clue, "2026-10-08 15:00")
    s_inv.clue_review(
        actor=dc.inspector,
        clue=clue,
        decision="direct",
        opinion="本院直接调查。",
        days=20,
        reviewed_at=at("2026-10-12 09:00"),
    )
    clue.refresh_from_db()
    # Mon 10-12 + 20 = Sun 11-01 → Mon 11-02
    clock = clue.report_deadline
    assert (clock.rule.code, clock.court, clock.due_at) == (
        "DUALCHECK_REPORT",
        dc.courts.lu01,
        end("2026-11-02"),
    )
    form_team(
        dc,
        clue,
        members=[
            {"user": dc.head, "department": "execution", "is_leader": True},
            {"user": dc.inspector, "department": "supervision"},
        ],
        actor=dc.head,
    )
    s_inv.team_record_work(actor=dc.inspector, clue=clue, methods=["hearing_parties"])
    s_inv.report_submit(
        actor=dc.inspector,
        clue=clue,
        submitted_at=at("2026-10-30 10:00"),
        process="经过。",
        facts="事实。",
        analysis="分析。",
        opinion="意见。",
        officer_findings=[{"officer": clue.officers.get().pk, "result": "partly", "detail": "部分属实。"}],
    )
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.MET


def test_nodes_cannot_be_dated_before_the_node_they_follow(dc):
    from core.exceptions import ValidationFailed
    from tests.dualcheck.factories import snapshot

    clue = referred(dc)  # launch meeting 09-17 15:00, referral 09-21 10:00
    before = snapshot(clue)
    with pytest.raises(ValidationFailed) as refused:
        investigate(dc, clue, formed="2026-09-21 09:59")
    assert list(refused.value.extra["fields"]) == ["formed_at"]
    assert snapshot(clue) == before

    clue = investigate(dc, clue, formed="2026-09-21 10:00")
    before = snapshot(clue)
    with pytest.raises(ValidationFailed) as refused:
        submit(dc, clue, "2026-09-20 17:00")
    assert list(refused.value.extra["fields"]) == ["submitted_at"]
    assert snapshot(clue) == before

    other = register(dc, cases=[], received_at=at("2026-09-14 09:00"))
    s_clues.clue_screen(actor=dc.working_group, clue=other, proceed=True, opinion="提请审核。")
    s_clues.clue_approve(actor=dc.head, clue=other, approved=True, opinion="同意。")
    s_clues.clue_decide(
        actor=dc.inspector,
        clue=other,
        launch=True,
        participants=[dc.head, dc.inspector],
        minutes="决定启动。",
        held_at=at("2026-09-17 15:00"),
    )
    before = snapshot(other)
    with pytest.raises(ValidationFailed) as refused:
        s_clues.clue_refer(
            actor=dc.head,
            clue=other,
            mode="refer",
            target_court=dc.courts.lu0102,
            report_days=10,
            instructions="交办。",
            referred_at=at("2026-09-17 14:59"),
        )
    assert list(refused.value.extra["fields"]) == ["referred_at"]
    assert snapshot(other) == before
