"""What the 一案双查 endpoints accept, checked here first (types, lengths, list
sizes) so that no client input reaches a service malformed; and the lookups that
turn ids and court codes into rows (unknown → 400, nothing written)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import DateField, DateTimeField
from core.exceptions import PermissionDenied, ValidationFailed
from core.models import Court, Department, Role, User
from core.selectors import user_roles
from dualcheck.models import (
    ClueSource,
    ClueStatus,
    ConclusionFinding,
    DispositionKind,
    FeedbackMethod,
    OfficerFindingResult,
    ReferralMode,
    ReviewDecision,
    ScopeItem,
    TeamMethod,
)
from dualcheck.services.common import MAX_REPORT_DAYS, NOTE_MAX, TEXT_MAX
from enforcement.models import Case

ID_MAX = 2**63 - 1
MAX_ITEMS = 50  # cases, officers, participants, members, findings, dispositions
CODE_MAX = 16  # a court code (法院代字)
ORDERINGS = ("received_at", "-received_at", "number", "-number", "status", "-status")


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=ID_MAX, **kwargs)


def ids_field(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=id_field(), max_length=MAX_ITEMS, **kwargs)


def text_field(limit: int = TEXT_MAX, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=limit, **kwargs)


def optional_text(limit: int = TEXT_MAX, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=limit, required=False, allow_blank=True, default="", **kwargs)


def optional_datetime(help_text: str) -> serializers.DateTimeField:
    return DateTimeField(required=False, allow_null=True, default=None, help_text=help_text)


def choice_text(choices, **kwargs) -> serializers.CharField:
    """A plain string the validator checks against ``choices``: the same field name
    with another choice set elsewhere would give the schema one enum under two names."""
    return serializers.CharField(max_length=32, help_text=" | ".join(choices), **kwargs)


# --- the clue ------------------------------------------------------------------------------


class DualcheckClueFilterIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=ClueStatus.choices, required=False)
    source = serializers.ChoiceField(choices=ClueSource.choices, required=False)
    court = serializers.CharField(required=False, max_length=CODE_MAX, help_text="受理法院或调查法院代字")
    case = id_field(required=False, help_text="所涉案件")
    open = serializers.BooleanField(required=False, allow_null=True, default=None, help_text="未办结")
    officer = serializers.CharField(
        required=False,
        max_length=50,
        help_text="涉及干警的姓名或系统账号编号；只在您有权查阅涉密内容的线索中查找（每次匹配均被记录）",
    )
    ordering = serializers.ChoiceField(choices=ORDERINGS, required=False, default="-received_at")


class DualcheckClueOfficerIn(serializers.Serializer):
    name = text_field(50)
    court = text_field(CODE_MAX, help_text="干警所在法院代字")
    user = id_field(required=False, allow_null=True, default=None, help_text="干警的系统账号（如有）")
    position = optional_text(100)


class DualcheckClueRegisterIn(serializers.Serializer):
    court = serializers.CharField(
        max_length=CODE_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="受理法院代字；省略时为您唯一可以受理线索的法院",
    )
    source = serializers.ChoiceField(choices=ClueSource.choices, help_text="线索来源（第三条）")
    source_detail = optional_text(500)
    summary = text_field(help_text="反映的执行问题")
    officer_allegation = optional_text(help_text="反映的干警违规违法违纪问题（涉密）")
    complainant_name = optional_text(100)
    complainant_phone = optional_text(30)
    received_at = optional_datetime("收到线索的时间；省略时为现在")
    cases = ids_field(required=False, default=list, help_text="所涉案件编号")
    officers = DualcheckClueOfficerIn(
        many=True, required=False, max_length=MAX_ITEMS, help_text="涉及干警（涉密）"
    )


class DualcheckClueRecordOfficersIn(serializers.Serializer):
    officers = DualcheckClueOfficerIn(
        many=True, required=False, default=list, max_length=MAX_ITEMS, help_text="补充登记的涉及干警（涉密）"
    )
    officer_allegation = serializers.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_null=True,
        allow_blank=True,
        default=None,
        help_text="反映的干警问题（涉密）；省略时不变",
    )


class DualcheckClueFromPetitionIn(serializers.Serializer):
    petition = id_field(help_text="已标记“转一案双查线索”的信访件")


class DualcheckClueFromAlertIn(serializers.Serializer):
    alert = id_field(help_text="涉及案件的期限预警")


# --- the steps -----------------------------------------------------------------------------


class DualcheckClueScreenIn(serializers.Serializer):
    proceed = serializers.BooleanField(help_text="true 提请审核；false 筛除（不启动）")
    opinion = text_field(NOTE_MAX)


class DualcheckClueApproveIn(serializers.Serializer):
    approved = serializers.BooleanField(help_text="true 提交联席会议；false 不启动")
    opinion = text_field(NOTE_MAX)


class DualcheckClueDecideIn(serializers.Serializer):
    launch = serializers.BooleanField()
    participants = ids_field(help_text="参会人员（执行机构和监察机构各至少一人）")
    minutes = text_field()
    held_at = optional_datetime("会议召开时间；省略时为现在")


class DualcheckClueReferIn(serializers.Serializer):
    mode = serializers.ChoiceField(choices=ReferralMode.choices)
    target_court = serializers.CharField(
        max_length=CODE_MAX,
        required=False,
        allow_null=True,
        default=None,
        help_text="交办的下级法院（refer）",
    )
    report_days = serializers.IntegerField(min_value=1, max_value=MAX_REPORT_DAYS)
    instructions = text_field(NOTE_MAX)


class DualcheckClueTeamMemberIn(serializers.Serializer):
    user = id_field()
    department = serializers.ChoiceField(choices=[Department.EXECUTION, Department.SUPERVISION])
    is_leader = serializers.BooleanField(required=False, default=False)


class DualcheckClueFormTeamIn(serializers.Serializer):
    members = DualcheckClueTeamMemberIn(many=True, max_length=MAX_ITEMS)


class DualcheckClueRecordWorkIn(serializers.Serializer):
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=TeamMethod.choices),
        max_length=len(TeamMethod.values),
        required=False,
        allow_null=True,
        help_text="调查方式（第六条）；省略则不变",
    )
    scope = serializers.ListField(
        child=serializers.ChoiceField(choices=ScopeItem.choices),
        max_length=len(ScopeItem.values),
        required=False,
        allow_null=True,
        help_text="检查范围（第七条）；省略则不变",
    )
    notes = serializers.CharField(max_length=TEXT_MAX, required=False, allow_null=True, allow_blank=True)


class DualcheckClueOfficerFindingIn(serializers.Serializer):
    officer = id_field(help_text="涉及干警编号（confidential.officers[].id）")
    result = choice_text(OfficerFindingResult.values)
    detail = text_field()

    def validate_result(self, value: str) -> str:
        if value not in OfficerFindingResult.values:
            raise serializers.ValidationError(_("请选择查明结论。"))
        return value


def _part(label: str) -> serializers.CharField:
    return serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_null=True, allow_blank=True, help_text=label
    )


class DualcheckClueReportIn(serializers.Serializer):
    """Any of the parts; an omitted (or null) part keeps what the draft has."""

    process = _part("调查经过")
    facts = _part("查明事实")
    analysis = _part("问题分析")
    opinion = _part("处理意见")
    officer_conduct = _part("干警履职情况（涉密）")
    officer_findings = DualcheckClueOfficerFindingIn(
        many=True,
        required=False,
        allow_null=True,
        max_length=MAX_ITEMS,
        help_text="每名涉及干警的查明情况（涉密）",
    )


class DualcheckClueReviewIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    opinion = text_field(NOTE_MAX)
    days = serializers.IntegerField(
        min_value=1,
        max_value=MAX_REPORT_DAYS,
        required=False,
        allow_null=True,
        default=None,
        help_text="补充调查或直接调查的期限（日）",
    )
    hearing_at = optional_datetime("听证时间（hearing）")
    hearing_record = optional_text(help_text="听证情况（hearing）")


class DualcheckClueDispositionIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DispositionKind.choices)
    detail = text_field(NOTE_MAX)
    target_court = serializers.CharField(max_length=CODE_MAX, required=False, allow_null=True, default=None)
    due_date = DateField(required=False, allow_null=True, default=None)
    supervision_order = id_field(required=False, allow_null=True, default=None)
    officer = id_field(required=False, allow_null=True, default=None, help_text="disciplinary：涉及干警编号")
    referred_to = optional_text(200, help_text="disciplinary：移送机关")


class DualcheckClueConcludeIn(serializers.Serializer):
    finding = serializers.ChoiceField(choices=ConclusionFinding.choices)
    summary = text_field()
    participants = ids_field()
    minutes = text_field()
    dispositions = DualcheckClueDispositionIn(many=True, required=False, default=list, max_length=MAX_ITEMS)
    held_at = optional_datetime("会议召开时间；省略时为现在")


class DualcheckClueFeedbackIn(serializers.Serializer):
    method = serializers.ChoiceField(choices=FeedbackMethod.choices)
    content = text_field(NOTE_MAX)


class DualcheckClueClarifyIn(serializers.Serializer):
    scope = text_field(500)
    content = text_field(NOTE_MAX)


class DualcheckClueCloseIn(serializers.Serializer):
    note = optional_text(NOTE_MAX)


# --- lookups -----------------------------------------------------------------------------


def valid(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def require_named_person(user: User) -> None:
    """A machine client may register and read, but every step of the procedure is
    taken by a named person of the court (API.md: approvals need a named person)."""
    roles = user_roles(user)
    if Role.API_CLIENT in roles and not roles - {Role.API_CLIENT}:
        raise PermissionDenied(
            _("一案双查的筛选、审核、会议、调查、审查和结论须由具名的法院工作人员办理，接口客户端不能办理。"),
            code="named_person_required",
        )


def court_of(code: str | None, field: str) -> Court | None:
    if code is None or not code.strip():
        return None
    court = Court.objects.filter(code=code.strip(), is_active=True).first()
    if court is None:
        raise ValidationFailed.for_field(field, _("法院 %(c)s 不存在。") % {"c": code})
    return court


def users_of(ids: list[int], field: str) -> list[User]:
    found = User.objects.in_bulk(ids)
    for i, pk in enumerate(ids):
        if pk not in found or not found[pk].is_active:
            raise ValidationFailed.for_field(f"{field}[{i}]", _("人员 %(id)s 不存在。") % {"id": pk})
    return [found[pk] for pk in ids]


def cases_of(ids: list[int]) -> list[Case]:
    """The cases by id; visibility is the service's to check (same message, so
    whether an invisible case exists does not leak)."""
    found = Case.objects.in_bulk(ids)
    if any(pk not in found for pk in ids):
        raise ValidationFailed.for_field("cases", _("案件不存在或不在您的可见范围内。"))
    return [found[pk] for pk in ids]
