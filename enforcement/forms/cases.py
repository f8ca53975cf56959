"""Case registration and the case list's filter."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core import messages
from core.forms import CourtDateField
from core.web.forms import DateInput, LocalDateTimeField, money_field
from enforcement.models import (
    CaseStatus,
    PartyKind,
    Track,
)

# --- case registration ----------------------------------------------------------------------


class PartyRowForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=PartyKind.choices, initial=PartyKind.PERSON)
    name = forms.CharField(label=_("名称/姓名"), max_length=100)
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        help_text=_("公民身份号码或统一社会信用代码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)


class ApplicantRowForm(PartyRowForm):
    # 322号 §20: the payout account is confirmed when the case is filed; the service
    # says so when it is missing, so the three inputs are optional here.
    bank = forms.CharField(label=_("收款开户行"), max_length=100, required=False)
    account_number = forms.CharField(
        label=_("收款账号"), max_length=40, required=False, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    holder = forms.CharField(label=_("户名"), max_length=100, required=False)


class CaseForm(forms.Form):
    case_number = forms.CharField(
        label=_("案号"), max_length=64, help_text=_("如 (2026)鲁0102执1001号，全角括号亦可")
    )
    court = forms.TypedChoiceField(label=_("收案法院"), coerce=int)
    filed_on = CourtDateField(label=_("立案日期"), widget=DateInput())
    received_at = LocalDateTimeField(label=_("移送执行时间"), help_text=_("北京时间"))
    claim_amount = money_field(_("申请执行标的（元）"))
    costs = money_field(_("执行费用（元）"), required=False)
    basis_document = forms.CharField(label=_("执行依据"), max_length=200, help_text=_("生效法律文书文号"))
    track = forms.ChoiceField(label=_("繁简"), choices=Track.choices, initial=Track.SIMPLE)
    handler = forms.TypedChoiceField(label=_("承办人"), coerce=int, required=False, empty_value=None)
    team = forms.CharField(label=_("办案团队"), max_length=50, required=False)
    find_property = forms.BooleanField(
        label=_("保全裁定要求查找财产（仅执保案件）"),
        required=False,
        help_text=_("勾选后开始计算发起网络查控期限；执保案件不计算执行通知书期限和执行期限"),
    )

    def __init__(self, *args, courts, handlers: dict[int, list[tuple[int, str]]], **kwargs):
        super().__init__(*args, **kwargs)
        self.courts = {c.pk: c for c in courts}
        self.handlers = handlers
        self.fields["court"].choices = [(c.pk, c.name) for c in courts]
        grouped: list[Any] = [("", _("（暂不指定）"))]
        for court in courts:
            if handlers.get(court.pk):
                grouped.append((court.name, handlers[court.pk]))
        self.fields["handler"].choices = grouped

    def clean(self):
        data = super().clean()
        court, handler = data.get("court"), data.get("handler")
        if court is not None and handler is not None:
            if handler not in {pk for pk, _label in self.handlers.get(court, [])}:
                self.add_error("handler", messages.HANDLER_NOT_OF_COURT)
        return data


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("搜索"), required=False, max_length=100,
        widget=forms.SearchInput(attrs={"placeholder": _("案号或当事人名称")}),
    )
    court = forms.ChoiceField(label=_("法院"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *CaseStatus.choices])
    handler = forms.ChoiceField(label=_("承办人"), required=False)
    overdue = forms.ChoiceField(
        label=_("超期"), required=False, choices=[("", _("全部")), ("yes", _("有超期")), ("no", _("无超期"))]
    )
    track = forms.ChoiceField(label=_("繁简"), required=False, choices=[("", _("全部")), *Track.choices])

    def __init__(self, *args, courts, handlers: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [("", _("全部")), *((c.code, c.name) for c in courts)]
        self.fields["handler"].choices = [("", _("全部")), *handlers]

    def params(self) -> dict:
        """The filters for ``CaseListCreateApi.filtered``; invalid ones are dropped."""
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v}
        if "overdue" in data:
            data["overdue"] = data["overdue"] == "yes"
        return data
