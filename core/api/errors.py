"""One exception handler renders every error as the contract's
``{"code", "message", "extra"}`` (API.md "Errors")."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


def error_body(code: str, message: Any, extra: dict | None = None) -> dict:
    return {"code": code, "message": str(message), "extra": extra or {}}


def _plain(detail: Any) -> Any:
    """ErrorDetail trees → plain str/list/dict for JSON."""
    if isinstance(detail, dict):
        return {str(k): _plain(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [_plain(v) for v in detail]
    return str(detail)


def _first_message(detail: Any) -> str | None:
    if isinstance(detail, dict):
        for key, value in detail.items():
            found = _first_message(value)
            if found:
                return found if key == "non_field_errors" else f"{key}: {found}"
    elif isinstance(detail, list):
        for value in detail:
            found = _first_message(value)
            if found:
                return found
    elif detail:
        return str(detail)
    return None


def _validation_response(fields: Any) -> Response:
    fields = _plain(fields)
    if not isinstance(fields, dict):
        fields = {"non_field_errors": fields if isinstance(fields, list) else [fields]}
    first = _first_message(fields)
    message = _("提交的数据有误：%(detail)s") % {"detail": first} if first else _("提交的数据有误。")
    return Response(error_body("invalid", message, {"fields": fields}), status=400)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    response = error_response(exc)
    if response is not None:
        set_rollback()
    return response


def error_status_body(exc: Exception) -> tuple[int, dict] | None:
    """The contract's status and ``{"code", "message", "extra"}`` body for ``exc``, or
    ``None`` for an unknown error (a 500). What one item of a bulk request answers
    (``core.api.bulk``)."""
    response = error_response(exc)
    if response is None:
        return None
    return response.status_code, response.data


def error_response(exc: Exception) -> Response | None:
    """The contract's answer to ``exc``, or ``None`` for an unknown error (a 500)."""
    if isinstance(exc, ApplicationError):
        response = Response(error_body(exc.code, exc.message, exc.extra), status=exc.status_code)
        if isinstance(exc.extra, dict) and "retry_after" in exc.extra:
            response["Retry-After"] = str(exc.extra["retry_after"])
        return response
    if isinstance(exc, RequestDataTooBig):
        return Response(error_body("payload_too_large", _("请求体过大。")), status=413)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _validation_response(fields)
    if isinstance(exc, DataError):
        # PostgreSQL refused a value (SQLSTATE class 22: a number past its column's
        # precision, e.g. a balance grown past 10^14). The client's data caused it, the
        # atomic block around the write has rolled back: a 400, and a log line, since
        # a validator should have caught it first.
        logger.warning("data error answered as 400: %s", exc)
        return Response(error_body("out_of_range", _("提交的数值超出系统允许的范围。")), status=400)
    if isinstance(exc, TransitionNotAllowed):
        return Response(error_body("invalid_transition", _("当前状态下不允许该操作。")), status=409)
    if isinstance(exc, ConcurrentTransition):
        return Response(error_body("concurrent_change", _("该对象已被他人修改，请刷新后重试。")), status=409)
    if isinstance(exc, (Http404, drf.NotFound)):
        return Response(error_body("not_found", _("对象不存在或不在您的可见范围内。")), status=404)
    if isinstance(exc, DjangoPermissionDenied):
        return Response(error_body("permission_denied", _("您没有执行该操作的权限。")), status=403)
    if isinstance(exc, drf.ValidationError):
        return _validation_response(exc.detail)
    if isinstance(exc, drf.ParseError):
        return Response(
            error_body("malformed", _("请求体不是有效的 JSON：%(detail)s") % {"detail": exc.detail}),
            status=400,
        )
    if isinstance(exc, (drf.NotAuthenticated, drf.AuthenticationFailed)):
        code = "not_authenticated" if isinstance(exc, drf.NotAuthenticated) else "authentication_failed"
        message = _("需要登录或提供有效的接口密钥。") if code == "not_authenticated" else exc.detail
        response = Response(error_body(code, message), status=401)
        if getattr(exc, "auth_header", None):
            response["WWW-Authenticate"] = exc.auth_header
        return response
    if isinstance(exc, drf.PermissionDenied):
        return Response(error_body("permission_denied", exc.detail), status=403)
    if isinstance(exc, drf.MethodNotAllowed):
        return Response(error_body("method_not_allowed", _("不支持该请求方法。")), status=405)
    if isinstance(exc, drf.NotAcceptable):
        return Response(error_body("not_acceptable", _("只提供 JSON 格式的响应。")), status=406)
    if isinstance(exc, drf.UnsupportedMediaType):
        return Response(
            error_body("unsupported_media_type", _("只接受 Content-Type: application/json。")),
            status=415,
        )
    if isinstance(exc, drf.Throttled):
        wait = int(exc.wait or 1)
        response = Response(
            error_body(
                "throttled", _("请求过于频繁，请 %(s)s 秒后重试。") % {"s": wait}, {"retry_after": wait}
            ),
            status=429,
        )
        response["Retry-After"] = str(wait)
        return response
    if isinstance(exc, drf.APIException):
        return Response(error_body(exc.default_code, exc.detail), status=exc.status_code)
    return None  # unknown: DRF re-raises, Django logs it and answers 500
