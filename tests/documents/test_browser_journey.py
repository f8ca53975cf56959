"""文书 in headless Chromium: the handler opens the case, generates the 查封、冻结裁定书 as
Word from the 文书 section, sees it listed with its number and his name, and downloads a
Word file filled with the case's data; the kinds not yet available say what they lack."""

import io

import pytest
from docx import Document
from playwright.sync_api import expect

from documents.models import GeneratedDocument
from tests.browser import log_in, screenshot
from tests.documents.factories import case_with_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_generate_and_download_from_the_case_page(page, courts, clerk, handler, bureau_head):
    case = case_with_records(clerk, handler, bureau_head, courts.lu0102)
    log_in(page, handler)
    page.goto(f"/cases/{case.pk}/")
    section = page.locator("#documents")
    expect(section.locator("[data-documents-unavailable] [data-kind=termination_ruling]")).to_contain_text(
        "执行局长批准终结本次执行程序"
    )
    row = section.locator("[data-documents-available] tr[data-kind=seizure_ruling]")
    with page.expect_navigation():
        row.get_by_role("button", name="生成 Word").click()
    document = GeneratedDocument.objects.get()
    expect(page.locator("ul.messages")).to_contain_text(document.number)
    listed = page.locator(f"#documents [data-document='{document.pk}']")
    expect(listed).to_contain_text(document.number)
    expect(listed).to_contain_text(str(handler))
    screenshot(page, "documents_case_section")
    with page.expect_download() as download:
        listed.get_by_role("link", name="下载").click()
    content = open(download.value.path(), "rb").read()
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert case.case_number in text and document.number in text and "历下区人民法院" in text
