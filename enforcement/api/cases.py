"""REST: cases — the list and its filters, registration one by one or in bulk, the
case with everything on it (API.md "Cases"). Identity and phone numbers leave the
server masked, always (DESIGN "Who sees what")."""


from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.fields import SkipField
from rest_framework.request import Request
from rest_framework.response import Response

from core import messages
from core.api.base import ApiView
from core.api.bulk import bulk_answer
from core.api.fields import DateField, DateTimeField, MoneyField
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES, ErrorSerializer
from core.calendar import local_date
from core.exceptions import ValidationFailed
from core.identity import mask_account, mask_id, mask_phone
from core.models import Court, User
from core.selectors import visible_courts
from enforcement.api.assets import AssetOut
from enforcement.api.base import BULK_RESULTS
from enforcement.api.disposals import DisposalOut
from enforcement.api.measures import ControlMeasureOut, CreditMeasureOut
from enforcement.api.property_clues import ClueOut
from enforcement.api.searches import SearchOut
from enforcement.models import Case, PartyKind, Track
from enforcement.selectors import case_get_detail, cases_filter, court_member_get, court_members_by_username
from enforcement.services import cases as case_services
from enforcement.services.cases_bulk import cases_register_many


class PayoutAccountOut(serializers.Serializer):
    bank = serializers.CharField()
    account_number = serializers.SerializerMethodField()
    holder = serializers.CharField()
    confirmed_at = serializers.DateTimeField()

    def get_account_number(self, obj) -> str:
        return mask_account(obj.account_number)


class PartyOut(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    kind = serializers.CharField()
    name = serializers.CharField()
    id_number = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    payout_account = serializers.SerializerMethodField()

    def get_id_number(self, obj) -> str:
        return mask_id(obj.id_number)

    def get_phone(self, obj) -> str:
        return mask_phone(obj.phone) if obj.phone else ""

    @extend_schema_field(PayoutAccountOut(allow_null=True))
    def get_payout_account(self, obj) -> dict | None:
        account = getattr(obj, "payout_account", None)
        return PayoutAccountOut(account).data if account is not None else None


class DeadlineOut(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField(source="rule.code")
    name = serializers.CharField(source="rule.name_zh")
    subject = serializers.CharField(source="subject_label")
    status = serializers.CharField()
    started_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    due_date = serializers.SerializerMethodField()
    original_due_at = serializers.DateTimeField()
    provisional = serializers.BooleanField()
    paused = serializers.SerializerMethodField()
    completed_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True, help_text="案件事项终止本期限的时间（moot，或超期后终止）")
    end_reason = serializers.CharField(help_text="终止事由：结案方式、restore（执恢）等")
    basis = serializers.CharField(source="rule.basis_text", help_text="现行法律的条文（原文引用已被修正的，括号内注明）")
    basis_verified = serializers.BooleanField(source="rule.verified", help_text="false：引用未核实")

    def get_due_date(self, obj) -> str:
        return local_date(obj.due_at).isoformat()

    def get_paused(self, obj) -> bool:
        return obj.paused_at is not None


class CaseListOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    court = serializers.CharField(source="court.code")
    status = serializers.CharField()
    track = serializers.CharField()
    filed_on = serializers.DateField()
    received_at = serializers.DateTimeField()
    claim_amount = MoneyField()
    handler = serializers.CharField(source="handler.username", allow_null=True, default=None)
    overdue = serializers.BooleanField()
    closure_type = serializers.CharField()


# --- h/gateproc: per-party procedure records ---


class DocumentServiceOut(serializers.Serializer):
    id = serializers.IntegerField()
    party = serializers.IntegerField(source="party_id")
    document = serializers.CharField()
    method = serializers.CharField()
    served_at = serializers.DateTimeField()
    note = serializers.CharField()


class PropertyReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    respondent = serializers.IntegerField(source="respondent_id")
    outcome = serializers.CharField()
    received_at = serializers.DateTimeField(allow_null=True)
    check_result = serializers.CharField()
    recorded_at = serializers.DateTimeField()


class ApplicantInterviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    applicant = serializers.IntegerField(source="applicant_id")
    at = serializers.DateTimeField()
    note = serializers.CharField()
    opinion = serializers.CharField()
    opinion_text = serializers.CharField()


class CaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    court = serializers.CharField(source="court.code")
    type_code = serializers.CharField()
    status = serializers.CharField()
    track = serializers.CharField()
    filed_on = serializers.DateField()
    received_at = serializers.DateTimeField()
    claim_amount = MoneyField()
    costs = MoneyField(positive=False)
    basis_document = serializers.CharField()
    handler = serializers.CharField(source="handler.username", allow_null=True, default=None)
    team = serializers.CharField()
    notice_served_at = serializers.DateTimeField(allow_null=True)
    applicant_interviewed_at = serializers.DateTimeField(allow_null=True)
    fulfilled_at = serializers.DateTimeField(allow_null=True)
    closure_type = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    restored_from = serializers.CharField(source="restored_from.case_number", allow_null=True, default=None)
    fund_account = serializers.SerializerMethodField()
    applicants = serializers.SerializerMethodField()
    respondents = serializers.SerializerMethodField()
    assets = AssetOut(many=True)
    control_measures = ControlMeasureOut(many=True)
    searches = SearchOut(many=True)
    clues = ClueOut(many=True)
    credit_measures = CreditMeasureOut(many=True)
    disposals = DisposalOut(many=True)
    deadlines = DeadlineOut(many=True)
    # h/gateproc: the per-party records of the 终本 gate; ``closing`` while the ruling is served
    property_order_served_at = serializers.DateTimeField(allow_null=True)
    terminated_ruling_at = serializers.DateTimeField(allow_null=True)
    services = serializers.SerializerMethodField()
    property_reports = serializers.SerializerMethodField()
    applicant_interviews = serializers.SerializerMethodField()
    ruling_unserved = serializers.SerializerMethodField(help_text="终本裁定尚未送达的当事人 id（closing 时）")

    @extend_schema_field(DocumentServiceOut(many=True))
    def get_services(self, obj) -> list[dict]:
        return DocumentServiceOut(obj.services.all(), many=True).data

    @extend_schema_field(PropertyReportOut(many=True))
    def get_property_reports(self, obj) -> list[dict]:
        return PropertyReportOut(obj.property_reports.all(), many=True).data

    @extend_schema_field(ApplicantInterviewOut(many=True))
    def get_applicant_interviews(self, obj) -> list[dict]:
        return ApplicantInterviewOut(obj.applicant_interviews.all(), many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_ruling_unserved(self, obj) -> list[int]:
        if obj.status != "closing":
            return []
        served = {s.party_id for s in obj.services.all() if s.document == "terminated_ruling" and s.method != "failed"}
        return [p.pk for p in obj.parties.all() if p.pk not in served]

    def get_fund_account(self, obj) -> str | None:
        account = getattr(obj, "fund_account", None)
        return getattr(account, "number", None)

    @extend_schema_field(PartyOut(many=True))
    def get_applicants(self, obj) -> list[dict]:
        return PartyOut([p for p in obj.parties.all() if p.role == "applicant"], many=True).data

    @extend_schema_field(PartyOut(many=True))
    def get_respondents(self, obj) -> list[dict]:
        return PartyOut([p for p in obj.parties.all() if p.role == "respondent"], many=True).data


class CaseBulkCreatedOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="该条在提交列表中的位置（从 0 起）")
    key = serializers.CharField(allow_null=True, help_text="该条提交的 case_number（原样）")
    result = serializers.ChoiceField(choices=BULK_RESULTS)
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    status = serializers.CharField(help_text="案件状态")


class CaseBulkFailedOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="该条在提交列表中的位置（从 0 起）")
    key = serializers.CharField(allow_null=True, help_text="该条提交的 case_number（原样）")
    result = serializers.ChoiceField(choices=BULK_RESULTS)
    status = serializers.IntegerField(help_text="该条单独提交时会得到的 HTTP 状态码（内部错误为 500 internal_error）")
    error = ErrorSerializer()


class CaseBulkOut(serializers.Serializer):
    created = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = PolymorphicProxySerializer(
        component_name="CaseBulkResult",
        serializers={"created": CaseBulkCreatedOut, "error": CaseBulkFailedOut},
        resource_type_field_name="result",
        many=True,
    )


class PayoutAccountIn(serializers.Serializer):
    bank = serializers.CharField(max_length=100)
    account_number = serializers.CharField(max_length=40)
    holder = serializers.CharField(max_length=100)


class PartyIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    kind = serializers.ChoiceField(choices=PartyKind.choices)
    id_number = serializers.CharField(max_length=40)
    phone = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    payout_account = PayoutAccountIn(required=False, allow_null=True, default=None)


class CaseIn(serializers.Serializer):
    case_number = serializers.CharField(max_length=64)
    court = serializers.CharField(max_length=16)
    filed_on = DateField()
    received_at = DateTimeField()
    claim_amount = MoneyField()
    costs = MoneyField(required=False, positive=False, default=None)
    basis_document = serializers.CharField(max_length=200)
    track = serializers.ChoiceField(choices=Track.choices, required=False, default=Track.SIMPLE)
    handler = serializers.CharField(max_length=150, required=False, allow_null=True, default=None)
    team = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    find_property = serializers.BooleanField(
        required=False,
        default=False,
        help_text="仅财产保全执行（执保）案件：保全裁定要求查找被保全人财产时为 true，此时开始计算发起网络查控期限"
        "（322号第13条）；执保案件不计算发出执行通知书期限和执行期限。其他类型的案件须为 false。",
    )
    applicants = PartyIn(many=True, allow_empty=False)
    respondents = PartyIn(many=True, allow_empty=False)


def _party_input(data: dict) -> case_services.PartyInput:
    account = data.get("payout_account")
    return case_services.PartyInput(
        name=data["name"],
        kind=data["kind"],
        id_number=data["id_number"],
        phone=data.get("phone") or "",
        payout_account=case_services.PayoutAccountInput(**account) if account else None,
    )


def _parsed_fields(parsed: CaseIn) -> dict[str, Any]:
    """The fields of an invalid ``parsed`` that are valid on their own, so that the
    service's rules run on them too and one answer names every field."""
    raw = parsed.initial_data
    values: dict[str, Any] = {}
    if not isinstance(raw, Mapping):
        return values
    for name, field in parsed.fields.items():
        if name in parsed.errors:
            continue
        try:
            values[name] = field.run_validation(field.get_value(raw))
        except (serializers.ValidationError, DjangoValidationError, SkipField):
            continue
    return values


def _parties(values: dict[str, Any], key: str) -> list[case_services.PartyInput] | None:
    return [_party_input(p) for p in values[key]] if key in values else None


@dataclass
class CaseLookups:
    """What a bulk request looks up once for all its items: the user's visible courts
    by code, and the current members of those courts by (court id, username)."""

    courts: dict[str, Court]
    members: dict[tuple[int, str], User]


def case_input_parse(
    user: User, raw: Any, *, lookups: CaseLookups | None = None, validated: dict | None = None
) -> case_services.CaseInput:
    """``raw`` (a ``CaseIn`` body) as the service's input, or one 400 whose
    ``extra.fields`` names every field refused: the body's format, the court and
    handler, and the service's rules on the fields that parsed (``case_input_errors``).
    A bulk request passes its ``lookups`` and, for a body it has already validated as
    ``CaseIn``, the ``validated`` values."""
    if validated is not None:
        fields: dict[str, Any] = {}
        values = dict(validated)
    else:
        parsed = CaseIn(data=raw)
        valid = parsed.is_valid()
        fields = dict(parsed.errors)
        values = dict(parsed.validated_data) if valid else _parsed_fields(parsed)
    court = None
    if "court" in values:
        if lookups is not None:
            court = lookups.courts.get(values["court"])
        else:
            court = visible_courts(user).filter(code=values["court"]).first()
    if "court" in values and court is None:
        fields["court"] = [str(_("法院 %(c)s 不存在或不在您的范围内。") % {"c": values["court"]})]
    handler = None
    if court is not None and values.get("handler"):
        if lookups is not None:
            handler = lookups.members.get((court.pk, values["handler"]))
        else:
            handler = court_member_get(court, username=values["handler"])
        if handler is None:
            fields["handler"] = [str(messages.HANDLER_NOT_OF_COURT)]
    if not fields:
        return _case_input(court, handler, values)
    errors, _number = case_services.case_values_errors(
        values, court=court, applicants=_parties(values, "applicants"), respondents=_parties(values, "respondents")
    )
    for path, texts in errors.fields.items():
        fields.setdefault(path, texts)
    raise serializers.ValidationError(fields)


def _case_input(court: Court | None, handler: User | None, data: dict) -> case_services.CaseInput:
    assert court is not None  # case_input_parse refused a body without one
    return case_services.CaseInput(
        case_number=data["case_number"],
        court=court,
        filed_on=data["filed_on"],
        received_at=data["received_at"],
        claim_amount=data["claim_amount"],
        costs=data["costs"] if data.get("costs") is not None else Decimal("0.00"),
        basis_document=data["basis_document"],
        track=data["track"],
        handler=handler,
        team=data.get("team") or "",
        find_property=bool(data.get("find_property")),
        applicants=[_party_input(p) for p in data["applicants"]],
        respondents=[_party_input(p) for p in data["respondents"]],
    )


def case_detail_response(user: User, case: Case, *, status_code: int = 200) -> Response:
    return Response(CaseOut(case_get_detail(user, case.pk)).data, status=status_code)


# The case types that may be registered (docs/api-notes.md "Case types").
CASE_TYPES_NOTE = (
    "只登记执行实施案件：类型代字为 执、执恢、执保。执异、执复、执监、执协、执他 案号格式有效，但属于执行审查、"
    "执行协调或其他执行案件，登记时返回 400 case_type_not_implementation（extra.fields.case_number、"
    "extra.type_code、extra.allowed），不创建任何数据。执保案件只在 find_property 为 true 时计算发起网络查控期限，"
    "不计算执行通知书期限和执行期限。"
)


class CaseListCreateApi(ApiView):
    class FilterSerializer(serializers.Serializer):
        court = serializers.CharField(required=False)
        status = serializers.ChoiceField(choices=["received", "executing", "suspended", "closed"], required=False)
        overdue = serializers.BooleanField(required=False, allow_null=True, default=None)
        track = serializers.ChoiceField(choices=Track.choices, required=False)
        handler = serializers.CharField(required=False)
        q = serializers.CharField(required=False, allow_blank=True)

    @extend_schema(
        operation_id="cases_list",
        parameters=[FilterSerializer],
        responses={200: CaseListOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        params = self.FilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(cases_filter(request.user, params.validated_data), request, view=self)
        return paginator.get_paginated_response(CaseListOut(page, many=True).data)

    @extend_schema(
        operation_id="cases_create",
        description=CASE_TYPES_NOTE,
        request=CaseIn,
        responses={201: CaseOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        case = case_services.case_register(actor=request.user, data=case_input_parse(request.user, request.data))
        return case_detail_response(request.user, case, status_code=status.HTTP_201_CREATED)


BULK_NOTE = """Up to 1,000 cases at once, each with its own result (created, or an error in
the contract's shape). Items are independent: one bad item changes nothing of
the others. Idempotent per case number: an existing number reports 409."""


class CaseBulkApi(ApiView):
    __doc__ = BULK_NOTE

    class BulkIn(serializers.Serializer):
        # Each item is validated on its own (as CaseIn) so that a bad one fails alone.
        cases = serializers.ListField(child=serializers.DictField(), allow_empty=False)

    @extend_schema(
        operation_id="cases_bulk_create",
        description=BULK_NOTE + "\n\n" + CASE_TYPES_NOTE,
        request=inline_serializer(
            name="CaseBulkInput",
            fields={
                "cases": serializers.ListField(
                    child=CaseIn(),
                    min_length=1,
                    max_length=settings.ENFORCEMENT_BULK_MAX,
                    help_text=f"每项与 POST /cases/ 的请求体相同；一次最多 {settings.ENFORCEMENT_BULK_MAX} 件。",
                )
            },
        ),
        responses={200: CaseBulkOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        data = self.BulkIn(data=request.data)
        data.is_valid(raise_exception=True)
        items = data.validated_data["cases"]
        if len(items) > settings.ENFORCEMENT_BULK_MAX:
            raise ValidationFailed.for_field(
                "cases", _("一次最多提交 %(n)s 件。") % {"n": settings.ENFORCEMENT_BULK_MAX}
            )

        inputs = _bulk_case_inputs(request.user, items)
        answers = cases_register_many(actor=request.user, items=inputs)
        return Response(
            bulk_answer(
                items,
                answers,
                lambda _item, case: {"id": case.pk, "case_number": case.case_number, "status": case.status},
                key=lambda item: item.get("case_number"),
            )
        )


def _bulk_case_inputs(user: User, items: list[dict]) -> list[case_services.CaseInput | Exception]:
    """Each item read as ``POST /cases/`` reads its body (``case_input_parse``), with
    the courts and handlers of all the items looked up once; an item that cannot be
    read is the exception it raised (the same 400 as alone)."""
    # One serializer validates every well-formed item (``run_validation`` is what
    # ``is_valid`` runs): DRF deep-copies a serializer's fields per instance, which for
    # a thousand items cost more than writing them. An item it refuses is read again
    # the single request's way, for an answer that names every field.
    serializer = CaseIn()
    validated: list[dict | Exception | None] = []
    for item in items:
        try:
            validated.append(serializer.run_validation(item))
        except serializers.ValidationError:
            validated.append(None)
        except Exception as exc:  # every item answers, whatever it raised
            validated.append(exc)
    bodies = [item for item in items if isinstance(item, Mapping)]
    codes = {item["court"].strip() for item in bodies if isinstance(item.get("court"), str)}
    courts = {court.code: court for court in visible_courts(user).filter(code__in=codes)}
    members = court_members_by_username(
        (courts[item["court"].strip()], item["handler"].strip())
        for item in bodies
        if isinstance(item.get("court"), str)
        and item["court"].strip() in courts
        and isinstance(item.get("handler"), str)
        and item["handler"].strip()
    )
    lookups = CaseLookups(courts=courts, members=members)
    inputs: list[case_services.CaseInput | Exception] = []
    for item, values in zip(items, validated, strict=True):
        if isinstance(values, Exception):
            inputs.append(values)
            continue
        try:
            inputs.append(case_input_parse(user, item, lookups=lookups, validated=values))
        except Exception as exc:  # every item answers, whatever it raised
            inputs.append(exc)
    return inputs


class CaseDetailApi(ApiView):
    @extend_schema(operation_id="cases_retrieve", responses={200: CaseOut, **ERROR_RESPONSES})
    def get(self, request: Request, case_id: int) -> Response:
        return Response(CaseOut(case_get_detail(request.user, case_id)).data)
