"""REST: the investigation (双查规定 §5–§8) — the joint team, its work, the report
(draft and submission) and the upper court's review. One POST view per step, each
answering with the clue's detail (``dualcheck.api.detail``)."""

from django.urls import path
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.models import Department
from dualcheck.api.common import (
    MAX_ITEMS,
    choice_text,
    id_field,
    optional_datetime,
    optional_text,
    text_field,
    users_of,
)
from dualcheck.api.detail import ClueAnswerApi, step_answer, step_begin, step_schema
from dualcheck.models import OfficerFindingResult, ReviewDecision, ScopeItem, TeamMethod
from dualcheck.services import investigation as s_inv
from dualcheck.services.common import MAX_REPORT_DAYS, NOTE_MAX, TEXT_MAX

REPORT_PARTS = ("process", "facts", "analysis", "opinion", "officer_conduct", "officer_findings")


def _report_parts(v: dict) -> dict:
    """The parts sent (an omitted or null part keeps the draft's text)."""
    parts = {key: v.get(key) for key in REPORT_PARTS}
    if parts["officer_findings"] is not None:
        parts["officer_findings"] = [dict(row) for row in parts["officer_findings"]]
    return parts


class DualcheckClueTeamMemberIn(serializers.Serializer):
    user = id_field()
    department = serializers.ChoiceField(choices=[Department.EXECUTION, Department.SUPERVISION])
    is_leader = serializers.BooleanField(required=False, default=False)


class DualcheckClueFormTeamIn(serializers.Serializer):
    members = DualcheckClueTeamMemberIn(many=True, max_length=MAX_ITEMS)


class DualcheckClueFormTeamApi(ClueAnswerApi):
    @step_schema("form_team", DualcheckClueFormTeamIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """组成联合调查组：执行机构和监察机构各至少一人（第五条）。"""
        clue, v = step_begin(request, clue_id, DualcheckClueFormTeamIn)
        members = [
            {
                "user": users_of([row["user"]], f"members[{i}].user")[0],
                "department": row["department"],
                "is_leader": row["is_leader"],
            }
            for i, row in enumerate(v["members"])
        ]
        s_inv.team_form(actor=request.user, clue=clue, members=members)
        return step_answer(request, clue)


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


class DualcheckClueRecordWorkApi(ClueAnswerApi):
    @step_schema("record_work", DualcheckClueRecordWorkIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """记录调查方式（第六条）和检查范围（第七条）；省略的项不变。"""
        clue, v = step_begin(request, clue_id, DualcheckClueRecordWorkIn)
        s_inv.team_record_work(
            actor=request.user,
            clue=clue,
            methods=v.get("methods"),
            scope=v.get("scope"),
            notes=v.get("notes"),
        )
        return step_answer(request, clue)


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


class DualcheckClueReportApi(ClueAnswerApi):
    @step_schema("report", DualcheckClueReportIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """保存调查报告草稿：任何部分都可以暂缺。"""
        clue, v = step_begin(request, clue_id, DualcheckClueReportIn)
        s_inv.report_save(actor=request.user, clue=clue, **_report_parts(v))
        return step_answer(request, clue)


class DualcheckClueSubmitReportApi(ClueAnswerApi):
    @step_schema("submit_report", DualcheckClueReportIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """上报调查报告（第八条）：调查经过、查明事实、问题分析、处理意见缺一不可（400
        report_incomplete，extra.fields 逐项列出）。"""
        clue, v = step_begin(request, clue_id, DualcheckClueReportIn)
        s_inv.report_submit(actor=request.user, clue=clue, **_report_parts(v))
        return step_answer(request, clue)


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


class DualcheckClueReviewApi(ClueAnswerApi):
    @step_schema("review", DualcheckClueReviewIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """审查调查报告（第八条）：采纳、补充调查、直接调查或听证。"""
        clue, v = step_begin(request, clue_id, DualcheckClueReviewIn)
        s_inv.clue_review(
            actor=request.user,
            clue=clue,
            decision=v["decision"],
            opinion=v["opinion"],
            days=v["days"],
            hearing_at=v["hearing_at"],
            hearing_record=v["hearing_record"],
        )
        return step_answer(request, clue)


urlpatterns = [
    path(
        "dualcheck/clues/<int:clue_id>/form-team/",
        DualcheckClueFormTeamApi.as_view(),
        name="api-dualcheck-clue-form-team",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/record-work/",
        DualcheckClueRecordWorkApi.as_view(),
        name="api-dualcheck-clue-record-work",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/report/",
        DualcheckClueReportApi.as_view(),
        name="api-dualcheck-clue-report",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/submit-report/",
        DualcheckClueSubmitReportApi.as_view(),
        name="api-dualcheck-clue-submit-report",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/review/",
        DualcheckClueReviewApi.as_view(),
        name="api-dualcheck-clue-review",
    ),
]
