"""The approval queue (审批) and its decisions."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.exceptions import ApplicationError
from core.web.htmx import safe_next
from core.web.pages import call_service
from enforcement import forms as f
from enforcement import policy
from enforcement.models import Approval, ApprovalKind, ClosureType
from enforcement.selectors import (
    applicant_objections,
    approval_get_visible,
    approval_subjects,
    approvals_pending_for,
)
from enforcement.services import closure as closure_services

PAGE_SIZE = 50


def _safe_next(request: HttpRequest, fallback: str) -> str:
    return safe_next(request) or fallback


def _describe(approvals: list[Approval]) -> None:
    """A line saying what each request is about (one query per kind, not per row)."""
    deadlines, assets = approval_subjects(approvals)
    closure_labels = dict(ClosureType.choices)
    for a in approvals:
        p = a.payload or {}
        if a.kind == ApprovalKind.CLOSURE:
            when = ""
            try:
                moment = dt.datetime.fromisoformat(p["closed_at"])
                if timezone.is_aware(moment):
                    when = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
            except (KeyError, TypeError, ValueError):
                pass
            a.summary = f"{closure_labels.get(p.get('closure'), p.get('closure'))} · {p.get('document', '')} · {when}"
        elif a.kind == ApprovalKind.EXTENSION:
            d = deadlines.get(p.get("deadline"))
            unit = d.get_unit_display() if d else ""  # the clock's own unit: 月 for 审限, not 日
            a.summary = _("%(rule)s 延长 %(n)s %(unit)s") % {"rule": d.rule.name_zh if d else "—", "n": p.get("added"), "unit": unit}
        else:
            asset = assets.get(p.get("asset"))
            a.summary = str(asset) if asset else ""
    # h/gateproc: an applicant's objection to 终本 does not block it, but the approver sees it
    objections = applicant_objections([a.case_id for a in approvals if a.kind == ApprovalKind.CLOSURE])
    for a in approvals:
        a.objections = objections.get(a.case_id, []) if a.kind == ApprovalKind.CLOSURE else []


@require_GET
@perm_required("enforcement.approve")
def approval_queue(request: HttpRequest) -> HttpResponse:
    """审批: pending requests in scope, oldest first."""
    page = Paginator(approvals_pending_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _describe(rows)
    for a in rows:
        a.can_decide = policy.can_decide(request.user, a)
    return render(request, "enforcement/approval_queue.html", {"page": page, "rows": rows})


@require_POST
@perm_required("enforcement.approve")
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    """批准 / 驳回; refusals (maker ≠ checker, 终本 conditions no longer met) become
    messages on the page the decision came from."""
    approval = approval_get_visible(request.user, approval_id)
    if approval is None:
        raise Http404
    back = _safe_next(request, reverse("enforcement:approvals"))
    form = f.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或驳回。"))
        return redirect(back)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        call_service(
            closure_services.approval_decide, actor=request.user, approval=approval, approve=approve,
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        details = exc.extra.get("details") if isinstance(exc.extra, dict) else None
        messages.error(request, exc.message if not details else _("不能批准：%(m)s") % {"m": exc.message})
    else:
        label = approval.get_kind_display()
        messages.success(
            request,
            (_("已批准：%(k)s（%(n)s）") if approve else _("已驳回：%(k)s（%(n)s）")) % {"k": label, "n": approval.case.case_number},
        )
    return redirect(back)
