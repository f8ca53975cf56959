"""What supervision puts on 我的待办 (``core.work``): alerts addressed to the person
still waiting for 签收, 督办 waiting for the reply of a court the person answers for
(被督办法院的执行局长、承办人、专人监管 — never the issuer), and petitions waiting
for the receiving court's staff (录入、办结、反馈)."""

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.selectors import active_memberships
from core.work import WorkItem, WorkSource
from supervision.models import Alert, OrderStatus, Petition, PetitionStatus, SupervisionOrder
from supervision.policy import ORDER_RESPONDER_ROLES, PETITION_CONCLUDER_ROLES, PETITION_STAFF_ROLES
from supervision.selectors.alerts import alerts_inbox
from supervision.selectors.orders import orders_visible_to
from supervision.selectors.petitions import petitions_visible_to


def _courts_as(user: User, roles) -> list[int]:
    return sorted({m.court_id for m in active_memberships(user) if m.role in roles})


def _has_court_as(roles):
    def applies(user: User) -> bool:
        return user.has_perm("core.use_browser") and bool(_courts_as(user, roles))

    return applies


# --- 待签收 ------------------------------------------------------------------------------------


def alerts_to_sign(user: User) -> QuerySet[Alert]:
    return alerts_inbox(user).filter(acknowledged_at__isnull=True, resolved_at__isnull=True)


def alerts_to_sign_count(user: User) -> int:
    return alerts_to_sign(user).count()


def alerts_to_sign_rows(user: User, limit: int) -> list[WorkItem]:
    url = reverse("supervision:inbox") + "?show=unacknowledged"
    qs = alerts_to_sign(user).select_related("court", "rule", "case").order_by("raised_at", "id")
    return [
        WorkItem(
            title=_("%(level)s：%(rule)s") % {"level": a.get_level_display(), "rule": a.rule.name_zh},
            url=url,
            case_number=a.case.case_number if a.case else "",
            case_url=reverse("enforcement:case-detail", args=[a.case_id]) if a.case_id else "",
            court=a.court.name,
            since=a.raised_at,
        )
        for a in qs[:limit]
    ]


# --- 待回复督办 ----------------------------------------------------------------------------------


def orders_to_answer(user: User) -> QuerySet[SupervisionOrder]:
    """Issued orders addressed to a court where ``user`` answers 督办, not issued by
    ``user`` (``supervision.policy.require_order_responder``), scoped by court."""
    courts = _courts_as(user, ORDER_RESPONDER_ROLES)
    return (
        orders_visible_to(user)
        .filter(status=OrderStatus.ISSUED, target_court_id__in=courts)
        .exclude(issued_by=user)
    )


def orders_to_answer_count(user: User) -> int:
    return orders_to_answer(user).count()


def orders_to_answer_rows(user: User, limit: int) -> list[WorkItem]:
    return [
        WorkItem(
            title=_("督办 %(number)s") % {"number": o.number},
            url=reverse("supervision:order-detail", args=[o.pk]),
            case_number=o.case.case_number if o.case else "",
            case_url=reverse("enforcement:case-detail", args=[o.case_id]) if o.case_id else "",
            court=o.issuing_court.name,
            since=o.issued_at,
            detail=o.get_kind_display(),
        )
        for o in orders_to_answer(user).order_by("issued_at", "id")[:limit]
    ]


# --- 信访 ---------------------------------------------------------------------------------------


def petitions_to_handle(user: User) -> QuerySet[Petition]:
    """Received (to register) and concluded (to feed back) petitions of the courts where
    ``user`` is petition staff; registered ones (to conclude) where ``user`` may 办结."""
    staff = _courts_as(user, PETITION_STAFF_ROLES)
    concluders = _courts_as(user, PETITION_CONCLUDER_ROLES)
    return petitions_visible_to(user).filter(
        Q(court_id__in=staff, status__in=[PetitionStatus.RECEIVED, PetitionStatus.CONCLUDED])
        | Q(court_id__in=concluders, status=PetitionStatus.REGISTERED)
    )


def petitions_to_handle_count(user: User) -> int:
    return petitions_to_handle(user).count()


def petitions_to_handle_rows(user: User, limit: int) -> list[WorkItem]:
    return [
        WorkItem(
            title=_("信访（%(status)s）") % {"status": p.get_status_display()},
            url=reverse("supervision:petition-detail", args=[p.pk]),
            case_number=p.case.case_number if p.case else "",
            case_url=reverse("enforcement:case-detail", args=[p.case_id]) if p.case_id else "",
            court=p.court.name,
            since=p.received_at,
        )
        for p in petitions_to_handle(user).order_by("received_at", "id")[:limit]
    ]


WORK_SOURCES = (
    WorkSource(
        key="supervision.alerts",
        label=_("待签收预警"),
        badge="sign",
        list_url="supervision:inbox",
        applies=lambda user: user.has_perm("supervision.use_inbox"),
        count=alerts_to_sign_count,
        rows=alerts_to_sign_rows,
    ),
    WorkSource(
        key="supervision.orders",
        label=_("待回复督办"),
        badge="reply",
        list_url="supervision:orders",
        applies=_has_court_as(ORDER_RESPONDER_ROLES),
        count=orders_to_answer_count,
        rows=orders_to_answer_rows,
    ),
    WorkSource(
        key="supervision.petitions",
        label=_("待办信访"),
        badge="petition",
        list_url="supervision:petitions",
        applies=_has_court_as(PETITION_STAFF_ROLES),
        count=petitions_to_handle_count,
        rows=petitions_to_handle_rows,
    ),
)
