"""The joint team's report editor (双查规定 §6–§8) and the download of a report
attachment.

The editor is for the members of the active joint team while the clue is under
investigation: anyone else who sees the clue gets 403, anyone who does not see it
404 (an officer concerned never sees it). One multipart form carries the four
required parts (调查经过、查明事实、问题分析、处理意见), the confidential officer
conduct and one finding per officer concerned, the §6 methods and §7 scope, and an
optional attachment. Every button saves the draft first, so typed text is never
lost:

- 保存草稿 / 上传附件: save the draft, the methods and scope, and the file;
- 上报: the same, then submit. When a part is missing the service refuses with
  ``report_incomplete``; the page answers 422 with the message next to each
  missing part, the text as typed, and the report still a draft.

Opening the editor (and every re-render that shows the confidential parts) is a
recorded confidential read (``what="report"``, ``via="page"``). Reads go through
``dualcheck.selectors``, writes through ``dualcheck.services.investigation``.
"""

import re
from urllib.parse import quote

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.decorators import perm_required
from core.events import node_label
from core.exceptions import (
    ApplicationError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from core.web.clocks import ClockRows
from core.web.forms import textarea
from core.web.pages import call_service
from dualcheck.models import (
    REPORT_SECTIONS,
    Clue,
    ClueOfficer,
    OfficerFindingResult,
    Report,
    ReportAttachment,
    ReportStatus,
    ReviewDecision,
    ScopeItem,
    TeamMethod,
)
from dualcheck.policy import can_write_report
from dualcheck.selectors import active_team, clue_get_visible, flagged_nodes, is_team_member
from dualcheck.services.investigation import (
    ATTACHMENT_MAX_BYTES,
    report_attachment_add,
    report_save,
    report_submit,
    team_record_work,
)
from dualcheck.services.outcome import confidential_read

TEXT_PARTS = ("process", "facts", "analysis", "opinion", "officer_conduct")
# What a service calls a field → the editor's field.
ALIASES = {"notes": "work_notes"}
# Served as themselves; anything else is downloaded as bytes (never rendered).
INLINE_SAFE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp"}
FLAG_LABELS = {
    "backdated": _("补录（记录时间明显晚于发生时间）"),
    "imported": _("历史数据导入"),
    "future": _("节点时间晚于记录时间"),
}


class ReportForm(forms.Form):
    """The editor. Nothing is required here: a draft may be incomplete, and §8's
    requirements are the service's to enforce at submission."""

    process = forms.CharField(label=REPORT_SECTIONS["process"], required=False, widget=textarea(10))
    facts = forms.CharField(label=REPORT_SECTIONS["facts"], required=False, widget=textarea(10))
    analysis = forms.CharField(label=REPORT_SECTIONS["analysis"], required=False, widget=textarea(10))
    opinion = forms.CharField(label=REPORT_SECTIONS["opinion"], required=False, widget=textarea(8))
    officer_conduct = forms.CharField(
        label=_("干警履职情况"),
        required=False,
        widget=textarea(8),
        help_text=_("涉密：仅监察部门、联合调查组和院领导可见。"),
    )
    methods = forms.MultipleChoiceField(
        label=_("调查方式（双查规定第六条）"),
        required=False,
        choices=TeamMethod.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    scope = forms.MultipleChoiceField(
        label=_("检查范围（双查规定第七条）"),
        required=False,
        choices=ScopeItem.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    work_notes = forms.CharField(label=_("工作记录"), required=False, widget=textarea(4))
    file = forms.FileField(
        label=_("附件"),
        required=False,
        help_text=_("PDF、图片、Word 或文本文件，不超过 10 MB。附件涉密。"),
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.officers = list(officers)
        results = [("", _("—请选择—")), *OfficerFindingResult.choices]
        for officer in self.officers:
            self.fields[f"finding_{officer.pk}_result"] = forms.ChoiceField(
                label=_("查明结论"), required=False, choices=results
            )
            self.fields[f"finding_{officer.pk}_detail"] = forms.CharField(
                label=_("查明情况"), required=False, widget=textarea(4)
            )

    def sections(self) -> list[forms.BoundField]:
        return [self[name] for name in REPORT_SECTIONS]

    def officer_rows(self) -> list[dict]:
        return [
            {
                "officer": o,
                "result": self[f"finding_{o.pk}_result"],
                "detail": self[f"finding_{o.pk}_detail"],
            }
            for o in self.officers
        ]

    def findings(self) -> tuple[list[dict], list[int]]:
        """The officer findings as the service takes them — a row for every officer
        with anything filled in (a half-filled row is the service's to refuse,
        next to its field) — and the officer of each row, in order."""
        rows, order = [], []
        for o in self.officers:
            result = self.cleaned_data.get(f"finding_{o.pk}_result") or ""
            detail = self.cleaned_data.get(f"finding_{o.pk}_detail") or ""
            if result or detail.strip():
                rows.append({"officer": o.pk, "result": result, "detail": detail})
                order.append(o.pk)
        return rows, order


def _initial(report: Report | None, team) -> dict:
    data: dict = {}
    if report is not None:
        data.update({k: getattr(report, k) for k in TEXT_PARTS})
        for f in report.officer_findings.all():
            data[f"finding_{f.officer_id}_result"] = f.result
            data[f"finding_{f.officer_id}_detail"] = f.detail
    if team is not None:
        data.update({"methods": team.methods, "scope": team.scope, "work_notes": team.work_notes})
    return data


_FINDING_FIELD = re.compile(r"^officer_findings\[(\d+)\]\.(result|detail|officer)$")


def place_report_error(form: ReportForm, exc: ApplicationError, finding_order: list[int]) -> None:
    """Put a refusal next to the inputs it is about: the missing parts, each
    officer without a finding, the methods, a bad file; the message itself at the
    top (a summary the user reads first)."""
    fields = exc.extra.get("fields") if isinstance(exc, ValidationFailed) else None
    placed = False
    if isinstance(fields, dict):
        covered = set(finding_order)
        for name, msgs in fields.items():
            msgs = msgs if isinstance(msgs, list) else [msgs]
            name = str(ALIASES.get(name, name))
            match = _FINDING_FIELD.match(name)
            targets: list[str] = []
            if match:
                index, part = int(match.group(1)), match.group(2)
                if index < len(finding_order):
                    targets = [f"finding_{finding_order[index]}_{'detail' if part == 'detail' else 'result'}"]
            elif name == "officer_findings":
                targets = [f"finding_{o.pk}_result" for o in form.officers if o.pk not in covered]
            elif name in form.fields:
                targets = [name]
            for target in targets:
                for message in msgs:
                    form.add_error(target, str(message))
                placed = True
    if exc.code == "report_incomplete" or not placed:
        form.add_error(None, str(exc.message))


# --- the editor ----------------------------------------------------------------------------


def _visible_or_404(user, clue_id) -> Clue:
    try:
        return clue_get_visible(user, clue_id)
    except NotFound:
        raise Http404 from None


def _editable(user, clue_id) -> Clue:
    """The clue, if ``user`` may edit its report now: 404 when the user does not
    see the clue, 403 when they see it but are not on its active team or the clue
    is not under investigation."""
    clue = _visible_or_404(user, clue_id)
    if not can_write_report(user, clue):
        raise DjangoPermissionDenied
    return clue


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(f"dualcheck:{name}", kwargs=kwargs)
    except NoReverseMatch:  # a page of another module not wired yet
        return ""


class EditorPage:
    def __init__(self, request: HttpRequest, clue: Clue):
        self.request, self.user, self.clue = request, request.user, clue
        self.team = active_team(clue)
        self.officers = list(ClueOfficer.objects.filter(clue=clue).select_related("court").order_by("pk"))
        self.report = (
            Report.objects.filter(clue=clue, round=clue.round).prefetch_related("officer_findings").first()
        )

    def form(self, data=None, files=None) -> ReportForm:
        return ReportForm(data, files, officers=self.officers, initial=_initial(self.report, self.team))

    def context(self, form: ReportForm) -> dict:
        clue = self.clue
        attachments = (
            list(
                ReportAttachment.objects.filter(report=self.report)
                .defer("data")
                .select_related("uploaded_by")
            )
            if self.report
            else []
        )
        referral = (
            clue.referrals.select_related("target_court", "referred_by")
            .order_by("-referred_at", "-id")
            .first()
        )
        review = (
            clue.reviews.filter(decision=ReviewDecision.SUPPLEMENT).order_by("-reviewed_at", "-id").first()
            if clue.round > 1
            else None
        )
        earlier = list(
            Report.objects.filter(clue=clue, round__lt=clue.round, status=ReportStatus.SUBMITTED).order_by(
                "round"
            )
        )
        return {
            "clue": clue,
            "form": form,
            "team": self.team,
            "members": list(self.team.members.filter(removed_at__isnull=True).select_related("user"))
            if self.team
            else [],
            "report": self.report,
            "attachments": [
                {"attachment": a, "url": reverse("dualcheck:attachment", kwargs={"attachment_id": a.pk})}
                for a in attachments
            ],
            "clock": ClockRows().row(clue.report_deadline),
            "referral": referral,
            "review": review,
            "earlier": [
                {
                    "report": r,
                    "url": reverse("dualcheck:report-pdf", kwargs={"clue_id": clue.pk, "round": r.round}),
                }
                for r in earlier
            ],
            "flagged": [
                {"event": e, "label": node_label(e.kind), "flags": [FLAG_LABELS.get(f, f) for f in e.flags]}
                for e in flagged_nodes(clue)
            ],
            "detail_url": _url("clue-detail", clue_id=clue.pk),
            "board_url": _url("board"),
            "draft_pdf_url": reverse("dualcheck:report-pdf", kwargs={"clue_id": clue.pk, "round": clue.round})
            if self.report
            else "",
            "max_mb": ATTACHMENT_MAX_BYTES // (1024 * 1024),
        }

    def render(self, form: ReportForm, status: int = 200) -> HttpResponse:
        # Showing the confidential parts is a read: record it (and refuse if the
        # access went away between the check and now).
        if not confidential_read(user=self.user, clue=self.clue, what="report", via="page"):
            raise DjangoPermissionDenied
        return render(self.request, "dualcheck/report/edit.html", self.context(form), status=status)


def _save(request: HttpRequest, clue: Clue, form: ReportForm, findings: list[dict], submit: bool) -> bool:
    """Save the draft, the methods and scope, the file; then submit if asked.
    Returns whether a file was uploaded; raises the service's refusal."""
    user, data = request.user, form.cleaned_data
    parts = {k: data.get(k) or "" for k in TEXT_PARTS}
    call_service(report_save, actor=user, clue=clue, officer_findings=findings, **parts)
    call_service(
        team_record_work,
        actor=user,
        clue=clue,
        methods=data.get("methods") or [],
        scope=data.get("scope") or [],
        notes=data.get("work_notes") or "",
    )
    upload = data.get("file")
    if upload is not None:
        if upload.size > ATTACHMENT_MAX_BYTES:
            raise ValidationFailed.for_field("file", _("文件不能超过 10 MB。"))
        call_service(
            report_attachment_add,
            actor=user,
            clue=clue,
            name=upload.name,
            content_type=(upload.content_type or "").split(";")[0].strip().lower(),
            data=upload.read(),
        )
    if submit:
        call_service(report_submit, actor=user, clue=clue)
    return upload is not None


@never_cache  # confidential content must not outlive the reader's access in a cache
@require_http_methods(["GET", "POST"])
@perm_required("core.use_browser")
def report_edit(request: HttpRequest, clue_id: int) -> HttpResponse:
    clue = _editable(request.user, clue_id)
    page = EditorPage(request, clue)
    if request.method == "GET":
        return page.render(page.form())

    op = request.POST.get("op") or "save"
    form = page.form(request.POST, request.FILES)
    if not form.is_valid():
        return page.render(form, status=422)
    findings, order = form.findings()
    try:
        uploaded = _save(request, clue, form, findings, submit=op == "submit")
    except NotFound:
        raise Http404 from None
    except PermissionDenied:  # no longer on the team
        raise DjangoPermissionDenied from None
    except ApplicationError as exc:
        place_report_error(form, exc, order)
        # the form shows the text as typed; the page re-reads what was saved
        # before the refusal (the draft, an uploaded file)
        return EditorPage(request, clue).render(
            form, status=409 if isinstance(exc, InvalidTransition) else 422
        )
    if op == "submit":
        messages.success(request, _("调查报告已上报，报告期限停止计算。"))
        return redirect(
            _url("clue-detail", clue_id=clue.pk)
            or reverse("dualcheck:report-pdf", kwargs={"clue_id": clue.pk, "round": clue.round})
        )
    messages.success(request, _("附件已上传，草稿已保存。") if uploaded else _("草稿已保存。"))
    return redirect("dualcheck:report-edit", clue_id=clue.pk)


# --- attachments ---------------------------------------------------------------------------

_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;]+')


def safe_filename(name: str) -> tuple[str, str]:
    """(an ASCII fallback, the UTF-8 name) for Content-Disposition: no control
    characters, quotes, separators or path parts, no leading dot; never empty."""
    clean = _UNSAFE_NAME.sub("_", name or "").strip(" .")[:150] or "attachment"
    base, dot, ext = clean.rpartition(".")
    if not dot:
        base, ext = clean, ""
    ascii_base = base.encode("ascii", "ignore").decode().strip(" ._")
    ascii_ext = ext.encode("ascii", "ignore").decode()
    ascii_name = (ascii_base or "attachment") + (f".{ascii_ext}" if ascii_ext else "")
    return ascii_name, clean


def content_disposition(kind: str, name: str) -> str:
    ascii_name, utf8_name = safe_filename(name)
    return f"{kind}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"


@require_GET
@perm_required("core.use_browser")
def attachment_download(request: HttpRequest, attachment_id: int) -> HttpResponse:
    """A report attachment, to whoever may read the clue's confidential content
    (the read is recorded); anyone else 404, as if it did not exist."""
    meta = ReportAttachment.objects.defer("data").select_related("report").filter(pk=attachment_id).first()
    if meta is None:
        raise Http404
    clue = _visible_or_404(request.user, meta.report.clue_id)
    # a draft's attachment is the team's until the report is submitted
    if meta.report.status != ReportStatus.SUBMITTED and not is_team_member(request.user, clue):
        raise Http404
    if not confidential_read(user=request.user, clue=clue, what="attachment", via="page"):
        raise Http404
    data = ReportAttachment.objects.filter(pk=meta.pk).values_list("data", flat=True).get()
    stored = (meta.content_type or "").split(";")[0].strip().lower()
    content_type = stored if stored in INLINE_SAFE_TYPES else "application/octet-stream"
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = content_disposition("attachment", meta.name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("<int:clue_id>/report/", report_edit, name="report-edit"),
    path("attachments/<int:attachment_id>/", attachment_download, name="attachment"),
]
