"""Reads of 执行信访 petitions, scoped by court here and never only in a view (DESIGN
"Who sees what").

A petition is visible to whoever sees its receiving court: the court's own members,
and supervisory roles of the courts above. Siblings never see each other's. Who may
receive, register, conclude or flag one: ``supervision.policy``.
"""

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotFound
from core.models import User
from core.selectors import court_scope_q
from supervision.models import Petition, PetitionStatus
from supervision.selectors.orders import pk_or_404


def petitions_visible_to(user: User) -> QuerySet[Petition]:
    return Petition.objects.filter(court_scope_q(user)).select_related(
        "court",
        "case",
        "received_by",
        "register_deadline__rule",
        "close_deadline__rule",
        "feedback_deadline__rule",
    )


def petitions_late_q(now: dt.datetime) -> Q:
    """Still waiting for registration past its 5 working days, for conclusion
    past its 30, or for the feedback past the court's period after 办结."""
    return (
        Q(register_deadline__due_at__lt=now, status=PetitionStatus.RECEIVED)
        | Q(close_deadline__due_at__lt=now, status__in=[PetitionStatus.RECEIVED, PetitionStatus.REGISTERED])
        | Q(feedback_deadline__due_at__lt=now, status=PetitionStatus.CONCLUDED)
    )


def petitions_searched(
    user: User,
    *,
    status: str = "",
    channel: str = "",
    late_at: dt.datetime | None = None,
    dualcheck: bool = False,
) -> QuerySet[Petition]:
    """The petition list page: by status, channel, late (at ``late_at``) and flagged
    as a 一案双查 clue, newest first."""
    qs = petitions_visible_to(user)
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if late_at is not None:
        qs = qs.filter(petitions_late_q(late_at))
    if dualcheck:
        qs = qs.filter(dualcheck_flagged_at__isnull=False)
    return qs.order_by("-received_at", "-id")


def petitions_filtered(user: User, filters: dict[str, Any], *, now: dt.datetime) -> QuerySet[Petition]:
    """The petitions ``user`` sees, narrowed by the REST list's filters (status,
    channel, court code, case id, late or not at ``now``, flagged or not), newest
    first."""
    qs = petitions_visible_to(user).select_related("dualcheck_flagged_by")
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("channel"):
        qs = qs.filter(channel=filters["channel"])
    if filters.get("court"):
        qs = qs.filter(court__code=filters["court"])
    if filters.get("case"):
        qs = qs.filter(case_id=filters["case"])
    if filters.get("overdue") is not None:
        late = petitions_late_q(now)
        qs = qs.filter(late) if filters["overdue"] else qs.exclude(late)
    if filters.get("dualcheck") is not None:
        qs = qs.filter(dualcheck_flagged_at__isnull=not filters["dualcheck"])
    return qs.order_by("-received_at", "-id")


def petition_get_visible(user: User, petition_id: Any) -> Petition:
    petition = petitions_visible_to(user).filter(pk=pk_or_404(petition_id)).first()
    if petition is None:
        raise NotFound(_("信访件不存在或不在您的可见范围内。"))
    return petition


def petition_get_detail(user: User, petition_id: Any) -> Petition:
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
            "feedback_deadline__rule",
        )
        .get()
    )


def petition_get_for_update(petition: Petition) -> Petition:
    """The petition, locked (its row only), with its court and case. The caller
    has checked it is visible (or acts for the dualcheck app) and holds a
    transaction."""
    return (
        Petition.objects.select_for_update(of=("self",)).select_related("court", "case").get(pk=petition.pk)
    )


def petitions_flagged_for_dualcheck(user: User) -> QuerySet[Petition]:
    """Petitions flagged as 一案双查 clues and not yet taken up by the dualcheck app
    (its hook: read these, create the clue, then ``petition_dualcheck_link``)."""
    return petitions_visible_to(user).filter(
        dualcheck_flagged_at__isnull=False, dualcheck_clue_id__isnull=True
    )
