"""Reads of the kernel, always scoped to what the acting user may see (HackSoft,
Zulip ``access_*``). Domain selectors build on ``visible_courts``."""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Min, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from core.exceptions import NotFound
from core.models import (
    SUPERVISORY_ROLES,
    Court,
    Deadline,
    DeadlineStatus,
    LegalCitation,
    Membership,
    Notification,
    User,
)
from core.models.clocks import RUNNING

_CACHE_ATTR = "_active_memberships"
# Per-request caches derived from the memberships, kept on the user object by other
# modules (register with ``membership_cache``). ``forget_memberships`` drops them all.
_DERIVED_ATTRS: set[str] = {"_supervision_visible_courts"}  # supervision.dashboards.scope_for


def membership_cache(attr: str) -> str:
    """Register ``attr`` as a cache on the user object derived from the memberships,
    so that ``forget_memberships`` drops it too. Returns ``attr``."""
    _DERIVED_ATTRS.add(attr)
    return attr


def active_memberships(user: User) -> list[Membership]:
    """The user's current memberships, read once per request (the user object lives
    for one request, so a revoked membership stops working on the next one). Nothing
    is cached beyond the user object: no process-wide or session cache."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, revoked_at__isnull=True, court__is_active=True)
            .select_related("court")
            .order_by("court__path", "role")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_memberships(user: User) -> None:
    """Drop the memberships read for ``user`` and everything derived from them (a
    grant or revocation within the same request is seen at once)."""
    for attr in (_CACHE_ATTR, *_DERIVED_ATTRS):
        try:
            delattr(user, attr)  # (through request.user's lazy wrapper too)
        except AttributeError:
            pass


def user_roles(user: User) -> set[str]:
    return {m.role for m in active_memberships(user)}


def user_has_role(user: User, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return any(m.role in wanted for m in active_memberships(user))


def user_has_role_at(user: User, court: Court, roles: Iterable[str]) -> bool:
    """True if the user holds one of ``roles`` at ``court`` itself (acting roles:
    registering, recording, drafting, paying). Superusers may act anywhere."""
    if getattr(user, "is_superuser", False):
        return True
    wanted = set(roles)
    return any(m.role in wanted and m.court_id == court.pk for m in active_memberships(user))


def user_has_role_over(user: User, court: Court, roles: Iterable[str]) -> bool:
    """True if the user holds one of ``roles`` at ``court`` or at a court above it."""
    wanted = set(roles)
    return any(m.role in wanted and court.path.startswith(m.court.path) for m in active_memberships(user))


def court_scope_q(user: User, field: str = "court") -> Q:
    """A filter on ``<field>`` matching the courts ``user`` may see: the courts of
    the user's memberships, plus every court below them for supervisory roles.
    Siblings never see each other. Matches nothing for a user without membership."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    prefix = f"{field}__" if field else ""
    q = Q(pk__in=[])
    own: set[int] = set()
    for m in active_memberships(user):
        if m.role in SUPERVISORY_ROLES:
            q |= Q(**{f"{prefix}path__startswith": m.court.path})
        else:
            own.add(m.court_id)
    if own:
        q |= Q(**{(f"{field}_id__in" if field else "pk__in"): sorted(own)})
    return q


def visible_courts(user: User) -> QuerySet[Court]:
    return Court.objects.filter(court_scope_q(user, field="")).order_by("path")


def court_get_by_code(code: str, *, user: User | None = None) -> Court | None:
    """The court whose 法院代字 is ``code`` (surrounding blanks ignored), or ``None``.

    The one rule for finding a court by its code: **only an active court is found**
    (``is_active``). A deactivated court — merged or abolished — takes nothing new
    (no case, no API client, no 督办 or 一案双查 target) and is not offered as a
    filter; its records stay readable where they are listed (its own members lose
    access with it: ``active_memberships``). With ``user``, only among the courts
    the user may see (``visible_courts``); without, any court (commands, imports)."""
    courts = visible_courts(user) if user is not None else Court.objects.all()
    return courts.filter(code=(code or "").strip(), is_active=True).first()


def court_get_visible(user: User, code: str) -> Court:
    """``court_get_by_code`` for ``user``, or ``NotFound`` (404)."""
    court = court_get_by_code(code, user=user)
    if court is None:
        raise NotFound(_("法院 %(code)s 不存在或不在您的可见范围内。") % {"code": code})
    return court


def deadlines_visible_to(user: User) -> QuerySet[Deadline]:
    return Deadline.objects.filter(court_scope_q(user)).select_related("rule", "court", "responsible")


def deadline_get_for_update(pk: int) -> Deadline:
    """Clock ``pk`` with its rule and court, under a row lock on the clock alone
    (caller is inside ``transaction.atomic``)."""
    return Deadline.objects.select_for_update(of=("self",)).select_related("rule", "court").get(pk=pk)


def deadlines_todo(user: User) -> QuerySet[Deadline]:
    """我的待办: the running clocks the user is responsible for, soonest first."""
    return (
        Deadline.objects.filter(RUNNING, responsible=user)
        .filter(court_scope_q(user))
        .select_related("rule", "court")
        .order_by("due_at", "pk")
    )


def deadlines_todo_filtered(
    user: User,
    *,
    rule_code: str = "",
    court: Court | None = None,
    due_from: dt.datetime | None = None,
    due_before: dt.datetime | None = None,
) -> QuerySet[Deadline]:
    """我的待办 narrowed by rule, court (its own clocks, not the subtree's: a person
    is responsible at one court) and a due window [due_from, due_before)."""
    qs = deadlines_todo(user)
    if rule_code:
        qs = qs.filter(rule__code=rule_code)
    if court is not None:
        qs = qs.filter(court=court)
    if due_from is not None:
        qs = qs.filter(due_at__gte=due_from)
    if due_before is not None:
        qs = qs.filter(due_at__lt=due_before)
    return qs


def todo_case_groups(clocks: QuerySet[Deadline]) -> QuerySet:
    """One row per case (``case_id``, ``first_due``) of ``clocks``, the most urgent
    case first — what 我的待办 pages by. Clocks of no case form one group (None)."""
    return (
        clocks.order_by().values("case_id").annotate(first_due=Min("due_at")).order_by("first_due", "case_id")
    )


def todo_clocks_of_groups(clocks: QuerySet[Deadline], case_ids: list[int | None]) -> QuerySet[Deadline]:
    """The clocks of ``clocks`` belonging to the case groups ``case_ids``."""
    q = Q(case_id__in=[pk for pk in case_ids if pk is not None])
    if None in case_ids:
        q |= Q(case_id__isnull=True)
    return clocks.filter(q)


def legal_citation_get(code: str) -> LegalCitation | None:
    """A citation of the catalogue (``core.rule_catalogue.LEGAL_CITATIONS``), as an
    admin may have confirmed it; not court-scoped (the law is the same everywhere)."""
    return LegalCitation.objects.filter(code=code).first()


# --- 补录核实 (322号 §12; core.services.clocks.backdate) ------------------------------------


def clock_corrections_visible_to(
    user: User, *, court: Court | None = None, case_id: int | None = None, pending: bool = True
) -> QuerySet[Deadline]:
    """Clocks stopped by a backdated node (``claimed_at`` set) in the courts ``user``
    sees — by default those still 待核实 — oldest entry first; optionally one court's
    subtree or one case."""
    qs = Deadline.objects.filter(court_scope_q(user), claimed_at__isnull=False)
    if pending:
        qs = qs.filter(status=DeadlineStatus.PENDING_VERIFICATION)
    if court is not None:
        qs = qs.filter(court__path__startswith=court.path)
    if case_id is not None:
        qs = qs.filter(case_id=case_id)
    return qs.select_related("rule", "court", "case", "completed_by", "responsible").order_by("completed_at", "pk")


def clock_correction_get(user: User, pk: int) -> Deadline:
    """One clock stopped by a backdated node that ``user`` sees (any status), or 404."""
    deadline = clock_corrections_visible_to(user, pending=False).filter(pk=pk).first()
    if deadline is None:
        raise NotFound(_("该补录核实事项不存在或不在您的可见范围内。"))
    return deadline


# --- in-app notifications (站内通知) ---------------------------------------------------------


def notifications_of(user: User, *, unread: bool | None = None) -> QuerySet[Notification]:
    """The signed-in person's own notifications, newest first — nobody sees another's
    — and only of the courts the person still sees (a revoked post takes its
    notifications with it)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(Q(court__isnull=True) | court_scope_q(user), recipient=user)
    if unread is True:
        qs = qs.filter(read_at__isnull=True)
    elif unread is False:
        qs = qs.filter(read_at__isnull=False)
    return qs.order_by("-created_at", "-id")


def notification_unread_count(user: User) -> int:
    """The bell's number: one COUNT on the partial index of unread rows."""
    return notifications_of(user, unread=True).count()


def notification_get(user: User, pk: object) -> Notification:
    """One of ``user``'s own notifications, or ``NotFound`` (someone else's is 404)."""
    try:
        key = int(str(pk))
    except (TypeError, ValueError):
        key = None
    notification = notifications_of(user).filter(pk=key).first() if key is not None else None
    if notification is None:
        raise NotFound(_("该通知不存在。"))
    return notification


def role_holders_up_from(court: Court, roles: Iterable[str]) -> list[tuple[int, str, int]]:
    """``(depth, role, user id)`` of the active people holding one of ``roles`` at
    ``court`` or at a court above it, the nearest court first: whom to tell of a matter
    that any of them may decide (one query)."""
    codes = [code for code in court.path.split("/") if code]
    rows = (
        Membership.objects.filter(
            court__code__in=codes,
            role__in=list(roles),
            revoked_at__isnull=True,
            court__is_active=True,
            user__is_active=True,
        )
        .values_list("court__depth", "role", "user_id")
        .distinct()
    )
    return sorted(rows, key=lambda row: (-row[0], row[1], row[2]))


def users_with_roles_at(courts: Iterable[Court | int], roles: Iterable[str]) -> QuerySet[User]:
    """The active people holding one of ``roles`` at one of ``courts`` (the court
    itself, not its subtree): whom a court's post is told of a matter."""
    court_ids = [c.pk if isinstance(c, Court) else c for c in courts]
    return (
        User.objects.filter(
            is_active=True,
            memberships__court_id__in=court_ids,
            memberships__role__in=list(roles),
            memberships__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )
