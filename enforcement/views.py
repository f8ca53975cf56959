"""Browser pages of enforcement: the case list, registration, the case page with
its actions, and the approval queue (server-rendered, htmx for partial updates).

Reads go through the court-scoped selectors; every write goes through a service.
A refusal (``ApplicationError``) is shown next to the input it is about, or at the
top of its form — never as a server error."""

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.calendar import WorkingCalendar, local_date
from core.decorators import perm_required
from core.events import node_label
from core.exceptions import (
    ApplicationError,
    CalendarNotLoaded,
    NotFound,
    PermissionDenied,
)
from core.models import Court, User
from core.selectors import visible_courts
from core.web import call_service, is_partial, render_body_or_page, safe_next, urgency
from enforcement import forms as f
from enforcement import policy
from enforcement.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    AssetStatus,
    Case,
    ClosureType,
    PartyRole,
    SearchChannel,
)
from enforcement.selectors import (
    approval_get_visible,
    approval_subjects,
    approvals_of_case,
    approvals_pending_for,
    asset_categories,
    case_get,
    case_get_detail,
    case_handler_choices,
    case_timeline,
    cases_filter,
    enabled_categories,
    handlers_by_court,
    user_get,
)
from enforcement.services import assets as asset_services
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services
from enforcement.services import disposal as disposal_services
from enforcement.services import measures as measure_services
from enforcement.services import property_clues as property_clue_services

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
HANDLER_CHOICES_MAX = 500

# --- helpers ---------------------------------------------------------------------------------




def _case_or_404(user: User, case_id: int) -> Case:
    try:
        return case_get_detail(user, case_id)
    except NotFound:
        raise Http404 from None




def actable_courts(user: User) -> list[Court]:
    """The courts where ``user`` registers and progresses cases."""
    return [c for c in visible_courts(user) if policy.can_act_at(user, c)]


def _safe_next(request: HttpRequest, fallback: str) -> str:
    return safe_next(request) or fallback


# --- case list ---------------------------------------------------------------------------------


@require_GET
@perm_required("core.use_browser")
def case_list(request: HttpRequest) -> HttpResponse:
    """案件列表: filters, search, 50 a page; htmx swaps only the table."""
    user = request.user
    courts = list(visible_courts(user))
    handler_choices = case_handler_choices(user, limit=HANDLER_CHOICES_MAX)
    form = f.CaseFilterForm(request.GET or None, courts=courts, handlers=handler_choices)
    params = form.params() if request.GET else {}
    cases = cases_filter(user, params)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "filtered": bool(params),
        "can_register": user.has_perm("enforcement.act") and any(policy.can_act_at(user, c) for c in courts),
    }
    template = "enforcement/_case_table.html" if is_partial(request) else "enforcement/case_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- registration --------------------------------------------------------------------------------


def _party_input(row: f.PartyRowForm, *, applicant: bool) -> case_services.PartyInput:
    d = row.cleaned_data
    account = None
    if applicant and any(d.get(k) for k in ("bank", "account_number", "holder")):
        account = case_services.PayoutAccountInput(bank=d["bank"], account_number=d["account_number"], holder=d["holder"])
    return case_services.PartyInput(
        name=d["name"], kind=d["kind"], id_number=d["id_number"], phone=d.get("phone") or "", payout_account=account
    )


@require_http_methods(["GET", "POST"])
@perm_required("enforcement.act")
def case_register(request: HttpRequest) -> HttpResponse:
    """收案登记 with its parties; the service checks IDs, accounts and the number."""
    user = request.user
    courts = actable_courts(user)
    if not courts:
        raise DjangoPermissionDenied
    handlers = handlers_by_court(courts)
    status = 200
    if request.method == "POST":
        form = f.CaseForm(request.POST, courts=courts, handlers=handlers)
        applicants = f.RowSet(f.ApplicantRowForm, "applicants", request.POST)
        respondents = f.RowSet(f.PartyRowForm, "respondents", request.POST)
        if all([form.is_valid(), applicants.is_valid(), respondents.is_valid()]):
            d = form.cleaned_data
            data = case_services.CaseInput(
                case_number=d["case_number"],
                court=form.courts[d["court"]],
                filed_on=d["filed_on"],
                received_at=d["received_at"],
                claim_amount=d["claim_amount"],
                costs=d["costs"] if d.get("costs") is not None else 0,
                basis_document=d["basis_document"],
                track=d["track"],
                handler=user_get(d["handler"]) if d.get("handler") else None,
                team=d.get("team") or "",
                applicants=[_party_input(r, applicant=True) for r in applicants.filled],
                respondents=[_party_input(r, applicant=False) for r in respondents.filled],
            )
            try:
                case = call_service(case_services.case_register, actor=user, data=data)
            except ApplicationError as exc:
                f.place_error(
                    form, exc, rowsets=[applicants, respondents],
                    code_fields={"duplicate_case_number": "case_number", "node_in_future": "received_at"},
                )
            else:
                messages.success(request, _("案件 %(n)s 已登记，法定期限已开始计算。") % {"n": case.case_number})
                return redirect("enforcement:case-detail", case_id=case.pk)
        status = 422
    else:
        form = f.CaseForm(
            courts=courts,
            handlers=handlers,
            initial={
                "court": courts[0].pk,
                "filed_on": f.local_today(),
                "received_at": f.local_now_input(),
                "handler": user.pk if user.pk in {pk for pk, _l in handlers.get(courts[0].pk, [])} else None,
            },
        )
        applicants = f.RowSet(f.ApplicantRowForm, "applicants")
        respondents = f.RowSet(f.PartyRowForm, "respondents")
    context = {"form": form, "applicants": applicants, "respondents": respondents}
    return render(request, "enforcement/case_form.html", context, status=status)


@require_GET
@perm_required("core.use_browser")
def row_partial(request: HttpRequest, kind: str) -> HttpResponse:
    """htmx: one more blank row (party or finding) and the add button for the next."""
    try:
        index = min(max(int(request.GET.get("index", "0")), 0), 999)
    except ValueError:
        index = 0
    dom = request.GET.get("dom", "")
    if kind in ("applicant", "respondent"):
        form_class = f.ApplicantRowForm if kind == "applicant" else f.PartyRowForm
        row = form_class(prefix=f"{kind}s-{index}")
        context = {"row": row, "role": kind, "index": index, "next_index": index + 1, "oob": True}
        return render(request, "enforcement/_party_row.html", context)
    if kind == "finding" and dom.replace("-", "").replace("_", "").isalnum() and len(dom) <= 40:
        row = f.FindingRowForm(
            prefix=f"findings-{index}", auto_id=f"id_{dom}_%s", categories=asset_categories()
        )
        context = {"row": row, "dom": dom, "index": index, "next_index": index + 1, "oob": True}
        return render(request, "enforcement/_finding_row.html", context)
    raise Http404


# --- the case page ---------------------------------------------------------------------------------


@dataclass
class Done:
    message: Any
    url: str | None = None


@dataclass(frozen=True)
class Action:
    """One thing that can be done on the case page: its form, the service call, and
    when it is offered (the state allows it; the user may act — checked by the page)."""

    slug: str
    form_class: type[f.ActionForm]
    title: Any
    submit: Any
    perform: Callable[[User, Case, Any, dict, f.ActionForm], Done]
    available: Callable[["CasePage", Any], bool]
    on: str | None = None  # the sub-object: search | asset | measure | clue | credit
    danger: bool = False

    def key(self, obj=None) -> str:
        return self.slug if obj is None else f"{self.slug}-{obj.pk}"

    def url(self, case: Case, obj=None) -> str:
        if obj is None:
            return reverse("enforcement:case-action", kwargs={"case_id": case.pk, "action": self.slug})
        return reverse("enforcement:case-object-action", kwargs={"case_id": case.pk, "action": self.slug, "obj_id": obj.pk})


def _do_notice(user, case, obj, d, form) -> Done:
    case_services.case_serve_notice(actor=user, case=case, served_at=d["served_at"])
    return Done(_("已登记执行通知书、报告财产令送达。"))


def _do_search(user, case, obj, d, form) -> Done:
    codes = d["categories"] or (None if d["channel"] == SearchChannel.OFFLINE else [])
    asset_services.search_launch(
        actor=user, case=case, channel=d["channel"], category_codes=codes, launched_at=d["launched_at"]
    )
    return Done(_("已发起财产查询。"))


def _do_feedback(user, case, search, d, form) -> Done:
    findings = [
        asset_services.FindingInput(
            category=r.cleaned_data["category"],
            description=r.cleaned_data["description"],
            value=r.cleaned_data.get("value"),
            controllable_online=bool(r.cleaned_data.get("controllable_online")),
        )
        for r in form.findings.filled
    ]
    assets = asset_services.search_record_feedback(actor=user, search=search, received_at=d["received_at"], findings=findings)
    return Done(_("已登记查询反馈，查明财产 %(n)s 项。") % {"n": len(assets)})


def _do_control(user, case, asset, d, form) -> Done:
    approval = None
    if d.get("override_approval"):
        approval = next((a for a in form.page.usable_overrides if a.pk == d["override_approval"]), None)
    measure_services.control_create(
        actor=user, case=case, asset=asset, kind=d["kind"], amount=d.get("amount"), effective_at=d["effective_at"],
        override_reason=(d.get("override_reason") or "").strip() or None, override_approval=approval,
    )
    return Done(_("已对“%(a)s”采取控制措施。") % {"a": asset.description})


def _do_uncontrollable(user, case, asset, d, form) -> Done:
    asset_services.asset_mark_uncontrollable(actor=user, asset=asset, at=d["at"], reason=d["reason"])
    return Done(_("已记录该财产无法控制及理由。"))


def _do_renew(user, case, measure, d, form) -> Done:
    measure = measure_services.control_renew(actor=user, measure=measure, renewed_at=d["at"])
    return Done(_("已续行，新的到期日为 %(d)s。") % {"d": measure.expires_on.isoformat()})


def _do_release(user, case, measure, d, form) -> Done:
    measure_services.control_release(actor=user, measure=measure, at=d["at"], reason=d["reason"])
    return Done(_("已解除控制措施。"))


def _do_disposal_start(user, case, asset, d, form) -> Done:
    disposal_services.disposal_start(actor=user, asset=asset, method=d["method"], at=d["at"])
    return Done(_("已启动确定财产处置参考价程序。"))


def _do_self_disposal(user, case, asset, d, form) -> Done:
    disposal_services.self_disposal_allow(actor=user, asset=asset, at=d["at"], days=d["days"])
    return Done(_("已准许被执行人自行处置，期限 %(n)s 日。") % {"n": d["days"]})


def _do_disposal_price(user, case, disposal, d, form) -> Done:
    disposal_services.disposal_fix_price(actor=user, disposal=disposal, price=d["price"], at=d["at"])
    return Done(_("已确定参考价，应在 10 日内启动变价程序。"))


def _do_disposal_auction(user, case, disposal, d, form) -> Done:
    disposal_services.disposal_launch_auction(actor=user, disposal=disposal, at=d["at"], platform=d["platform"])
    return Done(_("已启动拍卖。"))


def _do_disposal_conclude(user, case, disposal, d, form) -> Done:
    disposal_services.disposal_conclude(actor=user, disposal=disposal, at=d["at"], sold=d["sold"], amount=d["amount"])
    return Done(_("已登记处置结果。"))


def _do_self_disposal_conclude(user, case, sd, d, form) -> Done:
    disposal_services.self_disposal_conclude(actor=user, self_disposal=sd, at=d["at"], sold=d["sold"], amount=d["amount"])
    return Done(_("已登记自行处置结果。"))


def _do_clue(user, case, obj, d, form) -> Done:
    property_clue_services.property_clue_receive(
        actor=user, case=case, received_at=d["received_at"], description=d["description"],
        source=d.get("source") or "", specific=d["specific"], urgent=d["urgent"],
    )
    return Done(_("已登记财产线索，核查期限已开始计算。"))


def _do_clue_verify(user, case, clue, d, form) -> Done:
    property_clue_services.property_clue_start_verification(actor=user, clue=clue, at=d["at"])
    return Done(_("已开始核查财产线索。"))


def _do_clue_conclude(user, case, clue, d, form) -> Done:
    property_clue_services.property_clue_conclude(actor=user, clue=clue, at=d["at"], true=d["true"], note=d["note"])
    return Done(_("已登记线索核查结果。"))


def _do_credit(user, case, obj, d, form) -> Done:
    issued = measure_services.credit_issue(
        actor=user, case=case, party_id=d["party"], kind=d["kind"], issued_at=d["issued_at"], grace_until=d.get("grace_until")
    )
    return Done(_("已发布：%(k)s。") % {"k": "、".join(str(m.get_kind_display()) for m in issued)})


def _do_credit_release(user, case, measure, d, form) -> Done:
    measure_services.credit_release(actor=user, measure=measure, at=d["at"], reason=d["reason"])
    return Done(_("已解除/删除该信用惩戒措施。"))


def _do_interview(user, case, obj, d, form) -> Done:
    case_services.case_record_interview(actor=user, case=case, at=d["at"], note=d["note"])
    return Done(_("已登记约谈申请执行人。"))


def _do_fulfilment(user, case, obj, d, form) -> Done:
    case_services.case_record_fulfilment(actor=user, case=case, at=d["at"], note=d["note"])
    return Done(_("已登记履行情况；信用惩戒措施须在三个工作日内解除。"))


def _do_track(user, case, obj, d, form) -> Done:
    case_services.case_set_track(actor=user, case=case, track=d["track"], reason=d.get("reason") or "")
    return Done(_("已调整繁简分流。"))


def _do_suspend(user, case, obj, d, form) -> Done:
    case_services.case_suspend(actor=user, case=case, at=d["at"], reason=d["reason"])
    return Done(_("案件已中止执行，期限暂停计算。"))


def _do_resume(user, case, obj, d, form) -> Done:
    case_services.case_resume(actor=user, case=case, at=d["at"])
    return Done(_("案件已恢复执行，期限继续计算。"))


def _do_request_approval(user, case, obj, d, form) -> Done:
    closure_services.approval_request(actor=user, case=case, kind=d["kind"], reason=d["reason"], payload=form.payload())
    return Done(_("审批申请已提交，待执行局长审批。"))


def _do_close(user, case, obj, d, form) -> Done:
    result = closure_services.case_close(
        actor=user, case=case, closure=d["closure"], closed_at=d["closed_at"], document=d.get("document") or ""
    )
    if isinstance(result, Approval):
        return Done(_("终结本次执行程序申请已提交，待执行局长审批。"))
    return Done(_("案件已结案。"))


def _do_restore(user, case, obj, d, form) -> Done:
    restored = closure_services.case_restore(
        actor=user, case=case, new_case_number=d["case_number"], received_at=d["received_at"], reason=d["reason"]
    )
    return Done(
        _("已恢复执行，立案 %(n)s。") % {"n": restored.case_number},
        url=reverse("enforcement:case-detail", kwargs={"case_id": restored.pk}),
    )


def _progress(page: "CasePage", _obj: Any = None) -> bool:
    return policy.can_progress(page.user, page.case)


ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        # on the case (side panel, in the order a case usually runs)
        Action("notice", f.NoticeForm, _("送达执行通知书、报告财产令"), _("登记送达"), _do_notice,
               lambda p, o: policy.can_serve_notice(p.user, p.case)),
        Action("search", f.SearchLaunchForm, _("发起财产查询"), _("发起查询"), _do_search,
               lambda p, o: policy.can_launch_search(p.user, p.case)),
        Action("clue", f.ClueForm, _("登记财产线索"), _("登记线索"), _do_clue, _progress),
        Action("credit", f.CreditForm, _("限制消费 / 纳入失信名单"), _("发布"), _do_credit,
               lambda p, o: policy.can_progress(p.user, p.case) and bool(p.respondents)),
        Action("interview", f.InterviewForm, _("约谈申请执行人"), _("登记约谈"), _do_interview, _progress),
        Action("fulfilment", f.FulfilmentForm, _("登记履行完毕"), _("登记履行"), _do_fulfilment,
               lambda p, o: policy.can_record_fulfilment(p.user, p.case)),
        Action("approval-request", f.ApprovalRequestForm, _("申请审批（超标的查封、延长期限）"), _("提交申请"),
               _do_request_approval, _progress),
        Action("track", f.TrackForm, _("繁简分流"), _("调整"), _do_track, _progress),
        Action("suspend", f.SuspendForm, _("中止执行"), _("中止执行"), _do_suspend,
               lambda p, o: policy.can_suspend(p.user, p.case), danger=True),
        Action("resume", f.ResumeForm, _("恢复执行（中止后）"), _("恢复执行"), _do_resume,
               lambda p, o: policy.can_resume(p.user, p.case)),
        Action("close", f.CloseForm, _("结案"), _("结案"), _do_close, _progress, danger=True),
        Action("restore", f.RestoreForm, _("恢复执行（立执恢案件）"), _("恢复执行"), _do_restore,
               lambda p, o: policy.can_restore(p.user, p.case)),
        # on a sub-object (shown next to it)
        Action("feedback", f.FeedbackForm, _("登记查询反馈"), _("登记反馈"), _do_feedback,
               lambda p, s: policy.can_record_feedback(p.user, s), on="search"),
        Action("control", f.ControlForm, _("采取控制措施"), _("查封/扣押/冻结"), _do_control,
               lambda p, a: policy.can_control(p.user, a), on="asset"),
        Action("uncontrollable", f.UncontrollableForm, _("记录无法控制"), _("记录"), _do_uncontrollable,
               lambda p, a: policy.can_mark_uncontrollable(p.user, a), on="asset"),
        Action("disposal-start", f.DisposalStartForm, _("启动确定参考价"), _("启动"), _do_disposal_start,
               lambda p, a: policy.can_start_disposal(p.user, a),
               on="asset"),
        Action("self-disposal", f.SelfDisposalForm, _("准许自行处置"), _("准许"), _do_self_disposal,
               lambda p, a: policy.can_allow_self_disposal(p.user, a), on="asset"),
        Action("disposal-price", f.DisposalPriceForm, _("确定参考价"), _("确定"), _do_disposal_price,
               lambda p, d: policy.can_fix_price(p.user, d), on="disposal"),
        Action("disposal-auction", f.DisposalAuctionForm, _("启动拍卖"), _("启动拍卖"), _do_disposal_auction,
               lambda p, d: policy.can_launch_auction(p.user, d), on="disposal"),
        Action("disposal-conclude", f.DisposalConcludeForm, _("登记处置结果"), _("登记"), _do_disposal_conclude,
               lambda p, d: policy.can_conclude_disposal(p.user, d), on="disposal"),
        Action("self-disposal-conclude", f.DisposalConcludeForm, _("登记自行处置结果"), _("登记"),
               _do_self_disposal_conclude, lambda p, sd: policy.can_conclude_self_disposal(p.user, sd), on="selfdisposal"),
        Action("renew", f.ControlRenewForm, _("续行"), _("续行"), _do_renew,
               lambda p, m: policy.can_change_control(p.user, m), on="measure"),
        Action("release", f.ControlReleaseForm, _("解除"), _("解除"), _do_release,
               lambda p, m: policy.can_change_control(p.user, m), on="measure", danger=True),
        Action("clue-verify", f.ClueVerifyForm, _("开始核查"), _("开始核查"), _do_clue_verify,
               lambda p, c: policy.can_start_property_clue_verification(p.user, c), on="clue"),
        Action("clue-conclude", f.ClueConcludeForm, _("核查结论"), _("登记结论"), _do_clue_conclude,
               lambda p, c: policy.can_conclude_property_clue(p.user, c), on="clue"),
        Action("credit-release", f.CreditReleaseForm, _("解除/删除"), _("解除"), _do_credit_release,
               lambda p, m: policy.can_release_credit(p.user, m), on="credit", danger=True),
    ]
}

# The case's sub-objects, from the prefetched case (already scoped to it).
SUB_OBJECTS: dict[str, Callable[[Case], Any]] = {
    "search": lambda case: case.searches.all(),
    "asset": lambda case: case.assets.all(),
    "measure": lambda case: case.control_measures.all(),
    "clue": lambda case: case.clues.all(),
    "credit": lambda case: case.credit_measures.all(),
    "disposal": lambda case: case.disposals.all(),
    "selfdisposal": lambda case: case.self_disposals.all(),
}

# A refusal with one of these rule codes concerns the form's time input.
TIME_CODES = ("node_in_future", "naive_datetime", "calendar_not_loaded")




class CasePage:
    """Everything the case page shows, from the prefetched case plus a fixed number
    of queries (timeline, approvals, one calendar load, asset categories)."""

    def __init__(self, request: HttpRequest, case: Case):
        self.request, self.case, self.user = request, case, request.user
        self.now = timezone.now()
        self.can_act = policy.can_act_on(self.user, case)
        self.is_approver = policy.can_approve(self.user, case)
        self.bound: dict[str, f.ActionForm] = {}
        parties = list(case.parties.all())
        self.applicants = [p for p in parties if p.role == PartyRole.APPLICANT]
        self.respondents = [p for p in parties if p.role == PartyRole.RESPONDENT]
        self.deadlines = list(case.deadlines.all())
        self.running_deadlines = [d for d in self.deadlines if d.is_running]
        self.assets = list(case.assets.all())
        self.open_assets = [a for a in self.assets if a.status in (AssetStatus.FOUND, AssetStatus.RELEASED)]
        self.approvals = approvals_of_case(case)
        self.usable_overrides = [
            a for a in self.approvals if a.kind == ApprovalKind.OVER_SEIZURE and a.status == ApprovalStatus.APPROVED
        ]
        for a in self.usable_overrides:
            a.label = f"#{a.pk} {a.reason[:30]}"
        if self.can_act:
            self.all_categories = asset_categories()
            self.enabled_categories = enabled_categories(case.court)
        else:
            self.all_categories, self.enabled_categories = [], []

    # --- forms ----------------------------------------------------------------------
    def bind(self, action: Action, obj, form: f.ActionForm) -> None:
        self.bound[action.key(obj)] = form

    def form_for(self, action: Action, obj=None) -> f.ActionForm:
        key = action.key(obj)
        form = self.bound.get(key) or action.form_class(page=self, obj=obj, auto_id=f"id_{key}_%s")
        form.action, form.key, form.dom_id, form.url = action, key, f"form-{key}", action.url(self.case, obj)
        return form

    def forms_on(self, on: str | None, obj=None) -> list[f.ActionForm]:
        if not self.can_act:
            return []
        # a form that was just refused stays on the page, with its errors, even when
        # the state no longer offers it
        return [
            self.form_for(a, obj)
            for a in ACTIONS.values()
            if a.on == on and (a.available(self, obj) or a.key(obj) in self.bound)
        ]

    # --- sections -------------------------------------------------------------------
    def deadline_rows(self) -> list[dict]:
        calendar = WorkingCalendar.load()
        today = local_date(self.now)
        rows = []
        for d in self.deadlines:
            due = local_date(d.due_at)
            paused = d.paused_at is not None
            left = None
            if d.is_running:
                try:
                    left = calendar.working_days_between(today, due)
                except CalendarNotLoaded:
                    left = None
                overdue = not paused and d.due_at < self.now
                level = "paused" if paused else urgency(left, overdue)
            else:
                overdue, level = False, "done"
            rows.append(
                {
                    "deadline": d, "subject": self.subject(d.subject_label) or _("本案"), "due_date": due,
                    "days_left": left, "urgency": level, "overdue": overdue, "paused": paused and d.is_running,
                    "running": d.is_running,
                }
            )
        return rows

    def search_rows(self) -> list[dict]:
        found: dict[int, int] = defaultdict(int)
        for a in self.assets:
            if a.search_id:
                found[a.search_id] += 1
        return [
            {"search": s, "categories": [c.name for c in s.categories.all()], "findings": found[s.pk],
             "forms": self.forms_on("search", s)}
            for s in self.case.searches.all()
        ]

    def asset_rows(self) -> list[dict]:
        measures: dict[int, list] = defaultdict(list)
        for m in self.case.control_measures.all():
            measures[m.asset_id].append({"measure": m, "forms": self.forms_on("measure", m)})
        return [{"asset": a, "measures": measures[a.pk], "forms": self.forms_on("asset", a)} for a in self.assets]

    def clue_rows(self) -> list[dict]:
        return [{"clue": c, "forms": self.forms_on("clue", c)} for c in self.case.clues.all()]

    def credit_rows(self) -> list[dict]:
        return [{"measure": m, "forms": self.forms_on("credit", m)} for m in self.case.credit_measures.all()]

    def subject(self, label: str) -> str:
        """A clock's or node's subject without the case number (the page's title):
        "(2026)鲁0102执1号 · 银行存款 …" → "银行存款 …"."""
        label = (label or "").strip()
        while label.startswith(self.case.case_number):  # str(search) repeats it
            label = label[len(self.case.case_number):].lstrip(" ·")
        return label

    def timeline(self) -> list[dict]:
        rows = []
        for e in case_timeline(self.case):
            detail = self.subject(e.subject_label)
            flags = e.flags or []
            rows.append({"event": e, "label": node_label(e.kind), "detail": detail,
                         "backdated": "backdated" in flags, "imported": "imported" in flags})
        return rows

    def approval_rows(self) -> list[dict]:
        return [
            {"approval": a, "can_decide": policy.can_decide(self.user, a)}
            for a in self.approvals
        ]

    def context(self) -> dict:
        deadline_rows = self.deadline_rows()
        return {
            "case": self.case,
            "page": self,
            "can_act": self.can_act,
            "applicants": self.applicants,
            "respondents": self.respondents,
            "deadline_rows": deadline_rows,
            "overdue_count": sum(1 for r in deadline_rows if r["overdue"]),
            "search_rows": self.search_rows(),
            "asset_rows": self.asset_rows(),
            "clue_rows": self.clue_rows(),
            "credit_rows": self.credit_rows(),
            "disposal_rows": [{"disposal": d, "forms": self.forms_on("disposal", d)} for d in self.case.disposals.all()],
            "self_disposal_rows": [
                {"sd": sd, "forms": self.forms_on("selfdisposal", sd)} for sd in self.case.self_disposals.all()
            ],
            "approval_rows": self.approval_rows(),
            "timeline": self.timeline(),
            "case_forms": self.forms_on(None),
        }


def _render_case(request: HttpRequest, page: CasePage, *, status: int = 200, scroll_to: str | None = None) -> HttpResponse:
    return render_body_or_page(
        request, body_template="enforcement/_case_body.html", page_template="enforcement/case_detail.html",
        context=page.context(), status=status, scroll_to=scroll_to,
    )


@require_GET
@perm_required("core.use_browser")
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """案件详情: parties (masked), clocks, assets, measures, timeline and actions."""
    case = _case_or_404(request.user, case_id)
    return _render_case(request, CasePage(request, case))


@require_POST
@perm_required("core.use_browser")
def case_action(request: HttpRequest, case_id: int, action: str, obj_id: int | None = None) -> HttpResponse:
    """One action form of the case page: validate, call the service, then show the
    page again (htmx: the case body; otherwise redirect after success)."""
    spec = ACTIONS.get(action)
    if spec is None or (spec.on is None) != (obj_id is None):
        raise Http404
    user = request.user
    # who may act, before the whole case is read: a case outside the user's courts
    # is 404, one they may only watch goes back to its page with the reason
    try:
        court = case_get(user, case_id).court
    except NotFound:
        raise Http404 from None
    if not policy.can_act_at(user, court):
        messages.error(request, _("只有本院的书记员、承办人或执行局长可以办理该案件节点。"))
        return _after_action(request, case_id)
    case = _case_or_404(user, case_id)
    obj = None
    if spec.on is not None:
        obj = next((o for o in SUB_OBJECTS[spec.on](case) if o.pk == obj_id), None)
        if obj is None:
            raise Http404
    page = CasePage(request, case)
    form = spec.form_class(request.POST, page=page, obj=obj, auto_id=f"id_{spec.key(obj)}_%s")
    if form.is_valid():
        try:
            done = call_service(spec.perform, user, case, obj, form.cleaned_data, form)
        except NotFound:
            raise Http404 from None
        except PermissionDenied as exc:
            messages.error(request, exc.message)
            return _after_action(request, case_id)
        except ApplicationError as exc:
            f.place_error(
                form, exc, rowsets=form.rowsets(), code_fields={code: form.time_field for code in TIME_CODES}
            )
        else:
            messages.success(request, done.message)
            if done.url:
                if is_partial(request):
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = done.url
                    return response
                return redirect(done.url)
            return _after_action(request, case_id)
    page.bind(spec, obj, form)
    return _render_case(request, page, status=422, scroll_to=f"form-{spec.key(obj)}")


def _after_action(request: HttpRequest, case_id: int) -> HttpResponse:
    if is_partial(request):
        page = CasePage(request, _case_or_404(request.user, case_id))
        response = _render_case(request, page)
        response["HX-Reswap"] = "outerHTML show:window:top"
        return response
    return redirect("enforcement:case-detail", case_id=case_id)


# --- approvals ----------------------------------------------------------------------------------------


def _describe(approvals: list[Approval]) -> None:
    """A line saying what each request is about (one query per kind, not per row)."""
    deadlines, assets = approval_subjects(approvals)
    closure_labels = dict(ClosureType.choices)
    for a in approvals:
        p = a.payload or {}
        if a.kind == ApprovalKind.CLOSURE:
            when = ""
            try:
                moment = dt.datetime.fromisoformat(p["closed_at"])
                if timezone.is_aware(moment):
                    when = timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
            except (KeyError, TypeError, ValueError):
                pass
            a.summary = f"{closure_labels.get(p.get('closure'), p.get('closure'))} · {p.get('document', '')} · {when}"
        elif a.kind == ApprovalKind.EXTENSION:
            d = deadlines.get(p.get("deadline"))
            a.summary = _("%(rule)s 延长 %(n)s 日") % {"rule": d.rule.name_zh if d else "—", "n": p.get("added")}
        else:
            asset = assets.get(p.get("asset"))
            a.summary = str(asset) if asset else ""


@require_GET
@perm_required("enforcement.approve")
def approval_queue(request: HttpRequest) -> HttpResponse:
    """审批: pending requests in scope, oldest first."""
    page = Paginator(approvals_pending_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    _describe(rows)
    return render(request, "enforcement/approval_queue.html", {"page": page, "rows": rows})


@require_POST
@perm_required("enforcement.approve")
def approval_decide(request: HttpRequest, approval_id: int) -> HttpResponse:
    """批准 / 驳回; refusals (maker ≠ checker, 终本 conditions no longer met) become
    messages on the page the decision came from."""
    approval = approval_get_visible(request.user, approval_id)
    if approval is None:
        raise Http404
    back = _safe_next(request, reverse("enforcement:approvals"))
    form = f.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择批准或驳回。"))
        return redirect(back)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        call_service(
            closure_services.approval_decide, actor=request.user, approval=approval, approve=approve,
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        details = exc.extra.get("details") if isinstance(exc.extra, dict) else None
        messages.error(request, exc.message if not details else _("不能批准：%(m)s") % {"m": exc.message})
    else:
        label = approval.get_kind_display()
        messages.success(
            request,
            (_("已批准：%(k)s（%(n)s）") if approve else _("已驳回：%(k)s（%(n)s）")) % {"k": label, "n": approval.case.case_number},
        )
    return redirect(back)
