"""The actions of the case funds page: each one's form, its service call and when it
is offered — from ``custody_funds.policy``, the same rules the services enforce."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.web.pages import Action, Done
from custody_funds import forms as f
from custody_funds import policy
from custody_funds.models import HoldKind
from custody_funds.services import funds
from custody_funds.views.common import yuan
from enforcement.models import Case


def action_url(case: Case, action: Action, obj=None) -> str:
    """The URL an action of the case funds page posts to."""
    if obj is None:
        return reverse("custody_funds:case-action", kwargs={"case_id": case.pk, "action": action.slug})
    return reverse(
        "custody_funds:case-object-action", kwargs={"case_id": case.pk, "action": action.slug, "obj_id": obj.pk}
    )


def _do_draft(page, obj, form) -> Done:
    d = form.cleaned_data
    disbursement = funds.disbursement_draft(
        actor=page.user, case=page.case, payee_id=d["payee"], amount=d["amount"], account_number=d["account_number"],
        change=funds.AccountChange(
            document=d.get("account_change_document") or "",
            received_on=d.get("account_change_received_on"),
            note=d.get("account_change_request") or "",
        ),
    )
    return Done(_("已起草支付案款 %(a)s 元（收款人 %(p)s），请提交审批。") % {"a": yuan(disbursement.amount), "p": disbursement.holder})


def _do_submit(page, d, form) -> Done:
    funds.disbursement_submit(actor=page.user, disbursement=d)
    return Done(_("已提交执行局长审批。"))


def _do_approve(page, d, form) -> Done:
    funds.disbursement_approve(actor=page.user, disbursement=d)
    return Done(_("已批准支付案款 %(a)s 元（%(p)s）。") % {"a": yuan(d.amount), "p": d.holder})


def _do_reject(page, d, form) -> Done:
    data = form.cleaned_data
    funds.disbursement_reject(actor=page.user, disbursement=d, note=data["note"])
    return Done(_("已驳回支付案款 %(a)s 元，预留金额已释放。") % {"a": yuan(d.amount)})


def _do_notify(page, d, form) -> Done:
    funds.disbursement_notify_finance(actor=page.user, disbursement=d)
    return Done(_("已向财务部门发出支付案款通知，财务应在5个工作日内发放。"))


def _do_pay(page, d, form) -> Done:
    data = form.cleaned_data
    funds.disbursement_pay(actor=page.user, disbursement=d, bank_reference=data["bank_reference"].strip())
    return Done(_("已登记发放 %(a)s 元（%(p)s）。") % {"a": yuan(d.amount), "p": d.holder})


def _do_cancel(page, d, form) -> Done:
    data = form.cleaned_data
    funds.disbursement_cancel(actor=page.user, disbursement=d, note=data["note"])
    return Done(_("已撤销，预留金额已释放。"))


def _do_delay(page, obj, form) -> Done:
    d = form.cleaned_data
    funds.hold_request(actor=page.user, case=page.case, kind=HoldKind.DELAY, reason=d["reason"], note=d["note"])
    return Done(_("已提出延缓发放申请，待执行局长审批。"))


def _do_deposit(page, obj, form) -> Done:
    d = form.cleaned_data
    funds.hold_request(
        actor=page.user, case=page.case, kind=HoldKind.DEPOSIT, reason=d["reason"], note=d["note"], amount=d["amount"]
    )
    return Done(_("已提出提存申请（%(a)s 元），待执行局长审批。") % {"a": yuan(d["amount"])})


def _do_hold_approve(page, hold, form) -> Done:
    funds.hold_decide(actor=page.user, hold=hold, approve=True)
    if hold.kind == HoldKind.DELAY:
        return Done(_("已批准延缓发放，支付案款通知期限中止计算。"))
    return Done(_("已批准提存，案款已转出本案账户。"))


def _do_hold_reject(page, hold, form) -> Done:
    funds.hold_decide(actor=page.user, hold=hold, approve=False)
    return Done(_("已驳回%(k)s申请。") % {"k": hold.get_kind_display()})


def _do_hold_release(page, hold, form) -> Done:
    funds.hold_release(actor=page.user, hold=hold)
    return Done(_("已解除延缓发放，支付案款通知期限恢复计算。"))


def _do_cash(page, obj, form) -> Done:
    d = form.cleaned_data
    officer = next((u for u, _roles in page.officers if u.pk == d["second_officer"]), None)
    receipt, created = funds.receipt_record(
        actor=page.user, court=page.case.court, reference=d["reference"], account_number=page.account.number,
        amount=d["amount"], arrived_at=d["arrived_at"], payer=d["payer"], channel="cash", second_officer=officer,
    )
    if not created:
        return Done(_("收据 %(r)s 此前已登记。") % {"r": receipt.reference})
    return Done(_("已登记现金收款 %(a)s 元。") % {"a": yuan(receipt.amount)})


# Who may is ``policy``; the page adds only whether the action makes sense now
# (money to pay, an applicant to pay, an account to post to).
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
               lambda p, d: policy.can_submit_disbursement(p.user, d), on="disbursement"),
        Action("approve", f.ButtonForm, _("批准"), _("批准"), _do_approve,
               lambda p, d: policy.can_approve_disbursement(p.user, d), on="disbursement"),
        Action("reject", f.RejectForm, _("驳回"), _("驳回"), _do_reject,
               lambda p, d: policy.can_reject_disbursement(p.user, d), on="disbursement", danger=True),
        Action("notify", f.ButtonForm, _("通知财务发放"), _("发出支付案款通知"), _do_notify,
               lambda p, d: policy.can_notify_disbursement(p.user, d), on="disbursement"),
        Action("pay", f.PayForm, _("登记发放"), _("确认已发放"), _do_pay,
               lambda p, d: policy.can_pay_disbursement(p.user, d), on="disbursement"),
        Action("cancel", f.CancelForm, _("撤销"), _("撤销"), _do_cancel,
               lambda p, d: policy.can_cancel_disbursement(p.user, d), on="disbursement", danger=True),
        Action("hold-approve", f.ButtonForm, _("批准"), _("批准"), _do_hold_approve,
               lambda p, h: policy.can_approve_hold(p.user, h), on="hold"),
        Action("hold-reject", f.ButtonForm, _("驳回"), _("驳回"), _do_hold_reject,
               lambda p, h: policy.can_reject_hold(p.user, h), on="hold", danger=True),
        Action("hold-release", f.ButtonForm, _("解除延缓发放"), _("解除延缓"), _do_hold_release,
               lambda p, h: policy.can_release_hold(p.user, h), on="hold"),
    ]
}

# A refusal with one of these rule codes concerns this input.
CODE_FIELDS = {
    "insufficient_balance": "amount",
    "payee_not_confirmed": "account_change_document",
    "receipt_reference_reused": "reference",
}
