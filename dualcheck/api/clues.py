"""REST: 一案双查 clues (双查规定) — the list, registration (also one click from a
petition or an alert), the detail and the report attachments. The steps are in
``dualcheck.api.actions``.

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
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from core.exceptions import NotFound, ValidationFailed
from dualcheck.api.inputs import (
    DualcheckClueFilterIn,
    DualcheckClueFromAlertIn,
    DualcheckClueFromPetitionIn,
    DualcheckClueRegisterIn,
    cases_of,
    court_of,
    users_of,
    valid,
)
from dualcheck.api.output import (
    ClueAnswerApi,
    DualcheckClueDetailOut,
    DualcheckClueOut,
    NoStoreMixin,
    attach_case_lists,
    clue_detail_data,
)
from dualcheck.models import (
    OPEN_STATUSES,
    ClueCase,
    ClueOfficer,
    ReportAttachment,
    ReportStatus,
)
from dualcheck.selectors import (
    clue_get_visible,
    clues_visible_to,
    confidential_q,
    handling_courts,
    is_team_member,
)
from dualcheck.services import clues as services
from dualcheck.services.investigation import ATTACHMENT_TYPES
from dualcheck.services.outcome import confidential_read, confidential_reads_record

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


class DualcheckClueDetailApi(NoStoreMixin, ApiView):
    @extend_schema(
        operation_id="dualcheck_clues_retrieve", responses={200: DualcheckClueDetailOut, **ERROR_RESPONSES}
    )
    def get(self, request: Request, clue_id: int) -> Response:
        return Response(clue_detail_data(request.user, clue_id))


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
        "dualcheck/clues/<int:clue_id>/", DualcheckClueDetailApi.as_view(), name="api-dualcheck-clue-detail"
    ),
    path(
        "dualcheck/attachments/<int:attachment_id>/",
        DualcheckClueAttachmentApi.as_view(),
        name="api-dualcheck-attachment",
    ),
]
