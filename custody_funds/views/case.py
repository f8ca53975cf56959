"""The case funds page (一案一账号, 322号 §19–22): the account, its balance and
entries, receipts and disbursements with their clocks, holds, and the actions of the
user's role. A refusal (``ApplicationError``) is shown next to the input it is about,
at the top of its form, or as a message — never as a server error."""

import json

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.models import User
from core.web.clocks import ClockRows
from core.web.htmx import is_partial, render_body_or_page, safe_next
from core.web.pages import Action, ActionPage, action_run
from custody_funds import policy, selectors
from custody_funds.models import POSTING_LABELS, DisbursementStatus, HoldStatus
from custody_funds.selectors import NOTICE_RULE, PAYMENT_RULE
from custody_funds.views.case_actions import ACTIONS, CODE_FIELDS, action_url
from enforcement.models import Case

LEDGER_ROWS = 200

CHANNEL_LABELS = {"bank": _("银行"), "cash": _("现金")}


def _case_or_404(user: User, case_id: int) -> Case:
    case = selectors.case_for_funds(user, case_id)
    if case is None:
        raise Http404
    return case


class FundsPage(ActionPage):
    """Everything the case funds page shows, in a fixed number of queries."""

    actions = ACTIONS

    def __init__(self, request: HttpRequest, case: Case):
        super().__init__()
        self.request, self.case, self.user = request, case, request.user
        self.account = selectors.account_of(case)
        court = case.court
        self.can_draft = policy.can_handle_funds(self.user, court)
        self.can_record = policy.can_record_receipts(self.user, court)
        self.is_finance = policy.is_finance_at(self.user, court)
        self.is_approver = policy.is_approver_over(self.user, court)
        self.clocks = ClockRows()
        self.applicants = selectors.case_applicants(case)
        self.receipts = selectors.case_receipts(self.user, case)
        self.disbursements = selectors.case_disbursements(self.user, case)
        self.holds = selectors.case_holds(case)
        deadlines = selectors.case_funds_clocks(case)
        self.notice_clocks = {d.subject_id: d for d in deadlines if d.rule.code == NOTICE_RULE}
        self.payment_clocks = {d.subject_id: d for d in deadlines if d.rule.code == PAYMENT_RULE}
        self._officers: list[tuple[User, str]] | None = None

    @property
    def available(self):
        return self.account.available if self.account is not None else 0

    @property
    def officers(self) -> list[tuple[User, str]]:
        """Who may handle cash with the user: people of the case's court with a
        recording role (款物规定: 双人经手), each with their roles in words."""
        if self._officers is None:
            users: dict[int, User] = {}
            roles: dict[int, list[str]] = {}
            for m in selectors.cash_officers(self.case, other_than=self.user):
                users.setdefault(m.user_id, m.user)
                roles.setdefault(m.user_id, []).append(str(m.get_role_display()))
            self._officers = [(u, "、".join(roles[pk])) for pk, u in users.items()]
        return self._officers

    @property
    def second_officers(self) -> list[tuple[int, str]]:
        return [(u.pk, f"{u}（{roles}）") for u, roles in self.officers]

    # --- forms ----------------------------------------------------------------------
    def action_url(self, action: Action, obj=None) -> str:
        return action_url(self.case, action, obj)

    def find(self, on: str, obj_id: int):
        objects = self.disbursements if on == "disbursement" else self.holds
        return next((o for o in objects if o.pk == obj_id), None)

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
            rows.append({
                "d": d, "clock": self.clocks.row(self.payment_clocks.get(d.pk)), "forms": self.forms_on("disbursement", d),
                # awaiting another approver (maker ≠ checker)
                "own_request": d.status == DisbursementStatus.SUBMITTED and policy.made_by(self.user, d),
                "has_notice": d.status in (DisbursementStatus.NOTIFIED, DisbursementStatus.PAID),
            })
        return rows

    def hold_rows(self) -> list[dict]:
        return [
            {"hold": h, "forms": self.forms_on("hold", h),
             "own_request": h.status == HoldStatus.REQUESTED and policy.made_by(self.user, h)}
            for h in self.holds
        ]

    def ledger_rows(self) -> tuple[list[dict], bool]:
        """The account's entries, oldest first, each with the balance after it (a
        window sum over every entry; only the latest ``LEDGER_ROWS`` are shown)."""
        if self.account is None:
            return [], False
        legs = selectors.ledger_legs_latest(self.account, LEDGER_ROWS)
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
    if not form.is_valid() and back:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return redirect(back)
    invalid = not form.is_valid()
    done, status = action_run(form, lambda: spec.perform(page, obj, form), code_fields=CODE_FIELDS)
    if done is not None:
        messages.success(request, done.message)
        return _after_action(request, case_id, back)
    if not invalid and (status == 403 or not form.fields or back):
        # refused: a button without inputs, a form sent from a queue (``next``) or a
        # user who may not (403) hears it as a message on the page it came from
        for error in form.non_field_errors() or [e for errors in form.errors.values() for e in errors]:
            messages.error(request, error)
        return _after_action(request, case_id, back)
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
