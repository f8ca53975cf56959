"""REST: 一案双查 clues (双查规定) — the list, registration (also one click from a
petition or an alert), the detail and the report attachments. The steps are in
``dualcheck.api.intake``, ``.investigation`` and ``.outcome``.

Scope is the selectors': a clue outside the caller's courts, or one that concerns
the caller as an officer, is 404. Officer-misconduct content leaves the server
only through ``confidential_read`` (which records the read); lists never carry it.
"""

from urllib.parse import quote

from django.db.models import Exists, OuterRef, Q
from django.http import HttpResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import NotFound, ValidationFailed
from dualcheck.api.common import (
    CODE_MAX,
    MAX_ITEMS,
    cases_of,
    court_of,
    id_field,
    ids_field,
    optional_datetime,
    optional_text,
    text_field,
    users_of,
    valid,
)
from dualcheck.api.detail import (
    ClueAnswerApi,
    DualcheckClueDetailOut,
    DualcheckClueOut,
    attach_case_lists,
    clue_detail_data,
)
from dualcheck.models import (
    OPEN_STATUSES,
    ClueCase,
    ClueOfficer,
    ClueSource,
    ClueStatus,
    ReportAttachment,
    ReportStatus,
)
from dualcheck.policy import handling_courts
from dualcheck.selectors import (
    clue_get_visible,
    clues_visible_to,
    confidential_q,
    is_team_member,
)
from dualcheck.services import clues as services
from dualcheck.services.investigation import ATTACHMENT_TYPES
from dualcheck.services.outcome import confidential_read, confidential_reads_record

ORDERINGS = ("received_at", "-received_at", "number", "-number", "status", "-status")


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


class DualcheckClueFromPetitionIn(serializers.Serializer):
    petition = id_field(help_text="已标记“转一案双查线索”的信访件")


class DualcheckClueFromAlertIn(serializers.Serializer):
    alert = id_field(help_text="涉及案件的期限预警")


# ``ordering`` → the columns, all of them non-confidential.
ORDER_BY = {
    "received_at": ("received_at", "id"),
    "number": ("court__code", "year", "sequence"),
    "status": ("status", "received_at", "id"),
}


def _ordering(value: str) -> list[str]:
    columns = ORDER_BY[value.removeprefix("-")]
    return [f"-{c}" for c in columns] if value.startswith("-") else list(columns)


def _officer_match(value: str) -> Q:
    """An officer by system account id (digits) or by name."""
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return Q(user_id=int(value))
    return Q(name__icontains=value)


def _record_officer_search(user, clues) -> None:
    """Finding clues by officer tells which clues concern that officer, which is
    confidential: one read per clue shown (the page's rows were already limited to
    ``confidential_q``), in one statement so the list keeps a fixed query count."""
    confidential_reads_record(user=user, clues=clues, what="officer_search", via="api")


class DualcheckClueListCreateApi(ClueAnswerApi):
    pagination_class = DefaultPagination

    @extend_schema(
        operation_id="dualcheck_clues_list",
        parameters=[DualcheckClueFilterIn],
        responses={200: DualcheckClueOut(many=True), **ERROR_RESPONSES},
    )
    def get(self, request: Request) -> Response:
        filters = valid(DualcheckClueFilterIn, request.query_params)
        user = request.user
        qs = clues_visible_to(user).select_related("report_deadline__rule")
        if filters.get("status"):
            qs = qs.filter(status=filters["status"])
        if filters.get("source"):
            qs = qs.filter(source=filters["source"])
        if filters.get("court"):
            code = filters["court"].strip()
            qs = qs.filter(Q(court__code=code) | Q(target_court__code=code))
        if filters.get("case"):
            qs = qs.filter(Exists(ClueCase.objects.filter(clue=OuterRef("pk"), case_id=filters["case"])))
        if filters.get("open") is not None:
            qs = (
                qs.filter(status__in=OPEN_STATUSES)
                if filters["open"]
                else qs.exclude(status__in=OPEN_STATUSES)
            )
        officer = (filters.get("officer") or "").strip()
        if officer:
            # Only among the clues whose confidential content the user may read:
            # anyone else learns nothing from the filter (an empty list).
            officers = ClueOfficer.objects.filter(_officer_match(officer), clue=OuterRef("pk"))
            qs = qs.filter(confidential_q(user), Exists(officers))
        qs = qs.prefetch_related("case_links__case__court").order_by(*_ordering(filters["ordering"]))
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        attach_case_lists(page)
        if officer and page:
            _record_officer_search(user, page)
        return paginator.get_paginated_response(DualcheckClueOut(page, many=True).data)

    @extend_schema(
        operation_id="dualcheck_clues_create",
        request=DualcheckClueRegisterIn,
        responses={201: DualcheckClueDetailOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        v = valid(DualcheckClueRegisterIn, request.data)
        user = request.user
        court = court_of(v["court"], "court")
        if court is None:
            courts = handling_courts(user)
            if len(courts) != 1:
                raise ValidationFailed.for_field("court", _("请指定受理法院。"))
            court = courts[0]
        officers = []
        for i, row in enumerate(v.get("officers") or []):
            officers.append(
                {
                    "name": row["name"],
                    "court": court_of(row["court"], f"officers[{i}].court"),
                    "user": users_of([row["user"]], f"officers[{i}].user")[0] if row["user"] else None,
                    "position": row["position"],
                }
            )
        clue = services.clue_register(
            actor=user,
            court=court,
            source=v["source"],
            summary=v["summary"],
            officer_allegation=v["officer_allegation"],
            source_detail=v["source_detail"],
            complainant_name=v["complainant_name"],
            complainant_phone=v["complainant_phone"],
            received_at=v["received_at"],
            cases=cases_of(v["cases"]),
            officers=officers,
        )
        return Response(clue_detail_data(user, clue.pk), status=status.HTTP_201_CREATED)


class DualcheckClueFromPetitionApi(ClueAnswerApi):
    @extend_schema(
        operation_id="dualcheck_clues_from_petition",
        request=DualcheckClueFromPetitionIn,
        responses={201: DualcheckClueDetailOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        v = valid(DualcheckClueFromPetitionIn, request.data)
        clue = services.clue_register_from_petition(actor=request.user, petition_id=v["petition"])
        return Response(clue_detail_data(request.user, clue.pk), status=status.HTTP_201_CREATED)


class DualcheckClueFromAlertApi(ClueAnswerApi):
    @extend_schema(
        operation_id="dualcheck_clues_from_alert",
        request=DualcheckClueFromAlertIn,
        responses={201: DualcheckClueDetailOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request) -> Response:
        v = valid(DualcheckClueFromAlertIn, request.data)
        clue = services.clue_register_from_alert(actor=request.user, alert_id=v["alert"])
        return Response(clue_detail_data(request.user, clue.pk), status=status.HTTP_201_CREATED)


class DualcheckClueAttachmentApi(ApiView):
    """A report attachment: confidential, so the same door as the confidential
    block (and recorded); anyone else gets 404, as if it did not exist."""

    @extend_schema(
        operation_id="dualcheck_attachments_retrieve",
        # Served as the content type it was uploaded with (one of ATTACHMENT_TYPES).
        responses={
            **{(200, content_type): OpenApiTypes.BINARY for content_type in sorted(ATTACHMENT_TYPES)},
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: Request, attachment_id: int) -> HttpResponse:
        user = request.user
        attachment = (
            ReportAttachment.objects.select_related("report").defer("data").filter(pk=attachment_id).first()
        )
        if attachment is None:
            raise NotFound()
        clue = clue_get_visible(user, attachment.report.clue_id)
        if attachment.report.status != ReportStatus.SUBMITTED and not is_team_member(user, clue):
            raise NotFound()  # a draft's attachments are the team's until the report is submitted
        if not confidential_read(user=user, clue=clue, what="attachment", via="api"):
            raise NotFound()
        data = ReportAttachment.objects.filter(pk=attachment.pk).values_list("data", flat=True).get()
        response = HttpResponse(bytes(data), content_type=attachment.content_type)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(attachment.name)}"
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


urlpatterns = [
    path("dualcheck/clues/", DualcheckClueListCreateApi.as_view(), name="api-dualcheck-clues"),
    path(
        "dualcheck/clues/from-petition/",
        DualcheckClueFromPetitionApi.as_view(),
        name="api-dualcheck-clue-from-petition",
    ),
    path(
        "dualcheck/clues/from-alert/",
        DualcheckClueFromAlertApi.as_view(),
        name="api-dualcheck-clue-from-alert",
    ),
    path(
        "dualcheck/attachments/<int:attachment_id>/",
        DualcheckClueAttachmentApi.as_view(),
        name="api-dualcheck-attachment",
    ),
]
