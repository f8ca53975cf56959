"""What every server-rendered domain page shares: running a service so that any
refusal becomes an ``ApplicationError`` the page can show, htmx partial vs full
rendering, safe redirects, and the urgency colour of a clock."""

import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from core.exceptions import ConcurrentChange, Conflict, InvalidTransition, ValidationFailed

logger = logging.getLogger(__name__)


def call_service(service: Callable[..., Any], *args, **kwargs) -> Any:
    """Run a service; the few errors that are not ``ApplicationError`` yet (state
    machine refusals, a constraint the service did not check first) become one, so
    the page can show them."""
    try:
        return service(*args, **kwargs)
    except TransitionNotAllowed:
        raise InvalidTransition() from None
    except ConcurrentTransition:
        raise ConcurrentChange() from None
    except DjangoValidationError as exc:
        raise ValidationFailed("；".join(exc.messages)) from None
    except IntegrityError:
        logger.exception("integrity error in %s", getattr(service, "__name__", service))
        raise Conflict(_("数据与已有记录冲突，请刷新后重试。")) from None


def is_partial(request: HttpRequest) -> bool:
    """An htmx request that wants a fragment (not a history restore)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


def render_body_or_page(
    request: HttpRequest,
    *,
    body_template: str,
    page_template: str,
    context: dict,
    status: int = 200,
    scroll_to: str | None = None,
) -> HttpResponse:
    """The body fragment for htmx (always 200: htmx 2 does not swap error
    responses), the whole page otherwise."""
    if is_partial(request):
        response = render(request, body_template, context, status=200)
        if scroll_to:
            response["HX-Reswap"] = f"outerHTML show:#{scroll_to}:top"
    else:
        response = render(request, page_template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def urgency(days_left: int | None, overdue: bool) -> str:
    """The colour class of a clock (我的待办 and every clock table)."""
    if overdue:
        return "overdue"
    if days_left is None:
        return "unknown"
    if days_left <= 1:
        return "urgent"
    if days_left <= 3:
        return "soon"
    return "ok"
