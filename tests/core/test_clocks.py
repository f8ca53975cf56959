"""Deadline clocks: start, stop, pause, resume, extend, waive, recompute — with due
dates hand-computed on the 2026 calendar."""

import datetime as dt
from unittest import mock

import pytest

from core.exceptions import (
    InvalidTransition,
    PermissionDenied,
    RuleViolation,
    ValidationFailed,
)
from core.models import Deadline, DeadlineExtension, DeadlineStatus, NodeEvent
from core.services import clocks
from core.services.calendar import calendar_day_remove, calendar_day_set
from core.tasks import recompute_clocks_for_dates
from tests.conftest import at


def iso(moment):
    from django.utils import timezone

    return timezone.localtime(moment).isoformat()


@pytest.fixture
def search_clock(courts, handler):
    return clocks.clock_start(
        rule_code="SEARCH_START",
        court=courts.lu0102,
        started_at=at("2026-09-30 10:00"),
        subject_label="(2026)鲁0102执1001号",
        responsible=handler,
    )


@pytest.fixture
def extendable_search(monkeypatch):
    """The mechanics of a working-day extension, on a policy a court might configure:
    SEARCH_START itself is fixed by 322号 §13 (tests/core/test_extensions.py)."""
    from core.rule_catalogue import EXTENSIONS

    monkeypatch.setitem(EXTENSIONS, "SEARCH_START", {
        "approver_roles": ("bureau_head", "court_leader"), "approver_zh": "执行局长", "court": "issuing",
        "max_total": 10, "unit": "working_days", "basis": "测试",
    })


def test_start_computes_due_and_ladder(search_clock):
    d = search_clock
    assert d.status == DeadlineStatus.OPEN
    assert (d.duration, d.unit) == (5, "working_days")
    assert iso(d.due_at) == "2026-10-13T23:59:59+08:00"
    assert d.original_due_at == d.due_at
    assert iso(d.warn_at) == "2026-10-12T00:00:00+08:00"  # 1 working day before
    assert iso(d.escalate_at) == "2026-10-15T23:59:59+08:00"  # 2 working days after due
    assert iso(d.upper_at) == "2026-10-20T23:59:59+08:00"  # 5 working days after due


def test_stop_on_time_is_met(search_clock, handler):
    d = clocks.clock_stop(deadline=search_clock, stopped_at=at("2026-10-13 17:00"), actor=handler)
    assert d.status == DeadlineStatus.MET
    assert d.completed_at == at("2026-10-13 17:00")
    assert d.completed_by == handler


def test_stop_late_is_breached_and_cannot_stop_twice(search_clock, handler):
    d = clocks.clock_stop(deadline=search_clock, stopped_at=at("2026-10-14 09:00"), actor=handler)
    assert d.status == DeadlineStatus.BREACHED
    with pytest.raises(InvalidTransition):
        clocks.clock_stop(deadline=d, stopped_at=at("2026-10-14 10:00"), actor=handler)


def test_stop_before_start_is_refused(search_clock):
    with pytest.raises(ValidationFailed):
        clocks.clock_stop(deadline=search_clock, stopped_at=at("2026-09-29 10:00"))


def test_pause_and_resume_move_due_by_the_working_days_stood_still(search_clock, handler):
    clocks.clock_pause(deadline=search_clock, paused_at=at("2026-10-08 09:00"), reason="中止执行", actor=handler)
    with pytest.raises(InvalidTransition):
        clocks.clock_pause(deadline=search_clock, paused_at=at("2026-10-08 10:00"), reason="x", actor=handler)
    d = clocks.clock_resume(deadline=search_clock, resumed_at=at("2026-10-12 09:00"), actor=handler)
    # stood still on 9 Oct, 10 Oct (make-up Saturday) and 12 Oct: 3 working days
    assert iso(d.due_at) == "2026-10-16T23:59:59+08:00"
    assert iso(d.original_due_at) == "2026-10-13T23:59:59+08:00"
    assert d.paused_at is None
    kinds = list(NodeEvent.objects.filter(subject_id=d.pk).values_list("kind", flat=True))
    assert kinds == ["clock.paused", "clock.resumed"]


def test_resume_without_pause_is_an_illegal_transition(search_clock, handler):
    with pytest.raises(InvalidTransition):
        clocks.clock_resume(deadline=search_clock, resumed_at=at("2026-10-09 09:00"), actor=handler)


def test_stop_while_paused_closes_the_pause(search_clock, handler):
    clocks.clock_pause(deadline=search_clock, paused_at=at("2026-10-08 09:00"), reason="暂缓执行", actor=handler)
    d = clocks.clock_stop(deadline=search_clock, stopped_at=at("2026-10-15 09:00"), actor=handler)
    # paused 8 Oct → 15 Oct: 9, 10, 12, 13, 14, 15 Oct = 6 working days → due 21 Oct
    assert iso(d.due_at) == "2026-10-21T23:59:59+08:00"
    assert d.status == DeadlineStatus.MET
    assert not d.pauses.filter(resumed_at__isnull=True).exists()


def test_extension_keeps_the_original_due_date_and_records_approver(search_clock, bureau_head, extendable_search):
    d = clocks.clock_extend(deadline=search_clock, added=2, reason="被执行人下落不明，需异地查控", approved_by=bureau_head)
    assert iso(d.due_at) == "2026-10-15T23:59:59+08:00"
    assert iso(d.original_due_at) == "2026-10-13T23:59:59+08:00"
    ext = DeadlineExtension.objects.get(deadline=d)
    assert (ext.added, ext.approved_by, ext.reason) == (2, bureau_head, "被执行人下落不明，需异地查控")
    assert iso(ext.previous_due_at) == "2026-10-13T23:59:59+08:00"
    assert iso(ext.new_due_at) == "2026-10-15T23:59:59+08:00"
    event = NodeEvent.objects.get(kind="clock.extended", subject_id=d.pk)
    assert event.actor == bureau_head and event.payload["added"] == 2


def test_upper_court_bureau_head_may_approve_but_handler_may_not(search_clock, handler, courts, extendable_search):
    from core.models import Role
    from tests.core.factories import make_member

    with pytest.raises(PermissionDenied):
        clocks.clock_extend(deadline=search_clock, added=1, reason="r", approved_by=handler)
    sibling_head = make_member(Role.BUREAU_HEAD, courts.lu0103, "sibling_head")
    with pytest.raises(PermissionDenied):
        clocks.clock_extend(deadline=search_clock, added=1, reason="r", approved_by=sibling_head)
    upper_head = make_member(Role.BUREAU_HEAD, courts.lu01, "upper_head")
    d = clocks.clock_extend(deadline=search_clock, added=1, reason="r", approved_by=upper_head)
    assert iso(d.due_at) == "2026-10-14T23:59:59+08:00"


def test_extension_needs_a_reason_and_a_positive_amount(search_clock, bureau_head, extendable_search):
    with pytest.raises(ValidationFailed):
        clocks.clock_extend(deadline=search_clock, added=0, reason="r", approved_by=bureau_head)
    with pytest.raises(ValidationFailed):
        clocks.clock_extend(deadline=search_clock, added=1, reason="  ", approved_by=bureau_head)
    assert not DeadlineExtension.objects.exists()


def test_waive(search_clock, bureau_head, handler):
    with pytest.raises(PermissionDenied):
        clocks.clock_waive(deadline=search_clock, reason="撤回申请", actor=handler)
    d = clocks.clock_waive(deadline=search_clock, reason="申请执行人撤回申请", actor=bureau_head)
    assert d.status == DeadlineStatus.WAIVED and d.completed_at is not None
    with pytest.raises(InvalidTransition):
        clocks.clock_stop(deadline=d, stopped_at=at("2026-10-09 10:00"))


def test_urgent_clue_variant_counts_24_hours(courts):
    d = clocks.clock_start(
        rule_code="CLUE_VERIFY", court=courts.lu0102, started_at=at("2026-09-30 20:00"), variant="urgent"
    )
    assert (d.duration, d.unit) == (24, "hours")
    assert iso(d.due_at) == "2026-10-01T20:00:00+08:00"  # through the holiday
    assert iso(d.warn_at) == "2026-10-01T14:00:00+08:00"


def test_ordinary_clue_counts_7_days_rolled_past_the_holiday(courts):
    d = clocks.clock_start(rule_code="CLUE_VERIFY", court=courts.lu0102, started_at=at("2026-09-26 09:00"))
    assert iso(d.due_at) == "2026-10-08T23:59:59+08:00"  # 3 Oct is a holiday


def test_rules_set_case_by_case_need_a_duration_within_the_maximum(courts):
    with pytest.raises(ValidationFailed):
        clocks.clock_start(rule_code="SELF_DISPOSAL", court=courts.lu0102, started_at=at("2026-03-02 09:00"))
    with pytest.raises(RuleViolation) as excinfo:
        clocks.clock_start(
            rule_code="SELF_DISPOSAL", court=courts.lu0102, started_at=at("2026-03-02 09:00"), duration=91
        )
    assert excinfo.value.code == "duration_exceeds_maximum"
    d = clocks.clock_start(
        rule_code="SELF_DISPOSAL", court=courts.lu0102, started_at=at("2026-03-02 09:00"), duration=90
    )
    assert iso(d.due_at) == "2026-06-01T23:59:59+08:00"  # 31 May is a Sunday


def test_expiry_lapses_on_its_own_date_even_in_an_unloaded_year(courts):
    d = clocks.clock_start(
        rule_code="CONTROL_EXPIRY", court=courts.lu0102, started_at=at("2026-03-10 10:00"), variant="deposit"
    )
    assert iso(d.due_at) == "2027-03-10T23:59:59+08:00"
    assert iso(d.warn_at) == "2027-02-08T00:00:00+08:00"  # 30 days before
    assert iso(d.warn_again_at) == "2027-03-03T00:00:00+08:00"  # 7 days before
    assert d.provisional is False  # the date needs no calendar
    assert d.escalate_at is not None  # counted on the predicted calendar, recomputed on load


def test_a_due_date_in_an_unloaded_year_is_provisional_never_refused(courts):
    d = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-12-28 10:00"))
    # 5 working days on the predicted calendar: 29, 30, 31 December, (1–3 January
    # 元旦 with the weekend), 4 and 5 January
    assert iso(d.due_at) == "2027-01-05T23:59:59+08:00"
    assert d.provisional is True
    assert Deadline.objects.filter(pk=d.pk, provisional=True).exists()


def test_a_clock_wholly_inside_loaded_years_is_not_provisional(courts):
    d = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-12-01 10:00"))
    assert iso(d.due_at) == "2026-12-08T23:59:59+08:00"
    assert d.provisional is False


def test_inactive_rule_starts_nothing(courts):
    from core.models import DeadlineRule

    DeadlineRule.objects.filter(code="SEARCH_START").update(is_active=False)
    assert clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-09-30 10:00")) is None


def test_naive_times_are_refused(courts):
    with pytest.raises(ValidationFailed):
        clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=dt.datetime(2026, 9, 30, 10))


def test_calendar_edit_recomputes_open_clocks(courts, handler, django_capture_on_commit_callbacks):
    d = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-11-02 10:00"))
    done = clocks.clock_start(rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2026-11-02 10:00"))
    clocks.clock_stop(deadline=done, stopped_at=at("2026-11-03 10:00"))
    assert iso(d.due_at) == "2026-11-09T23:59:59+08:00"

    with mock.patch.object(recompute_clocks_for_dates, "delay") as delay:
        with django_capture_on_commit_callbacks(execute=True):
            calendar_day_set(date=dt.date(2026, 11, 4), kind="holiday", name="临时调整", actor=None)
    delay.assert_called_once_with(first="2026-11-04", last="2026-11-04")

    assert recompute_clocks_for_dates(first="2026-11-04", last="2026-11-04") == 1
    d.refresh_from_db()
    done.refresh_from_db()
    assert iso(d.due_at) == "2026-11-10T23:59:59+08:00"
    assert iso(done.due_at) == "2026-11-09T23:59:59+08:00"  # a stopped clock keeps its history
    assert NodeEvent.objects.filter(kind="calendar.day_set", court__isnull=True).count() == 1

    calendar_day_remove(date=dt.date(2026, 11, 4), actor=None)
    recompute_clocks_for_dates(first="2026-11-04", last="2026-11-04")
    d.refresh_from_db()
    assert iso(d.due_at) == "2026-11-09T23:59:59+08:00"


def test_recompute_keeps_pauses_and_extensions(search_clock, handler, bureau_head, extendable_search):
    clocks.clock_pause(deadline=search_clock, paused_at=at("2026-10-08 09:00"), reason="中止", actor=handler)
    clocks.clock_resume(deadline=search_clock, resumed_at=at("2026-10-12 09:00"), actor=handler)
    clocks.clock_extend(deadline=search_clock, added=1, reason="延长", approved_by=bureau_head)
    search_clock.refresh_from_db()
    assert iso(search_clock.due_at) == "2026-10-19T23:59:59+08:00"  # 16 Oct + 1 working day
    assert clocks.clocks_recompute() == 0  # nothing changed: same answer


def test_month_period_into_an_unloaded_year_is_provisional_until_the_year_is_loaded(courts):
    from core.models import CalendarDay, CalendarYear
    from core.services.calendar import calendar_year_mark_loaded

    d = clocks.clock_start(rule_code="CASE_DURATION", court=courts.lu0102, started_at=at("2026-09-28 00:00"))
    # 28 March 2027 is a Sunday: moved to Monday 29 March on the predicted calendar
    assert iso(d.due_at) == "2027-03-29T23:59:59+08:00"
    assert d.provisional is True
    predicted_escalation = d.escalate_at
    assert predicted_escalation is not None
    # the official schedule, entered by hand, makes 29 March a holiday (an
    # invented one, to see the recompute follow the official calendar)
    CalendarDay.objects.create(date=dt.date(2027, 3, 29), kind="holiday", name="测试")
    calendar_year_mark_loaded(year=2027, actor=None)
    assert CalendarYear.objects.filter(year=2027).exists()
    recompute_clocks_for_dates(first="2027-01-01", last="2027-12-31")
    d.refresh_from_db()
    assert iso(d.due_at) == "2027-03-30T23:59:59+08:00"
    assert d.provisional is False
    assert d.escalate_at > predicted_escalation


def test_mark_breached_by_range_or_for_the_clocks_given(search_clock, courts, django_assert_num_queries):
    court = courts.lu0102.pk
    before_due, after_due = at("2026-10-13 09:00"), at("2026-10-14 09:00")
    assert clocks.clocks_mark_breached(court_id=court, at=before_due) == 0
    # the clocks given are checked against the same conditions
    assert clocks.clocks_mark_breached(court_id=court, at=before_due, deadline_ids=[search_clock.pk]) == 0
    with django_assert_num_queries(0):
        assert clocks.clocks_mark_breached(court_id=court, at=after_due, deadline_ids=[]) == 0
    assert clocks.clocks_mark_breached(court_id=court + 1, at=after_due, deadline_ids=[search_clock.pk]) == 0
    assert clocks.clocks_mark_breached(court_id=court, at=after_due, deadline_ids=[search_clock.pk]) == 1
    search_clock.refresh_from_db()
    assert search_clock.status == DeadlineStatus.BREACHED
    assert clocks.clocks_mark_breached(court_id=court, at=after_due) == 0
