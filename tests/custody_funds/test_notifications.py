"""站内通知 of the case funds (issue 16): a disbursement or a 延缓发放 submitted for
approval tells the court's bureau heads; the decision tells its drafter / requester —
never the person who acted, never another court."""

import pytest

from core.models import Notification, NotificationKind, Role
from custody_funds.services import funds
from tests.core.factories import make_member
from tests.custody_funds.factories import draft, receive, submitted

pytestmark = pytest.mark.django_db


def told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


@pytest.fixture
def elsewhere(courts):
    return make_member(Role.BUREAU_HEAD, courts.lu0103, "head_0103")


def test_a_submitted_disbursement_tells_the_bureau_head_not_the_drafter(
    case, handler, bureau_head, clerk, elsewhere
):
    receive(case, clerk)
    d = draft(case, handler)
    Notification.objects.all().delete()
    funds.disbursement_submit(actor=handler, disbursement=d)
    assert told(NotificationKind.APPROVAL_REQUESTED) == {bureau_head.pk}
    note = Notification.objects.get()
    assert case.case_number in note.title and "1,000.00" in note.title and note.link == "/funds/approvals/"


@pytest.mark.parametrize("approve", [True, False])
def test_the_decision_tells_the_drafter_only(case, handler, bureau_head, clerk, elsewhere, approve):
    receive(case, clerk)
    d = submitted(case, handler)
    Notification.objects.all().delete()
    if approve:
        funds.disbursement_approve(actor=bureau_head, disbursement=d)
    else:
        funds.disbursement_reject(actor=bureau_head, disbursement=d, note="收款账户有误")
    (note,) = Notification.objects.all()
    assert note.recipient_id == handler.pk and note.kind == NotificationKind.REQUEST_DECIDED
    assert ("已批准" if approve else "已驳回") in note.title and note.link == f"/funds/cases/{case.pk}/"


def test_a_hold_request_and_its_decision(case, handler, bureau_head, clerk, elsewhere):
    receive(case, clerk)
    Notification.objects.all().delete()
    hold = funds.hold_request(actor=handler, case=case, kind="delay", reason="to_distribute", note="参与分配")
    assert told(NotificationKind.APPROVAL_REQUESTED) == {bureau_head.pk}
    funds.hold_decide(actor=bureau_head, hold=hold, approve=True)
    assert told(NotificationKind.REQUEST_DECIDED) == {handler.pk}
    assert "延缓发放" in Notification.objects.get(kind=NotificationKind.REQUEST_DECIDED).title
