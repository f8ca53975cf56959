"""Reads of 督办 orders and 执行信访 petitions, scoped by court here and never only in
a view (DESIGN "Who sees what").

* An order is visible to whoever sees its issuing court, the court it is addressed
  to (the case's court) or the court it assigns the case to (指令执行).
* A petition is visible to whoever sees its receiving court: the court's own
  members, and supervisory roles of the courts above.
Siblings never see each other's.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotFound
from core.models import Court, Deadline, NodeEvent, Role, User
from core.selectors import active_memberships, court_scope_q
from supervision.models import (
    Alert,
    Petition,
    SupervisionOrder,
    SupervisionOrderResponse,
)

# 督办 is issued by the 专人监管 or the bureau head of an upper court (322号 §8, §28).
ORDER_ISSUER_ROLES = (Role.CASE_SUPERVISOR, Role.BUREAU_HEAD)
# The lower court answers through its bureau head, the case handler or its 专人监管.
ORDER_RESPONDER_ROLES = (Role.BUREAU_HEAD, Role.HANDLER, Role.CASE_SUPERVISOR)

# Receiving, registering and feeding back a petition: the court's enforcement
# staff, its 专人监管, and the court's systems (a 12368 or online-petition feed).
PETITION_STAFF_ROLES = (Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD, Role.CASE_SUPERVISOR, Role.API_CLIENT)
# 办结 is decided by a named person answerable for it: the bureau head, the
# 专人监管 or the handler of the receiving court.
PETITION_CONCLUDER_ROLES = (Role.BUREAU_HEAD, Role.CASE_SUPERVISOR, Role.HANDLER)
# 转一案双查线索: the bureau head, 专人监管 or 监察 of the court or a court above it
# (双查规定 §4: the working group of the execution bureau, or the inspectors).
PETITION_DUALCHECK_ROLES = (Role.BUREAU_HEAD, Role.CASE_SUPERVISOR, Role.INSPECTOR)


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise NotFound() from None


# --- orders ------------------------------------------------------------------------


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


def order_get_visible(user: User, order_id) -> SupervisionOrder:
    order = orders_visible_to(user).filter(pk=_pk(order_id)).first()
    if order is None:
        raise NotFound(_("督办不存在或不在您的可见范围内。"))
    return order


def order_get_detail(user: User, order_id) -> SupervisionOrder:
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


def order_issuing_courts(user: User, case_court: Court | None = None) -> list[Court]:
    """The courts at which ``user`` may issue 督办 — on ``case_court`` when given
    (a court strictly above it), nearest first."""
    courts = {
        m.court.pk: m.court
        for m in active_memberships(user)
        if m.role in ORDER_ISSUER_ROLES
        and (case_court is None or (case_court.path.startswith(m.court.path) and m.court.pk != case_court.pk))
    }
    return sorted(courts.values(), key=lambda c: (-c.depth, c.path))


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


def subject_events(subject) -> QuerySet[NodeEvent]:
    return (
        NodeEvent.objects.filter(
            subject_type=ContentType.objects.get_for_model(type(subject)), subject_id=subject.pk
        )
        .select_related("actor")
        .order_by("occurred_at", "id")
    )


# --- petitions ---------------------------------------------------------------------


def petitions_visible_to(user: User) -> QuerySet[Petition]:
    return Petition.objects.filter(court_scope_q(user)).select_related(
        "court",
        "case",
        "received_by",
        "register_deadline__rule",
        "close_deadline__rule",
    )


def petition_get_visible(user: User, petition_id) -> Petition:
    petition = petitions_visible_to(user).filter(pk=_pk(petition_id)).first()
    if petition is None:
        raise NotFound(_("信访件不存在或不在您的可见范围内。"))
    return petition


def petition_get_detail(user: User, petition_id) -> Petition:
    petition = petition_get_visible(user, petition_id)
    return (
        Petition.objects.filter(pk=petition.pk)
        .select_related(
            "court",
            "case__court",
            "received_by",
            "registered_by",
            "concluded_by",
            "fed_back_by",
            "dualcheck_flagged_by",
            "register_deadline__rule",
            "close_deadline__rule",
        )
        .get()
    )


def petition_receiving_courts(user: User) -> list[Court]:
    """The courts at which ``user`` may receive petitions (their own courts)."""
    courts = {m.court.pk: m.court for m in active_memberships(user) if m.role in PETITION_STAFF_ROLES}
    return sorted(courts.values(), key=lambda c: c.path)


def petitions_flagged_for_dualcheck(user: User) -> QuerySet[Petition]:
    """Petitions flagged as 一案双查 clues and not yet taken up by the dualcheck app
    (its hook: read these, create the clue, then ``petition_dualcheck_link``)."""
    return petitions_visible_to(user).filter(
        dualcheck_flagged_at__isnull=False, dualcheck_clue_id__isnull=True
    )
