"""站内通知 of 督办 (issue 16): an order reaches the receiving court's people who
answer it (bureau heads, 专人监管, the case's handler) — not the issuer, not the
court's other handlers or clerks, not another court; a returned response goes back
to them and to whoever replied."""

import pytest

from core.models import Notification, NotificationKind, Role
from supervision.services.orders import order_respond, order_return
from tests.conftest import at
from tests.core.factories import make_member
from tests.supervision.factories import *  # noqa: F403

pytestmark = pytest.mark.django_db


def told(kind: str) -> set[int]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient_id", flat=True))


def test_an_order_tells_the_receiving_courts_responders_only(
    issue_order, courts, handler, bureau_head, clerk, local_supervisor, case_supervisor
):
    other_handler = make_member(Role.HANDLER, courts.lu0102, "other_handler")
    sibling_head = make_member(Role.BUREAU_HEAD, courts.lu0103, "head_0103")
    Notification.objects.all().delete()
    order = issue_order()
    assert told(NotificationKind.ORDER_RECEIVED) == {handler.pk, bureau_head.pk, local_supervisor.pk}
    assert not {clerk.pk, other_handler.pk, sibling_head.pk, case_supervisor.pk} & told(
        NotificationKind.ORDER_RECEIVED
    )
    note = Notification.objects.get(recipient=handler)
    assert order.number in note.title and order.case.case_number in note.title
    assert note.link == f"/supervision/orders/{order.pk}/" and note.court_id == courts.lu0102.pk
    assert "5 日内回复" in note.body


def test_a_returned_response_goes_back_to_the_replying_court(
    issue_order, courts, handler, bureau_head, local_supervisor, case_supervisor
):
    order = issue_order()
    order_respond(actor=handler, order=order, text="已冻结存款。", responded_at=at("2026-09-30 10:00"))
    Notification.objects.all().delete()
    order_return(actor=case_supervisor, order=order, note="未说明财产处置计划", at=at("2026-10-09 10:00"))
    assert told(NotificationKind.ORDER_RETURNED) == {handler.pk, bureau_head.pk, local_supervisor.pk}
    note = Notification.objects.get(recipient=handler)
    assert "被退回" in note.title and "未说明财产处置计划" in note.body


def test_the_issuer_is_never_told_of_their_own_order(issue_order, courts, handler, bureau_head):
    # 鲁01's 专人监管 who also holds the post at 鲁0102 issues the order: not told of it
    both = make_member(Role.CASE_SUPERVISOR, courts.lu01, "both_courts")
    make_member(Role.CASE_SUPERVISOR, courts.lu0102, "both_courts")
    Notification.objects.all().delete()
    issue_order(actor=both)
    assert told(NotificationKind.ORDER_RECEIVED) == {handler.pk, bureau_head.pk}
