"""The base of every REST view: one view per operation (STYLE §8), the
``Idempotency-Key`` behaviour, and the acting user attached to history."""

from typing import Any

from django.db import connection
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.idempotency import Replay, idempotency_begin, idempotency_finish, validate_key
from core.api.schema import ApiAutoSchema


class ApiView(APIView):
    schema = ApiAutoSchema()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if connection.vendor == "postgresql" and request.method not in ("GET", "HEAD", "OPTIONS"):
            import pghistory

            pghistory.context(user=request.user.pk)
        self._idempotency = None
        key = request.headers.get("Idempotency-Key")
        if request.method == "POST" and key is not None:
            body = request._request.body
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
