"""REST: the working calendar — the due-date calculator and loading a year from the
State Council's notice."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateField
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.calendar import WorkingCalendar
from core.calendar_notice import parse_notice
from core.exceptions import PermissionDenied
from core.models import CalendarLoad, PeriodUnit
from core.services.calendar import calendar_differences_from_prediction, calendar_year_load, can_load_calendar


class DueDateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        start = DateField()
        days = serializers.IntegerField(min_value=0, max_value=3660)
        unit = serializers.ChoiceField(
            choices=[PeriodUnit.WORKING_DAYS, PeriodUnit.CALENDAR_DAYS, PeriodUnit.MONTHS],
            default=PeriodUnit.WORKING_DAYS,
        )
        allow_provisional = serializers.BooleanField(
            default=False, help_text="为 true 时，未载入年度按预测日历计算并标注 provisional"
        )

    class OutputSerializer(serializers.Serializer):
        start = DateField()
        days = serializers.IntegerField()
        unit = serializers.CharField()
        due_date = DateField()
        provisional = serializers.BooleanField(help_text="届满日依据预测日历（该年度放假安排尚未载入）")

    @extend_schema(
        operation_id="calendar_due_date",
        summary="按工作日历计算期限届满日",
        description=(
            "起算日不计入；N 个工作日为起算日后的第 N 个工作日；以日、月计算的期限"
            "届满日遇法定休假日顺延至其后第一个工作日。未载入工作日历的年份返回 422 "
            "`calendar_not_loaded`；带 `allow_provisional=true` 时按预测日历计算，"
            "`provisional` 为 true。"
        ),
        parameters=[InputSerializer],
        responses={200: OutputSerializer, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = self.InputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, days, unit = (params.validated_data[k] for k in ("start", "days", "unit"))
        calendar = WorkingCalendar.load(predict=params.validated_data["allow_provisional"])
        due = calendar.due_date(start, days, unit)
        result = {
            "start": start,
            "days": days,
            "unit": unit,
            "due_date": due,
            "provisional": calendar.is_provisional(start, due),
        }
        return Response(self.OutputSerializer(result).data)


class CalendarYearLoadApi(ApiView):
    """载入年度节假日安排: the State Council's notice in, the year's days out; with
    ``dry_run`` false the year is loaded and its open clocks recomputed."""

    pagination_class = None

    class InputSerializer(serializers.Serializer):
        notice = serializers.CharField(max_length=20000, trim_whitespace=False, help_text="国务院办公厅通知全文")
        dry_run = serializers.BooleanField(default=True)

    class DifferenceSerializer(serializers.Serializer):
        date = serializers.DateField()
        official = serializers.ChoiceField(choices=["rest", "workday"])
        predicted = serializers.ChoiceField(choices=["rest", "workday"])

    class RecomputeSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.CharField()
        total = serializers.IntegerField()
        processed = serializers.IntegerField()
        moved_earlier = serializers.IntegerField()
        moved_later = serializers.IntegerField()
        now_overdue = serializers.IntegerField()
        settled = serializers.IntegerField(help_text="不再暂定的期限数")

    class OutputSerializer(serializers.Serializer):
        year = serializers.IntegerField()
        holidays = serializers.ListField(child=serializers.DateField())
        workdays = serializers.ListField(child=serializers.DateField())
        differences_from_prediction = serializers.ListField(child=serializers.DictField())
        dry_run = serializers.BooleanField()
        recompute = serializers.DictField(allow_null=True, help_text="载入后重算期限的进度与结果（dry_run 时为 null）")

    @extend_schema(
        operation_id="calendar_years_load",
        summary="按国务院办公厅通知载入年度节假日安排（系统管理员）",
        description=(
            "解析通知全文，返回该年度全部放假日（含放假区间内的周末、上一年的日期）、调休上班日，"
            "以及与预测日历的差异。`dry_run` 为 false 时载入该年度（替换原有安排并留痕），"
            "重算涉及该年度的全部未结期限，`recompute` 给出进度与结果（提前、推后、因此超期、不再暂定）。"
            "通知无法解析时返回 400，指明行号。"
        ),
        request=InputSerializer,
        responses={200: OutputSerializer, 201: OutputSerializer, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        if not can_load_calendar(request.user):
            raise PermissionDenied(_("只有系统管理员可以载入工作日历。"))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parsed = parse_notice(data.validated_data["notice"])
        holidays, workdays = list(parsed.holidays), list(parsed.workdays)
        result = {
            "year": parsed.year,
            "holidays": holidays,
            "workdays": workdays,
            "dry_run": data.validated_data["dry_run"],
            "recompute": None,
        }
        if data.validated_data["dry_run"]:
            differences = calendar_differences_from_prediction(
                year=parsed.year, holidays=holidays, workdays=workdays
            )
            result["differences_from_prediction"] = [d.as_dict() for d in differences]
            return Response(self.OutputSerializer(result).data)
        load = calendar_year_load(
            year=parsed.year,
            holidays=holidays,
            workdays=workdays,
            actor=request.user,
            source="国务院办公厅通知",
            notice_text=data.validated_data["notice"],
        )
        load.refresh_from_db()  # the recompute ran already where tasks are eager
        result["differences_from_prediction"] = load.differences
        result["recompute"] = calendar_load_summary(load)
        return Response(self.OutputSerializer(result).data, status=201)


def calendar_load_summary(load: CalendarLoad) -> dict:
    return {
        "id": load.pk,
        "status": load.status,
        "total": load.total,
        "processed": load.processed,
        "moved_earlier": load.moved_earlier,
        "moved_later": load.moved_later,
        "now_overdue": load.now_overdue,
        "settled": load.settled,
    }
