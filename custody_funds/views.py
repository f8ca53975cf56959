"""Browser pages of case funds (一案一账号, 322号 §19–22): the case's funds page with
its actions, finance's payment queue, the unidentified-receipt queue, the approval
queue of payments and holds, and the printable 支付案款通知.

Reads are scoped by court (``cases_visible_to``, ``receipts_visible_to``,
``disbursements_visible_to``); every write goes through
``custody_funds.services.funds``. A refusal (``ApplicationError``) is shown next to
the input it is about, at the top of its form, or as a message — never as a server
error."""

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, QuerySet, Sum, Window
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.calendar import WorkingCalendar, local_date
from core.decorators import perm_required
from core.exceptions import (
    ApplicationError,
    CalendarNotLoaded,
    NotFound,
    PermissionDenied,
)
from core.models import Deadline, Membership, Role, User
from core.selectors import court_scope_q, user_has_role_at, user_has_role_over
from core.web import call_service, is_partial, render_body_or_page, safe_next, urgency
from custody_funds import forms as f
from custody_funds.models import (
    Disbursement,
    DisbursementStatus,
    FundsHold,
    HoldKind,
    HoldStatus,
    LedgerAccount,
    PostingLeg,
    Receipt,
    ReceiptStatus,
)
from custody_funds.services import funds
from enforcement.models import Case, PartyRole
from enforcement.selectors import cases_search, cases_visible_to

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
LEDGER_ROWS = 200
APPROVAL_ROWS = 200
CASE_SUGGESTIONS = 10

# People who use these pages in the browser (machine clients use the REST API).
DRAFTING_ROLES = tuple(r for r in funds.DRAFTERS if r != Role.API_CLIENT)
RECORDING_ROLES = tuple(r for r in funds.MATCHERS if r != Role.API_CLIENT)
MATCHING_ROLES = (*RECORDING_ROLES, Role.CASE_SUPERVISOR)

NOTICE_RULE, PAYMENT_RULE = "FUNDS_NOTICE", "FUNDS_PAYMENT"

# ``Posting.kind`` in words (账户明细).
POSTING_LABELS = {
    "receipt": _("到账"),
    "receipt_match": _("不明款匹配入账"),
    "disbursement": _("发放"),
    "deposit": _("提存"),
    "reversal": _("冲正"),
}

CHANNEL_LABELS = {"bank": _("银行"), "cash": _("现金")}


# --- helpers ---------------------------------------------------------------------------------






def account_of(case: Case) -> LedgerAccount | None:
    try:
        return case.fund_account
    except LedgerAccount.DoesNotExist:
        return None






def _case_or_404(user: User, case_id: int) -> Case:
    case = cases_visible_to(user).select_related("fund_account").filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case




class Clocks:
    """Due date, working days left and state of FUNDS_NOTICE / FUNDS_PAYMENT clocks,
    with one calendar load for the page."""

    def __init__(self):
        self.now = timezone.now()
        self.today = local_date(self.now)
        self.calendar = WorkingCalendar.load()

    def row(self, deadline: Deadline | None) -> dict | None:
        if deadline is None:
            return None
        due = local_date(deadline.due_at)
        paused = deadline.is_running and deadline.paused_at is not None
        left = None
        if deadline.is_running:
            try:
                left = self.calendar.working_days_between(self.today, due)
            except CalendarNotLoaded:
                left = None
            overdue = not paused and deadline.due_at < self.now
            level = "paused" if paused else urgency(left, overdue)
        else:
            overdue, level = False, "done"
        return {
            "deadline": deadline, "due_date": due, "days_left": left, "urgency": level, "overdue": overdue,
            "paused": paused, "running": deadline.is_running,
        }

    def age(self, moment) -> dict:
        """How long a receipt has waited: calendar days and working days."""
        day = local_date(moment)
        try:
            working = self.calendar.working_days_between(day, self.today)
        except CalendarNotLoaded:
            working = None
        return {"days": (self.today - day).days, "working_days": working}


def clocks_by_subject(deadlines: QuerySet[Deadline]) -> dict[int, Deadline]:
    """subject id → its clock (the latest started, when there were several)."""
    found: dict[int, Deadline] = {}
    for d in deadlines.order_by("started_at", "id"):
        found[d.subject_id] = d
    return found


def _subject_clocks(rule_code: str, model: str, ids) -> QuerySet[Deadline]:
    return Deadline.objects.filter(
        rule__code=rule_code, subject_type__app_label="custody_funds", subject_type__model=model, subject_id__in=ids
    ).select_related("rule")


# --- the case funds page -------------------------------------------------------------------------


@dataclass
class Done:
    message: Any


@dataclass(frozen=True)
class Action:
    """One thing that can be done on the case funds page: its form, the service
    call, and when it is offered (the services decide in the end)."""

    slug: str
    form_class: type[f.ActionForm]
    title: Any
    submit: Any
    perform: Callable[["FundsPage", Any, dict, f.ActionForm], Done]
    available: Callable[["FundsPage", Any], bool]
    on: str | None = None  # disbursement | hold
    danger: bool = False

    def key(self, obj=None) -> str:
        return self.slug if obj is None else f"{self.slug}-{obj.pk}"

    def url(self, case: Case, obj=None) -> str:
        if obj is None:
            return reverse("custody_funds:case-action", kwargs={"case_id": case.pk, "action": self.slug})
        return reverse(
            "custody_funds:case-object-action", kwargs={"case_id": case.pk, "action": self.slug, "obj_id": obj.pk}
        )


def _yuan(amount) -> str:
    return f"{amount:,.2f}"


def _do_draft(page, obj, d, form) -> Done:
    disbursement = funds.disbursement_draft(
        actor=page.user, case=page.case, payee_id=d["payee"], amount=d["amount"], account_number=d["account_number"],
        account_change_request=(d.get("account_change_request") or "").strip(),
    )
    return Done(_("已起草支付案款 %(a)s 元（收款人 %(p)s），请提交审批。") % {"a": _yuan(disbursement.amount), "p": disbursement.holder})


def _do_submit(page, d, data, form) -> Done:
    funds.disbursement_submit(actor=page.user, disbursement=d)
    return Done(_("已提交执行局长审批。"))


def _do_approve(page, d, data, form) -> Done:
    funds.disbursement_approve(actor=page.user, disbursement=d)
    return Done(_("已批准支付案款 %(a)s 元（%(p)s）。") % {"a": _yuan(d.amount), "p": d.holder})


def _do_reject(page, d, data, form) -> Done:
    funds.disbursement_reject(actor=page.user, disbursement=d, note=data["note"])
    return Done(_("已驳回支付案款 %(a)s 元，预留金额已释放。") % {"a": _yuan(d.amount)})


def _do_notify(page, d, data, form) -> Done:
    funds.disbursement_notify_finance(actor=page.user, disbursement=d)
    return Done(_("已向财务部门发出支付案款通知，财务应在5个工作日内发放。"))


def _do_pay(page, d, data, form) -> Done:
    funds.disbursement_pay(actor=page.user, disbursement=d, bank_reference=data["bank_reference"].strip())
    return Done(_("已登记发放 %(a)s 元（%(p)s）。") % {"a": _yuan(d.amount), "p": d.holder})


def _do_cancel(page, d, data, form) -> Done:
    funds.disbursement_cancel(actor=page.user, disbursement=d, note=data["note"])
    return Done(_("已撤销，预留金额已释放。"))


def _do_delay(page, obj, d, form) -> Done:
    funds.hold_request(actor=page.user, case=page.case, kind=HoldKind.DELAY, reason=d["reason"], note=d["note"])
    return Done(_("已提出延缓发放申请，待执行局长审批。"))


def _do_deposit(page, obj, d, form) -> Done:
    funds.hold_request(
        actor=page.user, case=page.case, kind=HoldKind.DEPOSIT, reason=d["reason"], note=d["note"], amount=d["amount"]
    )
    return Done(_("已提出提存申请（%(a)s 元），待执行局长审批。") % {"a": _yuan(d["amount"])})


def _do_hold_approve(page, hold, d, form) -> Done:
    funds.hold_decide(actor=page.user, hold=hold, approve=True)
    if hold.kind == HoldKind.DELAY:
        return Done(_("已批准延缓发放，支付案款通知期限中止计算。"))
    return Done(_("已批准提存，案款已转出本案账户。"))


def _do_hold_reject(page, hold, d, form) -> Done:
    funds.hold_decide(actor=page.user, hold=hold, approve=False)
    return Done(_("已驳回%(k)s申请。") % {"k": hold.get_kind_display()})


def _do_hold_release(page, hold, d, form) -> Done:
    funds.hold_release(actor=page.user, hold=hold)
    return Done(_("已解除延缓发放，支付案款通知期限恢复计算。"))


def _do_cash(page, obj, d, form) -> Done:
    officer = next((u for u, _roles in page.officers if u.pk == d["second_officer"]), None)
    receipt, created = funds.receipt_record(
        actor=page.user, court=page.case.court, reference=d["reference"], account_number=page.account.number,
        amount=d["amount"], arrived_at=d["arrived_at"], payer=d["payer"], channel="cash", second_officer=officer,
    )
    if not created:
        return Done(_("收据 %(r)s 此前已登记。") % {"r": receipt.reference})
    return Done(_("已登记现金收款 %(a)s 元。") % {"a": _yuan(receipt.amount)})


S = DisbursementStatus

ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        Action("draft", f.DraftForm, _("起草支付案款"), _("保存草稿"), _do_draft,
               lambda p, o: p.can_draft and p.available > 0 and bool(p.applicants)),
        Action("delay", f.DelayForm, _("申请延缓发放"), _("提交申请"), _do_delay,
               lambda p, o: p.can_draft and p.account is not None),
        Action("deposit", f.DepositForm, _("申请提存"), _("提交申请"), _do_deposit,
               lambda p, o: p.can_draft and p.available > 0),
        Action("cash", f.CashReceiptForm, _("登记现金收款"), _("登记收款"), _do_cash,
               lambda p, o: p.can_record and p.account is not None),
        Action("submit", f.ButtonForm, _("提交审批"), _("提交审批"), _do_submit,
               lambda p, d: p.can_draft and d.status == S.DRAFT, on="disbursement"),
        Action("approve", f.ButtonForm, _("批准"), _("批准"), _do_approve,
               lambda p, d: p.may_decide(d.drafted_by_id) and d.status == S.SUBMITTED, on="disbursement"),
        Action("reject", f.RejectForm, _("驳回"), _("驳回"), _do_reject,
               lambda p, d: p.may_decide(d.drafted_by_id) and d.status in (S.SUBMITTED, S.APPROVED),
               on="disbursement", danger=True),
        Action("notify", f.ButtonForm, _("通知财务发放"), _("发出支付案款通知"), _do_notify,
               lambda p, d: p.can_draft and d.status == S.APPROVED, on="disbursement"),
        Action("pay", f.PayForm, _("登记发放"), _("确认已发放"), _do_pay,
               lambda p, d: p.is_finance and d.status == S.NOTIFIED, on="disbursement"),
        Action("cancel", f.CancelForm, _("撤销"), _("撤销"), _do_cancel,
               lambda p, d: p.can_draft and d.status in (S.DRAFT, S.SUBMITTED), on="disbursement", danger=True),
        Action("hold-approve", f.ButtonForm, _("批准"), _("批准"), _do_hold_approve,
               lambda p, h: p.may_decide(h.requested_by_id) and h.status == HoldStatus.REQUESTED, on="hold"),
        Action("hold-reject", f.ButtonForm, _("驳回"), _("驳回"), _do_hold_reject,
               lambda p, h: p.may_decide(h.requested_by_id) and h.status == HoldStatus.REQUESTED, on="hold", danger=True),
        Action("hold-release", f.ButtonForm, _("解除延缓发放"), _("解除延缓"), _do_hold_release,
               lambda p, h: p.can_draft and h.kind == HoldKind.DELAY and h.status == HoldStatus.APPROVED, on="hold"),
    ]
}

# A refusal with one of these rule codes concerns this input.
CODE_FIELDS = {
    "insufficient_balance": "amount",
    "payee_not_confirmed": "account_change_request",
    "receipt_reference_reused": "reference",
}


class FundsPage:
    """Everything the case funds page shows, in a fixed number of queries."""

    def __init__(self, request: HttpRequest, case: Case):
        self.request, self.case, self.user = request, case, request.user
        self.account = account_of(case)
        court = case.court
        self.can_draft = user_has_role_at(self.user, court, DRAFTING_ROLES)
        self.can_record = user_has_role_at(self.user, court, RECORDING_ROLES)
        self.is_finance = user_has_role_at(self.user, court, (Role.FINANCE,))
        self.is_approver = user_has_role_over(self.user, court, funds.APPROVERS)
        self.bound: dict[str, f.ActionForm] = {}
        self.clocks = Clocks()
        self.applicants = list(
            case.parties.filter(role=PartyRole.APPLICANT).select_related("payout_account").order_by("pk")
        )
        self.receipts = list(
            funds.receipts_visible_to(self.user).filter(case=case)
            .select_related("recorded_by", "second_officer", "matched_by").order_by("arrived_at", "id")
        )
        self.disbursements = list(
            funds.disbursements_visible_to(self.user).filter(case=case)
            .select_related("drafted_by", "approved_by", "paid_by").order_by("-drafted_at", "-id")
        )
        self.holds = list(
            FundsHold.objects.filter(case=case).select_related("requested_by", "decided_by").order_by("-requested_at", "-id")
        )
        deadlines = list(
            Deadline.objects.filter(case=case, rule__code__in=[NOTICE_RULE, PAYMENT_RULE])
            .select_related("rule").order_by("started_at", "id")
        )
        self.notice_clocks = {d.subject_id: d for d in deadlines if d.rule.code == NOTICE_RULE}
        self.payment_clocks = {d.subject_id: d for d in deadlines if d.rule.code == PAYMENT_RULE}
        self._officers: list[tuple[User, str]] | None = None

    @property
    def available(self):
        return self.account.available if self.account is not None else 0

    def may_decide(self, maker_id: int) -> bool:
        """An approver who did not make the request (maker ≠ checker)."""
        return self.is_approver and maker_id != self.user.pk

    @property
    def officers(self) -> list[tuple[User, str]]:
        """Who may handle cash with the user: people of the case's court with a
        recording role (款物规定: 双人经手), each with their roles in words."""
        if self._officers is None:
            users: dict[int, User] = {}
            roles: dict[int, list[str]] = {}
            memberships = (
                Membership.objects.filter(court=self.case.court, role__in=RECORDING_ROLES, revoked_at__isnull=True)
                .exclude(user=self.user).select_related("user").order_by("user__username", "role")
            )
            for m in memberships:
                users.setdefault(m.user_id, m.user)
                roles.setdefault(m.user_id, []).append(str(m.get_role_display()))
            self._officers = [(u, "、".join(roles[pk])) for pk, u in users.items()]
        return self._officers

    @property
    def second_officers(self) -> list[tuple[int, str]]:
        return [(u.pk, f"{u}（{roles}）") for u, roles in self.officers]

    # --- forms ----------------------------------------------------------------------
    def find(self, on: str, obj_id: int):
        objects = self.disbursements if on == "disbursement" else self.holds
        return next((o for o in objects if o.pk == obj_id), None)

    def bind(self, action: Action, obj, form: f.ActionForm) -> None:
        self.bound[action.key(obj)] = form

    def form_for(self, action: Action, obj=None) -> f.ActionForm:
        key = action.key(obj)
        form = self.bound.get(key) or action.form_class(page=self, obj=obj, auto_id=f"id_{key}_%s")
        form.action, form.key, form.dom_id, form.url = action, key, f"form-{key}", action.url(self.case, obj)
        return form

    def forms_on(self, on: str | None, obj=None) -> list[f.ActionForm]:
        # a form that was just refused stays on the page, with its errors
        return [
            self.form_for(a, obj)
            for a in ACTIONS.values()
            if a.on == on and (a.available(self, obj) or a.key(obj) in self.bound)
        ]

    # --- sections -------------------------------------------------------------------
    def receipt_rows(self) -> list[dict]:
        return [
            {"receipt": r, "channel": CHANNEL_LABELS.get(r.channel, r.channel),
             "clock": self.clocks.row(self.notice_clocks.get(r.pk))}
            for r in self.receipts
        ]

    def disbursement_rows(self) -> list[dict]:
        rows = []
        for d in self.disbursements:
            awaiting_other = d.status in (S.SUBMITTED,) and d.drafted_by_id == self.user.pk
            rows.append({
                "d": d, "clock": self.clocks.row(self.payment_clocks.get(d.pk)), "forms": self.forms_on("disbursement", d),
                "own_request": awaiting_other, "has_notice": d.status in (S.NOTIFIED, S.PAID),
            })
        return rows

    def hold_rows(self) -> list[dict]:
        return [
            {"hold": h, "forms": self.forms_on("hold", h),
             "own_request": h.status == HoldStatus.REQUESTED and h.requested_by_id == self.user.pk}
            for h in self.holds
        ]

    def ledger_rows(self) -> tuple[list[dict], bool]:
        """The account's entries, oldest first, each with the balance after it (a
        window sum over every entry; only the latest ``LEDGER_ROWS`` are shown)."""
        if self.account is None:
            return [], False
        legs = list(
            PostingLeg.objects.filter(account=self.account)
            .annotate(balance_after=Window(Sum("amount"), order_by=[F("posting_id").asc(), F("id").asc()]))
            .select_related("posting__actor")
            .order_by("-posting_id", "-id")[: LEDGER_ROWS + 1]
        )
        more = len(legs) > LEDGER_ROWS
        rows = [
            {"leg": leg, "posting": leg.posting, "label": POSTING_LABELS.get(leg.posting.kind, leg.posting.kind),
             "credit": leg.amount if leg.amount > 0 else None, "debit": -leg.amount if leg.amount < 0 else None}
            for leg in reversed(legs[:LEDGER_ROWS])
        ]
        return rows, more

    def context(self) -> dict:
        ledger_rows, ledger_more = self.ledger_rows()
        case_forms = self.forms_on(None)
        draft = next((form for form in case_forms if form.action.slug == "draft"), None)
        return {
            "case": self.case,
            "account": self.account,
            "page": self,
            "receipt_rows": self.receipt_rows(),
            "disbursement_rows": self.disbursement_rows(),
            "hold_rows": self.hold_rows(),
            "ledger_rows": ledger_rows,
            "ledger_more": ledger_more,
            "ledger_limit": LEDGER_ROWS,
            "case_forms": case_forms,
            "draft_confirmed": json.dumps(draft.masked_confirmed) if draft else "{}",
            "may_act": self.can_draft or self.can_record or self.is_approver or self.is_finance,
        }


def _render_case(request: HttpRequest, page: FundsPage, *, status: int = 200, scroll_to: str | None = None) -> HttpResponse:
    return render_body_or_page(
        request, body_template="custody_funds/_funds_body.html", page_template="custody_funds/case_funds.html",
        context=page.context(), status=status, scroll_to=scroll_to,
    )


@require_GET
@perm_required("core.use_browser")
def case_funds(request: HttpRequest, case_id: int) -> HttpResponse:
    """案款: the account (一案一账号), its balance and entries, receipts and
    disbursements with their clocks, holds, and the actions of the user's role."""
    case = _case_or_404(request.user, case_id)
    return _render_case(request, FundsPage(request, case))


@require_POST
@perm_required("core.use_browser")
def case_action(request: HttpRequest, case_id: int, action: str, obj_id: int | None = None) -> HttpResponse:
    """One action of the case funds page: validate, call the service, then show the
    page again (htmx: the funds body; otherwise redirect — to ``next`` when the
    form came from a queue)."""
    spec = ACTIONS.get(action)
    if spec is None or (spec.on is None) != (obj_id is None):
        raise Http404
    case = _case_or_404(request.user, case_id)
    page = FundsPage(request, case)
    obj = None
    if spec.on is not None:
        obj = page.find(spec.on, obj_id)
        if obj is None:
            raise Http404
    back = safe_next(request)
    form = spec.form_class(request.POST, page=page, obj=obj, auto_id=f"id_{spec.key(obj)}_%s")
    if form.is_valid():
        try:
            done = call_service(spec.perform, page, obj, form.cleaned_data, form)
        except NotFound:
            raise Http404 from None
        except PermissionDenied as exc:
            messages.error(request, exc.message)
            return _after_action(request, case_id, back)
        except ApplicationError as exc:
            if not form.fields or back:
                messages.error(request, exc.message)
                return _after_action(request, case_id, back)
            f.place_error(form, exc, code_fields=CODE_FIELDS)
        else:
            messages.success(request, done.message)
            return _after_action(request, case_id, back)
    elif back:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return redirect(back)
    page.bind(spec, obj, form)
    return _render_case(request, page, status=422, scroll_to=f"form-{spec.key(obj)}")


def _after_action(request: HttpRequest, case_id: int, back: str | None = None) -> HttpResponse:
    if back and not is_partial(request):
        return redirect(back)
    if is_partial(request):
        page = FundsPage(request, _case_or_404(request.user, case_id))
        response = _render_case(request, page)
        response["HX-Reswap"] = "outerHTML show:window:top"
        return response
    return redirect("custody_funds:case", case_id=case_id)


# --- 财务待付: finance's payment queue -----------------------------------------------------------


def payments_due_for(user: User) -> QuerySet[Disbursement]:
    """Notified disbursements of the courts the user sees, oldest notice first."""
    return (
        funds.disbursements_visible_to(user)
        .filter(status=S.NOTIFIED)
        .select_related("case__court", "approved_by")
        .order_by("notified_at", "id")
    )


def _render_finance(request: HttpRequest, *, bound: dict[int, f.QueuePayForm] | None = None, status: int = 200):
    bound = bound or {}
    page = Paginator(payments_due_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    clocks = Clocks()
    by_subject = clocks_by_subject(_subject_clocks(PAYMENT_RULE, "disbursement", [d.pk for d in rows]))
    context = {
        "page": page,
        "rows": [
            {"d": d, "clock": clocks.row(by_subject.get(d.pk)),
             "form": bound.get(d.pk) or f.QueuePayForm(auto_id=f"id_pay-{d.pk}_%s"),
             "can_pay": user_has_role_at(request.user, d.case.court, (Role.FINANCE,))}
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
    d = funds.disbursements_visible_to(request.user).filter(pk=disbursement_id).first()
    if d is None:
        raise Http404
    form = f.QueuePayForm(request.POST, auto_id=f"id_pay-{d.pk}_%s")
    if form.is_valid():
        try:
            call_service(funds.disbursement_pay, actor=request.user, disbursement=d,
                         bank_reference=form.cleaned_data["bank_reference"].strip())
        except ApplicationError as exc:
            f.place_error(form, exc)
            if form.non_field_errors():
                messages.error(request, exc.message)
                return redirect("custody_funds:finance")
        else:
            messages.success(
                request, _("已发放 %(a)s 元（%(n)s，%(p)s）。") % {"a": _yuan(d.amount), "n": d.case.case_number, "p": d.holder}
            )
            return redirect("custody_funds:finance")
    return _render_finance(request, bound={d.pk: form}, status=422)


# --- 不明款: unidentified receipts -------------------------------------------------------------------


def unidentified_for(user: User) -> QuerySet[Receipt]:
    return funds.receipts_visible_to(user).filter(status=ReceiptStatus.UNIDENTIFIED).order_by("arrived_at", "id")


def _render_unidentified(request: HttpRequest, *, bound: dict[int, f.MatchForm] | None = None, status: int = 200):
    bound = bound or {}
    page = Paginator(unidentified_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    clocks = Clocks()
    rows = [
        {"receipt": r, "age": clocks.age(r.arrived_at),
         "form": bound.get(r.pk) or f.MatchForm(auto_id=f"id_match-{r.pk}_%s"),
         "can_match": user_has_role_at(request.user, r.court, MATCHING_ROLES)}
        for r in page.object_list
    ]
    return render(request, "custody_funds/unidentified_queue.html", {"page": page, "rows": rows}, status=status)


@require_GET
@perm_required("custody_funds.match")
def unidentified_queue(request: HttpRequest) -> HttpResponse:
    """不明款: receipts that matched no case, oldest first, with their age."""
    return _render_unidentified(request)


def _unidentified_or_404(user: User, receipt_id: int) -> Receipt:
    receipt = unidentified_for(user).filter(pk=receipt_id).first()
    if receipt is None:
        raise Http404
    return receipt


@require_GET
@perm_required("custody_funds.match")
def match_suggestions(request: HttpRequest, receipt_id: int) -> HttpResponse:
    """htmx: cases of the receipt's court whose number or party matches what was typed."""
    receipt = _unidentified_or_404(request.user, receipt_id)
    text = (request.GET.get("case_number") or "").strip()[:64]
    cases = []
    if len(text) >= 2:
        cases = list(cases_search(cases_visible_to(request.user).filter(court_id=receipt.court_id), text)
                     .order_by("-received_at", "-id")[:CASE_SUGGESTIONS])
    return render(request, "custody_funds/_case_options.html", {"cases": cases})


@require_POST
@perm_required("custody_funds.match")
def receipt_match(request: HttpRequest, receipt_id: int) -> HttpResponse:
    """匹配: the case is looked up by its number within the receipt's court."""
    receipt = _unidentified_or_404(request.user, receipt_id)
    form = f.MatchForm(request.POST, auto_id=f"id_match-{receipt.pk}_%s")
    if form.is_valid():
        number = form.cleaned_data["case_number"]
        case = cases_visible_to(request.user).filter(court_id=receipt.court_id, case_number=number).first()
        if case is None:
            form.add_error("case_number", _("%(court)s没有案号为 %(n)s 的案件（不明款只能匹配到收款法院的案件）。")
                           % {"court": receipt.court.name, "n": number})
        else:
            try:
                call_service(funds.receipt_match, actor=request.user, receipt=receipt, case=case,
                             reason=form.cleaned_data["reason"].strip())
            except ApplicationError as exc:
                f.place_error(form, exc)
                if form.non_field_errors():
                    messages.error(request, exc.message)
                    return redirect("custody_funds:unidentified")
            else:
                messages.success(request, _("已将到账 %(r)s（%(a)s 元）匹配至 %(n)s，支付案款通知期限开始计算。")
                                 % {"r": receipt.reference, "a": _yuan(receipt.amount), "n": case.case_number})
                return redirect("custody_funds:unidentified")
    return _render_unidentified(request, bound={receipt.pk: form}, status=422)


# --- 案款审批: payments and holds awaiting the bureau head ------------------------------------------


@require_GET
@perm_required("custody_funds.approve")
def approval_queue(request: HttpRequest) -> HttpResponse:
    """案款审批: submitted disbursements and requested 延缓发放/提存 in scope, oldest
    first. The requester sees a note instead of the buttons (maker ≠ checker)."""
    user = request.user
    disbursements = list(
        funds.disbursements_visible_to(user).filter(status=S.SUBMITTED)
        .select_related("case__court", "drafted_by").order_by("drafted_at", "id")[:APPROVAL_ROWS]
    )
    holds = list(
        FundsHold.objects.filter(court_scope_q(user, field="case__court"), status=HoldStatus.REQUESTED)
        .select_related("case__court", "requested_by").order_by("requested_at", "id")[:APPROVAL_ROWS]
    )
    decide = {
        "approve": ACTIONS["approve"], "reject": ACTIONS["reject"],
        "hold-approve": ACTIONS["hold-approve"], "hold-reject": ACTIONS["hold-reject"],
    }

    def row(obj, maker_id: int, approve: Action, reject: Action) -> dict:
        return {
            "obj": obj, "own_request": maker_id == user.pk,
            "can_decide": user_has_role_over(user, obj.case.court, funds.APPROVERS),
            "approve_url": approve.url(obj.case, obj), "reject_url": reject.url(obj.case, obj),
        }

    context = {
        "disbursement_rows": [row(d, d.drafted_by_id, decide["approve"], decide["reject"]) for d in disbursements],
        "hold_rows": [row(h, h.requested_by_id, decide["hold-approve"], decide["hold-reject"]) for h in holds],
        "limit": APPROVAL_ROWS,
    }
    return render(request, "custody_funds/approval_queue.html", context)


# --- 支付案款通知 (printable) ---------------------------------------------------------------------------


@require_GET
@perm_required("core.use_browser")
def disbursement_notice(request: HttpRequest, disbursement_id: int) -> HttpResponse:
    """The notice to finance, for an A4 sheet: only once it has been sent."""
    d = (
        funds.disbursements_visible_to(request.user)
        .filter(pk=disbursement_id, status__in=[S.NOTIFIED, S.PAID])
        .select_related("case__court", "case__fund_account", "drafted_by", "approved_by", "paid_by")
        .first()
    )
    if d is None:
        raise Http404
    clock = clocks_by_subject(_subject_clocks(PAYMENT_RULE, "disbursement", [d.pk])).get(d.pk)
    context = {"d": d, "case": d.case, "court": d.case.court, "account": account_of(d.case), "clock": clock}
    return render(request, "custody_funds/notice.html", context)
