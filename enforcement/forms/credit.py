"""失信/限消 per respondent (322号 §23; lifecycle spec §4)."""


from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CourtDateField
from core.web.forms import DateInput, LocalDateTimeField, money_field
from enforcement.forms.base import ActionForm, AtForm
from enforcement.models import (
    CorrectionOutcome,
    RestrictedRole,
    ServiceMethod,
)

# --- h/credit: 失信/限消 per respondent (spec §4) ----------------------------------------------------


class CreditServeForm(ActionForm):
    time_field = "served_at"
    served_at = LocalDateTimeField(label=_("送达时间"))
    method = forms.ChoiceField(label=_("送达方式"), choices=ServiceMethod.choices, initial=ServiceMethod.DIRECT)
    recipient = forms.CharField(label=_("受送达人"), max_length=100)


class CreditCorrectionRequestForm(AtForm):
    reason = forms.CharField(label=_("纠正申请的事实和理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CreditCorrectionDecideForm(AtForm):
    outcome = forms.ChoiceField(label=_("决定"), choices=CorrectionOutcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("决定理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class CreditUrgentReleaseForm(AtForm):
    reason = forms.CharField(label=_("情况紧急的事由"), max_length=500)


class CreditPersonAddForm(ActionForm):
    name = forms.CharField(label=_("姓名"), max_length=100)
    id_number = forms.CharField(
        label=_("证件号码"), max_length=18, widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    )
    role = forms.ChoiceField(label=_("身份"), choices=RestrictedRole.choices)
    since = CourtDateField(label=_("任职起"), required=False, widget=DateInput())
    until = CourtDateField(label=_("任职止"), required=False, widget=DateInput())


class CreditPersonReleaseForm(AtForm):
    change_record = forms.CharField(
        label=_("登记机关变更记录"), max_length=500, help_text=_("变更登记的机关、文号和日期")
    )


class CreditGuaranteeForm(AtForm):
    document = forms.CharField(label=_("担保书/担保财产"), max_length=200)
    amount = money_field(_("担保金额（元）"), required=False)


class CreditConsentForm(AtForm):
    document = forms.CharField(label=_("申请执行人同意书"), max_length=200)
    delete_dishonest = forms.BooleanField(
        label=_("同意书同时申请删除失信信息（须执行局长批准）"), required=False
    )


class DishonestNotApplicableForm(AtForm):
    reason = forms.CharField(
        label=_("不符合纳入失信名单条件的理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
