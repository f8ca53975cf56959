"""Shared OpenAPI pieces: the error shape every endpoint may answer with."""

from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ErrorSerializer = inline_serializer(
    name="Error",
    fields={
        "code": serializers.CharField(),
        "message": serializers.CharField(),
        "extra": serializers.DictField(),
    },
)


def error(description: str) -> OpenApiResponse:
    return OpenApiResponse(response=ErrorSerializer, description=description)


ERROR_RESPONSES = {
    400: error("请求数据有误（extra.fields 列出各字段的问题）"),
    401: error("未认证"),
    403: error("无权限"),
    404: error("不存在或不在可见范围内"),
    415: error("只接受 application/json"),
    422: error("违反办案规则（code 为规则名，如 calendar_not_loaded）"),
    429: error("请求过于频繁"),
}
WRITE_ERROR_RESPONSES = {**ERROR_RESPONSES, 409: error("状态冲突或 Idempotency-Key 冲突")}
