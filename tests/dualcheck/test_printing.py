"""Printable report and conclusion (WeasyPrint): real PDFs, and the HTML they are
made from carries the confidential parts only for those who may read them (the
read is recorded, via "pdf"). Extracting text from a PDF is brittle, so the
document is checked through the same function the view renders."""

import pytest
from django.http import Http404
from django.urls import reverse

from dualcheck.models import ConclusionFinding, ConfidentialRead
from dualcheck.services import investigation as s_inv
from dualcheck.services import outcome as s_out
from dualcheck.views.printing import conclusion_document, report_document
from tests.dualcheck.factories import advance
from tests.dualcheck.test_report_editor import browser

pytestmark = pytest.mark.django_db

CONDUCT = "承办人接受宴请属实。"
FINDING = "接受宴请一次。"
ALLEGATION = "反映承办人收受被执行人宴请。"
DISCIPLINARY = "历下区法院监察室"
DEADLINE_ORDER = "责令十日内采取查封措施。"


def report_pdf(clue, round_number=1):
    return reverse("dualcheck:report-pdf", kwargs={"clue_id": clue.pk, "round": round_number})


def conclusion_pdf(clue):
    return reverse("dualcheck:conclusion-pdf", kwargs={"clue_id": clue.pk})


@pytest.fixture
def reported(dc, clue):
    return advance(dc, clue, "reported")


def test_the_report_is_a_pdf(dc, reported):
    response = browser(dc.inspector).get(report_pdf(reported))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("inline;")
    assert ConfidentialRead.objects.filter(user=dc.inspector, what="report_pdf", via="pdf").exists()


@pytest.mark.parametrize(
    ("who", "confidential"),
    [
        ("inspector", True),  # supervision of the handling court
        ("leader", True),
        ("lower_inspector", True),  # on the team (and supervision of the lower court)
        ("head", False),  # bureau head of the handling court: the case part only
        ("working_group", False),
        ("lower_head", True),  # a bureau head, but on the joint team until the conclusion
    ],
)
def test_the_report_shows_officer_content_only_to_confidential_readers(dc, reported, who, confidential):
    user = getattr(dc, who)

    document = report_document(user, reported.pk, 1)

    html = document.html
    for part in (
        "调取卷宗、系统检查、约谈承办人。",
        "立案后三个月未发起网络查控。",
        "构成消极执行。",
        "建议督促限期办理。",
    ):
        assert part in html
    assert document.confidential is confidential
    for secret in (CONDUCT, FINDING, ALLEGATION, "李承办"):
        assert (secret in html) is confidential, secret
    assert ("data-omitted" in html) is not confidential
    reads = ConfidentialRead.objects.filter(user=user, clue=reported, what="report_pdf", via="pdf")
    assert reads.count() == (1 if confidential else 0)


@pytest.mark.parametrize("who", ["officer", "sibling_inspector", "lower_handler2", "clerk"])
def test_who_does_not_see_the_clue_gets_404(dc, reported, who):
    with pytest.raises(Http404):
        report_document(getattr(dc, who), reported.pk, 1)
    assert browser(getattr(dc, who)).get(report_pdf(reported)).status_code == 404


def test_a_round_that_does_not_exist_is_404(dc, reported):
    assert browser(dc.inspector).get(report_pdf(reported, 2)).status_code == 404


def test_a_draft_is_printable_by_the_team_only(dc, clue):
    clue = advance(dc, clue, "investigating")
    s_inv.report_save(
        actor=dc.lower_inspector, clue=clue, process="草稿中的调查经过", officer_conduct=CONDUCT
    )

    html = report_document(dc.lower_inspector, clue.pk, 1).html
    assert "草稿中的调查经过" in html and "data-draft" in html and CONDUCT in html
    for who in ("inspector", "head", "leader"):  # the upper court sees it once submitted
        with pytest.raises(Http404):
            report_document(getattr(dc, who), clue.pk, 1)
    assert browser(dc.lower_head).get(report_pdf(clue)).status_code == 200


@pytest.fixture
def concluded(dc, clue):
    return advance(dc, clue, "concluded")


def test_the_conclusion_is_a_pdf(dc, concluded):
    response = browser(dc.head).get(conclusion_pdf(concluded))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_conclusion_leaves_out_disciplinary_dispositions_for_non_readers(dc, concluded):
    full = conclusion_document(dc.inspector, concluded.pk)
    partial = conclusion_document(dc.head, concluded.pk)

    assert full.confidential and not partial.confidential
    for html in (full.html, partial.html):
        assert DEADLINE_ORDER in html and "反映的消极执行问题属实。" in html
    assert DISCIPLINARY in full.html and 'data-disposition="disciplinary"' in full.html
    assert DISCIPLINARY not in partial.html and 'data-disposition="disciplinary"' not in partial.html
    assert ALLEGATION in full.html and ALLEGATION not in partial.html
    assert ConfidentialRead.objects.filter(what="conclusion_pdf", via="pdf").count() == 1


def test_the_team_loses_the_confidential_parts_with_the_conclusion(dc, concluded):
    # lower_head was on the team; the team dissolves at the conclusion
    document = conclusion_document(dc.lower_head, concluded.pk)
    assert not document.confidential and DISCIPLINARY not in document.html
    assert CONDUCT not in report_document(dc.lower_head, concluded.pk, 1).html


def test_the_clarification_is_printed_for_confidential_readers_only(dc, clue):
    clue = advance(dc, clue, "concluded", finding=ConclusionFinding.UNSUBSTANTIATED)
    s_out.clue_clarify(
        actor=dc.inspector, clue=clue, scope="历下区法院执行局", content="经查反映不实，予以澄清。"
    )

    assert "经查反映不实，予以澄清。" in conclusion_document(dc.inspector, clue.pk).html
    assert "经查反映不实，予以澄清。" not in conclusion_document(dc.head, clue.pk).html


def test_no_conclusion_yet_is_404(dc, reported):
    assert browser(dc.inspector).get(conclusion_pdf(reported)).status_code == 404
    assert not ConfidentialRead.objects.exists()
