"""Shared OpenAPI pieces: the error shape every endpoint may answer with, the schema
class of ``ApiView`` and the security schemes of our two authenticators.

Importing this module registers the authentication extensions; ``core.api.base``
imports it, so they are present whenever a view of ours is inspected."""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from core.api.idempotency import MAX_KEY_LENGTH


class ErrorSerializer(serializers.Serializer):
    """The contract's error body (component ``Error``), as ``core.api.errors`` renders it."""

    code = serializers.CharField(help_text="机器可读的错误码，如 invalid、over_seizure")
    message = serializers.CharField(help_text="给人看的说明（默认简体中文）")
    # Free-form by design: ``fields`` for 400, ``unmet`` for closure_conditions_unmet...
    extra = serializers.DictField(help_text="附加信息：400 时 fields 列出各字段的问题，规则错误时给出明细")


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


ERROR_RESPONSES = {
    400: error(
        "请求数据有误（extra.fields 列出各字段的问题；请求体不是 JSON、嵌套过深时 code 为 malformed；"
        "本接口未声明的查询参数 code 为 unknown_parameter，extra.allowed 列出支持的参数）"
    ),
    401: error("未认证"),
    403: error("无权限"),
    404: error("不存在或不在可见范围内；列表页码超出范围时 code 为 page_not_found，extra 给出 page、pages、count"),
    415: error("只接受 application/json"),
    422: error("违反办案规则（code 为规则名，如 calendar_not_loaded）"),
    429: error("请求过于频繁"),
}
WRITE_ERROR_RESPONSES = {
    **ERROR_RESPONSES,
    409: error(
        "冲突：invalid_transition（当前状态不允许）、concurrent_change（他人已修改）、duplicate_case_number（案号已存在）、"
        "receipt_reference_reused（同一银行流水号内容不同）、idempotency_key_reused（同一密钥、不同请求体）、"
        "idempotency_key_in_progress（同一密钥的请求仍在处理，响应头 Retry-After 与 extra.retry_after 给出秒数）"
    ),
    413: error("请求体超过 DATA_UPLOAD_MAX_MEMORY_SIZE（code 为 payload_too_large）"),
}


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        f"1 至 {MAX_KEY_LENGTH} 个可打印 ASCII 字符。同一密钥、同一请求体重放首次响应"
        "（响应头 Idempotent-Replayed: true）；请求体不同则 409 idempotency_key_reused。"
    ),
)


class ApiAutoSchema(AutoSchema):
    """The schema class of ``ApiView``.

    Views declare their serializers as nested ``InputSerializer``/``OutputSerializer``
    classes (STYLE §8), so the bare class name does not identify a component: every
    ``InputSerializer`` would be called ``InputRequest``. A nested serializer is named
    after the classes it is nested in instead, without their ``Api`` suffix:
    ``CaseCloseApi.InputSerializer`` → ``CaseCloseInput`` (``CaseCloseInputRequest``
    as a request body). Top-level serializers keep their own name; ``component_name``
    and ``Meta.ref_name`` still win.

    Every POST of an ``ApiView`` honours ``Idempotency-Key`` (``core.api.base``), so
    the header is documented on each of them.

    Lists answered by a GET are documented as the page of ``DefaultPagination``
    (``count``, ``next``, ``previous``, ``results``) unless the view says
    ``pagination_class = None``."""

    def get_serializer_name(self, serializer, direction) -> str:
        qualname = serializer.__class__.__qualname__
        if "." not in qualname or "<locals>" in qualname:
            return super().get_serializer_name(serializer, direction)
        return "".join(part.removesuffix("Api") for part in qualname.split("."))

    def _get_paginator(self):
        # Only a GET answers a page: a POST that creates several objects answers
        # them as a bare array (``ApiView.pagination_class``).
        if self.method != "GET":
            return None
        return super()._get_paginator()

    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method == "POST":
            return [IDEMPOTENCY_KEY, *parameters]
        return parameters


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """``Authorization: Token <key>`` (API.md "Auth") for machine clients."""

    target_class = "core.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                f"机器客户端的密钥，格式 `{self.target.keyword} <密钥>`"
                "（由 manage.py create_api_client 生成，可吊销）。"
            ),
        }


class SessionScheme(OpenApiAuthenticationExtension):
    """The browser's session cookie; unsafe methods also need the CSRF token."""

    target_class = "core.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "浏览器会话；POST 等写操作还须带 X-CSRFToken 头。",
        }
