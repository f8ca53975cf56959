"""The actions on a case: procedure, searches, control measures (and their 超标的查封
异议 / 分割查封), disposal, clues, credit, closure and approval requests."""


from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CourtDateField
from core.services import clocks
from core.web.forms import DateInput, LocalDateTimeField, RowSet, money_field
from enforcement.forms.base import ActionForm, AtForm
from enforcement.models import (
    ApprovalKind,
    ClosureType,
    ControlKind,
    CreditKind,
    EstimateBasis,
    ObjectionRuling,
    PriceMethod,
    SaleMode,
    SearchChannel,
    Track,
    UncontrollableReason,
)
from enforcement.selectors import suspension_approvers


class NoticeForm(ActionForm):
    time_field = "served_at"
    served_at = LocalDateTimeField(label=_("送达时间"))


class InterviewForm(AtForm):
    note = forms.CharField(label=_("约谈内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class SuspendForm(AtForm):
    """中止执行 by a ruling: its number and the bureau head who approved it (≠ the
    requester; the service checks and places its refusals beside these inputs)."""

    ruling_number = forms.CharField(label=_("中止执行裁定书文号"), max_length=100, required=False)
    approved_by = forms.TypedChoiceField(label=_("批准人（执行局长）"), coerce=int, required=False, empty_value=None)
    reason = forms.CharField(label=_("中止事由"), max_length=500, required=False, help_text=_("如案外人异议、申请执行人同意暂缓等"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.page
        # the requester may not approve his own 中止 (maker ≠ checker)
        approvers = [u for u in suspension_approvers(page.case) if u.pk != page.user.pk] if page is not None else []
        self.fields["approved_by"].choices = [
            ("", "—"),
            *((u.pk, u.get_full_name() or u.get_username()) for u in approvers),
        ]


class ResumeForm(AtForm):
    pass


class FulfilmentForm(AtForm):
    note = forms.CharField(
        label=_("履行情况"), max_length=500,
        help_text=_("仅登记履行完毕；提供担保或申请执行人同意请在“信用惩戒”中按被执行人登记"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class TrackForm(ActionForm):
    track = forms.ChoiceField(label=_("繁简"), choices=Track.choices)
    reason = forms.CharField(label=_("理由"), max_length=500, required=False)


class SearchLaunchForm(ActionForm):
    time_field = "launched_at"
    channel = forms.ChoiceField(label=_("查询渠道"), choices=SearchChannel.choices, initial=SearchChannel.NATIONAL)
    categories = forms.MultipleChoiceField(
        label=_("查询范围"), widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("默认勾选本院已开通的全部网络查控类型"),
    )
    launched_at = LocalDateTimeField(label=_("发起时间"))
    respondent = forms.TypedChoiceField(
        label=_("被查询的被执行人"), coerce=int, required=False, empty_value=None,
        help_text=_("每个被执行人都须查询（322号第24条）"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        categories = self.page.enabled_categories if self.page else []
        self.fields["categories"].choices = [(c.code, c.name) for c in categories]
        self.fields["categories"].initial = [c.code for c in categories]
        # h/gateprop: the respondent searched; offline, every category may be investigated
        respondents = self.page.respondents if self.page else []
        self.fields["respondent"].choices = [(p.pk, p.name) for p in respondents]
        if respondents:
            self.fields["respondent"].initial = respondents[0].pk
        if self.page and self.page.all_categories:
            self.fields["categories"].choices = [(c.code, c.name) for c in self.page.all_categories]


class FindingRowForm(forms.Form):
    category = forms.ChoiceField(label=_("财产类型"))
    description = forms.CharField(label=_("财产描述"), max_length=500)
    value = money_field(_("价值（元）"), required=False)
    controllable_online = forms.BooleanField(label=_("可网络控制"), required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "—"), *((c.code, c.name) for c in categories)]


class FeedbackForm(ActionForm):
    """查询反馈 with its findings (three blank rows, more by htmx)."""

    template_name_action = "enforcement/_feedback_form.html"
    time_field = "received_at"
    received_at = LocalDateTimeField(label=_("反馈时间"))
    note = forms.CharField(
        label=_("调查情况"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("线下调查未发现财产的，写明调查的地点、对象和结果"),
    )

    def __init__(self, *args, auto_id="id_%s", **kwargs):
        super().__init__(*args, auto_id=auto_id, **kwargs)
        self.findings = RowSet(
            FindingRowForm, "findings", self.data if self.is_bound else None, initial_rows=3, auto_id=auto_id,
            form_kwargs={"categories": self.page.all_categories if self.page else []},
        )

    def rowsets(self) -> list[RowSet]:
        return [self.findings]

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.findings.is_valid()])


class ControlForm(ActionForm):
    """查封/扣押/冻结 (322号 §15): the value it adds (amount, the part seized, the
    asset's value or a reasoned estimate), the approved override if over the limit.
    A refusal for over-seizure offers the approval request in place."""

    time_field = "effective_at"
    kind = forms.ChoiceField(label=_("措施"), choices=ControlKind.choices)
    amount = money_field(_("控制金额（元）"), required=False, help_text=_("冻结存款必须填写具体数额"))
    effective_at = LocalDateTimeField(label=_("生效时间"))
    estimated_value = money_field(
        _("估算价值（元）"), required=False, help_text=_("尚无评估价、参考价的，须填写有依据的估算价值")
    )
    estimate_basis = forms.ChoiceField(label=_("估算依据"), choices=[("", "—"), *EstimateBasis.choices], required=False)
    estimate_note = forms.CharField(
        label=_("估算说明"), max_length=500, required=False, help_text=_("如询价平台与结果、参照的成交案例")
    )
    share = forms.CharField(
        label=_("查封部分（份额/面积）"), max_length=200, required=False,
        help_text=_("财产整体价值明显超出债权额的，只查封相应价值部分（分割查封）"),
    )
    share_value = money_field(_("查封部分价值（元）"), required=False)
    whole_because_indivisible = forms.BooleanField(label=_("登记机构不能分割查封，整体查封"), required=False)
    registry_refusal = forms.CharField(label=_("登记机构不能分割查封的说明"), max_length=500, required=False)
    selection_reason = forms.CharField(
        label=_("选择该财产的理由"), max_length=1000, required=False,
        help_text=_("有多项财产可供控制时，说明为何选择对当事人生产生活影响较小且方便执行的该项财产"),
    )
    override_approval = forms.TypedChoiceField(
        label=_("超标的查封审批"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        asset = self.obj
        if asset is not None:
            self.fields["kind"].initial = _default_control_kind(asset.category.code)
            if asset.value is not None and asset.category.code == "bank_deposit":
                self.fields["amount"].initial = asset.value
            if asset.value is not None:  # appraised or priced: no estimate needed
                for name in ("estimated_value", "estimate_basis", "estimate_note"):
                    del self.fields[name]
        approvals = self.page.usable_overrides if self.page else []
        if approvals:
            self.fields["override_approval"].choices = [("", "—"), *((a.pk, a.label) for a in approvals)]
        else:
            del self.fields["override_approval"]


class SeizureObjectionForm(ActionForm):
    """超标的查封异议 filed by a party (322号 §15)."""

    time_field = "filed_at"
    party = forms.TypedChoiceField(label=_("异议人"), coerce=int)
    filed_at = LocalDateTimeField(label=_("提出异议时间"))
    grounds = forms.CharField(label=_("异议理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    appraisal_requested = forms.BooleanField(label=_("当事人申请评估"), required=False,
                                             help_text=_("评估期间不停止查封"))
    case_number = forms.CharField(label=_("执异案号"), max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        parties = self.page.case.parties.all() if self.page else []
        self.fields["party"].choices = [("", "—"), *((p.pk, f"{p.get_role_display()} {p.name}") for p in parties)]


class SeizureObjectionDecideForm(ActionForm):
    """The ruling on the pending 超标的查封异议 of a measure."""

    time_field = "decided_at"
    ruling = forms.ChoiceField(label=_("裁定结果"), choices=[("", "—"), *ObjectionRuling.choices])
    decided_at = LocalDateTimeField(label=_("裁定时间"))
    note = forms.CharField(label=_("裁定理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    appraisal_value = money_field(_("评估结果（元）"), required=False)
    case_number = forms.CharField(label=_("执异案号"), max_length=60, required=False)
    share = forms.CharField(label=_("继续查封的部分（份额/面积）"), max_length=200, required=False,
                            help_text=_("异议成立的，填写后即解除超标的部分"))
    share_value = money_field(_("继续查封部分的价值（元）"), required=False)


class ReleaseExcessForm(AtForm):
    """解除超标的部分的查封: the measure stays on the part kept."""

    share = forms.CharField(label=_("继续查封的部分（份额/面积）"), max_length=200)
    share_value = money_field(_("继续查封部分的价值（元）"))
    reason = forms.CharField(label=_("解除理由"), max_length=500, help_text=_("如已办理分割登记"))


class SplitProgressForm(AtForm):
    """One step of the 分割查封 item."""

    step = forms.ChoiceField(label=_("进展"), choices=[
        ("applied", _("被执行人申请分割登记")), ("coordinated", _("协调登记机构")), ("registered", _("办理分割登记")),
    ])


def _default_control_kind(category: str) -> str:
    return {
        "bank_deposit": ControlKind.FREEZE_DEPOSIT,
        "bank_wealth": ControlKind.FREEZE_DEPOSIT,
        "online_payment": ControlKind.FREEZE_DEPOSIT,
        "housing_fund": ControlKind.FREEZE_DEPOSIT,
        "real_estate": ControlKind.SEIZE_REAL_ESTATE,
        "vehicle": ControlKind.SEIZE_MOVABLE,
        "ship": ControlKind.SEIZE_MOVABLE,
        "fishing_vessel": ControlKind.SEIZE_MOVABLE,
        "equity": ControlKind.FREEZE_EQUITY,
    }.get(category, ControlKind.FREEZE_OTHER)


class DisposalStartForm(AtForm):
    method = forms.ChoiceField(label=_("参考价确定方式"), choices=PriceMethod.choices, initial=PriceMethod.ONLINE_INQUIRY)


class SelfDisposalForm(AtForm):
    days = forms.IntegerField(label=_("自行处置期限（日）"), min_value=1, max_value=90, initial=60,
                              help_text=_("最长不得超过 90 日（322号第17条）"))


class DisposalPriceForm(AtForm):
    price = money_field(_("参考价（元）"))


class DisposalAuctionForm(AtForm):
    platform = forms.CharField(label=_("拍卖平台"), max_length=50, initial="网络司法拍卖")
    mode = forms.ChoiceField(label=_("处置方式"), choices=SaleMode.choices, initial=SaleMode.AUCTION, required=False)


class DisposalConcludeForm(AtForm):
    sold = forms.TypedChoiceField(
        label=_("结果"), choices=[("true", _("成交")), ("false", _("流拍/未成交"))],
        coerce=lambda v: v == "true", widget=forms.RadioSelect, initial="true",
    )
    amount = money_field(_("成交价（元）"), required=False)


class UncontrollableForm(AtForm):
    reason_code = forms.ChoiceField(
        label=_("无法控制的理由"), choices=[("", "—"), *UncontrollableReason.choices], required=False,
        help_text=_("须为法定情形；“其他”理由不予认可"),
    )
    evidence = forms.CharField(label=_("证明材料"), max_length=500, required=False)
    reason = forms.CharField(label=_("补充说明"), max_length=500, required=False)


class ControlReleaseForm(AtForm):
    reason = forms.CharField(label=_("解除理由"), max_length=500)


class ControlRenewForm(AtForm):
    pass


class ClueForm(ActionForm):
    time_field = "received_at"
    received_at = LocalDateTimeField(label=_("收到时间"))
    source = forms.CharField(label=_("提供人"), max_length=100, required=False)
    description = forms.CharField(label=_("线索内容"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    specific = forms.BooleanField(label=_("明确具体"), required=False)
    urgent = forms.BooleanField(label=_("情况紧急"), required=False, help_text=_("明确具体且紧急的，24小时内核查"))


class ClueVerifyForm(AtForm):
    pass


class ClueConcludeForm(AtForm):
    true = forms.TypedChoiceField(
        label=_("核查结论"), choices=[("true", _("经查属实")), ("false", _("经查不实"))],
        coerce=lambda v: v == "true", widget=forms.RadioSelect, initial="true",
    )
    note = forms.CharField(label=_("核查结果"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    asset = forms.TypedChoiceField(
        label=_("查明的财产"), coerce=int, required=False, empty_value=None,
        help_text=_("经查属实的，选择线索查明的财产（未登记的可在核查后登记）"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        assets = self.page.assets if self.page else []
        self.fields["asset"].choices = [("", "—"), *((a.pk, str(a)) for a in assets)]


class CreditForm(ActionForm):
    time_field = "issued_at"
    party = forms.TypedChoiceField(label=_("被执行人"), coerce=int)
    kind = forms.ChoiceField(label=_("措施"), choices=CreditKind.choices, initial=CreditKind.RESTRICTION)
    issued_at = LocalDateTimeField(label=_("决定时间"))
    grace_until = CourtDateField(label=_("宽限期至"), required=False, widget=DateInput())
    decision_no = forms.CharField(label=_("决定书文号"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        respondents = self.page.respondents if self.page else []
        self.fields["party"].choices = [(p.pk, p.name) for p in respondents]


class CreditReleaseForm(AtForm):
    reason = forms.CharField(label=_("解除/删除理由"), max_length=500)


class CloseForm(ActionForm):
    time_field = "closed_at"
    closure = forms.ChoiceField(label=_("结案方式"), choices=ClosureType.choices)
    closed_at = LocalDateTimeField(label=_("结案时间"))
    document = forms.CharField(label=_("结案文书文号"), max_length=200, required=False)


class RestoreForm(ActionForm):
    time_field = "received_at"
    case_number = forms.CharField(label=_("恢复执行案号"), max_length=64, help_text=_("类型代字为“执恢”"))
    received_at = LocalDateTimeField(label=_("立案时间"))
    reason = forms.CharField(label=_("恢复执行事由"), max_length=500)


class ApprovalRequestForm(ActionForm):
    kind = forms.ChoiceField(
        label=_("审批事项"),
        choices=[(ApprovalKind.OVER_SEIZURE, ApprovalKind.OVER_SEIZURE.label), (ApprovalKind.EXTENSION, ApprovalKind.EXTENSION.label)],
    )
    # 删除失信信息审批, offered in place where the consent was refused (credit section):
    # the consent's respondent, time and document travel with the request
    respondent = forms.IntegerField(label=_("被执行人"), required=False, widget=forms.HiddenInput)
    consent_at = forms.CharField(label=_("同意时间"), required=False, widget=forms.HiddenInput)
    document = forms.CharField(label=_("申请执行人同意书"), required=False, max_length=200, widget=forms.HiddenInput)
    asset = forms.TypedChoiceField(label=_("拟控制的财产"), coerce=int, required=False, empty_value=None)
    deadline = forms.TypedChoiceField(label=_("延长的期限"), coerce=int, required=False, empty_value=None)
    added = forms.IntegerField(label=_("延长期限"), min_value=1, max_value=365, required=False)
    reason = forms.CharField(label=_("申请理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        page = self.page
        self.fields["asset"].choices = [("", "—"), *((a.pk, str(a)) for a in (page.open_assets if page else []))]
        # Only clocks whose rule allows an extension, each with its unit and what is left.
        self.extendable = {
            d.pk: (d, clocks.extension_remaining(d))
            for d in (page.running_deadlines if page else [])
            if clocks.extension_policy(d.rule.code) is not None
        }
        self.fields["deadline"].choices = [
            ("", "—"),
            *(
                (pk, _("%(rule)s · %(subject)s（按%(unit)s延长，尚可延长 %(left)s）")
                 % {"rule": d.rule.name_zh, "subject": d.subject_label, "unit": d.get_unit_display(), "left": left})
                for pk, (d, left) in self.extendable.items()
            ),
        ]
        if self.data.get(self.add_prefix("kind")) == ApprovalKind.DISHONEST_DELETE:  # asked from the credit section
            self.fields["kind"].choices = [
                *self.fields["kind"].choices, (ApprovalKind.DISHONEST_DELETE, ApprovalKind.DISHONEST_DELETE.label)
            ]
        else:  # the page's own request form: only what it asks
            for name in ("respondent", "consent_at", "document"):
                del self.fields[name]
        units = {d.get_unit_display() for d, _left in self.extendable.values()}
        unit = units.pop() if len(units) == 1 else _("所选期限的单位")
        self.fields["added"].label = _("延长期限（%(unit)s）") % {"unit": unit}

    def clean(self):
        data = super().clean()
        if data.get("kind") == ApprovalKind.EXTENSION:
            if not data.get("deadline"):
                self.add_error("deadline", _("延长期限须指明期限。"))
            elif not data.get("added"):
                self.add_error("added", _("请填写延长期限。"))
            elif data["deadline"] in self.extendable:
                deadline, left = self.extendable[data["deadline"]]
                if data["added"] > left:
                    self.add_error("added", _("%(rule)s 尚可延长 %(left)s %(unit)s，不能延长 %(added)s。") % {
                        "rule": deadline.rule.name_zh, "left": left, "unit": deadline.get_unit_display(),
                        "added": data["added"],
                    })
        return data

    def payload(self) -> dict:
        data = self.cleaned_data
        if data["kind"] == ApprovalKind.DISHONEST_DELETE:
            return {"respondents": [data["respondent"]] if data.get("respondent") else [],
                    "at": data.get("consent_at") or "", "document": data.get("document") or ""}
        if data["kind"] == ApprovalKind.EXTENSION:
            return {"deadline": data["deadline"], "added": data["added"]}
        return {"asset": data["asset"]} if data.get("asset") else {}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("reject", _("驳回"))])
    note = forms.CharField(label=_("审批意见"), max_length=1000, required=False)
