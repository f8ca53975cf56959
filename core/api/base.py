"""The base of every REST view: one view per operation (STYLE §8), the
``Idempotency-Key`` behaviour, and the acting user attached to history."""

from typing import Any

import pghistory
from django.db import connection
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.contract import refuse_undeclared_query_parameters
from core.api.idempotency import Replay, idempotency_begin, idempotency_finish, validate_key
from core.api.pagination import DefaultPagination
from core.api.parsers import JSONParser
from core.api.schema import ApiAutoSchema
from core.exceptions import ValidationFailed


class ApiView(APIView):
    schema = ApiAutoSchema()
    # Lists are paginated (API.md). Views paginate with ``DefaultPagination``
    # themselves; the attribute tells the schema that a GET list answers a page. A
    # view that answers a bare array says ``pagination_class = None``.
    pagination_class: type | None = DefaultPagination
    parser_classes = [JSONParser]  # size, depth and encoding limits (core.api.parsers)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        self._idempotency = None
        key = request.headers.get("Idempotency-Key")
        body = b""
        if request.method == "POST" and key is not None:
            # Keep the raw body before authenticating: the session authenticator's
            # CSRF check reads ``request.POST``, which parses (and so consumes) the
            # stream; the body could not be read afterwards.
            body = request._request.body
        super().initial(request, *args, **kwargs)
        refuse_nul_in_query(request)
        refuse_undeclared_query_parameters(self, request)
        if connection.vendor == "postgresql" and request.method not in ("GET", "HEAD", "OPTIONS"):
            pghistory.context(user=request.user.pk)
        if request.method == "POST" and key is not None:
            self._idempotency = idempotency_begin(
                user=request.user,
                key=validate_key(key),
                method=request.method,
                path=request.path,
                body=body,
            )

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Replay):
            response = Response(exc.record.response_body, status=exc.record.response_status)
            response["Idempotent-Replayed"] = "true"
            return response
        return super().handle_exception(exc)

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        record = getattr(self, "_idempotency", None)
        if record is not None:
            self._idempotency = None
            idempotency_finish(record=record, status=response.status_code, body=response.data)
        return response


def refuse_nul_in_query(request: Request) -> None:
    """A NUL character can be stored in no PostgreSQL text column nor compared with
    one (the driver refuses the statement): a query parameter carrying one is a
    400 naming it, before any view filters with it."""
    for name, values in request.query_params.lists():
        if "\x00" in name or any("\x00" in value for value in values):
            raise ValidationFailed.for_field(
                name.replace("\x00", "\\x00"), _("参数不能包含空字符（NUL）。"), code="invalid"
            )
