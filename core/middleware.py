"""Attach the acting user and URL to trigger-based history (django-pghistory).

pghistory's own context injection is PostgreSQL-only; the embedded SQLite default
has no triggers, so there the middleware simply passes through.
"""

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
