"""REST: 一案双查 statistics for the 通报 — the numbers of the /dualcheck/stats/ page,
over the clues the caller may see. Disciplinary dispositions are counted only over
clues whose confidential content the caller may read (null when none)."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.schema import ERROR_RESPONSES
from dualcheck.stats import FIRST_YEAR, clue_stats, stats_params


class DualcheckStatsFilter(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=FIRST_YEAR, help_text="收到线索的年度；省略为全部年度"
    )
    court = serializers.CharField(
        required=False,
        max_length=16,
        help_text="法院代字（须在可见范围内）：该院及其辖区受理或调查的线索；省略为全部可见线索",
    )


class DualcheckStatsCourtRefOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DualcheckStatsFiltersOut(serializers.Serializer):
    year = serializers.IntegerField(allow_null=True)
    court = DualcheckStatsCourtRefOut(allow_null=True)


class DualcheckStatsItemOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class DualcheckStatsDispositionOut(DualcheckStatsItemOut):
    count = serializers.IntegerField(
        allow_null=True, help_text="违纪处分移送：仅统计您有权查阅涉密内容的线索；无权查看时为 null"
    )


class DualcheckStatsCourtOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()
    open = serializers.IntegerField(help_text="未办结（含未启动以外的各阶段）")
    closed = serializers.IntegerField()


class DualcheckStatsOut(serializers.Serializer):
    filters = DualcheckStatsFiltersOut()
    total = serializers.IntegerField()
    open = serializers.IntegerField()
    closed = serializers.IntegerField()
    not_launched = serializers.IntegerField()
    by_source = DualcheckStatsItemOut(many=True, help_text="线索来源（双查规定第三条）")
    by_status = DualcheckStatsItemOut(many=True, help_text="办理阶段")
    by_finding = DualcheckStatsItemOut(many=True, help_text="检查结论")
    by_disposition = DualcheckStatsDispositionOut(many=True, help_text="处理方式（双查规定第九条）")
    dispositions_total = serializers.IntegerField(help_text="处理总数（仅含您可统计的处理方式）")
    disciplinary_visible = serializers.BooleanField()
    confidential_scope = serializers.IntegerField(help_text="违纪处分统计所覆盖的线索数")
    by_court = DualcheckStatsCourtOut(many=True, help_text="按受理法院")
    by_target_court = DualcheckStatsCourtOut(many=True, help_text="按调查法院")
    generated_at = serializers.DateTimeField()


class DualcheckStatsApi(ApiView):
    @extend_schema(
        operation_id="dualcheck_stats_retrieve",
        summary="一案双查统计",
        parameters=[DualcheckStatsFilter],
        responses={200: DualcheckStatsOut, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        filters = DualcheckStatsFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = stats_params(request.user, filters.validated_data)
        return Response(DualcheckStatsOut(clue_stats(user=request.user, params=params)).data)


urlpatterns = [
    path("dualcheck/stats/", DualcheckStatsApi.as_view(), name="api-dualcheck-stats"),
]
