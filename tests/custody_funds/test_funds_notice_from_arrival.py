"""FUNDS_NOTICE counts from 到账, also for a receipt matched later (322号 §22 "执行案款到账后
10个工作日内"; §19: no money left unmatched) — issue 15 item 6, lifecycle spec §6, T8.

2026 calendar (国办 2025-11-04): no rest day in March; 10 working days after Mon 03-02 are
03-03(1) 03-04(2) 03-05(3) 03-06(4) 03-09(5) 03-10(6) 03-11(7) 03-12(8) 03-13(9) 03-16(10)
→ due 2026-03-16 24:00; escalate = due + 2 WD = 03-18; upper = due + 5 WD = 03-23."""

from decimal import Decimal

import pytest
from django.utils import timezone

from core.models import Deadline, DeadlineStatus, NodeEvent
from custody_funds.events import FundsNode
from custody_funds.services import funds
from supervision.models import Alert
from supervision.services.scan import scan_court
from tests.conftest import at
from tests.enforcement.factories import make_case


def local(moment) -> str:
    return timezone.localtime(moment).isoformat()


@pytest.fixture
def unidentified(time_machine, courts, clerk, handler, finance):
    """A case received 2026-02-26 and a receipt for it that arrived, unidentified
    (wrong account number), on Mon 2026-03-02 10:00."""
    time_machine.move_to(at("2026-02-26 11:00"))
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执2201号", received="2026-02-26 09:00",
                     filed="2026-02-26", handler=handler)
    time_machine.move_to(at("2026-03-02 10:05"))
    receipt, created = funds.receipt_record(
        actor=finance, court=courts.lu0102, reference="T8-0302", account_number="000000000000000",
        amount=Decimal("30000.00"), arrived_at=at("2026-03-02 10:00"), payer="某某公司",
    )
    assert created and receipt.case_id is None
    return case, receipt


def test_matched_after_the_limit_starts_at_arrival_breached_and_the_scan_alerts(
    time_machine, unidentified, finance, courts
):
    case, receipt = unidentified
    time_machine.move_to(at("2026-03-20 15:00"))  # Fri, day 14 in working days
    funds.receipt_match(actor=finance, receipt=receipt, case=case, reason="付款人提供转账凭证")

    clock = Deadline.objects.get(case=case, rule__code="FUNDS_NOTICE")
    # old code: started 03-20 15:00, due 04-03, open
    assert local(clock.started_at) == "2026-03-02T10:00:00+08:00"
    assert local(clock.due_at) == "2026-03-16T23:59:59+08:00"
    assert clock.status == DeadlineStatus.BREACHED and clock.completed_at is None  # still owed
    node = NodeEvent.objects.get(kind=FundsNode.RECEIPT_MATCHED, case=case)
    assert node.payload["late_start_reason"] == "unidentified_receipt"
    assert node.payload["unmatched_working_days"] == 14  # working days in (03-02, 03-20]
    assert node.payload["funds_notice_breached_at_match"] is True

    # the scan treats it as any overdue clock: overdue and escalated (03-18) at once, upper on 03-23
    scan_court(court_id=courts.lu0102.pk, at=at("2026-03-20 15:01"))
    assert set(Alert.objects.filter(deadline=clock).values_list("level", flat=True)) == {"overdue", "escalated"}
    scan_court(court_id=courts.lu0102.pk, at=at("2026-03-24 00:01"))
    assert "upper" in set(Alert.objects.filter(deadline=clock).values_list("level", flat=True))


def test_matched_within_the_limit_keeps_the_due_date_of_the_arrival(time_machine, unidentified, finance):
    case, receipt = unidentified
    time_machine.move_to(at("2026-03-05 09:00"))  # Thu, 3 working days after arrival
    funds.receipt_match(actor=finance, receipt=receipt, case=case, reason="付款人提供转账凭证")

    clock = Deadline.objects.get(case=case, rule__code="FUNDS_NOTICE")
    # old code: from 03-05 → 03-19
    assert local(clock.started_at) == "2026-03-02T10:00:00+08:00"
    assert local(clock.due_at) == "2026-03-16T23:59:59+08:00"
    assert clock.status == DeadlineStatus.OPEN
    node = NodeEvent.objects.get(kind=FundsNode.RECEIPT_MATCHED, case=case)
    assert node.payload["unmatched_working_days"] == 3 and node.payload["funds_notice_breached_at_match"] is False


def test_money_that_came_before_the_case_counts_from_the_case(time_machine, courts, clerk, handler, finance):
    """Money on the court's account before the case was received was no 执行案款 yet: the
    clock counts from the case's receipt (Mon 03-09 09:00 → 10 WD → Mon 03-23)."""
    time_machine.move_to(at("2026-03-02 10:05"))
    receipt, _created = funds.receipt_record(
        actor=finance, court=courts.lu0102, reference="T8-early", account_number="000000000000000",
        amount=Decimal("500.00"), arrived_at=at("2026-03-02 10:00"),
    )
    time_machine.move_to(at("2026-03-09 10:00"))
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执2202号", received="2026-03-09 09:00",
                     filed="2026-03-09", handler=handler)
    funds.receipt_match(actor=finance, receipt=receipt, case=case, reason="付款人提供转账凭证")
    clock = Deadline.objects.get(case=case, rule__code="FUNDS_NOTICE")
    assert local(clock.started_at) == "2026-03-09T09:00:00+08:00"
    assert local(clock.due_at) == "2026-03-23T23:59:59+08:00" and clock.status == DeadlineStatus.OPEN
