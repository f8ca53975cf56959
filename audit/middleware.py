"""One audit record per write request (POST, PUT, PATCH, DELETE), whatever its outcome:
who, what route and object, success, status. Sign-in and sign-out are recorded as such,
with the name typed on a failed sign-in (never the password)."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from audit.models import AuditEvent
from audit.services import audit_record

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def _target(request: HttpRequest) -> tuple[str, str, str]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", "", ""
    action = match.view_name or ""
    for name, value in match.kwargs.items():
        return action, name.removesuffix("_id").removesuffix("_pk"), str(value)
    return action, "", ""


class AuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        # Who was signed in before the view ran (sign-out replaces it with anonymous).
        before = getattr(request, "user", None)
        before = before if before is not None and before.is_authenticated else None
        response = self.get_response(request)
        if not getattr(request, "_audit_recorded", False):
            try:
                self._record(request, response, before)
            except Exception:
                logger.exception("audit record not written for %s %s", request.method, request.path)
        return response

    def _record(self, request: HttpRequest, response: HttpResponse, before) -> None:
        action, object_type, object_id = _target(request)
        user = getattr(request, "user", None)
        user = user if user is not None and user.is_authenticated else before
        status = response.status_code
        event, username = AuditEvent.REQUEST, ""
        if action == "login":
            signed_in = status in (301, 302, 303) and user is not None and user.is_authenticated
            event = AuditEvent.LOGIN if signed_in else AuditEvent.LOGIN_FAILED
            username = "" if signed_in else str(request.POST.get("username", ""))[:150]
            success = signed_in
        elif action == "logout":
            event, success = AuditEvent.LOGOUT, status < 400
        else:
            success = status < 400
        audit_record(
            event=event,
            success=success,
            user=user,
            username=username,
            request=request,
            action=action,
            object_type=object_type,
            object_id=object_id,
            status_code=status,
        )
