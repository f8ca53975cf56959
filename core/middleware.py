"""Attach the acting user and URL to trigger-based history (django-pghistory).

pghistory's own context injection is PostgreSQL-only; the embedded SQLite default
has no triggers, so there the middleware simply passes through.
"""

import secrets
from collections.abc import Callable

import pghistory
from django.db import connection
from django.http import HttpRequest, HttpResponse


class HistoryContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if connection.vendor != "postgresql" or request.method in ("GET", "HEAD", "OPTIONS"):
            return self.get_response(request)
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        with pghistory.context(user=user_id, url=request.path):
            return self.get_response(request)


# Content-Security-Policy of every HTML page (issue 17). Scripts come only from /static
# or carry the per-request nonce (``request.csp_nonce``, the two inline chart/form
# scripts); inline ``on*=`` handlers are gone (static/js/app.js delegates them). Styles
# allow inline blocks and ``style=`` (print sheets, htmx's indicator style, ECharts).
CSP_POLICY = (
    "default-src 'self'; "
    "script-src 'self' 'nonce-{nonce}'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "font-src 'self' data:; "
    "connect-src 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'; "
    "object-src 'none'; "
    "base-uri 'self'"
)


class ContentSecurityPolicyMiddleware:
    """Give each request a fresh nonce and send the policy with every HTML response
    (JSON, files and the API go without it)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = CSP_POLICY.format(nonce=nonce)
        return response
