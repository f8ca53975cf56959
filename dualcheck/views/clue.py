"""The page of one 一案双查 clue: its stage and report clock, the cases, the
timeline, meetings, referrals, the joint team with its methods, scope and the
system check of the cases' flagged nodes, the report rounds, reviews, conclusion,
feedback — and the forms of the steps the user may take now
(``dualcheck.selectors.clue_actions``).

The confidential (干警) content — officers concerned, the allegation against them,
officer conduct and findings, disciplinary dispositions, clarification, report
attachments and the record of who read them — is rendered only when
``confidential_read`` says so; that call also records the read (once per page
view). Anyone else sees one line saying the content is restricted.

Reads go through ``dualcheck.selectors``; every write goes through
``dualcheck.services`` (``dualcheck.views.actions``)."""

from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.decorators import perm_required
from core.events import node_label
from core.exceptions import NotFound
from dualcheck import forms as f
from dualcheck.models import (
    CONFIDENTIAL_DISPOSITIONS,
    REPORT_SECTIONS,
    Clarification,
    Clue,
    ClueStatus,
    Conclusion,
    Feedback,
    OfficerFinding,
    ReportAttachment,
    ReportStatus,
    ScopeItem,
    TeamMethod,
)
from dualcheck.selectors import (
    active_team,
    can_read_confidential,
    clue_actions,
    clue_get_detail,
    clue_get_visible,
    confidential_reads,
    flagged_nodes,
    is_team_member,
)
from dualcheck.services.outcome import confidential_read, feedback_lead
from dualcheck.views.actions import ACTIONS, action_run
from supervision.selectors_orders import subject_events
from supervision.views.orders import Clocks

FLAGGED_NODES_MAX = 200

NODE_LABELS = {
    "dualcheck.clue_registered": _("登记线索"),
    "dualcheck.clue_screened": _("工作组筛选"),
    "dualcheck.clue_approved": _("执行局长审核"),
    "dualcheck.meeting_decided": _("联席会议决定"),
    "dualcheck.referred": _("交办"),
    "dualcheck.team_formed": _("组成联合调查组"),
    "dualcheck.report_submitted": _("上报调查报告"),
    "dualcheck.reviewed": _("审查调查报告"),
    "dualcheck.concluded": _("形成检查结论"),
    "dualcheck.fed_back": _("向反映人反馈"),
    "dualcheck.clarified": _("澄清"),
    "dualcheck.closed": _("办结"),
    "clock.paused": _("期限中止"),
    "clock.resumed": _("期限恢复"),
    "clock.extended": _("期限延长"),
    "clock.waived": _("期限免除"),
}
FLAG_LABELS = {"backdated": _("补录"), "future": _("未来时间"), "imported": _("导入")}
METHOD_LABELS = dict(TeamMethod.choices)
SCOPE_LABELS = dict(ScopeItem.choices)
CONCLUDED_STATUSES = (ClueStatus.CONCLUDED, ClueStatus.FED_BACK, ClueStatus.CLOSED)
# The stages in the order of the workflow, for the progress strip.
PROGRESS = [s for s in ClueStatus.values if s != ClueStatus.NOT_LAUNCHED]


def _timeline(clue: Clue) -> list[dict]:
    rows = []
    for e in subject_events(clue):
        flags = e.flags or []
        payload = e.payload or {}
        detail = ""
        if e.kind == "dualcheck.meeting_decided":
            detail = _("决定启动") if payload.get("launch") else _("决定不予启动")
        elif e.kind == "dualcheck.clue_screened" and payload.get("proceed") is False:
            detail = _("不予启动")
        elif e.kind == "dualcheck.clue_approved" and payload.get("approved") is False:
            detail = _("不予启动")
        elif e.kind == "dualcheck.referred":
            detail = payload.get("referral", "")
        elif e.kind == "dualcheck.report_submitted" and payload.get("round"):
            detail = _("第 %(n)s 轮") % {"n": payload["round"]}
        rows.append(
            {
                "event": e,
                "label": NODE_LABELS.get(e.kind, e.kind),
                "detail": detail,
                "backdated": "backdated" in flags,
                "imported": "imported" in flags,
            }
        )
    return rows


class CluePage:
    """Everything the clue page shows. The confidential part is read (and the read
    recorded) once, when the page is built."""

    def __init__(self, request: HttpRequest, clue: Clue):
        self.request, self.user, self.clue = request, request.user, clue
        self.confidential = confidential_read(user=self.user, clue=clue, what="detail", via="page")
        every = clue_actions(self.user, clue)
        self.allowed = [slug for slug in every if slug in ACTIONS]
        self.can_edit_report = "report" in every
        self.teams = list(clue.teams.all())
        self.active_team = next((t for t in self.teams if t.dissolved_at is None), None)
        self.member = self.active_team is not None and is_team_member(self.user, clue)
        self.bound: dict[str, f.ClueActionForm] = {}

    def form_for(self, slug: str) -> f.ClueActionForm:
        if slug in self.bound:
            return self.bound[slug]
        spec = ACTIONS[slug]
        kwargs = {"clue": self.clue, "user": self.user, "confidential": self.confidential}
        if slug == "record-work":
            kwargs["team"] = self.active_team
        return spec.form_class(auto_id=f"id_{slug}_%s", **kwargs)

    def action_forms(self) -> list[f.ClueActionForm]:
        result = []
        for slug in ACTIONS:
            if slug in self.bound or slug in self.allowed:
                form = self.form_for(slug)
                form.action = ACTIONS[slug]
                form.url = reverse("dualcheck:clue-action", kwargs={"clue_id": self.clue.pk, "slug": slug})
                form.dom_id = f"form-{slug}"
                result.append(form)
        return result

    def report_rows(self) -> list[dict]:
        """Submitted reports for everyone who sees the clue; the draft of the
        current round only for the team writing it."""
        rows = []
        for report in self.clue.reports.all():
            if report.status != ReportStatus.SUBMITTED and not self.member:
                continue
            rows.append(
                {
                    "report": report,
                    "sections": [(label, getattr(report, key)) for key, label in REPORT_SECTIONS.items()],
                    "draft": report.status == ReportStatus.DRAFT,
                }
            )
        return rows

    def team_rows(self) -> list[dict]:
        rows = []
        for team in self.teams:
            members = [m for m in team.members.all() if m.removed_at is None]
            rows.append(
                {
                    "team": team,
                    "members": members,
                    "methods": [METHOD_LABELS.get(m, m) for m in team.methods],
                    "scope": [SCOPE_LABELS.get(s, s) for s in team.scope],
                    "active": team.dissolved_at is None,
                }
            )
        return rows

    def conclusion(self) -> Conclusion | None:
        if self.clue.status not in CONCLUDED_STATUSES:
            return None
        return (
            Conclusion.objects.filter(clue=self.clue)
            .select_related("meeting", "concluded_by")
            .prefetch_related(
                "meeting__participants__user", "dispositions__target_court", "dispositions__officer"
            )
            .first()
        )

    def confidential_context(self, conclusion) -> dict:
        if not self.confidential:
            return {}
        clue = self.clue
        # A draft is the team's until it is submitted: only its members see its
        # findings and attachments (as in the API, the PDF and the editor).
        drafts = Q() if is_team_member(self.user, clue) else Q(report__status=ReportStatus.SUBMITTED)
        return {
            "officers": list(clue.officers.select_related("court", "user").order_by("id")),
            "findings": list(
                OfficerFinding.objects.filter(drafts, report__clue=clue)
                .select_related("officer", "report")
                .order_by("report__round", "officer_id")
            ),
            "attachments": list(
                ReportAttachment.objects.filter(drafts, report__clue=clue)
                .select_related("report", "uploaded_by")
                .defer("data")
                .order_by("report__round", "uploaded_at", "id")
            ),
            "disciplinary": [d for d in conclusion.dispositions.all() if d.kind in CONFIDENTIAL_DISPOSITIONS]
            if conclusion
            else [],
            "clarification": Clarification.objects.filter(clue=clue).select_related("clarified_by").first(),
            "reads": list(confidential_reads(clue)[:200]),
        }

    def context(self) -> dict:
        clue = self.clue
        clocks = Clocks()
        conclusion = self.conclusion()
        feedback = (
            Feedback.objects.filter(clue=clue).select_related("fed_back_by").first()
            if clue.status in (ClueStatus.FED_BACK, ClueStatus.CLOSED)
            else None
        )
        context: dict[str, Any] = {
            "clue": clue,
            "clock": clocks.row(clue.report_deadline) if clue.report_deadline_id else None,
            "progress": [
                {"status": s, "label": ClueStatus(s).label, "current": s == clue.status} for s in PROGRESS
            ],
            "cases": [link.case for link in clue.case_links.all()],
            "timeline": _timeline(clue),
            "meetings": list(clue.meetings.all()),
            "referrals": [
                {"referral": r, "clock": clocks.row(r.deadline) if r.deadline_id else None}
                for r in clue.referrals.all()
            ],
            "team_rows": self.team_rows(),
            "report_rows": self.report_rows(),
            "reviews": list(clue.reviews.all()),
            "conclusion": conclusion,
            "public_dispositions": [
                d for d in conclusion.dispositions.all() if d.kind not in CONFIDENTIAL_DISPOSITIONS
            ]
            if conclusion
            else [],
            "feedback": feedback,
            "feedback_lead": feedback_lead(clue) if clue.status == ClueStatus.CONCLUDED else None,
            "confidential": self.confidential,
            "member": self.member,
            "can_edit_report": self.can_edit_report,
            "action_forms": self.action_forms(),
        }
        if self.active_team is not None or any(t["methods"] for t in context["team_rows"]):
            context["flagged_nodes"] = [
                {
                    "event": e,
                    "label": node_label(e.kind),
                    "flags": [FLAG_LABELS.get(flag, flag) for flag in e.flags],
                }
                for e in flagged_nodes(clue)[:FLAGGED_NODES_MAX]
            ]
        context.update(self.confidential_context(conclusion))
        return context


def _clue_or_404(user, clue_id) -> Clue:
    try:
        return clue_get_detail(user, clue_id)
    except NotFound:
        raise Http404 from None


@never_cache  # confidential content must not outlive the reader's access in a cache
@require_GET
@perm_required("core.use_browser")
def clue_detail(request: HttpRequest, clue_id: int) -> HttpResponse:
    page = CluePage(request, _clue_or_404(request.user, clue_id))
    return render(request, "dualcheck/clue.html", page.context())


@never_cache
@require_POST
@perm_required("core.use_browser")
def clue_action(request: HttpRequest, clue_id: int, slug: str) -> HttpResponse:
    spec = ACTIONS.get(slug)
    if spec is None:
        raise Http404
    clue = _clue_or_404(request.user, clue_id)
    # Whether the form may offer the officers concerned; nothing is shown yet, so
    # no read is recorded (the page shown after a refusal records its own).
    form = spec.form_class(
        request.POST,
        auto_id=f"id_{slug}_%s",
        clue=clue,
        user=request.user,
        confidential=slug == "conclude" and can_read_confidential(request.user, clue),
        **({"team": active_team(clue)} if slug == "record-work" else {}),
    )
    status = action_run(request, spec=spec, clue=clue, form=form)
    if status is None:
        messages.success(request, spec.done)
        return redirect("dualcheck:clue-detail", clue_id=clue.pk)
    page = CluePage(request, _clue_or_404(request.user, clue_id))
    page.bound[slug] = form
    return render(request, "dualcheck/clue.html", page.context(), status=status)


@require_GET
@perm_required("core.use_browser")
def disposition_row(request: HttpRequest, clue_id: int) -> HttpResponse:
    """htmx: one more disposition row of the conclusion form (and the button for
    the next). Officers concerned are offered only to those who may read them —
    and that read is recorded."""
    try:
        clue = clue_get_visible(request.user, clue_id)
    except NotFound:
        raise Http404 from None
    if "conclude" not in clue_actions(request.user, clue):
        raise Http404
    try:
        index = min(max(int(request.GET.get("index", "0")), 0), 999)
    except ValueError:
        index = 0
    confidential = confidential_read(user=request.user, clue=clue, what="officers", via="page")
    row = f.DispositionRowForm(prefix=f"dispositions-{index}", **f.disposition_row_kwargs(clue, confidential))
    context = {"row": row, "clue": clue, "next_index": index + 1, "oob": True}
    return render(request, "dualcheck/_disposition_row.html", context)


urlpatterns = [
    path("<int:clue_id>/", clue_detail, name="clue-detail"),
    path("<int:clue_id>/act/<slug:slug>/", clue_action, name="clue-action"),
    path("<int:clue_id>/row/disposition/", disposition_row, name="disposition-row"),
]
