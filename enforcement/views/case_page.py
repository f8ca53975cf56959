"""The case page (案件详情): everything it shows from the prefetched case, and one
action form posted at a time — validate, call the service, show the page again.
A refusal (``ApplicationError``) is shown next to the input it is about, or at the
top of its form — never as a server error."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.events import node_label
from core.exceptions import NotFound
from core.models import User
from core.web.clocks import ClockRow, ClockRows
from core.web.htmx import is_partial, render_body_or_page
from core.web.pages import Action, ActionPage, action_run
from enforcement import policy
from enforcement.events import CreditNode
from enforcement.models import (
    ApprovalKind,
    ApprovalStatus,
    AssetStatus,
    Case,
    CreditKind,
    CreditStatus,
    InterviewOpinion,
    PartyRole,
    ServedDocument,
)
from enforcement.selectors import (
    approvals_of_case,
    asset_categories,
    case_get,
    case_get_detail,
    case_timeline,
    enabled_categories,
)
from enforcement.views.actions import ACTIONS
from enforcement.views.coercion import COERCION_SUB_OBJECTS


def _case_or_404(user: User, case_id: int) -> Case:
    try:
        return case_get_detail(user, case_id)
    except NotFound:
        raise Http404 from None


SUB_OBJECTS: dict[str, Callable[[Case], Any]] = {
    "search": lambda case: case.searches.all(),
    "asset": lambda case: case.assets.all(),
    "measure": lambda case: case.control_measures.all(),
    "clue": lambda case: case.clues.all(),
    "credit": lambda case: case.credit_measures.all(),
    "disposal": lambda case: case.disposals.all(),
    "selfdisposal": lambda case: case.self_disposals.all(),
    # h/credit: per-respondent 信用惩戒 actions, and the persons an organisation's 限消 restricts
    "respondent": lambda case: [p for p in case.parties.all() if p.role == PartyRole.RESPONDENT],
    "person": lambda case: [p for m in case.credit_measures.all() for p in m.restricted_persons.all()],
}
SUB_OBJECTS.update(COERCION_SUB_OBJECTS)  # h/coercion


@dataclass
class CaseClockRow(ClockRow):
    subject: Any = ""


TIME_CODES = ("node_in_future", "naive_datetime", "calendar_not_loaded")


class CasePage(ActionPage):
    """Everything the case page shows, from the prefetched case plus a fixed number
    of queries (timeline, approvals, one calendar load, asset categories)."""

    actions = ACTIONS

    def __init__(self, request: HttpRequest, case: Case):
        super().__init__()
        self.request, self.case, self.user = request, case, request.user
        self.now = timezone.now()
        self.can_act = policy.can_act_on(self.user, case)
        self.is_approver = policy.can_approve(self.user, case)
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
        self._credit_init()
        if self.can_act:
            self.all_categories = asset_categories()
            self.enabled_categories = enabled_categories(case.court)
        else:
            self.all_categories, self.enabled_categories = [], []

    # --- forms (core.web.pages.ActionPage) ------------------------------------------
    def may_act(self) -> bool:
        return self.can_act

    def action_url(self, action: Action, obj: Any = None) -> str:
        if obj is None:
            return reverse("enforcement:case-action", kwargs={"case_id": self.case.pk, "action": action.slug})
        return reverse(
            "enforcement:case-object-action",
            kwargs={"case_id": self.case.pk, "action": action.slug, "obj_id": obj.pk},
        )

    # --- sections -------------------------------------------------------------------
    def deadline_rows(self) -> list["CaseClockRow"]:
        """One row per clock (core.web.clocks: time left in the clock's own unit), with
        its subject without the case number."""
        return [
            CaseClockRow(
                **{f.name: getattr(row, f.name) for f in fields(row)},
                subject=self.subject(row.deadline.subject_label) or _("本案"),
            )
            for row in ClockRows(self.now).rows(self.deadlines)
        ]

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

    # --- h/credit: 信用惩戒 per respondent ------------------------------------------------------
    def _credit_init(self) -> None:
        measures = list(self.case.credit_measures.all())
        issued = [m for m in measures if m.status == CreditStatus.ISSUED]
        self.credit_restricted = {m.party_id for m in issued if m.kind == CreditKind.RESTRICTION}
        self.credit_dishonest = {m.party_id for m in issued if m.kind == CreditKind.DISHONEST}
        # RESTRICTION_RELEASE clocks are always about a credit measure of the case
        ids = {m.pk for m in measures}
        self.credit_release_due = {
            d.subject_id for d in self.running_deadlines if d.rule.code == "RESTRICTION_RELEASE" and d.subject_id in ids
        }

    def credit_respondent_rows(self) -> list[dict]:
        """One block per respondent: its measures (with their restricted persons) and actions."""
        # the finding is a node of the case: read from the timeline the page loads anyway
        not_applicable = {
            e.subject_id for e in self.events if e.kind == CreditNode.DISHONEST_NOT_APPLICABLE
        }
        by_party: dict[int, list] = defaultdict(list)
        for m in self.case.credit_measures.all():
            by_party[m.party_id].append({
                "measure": m,
                "forms": self.forms_on("credit", m),
                "persons": [{"person": p, "forms": self.forms_on("person", p)} for p in m.restricted_persons.all()],
            })
        return [
            {"respondent": r, "measures": by_party[r.pk], "not_applicable": r.pk in not_applicable,
             "forms": self.forms_on("respondent", r)}
            for r in self.respondents
        ]

    def subject(self, label: str) -> str:
        """A clock's or node's subject without the case number (the page's title):
        "(2026)鲁0102执1号 · 银行存款 …" → "银行存款 …"."""
        label = (label or "").strip()
        while label.startswith(self.case.case_number):  # str(search) repeats it
            label = label[len(self.case.case_number):].lstrip(" ·")
        return label

    @cached_property
    def events(self) -> list:
        return list(case_timeline(self.case))

    def timeline(self) -> list[dict]:
        rows = []
        for e in self.events:
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

    def procedure_rows(self) -> dict:
        """h/gateproc: per party, what the 终本 gate's procedure rows ask for (#1, #2, #18, #20)."""
        services = list(self.case.services.all())
        reports = list(self.case.property_reports.all())
        interviews = list(self.case.applicant_interviews.all())

        def served(party, document):
            done = [s for s in services if s.party_id == party.pk and s.document == document]
            return {"ok": next((s for s in done if s.succeeded), None), "failed": [s for s in done if not s.succeeded]}

        show_ruling = bool(self.case.terminated_ruling_at)
        names = {p.pk: p.name for p in self.applicants}
        return {
            "respondents": [
                {"party": r, "notice": served(r, ServedDocument.NOTICE),
                 "order": served(r, ServedDocument.PROPERTY_ORDER),
                 "reports": [x for x in reports if x.respondent_id == r.pk],
                 "ruling": served(r, ServedDocument.TERMINATED_RULING) if show_ruling else None}
                for r in self.respondents
            ],
            "applicants": [
                {"party": a, "interviews": [i for i in interviews if i.applicant_id == a.pk],
                 "ruling": served(a, ServedDocument.TERMINATED_RULING) if show_ruling else None}
                for a in self.applicants
            ],
            "show_ruling": show_ruling,
            "objections": [
                {"name": names.get(i.applicant_id, ""), "at": i.at, "text": i.opinion_text}
                for i in interviews if i.opinion == InterviewOpinion.OBJECT
            ],
        }

    def context(self) -> dict:
        deadline_rows = self.deadline_rows()
        return {
            "case": self.case,
            "page": self,
            "can_act": self.can_act,
            "applicants": self.applicants,
            "respondents": self.respondents,
            "deadline_rows": deadline_rows,
            "overdue_count": sum(1 for r in deadline_rows if r.overdue),
            "search_rows": self.search_rows(),
            "asset_rows": self.asset_rows(),
            "clue_rows": self.clue_rows(),
            "credit_rows": self.credit_rows(),
            "credit_respondent_rows": self.credit_respondent_rows(),
            "disposal_rows": [{"disposal": d, "forms": self.forms_on("disposal", d)} for d in self.case.disposals.all()],
            "self_disposal_rows": [
                {"sd": sd, "forms": self.forms_on("selfdisposal", sd)} for sd in self.case.self_disposals.all()
            ],
            "approval_rows": self.approval_rows(),
            "timeline": self.timeline(),
            "case_forms": self.forms_on(None),
            "procedure": self.procedure_rows(),  # h/gateproc
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
        messages.error(request, _("只有本院的书记员、承办人或执行局长可以办理本案事项。"))
        return _after_action(request, case_id)
    case = _case_or_404(user, case_id)
    obj = None
    if spec.on is not None:
        obj = next((o for o in SUB_OBJECTS[spec.on](case) if o.pk == obj_id), None)
        if obj is None:
            raise Http404
    page = CasePage(request, case)
    form = spec.form_class(request.POST, page=page, obj=obj, auto_id=f"id_{spec.key(obj)}_%s")
    done, status = action_run(
        form,
        lambda: spec.perform(page, obj, form),
        code_fields={code: form.time_field for code in TIME_CODES},
        rowsets=form.rowsets(),
    )
    if status == 403:  # may not (any more): back to the page, with the reason
        messages.error(request, form.non_field_errors()[-1])
        return _after_action(request, case_id)
    if status is None:
        messages.success(request, done.message)
        if done.url:
            if is_partial(request):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = done.url
                return response
            return redirect(done.url)
        return _after_action(request, case_id)
    page.bind(spec, obj, form)
    # every refusal re-renders the page with the form's errors as 422
    return _render_case(request, page, status=422, scroll_to=f"form-{spec.key(obj)}")


def _after_action(request: HttpRequest, case_id: int) -> HttpResponse:
    if is_partial(request):
        page = CasePage(request, _case_or_404(request.user, case_id))
        response = _render_case(request, page)
        response["HX-Reswap"] = "outerHTML show:window:top"
        return response
    return redirect("enforcement:case-detail", case_id=case_id)
