"""Browser forms of the case-funds pages. They parse and check the shape of what was
typed; every rule (confirmed account, enough money, maker ≠ checker, the 款物规定
reasons) lives in ``custody_funds.services.funds``, whose ``ApplicationError`` the
views place next to the field it names (``core.web.forms.place_error``)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from core.identity import mask_account
from core.web.forms import LocalDateTimeField, local_now_input
from core.web.forms import money_field as core_money_field
from custody_funds.models import DELAY_REASONS, DEPOSIT_REASONS

ACCOUNT_SHAPE = re.compile(r"^\d{8,40}$")


def money_field(label, *, required: bool = True, **kwargs) -> forms.DecimalField:
    return core_money_field(label, required=required, min_value=0, **kwargs)


# --- actions on the case funds page ------------------------------------------------------------


class ActionForm(forms.Form):
    """A small form of the case funds page. ``page`` is the ``FundsPage`` it is shown
    on, ``obj`` the disbursement or hold it acts on (if any)."""

    template_name_action = "custody_funds/_action_form.html"

    def __init__(self, *args, page=None, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page, self.obj = page, obj


class ButtonForm(ActionForm):
    """An action without inputs (submit, approve, notify...): one button."""

    template_name_action = "custody_funds/_button_form.html"


class DraftForm(ActionForm):
    """起草支付案款. The payee's confirmed account (322号 §20) is prefilled masked: it
    is never sent to the browser whole, and the masked value stands for it."""

    template_name_action = "custody_funds/_draft_form.html"
    payee = forms.TypedChoiceField(label=_("收款人"), coerce=int, help_text=_("本案申请执行人"))
    account_number = forms.CharField(
        label=_("收款账号"), max_length=40,
        help_text=_("默认为立案时确认的收款账户"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "inputmode": "numeric"}),
    )
    # Another account than the confirmed one: the applicant's written request, as the
    # person who received it records it (322号 §20; the service checks it again).
    account_change_document = forms.CharField(
        label=_("书面变更申请文号"), max_length=60, required=False,
        help_text=_("收款账户与立案时确认的不一致的，登记申请执行人书面变更申请的收文号或申请书编号，由执行局长审批（322号第20条）"),
    )
    account_change_received_on = forms.DateField(
        label=_("收到书面申请日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    account_change_request = forms.CharField(
        label=_("变更说明"), max_length=300, required=False,
        help_text=_("申请变更的理由和新账户的户名、开户行"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    amount = money_field(_("发放金额（元）"), help_text=_("先行发放无争议部分（322号第22条）"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        applicants = self.page.applicants if self.page else []
        self.confirmed = {
            p.pk: p.payout_account.account_number for p in applicants if getattr(p, "payout_account", None)
        }
        self.fields["payee"].choices = [(p.pk, p.name) for p in applicants]
        if applicants:
            first = applicants[0].pk
            self.fields["payee"].initial = first
            self.fields["account_number"].initial = mask_account(self.confirmed.get(first, ""))
        available = self.page.available if self.page else None
        if available:
            self.fields["amount"].initial = available

    @property
    def masked_confirmed(self) -> dict[str, str]:
        """Payee id → the masked confirmed account (the browser swaps it in when the
        payee changes)."""
        return {str(pk): mask_account(number) for pk, number in self.confirmed.items()}

    @property
    def account_changed(self) -> bool:
        """Whether the account typed differs from the payee's confirmed one (the
        change-request input is shown then)."""
        if not self.is_bound:
            return False
        value = (self.data.get(self.add_prefix("account_number")) or "").replace(" ", "")
        try:
            payee = int(self.data.get(self.add_prefix("payee")) or 0)
        except ValueError:
            return True
        confirmed = self.confirmed.get(payee, "")
        return value not in (confirmed, mask_account(confirmed)) or any(
            self.errors.get(f) for f in ("account_change_document", "account_change_received_on", "account_change_request")
        )

    def clean(self):
        data = super().clean()
        payee, number = data.get("payee"), (data.get("account_number") or "").replace(" ", "")
        if payee is None or not number:
            return data
        confirmed = self.confirmed.get(payee, "")
        if "*" in number:
            if confirmed and number == mask_account(confirmed):
                data["account_number"] = confirmed
            else:
                self.add_error("account_number", _("请填写完整的收款账号。"))
        elif not ACCOUNT_SHAPE.match(number):
            self.add_error("account_number", _("账号应为8至40位数字。"))
        else:
            data["account_number"] = number
        return data


class NoteForm(ActionForm):
    note = forms.CharField(label=_("理由"), max_length=300)


class RejectForm(NoteForm):
    note = forms.CharField(label=_("驳回理由"), max_length=300)


class CancelForm(NoteForm):
    note = forms.CharField(label=_("撤销理由"), max_length=300)


class PayForm(ActionForm):
    bank_reference = forms.CharField(
        label=_("付款流水号"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=_("银行付款回单上的流水号"),
    )


class DelayForm(ActionForm):
    reason = forms.ChoiceField(label=_("延缓发放事由"), choices=list(DELAY_REASONS.items()))
    note = forms.CharField(label=_("具体情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class DepositForm(ActionForm):
    reason = forms.ChoiceField(label=_("提存事由"), choices=list(DEPOSIT_REASONS.items()))
    amount = money_field(_("提存金额（元）"))
    note = forms.CharField(label=_("具体情况"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.page and self.page.available:
            self.fields["amount"].initial = self.page.available


class CashReceiptForm(ActionForm):
    """现金收款: two officers handle cash together (款物规定: 双人经手)."""

    reference = forms.CharField(label=_("收款收据号"), max_length=64, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    amount = money_field(_("金额（元）"))
    arrived_at = LocalDateTimeField(label=_("收款时间"), help_text=_("北京时间"), initial=local_now_input)
    payer = forms.CharField(label=_("交款人"), max_length=100)
    second_officer = forms.TypedChoiceField(label=_("共同经手人"), coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officers = self.page.second_officers if self.page else []
        self.fields["second_officer"].choices = [("", "—"), *officers]


# --- the queues ---------------------------------------------------------------------------------


class MatchForm(forms.Form):
    """不明款匹配: the case is typed by its number (searched within the receipt's court)."""

    case_number = forms.CharField(
        label=_("案号"), max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("输入案号或当事人名称查找")}),
    )
    reason = forms.CharField(
        label=_("匹配依据"), max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("如：付款人提供的转账凭证")}),
    )

    # Shown once the case proves closed or closing (结案/终本): the clerk confirms with a reason.
    confirm_closed_case = forms.BooleanField(label=_("确认匹配到该已结案（终本）案件"), required=False)
    closed_case_reason = forms.CharField(
        label=_("确认理由"), max_length=300, required=False,
        widget=forms.TextInput(attrs={"placeholder": _("如：终本后被执行人主动履行，将申请恢复执行")}),
    )

    def clean_case_number(self) -> str:
        return self.cleaned_data["case_number"].strip().replace("（", "(").replace("）", ")")

    @property
    def asks_closed_case(self) -> bool:
        """Whether the confirmation inputs are shown: after the warning, or when ticked."""
        return bool(getattr(self, "closed_case", None) or self.data.get(self.add_prefix("confirm_closed_case"))
                    or self.errors.get("closed_case_reason"))


class QueuePayForm(forms.Form):
    bank_reference = forms.CharField(
        label=_("付款流水号"), max_length=64,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": _("付款流水号")}),
    )


# --- 到账日报 and 对账 -------------------------------------------------------------------------------


class PeriodForm(forms.Form):
    """A day or a range (default today) and one of the person's courts (empty: all)."""

    # ISO dates: what an <input type=date> accepts as its value
    from_ = forms.DateField(label=_("开始日期"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    to = forms.DateField(label=_("结束日期"), required=False,
                         widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    court = forms.ChoiceField(label=_("法院"), required=False)

    def __init__(self, *args, courts: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the input is named ``from`` as in the REST query
        self.fields["from"] = self.fields.pop("from_")
        self.fields["court"].choices = [("", _("全部法院")), *courts]
        self.order_fields(["from", "to", "court"])


class StatementForm(PeriodForm):
    """The bank's statement (CSV or Excel: 交易日期, 金额, 流水号, 对方户名) of one court's
    custody account for a period."""

    court = forms.ChoiceField(label=_("法院（执行款专户）"))
    file = forms.FileField(label=_("银行对账单"), help_text=_("CSV 或 Excel（.xlsx）文件，首行为表头：交易日期、金额、流水号、对方户名"))

    def __init__(self, *args, courts: list[tuple[str, str]], **kwargs):
        super().__init__(*args, courts=courts, **kwargs)
        self.fields["court"].choices = courts
        self.fields["from"].required = self.fields["to"].required = True
        self.order_fields(["court", "from", "to", "file"])
