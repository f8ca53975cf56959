"""补录核实 pages (322号 §12; core.services.clocks.backdate): the pending corrections of
the courts the bureau head or court leader sees, each with 属实 / 不属实 and a reason.
The case page shows its own through ``core/_clock_corrections.html``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.exceptions import ApplicationError, NotFound, ValidationFailed
from core.forms import BackdateDecisionForm
from core.selectors import clock_correction_get, clock_corrections_visible_to
from core.services import clocks
from core.web.htmx import safe_next
from core.web.pages import call_service

PAGE_SIZE = 50


def correction_rows(user, deadlines, bound: dict | None = None) -> list[dict]:
    """One row per pending correction, with its decision form when ``user`` may decide
    (``bound``: the submitted form of one row, kept with its errors)."""
    rows = []
    for d in deadlines:
        can = clocks.can_review_backdate(d, user)
        form = None
        if can:
            form = bound["form"] if bound and bound["pk"] == d.pk else BackdateDecisionForm(prefix=f"c{d.pk}")
        maker = user.pk in {d.completed_by_id, d.responsible_id, getattr(d.case, "handler_id", None)}
        rows.append({"deadline": d, "can_decide": can, "form": form, "own": maker})
    return rows


def _page(request, bound: dict | None = None, status: int = 200) -> HttpResponse:
    page = Paginator(clock_corrections_visible_to(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = correction_rows(request.user, page.object_list, bound)
    return render(request, "core/clock_corrections.html", {"page": page, "rows": rows}, status=status)


@require_GET
@perm_required("core.approve_deadline_change")
def clock_corrections(request) -> HttpResponse:
    """补录核实: the 待核实 clocks of the courts in view, oldest entry first."""
    return _page(request)


@require_POST
@perm_required("core.approve_deadline_change")
def clock_correction_decide(request, deadline_id: int) -> HttpResponse:
    """属实 / 不属实. A missing reason or decision is shown next to its field on the
    list page; a refusal (maker–checker, already decided) is a message on the page
    the decision came from."""
    try:
        deadline = clock_correction_get(request.user, deadline_id)
    except NotFound:
        raise Http404 from None
    back = safe_next(request) or reverse("core:clock-corrections")
    form = BackdateDecisionForm(request.POST, prefix=f"c{deadline.pk}")
    if not form.is_valid():
        return _page(request, {"pk": deadline.pk, "form": form}, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    service = clocks.clock_backdate_approve if approve else clocks.clock_backdate_reject
    try:
        call_service(service, deadline=deadline, actor=request.user, reason=form.cleaned_data["reason"])
    except ValidationFailed as exc:
        form.add_error("reason", str(exc.message))
        return _page(request, {"pk": deadline.pk, "form": form}, status=400)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    label = deadline.case.case_number if deadline.case_id else deadline.subject_label  # type: ignore[union-attr]
    messages.success(
        request,
        (_("已核实属实：%(r)s（%(c)s）") if approve else _("已核实不属实：%(r)s（%(c)s）"))
        % {"r": deadline.rule.name_zh, "c": label},
    )
    return redirect(back)
