"""REST endpoints of the kernel: courts, the due-date calculator, health."""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateField
from core.api.schema import ERROR_RESPONSES
from core.calendar import WorkingCalendar
from core.models import CourtLevel, PeriodUnit
from core.selectors import visible_courts


class CourtListApi(ApiView):
    pagination_class = None  # a bare array (API.md "Courts"), see get()

    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        name = serializers.CharField()
        level = serializers.ChoiceField(choices=CourtLevel.choices)
        parent = serializers.CharField(source="parent.code", allow_null=True, default=None)

    @extend_schema(
        operation_id="courts_list",
        summary="法院列表（本人可见范围）",
        responses={200: OutputSerializer(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        # API.md shows this list as a bare array; it is small (a province is a few
        # hundred courts) and scoped, so it is not paginated.
        courts = visible_courts(request.user).select_related("parent")
        return Response(self.OutputSerializer(courts, many=True).data)


class DueDateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        start = DateField()
        days = serializers.IntegerField(min_value=0, max_value=3660)
        unit = serializers.ChoiceField(
            choices=[PeriodUnit.WORKING_DAYS, PeriodUnit.CALENDAR_DAYS, PeriodUnit.MONTHS],
            default=PeriodUnit.WORKING_DAYS,
        )

    class OutputSerializer(serializers.Serializer):
        start = DateField()
        days = serializers.IntegerField()
        unit = serializers.CharField()
        due_date = DateField()

    @extend_schema(
        operation_id="calendar_due_date",
        summary="按工作日历计算期限届满日",
        description=(
            "起算日不计入；N 个工作日为起算日后的第 N 个工作日；以日、月计算的期限"
            "届满日遇法定休假日顺延至其后第一个工作日。未载入工作日历的年份返回 422 "
            "`calendar_not_loaded`。"
        ),
        parameters=[InputSerializer],
        responses={200: OutputSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, days, unit = (params.validated_data[k] for k in ("start", "days", "unit"))
        due = WorkingCalendar.load().due_date(start, days, unit)
        return Response(
            self.OutputSerializer({"start": start, "days": days, "unit": unit, "due_date": due}).data
        )


def healthz(request):
    """Liveness and readiness: the database answers, and Redis when configured."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:
        checks["database"] = "error"
    if settings.REDIS_URL:
        try:
            import redis

            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception:
            checks["redis"] = "error"
    else:
        checks["redis"] = "disabled"
    healthy = all(v in ("ok", "disabled") for v in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
