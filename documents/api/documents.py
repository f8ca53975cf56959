"""REST: the documents of a case (文书自动生成, 322号 §12) — what the case can generate now,
what it has, generating one, and downloading its file."""

from django.http import HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.base import ApiView
from core.api.pagination import DefaultPagination
from core.api.schema import ERROR_RESPONSES, WRITE_ERROR_RESPONSES
from documents import policy, selectors, services
from documents.files import file_response
from documents.kinds import CONTENT_TYPES, DocumentFormat, DocumentKind
from documents.models import GeneratedDocument


def download_url(document: GeneratedDocument) -> str:
    return reverse("api-document-download", kwargs={"document_id": document.pk})


class DocumentOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    number = serializers.CharField()
    format = serializers.CharField()
    filename = serializers.CharField()
    template_version = serializers.CharField()
    generated_by = serializers.CharField()
    generated_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj: GeneratedDocument) -> str:
        return download_url(obj)


class KindOut(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()


class UnavailableKindOut(KindOut):
    missing = serializers.ListField(child=serializers.CharField())


class CaseDocumentsOut(serializers.Serializer):
    available = KindOut(many=True)
    unavailable = UnavailableKindOut(many=True)
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = DocumentOut(many=True)


def _label(kind: str) -> str:
    return str(DocumentKind(kind).label)


class CaseDocumentsApi(ApiView):
    # the page of generated documents sits beside the kinds (the schema names the whole shape)
    pagination_class = None

    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField()
        format = serializers.CharField()
        # the measure or disbursement the document is about; the newest one when left out
        subject = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)

    @extend_schema(operation_id="case_documents_list", responses={200: CaseDocumentsOut, **ERROR_RESPONSES})
    def get(self, request: Request, case_id: int) -> Response:
        case = selectors.case_for_documents(request.user, case_id)
        available, unavailable = policy.availability(policy.CaseRecords(case))
        paginator = DefaultPagination()
        page = paginator.paginate_queryset(selectors.documents_of_case(case), request, view=self)
        return Response(
            {
                "available": [{"kind": k, "label": _label(k)} for k in available],
                "unavailable": [{"kind": k, "label": _label(k), "missing": m} for k, m in unavailable],
                "count": paginator.page.paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": DocumentOut(page, many=True).data,
            }
        )

    @extend_schema(
        operation_id="case_documents_generate",
        request=InputSerializer,
        responses={201: DocumentOut, **WRITE_ERROR_RESPONSES},
    )
    def post(self, request: Request, case_id: int) -> Response:
        case = selectors.case_for_documents(request.user, case_id)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        document = services.document_generate(
            actor=request.user,
            case=case,
            kind=v["kind"],
            fmt=v["format"],
            subject_id=v["subject"],
            request=request,
        )
        return Response(DocumentOut(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadApi(ApiView):
    pagination_class = None

    @extend_schema(
        operation_id="documents_download",
        responses={
            (200, CONTENT_TYPES[DocumentFormat.DOCX]): OpenApiResponse(
                OpenApiTypes.BINARY, description="Word 文书（format 为 docx）"
            ),
            (200, CONTENT_TYPES[DocumentFormat.PDF]): OpenApiResponse(
                OpenApiTypes.BINARY, description="PDF 文书（format 为 pdf）"
            ),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request: Request, document_id: int) -> HttpResponse:
        document = selectors.document_get(request.user, document_id)
        return file_response(request, document)
