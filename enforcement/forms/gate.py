"""The 终本 gate's records: property rows (spec §3 #9, #11, #13) and per-party procedure
records (#1, #2, #18, #20)."""


from django import forms
from django.utils.translation import gettext_lazy as _

from core.web.forms import LocalDateTimeField, money_field
from enforcement.forms.base import ActionForm, AtForm
from enforcement.models import (
    CaseStatus,
    DocumentServiceMethod,
    InterviewOpinion,
    PropertyReportOutcome,
    ServedDocument,
)

# --- h/gateprop: the property rows of the 终本 gate (spec §3 #9, #11, #13) ----------------------


class ClueAssetForm(AtForm):
    """登记经查属实的线索查明的财产: one of the case's assets, or a new one."""

    asset = forms.TypedChoiceField(label=_("本案已有的财产"), coerce=int, required=False, empty_value=None)
    category = forms.ChoiceField(label=_("新财产的类型"), required=False)
    description = forms.CharField(label=_("新财产的描述"), max_length=500, required=False)
    value = money_field(_("价值（元）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assets = self.page.assets if self.page else []
        self.fields["asset"].choices = [("", "—"), *((a.pk, str(a)) for a in assets)]
        categories = self.page.all_categories if self.page else []
        self.fields["category"].choices = [("", "—"), *((c.code, c.name) for c in categories)]


class WaitingSeizureForm(AtForm):
    first_court = forms.CharField(label=_("首封法院"), max_length=100, required=False)
    applicant_priority = forms.BooleanField(label=_("申请执行人享有优先受偿权"), required=False)


class PriorityTransferForm(AtForm):
    letter_no = forms.CharField(label=_("商请函文号"), max_length=100, required=False)
    first_court = forms.CharField(
        label=_("首封法院"), max_length=100, required=False, help_text=_("不填则为轮候查封记录的首封法院")
    )


class PriorityTransferAnswerForm(AtForm):
    agreed = forms.TypedChoiceField(
        label=_("首封法院答复"), choices=[("true", _("同意移送")), ("false", _("不同意移送"))],
        coerce=lambda v: v == "true", widget=forms.RadioSelect, initial="false",
    )
    note = forms.CharField(label=_("答复内容"), max_length=500, required=False)


class OffsetRefusalForm(AtForm):
    applicant = forms.TypedChoiceField(label=_("申请执行人"), coerce=int, required=False, empty_value=None)
    document = forms.CharField(
        label=_("签字确认的书面材料"), max_length=200, required=False, help_text=_("如《不同意以物抵债确认书》")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        applicants = self.page.applicants if self.page else []
        self.fields["applicant"].choices = [("", "—"), *((p.pk, p.name) for p in applicants)]


# --- h/gateproc: per-party procedure records of the 终本 gate --------------------------------------


class ServiceForm(ActionForm):
    """送达 of 执行通知书 / 报告财产令 on a respondent, or of the 终本 ruling on any party."""

    time_field = "served_at"
    party = forms.TypedChoiceField(label=_("受送达人"), coerce=int)
    document = forms.ChoiceField(label=_("送达文书"), choices=ServedDocument.choices)
    method = forms.ChoiceField(label=_("送达方式"), choices=DocumentServiceMethod.choices, initial=DocumentServiceMethod.DIRECT)
    served_at = LocalDateTimeField(label=_("送达时间"), help_text=_("公告送达的，填公告期满之日"))
    note = forms.CharField(label=_("说明"), max_length=500, required=False, help_text=_("送达未成功的，须说明原因"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.page
        parties = (page.respondents + page.applicants) if page else []
        self.fields["party"].choices = [(p.pk, f"{p.get_role_display()} {p.name}") for p in parties]
        if page is not None and page.case.status == CaseStatus.CLOSING:
            self.fields["document"].initial = ServedDocument.TERMINATED_RULING


class PropertyReportForm(AtForm):
    respondent = forms.TypedChoiceField(label=_("被执行人"), coerce=int)
    outcome = forms.ChoiceField(label=_("报告情况"), choices=PropertyReportOutcome.choices)
    received_at = LocalDateTimeField(label=_("收到报告时间"), required=False)
    check_result = forms.CharField(label=_("核查结果"), max_length=1000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_at"].initial = None
        self.fields["respondent"].choices = [(p.pk, p.name) for p in (self.page.respondents if self.page else [])]


class ApplicantInterviewForm(AtForm):
    applicant = forms.TypedChoiceField(label=_("申请执行人"), coerce=int)
    note = forms.CharField(label=_("告知内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("案件执行情况、财产调查措施及结果、终本的依据和法律后果"))
    opinion = forms.ChoiceField(label=_("申请执行人意见"), choices=InterviewOpinion.choices)
    opinion_text = forms.CharField(label=_("意见内容"), max_length=1000, required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}), help_text=_("有异议的必须填写"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applicant"].choices = [(p.pk, p.name) for p in (self.page.applicants if self.page else [])]
