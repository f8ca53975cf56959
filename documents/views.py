"""Browser: generating a case's document from the case page's 文书 section, and
downloading one. The section itself is ``templates/documents/_case_documents.html``
(filled by ``documents.templatetags.documents``)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.exceptions import ApplicationError, NotFound
from documents import selectors, services
from documents.files import file_response


def _back(case_id: int) -> HttpResponse:
    return redirect(reverse("enforcement:case-detail", kwargs={"case_id": case_id}) + "#documents")


@require_POST
@perm_required("core.use_browser")
def document_generate(request: HttpRequest, case_id: int) -> HttpResponse:
    """生成 Word / PDF: back to the case page with the new document's number, or with the
    reason it could not be generated (who may not, what the case lacks)."""
    try:
        case = selectors.case_for_documents(request.user, case_id)
    except NotFound:
        raise Http404 from None
    subject = request.POST.get("subject") or None
    try:
        document = services.document_generate(
            actor=request.user,
            case=case,
            kind=request.POST.get("kind", ""),
            fmt=request.POST.get("format", ""),
            subject_id=int(subject) if subject and subject.isdigit() else None,
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return _back(case.pk)
    messages.success(
        request,
        _("已生成%(kind)s，文书编号 %(number)s。")
        % {"kind": document.get_kind_display(), "number": document.number},
    )
    return _back(case.pk)


@require_GET
@perm_required("core.use_browser")
def document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    try:
        document = selectors.document_get(request.user, document_id)
    except NotFound:
        raise Http404 from None
    return file_response(request, document)
