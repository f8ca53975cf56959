"""Reads of enforcement, always scoped by court (HackSoft selectors)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import models
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotFound, PermissionDenied
from core.models import Court, Deadline, Membership, NodeEvent, Role, User
from core.models.clocks import RUNNING
from core.selectors import court_scope_q, visible_courts
from enforcement.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Asset,
    AssetCategory,
    AssetSearch,
    Case,
    ControlMeasure,
    CourtAssetCategory,
    CreditMeasure,
    Disposal,
    Party,
    PropertyClue,
    SeizureObjection,
    SelfDisposal,
    SplitSeizure,
    SplitStatus,
)
from enforcement.policy import can_act_at

_Case = TypeVar("_Case", bound=Case)

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
            Prefetch("control_measures", queryset=ControlMeasure.objects.select_related("asset__category").prefetch_related(
                Prefetch("objections", queryset=SeizureObjection.objects.select_related("party").order_by("filed_at", "id")),
                "splits",
            )),
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


def enabled_categories(court: Court) -> list[AssetCategory]:
    """The online categories open at ``court`` (all unless switched off)."""
    disabled = CourtAssetCategory.objects.filter(court=court, enabled=False).values("category_id")
    return list(AssetCategory.objects.filter(online=True).exclude(pk__in=disabled).order_by("sort", "code"))


def running_deadlines_of_case(case: Case) -> QuerySet[Deadline]:
    return Deadline.objects.filter(RUNNING, case=case).select_related("rule")


def cases_search(qs: QuerySet[_Case], text: str) -> QuerySet[_Case]:
    """By case number (half- or full-width brackets) or party name."""
    text = text.strip().replace("（", "(").replace("）", ")")
    if not text:
        return qs
    return qs.filter(Q(case_number__icontains=text) | Q(parties__name__icontains=text)).distinct()


# --- case list ------------------------------------------------------------------------


def cases_overdue_q(now: dt.datetime) -> Exists:
    """True for a case with a running, unpaused clock past its due time."""
    return Exists(Deadline.objects.filter(RUNNING, case=OuterRef("pk"), due_at__lt=now, paused_at__isnull=True))


def cases_filter(user: User, params: Mapping[str, Any]) -> QuerySet[Case]:  # Any: validated filter values
    """The case list of the page and of ``GET /cases/``: the user's cases, annotated
    with ``overdue``, filtered by court code, status, track, handler's username,
    overdue and a search text; newest first."""
    qs = cases_visible_to(user).annotate(overdue=cases_overdue_q(timezone.now()))
    if params.get("court"):
        qs = qs.filter(court__code=params["court"])
    if params.get("status"):
        qs = qs.filter(status=params["status"])
    if params.get("track"):
        qs = qs.filter(track=params["track"])
    if params.get("handler"):
        qs = qs.filter(handler__username=params["handler"])
    if params.get("overdue") is not None:
        qs = qs.filter(overdue=params["overdue"])
    if params.get("q"):
        qs = cases_search(qs, params["q"])
    return qs.order_by("-received_at", "-id")


def case_handler_choices(user: User, *, limit: int) -> list[tuple[str, str]]:
    """(username, name) of the people who may handle cases in the user's courts."""
    users = (
        User.objects.filter(
            court_scope_q(user, field="memberships__court"),
            memberships__revoked_at__isnull=True,
            memberships__role__in=[Role.HANDLER, Role.BUREAU_HEAD, Role.CLERK],
        )
        .distinct()
        .order_by("username")[:limit]
    )
    return [(u.username, str(u)) for u in users]


def handlers_by_court(courts: list[Court]) -> dict[int, list[tuple[int, str]]]:
    """People with a current membership at each court (machine clients excepted)."""
    rows: dict[int, list[tuple[int, str]]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    memberships = (
        Membership.objects.filter(court__in=[c.pk for c in courts], revoked_at__isnull=True)
        .exclude(role=Role.API_CLIENT)
        .select_related("user")
        .order_by("court_id", "user__username")
    )
    for m in memberships:
        if (m.court_id, m.user_id) not in seen:
            seen.add((m.court_id, m.user_id))
            rows[m.court_id].append((m.user_id, f"{m.user}（{m.get_role_display()}）"))
    return rows


def court_member_get(court: Court, *, username: str) -> User | None:
    """A person with a current membership at ``court``, or None."""
    return User.objects.filter(
        username=username, memberships__court=court, memberships__revoked_at__isnull=True
    ).first()


def user_get(pk: int) -> User | None:
    return User.objects.filter(pk=pk).first()


# --- a case's parts -------------------------------------------------------------------

_Part = TypeVar("_Part", bound=models.Model)


def case_part_get(user: User, model: type[_Part], pk: Any) -> _Part:  # Any: a URL or JSON value, checked here
    """A case's sub-object (search, asset, measure, clue, disposal, approval...),
    found only inside the user's courts (else 404)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    obj = (
        model._default_manager.filter(court_scope_q(user, field="case__court"), pk=pk)  # type: ignore[attr-defined]
        .select_related("case")
        .first()
    )
    if obj is None:
        raise NotFound()
    return obj


def case_asset_get(case: Case, pk: int) -> Asset | None:
    return case.assets.filter(pk=pk).first()


def case_approval_get(case: Case, pk: int) -> Approval | None:
    return case.approvals.filter(pk=pk).first()


def asset_get_detail(pk: int) -> Asset:
    return Asset.objects.select_related("category").get(pk=pk)


def asset_categories() -> list[AssetCategory]:
    """The whole catalogue, in its order."""
    return list(AssetCategory.objects.order_by("sort", "code"))


def asset_categories_at(user: User, court_code: str | None) -> list[tuple[AssetCategory, bool]]:
    """The catalogue with whether each category is open at the court (the user's
    first visible court when no code is given; nothing is open at an unknown one)."""
    courts = visible_courts(user)
    court = courts.filter(code=court_code).first() if court_code else courts.first()
    enabled = {c.pk for c in enabled_categories(court)} if court else set()
    return [(c, c.pk in enabled) for c in asset_categories()]


# --- approvals ------------------------------------------------------------------------


def approvals_visible_to(user: User, *, status: str | None = None) -> QuerySet[Approval]:
    """Requests of the user's courts, newest first."""
    qs = (
        Approval.objects.filter(court_scope_q(user, field="case__court"))
        .select_related("case", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )
    return qs.filter(status=status) if status else qs


def approval_get_detail(pk: int) -> Approval:
    return Approval.objects.select_related("case", "requested_by", "decided_by").get(pk=pk)


def approval_get_visible(user: User, pk: int) -> Approval | None:
    return Approval.objects.filter(court_scope_q(user, field="case__court"), pk=pk).first()


def approvals_pending_for(user: User) -> QuerySet[Approval]:
    """Pending requests of the courts the user sees (bureau heads and court leaders
    see their court and the courts below), oldest first."""
    return (
        Approval.objects.filter(court_scope_q(user, field="case__court"), status=ApprovalStatus.PENDING)
        .select_related("case__court", "requested_by")
        .order_by("requested_at", "id")
    )


def approvals_of_case(case: Case, *, limit: int = 50) -> list[Approval]:
    return list(case.approvals.select_related("requested_by", "decided_by").order_by("-requested_at", "-id")[:limit])


def approval_subjects(approvals: list[Approval]) -> tuple[dict[int, Deadline], dict[int, Asset]]:
    """The clocks and assets the requests are about (one query per kind)."""
    deadline_ids = {a.payload.get("deadline") for a in approvals if a.kind == ApprovalKind.EXTENSION}
    asset_ids = {a.payload.get("asset") for a in approvals if a.kind == ApprovalKind.OVER_SEIZURE}
    deadlines = Deadline.objects.select_related("rule").in_bulk([i for i in deadline_ids if isinstance(i, int)])
    assets = Asset.objects.select_related("category").in_bulk([i for i in asset_ids if isinstance(i, int)])
    return deadlines, assets


# --- rows the services lock -----------------------------------------------------------
# Each is called inside the service's transaction, after ``case_get_for_update`` has
# authorised the actor on the case (the lock order is always case first).


def case_get_for_update(*, actor: User, case: Case | int) -> Case:
    """Fetch, authorise and lock the case (caller is inside ``transaction.atomic``).
    Invisible → 404; visible but not allowed to act → 403."""
    pk = case if isinstance(case, int) else case.pk
    if not cases_visible_to(actor).filter(pk=pk).exists():
        raise NotFound(_("案件不存在或不在您的可见范围内。"))
    locked = Case.objects.select_for_update(of=("self",)).select_related("court").get(pk=pk)
    if not can_act_at(actor, locked.court):
        raise PermissionDenied(_("只有本院的书记员、承办人、执行局长或对接系统可以办理该案件节点。"))
    return locked


def case_get_for_update_unchecked(pk: int) -> Case:
    """Lock a case for work done by the system (no actor) or already authorised."""
    return Case.objects.select_for_update(of=("self",)).select_related("court").get(pk=pk)


def asset_get_for_update(pk: int, *, with_category: bool = False) -> Asset:
    qs = Asset.objects.select_for_update(of=("self",))
    return (qs.select_related("category") if with_category else qs).get(pk=pk)


def search_get_for_update(pk: int) -> AssetSearch:
    return AssetSearch.objects.select_for_update(of=("self",)).get(pk=pk)


def control_measure_get_for_update(pk: int) -> ControlMeasure:
    return ControlMeasure.objects.select_for_update(of=("self",)).get(pk=pk)


def credit_measure_get_for_update(pk: int) -> CreditMeasure:
    return CreditMeasure.objects.select_for_update(of=("self",)).get(pk=pk)


def property_clue_get_for_update(pk: int) -> PropertyClue:
    return PropertyClue.objects.select_for_update(of=("self",)).get(pk=pk)


def disposal_get_for_update(pk: int) -> Disposal:
    return Disposal.objects.select_for_update(of=("self",)).get(pk=pk)


def self_disposal_get_for_update(pk: int) -> SelfDisposal:
    return SelfDisposal.objects.select_for_update(of=("self",)).get(pk=pk)


def approval_get_for_update(pk: int) -> Approval:
    return Approval.objects.select_for_update(of=("self",)).select_related("case__court").get(pk=pk)


# --- 超标的查封异议 and 分割查封 (322号 §15, spec §7) -----------------------------------------


def seizure_objection_get_for_update(pk: int) -> SeizureObjection:
    return SeizureObjection.objects.select_for_update(of=("self",)).get(pk=pk)


def split_seizure_get_for_update(pk: int) -> SplitSeizure:
    return SplitSeizure.objects.select_for_update(of=("self",)).get(pk=pk)


def case_seizure_objections(case: Case) -> list[SeizureObjection]:
    """The objections of a case the caller already sees, with their measure and party."""
    return list(case.seizure_objections.select_related("measure__asset", "party").order_by("filed_at", "pk"))


def case_split_seizures(case: Case) -> list[SplitSeizure]:
    return list(case.split_seizures.select_related("measure__asset").order_by("opened_at", "pk"))


def split_seizures_open(user: User) -> QuerySet[SplitSeizure]:
    """Open 分割查封 items in the user's courts, oldest first (screening by age)."""
    return (
        SplitSeizure.objects.filter(court_scope_q(user, field="case__court"), status=SplitStatus.OPEN)
        .select_related("case", "measure__asset")
        .order_by("opened_at", "pk")
    )
