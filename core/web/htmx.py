"""htmx: a fragment for an htmx request, the whole page otherwise, and where to go
after a form (a ``next`` on this site only)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme


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
