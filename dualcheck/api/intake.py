"""REST: the steps of 一案双查 from clue to referral (双查规定 §4–§5) — screening,
approval, the joint meeting's decision, the referral — and the supplementary record
of the officers concerned (confidential). One POST view per step
(``/api/v1/dualcheck/clues/{id}/<step>/``), each answering with the clue's detail
(``dualcheck.api.detail``)."""

from django.urls import path
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from dualcheck.api.clues import DualcheckClueOfficerIn
from dualcheck.api.common import (
    CODE_MAX,
    MAX_ITEMS,
    court_of,
    ids_field,
    optional_datetime,
    text_field,
    users_of,
)
from dualcheck.api.detail import ClueAnswerApi, step_answer, step_begin, step_schema
from dualcheck.models import ReferralMode
from dualcheck.services import clues as s_clues
from dualcheck.services.common import MAX_REPORT_DAYS, NOTE_MAX, TEXT_MAX


class DualcheckClueScreenIn(serializers.Serializer):
    proceed = serializers.BooleanField(help_text="true 提请审核；false 筛除（不启动）")
    opinion = text_field(NOTE_MAX)


class DualcheckClueScreenApi(ClueAnswerApi):
    @step_schema("screen", DualcheckClueScreenIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """工作组筛选（第四条）。"""
        clue, v = step_begin(request, clue_id, DualcheckClueScreenIn)
        s_clues.clue_screen(actor=request.user, clue=clue, proceed=v["proceed"], opinion=v["opinion"])
        return step_answer(request, clue)


class DualcheckClueApproveIn(serializers.Serializer):
    approved = serializers.BooleanField(help_text="true 提交联席会议；false 不启动")
    opinion = text_field(NOTE_MAX)


class DualcheckClueApproveApi(ClueAnswerApi):
    @step_schema("approve", DualcheckClueApproveIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """执行机构负责人审核（第四条）；不能审核自己筛选的线索。"""
        clue, v = step_begin(request, clue_id, DualcheckClueApproveIn)
        s_clues.clue_approve(actor=request.user, clue=clue, approved=v["approved"], opinion=v["opinion"])
        return step_answer(request, clue)


class DualcheckClueDecideIn(serializers.Serializer):
    launch = serializers.BooleanField()
    participants = ids_field(help_text="参会人员（执行机构和监察机构各至少一人）")
    minutes = text_field()
    held_at = optional_datetime("会议召开时间；省略时为现在")


class DualcheckClueDecideApi(ClueAnswerApi):
    @step_schema("decide", DualcheckClueDecideIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """联席会议决定是否启动（第四条）。"""
        clue, v = step_begin(request, clue_id, DualcheckClueDecideIn)
        s_clues.clue_decide(
            actor=request.user,
            clue=clue,
            launch=v["launch"],
            participants=users_of(v["participants"], "participants"),
            minutes=v["minutes"],
            held_at=v["held_at"],
        )
        return step_answer(request, clue)


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


class DualcheckClueReferApi(ClueAnswerApi):
    @step_schema("refer", DualcheckClueReferIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """交办下级法院并限期报告，或直接调查（第五条）。"""
        clue, v = step_begin(request, clue_id, DualcheckClueReferIn)
        s_clues.clue_refer(
            actor=request.user,
            clue=clue,
            mode=v["mode"],
            report_days=v["report_days"],
            instructions=v["instructions"],
            target_court=court_of(v["target_court"], "target_court"),
        )
        return step_answer(request, clue)


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


class DualcheckClueRecordOfficersApi(ClueAnswerApi):
    @step_schema("record_officers", DualcheckClueRecordOfficersIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """补充登记涉及干警（涉密），由受理法院监察部门在形成结论前作出。"""
        clue, v = step_begin(request, clue_id, DualcheckClueRecordOfficersIn)
        officers = [
            {
                "name": row["name"],
                "court": court_of(row["court"], f"officers[{i}].court"),
                "user": users_of([row["user"]], f"officers[{i}].user")[0] if row["user"] else None,
                "position": row["position"],
            }
            for i, row in enumerate(v["officers"])
        ]
        s_clues.clue_record_officers(
            actor=request.user, clue=clue, officers=officers, officer_allegation=v["officer_allegation"]
        )
        return step_answer(request, clue)


urlpatterns = [
    path(
        "dualcheck/clues/<int:clue_id>/screen/",
        DualcheckClueScreenApi.as_view(),
        name="api-dualcheck-clue-screen",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/approve/",
        DualcheckClueApproveApi.as_view(),
        name="api-dualcheck-clue-approve",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/decide/",
        DualcheckClueDecideApi.as_view(),
        name="api-dualcheck-clue-decide",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/refer/",
        DualcheckClueReferApi.as_view(),
        name="api-dualcheck-clue-refer",
    ),
    path(
        "dualcheck/clues/<int:clue_id>/record-officers/",
        DualcheckClueRecordOfficersApi.as_view(),
        name="api-dualcheck-clue-record-officers",
    ),
]
