"""The 强制措施与调查措施 register (322号 §24; lifecycle spec §3 rows #3, #14–#16)."""


from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CourtDateField
from core.web.forms import DateInput, LocalDateTimeField, money_field
from enforcement.forms.base import ActionForm, AtForm
from enforcement.models import (
    PartyKind,
)

# --- 强制措施与调查措施 register (h/coercion) ---------------------------------------------------


class CoercionEntryForm(ActionForm):
    """One entry of the register; the service names every wrong input at once."""

    time_field = "decided_at"
    kind = forms.ChoiceField(label=_("措施"), choices=[])
    party = forms.TypedChoiceField(label=_("被执行人"), coerce=int, required=False, empty_value=None)
    person_name = forms.CharField(
        label=_("其他被采取措施人"), max_length=100, required=False,
        help_text=_("案外妨害执行的人，或单位的主要负责人、直接责任人员（拘留单位时必填）"),
    )
    target_kind = forms.ChoiceField(label=_("对象类型"), choices=[], required=False, help_text=_("未选被执行人时填写"))
    document_number = forms.CharField(label=_("决定书/文书文号"), max_length=100, required=False)
    decided_at = LocalDateTimeField(label=_("决定/实施时间"))
    amount = money_field(_("罚款金额（元）"), required=False)
    start_on = CourtDateField(label=_("拘留起始日"), required=False, widget=DateInput())
    end_on = CourtDateField(label=_("拘留届满日"), required=False, widget=DateInput(), help_text=_("起止两日均计入，合计不超过十五日"))
    route = forms.ChoiceField(label=_("拒执罪移送途径"), choices=[], required=False)
    application = forms.TypedChoiceField(label=_("对应的申请"), coerce=int, required=False, empty_value=None)
    note = forms.CharField(label=_("情况/结果"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from enforcement.models import ApplicationStatus, CoercionKind, ReferralRoute

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = CoercionKind.choices
        respondents = self.page.respondents if self.page else []
        self.fields["party"].choices = [("", _("（其他人）")), *((p.pk, p.name) for p in respondents)]
        self.fields["target_kind"].choices = [("", "—"), *PartyKind.choices]
        self.fields["route"].choices = [("", "—"), *ReferralRoute.choices]
        applications = getattr(self.page, "coercion_applications", None)  # read once by the section
        if applications is None and self.page is not None:
            applications = list(self.page.case.measure_applications.all())
        granted = [a for a in applications or [] if a.status == ApplicationStatus.GRANTED]
        self.fields["application"].choices = [("", "—"), *((a.pk, f"#{a.pk} {a.get_kind_display()}") for a in granted)]


class CoercionFindingForm(ActionForm):
    time_field = "found_at"
    party = forms.TypedChoiceField(label=_("被执行人"), coerce=int)
    kind = forms.ChoiceField(label=_("情形"), choices=[])
    found_at = LocalDateTimeField(label=_("认定时间"))
    note = forms.CharField(label=_("事实与证据"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        from enforcement.models import FindingKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = FindingKind.choices
        self.fields["party"].choices = [(p.pk, p.name) for p in (self.page.respondents if self.page else [])]


class MeasureApplicationForm(ActionForm):
    time_field = "applied_at"
    applicant = forms.TypedChoiceField(label=_("申请执行人"), coerce=int)
    kind = forms.ChoiceField(label=_("申请事项"), choices=[])
    applied_at = LocalDateTimeField(label=_("申请时间"))
    note = forms.CharField(label=_("申请理由"), max_length=1000, required=False)

    def __init__(self, *args, **kwargs):
        from enforcement.models.coercion import APPLICATION_KINDS

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.value, k.label) for k in APPLICATION_KINDS]
        self.fields["applicant"].choices = [(p.pk, p.name) for p in (self.page.applicants if self.page else [])]


class ApplicationDecideForm(AtForm):
    grant = forms.TypedChoiceField(
        label=_("决定"), choices=[("true", _("准许")), ("false", _("不予准许"))],
        coerce=lambda v: v == "true", widget=forms.RadioSelect, initial="true",
    )
    reason = forms.CharField(label=_("理由"), max_length=1000, required=False, help_text=_("不予准许须说明理由"))


class NotSanctionedForm(AtForm):
    party = forms.TypedChoiceField(label=_("被执行人"), coerce=int)
    reason = forms.CharField(label=_("不予采取强制措施的理由"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].choices = [(p.pk, p.name) for p in (self.page.respondents if self.page else [])]


class ReferralOutcomeForm(ActionForm):
    time_field = "outcome_on"
    outcome = forms.ChoiceField(label=_("处理结果"), choices=[])
    outcome_on = CourtDateField(label=_("结果日期"), widget=DateInput())
    outcome_document = forms.CharField(label=_("结果文书"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        from enforcement.models import ReferralOutcome

        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = [c for c in ReferralOutcome.choices if c[0] != ReferralOutcome.PENDING]
