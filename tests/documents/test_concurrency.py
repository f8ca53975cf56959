"""Two generations of the same kind at the same court at the same moment, in real
transactions and threads on PostgreSQL: each gets its own number, none is reused."""

import pytest

from documents.models import DocumentCounter, GeneratedDocument
from documents.selectors import case_for_documents
from documents.services import document_generate
from tests.concurrency import race
from tests.enforcement.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_generations_take_distinct_sequential_numbers(courts, clerk, handler):
    case = make_case(clerk, courts.lu0102, handler=handler)
    second = make_case(clerk, courts.lu0102, number="(2026)鲁0102执1002号", handler=handler)
    cases = [case, second, case, second]

    def work(i):
        target = case_for_documents(handler, cases[i].pk)
        return document_generate(actor=handler, case=target, kind="execution_notice", fmt="docx").number

    outcomes = race(4, work)

    assert sorted(outcomes) == [("ok", f"(2026)鲁0102执通字第{n}号") for n in range(1, 5)]
    assert sorted(GeneratedDocument.objects.values_list("sequence", flat=True)) == [1, 2, 3, 4]
    assert DocumentCounter.objects.get(court=courts.lu0102, kind="execution_notice", year=2026).last == 4
