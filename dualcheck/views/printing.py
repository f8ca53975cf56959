"""Printable documents of 一案双查 (WeasyPrint): the investigation report of a round
(调查报告, §8) and the conclusion (检查结论, §9–§11).

Anyone who sees the clue may print them. The confidential parts — the officers
concerned and the allegation about them, the officer conduct and findings and the
attachment list of a report, disciplinary dispositions, the clarification — are in
the document only when ``confidential_read(..., via="pdf")`` says the user may read
them (which records the read). Everyone else gets the same document without them
and a line saying parts were left out.

Decisions:
- A report round that does not exist is 404. A *draft* is printable only by the
  members of the active joint team (to read it over before submitting), marked
  "草稿" on every page; to anyone else a draft does not exist (404), so a lower
  court's work in progress never reaches the upper court early.
- The conclusion is 404 until there is one.
- The documents never show the complainant's contact details.

``report_document`` / ``conclusion_document`` build the HTML (with the access
checks and the read record) and are what the tests inspect; ``pdf_from_html``
turns it into PDF bytes without fetching anything from outside the document.
"""

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.decorators import perm_required
from core.exceptions import NotFound
from core.models import User
from core.web.pdf import pdf_from_html
from dualcheck.models import (
    CONFIDENTIAL_DISPOSITIONS,
    Clarification,
    Clue,
    ClueOfficer,
    Conclusion,
    Disposition,
    Feedback,
    Report,
    ReportAttachment,
    ReportStatus,
    ScopeItem,
    TeamMethod,
)
from dualcheck.selectors import clue_get_visible, is_team_member
from dualcheck.services.outcome import confidential_read
from dualcheck.views.report import content_disposition

FONT_FAMILY = '"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "SimSun", serif'


@dataclass(frozen=True)
class Document:
    html: str
    filename: str
    confidential: bool


def _visible(user: User, clue_id) -> Clue:
    try:
        return clue_get_visible(user, clue_id)
    except NotFound:
        raise Http404 from None


def _base(clue: Clue, title: str, confidential: bool) -> dict:
    return {
        "clue": clue,
        "title": title,
        "confidential": confidential,
        "font_family": FONT_FAMILY,
        "printed_at": timezone.now(),
        "cases": [link.case for link in clue.case_links.select_related("case__court").order_by("case_id")],
    }


def report_document(user: User, clue_id, round_number: int) -> Document:
    """The report of round ``round_number`` as HTML for ``user`` (404 when it does
    not exist for them)."""
    clue = _visible(user, clue_id)
    report = (
        Report.objects.filter(clue=clue, round=round_number)
        .select_related("team__court", "submitted_by", "updated_by")
        .first()
    )
    if report is None:
        raise Http404
    draft = report.status != ReportStatus.SUBMITTED
    if draft and not (report.round == clue.round and is_team_member(user, clue)):
        raise Http404
    confidential = confidential_read(user=user, clue=clue, what="report_pdf", via="pdf")
    team = report.team
    context = {
        **_base(clue, _("一案双查调查报告"), confidential),
        "report": report,
        "draft": draft,
        "team": team,
        "members": list(team.members.filter(removed_at__isnull=True).select_related("user").order_by("pk")),
        "methods": [TeamMethod(m).label for m in team.methods if m in TeamMethod.values],
        "scope": [ScopeItem(s).label for s in team.scope if s in ScopeItem.values],
        "referral": clue.referrals.filter(target_court=team.court).order_by("-referred_at", "-id").first(),
    }
    if confidential:
        context["officers"] = list(
            ClueOfficer.objects.filter(clue=clue).select_related("court").order_by("pk")
        )
        context["findings"] = list(report.officer_findings.select_related("officer").order_by("officer_id"))
        context["attachments"] = list(ReportAttachment.objects.filter(report=report).defer("data"))
    html = render_to_string("dualcheck/print/report.html", context)
    suffix = _("草稿") if draft else _("第%(n)s轮") % {"n": report.round}
    return Document(html, f"{clue.number}-{_('调查报告')}-{suffix}.pdf", confidential)


def conclusion_document(user: User, clue_id) -> Document:
    """The conclusion as HTML for ``user`` (404 until there is one)."""
    clue = _visible(user, clue_id)
    conclusion = (
        Conclusion.objects.filter(clue=clue)
        .select_related("meeting", "concluded_by")
        .prefetch_related("meeting__participants__user")
        .first()
    )
    if conclusion is None:
        raise Http404
    confidential = confidential_read(user=user, clue=clue, what="conclusion_pdf", via="pdf")
    dispositions = Disposition.objects.filter(conclusion=conclusion).select_related("target_court", "officer")
    if not confidential:
        dispositions = dispositions.exclude(kind__in=CONFIDENTIAL_DISPOSITIONS)
    context = {
        **_base(clue, _("一案双查检查结论"), confidential),
        "conclusion": conclusion,
        "meeting": conclusion.meeting,
        "participants": list(conclusion.meeting.participants.all()),
        "dispositions": list(dispositions.order_by("pk")),
        "feedback": Feedback.objects.filter(clue=clue).select_related("fed_back_by").first(),
        "reports": list(
            Report.objects.filter(clue=clue, status=ReportStatus.SUBMITTED)
            .order_by("round")
            .only("round", "submitted_at")
        ),
    }
    if confidential:
        context["officers"] = list(
            ClueOfficer.objects.filter(clue=clue).select_related("court").order_by("pk")
        )
        context["clarification"] = Clarification.objects.filter(clue=clue).first()
    html = render_to_string("dualcheck/print/conclusion.html", context)
    return Document(html, f"{clue.number}-{_('检查结论')}.pdf", confidential)


def _pdf_response(document: Document) -> HttpResponse:
    response = HttpResponse(pdf_from_html(document.html), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition("inline", document.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@perm_required("core.use_browser")
def report_pdf(request: HttpRequest, clue_id: int, round: int) -> HttpResponse:
    return _pdf_response(report_document(request.user, clue_id, round))


@require_GET
@perm_required("core.use_browser")
def conclusion_pdf(request: HttpRequest, clue_id: int) -> HttpResponse:
    return _pdf_response(conclusion_document(request.user, clue_id))


urlpatterns = [
    path("<int:clue_id>/report-<int:round>.pdf", report_pdf, name="report-pdf"),
    path("<int:clue_id>/conclusion.pdf", conclusion_pdf, name="conclusion-pdf"),
]
