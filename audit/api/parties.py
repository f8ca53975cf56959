"""REST: reveal a party's whole ID and phone number (recorded).

``POST /api/v1/cases/{case_id}/parties/{party_id}/reveal/`` → ``{id, name, id_number, phone}``"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from audit.selectors import party_get
from audit.services import party_identity_reveal
from core.api.base import ApiView
from core.api.schema import WRITE_ERROR_RESPONSES


class PartyIdentityOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    id_number = serializers.CharField(help_text="完整证件号码（本次查看已记入审计）")
    phone = serializers.CharField(allow_blank=True)


class PartyRevealApi(ApiView):
    @extend_schema(
        operation_id="parties_reveal",
        request=None,
        responses={200: PartyIdentityOut, **WRITE_ERROR_RESPONSES},
        description="返回当事人的完整证件号码和电话；仅限本案所在法院的书记员、承办人、执行局长和本院接口客户端，每次查看（含被拒绝的）都记入审计。",
    )
    def post(self, request: Request, case_id: int, party_id: int) -> Response:
        party = party_get(request.user, case_id, party_id)
        identity = party_identity_reveal(user=request.user, party=party, request=request._request)
        response = Response(PartyIdentityOut(identity).data)
        response["Cache-Control"] = "private, no-store"
        return response
