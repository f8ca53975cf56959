"""REST: conclusion, feedback, clarification and closure (双查规定 §9–§11). One POST
view per step, each answering with the clue's detail (``dualcheck.api.detail``)."""

from django.urls import path
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.fields import DateField
from dualcheck.api.common import (
    CODE_MAX,
    MAX_ITEMS,
    court_of,
    id_field,
    ids_field,
    optional_datetime,
    optional_text,
    text_field,
    users_of,
)
from dualcheck.api.detail import ClueAnswerApi, step_answer, step_begin, step_schema
from dualcheck.models import ConclusionFinding, DispositionKind, FeedbackMethod
from dualcheck.services import outcome as s_out
from dualcheck.services.common import NOTE_MAX


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


class DualcheckClueConcludeApi(ClueAnswerApi):
    @step_schema("conclude", DualcheckClueConcludeIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """联席会议形成检查结论及处理（第九条）；联合调查组随之解散。"""
        clue, v = step_begin(request, clue_id, DualcheckClueConcludeIn)
        dispositions = [
            {
                **row,
                "target_court": court_of(row["target_court"], f"dispositions[{i}].target_court"),
            }
            for i, row in enumerate(v["dispositions"])
        ]
        s_out.clue_conclude(
            actor=request.user,
            clue=clue,
            finding=v["finding"],
            summary=v["summary"],
            participants=users_of(v["participants"], "participants"),
            minutes=v["minutes"],
            dispositions=dispositions,
            held_at=v["held_at"],
        )
        return step_answer(request, clue)


class DualcheckClueFeedbackIn(serializers.Serializer):
    method = serializers.ChoiceField(choices=FeedbackMethod.choices)
    content = text_field(NOTE_MAX)


class DualcheckClueFeedbackApi(ClueAnswerApi):
    @step_schema("feedback", DualcheckClueFeedbackIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """向反映人反馈（第十条），由牵头部门办理。"""
        clue, v = step_begin(request, clue_id, DualcheckClueFeedbackIn)
        s_out.clue_feedback(actor=request.user, clue=clue, method=v["method"], content=v["content"])
        return step_answer(request, clue)


class DualcheckClueClarifyIn(serializers.Serializer):
    scope = text_field(500)
    content = text_field(NOTE_MAX)


class DualcheckClueClarifyApi(ClueAnswerApi):
    @step_schema("clarify", DualcheckClueClarifyIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """澄清（第十一条）：反映干警问题不实的，由监察部门作出。"""
        clue, v = step_begin(request, clue_id, DualcheckClueClarifyIn)
        s_out.clue_clarify(actor=request.user, clue=clue, scope=v["scope"], content=v["content"])
        return step_answer(request, clue)


class DualcheckClueCloseIn(serializers.Serializer):
    note = optional_text(NOTE_MAX)


class DualcheckClueCloseApi(ClueAnswerApi):
    @step_schema("close", DualcheckClueCloseIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """办结：已反馈（有反映人时）并已澄清（需要时），否则 422 closure_conditions_unmet。"""
        clue, v = step_begin(request, clue_id, DualcheckClueCloseIn)
        s_out.clue_close(actor=request.user, clue=clue, note=v["note"])
        return step_answer(request, clue)


urlpatterns = [
    path(
        "dualcheck/clues/<int:clue_id>/conclude/",
        DualcheckClueConcludeApi.as_view(),
        name="api-dualcheck-clue-conclude",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/feedback/",
        DualcheckClueFeedbackApi.as_view(),
        name="api-dualcheck-clue-feedback",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/clarify/",
        DualcheckClueClarifyApi.as_view(),
        name="api-dualcheck-clue-clarify",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/close/",
        DualcheckClueCloseApi.as_view(),
        name="api-dualcheck-clue-close",
    ),
]
