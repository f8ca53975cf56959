"""REST: payments out of a case's account (支付案款) — drafted, submitted, approved,
notified to finance, paid; rejected or cancelled (API.md "Case funds")."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField, MoneyField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import NotFound, ValidationFailed
from core.identity import mask_account
from core.models import User
from custody_funds import selectors
from custody_funds.models import Disbursement, DisbursementStatus
from custody_funds.services import funds
from enforcement.selectors import case_get


class AccountChangeOut(serializers.Serializer):
    """The applicant's written request to be paid to another account, as recorded."""

    document = serializers.CharField(source="account_change_document")
    received_on = serializers.DateField(source="account_change_received_on")
    note = serializers.CharField(source="account_change_request")
    recorded_by = serializers.SerializerMethodField()

    def get_recorded_by(self, obj) -> str:
        user = obj.account_change_recorded_by
        return (user.get_full_name() or user.username) if user else ""


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
    account_changed = serializers.BooleanField(read_only=True)
    account_change = serializers.SerializerMethodField()

    def get_account_number(self, obj) -> str:
        return mask_account(obj.account_number)

    @extend_schema_field(AccountChangeOut(allow_null=True))
    def get_account_change(self, obj) -> dict | None:
        if not obj.account_change_document:
            return None
        return AccountChangeOut(obj).data


class DisbursementListCreateApi(ApiView):
    class InputSerializer(serializers.Serializer):
        payee = serializers.IntegerField()
        amount = MoneyField()
        account_number = serializers.CharField(max_length=40)
        # Another account than the one confirmed at filing: only a person records the
        # applicant's written request (its document number and the day received);
        # an API client's attempt is refused 403 ``account_change_by_person_only``.
        account_change_document = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
        account_change_received_on = serializers.DateField(required=False, allow_null=True, default=None)
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
            account_number=v["account_number"],
            change=funds.AccountChange(
                document=v["account_change_document"], received_on=v["account_change_received_on"],
                note=v["account_change_request"],
            ),
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
        wanted = request.query_params.get("status")
        if wanted and wanted not in DisbursementStatus.values:
            raise ValidationFailed.for_field("status", _("状态无效。"))
        qs = selectors.disbursements_queue(request.user, status=wanted)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(DisbursementOut(page, many=True).data)


# --- one endpoint per step: POST /disbursements/{id}/<step>/ -------------------------------------


def _disbursement(user: User, pk: int) -> Disbursement:
    d = selectors.disbursement_get(user, pk)
    if d is None:
        raise NotFound()
    return d


class DisbursementActionApi(ApiView):
    # The base of the step endpoints below: one request body for all of them (the
    # schema's DisbursementActionInput), each step reads what it needs.
    class InputSerializer(serializers.Serializer):
        note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
        bank_reference = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")

    def _input(self, request: Request, disbursement_id: int) -> tuple[Disbursement, dict]:
        d = _disbursement(request.user, disbursement_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return d, data.validated_data


def _step_schema(step: str):
    return extend_schema(
        operation_id=f"disbursements_{step}",
        request=DisbursementActionApi.InputSerializer,
        responses={200: DisbursementOut, **WRITE_ERROR_RESPONSES},
    )


class DisbursementSubmitApi(DisbursementActionApi):
    @_step_schema("submit")
    def post(self, request: Request, disbursement_id: int) -> Response:
        d, _v = self._input(request, disbursement_id)
        return Response(DisbursementOut(funds.disbursement_submit(actor=request.user, disbursement=d)).data)


class DisbursementApproveApi(DisbursementActionApi):
    @_step_schema("approve")
    def post(self, request: Request, disbursement_id: int) -> Response:
        d, _v = self._input(request, disbursement_id)
        return Response(DisbursementOut(funds.disbursement_approve(actor=request.user, disbursement=d)).data)


class DisbursementNotifyApi(DisbursementActionApi):
    @_step_schema("notify")
    def post(self, request: Request, disbursement_id: int) -> Response:
        d, _v = self._input(request, disbursement_id)
        return Response(DisbursementOut(funds.disbursement_notify_finance(actor=request.user, disbursement=d)).data)


class DisbursementPayApi(DisbursementActionApi):
    @_step_schema("pay")
    def post(self, request: Request, disbursement_id: int) -> Response:
        d, v = self._input(request, disbursement_id)
        paid = funds.disbursement_pay(actor=request.user, disbursement=d, bank_reference=v["bank_reference"])
        return Response(DisbursementOut(paid).data)


class DisbursementRejectApi(DisbursementActionApi):
    @_step_schema("reject")
    def post(self, request: Request, disbursement_id: int) -> Response:
        d, v = self._input(request, disbursement_id)
        return Response(DisbursementOut(funds.disbursement_reject(actor=request.user, disbursement=d, note=v["note"])).data)


class DisbursementCancelApi(DisbursementActionApi):
    @_step_schema("cancel")
    def post(self, request: Request, disbursement_id: int) -> Response:
        d, v = self._input(request, disbursement_id)
        return Response(DisbursementOut(funds.disbursement_cancel(actor=request.user, disbursement=d, note=v["note"])).data)


# step → its endpoint (api/urls.py routes them; the schema test checks their ids)
DISBURSEMENT_STEPS: dict[str, type[DisbursementActionApi]] = {
    "submit": DisbursementSubmitApi,
    "approve": DisbursementApproveApi,
    "notify": DisbursementNotifyApi,
    "pay": DisbursementPayApi,
    "reject": DisbursementRejectApi,
    "cancel": DisbursementCancelApi,
}
