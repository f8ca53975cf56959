"""What the 一案双查 endpoints share: the input fields (checked first — types, lengths,
list sizes — so that no client input reaches a service malformed), the lookups that
turn ids and court codes into rows (unknown → 400, nothing written), the named-person
gate of the steps, and the answers no cache may keep."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import DateTimeField
from core.exceptions import PermissionDenied, ValidationFailed
from core.models import Court, Role, User
from core.selectors import user_roles
from dualcheck.selectors import clue_get_visible
from dualcheck.services.common import TEXT_MAX
from dualcheck.services.outcome import confidential_read
from enforcement.models import Case

ID_MAX = 2**63 - 1
MAX_ITEMS = 50  # cases, officers, participants, members, findings, dispositions
CODE_MAX = 16  # a court code (法院代字)


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def ids_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=id_field(), max_length=MAX_ITEMS, **kwargs)


def text_field(limit: int = TEXT_MAX, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=limit, **kwargs)


def optional_text(limit: int = TEXT_MAX, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=limit, required=False, allow_blank=True, default="", **kwargs)


def optional_datetime(help_text: str) -> serializers.DateTimeField:
    return DateTimeField(required=False, allow_null=True, default=None, help_text=help_text)


def choice_text(choices, **kwargs) -> serializers.CharField:
    """A plain string the validator checks against ``choices``: the same field name
    with another choice set elsewhere would give the schema one enum under two names."""
    return serializers.CharField(max_length=32, help_text=" | ".join(choices), **kwargs)


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def require_named_person(user: User) -> None:
    """A machine client may register and read, but every step of the procedure is
    taken by a named person of the court (API.md: approvals need a named person)."""
    roles = user_roles(user)
    if Role.API_CLIENT in roles and not roles - {Role.API_CLIENT}:
        raise PermissionDenied(
            _("一案双查的筛选、审核、会议、调查、审查和结论须由具名的法院工作人员办理，接口客户端不能办理。"),
            code="named_person_required",
        )


def court_of(code: str | None, field: str) -> Court | None:
    if code is None or not code.strip():
        return None
    court = Court.objects.filter(code=code.strip(), is_active=True).first()
    if court is None:
        raise ValidationFailed.for_field(field, _("法院 %(c)s 不存在。") % {"c": code})
    return court


def users_of(ids: list[int], field: str) -> list[User]:
    found = User.objects.in_bulk(ids)
    for i, pk in enumerate(ids):
        if pk not in found or not found[pk].is_active:
            raise ValidationFailed.for_field(f"{field}[{i}]", _("人员 %(id)s 不存在。") % {"id": pk})
    return [found[pk] for pk in ids]


def cases_of(ids: list[int]) -> list[Case]:
    """The cases by id; visibility is the service's to check (same message, so
    whether an invisible case exists does not leak)."""
    found = Case.objects.in_bulk(ids)
    if any(pk not in found for pk in ids):
        raise ValidationFailed.for_field("cases", _("案件不存在或不在您的可见范围内。"))
    return [found[pk] for pk in ids]


def replay_gate(user: User, body):
    """A replayed answer (``Idempotency-Key``) passes the gates again: the clue must
    still be visible (404 otherwise), and its confidential part is shown only if
    ``confidential_read`` still allows it — and then it is recorded like any read.
    Revoked access is not revived by replaying an earlier answer."""
    if not (isinstance(body, dict) and isinstance(body.get("id"), int) and "confidential" in body):
        return body
    clue = clue_get_visible(user, body["id"])
    if body["confidential"] is not None and not confidential_read(
        user=user, clue=clue, what="detail", via="api"
    ):
        return {**body, "confidential": None}
    return body


class NoStoreMixin:
    """Answers that may carry confidential content (or tell which clues concern an
    officer) are never kept by a browser or proxy cache: it would outlive the
    reader's access."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Cache-Control"] = "private, no-store"
        return response
