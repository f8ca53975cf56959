"""The in-app notifications of 督办 (issue 16): the order reaches the people of the
receiving court who answer it — its bureau heads and 专人监管, and the case's
handler — and a returned response (退回) goes back to them and to whoever replied.
Called inside the order service's transaction; the person who acted is never told."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import NotificationKind, PeriodUnit, Role, User
from core.selectors import users_with_roles_at
from core.services.notifications import in_site_language, notify
from supervision.models import SupervisionOrder

# Who answers for the receiving court (the handler: only the case's own, not every one).
ORDER_POSTS = (Role.BUREAU_HEAD, Role.CASE_SUPERVISOR)


def _responders(order: SupervisionOrder) -> set[int]:
    people = set(users_with_roles_at([order.target_court_id], ORDER_POSTS).values_list("pk", flat=True))
    handler_id = order.case.handler_id
    if (
        handler_id is not None
        and users_with_roles_at([order.target_court_id], [Role.HANDLER]).filter(pk=handler_id).exists()
    ):
        people.add(handler_id)
    return people


@in_site_language
def notify_order_issued(*, order: SupervisionOrder, actor: User) -> None:
    notify(
        recipients=_responders(order),
        actor=actor,
        kind=NotificationKind.ORDER_RECEIVED,
        title=_("收到督办 %(no)s：%(case)s") % {"no": order.number, "case": order.case.case_number},
        body=_("%(court)s %(kind)s，请在 %(days)s %(unit)s内回复已采取的措施。")
        % {
            "court": order.issuing_court.name,
            "kind": order.get_kind_display(),
            "days": order.response_days,
            "unit": dict(PeriodUnit.choices).get(order.response_unit, order.response_unit),
        },
        link=reverse("supervision:order-detail", args=[order.pk]),
        court=order.target_court,
        subject=order,
    )


@in_site_language
def notify_order_returned(
    *, order: SupervisionOrder, replied_by_id: int | None, note: str, actor: User
) -> None:
    people = _responders(order)
    if replied_by_id is not None:
        people.add(replied_by_id)
    notify(
        recipients=people,
        actor=actor,
        kind=NotificationKind.ORDER_RETURNED,
        title=_("督办 %(no)s 的回复被退回：%(case)s") % {"no": order.number, "case": order.case.case_number},
        body=_("退回理由：%(note)s") % {"note": note},
        link=reverse("supervision:order-detail", args=[order.pk]),
        court=order.target_court,
        subject=order,
    )
