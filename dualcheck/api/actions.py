"""REST: the steps of 一案双查 — one POST view per step
(``/api/v1/dualcheck/clues/{id}/<step>/``), each answering with the clue's detail.

Every view does the same four things in the same order: the clue must be visible
(404), the caller must be a named person, not a machine client (403), the body must
be well-formed (400), then the service decides (403 role, 409 illegal step, 422
rule). Nothing is written before the service, and the service is atomic. A replay
(``Idempotency-Key``) passes the visibility and confidentiality gates again
(``output.ClueAnswerApi``).
"""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.schema import WRITE_ERROR_RESPONSES
from dualcheck.api.inputs import (
    DualcheckClueApproveIn,
    DualcheckClueClarifyIn,
    DualcheckClueCloseIn,
    DualcheckClueConcludeIn,
    DualcheckClueDecideIn,
    DualcheckClueFeedbackIn,
    DualcheckClueFormTeamIn,
    DualcheckClueRecordOfficersIn,
    DualcheckClueRecordWorkIn,
    DualcheckClueReferIn,
    DualcheckClueReportIn,
    DualcheckClueReviewIn,
    DualcheckClueScreenIn,
    court_of,
    require_named_person,
    users_of,
    valid,
)
from dualcheck.api.output import ClueAnswerApi, DualcheckClueDetailOut, clue_detail_data
from dualcheck.models import Clue
from dualcheck.selectors import clue_get_visible
from dualcheck.services import clues as s_clues
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out

REPORT_PARTS = ("process", "facts", "analysis", "opinion", "officer_conduct", "officer_findings")


def _begin(request: Request, clue_id: int, input_class) -> tuple[Clue, dict]:
    clue = clue_get_visible(request.user, clue_id)
    require_named_person(request.user)
    return clue, valid(input_class, request.data)


def _done(request: Request, clue: Clue) -> Response:
    return Response(clue_detail_data(request.user, clue.pk))


def _schema(name: str, request_class):
    return extend_schema(
        operation_id=f"dualcheck_clues_{name}",
        request=request_class,
        responses={200: DualcheckClueDetailOut, **WRITE_ERROR_RESPONSES},
    )


def _report_parts(v: dict) -> dict:
    """The parts sent (an omitted or null part keeps the draft's text)."""
    parts = {key: v.get(key) for key in REPORT_PARTS}
    if parts["officer_findings"] is not None:
        parts["officer_findings"] = [dict(row) for row in parts["officer_findings"]]
    return parts


class DualcheckClueScreenApi(ClueAnswerApi):
    @_schema("screen", DualcheckClueScreenIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """工作组筛选（第四条）。"""
        clue, v = _begin(request, clue_id, DualcheckClueScreenIn)
        s_clues.clue_screen(actor=request.user, clue=clue, proceed=v["proceed"], opinion=v["opinion"])
        return _done(request, clue)


class DualcheckClueApproveApi(ClueAnswerApi):
    @_schema("approve", DualcheckClueApproveIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """执行机构负责人审核（第四条）；不能审核自己筛选的线索。"""
        clue, v = _begin(request, clue_id, DualcheckClueApproveIn)
        s_clues.clue_approve(actor=request.user, clue=clue, approved=v["approved"], opinion=v["opinion"])
        return _done(request, clue)


class DualcheckClueDecideApi(ClueAnswerApi):
    @_schema("decide", DualcheckClueDecideIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """联席会议决定是否启动（第四条）。"""
        clue, v = _begin(request, clue_id, DualcheckClueDecideIn)
        s_clues.clue_decide(
            actor=request.user,
            clue=clue,
            launch=v["launch"],
            participants=users_of(v["participants"], "participants"),
            minutes=v["minutes"],
            held_at=v["held_at"],
        )
        return _done(request, clue)


class DualcheckClueReferApi(ClueAnswerApi):
    @_schema("refer", DualcheckClueReferIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """交办下级法院并限期报告，或直接调查（第五条）。"""
        clue, v = _begin(request, clue_id, DualcheckClueReferIn)
        s_clues.clue_refer(
            actor=request.user,
            clue=clue,
            mode=v["mode"],
            report_days=v["report_days"],
            instructions=v["instructions"],
            target_court=court_of(v["target_court"], "target_court"),
        )
        return _done(request, clue)


class DualcheckClueFormTeamApi(ClueAnswerApi):
    @_schema("form_team", DualcheckClueFormTeamIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """组成联合调查组：执行机构和监察机构各至少一人（第五条）。"""
        clue, v = _begin(request, clue_id, DualcheckClueFormTeamIn)
        members = [
            {
                "user": users_of([row["user"]], f"members[{i}].user")[0],
                "department": row["department"],
                "is_leader": row["is_leader"],
            }
            for i, row in enumerate(v["members"])
        ]
        s_inv.team_form(actor=request.user, clue=clue, members=members)
        return _done(request, clue)


class DualcheckClueRecordWorkApi(ClueAnswerApi):
    @_schema("record_work", DualcheckClueRecordWorkIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """记录调查方式（第六条）和检查范围（第七条）；省略的项不变。"""
        clue, v = _begin(request, clue_id, DualcheckClueRecordWorkIn)
        s_inv.team_record_work(
            actor=request.user,
            clue=clue,
            methods=v.get("methods"),
            scope=v.get("scope"),
            notes=v.get("notes"),
        )
        return _done(request, clue)


class DualcheckClueReportApi(ClueAnswerApi):
    @_schema("report", DualcheckClueReportIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """保存调查报告草稿：任何部分都可以暂缺。"""
        clue, v = _begin(request, clue_id, DualcheckClueReportIn)
        s_inv.report_save(actor=request.user, clue=clue, **_report_parts(v))
        return _done(request, clue)


class DualcheckClueSubmitReportApi(ClueAnswerApi):
    @_schema("submit_report", DualcheckClueReportIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """上报调查报告（第八条）：调查经过、查明事实、问题分析、处理意见缺一不可（400
        report_incomplete，extra.fields 逐项列出）。"""
        clue, v = _begin(request, clue_id, DualcheckClueReportIn)
        s_inv.report_submit(actor=request.user, clue=clue, **_report_parts(v))
        return _done(request, clue)


class DualcheckClueReviewApi(ClueAnswerApi):
    @_schema("review", DualcheckClueReviewIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """审查调查报告（第八条）：采纳、补充调查、直接调查或听证。"""
        clue, v = _begin(request, clue_id, DualcheckClueReviewIn)
        s_inv.clue_review(
            actor=request.user,
            clue=clue,
            decision=v["decision"],
            opinion=v["opinion"],
            days=v["days"],
            hearing_at=v["hearing_at"],
            hearing_record=v["hearing_record"],
        )
        return _done(request, clue)


class DualcheckClueConcludeApi(ClueAnswerApi):
    @_schema("conclude", DualcheckClueConcludeIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """联席会议形成检查结论及处理（第九条）；联合调查组随之解散。"""
        clue, v = _begin(request, clue_id, DualcheckClueConcludeIn)
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
        return _done(request, clue)


class DualcheckClueFeedbackApi(ClueAnswerApi):
    @_schema("feedback", DualcheckClueFeedbackIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """向反映人反馈（第十条），由牵头部门办理。"""
        clue, v = _begin(request, clue_id, DualcheckClueFeedbackIn)
        s_out.clue_feedback(actor=request.user, clue=clue, method=v["method"], content=v["content"])
        return _done(request, clue)


class DualcheckClueClarifyApi(ClueAnswerApi):
    @_schema("clarify", DualcheckClueClarifyIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """澄清（第十一条）：反映干警问题不实的，由监察部门作出。"""
        clue, v = _begin(request, clue_id, DualcheckClueClarifyIn)
        s_out.clue_clarify(actor=request.user, clue=clue, scope=v["scope"], content=v["content"])
        return _done(request, clue)


class DualcheckClueRecordOfficersApi(ClueAnswerApi):
    @_schema("record_officers", DualcheckClueRecordOfficersIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """补充登记涉及干警（涉密），由受理法院监察部门在形成结论前作出。"""
        clue, v = _begin(request, clue_id, DualcheckClueRecordOfficersIn)
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
        return _done(request, clue)


class DualcheckClueCloseApi(ClueAnswerApi):
    @_schema("close", DualcheckClueCloseIn)
    def post(self, request: Request, clue_id: int) -> Response:
        """办结：已反馈（有反映人时）并已澄清（需要时），否则 422 closure_conditions_unmet。"""
        clue, v = _begin(request, clue_id, DualcheckClueCloseIn)
        s_out.clue_close(actor=request.user, clue=clue, note=v["note"])
        return _done(request, clue)


ACTIONS = {
    "screen": DualcheckClueScreenApi,
    "approve": DualcheckClueApproveApi,
    "decide": DualcheckClueDecideApi,
    "refer": DualcheckClueReferApi,
    "form-team": DualcheckClueFormTeamApi,
    "record-work": DualcheckClueRecordWorkApi,
    "record-officers": DualcheckClueRecordOfficersApi,
    "report": DualcheckClueReportApi,
    "submit-report": DualcheckClueSubmitReportApi,
    "review": DualcheckClueReviewApi,
    "conclude": DualcheckClueConcludeApi,
    "feedback": DualcheckClueFeedbackApi,
    "clarify": DualcheckClueClarifyApi,
    "close": DualcheckClueCloseApi,
}

urlpatterns = [
    path(f"dualcheck/clues/<int:clue_id>/{slug}/", view.as_view(), name=f"api-dualcheck-clue-{slug}")
    for slug, view in ACTIONS.items()
]
