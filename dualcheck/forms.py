"""Browser forms of the 一案双查 pages. They parse the shape of what was typed; the
rules (who may act, at which court, in which stage, the composition of meetings and
teams, the report and the dispositions) live in ``dualcheck.services``, whose
``ApplicationError`` the views place next to the field it names (``place_error``).

Forms of the clue page take the clue, the acting user and whether the page shows
confidential content (``confidential``): the officers concerned are offered as
choices only on a page that may show them."""

import re
from collections.abc import Iterable

from django import forms
from django.utils.translation import gettext_lazy as _

from core.exceptions import ApplicationError
from core.forms import CourtDateField
from core.models import Court, Department, Membership, User
from core.web.forms import DateInput, LocalDateTimeField, RowSet, local_now_input
from dualcheck.models import (
    ClueOfficer,
    ClueSource,
    ConclusionFinding,
    DispositionKind,
    FeedbackMethod,
    ReferralMode,
    ReviewDecision,
    ScopeItem,
    TeamMethod,
)
from dualcheck.services.common import MAX_REPORT_DAYS, NOTE_MAX, TEXT_MAX

DEFAULT_REPORT_DAYS = 30
COURT_CHOICES_MAX = 500
# The people a joint meeting or a joint team is drawn from (执行机构 incl. its
# command centre, and 监察/督察).
MEETING_DEPARTMENTS = (Department.EXECUTION, Department.COMMAND_CENTRE, Department.SUPERVISION)
SIDE_OF = {
    Department.EXECUTION: Department.EXECUTION,
    Department.COMMAND_CENTRE: Department.EXECUTION,
    Department.SUPERVISION: Department.SUPERVISION,
}
_PATH = re.compile(r"^(?P<name>\w+)(?:\[(?P<index>\d+)\])?(?:\.(?P<rest>[\w.]+))?$")


def textarea(rows: int = 3, **attrs) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows, **attrs})


def normalise_case_number(text: str) -> str:
    return text.strip().replace("（", "(").replace("）", ")")


def _blank(label) -> list[tuple[str, str]]:
    return [("", label)]


def place_error(
    form: forms.Form,
    exc: ApplicationError,
    *,
    rowsets: Iterable[RowSet] = (),
    code_fields: dict[str, str] | None = None,
) -> None:
    """Show ``exc`` next to the input it is about: ``extra.fields`` paths
    (``officers[0].court`` → that row's input; ``members[1].user`` → the
    ``members`` input), else the field ``code_fields`` names for its code, else at
    the top of ``form``."""
    by_name = {r.name: r for r in rowsets}
    fields = exc.extra.get("fields") if isinstance(exc.extra, dict) else None
    placed = False
    if isinstance(fields, dict):
        for path, messages in fields.items():
            messages = [str(m) for m in (messages if isinstance(messages, list) else [messages])]
            placed |= _place_path(form, by_name, str(path), messages)
    if placed:
        return
    target = (code_fields or {}).get(exc.code or "")
    if target in by_name:
        by_name[target].errors.append(str(exc.message))
    elif target in form.fields:
        form.add_error(target, str(exc.message))
    else:
        form.add_error(None, str(exc.message))


def _place_path(form: forms.Form, rowsets: dict[str, RowSet], path: str, messages: list[str]) -> bool:
    match = _PATH.match(path)
    if match is None:
        return False
    name, index, rest = match["name"], match["index"], match["rest"] or ""
    if name in rowsets:
        rowset = rowsets[name]
        filled = rowset.filled
        if index is None or int(index) >= len(filled):
            rowset.errors.extend(messages)
            return True
        row = filled[int(index)]
        field = rest.rsplit(".", 1)[-1]
        for message in messages:
            row.add_error(field if field in row.fields else None, message)
        return True
    if name in form.fields:
        for message in messages:
            form.add_error(name, message)
        return True
    return False


# --- the board --------------------------------------------------------------------------------

STATE_CHOICES = [("open", _("办理中")), ("closed", _("已办结或未启动")), ("all", _("全部"))]


class BoardFilterForm(forms.Form):
    source = forms.ChoiceField(
        label=_("线索来源"), required=False, choices=_blank(_("全部")) + list(ClueSource.choices)
    )
    court = forms.TypedChoiceField(label=_("法院"), required=False, coerce=int, empty_value=None)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=STATE_CHOICES, initial="open")
    mine = forms.BooleanField(label=_("待我办理"), required=False)

    def __init__(self, *args, courts: Iterable[Court] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].choices = _blank(_("全部")) + [(c.pk, f"{c.name}（{c.code}）") for c in courts]


# --- registering a clue -----------------------------------------------------------------------


class OfficerRowForm(forms.Form):
    """One officer concerned (涉及干警) — confidential."""

    name = forms.CharField(label=_("干警姓名"), max_length=50)
    court = forms.CharField(
        label=_("所在法院代字"),
        max_length=16,
        widget=forms.TextInput(attrs={"placeholder": _("如 鲁0102"), "autocomplete": "off"}),
    )
    user = forms.CharField(
        label=_("系统账号"),
        max_length=150,
        required=False,
        help_text=_("该干警在本系统的用户名（可不填）；填写后其本人看不到本线索"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    position = forms.CharField(label=_("职务"), max_length=100, required=False)


class ClueRegisterForm(forms.Form):
    court = forms.TypedChoiceField(label=_("受理法院"), coerce=int)
    source = forms.ChoiceField(
        label=_("线索来源"), choices=ClueSource.choices, help_text=_("双查规定第三条（一）至（九）")
    )
    source_detail = forms.CharField(
        label=_("来源说明"),
        max_length=500,
        required=False,
        help_text=_("如：来信编号、转交机关、检察建议文号"),
    )
    received_at = LocalDateTimeField(label=_("收到时间"), initial=local_now_input, help_text=_("北京时间"))
    summary = forms.CharField(
        label=_("反映的执行问题"),
        max_length=TEXT_MAX,
        widget=textarea(4),
        help_text=_("案件办理、执行管理方面反映的问题"),
    )
    officer_allegation = forms.CharField(
        label=_("反映的干警违规违法违纪问题"),
        max_length=TEXT_MAX,
        required=False,
        widget=textarea(3),
        help_text=_("涉密：仅监察部门、院领导和联合调查组可见"),
    )
    complainant_name = forms.CharField(label=_("反映人"), max_length=100, required=False)
    complainant_phone = forms.CharField(
        label=_("反映人电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
    cases = forms.CharField(
        label=_("涉及案件"),
        required=False,
        max_length=4000,
        widget=textarea(3, placeholder="(2026)鲁0102执1001号"),
        help_text=_("案号，每行一个；须为受理法院辖区下级法院的案件"),
    )

    def __init__(self, *args, courts: Iterable[Court] = (), **kwargs):
        super().__init__(*args, **kwargs)
        courts = list(courts)
        self.fields["court"].choices = [(c.pk, f"{c.name}（{c.code}）") for c in courts]
        if courts:
            self.fields["court"].initial = courts[0].pk

    def clean_cases(self) -> list[str]:
        numbers = []
        for line in (self.cleaned_data.get("cases") or "").splitlines():
            number = normalise_case_number(line)
            if number and number not in numbers:
                numbers.append(number)
        return numbers


# --- actions of the clue page ---------------------------------------------------------------


class ClueActionForm(forms.Form):
    """An action form of the clue page: knows the clue, the actor and whether the
    page may show confidential content."""

    def __init__(self, *args, clue, user: User, confidential: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.clue, self.user, self.confidential = clue, user, confidential
        self.rowsets: list[RowSet] = []


def _people(court: Court) -> list[tuple[User, str]]:
    """Active people of ``court``'s execution side and supervision department:
    (user, side), one row per side."""
    seen: dict[tuple[int, str], tuple[User, str]] = {}
    memberships = (
        Membership.objects.filter(court=court, revoked_at__isnull=True, department__in=MEETING_DEPARTMENTS)
        .select_related("user")
        .order_by("department", "user__username")
    )
    for m in memberships:
        if not m.user.is_active:
            continue
        side = SIDE_OF[m.department]
        seen.setdefault((m.user_id, side), (m.user, side))
    return sorted(seen.values(), key=lambda row: (row[1], row[0].username))


class ParticipantsMixin:
    """Participants of a joint meeting: people of the handling court's execution
    side and its supervision department (§4)."""

    def setup_participants(self) -> None:
        people = _people(self.clue.court)
        self.people = {u.pk: u for u, _side in people}
        self.fields["participants"].choices = [
            (u.pk, f"{u}（{Department(side).label}）") for u, side in people
        ]

    def clean_participants(self) -> list[User]:
        return [self.people[int(pk)] for pk in self.cleaned_data["participants"]]


def meeting_time_field() -> LocalDateTimeField:
    return LocalDateTimeField(
        label=_("会议时间"),
        required=False,
        help_text=_("北京时间；不填为当前时间（会后补录的请填写实际时间）"),
    )


def participants_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=_("参会人员"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("执行机构和监察机构均须有人参加（双查规定第四条）"),
    )


class ScreenForm(ClueActionForm):
    proceed = forms.TypedChoiceField(
        label=_("筛选结果"),
        choices=[("1", _("提请执行局长审核")), ("0", _("不予启动"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    opinion = forms.CharField(label=_("筛选意见"), max_length=NOTE_MAX, widget=textarea(3))


class ApproveForm(ClueActionForm):
    approved = forms.TypedChoiceField(
        label=_("审核结果"),
        choices=[("1", _("同意提交联席会议")), ("0", _("不予启动"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    opinion = forms.CharField(label=_("审核意见"), max_length=NOTE_MAX, widget=textarea(3))


class DecideForm(ParticipantsMixin, ClueActionForm):
    held_at = meeting_time_field()
    participants = participants_field()
    minutes = forms.CharField(label=_("会议纪要"), max_length=TEXT_MAX, widget=textarea(4))
    launch = forms.TypedChoiceField(
        label=_("会议决定"),
        choices=[("1", _("启动一案双查")), ("0", _("不予启动"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_participants()


def courts_below(court: Court, *, include_self: bool = False) -> list[Court]:
    qs = Court.objects.filter(path__startswith=court.path, is_active=True).order_by("path")
    if not include_self:
        qs = qs.exclude(pk=court.pk)
    return list(qs[:COURT_CHOICES_MAX])


class ReferForm(ClueActionForm):
    mode = forms.ChoiceField(
        label=_("交办方式"),
        choices=ReferralMode.choices,
        widget=forms.RadioSelect,
        initial=ReferralMode.REFER,
    )
    target_court = forms.TypedChoiceField(
        label=_("承办调查的法院"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("交办下级法院时必选；最高人民法院可指令高级人民法院直接调查（双查规定第五条）"),
    )
    report_days = forms.IntegerField(
        label=_("报告期限（日）"),
        min_value=1,
        max_value=MAX_REPORT_DAYS,
        initial=DEFAULT_REPORT_DAYS,
        help_text=_("自交办之日起按自然日计算（双查规定第八条）"),
    )
    instructions = forms.CharField(label=_("交办要求"), max_length=NOTE_MAX, widget=textarea(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.courts = {c.pk: c for c in courts_below(self.clue.court)}
        self.fields["target_court"].choices = [("", "—")] + [
            (c.pk, f"{c.name}（{c.code}）") for c in self.courts.values()
        ]

    def clean_target_court(self) -> Court | None:
        pk = self.cleaned_data.get("target_court")
        return self.courts.get(pk) if pk is not None else None


class FormTeamForm(ClueActionForm):
    members = forms.MultipleChoiceField(
        label=_("调查组成员"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("执行机构和监察机构每个部门至少一人（双查规定第五条）"),
    )
    leader = forms.TypedChoiceField(label=_("组长"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        people = _people(self.clue.target_court) if self.clue.target_court_id else []
        self.people = {u.pk: u for u, _side in people}
        self.fields["members"].choices = [
            (f"{u.pk}:{side}", f"{u}（{Department(side).label}）") for u, side in people
        ]
        self.fields["leader"].choices = [("", _("（第一名成员）"))] + [
            (pk, str(u)) for pk, u in self.people.items()
        ]

    def clean_members(self) -> list[dict]:
        rows = []
        for value in self.cleaned_data["members"]:
            pk, side = value.split(":", 1)
            rows.append({"user": self.people[int(pk)], "department": side})
        return rows

    def clean(self):
        data = super().clean()
        leader = data.get("leader")
        for row in data.get("members") or []:
            row["is_leader"] = leader is not None and row["user"].pk == leader
        if leader is not None and data.get("members") and not any(r["is_leader"] for r in data["members"]):
            self.add_error("leader", _("组长须是选中的调查组成员。"))
        return data


class RecordWorkForm(ClueActionForm):
    methods = forms.MultipleChoiceField(
        label=_("调查方式"),
        choices=TeamMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("双查规定第六条"),
    )
    scope = forms.MultipleChoiceField(
        label=_("检查范围"),
        choices=ScopeItem.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("双查规定第七条：既查案件办理和执行管理，也查干警履职"),
    )
    notes = forms.CharField(label=_("工作记录"), max_length=TEXT_MAX, required=False, widget=textarea(4))

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        if team is not None and not self.is_bound:
            self.initial = {"methods": team.methods, "scope": team.scope, "notes": team.work_notes}


class ReviewForm(ClueActionForm):
    decision = forms.ChoiceField(
        label=_("审查决定"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    opinion = forms.CharField(label=_("审查意见"), max_length=NOTE_MAX, widget=textarea(3))
    days = forms.IntegerField(
        label=_("期限（日）"),
        min_value=1,
        max_value=MAX_REPORT_DAYS,
        required=False,
        help_text=_("补充调查或直接调查时必填"),
    )
    hearing_at = LocalDateTimeField(label=_("听证时间"), required=False, help_text=_("组织听证时必填"))
    hearing_record = forms.CharField(
        label=_("听证情况"), max_length=TEXT_MAX, required=False, widget=textarea(3)
    )


class DispositionRowForm(forms.Form):
    """One disposition (§9). A disciplinary one names an officer concerned: offered
    only on a page that may show them."""

    kind = forms.ChoiceField(label=_("处理方式"), choices=_blank("—") + list(DispositionKind.choices))
    detail = forms.CharField(label=_("处理内容"), max_length=NOTE_MAX, widget=textarea(2))
    target_court = forms.TypedChoiceField(label=_("对象法院"), coerce=int, required=False, empty_value=None)
    due_date = CourtDateField(label=_("办理期限"), required=False, widget=DateInput())
    supervision_order = forms.CharField(
        label=_("关联督办"),
        max_length=48,
        required=False,
        help_text=_("督办编号或编号ID（纠正、督促限期办理）"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    officer = forms.TypedChoiceField(label=_("涉及干警"), coerce=int, required=False, empty_value=None)
    referred_to = forms.CharField(
        label=_("移送机关"),
        max_length=200,
        required=False,
        help_text=_("违纪处分：按处分权限移送的法院或职能部门"),
    )

    def __init__(self, *args, courts: Iterable[Court] = (), officers: Iterable[ClueOfficer] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.courts = {c.pk: c for c in courts}
        self.fields["target_court"].choices = [("", "—")] + [
            (c.pk, f"{c.name}（{c.code}）") for c in self.courts.values()
        ]
        officers = list(officers)
        if officers:
            self.fields["officer"].choices = [("", "—")] + [
                (o.pk, f"{o.name}（{o.court.code}）") for o in officers
            ]
        else:
            # Without the confidential content there is no officer to name, so no
            # disciplinary disposition (the supervision department records those).
            del self.fields["officer"]
            del self.fields["referred_to"]
            self.fields["kind"].choices = [
                c for c in self.fields["kind"].choices if c[0] != DispositionKind.DISCIPLINARY
            ]

    def service_row(self) -> dict:
        d = self.cleaned_data
        return {
            "kind": d["kind"],
            "detail": d["detail"],
            "target_court": self.courts.get(d.get("target_court")) if d.get("target_court") else None,
            "due_date": d.get("due_date"),
            "supervision_order": (d.get("supervision_order") or "").strip() or None,
            "officer": d.get("officer"),
            "referred_to": d.get("referred_to") or "",
        }


def disposition_row_kwargs(clue, confidential: bool) -> dict:
    officers = list(clue.officers.select_related("court").order_by("id")) if confidential else []
    return {"courts": courts_below(clue.court, include_self=True), "officers": officers}


class ConcludeForm(ParticipantsMixin, ClueActionForm):
    held_at = meeting_time_field()
    participants = participants_field()
    minutes = forms.CharField(label=_("会议纪要"), max_length=TEXT_MAX, widget=textarea(3))
    finding = forms.ChoiceField(
        label=_("检查结论"), choices=ConclusionFinding.choices, widget=forms.RadioSelect
    )
    summary = forms.CharField(label=_("结论意见"), max_length=TEXT_MAX, widget=textarea(3))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_participants()
        data = args[0] if args else kwargs.get("data")
        self.dispositions = RowSet(
            DispositionRowForm,
            "dispositions",
            data,
            initial_rows=2,
            auto_id="id_%s",
            form_kwargs=disposition_row_kwargs(self.clue, self.confidential),
        )
        self.rowsets = [self.dispositions]

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.dispositions.is_valid()])


class RecordOfficersForm(ClueActionForm):
    """补充登记涉及干警 (confidential; the handling court's supervision department):
    one officer per submission, and/or the allegation about them."""

    officer_allegation = forms.CharField(
        label=_("反映的干警违规违法违纪问题"),
        max_length=TEXT_MAX,
        required=False,
        widget=textarea(3),
        help_text=_("涉密；留空则不修改"),
    )
    name = forms.CharField(label=_("干警姓名"), max_length=50, required=False)
    court = forms.CharField(label=_("所在法院代字"), max_length=16, required=False)
    user = forms.CharField(
        label=_("系统账号"),
        max_length=150,
        required=False,
        help_text=_("该干警在本系统的用户名（可不填）；填写后其本人看不到本线索"),
    )
    position = forms.CharField(label=_("职务"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("name") and not data.get("officer_allegation"):
            raise forms.ValidationError(_("请填写涉及干警或反映的干警问题。"))
        if data.get("name") and not data.get("court"):
            self.add_error("court", _("请填写干警所在法院代字。"))
        return data


class FeedbackForm(ClueActionForm):
    method = forms.ChoiceField(label=_("反馈方式"), choices=FeedbackMethod.choices)
    content = forms.CharField(label=_("反馈及息访疏导情况"), max_length=NOTE_MAX, widget=textarea(3))


class ClarifyForm(ClueActionForm):
    scope = forms.CharField(
        label=_("澄清范围"), max_length=500, help_text=_("如：在历下区法院执行局内部予以澄清")
    )
    content = forms.CharField(label=_("澄清内容"), max_length=NOTE_MAX, widget=textarea(3))


class CloseForm(ClueActionForm):
    note = forms.CharField(label=_("办结说明"), max_length=NOTE_MAX, required=False, widget=textarea(2))
