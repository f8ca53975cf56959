"""The case page's 文书 section: the kinds available now with 生成 Word / 生成 PDF, the others
with what they lack, the generated list with who and when, and the download."""

import io

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import translation
from docx import Document

from core.models import Role
from documents.models import GeneratedDocument
from tests.core.factories import make_member
from tests.documents.factories import case_with_records
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_section_lists_what_can_be_generated_and_what_is_missing(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, handler=handler)
    html = (
        browser(handler).get(reverse("enforcement:case-detail", kwargs={"case_id": case.pk})).content.decode()
    )
    section = html[html.index('id="documents"') :]
    assert "生成 Word" in section and "生成 PDF" in section
    assert 'value="acceptance_notice"' in section and 'value="execution_notice"' in section
    # a bare case lacks the measures, the 终本 approval and the approved payment
    assert "对被执行人采取的限制消费措施" in section
    assert "执行局长批准终结本次执行程序" in section
    assert "经执行局长批准的案款发放" in section
    assert "本案尚未生成文书。" in section


def test_generate_from_the_page_keeps_the_document_and_lists_it(courts, clerk, handler, bureau_head):
    case = case_with_records(clerk, handler, bureau_head, courts.lu0102)
    client = browser(handler)
    response = client.post(
        reverse("documents:generate", kwargs={"case_id": case.pk}),
        {"kind": "seizure_ruling", "format": "docx"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/cases/{case.pk}/#documents")
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    document = GeneratedDocument.objects.get()
    assert document.number in message and document.generated_by == handler
    page = client.get(reverse("enforcement:case-detail", kwargs={"case_id": case.pk})).content.decode()
    assert document.number in page and str(handler) in page
    download = client.get(reverse("documents:download", kwargs={"document_id": document.pk}))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(download.content)).paragraphs)
    assert case.case_number in text and "冻结存款" in text


def test_a_clerk_is_sent_back_with_the_reason(courts, clerk, handler, bureau_head):
    case = case_with_records(clerk, handler, bureau_head, courts.lu0102)
    client = browser(clerk)
    page = client.get(reverse("enforcement:case-detail", kwargs={"case_id": case.pk})).content.decode()
    assert "限本院承办人、执行局长生成" in page  # no buttons the clerk cannot use
    response = client.post(
        reverse("documents:generate", kwargs={"case_id": case.pk}),
        {"kind": "seizure_ruling", "format": "pdf"},
    )
    assert response.status_code == 302
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "承办人或执行局长" in message
    assert not GeneratedDocument.objects.exists()


def test_a_missing_prerequisite_is_named_on_the_page(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, handler=handler)
    response = browser(handler).post(
        reverse("documents:generate", kwargs={"case_id": case.pk}),
        {"kind": "payment_notice", "format": "docx"},
    )
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "经执行局长批准的案款发放" in message
    assert not GeneratedDocument.objects.exists()


def test_another_courts_case_is_404(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, handler=handler)
    stranger = make_member(Role.HANDLER, courts.lu0103, "handler-0103")
    response = browser(stranger).post(
        reverse("documents:generate", kwargs={"case_id": case.pk}),
        {"kind": "acceptance_notice", "format": "docx"},
    )
    assert response.status_code == 404
    assert not GeneratedDocument.objects.exists()


def test_the_section_in_english_when_chosen(courts, clerk, handler, settings):
    case = make_case(clerk, courts.lu0102, handler=handler)
    client = browser(handler)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    try:
        html = client.get(reverse("enforcement:case-detail", kwargs={"case_id": case.pk})).content.decode()
    finally:
        translation.deactivate()  # LocaleMiddleware leaves English active in this thread for later tests
    section = html[html.index('id="documents"') :]
    assert "Generate Word" in section and "Documents available now" in section
    assert "a consumption restriction against the respondent" in section
    assert "生成 Word" not in section
