"""Reads of 督办 orders, scoped by court here and never only in a view (DESIGN "Who
sees what").

An order is visible to whoever sees its issuing court, the court it is addressed
to (the case's court) or the court it assigns the case to (指令执行). Siblings never
see each other's. Who may issue, answer or review one: ``supervision.policy``.
"""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotFound
from core.models import Court, Deadline, NodeEvent, User
from core.selectors import court_scope_q
from supervision.models import OPEN_ORDER_STATUSES, Alert, SupervisionOrder, SupervisionOrderResponse


def pk_or_404(value: Any) -> int:
    """An id from a URL or a payload (anything: it is checked here)."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


def orders_visible_to(user: User) -> QuerySet[SupervisionOrder]:
    q = (
        court_scope_q(user, field="issuing_court")
        | court_scope_q(user, field="target_court")
        | court_scope_q(user, field="assignee_court")
    )
    return SupervisionOrder.objects.filter(q).select_related(
        "issuing_court",
        "target_court",
        "assignee_court",
        "case__court",
        "issued_by",
        "response_deadline__rule",
    )


def orders_filtered(user: User, filters: dict[str, Any]) -> QuerySet[SupervisionOrder]:
    """The orders ``user`` sees, narrowed by the REST list's filters (status, kind,
    issuing/target court code, case id), newest first."""
    qs = orders_visible_to(user)
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("issuing_court"):
        qs = qs.filter(issuing_court__code=filters["issuing_court"])
    if filters.get("target_court"):
        qs = qs.filter(target_court__code=filters["target_court"])
    if filters.get("case"):
        qs = qs.filter(case_id=filters["case"])
    return qs.order_by("-issued_at", "-id")


def orders_searched(
    user: User, *, status: str = "", kind: str = "", text: str = ""
) -> QuerySet[SupervisionOrder]:
    """The order list page: by status, kind and a case or order number (full-width
    brackets accepted), newest first."""
    qs = orders_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    text = (text or "").strip().replace("（", "(").replace("）", ")")
    if text:
        qs = qs.filter(Q(case__case_number__icontains=text) | Q(number__icontains=text))
    return qs.order_by("-issued_at", "-id")


def order_get_visible(user: User, order_id: Any) -> SupervisionOrder:
    order = orders_visible_to(user).filter(pk=pk_or_404(order_id)).first()
    if order is None:
        raise NotFound(_("督办不存在或不在您的可见范围内。"))
    return order


def order_get_detail(user: User, order_id: Any) -> SupervisionOrder:
    """An order with its response rounds (and who answered and reviewed them)."""
    order = order_get_visible(user, order_id)
    responses = SupervisionOrderResponse.objects.select_related("responded_by", "reviewed_by").order_by(
        "round"
    )
    return (
        SupervisionOrder.objects.filter(pk=order.pk)
        .select_related(
            "issuing_court",
            "target_court",
            "assignee_court",
            "case__court",
            "case__handler",
            "issued_by",
            "closed_by",
            "withdrawn_by",
            "response_deadline__rule",
        )
        .prefetch_related(Prefetch("responses", queryset=responses))
        .get()
    )


def order_get_for_update(order: SupervisionOrder) -> SupervisionOrder:
    """The order, locked (its row only) with the courts and case the services
    read. The caller has checked it is visible and holds a transaction."""
    return (
        SupervisionOrder.objects.select_for_update(of=("self",))
        .select_related("issuing_court", "target_court", "assignee_court", "case__court", "case__handler")
        .get(pk=order.pk)
    )


def order_response_get_for_update(order: SupervisionOrder) -> SupervisionOrderResponse:
    """The response of the order's current round, locked (caller holds the order's
    lock)."""
    return SupervisionOrderResponse.objects.select_for_update().get(order=order, round=order.round)


def order_open_exists(*, case_id: int, issuing_court: Court) -> bool:
    """Whether ``issuing_court`` has an order on the case still waiting (issued or
    responded)."""
    return SupervisionOrder.objects.filter(
        case_id=case_id, issuing_court=issuing_court, status__in=OPEN_ORDER_STATUSES
    ).exists()


def order_assignable_courts(issuing_courts: list[Court], exclude: Court | None = None) -> QuerySet[Court]:
    """Courts below the issuing courts that a case may be assigned to (指令执行)."""
    q = Q(pk__in=[])
    for court in issuing_courts:
        q |= Q(path__startswith=court.path) & ~Q(pk=court.pk)
    qs = Court.objects.filter(q, is_active=True)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("path")


def order_deadlines(order: SupervisionOrder) -> QuerySet[Deadline]:
    """Every ORDER_RESPONSE clock of the order, one per round."""
    return (
        Deadline.objects.filter(
            subject_type=ContentType.objects.get_for_model(SupervisionOrder), subject_id=order.pk
        )
        .select_related("rule", "responsible")
        .order_by("started_at", "id")
    )


def order_alerts(order: SupervisionOrder, deadline_ids: list[int]) -> QuerySet[Alert]:
    """The escalation alerts raised on the order's clocks (read-only here)."""
    return (
        Alert.objects.filter(deadline_id__in=deadline_ids)
        .select_related("to_court", "handler", "acknowledged_by")
        .order_by("raised_at", "id")
    )


def subject_events(subject: Model) -> QuerySet[NodeEvent]:
    """The timeline of an order or a petition (or any subject of node events)."""
    return (
        NodeEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=subject.pk
        )
        .select_related("actor")
        .order_by("occurred_at", "id")
    )
