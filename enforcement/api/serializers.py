"""Output serializers of the enforcement API. Identity and phone numbers leave
the server masked, always (DESIGN "Who sees what")."""

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from core.api.fields import MoneyField
from core.api.schema import ErrorSerializer
from core.calendar import local_date
from core.identity import mask_account, mask_id, mask_phone


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
    basis = serializers.CharField(source="rule.basis")

    def get_due_date(self, obj) -> str:
        return local_date(obj.due_at).isoformat()

    def get_paused(self, obj) -> bool:
        return obj.paused_at is not None


class AssetOut(serializers.Serializer):
    id = serializers.IntegerField()
    category = serializers.CharField(source="category.code")
    category_name = serializers.CharField(source="category.name")
    description = serializers.CharField()
    value = MoneyField(allow_null=True, positive=False)
    controllable_online = serializers.BooleanField()
    status = serializers.CharField()
    found_at = serializers.DateTimeField()


class ControlMeasureOut(serializers.Serializer):
    id = serializers.IntegerField()
    asset = serializers.IntegerField(source="asset_id")
    kind = serializers.CharField()
    amount = MoneyField(allow_null=True)
    effective_at = serializers.DateTimeField()
    expires_on = serializers.DateField()
    renewals = serializers.IntegerField()
    status = serializers.CharField()
    override = serializers.IntegerField(source="override_id", allow_null=True)


class SearchOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    channel = serializers.CharField()
    categories = serializers.SerializerMethodField()
    launched_at = serializers.DateTimeField()
    status = serializers.CharField()
    feedback_at = serializers.DateTimeField(allow_null=True)

    def get_categories(self, obj) -> list[str]:
        return [c.code for c in obj.categories.all()]


class ClueOut(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField()
    source = serializers.CharField()
    description = serializers.CharField()
    specific = serializers.BooleanField()
    urgent = serializers.BooleanField()
    status = serializers.CharField()
    verification_started_at = serializers.DateTimeField(allow_null=True)
    result_note = serializers.CharField()


class CreditMeasureOut(serializers.Serializer):
    id = serializers.IntegerField()
    party = serializers.IntegerField(source="party_id")
    kind = serializers.CharField()
    issued_at = serializers.DateTimeField()
    grace_until = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    released_at = serializers.DateTimeField(allow_null=True)


class DisposalOut(serializers.Serializer):
    id = serializers.IntegerField()
    asset = serializers.IntegerField(source="asset_id")
    method = serializers.CharField()
    status = serializers.CharField()
    price_started_at = serializers.DateTimeField()
    reference_price = MoneyField(allow_null=True)
    auction_launched_at = serializers.DateTimeField(allow_null=True)
    sale_amount = MoneyField(allow_null=True)


class ApprovalOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.case_number")
    kind = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()
    payload = serializers.JSONField()
    requested_by = serializers.CharField(source="requested_by.username")
    requested_at = serializers.DateTimeField()
    decided_by = serializers.CharField(source="decided_by.username", allow_null=True, default=None)
    decided_at = serializers.DateTimeField(allow_null=True)
    decision_note = serializers.CharField()


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

    def get_fund_account(self, obj) -> str | None:
        account = getattr(obj, "fund_account", None)
        return getattr(account, "number", None)

    @extend_schema_field(PartyOut(many=True))
    def get_applicants(self, obj) -> list[dict]:
        return PartyOut([p for p in obj.parties.all() if p.role == "applicant"], many=True).data

    @extend_schema_field(PartyOut(many=True))
    def get_respondents(self, obj) -> list[dict]:
        return PartyOut([p for p in obj.parties.all() if p.role == "respondent"], many=True).data


class SelfDisposalOut(serializers.Serializer):
    id = serializers.IntegerField()
    asset = serializers.IntegerField(source="asset_id")
    days = serializers.IntegerField()
    status = serializers.CharField()


class SelfDisposalStatusOut(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()


# --- bulk ingest ------------------------------------------------------------------------
# These document the answer of ``core.api.bulk.bulk_run``, which the bulk views build as
# plain dicts: ``{"created", "failed", "results": [...]}`` with one result per submitted
# item, told apart by ``result``. A failed item carries the status code and the error body
# it would have got on its own — whatever it raised: an unknown error is 500
# ``internal_error`` for that item alone.

# Both variants declare the whole set: the discriminator mapping says which is which.
BULK_RESULTS = ["created", "error"]


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


class FeedbackBulkCreatedOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="该条在提交列表中的位置（从 0 起）")
    key = serializers.IntegerField(allow_null=True, help_text="该条提交的 search（原样）")
    result = serializers.ChoiceField(choices=BULK_RESULTS)
    search = serializers.IntegerField()
    assets = serializers.ListField(child=serializers.IntegerField(), help_text="据此反馈新建的财产")


class FeedbackBulkFailedOut(serializers.Serializer):
    index = serializers.IntegerField(help_text="该条在提交列表中的位置（从 0 起）")
    key = serializers.IntegerField(allow_null=True, help_text="该条提交的 search（原样）")
    result = serializers.ChoiceField(choices=BULK_RESULTS)
    status = serializers.IntegerField(help_text="该条单独提交时会得到的 HTTP 状态码（内部错误为 500 internal_error）")
    error = ErrorSerializer()


class FeedbackBulkOut(serializers.Serializer):
    created = serializers.IntegerField()
    failed = serializers.IntegerField()
    results = PolymorphicProxySerializer(
        component_name="FeedbackBulkResult",
        serializers={"created": FeedbackBulkCreatedOut, "error": FeedbackBulkFailedOut},
        resource_type_field_name="result",
        many=True,
    )
