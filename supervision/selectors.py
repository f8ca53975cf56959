"""Read side of supervision. Every query is scoped by court here, never only in a
view (DESIGN "Who sees what")."""

from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from core.exceptions import NotFound
from core.models import Membership, User
from core.selectors import active_memberships, court_scope_q
from supervision.models import Alert


def alerts_visible_to(user: User) -> QuerySet[Alert]:
    """Alerts of every court the user can see."""
    return Alert.objects.filter(court_scope_q(user))


def inbox_q(user: User) -> Q:
    """The alerts addressed to ``user``: as the clock's responsible person, or as
    the holder of the post (court, role) an alert was sent to."""
    posts = [Q(to_court_id=m.court_id, to_role=m.role) for m in active_memberships(user)]
    return reduce(or_, posts, Q(handler=user))


def alerts_inbox(user: User) -> QuerySet[Alert]:
    return alerts_visible_to(user).filter(inbox_q(user))


def alert_get_visible(user: User, pk: int) -> Alert:
    try:
        return (
            alerts_visible_to(user)
            .select_related("court", "rule", "case", "deadline", "acknowledged_by")
            .get(pk=pk)
        )
    except (Alert.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def alert_is_addressed_to(alert: Alert, user: User) -> bool:
    if alert.handler_id == user.pk:
        return True
    return any(m.court_id == alert.to_court_id and m.role == alert.to_role for m in active_memberships(user))


def alert_recipients(alerts: list[Alert]) -> dict[int, list[User]]:
    """Recipients of each alert, in two queries whatever the number of alerts:
    the responsible person plus the current holders of the post."""
    posts = {(a.to_court_id, a.to_role) for a in alerts if a.to_role}
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
    result: dict[int, list[User]] = {}
    for alert in alerts:
        people = []
        if alert.handler_id and alert.handler_id in handlers:
            people.append(handlers[alert.handler_id])
        for user in holders.get((alert.to_court_id, alert.to_role), []):
            if user not in people:
                people.append(user)
        result[alert.pk] = people
    return result
