"""Finance's day: 到账日报 (every receipt of a day or a range across cases, with the
totals) and 对账 (the bank's statement against what was recorded, and the 对账表
export). Reads only; the court scoping is ``custody_funds.selectors``."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import perm_required
from core.exceptions import ApplicationError
from core.selectors import visible_courts
from core.web.forms import place_error
from custody_funds import forms as f
from custody_funds import reconciliation
from custody_funds.exports import RECONCILE, period_court


def _period_form(request: HttpRequest, form_class: type[f.PeriodForm], data, files=None) -> f.PeriodForm:
    """The form over the person's courts; unbound, it shows today in both dates."""
    courts = [(c.code, c.name) for c in visible_courts(request.user)]
    today = timezone.localdate()
    return form_class(data, files, courts=courts, initial={"from": today, "to": today})


@require_GET
@perm_required("custody_funds.view_receipts")
def receipts_daily(request: HttpRequest) -> HttpResponse:
    """到账日报: the receipts of the courts the person sees on a day (default today) or
    a range — time, amount, payer, bank reference, the case (or 不明款), who matched
    it — with the totals received, matched, unidentified and paid out."""
    form = _period_form(request, f.PeriodForm, request.GET or None)
    report, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 422
    else:
        try:
            start, end, court = period_court(request.user, request.GET)
            report = reconciliation.receipts_report(request.user, start, end, court=court)
        except ApplicationError as exc:
            place_error(form, exc)
            status = 422
    context = {"form": form, "report": report, "can_reconcile": request.user.has_perm(RECONCILE)}
    return render(request, "custody_funds/receipts_daily.html", context, status=status)


@require_http_methods(["GET", "POST"])
@perm_required(RECONCILE)
def reconcile_statement(request: HttpRequest) -> HttpResponse:
    """对账: upload the bank's statement for a court and a period; every line comes back
    as 一致 / 银行有、系统未登记 / 系统已登记、银行无 / 金额不一致. Nothing is written."""
    if request.method == "GET":
        form = _period_form(request, f.StatementForm, None)
        return render(request, "custody_funds/reconcile.html", {"form": form, "result": None})
    form = _period_form(request, f.StatementForm, request.POST, request.FILES)
    result, status = None, 200
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            start, end, court = period_court(request.user, request.POST)
            assert court is not None  # the form requires a court
            lines = reconciliation.statement_parse(upload.name, upload.read())
            result = reconciliation.reconcile(request.user, court, start, end, lines)
        except ApplicationError as exc:
            place_error(form, exc)
            status = 422
    else:
        status = 422
    return render(request, "custody_funds/reconcile.html", {"form": form, "result": result}, status=status)
