"""Browser forms of the enforcement pages. They only parse and check the shape of
what was typed; every rule lives in the services, whose ``ApplicationError`` the
views place next to the field it names (``core.web.forms.place_error``)."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CourtDateField
from core.services import clocks
from core.web.forms import DateInput, LocalDateTimeField, RowSet, local_now_input, money_field
from enforcement.models import (
    ApprovalKind,
    CaseStatus,
    ClosureType,
    ControlKind,
    CorrectionOutcome,
    CreditKind,
    DocumentServiceMethod,
    EstimateBasis,
    InterviewOpinion,
    ObjectionRuling,
    PartyKind,
    PriceMethod,
    PropertyReportOutcome,
    RestrictedRole,
    SaleMode,
    SearchChannel,
    ServedDocument,
    ServiceMethod,
    Track,
    UncontrollableReason,
)
from enforcement.selectors import suspension_approvers

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
                self.add_error("handler", _("承办人必须是本院人员。"))
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


# --- actions on a case -------------------------------------------------------------------------


class ActionForm(forms.Form):
    """A small form on the case page. ``page`` is the ``CasePage`` it is shown on and
    ``obj`` the sub-object (search, asset...) it acts on, if any."""

    template_name_action = "enforcement/_action_form.html"
    time_field = "at"

    def __init__(self, *args, page=None, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page, self.obj = page, obj
        self.unmet_details: list[dict] = []
        for field in self.fields.values():
            if isinstance(field, LocalDateTimeField) and field.initial is None:
                field.initial = local_now_input

    def rowsets(self) -> list[RowSet]:
        return []


class AtForm(ActionForm):
    at = LocalDateTimeField(label=_("时间"))


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

    template_name_action = "enforcement/_control_form.html"
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
        self.offer_approval = False
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
        if data["kind"] == ApprovalKind.EXTENSION:
            return {"deadline": data["deadline"], "added": data["added"]}
        return {"asset": data["asset"]} if data.get("asset") else {}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("批准")), ("reject", _("驳回"))])
    note = forms.CharField(label=_("审批意见"), max_length=1000, required=False)


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
        from enforcement.models import ApplicationStatus, CoercionKind, PartyKind, ReferralRoute

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
