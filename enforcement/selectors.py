"""Reads of enforcement, always scoped by court (HackSoft selectors)."""

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotFound
from core.models import Court, Deadline, NodeEvent, Role, User
from core.models.clocks import RUNNING
from core.selectors import court_scope_q, user_has_role_at
from enforcement.models import (
    AssetCategory,
    AssetSearch,
    Case,
    ControlMeasure,
    CourtAssetCategory,
    Party,
)

# Roles that register and progress cases at their own court.
ACTING_ROLES = frozenset({Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD, Role.API_CLIENT})


def cases_visible_to(user: User) -> QuerySet[Case]:
    return Case.objects.filter(court_scope_q(user)).select_related("court", "handler")


def case_get(user: User, case_id: int | str) -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    case = cases_visible_to(user).filter(pk=pk).first()
    if case is None:
        raise NotFound(_("案件不存在或不在您的可见范围内。"))
    return case


def case_get_detail(user: User, case_id: int | str) -> Case:
    """A case with everything its detail view and API show, in a fixed number of
    queries."""
    case = case_get(user, case_id)
    return (
        Case.objects.filter(pk=case.pk)
        .select_related("court", "handler", "restored_from", "fund_account")
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.select_related("payout_account")),
            "assets__category",
            Prefetch("control_measures", queryset=ControlMeasure.objects.select_related("asset__category")),
            Prefetch("searches", queryset=AssetSearch.objects.prefetch_related("categories")),
            "clues",
            "credit_measures__party",
            "disposals__asset",
            "self_disposals__asset",
            Prefetch("deadlines", queryset=Deadline.objects.select_related("rule").order_by("started_at", "id")),
        )
        .get()
    )


def case_timeline(case: Case) -> QuerySet[NodeEvent]:
    return NodeEvent.objects.filter(case=case).select_related("actor").order_by("occurred_at", "id")


def user_can_act_on(user: User, court: Court) -> bool:
    """Registering and progressing cases is for the clerk, handler, bureau head and
    machine clients of the case's own court; supervisors watch, they do not act."""
    return user_has_role_at(user, court, ACTING_ROLES)


def enabled_categories(court: Court) -> list[AssetCategory]:
    """The online categories open at ``court`` (all unless switched off)."""
    disabled = CourtAssetCategory.objects.filter(court=court, enabled=False).values("category_id")
    return list(AssetCategory.objects.filter(online=True).exclude(pk__in=disabled).order_by("sort", "code"))


def running_deadlines_of_case(case: Case) -> QuerySet[Deadline]:
    return Deadline.objects.filter(RUNNING, case=case).select_related("rule")


def cases_search(qs: QuerySet[Case], text: str) -> QuerySet[Case]:
    """By case number (half- or full-width brackets) or party name."""
    text = text.strip().replace("（", "(").replace("）", ")")
    if not text:
        return qs
    return qs.filter(Q(case_number__icontains=text) | Q(parties__name__icontains=text)).distinct()
