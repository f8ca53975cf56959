"""The queues of case funds: finance's payments due (财务待付), unidentified receipts
(不明款), the approvals of payments and holds (案款审批), and the printable 支付案款通知.
Which row offers which action is ``custody_funds.policy``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.exceptions import ApplicationError
from core.models import User
from core.web.clocks import ClockRows
from core.web.forms import place_error
from core.web.pages import Action, call_service
from custody_funds import forms as f
from custody_funds import policy, selectors
from custody_funds.models import Disbursement, FundsHold, Receipt
from custody_funds.selectors import PAYMENT_RULE
from custody_funds.services import funds
from custody_funds.views.case_actions import ACTIONS, action_url
from custody_funds.views.common import PAGE_SIZE, receipt_age, yuan

APPROVAL_ROWS = 200
CASE_SUGGESTIONS = 10


# --- 财务待付: finance's payment queue -----------------------------------------------------------


def _render_finance(request: HttpRequest, *, bound: dict[int, f.QueuePayForm] | None = None, status: int = 200):
    bound = bound or {}
    page = Paginator(selectors.payments_due_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    clocks = ClockRows()
    by_subject = selectors.subject_clocks(PAYMENT_RULE, "disbursement", [d.pk for d in rows])
    context = {
        "page": page,
        "rows": [
            {"d": d, "clock": clocks.row(by_subject.get(d.pk)),
             "form": bound.get(d.pk) or f.QueuePayForm(auto_id=f"id_pay-{d.pk}_%s"),
             "can_pay": policy.can_pay_disbursement(request.user, d)}
            for d in rows
        ],
    }
    return render(request, "custody_funds/finance_queue.html", context, status=status)


@require_GET
@perm_required("custody_funds.pay")
def finance_queue(request: HttpRequest) -> HttpResponse:
    """财务待付: 支付案款通知 received, to be paid within 5 working days (322号 §22)."""
    return _render_finance(request)


@require_POST
@perm_required("custody_funds.pay")
def finance_pay(request: HttpRequest, disbursement_id: int) -> HttpResponse:
    d = selectors.disbursement_get(request.user, disbursement_id)
    if d is None:
        raise Http404
    form = f.QueuePayForm(request.POST, auto_id=f"id_pay-{d.pk}_%s")
    if form.is_valid():
        try:
            call_service(funds.disbursement_pay, actor=request.user, disbursement=d,
                         bank_reference=form.cleaned_data["bank_reference"].strip())
        except ApplicationError as exc:
            place_error(form, exc)
            if form.non_field_errors():
                messages.error(request, exc.message)
                return redirect("custody_funds:finance")
        else:
            messages.success(
                request, _("已发放 %(a)s 元（%(n)s，%(p)s）。") % {"a": yuan(d.amount), "n": d.case.case_number, "p": d.holder}
            )
            return redirect("custody_funds:finance")
    return _render_finance(request, bound={d.pk: form}, status=422)


# --- 不明款: unidentified receipts -------------------------------------------------------------------


def _render_unidentified(request: HttpRequest, *, bound: dict[int, f.MatchForm] | None = None, status: int = 200):
    bound = bound or {}
    page = Paginator(selectors.unidentified_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    clocks = ClockRows()
    rows = [
        {"receipt": r, "age": receipt_age(clocks, r.arrived_at),
         "form": bound.get(r.pk) or f.MatchForm(auto_id=f"id_match-{r.pk}_%s"),
         "can_match": policy.can_match_receipt(request.user, r)}
        for r in page.object_list
    ]
    return render(request, "custody_funds/unidentified_queue.html", {"page": page, "rows": rows}, status=status)


@require_GET
@perm_required("custody_funds.match")
def unidentified_queue(request: HttpRequest) -> HttpResponse:
    """不明款: receipts that matched no case, oldest first, with their age."""
    return _render_unidentified(request)


def _unidentified_or_404(user: User, receipt_id: int) -> Receipt:
    receipt = selectors.unidentified_for(user).filter(pk=receipt_id).first()
    if receipt is None:
        raise Http404
    return receipt


@require_GET
@perm_required("custody_funds.match")
def match_suggestions(request: HttpRequest, receipt_id: int) -> HttpResponse:
    """htmx: cases of the receipt's court whose number or party matches what was typed."""
    receipt = _unidentified_or_404(request.user, receipt_id)
    text = (request.GET.get("case_number") or "").strip()[:64]
    cases = selectors.match_candidates(request.user, receipt, text, CASE_SUGGESTIONS) if len(text) >= 2 else []
    return render(request, "custody_funds/_case_options.html", {"cases": cases})


@require_POST
@perm_required("custody_funds.match")
def receipt_match(request: HttpRequest, receipt_id: int) -> HttpResponse:
    """匹配: the case is looked up by its number within the receipt's court."""
    receipt = _unidentified_or_404(request.user, receipt_id)
    form = f.MatchForm(request.POST, auto_id=f"id_match-{receipt.pk}_%s")
    if form.is_valid():
        number = form.cleaned_data["case_number"]
        case = selectors.case_by_number(request.user, court_id=receipt.court_id, case_number=number)
        if case is None:
            form.add_error("case_number", _("%(court)s没有案号为 %(n)s 的案件（不明款只能匹配到收款法院的案件）。")
                           % {"court": receipt.court.name, "n": number})
        else:
            if policy.case_closed_for_matching(case):
                form.closed_case = {"case_number": case.case_number, "state": policy.case_state_label(case)}
            try:
                call_service(funds.receipt_match, actor=request.user, receipt=receipt, case=case,
                             reason=form.cleaned_data["reason"].strip(),
                             confirm_closed_case=form.cleaned_data["confirm_closed_case"],
                             closed_case_reason=form.cleaned_data["closed_case_reason"])
            except ApplicationError as exc:
                if exc.code == "case_closed":  # the warning: the case's state, and the confirmation next to it
                    form.add_error("confirm_closed_case", exc.message)
                    return _render_unidentified(request, bound={receipt.pk: form}, status=422)
                place_error(form, exc)
                if form.non_field_errors():
                    messages.error(request, exc.message)
                    return redirect("custody_funds:unidentified")
            else:
                messages.success(request, _("已将到账 %(r)s（%(a)s 元）匹配至 %(n)s，支付案款通知期限开始计算。")
                                 % {"r": receipt.reference, "a": yuan(receipt.amount), "n": case.case_number})
                return redirect("custody_funds:unidentified")
    return _render_unidentified(request, bound={receipt.pk: form}, status=422)


# --- 案款审批: payments and holds awaiting the bureau head ------------------------------------------


@require_GET
@perm_required("custody_funds.approve")
def approval_queue(request: HttpRequest) -> HttpResponse:
    """案款审批: submitted disbursements and requested 延缓发放/提存 in scope, oldest
    first. The requester sees a note instead of the buttons (maker ≠ checker)."""
    user = request.user
    disbursements, holds = selectors.approvals_queue(user, APPROVAL_ROWS)

    def row(obj: Disbursement | FundsHold, can_decide: bool, approve: Action, reject: Action) -> dict:
        return {
            "obj": obj, "own_request": policy.made_by(user, obj), "can_decide": can_decide,
            "approve_url": action_url(obj.case, approve, obj), "reject_url": action_url(obj.case, reject, obj),
        }

    context = {
        "disbursement_rows": [
            row(d, policy.can_approve_disbursement(user, d), ACTIONS["approve"], ACTIONS["reject"])
            for d in disbursements
        ],
        "hold_rows": [
            row(h, policy.can_approve_hold(user, h), ACTIONS["hold-approve"], ACTIONS["hold-reject"]) for h in holds
        ],
        "limit": APPROVAL_ROWS,
    }
    return render(request, "custody_funds/approval_queue.html", context)


# --- 支付案款通知 (printable) ---------------------------------------------------------------------------


@require_GET
@perm_required("core.use_browser")
def disbursement_notice(request: HttpRequest, disbursement_id: int) -> HttpResponse:
    """The notice to finance, for an A4 sheet: only once it has been sent."""
    d = selectors.notice_disbursement(request.user, disbursement_id)
    if d is None:
        raise Http404
    clock = selectors.subject_clocks(PAYMENT_RULE, "disbursement", [d.pk]).get(d.pk)
    context = {"d": d, "case": d.case, "court": d.case.court, "account": selectors.account_of(d.case), "clock": clock}
    return render(request, "custody_funds/notice.html", context)
