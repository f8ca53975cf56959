"""The HTTP answer carrying a generated document's file (REST and browser alike)."""

from urllib.parse import quote

from django.http import HttpRequest, HttpResponse

from documents import services
from documents.kinds import CONTENT_TYPES, SPECS
from documents.models import GeneratedDocument


def file_response(request: HttpRequest, document: GeneratedDocument) -> HttpResponse:
    """``document`` comes from ``selectors.document_get`` (scoped). A served original
    carries a whole ID number, so its download is recorded as a reveal."""
    response = HttpResponse(bytes(document.content), content_type=CONTENT_TYPES[document.format])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(document.filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    if SPECS[document.kind].served_original:
        services.document_reveal_record(
            actor=request.user,
            document=document,
            request=request,
            action="document-download",  # type: ignore[arg-type]
        )
    return response
