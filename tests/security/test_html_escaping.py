"""HTML never renders from data: every text a user or a court system can store —
party names, the basis document, descriptions, reasons, petition and order texts,
一案双查 summaries and allegations, receipt payers — is shown escaped on the pages
that display it, and so is a search term echoed back.

Each stored text is a payload carrying its own tag (``<script>alert("case-name")
</script>``, ``<img src=x onerror=...>``, an attribute breakout), so a page is
checked both ways: the raw markup is absent, and the escaped text is present (the
page really shows the field — the test could fail)."""

import os
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from django.utils.html import escape

from tests.security.fuzz_world import build_light_world

pytestmark = [pytest.mark.xdist_group("security-html-escaping")] if os.environ.get("PYTEST_XDIST_WORKER") else []


def script(tag: str) -> str:
    return f'<script>alert("{tag}")</script>'


def img(tag: str) -> str:
    return f'<img src=x onerror=alert("{tag}")>'


def breakout(tag: str) -> str:
    return f'"><svg onload=alert("{tag}")>'


RAW_MARKUP = ("<script>alert(", "<img src=x onerror", "<svg onload")


def build_stained_world():
    """The light world plus objects whose every free text is a payload."""
    from custody_funds.models import LedgerAccount
    from custody_funds.services import funds
    from dualcheck.models import ClueSource
    from dualcheck.services import clues as s_clues
    from enforcement.models import Asset
    from enforcement.services import assets as s_assets
    from enforcement.services import cases as s_cases
    from enforcement.services import closure as s_closure
    from enforcement.services import property_clues as s_property_clues
    from supervision.services.orders import order_issue, order_respond
    from supervision.services.petitions import petition_receive
    from tests.conftest import at
    from tests.enforcement.factories import org_code, person_id

    w = build_light_world()
    u, courts = w.matrix.users, w.matrix.courts
    clerk, handler = u["clerk"], u["officer"]
    case = s_cases.case_register(
        actor=clerk,
        data=s_cases.CaseInput(
            case_number="(2026)鲁0102执3333号",
            court=courts.lu0102,
            filed_on=at("2026-09-28 10:00").date(),
            received_at=at("2026-09-30 10:00"),
            claim_amount=Decimal("100000.00"),
            basis_document=script("basis"),
            team=img("team")[:50],
            handler=handler,
            applicants=[
                s_cases.PartyInput(
                    script("applicant"), "person", person_id(), "13800000000",
                    s_cases.PayoutAccountInput(img("bank"), "6222020200112233445", breakout("holder")),
                )
            ],
            respondents=[s_cases.PartyInput(img("respondent"), "organization", org_code())],
        ),
    )  # fmt: skip
    search = s_assets.search_launch(
        actor=clerk, case=case, channel="online", category_codes=None, launched_at=at("2026-10-09 09:00")
    )
    s_assets.search_record_feedback(
        actor=clerk, search=search, received_at=at("2026-10-12 15:00"),
        findings=[s_assets.FindingInput("vehicle", script("asset"), None)],
    )  # fmt: skip
    s_property_clues.property_clue_receive(
        actor=clerk, case=case, received_at=at("2026-10-13 10:00"), description=img("clue"), source=breakout("source")
    )
    s_cases.case_record_interview(actor=handler, case=case, at=at("2026-10-14 10:00"), note=script("interview"))
    s_closure.approval_request(actor=handler, case=case, kind="over_seizure", reason=script("approval"), payload={})
    funds.receipt_record(
        actor=clerk, court=courts.lu0102, reference="XSS-1", account_number="6200000009999",
        amount=Decimal("100.00"), arrived_at=at("2026-10-20 10:00"), payer=img("payer"),
    )  # fmt: skip
    funds.receipt_record(
        actor=clerk, court=courts.lu0102, reference="XSS-2", account_number=LedgerAccount.objects.get(case=case).number,
        amount=Decimal("200.00"), arrived_at=at("2026-10-20 11:00"), payer=script("case-payer"),
    )  # fmt: skip
    petition = petition_receive(
        actor=clerk, court=courts.lu0102, channel="letter", petitioner_name=script("petitioner"),
        content=img("petition"), case=case, received_at=at("2026-10-21 10:00"),
    )  # fmt: skip
    order = order_issue(
        actor=u["working_group"], case=case, kind="urge", instructions=script("order"), response_days=5,
        issued_at=at("2026-10-22 10:00"),
    )  # fmt: skip
    order_respond(actor=handler, order=order, text=img("order-response"))
    clue = s_clues.clue_register(
        actor=u["working_group"], court=courts.lu01, source=ClueSource.LETTERS_VISITS, summary=script("summary"),
        officer_allegation=img("allegation"), complainant_name=breakout("complainant")[:100], cases=[case],
        officers=[{"name": script("officer")[:50], "court": courts.lu0102, "user": None, "position": img("position")}],
    )  # fmt: skip
    w.ids.update(
        stained_case=case.pk,
        stained_petition=petition.pk,
        stained_order=order.pk,
        stained_clue=clue.pk,
        stained_asset=Asset.objects.get(search=search).pk,
    )
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            try:
                yield build_stained_world()
            finally:
                transaction.set_rollback(True)


@pytest.fixture
def w(world, db):
    return world


def page(w, role: str, url: str) -> str:
    browser = Client()
    browser.force_login(w.matrix.users[role])
    response = browser.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def assert_escaped(html: str, shown: list[str]) -> None:
    for marker in RAW_MARKUP:
        assert marker not in html, (marker, html[max(0, html.find(marker) - 200) : html.find(marker) + 200])
    missing = [text for text in shown if escape(text) not in html]
    assert missing == [], f"not shown (escaped) on the page: {missing}"


PAGES = [
    # (role, url template, payloads the page shows)
    ("officer", "/cases/{stained_case}/", [script("basis"), script("applicant"), img("respondent"), script("asset"),
                                           img("clue"), breakout("source")]),
    ("clerk", "/cases/", []),  # the list shows no free text of a case; it must not break either
    ("officer", "/funds/cases/{stained_case}/", [script("case-payer")]),
    ("clerk", "/funds/receipts/unidentified/", [img("payer")]),
    ("lower_head", "/cases/approvals/", [script("approval")]),
    ("clerk", "/supervision/petitions/{stained_petition}/", [script("petitioner"), img("petition")]),
    ("clerk", "/supervision/petitions/", [script("petitioner")]),
    ("working_group", "/supervision/orders/{stained_order}/", [script("order"), img("order-response")]),
    ("working_group", "/supervision/orders/", []),
    ("inspector", "/dualcheck/{stained_clue}/", [script("summary"), img("allegation"), breakout("complainant")]),
    ("inspector", "/dualcheck/", []),
]  # fmt: skip


@pytest.mark.parametrize(("role", "url", "shown"), PAGES, ids=[f"{r}:{u}" for r, u, _s in PAGES])
def test_stored_text_is_escaped_on_the_pages_that_show_it(w, role, url, shown):
    assert_escaped(page(w, role, url.format(**w.ids)), shown)


@pytest.mark.parametrize("term", [script("search"), img("search"), breakout("search")])
def test_a_search_term_is_echoed_escaped(w, term):
    from urllib.parse import urlencode

    html = page(w, "clerk", "/cases/?" + urlencode({"q": term}))
    assert_escaped(html, [term])


def test_a_rejected_form_shows_what_was_typed_escaped(w):
    browser = Client()
    browser.force_login(w.matrix.users["clerk"])
    response = browser.post(
        "/cases/new/",
        {"case_number": breakout("case-number"), "basis_document": script("typed"), "court": "", "claim_amount": "x"},
    )
    assert response.status_code in (200, 400, 422)
    assert_escaped(response.content.decode(), [breakout("case-number"), script("typed")])


def test_the_api_answers_json_never_html(w):
    """The same texts through the API: JSON (``application/json``), so no browser
    renders them as markup."""
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {w.token}")
    response = client.get(f"/api/v1/cases/{w.ids['stained_case']}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.json()["basis_document"] == script("basis")
