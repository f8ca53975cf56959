"""Reads of enforcement, always scoped by court (HackSoft selectors)."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models
from django.db.models import DecimalField, Exists, OuterRef, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotFound, PermissionDenied
from core.models import Court, Deadline, Membership, NodeEvent, Role, User
from core.models.clocks import RUNNING
from core.selectors import court_scope_q, visible_courts
from enforcement.events import CaseNode
from enforcement.models import (
    ApplicantInterview,
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Asset,
    AssetCategory,
    AssetSearch,
    Case,
    CaseStatus,
    ClosureType,
    ControlMeasure,
    CourtAssetCategory,
    CreditMeasure,
    Disposal,
    InterviewOpinion,
    OffsetRefusal,
    Party,
    PartyRole,
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
            "assets__priority_transfers",  # h/gateprop
            Prefetch("assets__offset_refusals", queryset=OffsetRefusal.objects.select_related("applicant")),  # h/gateprop
            Prefetch("control_measures", queryset=ControlMeasure.objects.select_related("asset__category").prefetch_related(
                Prefetch("objections", queryset=SeizureObjection.objects.select_related("party").order_by("filed_at", "id")),
                "splits",
            )),
            Prefetch("searches", queryset=AssetSearch.objects.select_related("respondent").prefetch_related("categories")),
            "clues",
            "credit_measures__party",
            "credit_measures__restricted_persons",
            "disposals__asset",
            "self_disposals__asset",
            Prefetch("deadlines", queryset=Deadline.objects.select_related("rule").order_by("started_at", "id")),
            "services", "property_reports", "applicant_interviews",  # h/gateproc
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


def cases_with_party_names(qs: QuerySet[_Case]) -> QuerySet[_Case]:
    """``qs`` with each case's 申请执行人 and 被执行人 (``listed_applicants``,
    ``listed_respondents``: names and kinds only, for the list's masked names) in two
    queries per page, whatever the number of rows."""
    names = Party.objects.only("id", "case_id", "role", "kind", "name").order_by("id")
    return qs.prefetch_related(
        Prefetch("parties", queryset=names.filter(role=PartyRole.APPLICANT), to_attr="listed_applicants"),
        Prefetch("parties", queryset=names.filter(role=PartyRole.RESPONDENT), to_attr="listed_respondents"),
    )


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


# Who may be a case's 承办人: the court's handlers (执行员/承办法官), and its bureau
# head, who may take a case himself — never a clerk, finance or a machine client.
HANDLER_ROLES = (Role.HANDLER, Role.BUREAU_HEAD)


def handlers_by_court(courts: list[Court]) -> dict[int, list[tuple[int, str]]]:
    """The people each court's cases may be assigned to (``HANDLER_ROLES``)."""
    rows: dict[int, list[tuple[int, str]]] = defaultdict(list)
    seen: set[tuple[int, int]] = set()
    memberships = (
        Membership.objects.filter(court__in=[c.pk for c in courts], revoked_at__isnull=True, role__in=HANDLER_ROLES)
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


def court_members_by_username(pairs: Iterable[tuple[Court, str]]) -> dict[tuple[int, str], User]:
    """``court_member_get`` for many (court, username) pairs in one query: the people
    with a current membership at the court, by (court id, username)."""
    pairs = list(pairs)
    if not pairs:
        return {}
    memberships = Membership.objects.filter(
        court_id__in={court.pk for court, _name in pairs},
        user__username__in={name for _court, name in pairs},
        revoked_at__isnull=True,
    ).select_related("user")
    return {(m.court_id, m.user.username): m.user for m in memberships}


def handler_of_court(user: User, court: Court) -> bool:
    """Whether ``user`` may be a case's 承办人 at ``court``: a current handler or bureau
    head there, the people ``handlers_by_court`` lists."""
    return Membership.objects.filter(user=user, court=court, revoked_at__isnull=True, role__in=HANDLER_ROLES).exists()


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
        raise PermissionDenied(_("只有本院的书记员、承办人、执行局长或对接系统可以办理本案事项。"))
    return locked


def case_get_for_update_unchecked(pk: int) -> Case:
    """Lock a case for work done by the system (no actor) or already authorised."""
    return Case.objects.select_for_update(of=("self",)).select_related("court").get(pk=pk)


def asset_get_for_update(pk: int, *, with_category: bool = False) -> Asset:
    qs = Asset.objects.select_for_update(of=("self",))
    return (qs.select_related("category") if with_category else qs).get(pk=pk)


def search_get_for_update(pk: int) -> AssetSearch:
    return AssetSearch.objects.select_for_update(of=("self",)).get(pk=pk)


def searches_visible(user: User, pks: Iterable[int]) -> dict[int, AssetSearch]:
    """``case_part_get`` for many searches in one query: those inside the user's
    courts, by id (the others are 404s)."""
    return AssetSearch.objects.filter(court_scope_q(user, field="case__court")).in_bulk(set(pks))


def cases_and_searches_lock(case_pks: Iterable[int], search_pks: Iterable[int]) -> tuple[dict, dict]:
    """Lock many cases, then many searches, each in id order (as two requests would
    otherwise deadlock); the cases with their courts and handlers."""
    cases = {
        c.pk: c
        for c in Case.objects.select_for_update(of=("self",))
        .select_related("court", "handler")
        .filter(pk__in=set(case_pks))
        .order_by("pk")
    }
    searches = {s.pk: s for s in AssetSearch.objects.select_for_update().filter(pk__in=set(search_pks)).order_by("pk")}
    return cases, searches


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


def suspension_approvers(case: Case) -> QuerySet[User]:
    """Who may approve the 中止 ruling of ``case``: the active 执行局长 of the case's
    own court (lifecycle spec §1: the ruling is the court's; requester ≠ approver is
    checked by the service)."""
    return (
        User.objects.filter(
            is_active=True,
            memberships__court_id=case.court_id,
            memberships__role=Role.BUREAU_HEAD,
            memberships__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def case_handler_ids(case: Case) -> set[int]:
    """Everyone who is or has been the handler (承办人) of ``case``: the current one,
    every handler in the case's history (pghistory records each change, including
    the handler it was registered with) and every ``case.assigned`` node."""
    ids = {case.handler_id} if case.handler_id else set()
    ids |= set(
        Case.pgh_event_model.objects.filter(pgh_obj_id=case.pk, handler_id__isnull=False)  # type: ignore[attr-defined]
        .values_list("handler_id", flat=True)
        .distinct()
    )
    for payload in NodeEvent.objects.filter(case=case, kind=CaseNode.ASSIGNED).values_list("payload", flat=True):
        if isinstance(payload, dict) and payload.get("handler"):
            ids.add(int(payload["handler"]))
    return ids


# --- h/credit: 失信/限消 per respondent ------------------------------------------------------

from django.contrib.contenttypes.models import ContentType  # noqa: E402

from enforcement.models.measures import RestrictedPerson  # noqa: E402


def restricted_person_get(user: User, pk: Any) -> RestrictedPerson:  # Any: a URL value, checked here
    """A person restricted by a 限制消费令, found only inside the user's courts (else 404)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    obj = (
        RestrictedPerson.objects.filter(court_scope_q(user, field="measure__case__court"), pk=pk)
        .select_related("measure__case")
        .first()
    )
    if obj is None:
        raise NotFound()
    return obj


def restricted_person_get_for_update(pk: int) -> RestrictedPerson:
    return RestrictedPerson.objects.select_for_update(of=("self",)).get(pk=pk)


def credit_measures_of_party(case: Case, party_id: int) -> QuerySet[CreditMeasure]:
    return case.credit_measures.filter(party_id=party_id).order_by("pk")


def dishonest_not_applicable_parties(case: Case) -> set[int]:
    """Respondents with a recorded finding that they do not meet the 失信 conditions."""
    ids = NodeEvent.objects.filter(
        case=case, kind="credit.dishonest_not_applicable", subject_type=ContentType.objects.get_for_model(Party)
    ).values_list("subject_id", flat=True)
    return {pk for pk in ids if pk is not None}


# --- 强制措施与调查措施 register (h/coercion) -------------------------------------------------


def coercion_entries_of_case(case: Case) -> QuerySet["CoercionEntry"]:
    return case.coercion_entries.select_related("party", "application")  # type: ignore[attr-defined]


def coercion_findings_of_case(case: Case) -> QuerySet["CoercionFinding"]:
    return case.coercion_findings.select_related("party")  # type: ignore[attr-defined]


def measure_applications_of_case(case: Case) -> QuerySet["MeasureApplication"]:
    return case.measure_applications.select_related("applicant", "decided_by")  # type: ignore[attr-defined]


def obstruction_decisions_of_case(case: Case) -> QuerySet["ObstructionDecision"]:
    return case.obstruction_decisions.select_related("party", "decided_by")  # type: ignore[attr-defined]


def case_party_get(case: Case, pk: Any, *, role: str | None = None) -> Party | None:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    qs = case.parties.filter(pk=pk)
    return (qs.filter(role=role) if role else qs).first()


def coercion_entry_get_for_update(pk: int) -> "CoercionEntry":
    return CoercionEntry.objects.select_for_update(of=("self",)).get(pk=pk)


def measure_application_get_for_update(pk: int) -> "MeasureApplication":
    return MeasureApplication.objects.select_for_update(of=("self",)).get(pk=pk)


def referrals_in_scope(court_ids: list[int], *, start: dt.date | None, end: dt.date | None) -> QuerySet["CoercionEntry"]:
    """拒执罪移送 of the given courts' cases, decided in [start, end] (Asia/Shanghai dates)."""
    tz = timezone.get_default_timezone()
    qs = CoercionEntry.objects.filter(case__court_id__in=court_ids, kind="refusal_crime_referral")
    if start:
        qs = qs.filter(decided_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
    if end:
        qs = qs.filter(decided_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs.select_related("case__court", "party").order_by("case__court__path", "decided_at", "id")


from enforcement.models import (  # noqa: E402
    CoercionEntry,
    CoercionFinding,
    MeasureApplication,
    ObstructionDecision,
)

# --- the public 终本案件 list (322号 §11; h/gateproc) ----------------------------------------------


def public_court_get(code: str) -> Court | None:
    return Court.objects.filter(code=code.strip(), is_active=True).first() if code and code.strip() else None


def terminated_cases_public(court: Court) -> QuerySet[Case]:
    """The 终本 cases one court publishes: closed as 终本 (ruling served), newest first, with the
    amount paid out annotated (``paid``) and the respondents prefetched. No user scope: the list is
    public, but always one court's."""
    paid = Sum("disbursements__amount", filter=Q(disbursements__status="paid"))
    return (
        Case.objects.filter(court=court, status=CaseStatus.CLOSED, closure_type=ClosureType.TERMINATED_THIS_ROUND)
        .annotate(paid=Coalesce(paid, Value(Decimal("0.00")), output_field=DecimalField(max_digits=16, decimal_places=2)))
        .select_related("court")
        .prefetch_related(Prefetch("parties", queryset=Party.objects.filter(role=PartyRole.RESPONDENT).order_by("id"),
                                   to_attr="public_respondents"))
        .order_by("-closed_at", "-id")
    )


def applicant_objections(case_ids: list[int]) -> dict[int, list[ApplicantInterview]]:
    """The applicants' objections to 终本 (终本规定 §5), by case: shown to the approver."""
    out: dict[int, list[ApplicantInterview]] = {}
    for interview in ApplicantInterview.objects.filter(case_id__in=case_ids, opinion=InterviewOpinion.OBJECT).select_related(
        "applicant"
    ).order_by("at", "id"):
        out.setdefault(interview.case_id, []).append(interview)
    return out


def public_courts() -> list[Court]:
    return list(Court.objects.filter(is_active=True).order_by("path"))


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
