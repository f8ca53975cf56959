"""Alerts follow the clock when a year's official schedule replaces the prediction:
they carry 暂定 while the clock does, a level whose threshold moved ahead is resolved,
and the scan raises it again when the new threshold passes (issue 1/5 §1–§2)."""

import pytest
from django.core import mail

from core.calendar_notice import parse_notice
from core.models import DeadlineStatus, Role
from core.services import clocks
from core.services.calendar import calendar_load_recompute, calendar_year_load
from supervision.models import Alert, AlertLevel
from supervision.services.alerts import alerts_send_digest
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.core.factories import make_member
from tests.core.test_calendar_load import NOTICE_2027


@pytest.fixture
def admin_user(courts):
    return make_member(Role.ADMIN, courts.lu, "calendar_admin")


def test_alerts_follow_the_clock_through_a_year_load(courts, handler, admin_user, time_machine):
    time_machine.move_to(at("2027-02-01 10:00"), tick=False)
    # predicted due 15 February (Sunday 14 February a make-up day); official 16 February
    clock = clocks.clock_start(
        rule_code="SEARCH_START", court=courts.lu0102, started_at=at("2027-02-01 10:00"), responsible=handler
    )
    assert clock.provisional

    scan_court(court_id=courts.lu0102.pk, at=at("2027-02-16 09:00"))
    overdue = Alert.objects.get(deadline=clock, level=AlertLevel.OVERDUE)
    assert overdue.provisional is True
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.BREACHED
    # the digest says the date is provisional
    handler.email = "handler@court.example"
    handler.save(update_fields=["email"])
    assert alerts_send_digest(now=at("2027-02-16 09:10")) == 1
    assert "暂定" in mail.outbox[-1].body

    time_machine.move_to(at("2027-02-16 09:30"), tick=False)
    parsed = parse_notice(NOTICE_2027)
    load = calendar_year_load(
        year=2027, holidays=list(parsed.holidays), workdays=list(parsed.workdays), actor=admin_user
    )
    calendar_load_recompute(load_id=load.pk)

    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.OPEN and not clock.provisional
    overdue.refresh_from_db()
    assert overdue.resolved_at is not None  # the breach was the prediction's
    # now within its time limit again: the next scan warns, no longer 暂定
    scan_court(court_id=courts.lu0102.pk, at=at("2027-02-16 10:00"))
    warning = Alert.objects.get(deadline=clock, level=AlertLevel.WARNING)
    assert warning.provisional is False and warning.due_at == clock.due_at

    # the official due moment passes: the scan raises the overdue level again
    scan_court(court_id=courts.lu0102.pk, at=at("2027-02-17 09:00"))
    levels = list(Alert.objects.filter(deadline=clock, level=AlertLevel.OVERDUE).values_list("resolved_at", flat=True))
    assert len(levels) == 2 and levels.count(None) == 1
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.BREACHED
    # and a repeated scan raises nothing twice
    scan_court(court_id=courts.lu0102.pk, at=at("2027-02-17 09:05"))
    assert Alert.objects.filter(deadline=clock, level=AlertLevel.OVERDUE).count() == 2
