"""T5d (lifecycle spec §2, §9): a 督办's response period is the issuing court's to
extend — never the bureau head of the court that must respond — and at most by the
original period in total. 15 calendar days from Mon 2026-03-02 → Tue 03-17."""

import datetime as dt

import pytest

from core.exceptions import PermissionDenied, RuleViolation
from core.models import Deadline, DeadlineStatus
from core.services import clocks
from supervision.services.orders import order_issue
from tests.conftest import at
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db


def end_of(day: str) -> dt.datetime:
    return at(f"{day} 23:59") + dt.timedelta(seconds=59)


@pytest.fixture
def response_clock(time_machine, courts, clerk, handler, case_supervisor):
    time_machine.move_to(at("2026-03-02 10:00"), tick=False)
    case = make_case(clerk, courts.lu0102, number="(2026)鲁0102执2002号", received="2026-03-02 09:00",
                     filed="2026-02-27", handler=handler)
    order = order_issue(actor=case_supervisor, case=case, kind="urge", instructions="请于期限内查明财产并依法控制。",
                        response_days=15)
    return Deadline.objects.select_related("rule").get(pk=order.response_deadline_id)


def test_t5d_only_the_issuing_court_extends_a_response_period_by_at_most_the_period(
    response_clock, bureau_head, case_supervisor, time_machine
):
    assert response_clock.due_at == end_of("2026-03-17")
    time_machine.move_to(at("2026-03-10 10:00"), tick=False)

    # the 基层 court's bureau head answers the order: he cannot move its period
    with pytest.raises(PermissionDenied) as refused:
        clocks.clock_extend(deadline=response_clock, added=10, reason="财产处置中", approved_by=bureau_head)
    assert refused.value.code == "extension_wrong_court"

    # the 中院's 专人监管 who issued it can: 03-17 + 10 = Fri 03-27
    clock = clocks.clock_extend(deadline=response_clock, added=10, reason="财产处置中", approved_by=case_supervisor)
    assert clock.due_at == end_of("2026-03-27")
    assert clock.original_due_at == end_of("2026-03-17")
    assert clock.status == DeadlineStatus.OPEN

    # a further 10 would make 20 > the original 15
    with pytest.raises(RuleViolation) as refused:
        clocks.clock_extend(deadline=clock, added=10, reason="再次延长", approved_by=case_supervisor)
    assert refused.value.code == "extension_exceeds_maximum"
    assert {k: refused.value.extra[k] for k in ("max_total", "used", "unit")} == {
        "max_total": 15, "used": 10, "unit": "calendar_days"
    }
