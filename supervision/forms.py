"""Browser forms of the 督办 and 执行信访 pages. They parse the shape of what was
typed; the rules (who may act, which court, the state machine, the time limits)
live in ``supervision.services``, whose ``ApplicationError`` the views place next to
the field it names (``core.web.forms.place_error``). Times are typed in Beijing
time (``core.web.forms.LocalDateTimeField``) and default to now."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.selectors import legal_citation_get
from core.web.forms import LocalDateTimeField, blank_choice, local_now_input, textarea
from supervision.models import (
    FeedbackMethod,
    OrderKind,
    OrderStatus,
    PetitionChannel,
    PetitionerKind,
    PetitionFinding,
    PetitionStatus,
)
from supervision.services.orders import MAX_RESPONSE_DAYS, NOTE_MAX, TEXT_MAX

# 322号 §28 "充分运用民事诉讼法第二百二十六条规定" (督促、提级、指令执行).
ORDER_CITATION = "CPL_SUPERVISE_EXECUTION"

DEFAULT_RESPONSE_DAYS = 15


# --- 督办 ------------------------------------------------------------------------------------


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=blank_choice(_("全部")) + list(OrderStatus.choices)
    )
    kind = forms.ChoiceField(
        label=_("督办方式"), required=False, choices=blank_choice(_("全部")) + list(OrderKind.choices)
    )
    q = forms.CharField(
        label=_("案号或督办编号"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("如 (2026)鲁0102执1号"), "autocomplete": "off"}),
    )


class OrderIssueForm(forms.Form):
    """督办: from a case page (the case is known) or from the order list (typed by
    its number)."""

    case_number = forms.CharField(
        label=_("案号"),
        max_length=64,
        widget=forms.TextInput(attrs={"placeholder": _("如 (2026)鲁0102执1号"), "autocomplete": "off"}),
    )
    issuing_court = forms.TypedChoiceField(label=_("督办法院"), coerce=int)
    kind = forms.ChoiceField(
        label=_("督办方式"),
        choices=OrderKind.choices,
        initial=OrderKind.URGE,
        widget=forms.RadioSelect,
        # The article (民事诉讼法 in force, with 322号 §28's own number beside it) is
        # shown by the template from ``basis_citation``, with 未核实 until confirmed.
        help_text=_("提级、指令执行只作决定记录，案件移交另行办理"),
    )
    assignee_court = forms.TypedChoiceField(
        label=_("指令执行法院"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("仅指令执行：督办法院辖区内、本案法院以外的法院"),
    )
    instructions = forms.CharField(
        label=_("督办意见"),
        max_length=TEXT_MAX,
        widget=textarea(4),
        help_text=_("存在的问题和要求采取的执行措施"),
    )
    response_days = forms.IntegerField(
        label=_("回复期限"),
        min_value=1,
        max_value=MAX_RESPONSE_DAYS,
        initial=DEFAULT_RESPONSE_DAYS,
    )

    def __init__(self, *args, case=None, issuing_courts=(), assignable=(), unit_label="", **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        self.basis_citation = legal_citation_get(ORDER_CITATION)
        if case is not None:
            del self.fields["case_number"]
        self.fields["issuing_court"].choices = [(c.pk, c.name) for c in issuing_courts]
        if issuing_courts:
            self.fields["issuing_court"].initial = issuing_courts[0].pk
        self.fields["assignee_court"].choices = [("", "—")] + [
            (c.pk, f"{c.name}（{c.code}）") for c in assignable
        ]
        if unit_label:
            self.fields["response_days"].help_text = _("按%(unit)s计算，自督办之日起算") % {
                "unit": unit_label
            }

    def clean_case_number(self) -> str:
        return self.cleaned_data["case_number"].strip().replace("（", "(").replace("）", ")")


class OrderRespondForm(forms.Form):
    text = forms.CharField(
        label=_("回复内容"),
        max_length=TEXT_MAX,
        widget=textarea(4),
        help_text=_("已采取的执行措施及效果"),
    )


class OrderAcceptForm(forms.Form):
    note = forms.CharField(label=_("审查意见"), max_length=NOTE_MAX, required=False, widget=textarea(2))


class OrderReturnForm(forms.Form):
    note = forms.CharField(
        label=_("退回理由"), max_length=NOTE_MAX, widget=textarea(2), help_text=_("回复存在的不足")
    )
    response_days = forms.IntegerField(
        label=_("新的回复期限"),
        min_value=1,
        max_value=MAX_RESPONSE_DAYS,
        required=False,
        help_text=_("不填则沿用原期限"),
    )


class OrderWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), max_length=NOTE_MAX, widget=textarea(2))


# --- 执行信访 ----------------------------------------------------------------------------------


class PetitionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=blank_choice(_("全部")) + list(PetitionStatus.choices)
    )
    channel = forms.ChoiceField(
        label=_("信访渠道"), required=False, choices=blank_choice(_("全部")) + list(PetitionChannel.choices)
    )
    overdue = forms.BooleanField(label=_("仅看超期"), required=False)
    dualcheck = forms.BooleanField(label=_("已转一案双查线索"), required=False)


class PetitionReceiveForm(forms.Form):
    court = forms.TypedChoiceField(label=_("接收法院"), coerce=int)
    channel = forms.ChoiceField(label=_("信访渠道"), choices=PetitionChannel.choices)
    received_at = LocalDateTimeField(
        initial=local_now_input,
        label=_("收到时间"),
        help_text=_("收到信访材料的时间（北京时间），录入与办结期限自此起算"),
    )
    petitioner_name = forms.CharField(label=_("信访人"), max_length=100)
    petitioner_kind = forms.ChoiceField(
        label=_("信访人类型"), choices=PetitionerKind.choices, initial=PetitionerKind.PERSON
    )
    petitioner_id_number = forms.CharField(
        label=_("证件号码"),
        max_length=40,
        required=False,
        help_text=_("自然人填居民身份证号码，单位填统一社会信用代码"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    petitioner_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    case_number = forms.CharField(
        label=_("关联案件"),
        max_length=64,
        required=False,
        help_text=_("信访涉及的执行案件案号（可不填）"),
        widget=forms.TextInput(attrs={"placeholder": _("如 (2026)鲁0102执1号"), "autocomplete": "off"}),
    )
    content = forms.CharField(label=_("信访内容"), max_length=TEXT_MAX, widget=textarea(5))

    def __init__(self, *args, courts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = [(c.pk, c.name) for c in courts]
        if courts:
            self.fields["court"].initial = courts[0].pk

    def clean_case_number(self) -> str:
        return self.cleaned_data["case_number"].strip().replace("（", "(").replace("）", ")")


class PetitionRegisterForm(forms.Form):
    """录入: no input — the number is given by the system."""


class PetitionConcludeForm(forms.Form):
    finding = forms.ChoiceField(
        label=_("是否属实"), choices=PetitionFinding.choices, widget=forms.RadioSelect
    )
    result = forms.CharField(label=_("办理结果"), max_length=TEXT_MAX, widget=textarea(4))
    measures = forms.CharField(
        label=_("采取的措施"),
        max_length=TEXT_MAX,
        required=False,
        widget=textarea(3),
        help_text=_("反映的问题属实或部分属实的必填（有错必纠）"),
    )
    concluded_at = LocalDateTimeField(label=_("办结时间"), initial=local_now_input)


class PetitionFeedbackForm(forms.Form):
    method = forms.ChoiceField(label=_("反馈方式"), choices=FeedbackMethod.choices)
    fed_back_at = LocalDateTimeField(label=_("反馈时间"), initial=local_now_input)
    note = forms.CharField(label=_("反馈情况"), max_length=NOTE_MAX, required=False, widget=textarea(2))


class PetitionFlagForm(forms.Form):
    reason = forms.CharField(
        label=_("转线索理由"),
        max_length=NOTE_MAX,
        widget=textarea(2),
        help_text=_("如：反映执行人员违纪违法、消极执行（双查规定第三条）"),
    )
