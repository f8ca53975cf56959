"""站内通知 of 补录核实 (issue 16): who entered a node beyond its tolerance is told
when a bureau head decides it — not the decider, not the case's handler."""

import pytest

from core.models import Notification, NotificationKind, Role
from core.services import clocks
from tests.core.factories import make_member
from tests.enforcement.test_backdate import _tolerance, case, entered, pending_clock  # noqa: F401 — fixtures

pytestmark = [pytest.mark.django_db, pytest.mark.backdate_review]


@pytest.mark.parametrize("approve", [True, False])
def test_the_decision_tells_who_entered_the_node(case, clerk, handler, bureau_head, approve):  # noqa: F811
    deadline, _node = pending_clock(case, clerk)
    Notification.objects.all().delete()
    service = clocks.clock_backdate_approve if approve else clocks.clock_backdate_reject
    with entered("2026-03-11 10:00"):
        service(deadline=deadline, actor=bureau_head, reason="核查笔录")
    (note,) = Notification.objects.all()
    assert note.recipient_id == clerk.pk and note.kind == NotificationKind.REQUEST_DECIDED
    assert ("核实属实" if approve else "核实不属实") in note.title and case.case_number in note.title
    assert note.link == f"/cases/{case.pk}/" and "核查笔录" in note.body


def test_a_node_gone_to_verification_tells_the_bureau_heads_who_may_decide(
    case,  # noqa: F811 — the fixture imported above
    clerk,
    handler,
    bureau_head,
    courts,
):
    elsewhere = make_member(Role.BUREAU_HEAD, courts.lu0103, "head_0103")
    Notification.objects.all().delete()
    deadline, _node = pending_clock(case, clerk)
    assert deadline.status == "pending_verification"
    (note,) = Notification.objects.filter(kind=NotificationKind.APPROVAL_REQUESTED)
    assert note.recipient_id == bureau_head.pk and note.link == "/clock-corrections/"
    assert "待您核实" in note.title and case.case_number in note.title
    assert not Notification.objects.filter(recipient__in=[clerk, handler, elsewhere]).exists()
