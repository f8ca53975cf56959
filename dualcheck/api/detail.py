"""REST: one 一案双查 clue — what the endpoints answer with, and the base of every
POST that answers with the clue's detail (the steps: ``dualcheck.api.intake``,
``.investigation``, ``.outcome``; registration: ``.clues``).

Two tiers, like the selectors: everything in ``DualcheckClueOut``/``DualcheckClueDetailOut`` is what
anyone who may see the clue may read; the officer-misconduct (干警) content is only
ever put into ``confidential``, and only after ``confidential_read`` said yes — which
is also what records the read (DESIGN 一案双查). A draft report is the team's work in
progress: only the active team sees it.

Every step does the same four things in the same order: the clue must be visible
(404), the caller must be a named person, not a machine client (403), the body must
be well-formed (400), then the service decides (403 role, 409 illegal step, 422
rule). Nothing is written before the service, and the service is atomic. A replay
(``Idempotency-Key``) passes the visibility and confidentiality gates again
(``ClueAnswerApi``).
"""

from django.db.models import prefetch_related_objects
from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.clocks import ClockOut
from core.api.idempotency import Replay
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import ApplicationError
from core.identity import mask_phone
from core.models import User
from dualcheck.api.common import NoStoreMixin, replay_gate, require_named_person, valid
from dualcheck.models import (
    CONFIDENTIAL_DISPOSITIONS,
    Clarification,
    Clue,
    Conclusion,
    Disposition,
    Feedback,
    OfficerFinding,
    ReportAttachment,
    ReportStatus,
)
from dualcheck.policy import clue_actions
from dualcheck.selectors import clue_get_detail, clue_get_visible, flagged_nodes, is_team_member
from dualcheck.services.outcome import confidential_read

# --- pieces -----------------------------------------------------------------------------


class DualcheckClueUserOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class DualcheckClueCaseOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    court = serializers.CharField(source="court.code")


class DualcheckClueMeetingParticipantOut(serializers.Serializer):
    user = DualcheckClueUserOut()
    department = serializers.CharField(help_text="execution（执行机构）| supervision（监察机构）")


class DualcheckClueMeetingOut(serializers.Serializer):
    id = serializers.IntegerField()
    purpose = serializers.CharField(help_text="launch（研究是否启动）| conclusion（会商形成检查结论）")
    purpose_label = serializers.CharField(source="get_purpose_display")
    held_at = serializers.DateTimeField()
    minutes = serializers.CharField()
    launch = serializers.BooleanField(allow_null=True, help_text="启动会议的决定；结论会议为 null")
    recorded_by = DualcheckClueUserOut()
    participants = DualcheckClueMeetingParticipantOut(many=True, source="participant_list")


class DualcheckClueReferralOut(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField(help_text="交办编号")
    mode = serializers.CharField(help_text="refer（交办下级法院）| direct（直接调查）")
    mode_label = serializers.CharField(source="get_mode_display")
    target_court = serializers.CharField(source="target_court.code")
    instructions = serializers.CharField()
    report_days = serializers.IntegerField()
    deadline = ClockOut(allow_null=True)
    referred_at = serializers.DateTimeField()


class DualcheckClueTeamMemberOut(serializers.Serializer):
    user = DualcheckClueUserOut()
    department = serializers.CharField(help_text="execution | supervision")
    is_leader = serializers.BooleanField()
    removed_at = serializers.DateTimeField(allow_null=True)


class DualcheckClueTeamOut(serializers.Serializer):
    id = serializers.IntegerField()
    court = serializers.CharField(source="court.code")
    formed_at = serializers.DateTimeField()
    dissolved_at = serializers.DateTimeField(allow_null=True, help_text="形成结论（或上级直接调查）时解散")
    active = serializers.SerializerMethodField()
    methods = serializers.ListField(child=serializers.CharField(), help_text="调查方式（第六条）")
    scope = serializers.ListField(child=serializers.CharField(), help_text="检查范围（第七条）")
    notes = serializers.CharField(source="work_notes")
    members = DualcheckClueTeamMemberOut(many=True, source="member_list")

    def get_active(self, obj) -> bool:
        return obj.dissolved_at is None


class DualcheckClueReportOut(serializers.Serializer):
    round = serializers.IntegerField()
    status = serializers.CharField(help_text="draft | submitted")
    status_label = serializers.CharField(source="get_status_display")
    process = serializers.CharField(help_text="调查经过")
    facts = serializers.CharField(help_text="查明事实")
    analysis = serializers.CharField(help_text="问题分析")
    opinion = serializers.CharField(help_text="处理意见")
    updated_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = DualcheckClueUserOut(allow_null=True)


class DualcheckClueReviewOut(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(source="report.round")
    decision = serializers.CharField(help_text="accept | supplement | direct | hearing")
    decision_label = serializers.CharField(source="get_decision_display")
    opinion = serializers.CharField()
    days = serializers.IntegerField(allow_null=True)
    hearing_at = serializers.DateTimeField(allow_null=True)
    hearing_record = serializers.CharField()
    reviewed_at = serializers.DateTimeField()
    reviewed_by = DualcheckClueUserOut()


class DualcheckClueDispositionOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(
        help_text="correction | deadline_order | notification | interview | evaluation"
        "（disciplinary 只在 confidential 中）"
    )
    kind_label = serializers.CharField(source="get_kind_display")
    detail = serializers.CharField()
    target_court = serializers.CharField(source="target_court.code", allow_null=True, default=None)
    due_date = serializers.DateField(allow_null=True)
    supervision_order = serializers.IntegerField(source="supervision_order_id", allow_null=True)


class DualcheckClueConclusionOut(serializers.Serializer):
    finding = serializers.CharField(help_text="substantiated | partly | unsubstantiated")
    finding_label = serializers.CharField(source="get_finding_display")
    summary = serializers.CharField()
    concluded_at = serializers.DateTimeField()
    concluded_by = DualcheckClueUserOut()
    meeting = serializers.IntegerField(source="meeting_id")
    dispositions = DualcheckClueDispositionOut(many=True, source="public_dispositions")


class DualcheckClueFeedbackOut(serializers.Serializer):
    lead = serializers.CharField(help_text="execution | supervision（第十条）")
    method = serializers.CharField(help_text="in_person | phone | letter")
    method_label = serializers.CharField(source="get_method_display")
    content = serializers.CharField()
    fed_back_at = serializers.DateTimeField()
    fed_back_by = DualcheckClueUserOut()


class DualcheckClueFlaggedNodeOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    case = serializers.IntegerField(source="case_id")
    case_number = serializers.CharField(source="case.case_number")
    occurred_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField()
    flags = serializers.ListField(child=serializers.CharField(), help_text="backdated | imported ...")
    actor = serializers.SerializerMethodField()

    def get_actor(self, obj) -> str | None:
        return str(obj.actor) if obj.actor_id else None


# --- confidential ------------------------------------------------------------------------


class DualcheckClueOfficerOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="处理(disciplinary)和查明情况引用的干警编号")
    name = serializers.CharField()
    court = serializers.CharField(source="court.code")
    user = serializers.IntegerField(source="user_id", allow_null=True)
    position = serializers.CharField()


class DualcheckClueOfficerFindingOut(serializers.Serializer):
    officer = serializers.IntegerField(source="officer_id")
    officer_name = serializers.CharField(source="officer.name")
    result = serializers.CharField(help_text="substantiated | partly | unsubstantiated")
    result_label = serializers.CharField(source="get_result_display")
    detail = serializers.CharField()


class DualcheckClueAttachmentOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    size = serializers.IntegerField()
    content_type = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class DualcheckClueConfidentialReportOut(serializers.Serializer):
    round = serializers.IntegerField()
    officer_conduct = serializers.CharField(help_text="干警履职情况")
    officer_findings = DualcheckClueOfficerFindingOut(many=True, source="confidential_findings")
    attachments = DualcheckClueAttachmentOut(many=True, source="confidential_attachments")


class DualcheckClueDisciplinaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="disciplinary")
    kind_label = serializers.CharField(source="get_kind_display")
    detail = serializers.CharField()
    officer = serializers.IntegerField(source="officer_id")
    officer_name = serializers.CharField(source="officer.name")
    referred_to = serializers.CharField()


class DualcheckClueClarificationOut(serializers.Serializer):
    scope = serializers.CharField()
    content = serializers.CharField()
    clarified_at = serializers.DateTimeField()
    clarified_by = DualcheckClueUserOut()


class DualcheckClueConfidentialOut(serializers.Serializer):
    officer_allegation = serializers.CharField(help_text="反映的干警违规违法违纪问题")
    officers = DualcheckClueOfficerOut(many=True)
    reports = DualcheckClueConfidentialReportOut(many=True)
    dispositions = DualcheckClueDisciplinaryOut(many=True)
    clarification = DualcheckClueClarificationOut(allow_null=True)


# --- the clue -----------------------------------------------------------------------------


class DualcheckClueOut(serializers.Serializer):
    """A clue as lists show it: never anything confidential."""

    id = serializers.IntegerField()
    number = serializers.CharField(help_text="线索编号，如 鲁01双查〔2026〕1号")
    court = serializers.CharField(source="court.code", help_text="受理法院")
    court_name = serializers.CharField(source="court.name")
    target_court = serializers.CharField(
        source="target_court.code", allow_null=True, default=None, help_text="调查法院（交办后）"
    )
    source = serializers.CharField(help_text="线索来源（第三条），如 letters_visits、inspection")
    source_label = serializers.CharField(source="get_source_display")
    summary = serializers.CharField(help_text="反映的执行问题")
    status = serializers.CharField(
        help_text="received | screened | pending_meeting | launched | referred | investigating | "
        "reported | accepted | concluded | fed_back | closed | not_launched"
    )
    status_label = serializers.CharField(source="get_status_display")
    is_open = serializers.BooleanField()
    round = serializers.IntegerField(help_text="调查轮次（补充调查每次加一）")
    received_at = serializers.DateTimeField()
    report_deadline = ClockOut(allow_null=True, help_text="正在计算的报告期限")
    cases = DualcheckClueCaseOut(many=True, source="case_list")


class DualcheckClueDetailOut(DualcheckClueOut):
    source_detail = serializers.CharField()
    complainant_name = serializers.CharField()
    complainant_phone = serializers.SerializerMethodField()
    registered_by = DualcheckClueUserOut()
    registered_department = serializers.CharField()
    screened_at = serializers.DateTimeField(allow_null=True)
    screened_by = DualcheckClueUserOut(allow_null=True)
    screening_opinion = serializers.CharField()
    approved_at = serializers.DateTimeField(allow_null=True)
    approved_by = DualcheckClueUserOut(allow_null=True)
    approval_opinion = serializers.CharField()
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_by = DualcheckClueUserOut(allow_null=True)
    close_reason = serializers.CharField(help_text="未启动的理由或办结说明")
    petition = serializers.IntegerField(source="petition_id", allow_null=True)
    alert = serializers.IntegerField(source="alert_id", allow_null=True)
    meetings = DualcheckClueMeetingOut(many=True, source="meetings.all")
    referrals = DualcheckClueReferralOut(many=True, source="referrals.all")
    team = DualcheckClueTeamOut(
        allow_null=True, source="current_team", help_text="当前（或最后）的联合调查组"
    )
    teams = DualcheckClueTeamOut(many=True, source="teams.all")
    reports = DualcheckClueReportOut(many=True, source="visible_reports")
    reviews = DualcheckClueReviewOut(many=True, source="reviews.all")
    conclusion = DualcheckClueConclusionOut(allow_null=True, source="conclusion_or_none")
    feedback = DualcheckClueFeedbackOut(allow_null=True, source="feedback_or_none")
    flagged_nodes = DualcheckClueFlaggedNodeOut(
        many=True, help_text="系统检查（第六条）：所涉案件被标记的节点"
    )
    allowed_actions = serializers.ListField(child=serializers.CharField(), help_text="您现在可以执行的操作")
    confidential = DualcheckClueConfidentialOut(
        allow_null=True, help_text="干警问题等涉密内容；无权查阅时为 null。每次读取均被记录"
    )

    @extend_schema_field(serializers.CharField())
    def get_complainant_phone(self, obj: Clue) -> str:
        return mask_phone(obj.complainant_phone) if obj.complainant_phone else ""


# --- building ------------------------------------------------------------------------------


def attach_case_lists(clues) -> None:
    """``case_list`` from the prefetched ``case_links__case__court``."""
    for clue in clues:
        clue.case_list = [link.case for link in clue.case_links.all()]


def _one_to_one(clue: Clue, name: str, model):
    try:
        return getattr(clue, name)
    except model.DoesNotExist:
        return None


def clue_detail_data(user: User, clue_id: int) -> dict:
    """The detail of a clue for ``user`` (404 outside their scope). The confidential
    block is filled only when ``confidential_read`` allows it (and records it)."""
    clue = clue_get_detail(user, clue_id)
    prefetch_related_objects(
        [clue],
        "report_deadline__rule",
        "referrals__deadline__rule",
        "meetings__recorded_by",
        "reviews__report",
    )
    attach_case_lists([clue])
    for meeting in clue.meetings.all():
        meeting.participant_list = sorted(meeting.participants.all(), key=lambda p: p.pk)
    teams = list(clue.teams.all())
    for team in teams:
        team.member_list = sorted(team.members.all(), key=lambda m: m.pk)
    clue.current_team = next((t for t in teams if t.dissolved_at is None), teams[-1] if teams else None)
    in_team = is_team_member(user, clue)
    reports = [r for r in clue.reports.all() if r.status == ReportStatus.SUBMITTED or in_team]
    clue.visible_reports = reports
    conclusion = _one_to_one(clue, "conclusion", Conclusion)
    dispositions: list[Disposition] = []
    if conclusion is not None:
        dispositions = list(conclusion.dispositions.select_related("target_court", "officer"))
        conclusion.public_dispositions = [d for d in dispositions if d.kind not in CONFIDENTIAL_DISPOSITIONS]
    clue.conclusion_or_none = conclusion
    clue.feedback_or_none = _one_to_one(clue, "feedback", Feedback)
    clue.flagged_nodes = list(flagged_nodes(clue))
    clue.allowed_actions = clue_actions(user, clue)
    clue.confidential = None
    if confidential_read(user=user, clue=clue, what="detail", via="api"):
        clue.confidential = _confidential(clue, reports, dispositions)
    return DualcheckClueDetailOut(clue).data


def _confidential(clue: Clue, reports, dispositions) -> dict:
    ids = [r.pk for r in reports]
    findings = (
        OfficerFinding.objects.filter(report_id__in=ids).select_related("officer").order_by("officer_id")
    )
    attachments = ReportAttachment.objects.filter(report_id__in=ids).defer("data")
    for report in reports:
        report.confidential_findings = [f for f in findings if f.report_id == report.pk]
        report.confidential_attachments = [a for a in attachments if a.report_id == report.pk]
    clarification = Clarification.objects.filter(clue=clue).select_related("clarified_by").first()
    return {
        "officer_allegation": clue.officer_allegation,
        "officers": list(clue.officers.select_related("court").order_by("id")),
        "reports": reports,
        "dispositions": [d for d in dispositions if d.kind in CONFIDENTIAL_DISPOSITIONS],
        "clarification": clarification,
    }


class ClueAnswerApi(NoStoreMixin, ApiView):
    """The base of every POST that answers with a clue's detail."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, Replay):
            try:
                exc.record.response_body = replay_gate(self.request.user, exc.record.response_body)
            except ApplicationError as refused:
                return super().handle_exception(refused)
        return super().handle_exception(exc)


# --- the steps' plumbing ---------------------------------------------------------------------


def step_begin(request: Request, clue_id: int, input_class) -> tuple[Clue, dict]:
    clue = clue_get_visible(request.user, clue_id)
    require_named_person(request.user)
    return clue, valid(input_class, request.data)


def step_answer(request: Request, clue: Clue) -> Response:
    return Response(clue_detail_data(request.user, clue.pk))


def step_schema(name: str, request_class):
    return extend_schema(
        operation_id=f"dualcheck_clues_{name}",
        request=request_class,
        responses={200: DualcheckClueDetailOut, **WRITE_ERROR_RESPONSES},
    )


class DualcheckClueDetailApi(NoStoreMixin, ApiView):
    @extend_schema(
        operation_id="dualcheck_clues_retrieve", responses={200: DualcheckClueDetailOut, **ERROR_RESPONSES}
    )
    def get(self, request: Request, clue_id: int) -> Response:
        return Response(clue_detail_data(request.user, clue_id))


urlpatterns = [
    path(
        "dualcheck/clues/<int:clue_id>/", DualcheckClueDetailApi.as_view(), name="api-dualcheck-clue-detail"
    ),
]
