"""REST: 延缓发放 and 提存 — asked for on a case, approved or rejected by the bureau
head, a delay released (API.md "Case funds")."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.fields import DateTimeField, MoneyField
from core.api.schema import WRITE_ERROR_RESPONSES
from core.exceptions import NotFound
from core.models import User
from custody_funds import selectors
from custody_funds.models import FundsHold
from custody_funds.services import funds
from enforcement.selectors import case_get


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


def _hold(user: User, pk: int) -> FundsHold:
    hold = selectors.hold_get(user, pk)
    if hold is None:
        raise NotFound()
    return hold


def _step_schema(step: str):
    return extend_schema(
        operation_id=f"funds_holds_{step}", request=None, responses={200: HoldOut, **WRITE_ERROR_RESPONSES}
    )


class HoldApproveApi(ApiView):
    @_step_schema("approve")
    def post(self, request: Request, hold_id: int) -> Response:
        hold = funds.hold_decide(actor=request.user, hold=_hold(request.user, hold_id), approve=True)
        return Response(HoldOut(hold).data)


class HoldRejectApi(ApiView):
    @_step_schema("reject")
    def post(self, request: Request, hold_id: int) -> Response:
        hold = funds.hold_decide(actor=request.user, hold=_hold(request.user, hold_id), approve=False)
        return Response(HoldOut(hold).data)


class HoldReleaseApi(ApiView):
    @_step_schema("release")
    def post(self, request: Request, hold_id: int) -> Response:
        hold = funds.hold_release(actor=request.user, hold=_hold(request.user, hold_id))
        return Response(HoldOut(hold).data)


# step → its endpoint (api/urls.py routes them; the schema test checks their ids)
HOLD_STEPS: dict[str, type[ApiView]] = {
    "approve": HoldApproveApi,
    "reject": HoldRejectApi,
    "release": HoldReleaseApi,
}
