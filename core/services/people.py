"""Users, memberships and API clients."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exceptions import ValidationFailed
from core.models import ApiToken, Court, Department, Membership, Role, User
from core.selectors import forget_memberships


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def membership_grant(*, user: User, court: Court, role: str, department: str) -> Membership:
    if role not in Role.values:
        raise ValidationFailed.for_field("role", _("未知角色。"))
    if department not in Department.values:
        raise ValidationFailed.for_field("department", _("未知部门。"))
    membership, _created = Membership.objects.get_or_create(
        user=user, court=court, role=role, revoked_at=None, defaults={"department": department}
    )
    forget_memberships(user)
    return membership


@transaction.atomic
def membership_revoke(*, membership: Membership) -> Membership:
    """Access through this membership ends with the user's next request."""
    if membership.revoked_at is None:
        membership.revoked_at = timezone.now()
        membership.save(update_fields=["revoked_at"])
    forget_memberships(membership.user)
    return membership


@transaction.atomic
def api_client_create(*, court: Court, name: str, backdate_window_hours: int | None = None) -> tuple[User, str]:
    """A machine client bound to ``court``. Returns the user and the key, which is
    shown once: only its hash is stored."""
    name = name.strip()
    if not name:
        raise ValidationFailed.for_field("name", _("请填写客户端名称。"))
    username = f"api:{court.code}:{name}"[:150]
    user, _created = User.objects.get_or_create(
        username=username, defaults={"display_name": name[:50], "is_active": True}
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership_grant(user=user, court=court, role=Role.API_CLIENT, department=Department.TECHNOLOGY)
    key = secrets.token_urlsafe(32)
    window = {} if backdate_window_hours is None else {"backdate_window_hours": backdate_window_hours}
    ApiToken.objects.create(user=user, name=name[:100], key_hash=hash_key(key), key_prefix=key[:8], **window)
    return user, key


@transaction.atomic
def api_token_revoke(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
