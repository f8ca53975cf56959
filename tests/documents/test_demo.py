"""The demo's documents: every kind its richest case can generate now, once."""

import io

import pytest
from docx import Document

from documents import demo
from documents.models import GeneratedDocument
from tests.documents.factories import case_with_records
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db


def test_demo_generates_the_richest_cases_documents_once(courts, clerk, handler, bureau_head):
    make_case(clerk, courts.lu0102, number="(2026)鲁0102执1号", handler=handler)
    rich = case_with_records(clerk, handler, bureau_head, courts.lu0102)

    assert demo.seed() == 8  # every kind but the 终本裁定 (the case is not terminated)
    assert demo.seed() == 0
    documents = GeneratedDocument.objects.all()
    assert {d.case_id for d in documents} == {rich.pk}
    assert "termination_ruling" not in {d.kind for d in documents}
    for d in documents:
        text = "\n".join(p.text for p in Document(io.BytesIO(bytes(d.content))).paragraphs)
        assert rich.case_number in text and d.number in text and "历下区人民法院" in text
