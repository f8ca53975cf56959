"""Reads for the audit app, scoped by court like every other selector."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from audit.models import AuditRecord
from core.exceptions import NotFound
from core.models import Membership, Role, User
from core.selectors import court_scope_q, user_has_role
from enforcement.models import Party
from enforcement.selectors import cases_visible_to


def party_get(user: User, case_id: int | str, party_id: int | str) -> Party:
    """A party of a case the user can see; anything else is 404 (no oracle)."""
    try:
        case_pk, party_pk = int(case_id), int(party_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    party = (
        Party.objects.filter(pk=party_pk, case_id=case_pk, case__in=cases_visible_to(user))
        .select_related("case__court")
        .first()
    )
    if party is None:
        raise NotFound(_("当事人不存在或不在您的可见范围内。"))
    return party


AUDIT_READERS = (Role.INSPECTOR, Role.COURT_LEADER, Role.ADMIN)


def audit_records_visible_to(user: User) -> QuerySet[AuditRecord]:
    """The supervision department, court leaders and court administrators read the
    records of the people of their court and the courts below (the users' memberships
    decide where a record belongs); nobody else reads any."""
    if not user_has_role(user, AUDIT_READERS):
        return AuditRecord.objects.none()
    members = Membership.objects.filter(court_scope_q(user)).values("user_id")
    return AuditRecord.objects.filter(user_id__in=members).select_related("user")


def audit_records_filtered(
    user: User,
    *,
    event: str = "",
    success: bool | None = None,
    username: str = "",
    object_type: str = "",
    object_id: str = "",
    since=None,
    until=None,
) -> QuerySet[AuditRecord]:
    """The records ``user`` may read, filtered, newest first (the page and the API)."""
    qs = audit_records_visible_to(user)
    if event:
        qs = qs.filter(event=event)
    if success is not None:
        qs = qs.filter(success=success)
    if username:
        qs = qs.filter(username=username.strip())
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    if since:
        qs = qs.filter(occurred_at__gte=since)
    if until:
        qs = qs.filter(occurred_at__lt=until)
    return qs.order_by("-occurred_at", "-id")
