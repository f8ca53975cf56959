"""Browser side of ``core.exports``: start an export, watch its progress (htmx polls
the partial every second), download the file. Only the person who asked for an
export can see or download it."""

from urllib.parse import quote

from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.exceptions import ApplicationError, NotFound
from core.exports import XLSX, export_job_get, export_jobs_of, export_start
from core.models import ExportJob, ExportStatus
from core.web.htmx import is_partial, safe_next
from core.web.pages import call_service

# Form fields of the export button that are not filters.
_NOT_PARAMS = {"csrfmiddlewaretoken", "key", "next", "page"}


def _progress_context(job: ExportJob) -> dict:
    return {
        "job": job,
        "polling": not job.is_finished,
        "download_url": reverse("core:export-download", kwargs={"job_id": job.pk})
        if job.status == ExportStatus.DONE
        else "",
    }


@require_POST
@perm_required("core.use_browser")
def export_start_view(request):
    """The 导出 Excel button: queue the job, then show its progress (in place for
    htmx, on its own page otherwise)."""
    params = {k: v[-1] for k, v in request.POST.lists() if k not in _NOT_PARAMS and v}
    try:
        job = call_service(export_start, user=request.user, key=request.POST.get("key", ""), params=params)
    except ApplicationError as exc:
        if is_partial(request):
            return render(request, "core/_export_error.html", {"message": exc.message})
        messages.error(request, exc.message)
        return redirect(safe_next(request) or reverse("core:exports"))
    if is_partial(request):
        job = export_job_get(request.user, job.pk)
        response = render(request, "core/_export_progress.html", _progress_context(job))
        patch_vary_headers(response, ["HX-Request"])
        return response
    return redirect("core:export-detail", job_id=job.pk)


@require_GET
@perm_required("core.use_browser")
def export_detail(request, job_id):
    try:
        job = export_job_get(request.user, job_id)
    except NotFound:
        return render(request, "core/export_missing.html", status=404)
    return render(request, "core/export_detail.html", _progress_context(job))


@require_GET
@perm_required("core.use_browser")
def export_progress(request, job_id):
    """The progress partial (polled by htmx), or JSON for scripts (``?format=json``)."""
    try:
        job = export_job_get(request.user, job_id)
    except NotFound:
        if request.GET.get("format") == "json":
            return JsonResponse(
                {"code": "not_found", "message": str(NotFound.default_message), "extra": {}}, status=404
            )
        return HttpResponse(status=404)
    context = _progress_context(job)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "id": str(job.pk),
                "key": job.key,
                "title": job.title,
                "status": job.status,
                "progress": job.progress,
                "done_rows": job.done_rows,
                "total_rows": job.total_rows,
                "truncated": job.truncated,
                "error": job.error,
                "download_url": context["download_url"] or None,
            }
        )
    response = render(request, "core/_export_progress.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@perm_required("core.use_browser")
def export_download(request, job_id):
    try:
        job = export_job_get(request.user, job_id, with_content=True)
    except NotFound:
        return HttpResponse(status=404)
    if job.status != ExportStatus.DONE or job.content is None:
        return HttpResponse(status=404)
    response = HttpResponse(bytes(job.content), content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename or 'export.xlsx')}"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@perm_required("core.use_browser")
def export_list(request):
    """我的导出: the last exports of the signed-in user."""
    jobs = list(export_jobs_of(request.user)[:50])
    return render(request, "core/exports.html", {"jobs": jobs})
