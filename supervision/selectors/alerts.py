"""Reads of the escalation ladder's alerts. Every query is scoped by court here,
never only in a view (DESIGN "Who sees what").

The alerts of a 一案双查 report clock (DUALCHECK_REPORT, DUALCHECK_SUPPLEMENT) carry
the investigation's number and due date: on top of the court scope they are listed
only to who sees the clue (``dualcheck.selectors.clocks_readable_q``) — never to the
rest of the court under investigation, whose officers may be the ones concerned —
and they are addressed to the clue's joint team and the upper court's referrer
(``JOINT_TEAM_POST``), not to a post of that court."""

from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from core.exceptions import NotFound
from core.models import Deadline, Membership, User
from core.selectors import active_memberships, court_scope_q
from dualcheck.selectors import (
    CLOCK_RULES,
    clocks_of_my_team_q,
    clocks_readable_q,
    clue_ids_visible_to,
    team_members_by_clue,
)
from supervision.models import JOINT_TEAM_POST, Alert


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    """Alerts of every court the user can see (a 一案双查 clock's: only with its clue)."""
    return Alert.objects.filter(court_scope_q(user)).filter(
        clocks_readable_q(user, deadline_field="deadline_id")
    )


def inbox_q(user: User) -> Q:
    """The alerts addressed to ``user``: as the clock's responsible person, as the
    holder of the post (court, role) an alert was sent to, or as a member of the
    joint team a 一案双查 clock's alert went to."""
    posts = [Q(to_court_id=m.court_id, to_role=m.role) for m in active_memberships(user)]
    team = Q(to_role=JOINT_TEAM_POST) & clocks_of_my_team_q(user, deadline_field="deadline_id")
    return reduce(or_, posts, Q(handler=user) | team)


def alerts_inbox(user: User) -> QuerySet[Alert]:
    return alerts_visible_to(user).filter(inbox_q(user))


def alerts_filtered(user: User, params: dict[str, Any]) -> QuerySet[Alert]:
    """The alerts ``user`` sees, narrowed by the REST list's filters (court code,
    level, rule code, case id, open, acknowledged, addressed to the user, raised
    between), newest first."""
    qs = alerts_visible_to(user)
    if params.get("court"):
        qs = qs.filter(court__code=params["court"])
    if params.get("level"):
        qs = qs.filter(level=params["level"])
    if params.get("rule"):
        qs = qs.filter(rule__code=params["rule"])
    if params.get("case"):
        qs = qs.filter(case_id=params["case"])
    if params.get("open") is not None:
        qs = qs.filter(resolved_at__isnull=params["open"])
    if params.get("acknowledged") is not None:
        qs = qs.filter(acknowledged_at__isnull=not params["acknowledged"])
    if params.get("mine"):
        qs = qs.filter(inbox_q(user))
    if params.get("raised_after"):
        qs = qs.filter(raised_at__gte=params["raised_after"])
    if params.get("raised_before"):
        qs = qs.filter(raised_at__lt=params["raised_before"])
    return qs.select_related("court", "rule", "case", "acknowledged_by").order_by("-raised_at", "-id")


def alert_get_visible(user: User, pk: Any) -> Alert:
    try:
        return (
            alerts_visible_to(user)
            .select_related("court", "rule", "case", "deadline", "acknowledged_by")
            .get(pk=pk)
        )
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def alert_get_for_update(pk: int) -> Alert:
    """The alert, locked. The caller has found it visible and holds a transaction."""
    return Alert.objects.select_for_update().get(pk=pk)


def alert_is_addressed_to(alert: Alert, user: User) -> bool:
    if alert.handler_id == user.pk:
        return True
    if alert.to_role == JOINT_TEAM_POST:
        return Alert.objects.filter(
            clocks_of_my_team_q(user, deadline_field="deadline_id"), pk=alert.pk
        ).exists()
    return any(m.court_id == alert.to_court_id and m.role == alert.to_role for m in active_memberships(user))


def _is_confidential(alert: Alert) -> bool:
    """A 一案双查 clock's alert (by its rule: alerts raised before the team post
    existed went to the court's posts)."""
    return alert.to_role == JOINT_TEAM_POST or alert.rule.code in CLOCK_RULES


def _confidential_recipients(alerts: list[Alert], handlers: dict[int, User]) -> dict[int, list[User]]:
    """The people a 一案双查 clock's alerts go to: its responsible person and the
    clue's active joint team — each only while they see the clue (a referrer whose
    membership ended, or who has since been named an officer concerned, gets
    nothing). A few queries per distinct responsible person, whatever the number of
    alerts."""
    clue_of = dict(
        Deadline.objects.filter(pk__in={a.deadline_id for a in alerts}).values_list("pk", "subject_id")
    )
    clue_ids = {c for c in clue_of.values() if c is not None}
    teams = team_members_by_clue(clue_ids)
    sees = {
        pk: clue_ids_visible_to(handlers[pk], clue_ids)
        for pk in {a.handler_id for a in alerts if a.handler_id in handlers}
    }
    result: dict[int, list[User]] = {}
    for alert in alerts:
        clue_id = clue_of.get(alert.deadline_id) if alert.deadline_id is not None else None
        people = []
        if alert.handler_id in sees and clue_id in sees[alert.handler_id]:
            people.append(handlers[alert.handler_id])
        for user in teams.get(clue_id, []) if clue_id is not None else []:
            if user not in people:
                people.append(user)
        result[alert.pk] = people
    return result


def alert_recipients(alerts: list[Alert]) -> dict[int, list[User]]:
    """Recipients of each alert, in two queries whatever the number of alerts:
    the responsible person plus the current holders of the post (a 一案双查 clock's
    alerts: ``_confidential_recipients``, a few queries more)."""
    confidential = [a for a in alerts if _is_confidential(a)]
    ordinary = [a for a in alerts if not _is_confidential(a)]
    posts = {(a.to_court_id, a.to_role) for a in ordinary if a.to_role}
    holders: dict[tuple[int, str], list[User]] = {}
    if posts:
        court_ids = {court for court, _ in posts}
        roles = {role for _, role in posts}
        memberships = (
            Membership.objects.filter(
                court_id__in=court_ids, role__in=roles, revoked_at__isnull=True, user__is_active=True
            )
            .select_related("user")
            .order_by("user__username")
        )
        for m in memberships:
            holders.setdefault((m.court_id, m.role), []).append(m.user)
    handler_ids = {a.handler_id for a in alerts if a.handler_id}
    handlers = {u.pk: u for u in User.objects.filter(pk__in=handler_ids)} if handler_ids else {}
    result: dict[int, list[User]] = _confidential_recipients(confidential, handlers) if confidential else {}
    for alert in ordinary:
        people = []
        if alert.handler_id and alert.handler_id in handlers:
            people.append(handlers[alert.handler_id])
        for user in holders.get((alert.to_court_id, alert.to_role), []):
            if user not in people:
                people.append(user)
        result[alert.pk] = people
    return result
