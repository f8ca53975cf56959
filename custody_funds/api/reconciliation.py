"""REST: the receipts of a day or a range across cases (到账日报) and the
reconciliation against the bank's statement (对账), both read-only and scoped to the
caller's courts (docs/api-notes.md "Finance's day")."""

import base64
import binascii

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateField, DateTimeField, MoneyField
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import NotFound, ValidationFailed
from custody_funds import reconciliation
from custody_funds.api.ledger import XlsxRenderer, xlsx_response
from custody_funds.exports import XLSX, period_court, reconciliation_xlsx


class FromFieldMixin:
    """``from`` is a Python keyword: the serializers declare ``from_`` and answer ``from``."""

    def get_fields(self):
        fields = super().get_fields()  # type: ignore[misc]
        return {("from" if name == "from_" else name): field for name, field in fields.items()}


PERIOD = [
    OpenApiParameter("from", OpenApiTypes.DATE, description="开始日期（默认今天）"),
    OpenApiParameter("to", OpenApiTypes.DATE, description="结束日期（默认同开始日期；最多 92 天）"),
    OpenApiParameter("court", str, description="法院代字；省略时为全部可见法院"),
]


class ReceiptsDayTotalsOut(serializers.Serializer):
    day = DateField(allow_null=True)
    received = MoneyField(positive=False)
    matched = MoneyField(positive=False)
    unidentified = MoneyField(positive=False)
    paid = MoneyField(positive=False)
    receipts = serializers.IntegerField()
    payments = serializers.IntegerField()


class ReceiptsDayReceiptOut(serializers.Serializer):
    id = serializers.IntegerField()
    court = serializers.CharField(source="court.code")
    arrived_at = DateTimeField()
    amount = MoneyField()
    payer = serializers.CharField()
    reference = serializers.CharField()
    status = serializers.CharField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    case_number = serializers.CharField(source="case.case_number", allow_null=True, default=None)
    matched_by = serializers.CharField(allow_null=True, default=None)
    matched_at = DateTimeField(allow_null=True)
    matched_case_status = serializers.CharField()


class ReceiptsDayPaymentOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.case_number")
    paid_at = DateTimeField()
    amount = MoneyField()
    holder = serializers.CharField()
    bank_reference = serializers.CharField()


class ReceiptsDailyApi(ApiView):
    pagination_class = None  # a report: bounded by its period (MAX_DAYS)

    class OutputSerializer(FromFieldMixin, serializers.Serializer):
        from_ = DateField(source="start")
        to = DateField(source="end")
        court = serializers.CharField(source="court.code", allow_null=True, default=None)
        totals = ReceiptsDayTotalsOut(source="total")
        days = ReceiptsDayTotalsOut(many=True)
        receipts = ReceiptsDayReceiptOut(many=True)
        payments = ReceiptsDayPaymentOut(many=True)

    @extend_schema(
        operation_id="receipts_daily", parameters=PERIOD, responses={200: OutputSerializer, **ERROR_RESPONSES}
    )
    def get(self, request: Request) -> Response:
        start, end, court = period_court(request.user, request.query_params)
        report = reconciliation.receipts_report(request.user, start, end, court=court)
        return Response(self.OutputSerializer(report).data)


class ReconciliationExportApi(ApiView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        operation_id="funds_reconciliation_export",
        parameters=PERIOD,
        responses={(200, XLSX): OpenApiTypes.BINARY, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> HttpResponse:
        content, filename = reconciliation_xlsx(request.user, dict(request.query_params.items()))
        return xlsx_response(content, filename)


class ReconciliationLineOut(serializers.Serializer):
    category = serializers.CharField()
    label = serializers.CharField()
    reference = serializers.CharField()
    direction = serializers.CharField()
    row = serializers.IntegerField(source="bank.row", allow_null=True, default=None)
    bank_date = DateField(source="bank.date", allow_null=True, default=None)
    bank_amount = MoneyField(source="bank.amount", positive=False, allow_null=True, default=None)
    counterparty = serializers.CharField(source="bank.counterparty", allow_null=True, default=None)
    recorded_date = DateField(allow_null=True)
    recorded_amount = MoneyField(positive=False, allow_null=True)
    difference = MoneyField(positive=False, allow_null=True)
    receipt = serializers.IntegerField(source="receipt.pk", allow_null=True, default=None)
    disbursement = serializers.IntegerField(source="payment.pk", allow_null=True, default=None)
    case_number = serializers.SerializerMethodField()

    def get_case_number(self, line: reconciliation.ReconLine) -> str | None:
        record = line.receipt or line.payment
        case = getattr(record, "case", None)
        return case.case_number if case is not None else None


class ReconciliationApi(ApiView):
    """POST the bank's statement as JSON: ``filename`` (its extension says CSV or
    Excel) and ``content_base64``, with ``court``, ``from`` and ``to``. JSON like every
    write of the contract; the body limit (413) bounds the file to about 3.7 MB."""

    class InputSerializer(FromFieldMixin, serializers.Serializer):
        court = serializers.CharField(max_length=16)
        from_ = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
        to = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
        filename = serializers.CharField(max_length=200)
        content_base64 = serializers.CharField(max_length=reconciliation.MAX_STATEMENT_BYTES * 2)

    class OutputSerializer(FromFieldMixin, serializers.Serializer):
        court = serializers.CharField(source="court.code")
        from_ = DateField(source="start")
        to = DateField(source="end")
        balanced = serializers.BooleanField()
        summary = serializers.DictField(child=serializers.IntegerField())
        lines = ReconciliationLineOut(many=True)

    @extend_schema(
        operation_id="funds_reconcile",
        request=InputSerializer,
        responses={200: OutputSerializer, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            start, end, court = period_court(
                request.user, {"court": v["court"], "from": v["from"], "to": v["to"]}
            )
        except NotFound:  # the court is a field of the body here, not a filter
            raise ValidationFailed.for_field("court", _("法院不存在或不在您的范围内。")) from None
        assert court is not None  # required above
        try:
            content = base64.b64decode(v["content_base64"], validate=True)
        except (binascii.Error, ValueError):
            raise ValidationFailed.for_field(
                "content_base64", _("content_base64 不是有效的 Base64 编码。")
            ) from None
        lines = reconciliation.statement_parse(v["filename"], content)
        return Response(
            self.OutputSerializer(reconciliation.reconcile(request.user, court, start, end, lines)).data
        )
