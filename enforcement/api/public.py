"""REST: the 终本案件 list a court publishes (322号 §11 "将…终本案件…信息向社会全面公开"; h/gateproc).

``GET /api/v1/public/terminated-cases/?court=鲁0102`` — no login; throttled as every anonymous request
(``DEFAULT_THROTTLE_RATES["anon"]``); paginated; case number, court, 终本 date, unpaid amount and the
respondents' names (a person's masked), never an ID number or an internal id.
"""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import MoneyField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES
from core.calendar import local_date
from core.exceptions import NotFound
from core.identity import mask_name
from enforcement.models import Case
from enforcement.selectors import public_court_get, terminated_cases_public


def public_row(case: Case) -> dict:
    """One row of the public list (the page shows the same)."""
    unpaid = max(Decimal("0.00"), case.total_due - case.paid)  # type: ignore[attr-defined]  # annotated
    return {
        "case_number": case.case_number,
        "court": case.court.code,
        "court_name": case.court.name,
        "terminated_on": local_date(case.closed_at).isoformat() if case.closed_at else None,
        "unpaid_amount": unpaid,
        "respondents": [mask_name(p.name, p.kind) for p in case.public_respondents],  # type: ignore[attr-defined]
    }


class PublicTerminatedCaseListApi(ApiView):
    permission_classes = [AllowAny]

    class FilterSerializer(serializers.Serializer):
        court = serializers.CharField(max_length=16, help_text="法院代字，如 鲁0102")

    class OutputSerializer(serializers.Serializer):
        case_number = serializers.CharField()
        court = serializers.CharField()
        court_name = serializers.CharField()
        terminated_on = serializers.DateField(allow_null=True, help_text="终本日期（裁定最后送达之日）")
        unpaid_amount = MoneyField(positive=False, help_text="未履行金额：申请执行标的加执行费用，减已发放案款")
        respondents = serializers.ListField(child=serializers.CharField(), help_text="被执行人名称（自然人脱敏）")

    @extend_schema(
        operation_id="public_terminated_cases_list",
        summary="终本案件公开名单（322号第11条）",
        description="无需登录；按匿名请求限流。只含案号、法院、终本日期、未履行金额和被执行人名称（自然人姓名脱敏），不含证件号码和内部编号。",
        parameters=[FilterSerializer],
        responses={200: OutputSerializer(many=True), **ERROR_RESPONSES},
        auth=[],
    )
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        court = public_court_get(params.validated_data["court"])
        if court is None:
            raise NotFound(_("没有该法院。"))
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(terminated_cases_public(court), request, view=self)
        return paginator.get_paginated_response(self.OutputSerializer([public_row(c) for c in page], many=True).data)
