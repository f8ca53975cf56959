"""REST: a case's account and its entries, and the spreadsheets of a case's ledger
and of the funds held (API.md "Case funds")."""

from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField, MoneyField
from core.api.schema import ERROR_RESPONSES
from core.exceptions import NotFound
from custody_funds import selectors
from custody_funds.exports import XLSX, case_ledger_xlsx, funds_held_xlsx
from enforcement.selectors import case_get


class LedgerEntryOut(serializers.Serializer):
    """One leg on a case's account, oldest first, with the running balance after it
    (receipts positive, payments out negative)."""

    posting = serializers.IntegerField()
    kind = serializers.CharField()
    memo = serializers.CharField()
    amount = MoneyField(positive=False)
    balance_after = MoneyField(positive=False)
    at = DateTimeField()


class CaseFundsApi(ApiView):
    class OutputSerializer(serializers.Serializer):
        account_number = serializers.CharField()
        balance = MoneyField(positive=False)
        pending = MoneyField(positive=False)
        available = MoneyField(positive=False)
        entries = LedgerEntryOut(many=True)

    @extend_schema(operation_id="cases_funds", responses={200: OutputSerializer, **ERROR_RESPONSES})
    def get(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        account = selectors.case_account(case)
        if account is None:
            raise NotFound()
        running = Decimal(0)
        entries = []
        for leg in selectors.ledger_legs(account):
            running += leg.amount
            entries.append({
                "posting": leg.posting_id, "kind": leg.posting.kind, "memo": leg.posting.memo,
                "amount": f"{leg.amount:.2f}", "balance_after": f"{running:.2f}",
                "at": leg.posting.created_at,  # DateTimeField renders it in +08:00
            })
        return Response(self.OutputSerializer({
            "account_number": account.number, "balance": account.balance, "pending": account.pending,
            "available": account.available, "entries": entries,
        }).data)


class XlsxRenderer(BaseRenderer):
    """Lets clients ask for the spreadsheet by its media type; the views return the
    file themselves."""

    media_type = XLSX
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class CaseLedgerExportApi(ApiView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(operation_id="cases_funds_export", responses={(200, XLSX): OpenApiTypes.BINARY, **ERROR_RESPONSES})
    def get(self, request: Request, case_id: int) -> HttpResponse:
        case = case_get(request.user, case_id)
        account = selectors.case_account(case)
        if account is None:
            raise NotFound()
        return xlsx_response(case_ledger_xlsx(account), f"案款明细-{case.case_number}.xlsx")


class FundsHeldExportApi(ApiView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        operation_id="funds_held_export",
        parameters=[OpenApiParameter("court", str, description="法院代字；省略时为全部可见法院")],
        responses={(200, XLSX): OpenApiTypes.BINARY, **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> HttpResponse:
        accounts = selectors.accounts_visible_to(request.user, court_code=request.query_params.get("court"))
        return xlsx_response(funds_held_xlsx(accounts), f"在账案款-{timezone.localdate():%Y%m%d}.xlsx")
