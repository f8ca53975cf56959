"""REST endpoints of case funds (API.md "Case funds")."""

from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField, MoneyField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import NotFound, ValidationFailed
from core.identity import mask_account
from core.models import User
from core.selectors import visible_courts
from custody_funds.exports import XLSX, case_ledger_xlsx, funds_held_xlsx
from custody_funds.models import Disbursement, DisbursementStatus, LedgerAccount, PostingLeg, ReceiptStatus
from custody_funds.services import funds
from enforcement.selectors import case_get


class ReceiptOut(serializers.Serializer):
    id = serializers.IntegerField()
    court = serializers.CharField(source="court.code")
    reference = serializers.CharField()
    account_number = serializers.CharField()
    amount = MoneyField()
    arrived_at = DateTimeField()
    payer = serializers.CharField()
    case = serializers.IntegerField(source="case_id", allow_null=True)
    status = serializers.CharField()
    matched_at = DateTimeField(allow_null=True)
    match_reason = serializers.CharField()


class DisbursementOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    payee = serializers.IntegerField(source="payee_id")
    holder = serializers.CharField()
    account_number = serializers.SerializerMethodField()
    amount = MoneyField()
    status = serializers.CharField()
    drafted_at = DateTimeField()
    approved_at = DateTimeField(allow_null=True)
    notified_at = DateTimeField(allow_null=True)
    paid_at = DateTimeField(allow_null=True)
    account_changed = serializers.SerializerMethodField()

    def get_account_number(self, obj) -> str:
        return mask_account(obj.account_number)

    def get_account_changed(self, obj) -> bool:
        return bool(obj.account_change_request)


class ReceiptListCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        account_number = serializers.CharField(max_length=40, allow_blank=True)
        amount = MoneyField()
        arrived_at = DateTimeField()
        payer = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        reference = serializers.CharField(max_length=64)
        court = serializers.CharField(max_length=16, required=False)

    @extend_schema(
        operation_id="receipts_list",
        parameters=[OpenApiParameter("status", str, enum=["unidentified", "matched"]), OpenApiParameter("court", str)],
        responses={200: ReceiptOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        qs = funds.receipts_visible_to(request.user).order_by("arrived_at", "id")
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in ReceiptStatus.values:
                raise ValidationFailed.for_field("status", _("状态无效。"))
            qs = qs.filter(status=wanted)
        if request.query_params.get("court"):
            qs = qs.filter(court__code=request.query_params["court"])
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(ReceiptOut(page, many=True).data)

    @extend_schema(operation_id="receipts_create", request=InputSerializer,
                   responses={201: ReceiptOut, 200: ReceiptOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        courts = visible_courts(request.user)
        court = courts.filter(code=v["court"]).first() if v.get("court") else courts.first()
        if court is None:
            raise ValidationFailed.for_field("court", _("法院不存在或不在您的范围内。"))
        receipt, created = funds.receipt_record(
            actor=request.user, court=court, reference=v["reference"], account_number=v["account_number"],
            amount=v["amount"], arrived_at=v["arrived_at"], payer=v["payer"],
        )
        return Response(ReceiptOut(receipt).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ReceiptMatchApi(ApiView):
    class InputSerializer(serializers.Serializer):
        case = serializers.IntegerField()
        reason = serializers.CharField(max_length=300, required=False, default="按申请执行人提供的付款凭证核对")

    @extend_schema(operation_id="receipts_match", request=InputSerializer, responses={200: ReceiptOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, receipt_id: int) -> Response:
        receipt = funds.receipt_get(request.user, receipt_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = case_get(request.user, data.validated_data["case"])
        receipt = funds.receipt_match(actor=request.user, receipt=receipt, case=case, reason=data.validated_data["reason"])
        return Response(ReceiptOut(receipt).data)


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
        account = LedgerAccount.objects.filter(case=case).first()
        if account is None:
            raise NotFound()
        legs = PostingLeg.objects.filter(account=account).select_related("posting").order_by("posting_id")
        running = 0
        entries = []
        for leg in legs:
            running += leg.amount
            entries.append({
                "posting": leg.posting_id, "kind": leg.posting.kind, "memo": leg.posting.memo,
                "amount": f"{leg.amount:.2f}", "balance_after": f"{running:.2f}",
                "at": leg.posting.created_at.isoformat(),
            })
        return Response(self.OutputSerializer({
            "account_number": account.number, "balance": account.balance, "pending": account.pending,
            "available": account.available, "entries": entries,
        }).data)


class DisbursementListCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        payee = serializers.IntegerField()
        amount = MoneyField()
        account_number = serializers.CharField(max_length=40)
        account_change_request = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        bank = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        holder = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    @extend_schema(operation_id="disbursements_create", request=InputSerializer, responses={201: DisbursementOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        d = funds.disbursement_draft(
            actor=request.user, case=case, payee_id=v["payee"], amount=v["amount"],
            account_number=v["account_number"], account_change_request=v["account_change_request"],
            bank=v["bank"], holder=v["holder"],
        )
        return Response(DisbursementOut(d).data, status=status.HTTP_201_CREATED)


class DisbursementQueueApi(ApiView):
    @extend_schema(
        operation_id="disbursements_list",
        parameters=[OpenApiParameter("status", str, enum=list(DisbursementStatus.values))],
        responses={200: DisbursementOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        qs = funds.disbursements_visible_to(request.user).order_by("notified_at", "drafted_at", "id")
        wanted = request.query_params.get("status")
        if wanted:
            if wanted not in DisbursementStatus.values:
                raise ValidationFailed.for_field("status", _("状态无效。"))
            qs = qs.filter(status=wanted)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DisbursementOut(page, many=True).data)


def _disbursement(user: User, pk) -> Disbursement:
    d = funds.disbursements_visible_to(user).filter(pk=pk).first()
    if d is None:
        raise NotFound()
    return d


class DisbursementActionApi(ApiView):
    action = ""

    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        bank_reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")

    def post(self, request: Request, disbursement_id: int) -> Response:
        d = _disbursement(request.user, disbursement_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        actions = {
            "submit": lambda: funds.disbursement_submit(actor=request.user, disbursement=d),
            "approve": lambda: funds.disbursement_approve(actor=request.user, disbursement=d),
            "notify": lambda: funds.disbursement_notify_finance(actor=request.user, disbursement=d),
            "pay": lambda: funds.disbursement_pay(actor=request.user, disbursement=d, bank_reference=v["bank_reference"]),
            "reject": lambda: funds.disbursement_reject(actor=request.user, disbursement=d, note=v["note"]),
            "cancel": lambda: funds.disbursement_cancel(actor=request.user, disbursement=d, note=v["note"]),
        }
        return Response(DisbursementOut(actions[self.action]()).data)


def _action_view(name: str):
    view = type(f"Disbursement{name.title()}Api", (DisbursementActionApi,), {"action": name})
    # extend_schema_view gives each generated view its own ``post`` to annotate;
    # decorating the shared DisbursementActionApi.post would leave every action with
    # the operation id of the last one.
    view = extend_schema_view(
        post=extend_schema(
            operation_id=f"disbursements_{name}",
            request=DisbursementActionApi.InputSerializer,
            responses={200: DisbursementOut, **WRITE_ERROR_RESPONSES},
        )
    )(view)
    return view.as_view()


ACTION_VIEWS = {name: _action_view(name) for name in ("submit", "approve", "notify", "pay", "reject", "cancel")}


class HoldOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.CharField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()
    note = serializers.CharField()
    amount = MoneyField(allow_null=True)
    status = serializers.CharField()
    requested_at = DateTimeField()
    decided_at = DateTimeField(allow_null=True)
    released_at = DateTimeField(allow_null=True)


class HoldCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=["delay", "deposit"])
        reason = serializers.CharField(max_length=20)
        note = serializers.CharField(max_length=500)
        amount = MoneyField(required=False, allow_null=True, default=None)

    @extend_schema(operation_id="funds_holds_create", request=InputSerializer, responses={201: HoldOut, **WRITE_ERROR_RESPONSES})
    def post(self, request: Request, case_id: int) -> Response:
        case = case_get(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hold = funds.hold_request(actor=request.user, case=case, **data.validated_data)
        return Response(HoldOut(hold).data, status=status.HTTP_201_CREATED)


class HoldActionApi(ApiView):
    action = ""

    def post(self, request: Request, hold_id: int) -> Response:
        from core.selectors import court_scope_q
        from custody_funds.models import FundsHold

        hold = FundsHold.objects.filter(court_scope_q(request.user, field="case__court"), pk=hold_id).first()
        if hold is None:
            raise NotFound()
        if self.action == "release":
            hold = funds.hold_release(actor=request.user, hold=hold)
        else:
            hold = funds.hold_decide(actor=request.user, hold=hold, approve=self.action == "approve")
        return Response(HoldOut(hold).data)


def _hold_view(name: str):
    view = type(f"Hold{name.title()}Api", (HoldActionApi,), {"action": name})
    view = extend_schema_view(  # its own ``post``, see _action_view
        post=extend_schema(
            operation_id=f"funds_holds_{name}", request=None, responses={200: HoldOut, **WRITE_ERROR_RESPONSES}
        )
    )(view)
    return view.as_view()


HOLD_VIEWS = {name: _hold_view(name) for name in ("approve", "reject", "release")}


class XlsxRenderer(BaseRenderer):
    """Lets clients ask for the spreadsheet by its media type; the views return the
    file themselves."""

    media_type = XLSX
    format = "xlsx"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class CaseLedgerExportApi(ApiView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(operation_id="cases_funds_export", responses={(200, XLSX): OpenApiTypes.BINARY, **ERROR_RESPONSES})
    def get(self, request: Request, case_id: int):
        case = case_get(request.user, case_id)
        account = LedgerAccount.objects.filter(case=case).select_related("case").first()
        if account is None:
            raise NotFound()
        return _xlsx_response(case_ledger_xlsx(account), f"案款明细-{case.case_number}.xlsx")


class FundsHeldExportApi(ApiView):
    renderer_classes = [JSONRenderer, XlsxRenderer]

    @extend_schema(
        operation_id="funds_held_export",
        parameters=[OpenApiParameter("court", str, description="法院代字；省略时为全部可见法院")],
        responses={(200, XLSX): OpenApiTypes.BINARY, **ERROR_RESPONSES},
    )
    def get(self, request: Request):
        from core.selectors import court_scope_q

        accounts = LedgerAccount.objects.filter(court_scope_q(request.user))
        code = request.query_params.get("court")
        if code:
            accounts = accounts.filter(court__code=code)
        return _xlsx_response(funds_held_xlsx(accounts), f"在账案款-{timezone.localdate():%Y%m%d}.xlsx")
