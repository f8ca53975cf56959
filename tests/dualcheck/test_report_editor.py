"""The joint team's report editor (双查规定 §6–§8) and report attachments: who may
open it, drafts that keep their text, a submission refused part by part (422, still
a draft) or accepted (clue reported, clock stopped), uploads and the download that
only confidential readers get."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import DeadlineStatus
from dualcheck.models import (
    ClueStatus,
    ConfidentialRead,
    Report,
    ReportAttachment,
    ReportStatus,
    TeamMember,
)
from dualcheck.selectors import flagged_nodes
from dualcheck.views.report import safe_filename
from tests.dualcheck.factories import advance

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def field_errors(html: str, field: str) -> list[str]:
    """The error messages shown right under the input ``field``."""
    blocks = re.findall(
        rf'<div class="field[^"]*" data-field="{field}">(.*?)(?=<div class="field|</section>|</fieldset>)',
        html,
        re.S,
    )
    assert blocks, f"no field {field} on the page"
    return [
        e for block in blocks for e in re.findall(r'<p class="field-error" role="alert">(.*?)</p>', block)
    ]


def editor(clue) -> str:
    return reverse("dualcheck:report-edit", kwargs={"clue_id": clue.pk})


def complete(clue, **overrides) -> dict:
    officer = clue.officers.get()
    data = {
        "process": "调取卷宗，系统检查，约谈承办人。",
        "facts": "立案后三个月未发起网络查控。",
        "analysis": "构成消极执行。",
        "opinion": "建议督促限期办理。",
        "officer_conduct": "承办人接受宴请属实。",
        f"finding_{officer.pk}_result": "substantiated",
        f"finding_{officer.pk}_detail": "接受宴请一次。",
        "methods": ["file_review", "system_check"],
        "scope": ["passive", "discipline"],
        "work_notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def investigating(dc, clue):
    return advance(dc, clue, "investigating")


# --- who may open it ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lower_inspector", 200),  # team member (supervision)
        ("lower_head", 200),  # team member (execution, leader)
        ("head", 403),  # head of the handling court: sees the clue, not on the team
        ("inspector", 403),  # handling court's supervision: reads it, does not write it
        ("leader", 403),
        ("officer", 404),  # the officer concerned: the clue does not exist for them
        ("lower_handler2", 404),  # enforcement staff of the investigating court
        ("sibling_inspector", 404),
        ("sibling_head", 404),
    ],
)
def test_only_the_active_team_opens_the_editor(dc, investigating, who, status):
    response = browser(getattr(dc, who)).get(editor(investigating))

    assert response.status_code == status
    if status == 200:
        html = response.content.decode()
        assert 'id="report-form"' in html and 'enctype="multipart/form-data"' in html
        assert "反映承办人收受被执行人宴请。" in html  # the confidential allegation, for the team
        assert ConfidentialRead.objects.filter(
            clue=investigating, user=getattr(dc, who), what="report", via="page"
        ).exists()
    else:
        assert not ConfidentialRead.objects.exists()


@pytest.mark.parametrize("stage", ["referred", "reported"])
def test_not_editable_outside_the_investigation(dc, clue, stage):
    clue = advance(dc, clue, stage)
    assert browser(dc.lower_head).get(editor(clue)).status_code == 403


def test_a_member_removed_from_the_team_is_out_on_the_next_request(dc, investigating):
    client = browser(dc.lower_head)
    assert client.get(editor(investigating)).status_code == 200

    TeamMember.objects.filter(user=dc.lower_head).update(removed_at=timezone.now())

    # still sees the clue (bureau head of the investigating court), may not edit
    assert client.get(editor(investigating)).status_code == 403
    assert client.post(editor(investigating), {"op": "save", "process": "x"}).status_code == 403


def test_the_page_shows_the_clock_and_the_flagged_nodes(dc, investigating, now):
    from core.services.events import node_event_record

    node = node_event_record(
        kind="case.notice_served",
        court=dc.courts.lu0102,
        case=dc.case,
        occurred_at=now - dt.timedelta(days=20),
        actor=dc.officer,
        flags=["backdated"],
    )
    html = browser(dc.lower_inspector).get(editor(investigating)).content.decode()

    due = timezone.localtime(investigating.report_deadline.due_at).date()
    assert f'data-due="{due:%Y-%m-%d}"' in html and 'data-clock="DUALCHECK_REPORT"' in html
    assert html.count('data-node="') == flagged_nodes(investigating).count()
    assert f'data-node="{node.pk}"' in html
    assert dc.case.case_number in html and "补录" in html


# --- drafts --------------------------------------------------------------------------------


def test_saving_a_draft_keeps_the_text(dc, investigating):
    client = browser(dc.lower_inspector)
    data = complete(investigating, facts="", analysis="", opinion="", op="save")

    response = client.post(editor(investigating), data)

    assert response.status_code == 302 and response["Location"] == editor(investigating)
    report = Report.objects.get(clue=investigating)
    assert report.status == ReportStatus.DRAFT
    assert (report.process, report.facts) == ("调取卷宗，系统检查，约谈承办人。", "")
    assert report.officer_findings.get().detail == "接受宴请一次。"
    investigating.teams.get().refresh_from_db()
    assert investigating.teams.get().methods == ["file_review", "system_check"]
    html = client.get(editor(investigating)).content.decode()
    assert "调取卷宗，系统检查，约谈承办人。" in html and "草稿已保存" in html
    assert re.search(r'value="system_check"[^>]*checked', html)
    assert not re.search(r'value="hearing_parties"[^>]*checked', html)
    # the other member sees the same draft
    assert (
        "调取卷宗，系统检查，约谈承办人。"
        in browser(dc.lower_head).get(editor(investigating)).content.decode()
    )


def test_a_half_filled_finding_is_refused_next_to_it(dc, investigating):
    officer = investigating.officers.get()
    data = complete(investigating, op="save", **{f"finding_{officer.pk}_detail": ""})

    response = browser(dc.lower_inspector).post(editor(investigating), data)

    assert response.status_code == 422
    assert field_errors(response.content.decode(), f"finding_{officer.pk}_detail")
    assert not Report.objects.exists()


# --- submission ----------------------------------------------------------------------------


def test_submitting_with_missing_parts_is_refused_part_by_part(dc, investigating):
    officer = investigating.officers.get()
    data = complete(
        investigating,
        op="submit",
        facts="",
        analysis="  ",
        opinion="",
        **{f"finding_{officer.pk}_result": "", f"finding_{officer.pk}_detail": ""},
    )

    response = browser(dc.lower_inspector).post(editor(investigating), data)

    assert response.status_code == 422
    html = response.content.decode()
    for part in ("facts", "analysis", "opinion"):
        assert field_errors(html, part), part
    assert field_errors(html, "process") == []
    assert field_errors(html, f"finding_{officer.pk}_result")
    assert "调查报告缺少：查明事实、问题分析、处理意见" in html
    assert "调取卷宗，系统检查，约谈承办人。" in html  # the text as typed
    investigating.refresh_from_db()
    assert investigating.status == ClueStatus.INVESTIGATING
    assert investigating.report_deadline.status == DeadlineStatus.OPEN
    report = Report.objects.get(clue=investigating)
    assert report.status == ReportStatus.DRAFT and report.submitted_at is None
    assert report.process == "调取卷宗，系统检查，约谈承办人。"  # kept as a draft


def test_submitting_without_a_method_is_refused_next_to_the_methods(dc, investigating):
    response = browser(dc.lower_inspector).post(
        editor(investigating), complete(investigating, op="submit", methods=[])
    )

    assert response.status_code == 422
    assert field_errors(response.content.decode(), "methods")
    assert Report.objects.get().status == ReportStatus.DRAFT


def test_submitting_a_complete_report(dc, investigating):
    deadline = investigating.report_deadline

    response = browser(dc.lower_inspector).post(editor(investigating), complete(investigating, op="submit"))

    assert response.status_code == 302
    investigating.refresh_from_db()
    assert investigating.status == ClueStatus.REPORTED
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET and deadline.completed_at is not None
    report = Report.objects.get(clue=investigating)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_by == dc.lower_inspector
    assert report.opinion == "建议督促限期办理。"
    # and the editor is closed now
    assert browser(dc.lower_inspector).get(editor(investigating)).status_code == 403


# --- attachments ---------------------------------------------------------------------------


def upload(client, clue, name, content, content_type, **data):
    return client.post(
        editor(clue),
        {**data, "op": "upload", "file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def download(user, attachment):
    return browser(user).get(reverse("dualcheck:attachment", kwargs={"attachment_id": attachment.pk}))


def test_uploading_and_downloading_an_attachment(dc, investigating):
    client = browser(dc.lower_inspector)

    response = upload(
        client, investigating, "谈话笔录.pdf", b"%PDF-1.4 test", "application/pdf", process="经过"
    )

    assert response.status_code == 302
    attachment = ReportAttachment.objects.get()
    assert (attachment.name, attachment.size, attachment.uploaded_by) == (
        "谈话笔录.pdf",
        13,
        dc.lower_inspector,
    )
    assert Report.objects.get().process == "经过"  # the draft was saved with it
    url = reverse("dualcheck:attachment", kwargs={"attachment_id": attachment.pk})
    assert url in client.get(editor(investigating)).content.decode()

    got = download(dc.lower_inspector, attachment)
    assert got.status_code == 200 and got.content == b"%PDF-1.4 test"
    assert got["Content-Type"] == "application/pdf"
    assert got["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E8%B0%88%E8%AF%9D%E7%AC%94%E5%BD%95.pdf" in got["Content-Disposition"]
    assert got["X-Content-Type-Options"] == "nosniff"
    assert ConfidentialRead.objects.filter(user=dc.lower_inspector, what="attachment", via="page").exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("lower_inspector", 200),  # the team writing the draft
        # a draft's attachment is the team's until the report is submitted (the
        # readers above see it then; test_permission_matrix covers that side)
        ("inspector", 404),
        ("leader", 404),
        ("head", 404),  # sees the clue, not its confidential content
        ("lower_handler2", 404),
        ("officer", 404),
        ("sibling_inspector", 404),
    ],
)
def test_only_confidential_readers_download(dc, investigating, who, status):
    upload(browser(dc.lower_inspector), investigating, "a.png", b"\x89PNG....", "image/png")
    attachment = ReportAttachment.objects.get()
    reads = ConfidentialRead.objects.count()

    assert download(getattr(dc, who), attachment).status_code == status
    assert ConfidentialRead.objects.count() == reads + (1 if status == 200 else 0)


def test_an_unknown_attachment_is_404(dc, investigating):
    assert (
        browser(dc.inspector)
        .get(reverse("dualcheck:attachment", kwargs={"attachment_id": 999999}))
        .status_code
        == 404
    )


def test_text_is_downloaded_as_bytes_never_rendered(dc, investigating):
    upload(
        browser(dc.lower_inspector), investigating, "<b>x</b>.txt", b"<script>alert(1)</script>", "text/plain"
    )

    got = download(dc.lower_inspector, ReportAttachment.objects.get())

    assert got["Content-Type"] == "application/octet-stream"
    disposition = got["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and ".txt" in disposition
    assert "<" not in disposition and ">" not in disposition
    assert "sandbox" in got["Content-Security-Policy"]


def test_a_refused_file_is_shown_next_to_the_file_input(dc, investigating):
    response = upload(
        browser(dc.lower_inspector),
        investigating,
        "page.html",
        b"<html></html>",
        "text/html",
        process="已写的经过",
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert field_errors(html, "file")
    assert "已写的经过" in html
    assert not ReportAttachment.objects.exists()


@pytest.mark.parametrize("name", ['../../etc/pa"ss\r\nwd', "..\\x.exe", ".htaccess", "a;b.txt"])
def test_safe_filename_has_no_path_quote_or_line_break(name):
    for part in safe_filename(name):
        assert part and not part.startswith(".")
        assert not set(part) & set('/\\"\r\n;')


def test_safe_filename_keeps_a_chinese_name_and_its_extension():
    assert safe_filename("调查报告.docx") == ("attachment.docx", "调查报告.docx")
    assert safe_filename("") == ("attachment", "attachment")


def test_the_editor_query_count_does_not_grow(dc, investigating, now):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.services.events import node_event_record

    client = browser(dc.lower_inspector)
    client.post(editor(investigating), complete(investigating, op="save"))
    upload(client, investigating, "a.pdf", b"%PDF-1", "application/pdf")
    with CaptureQueriesContext(connection) as one:
        assert client.get(editor(investigating)).status_code == 200

    for n in range(3):
        upload(client, investigating, f"b{n}.pdf", b"%PDF-1", "application/pdf")
        node_event_record(
            kind="case.notice_served",
            court=dc.courts.lu0102,
            case=dc.case,
            occurred_at=now - dt.timedelta(days=20 + n),
            actor=dc.officer,
            flags=["backdated"],
        )
    with CaptureQueriesContext(connection) as more:
        html = client.get(editor(investigating)).content.decode()
    assert html.count('data-attachment="') == 4
    assert len(more.captured_queries) == len(one.captured_queries)
