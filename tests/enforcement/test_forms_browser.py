"""Issue 16 in Chromium: a clerk's four mistakes on 收案登记 come back in one answer,
each beside its input and read out with it (aria-describedby); required inputs are
marked for the eye and the screen reader."""

import pytest
from playwright.sync_api import expect

from core import messages
from enforcement.models import Case
from tests.browser import log_in, screenshot
from tests.enforcement.factories import org_code, person_id

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_four_mistakes_answered_once_beside_their_inputs(page, courts, clerk, today):
    good_id, good_code = person_id(), org_code()
    log_in(page, clerk)
    page.goto("/cases/new/")
    expect(page.locator("h1")).to_have_text("收案登记")
    expect(page.locator("label[for=id_case_number] .visually-hidden")).to_have_text("（必填）")

    page.fill("#id_case_number", f"({today.year})鲁0102民初1号")
    page.fill("#id_claim_amount", "-5")
    page.fill("#id_basis_document", "(2026)鲁0102民初88号民事判决书")
    page.fill("#id_applicants-0-name", "张三")
    page.fill("#id_applicants-0-id_number", good_id[:-1] + ("0" if good_id[-1] != "0" else "1"))
    page.fill("#id_applicants-0-bank", "中国工商银行济南分行")
    page.fill("#id_applicants-0-account_number", "6222020200112233445")
    page.fill("#id_applicants-0-holder", "张三")
    page.select_option("#id_respondents-0-kind", "organization")
    page.fill("#id_respondents-0-name", "济南某某商贸有限公司")
    page.fill("#id_respondents-0-id_number", good_code[:-1] + ("0" if good_code[-1] != "0" else "1"))
    with page.expect_navigation():
        page.get_by_role("button", name="登记立案").click()

    errors = page.locator(".field-error")
    expect(errors).to_have_count(4)
    for name in ("case_number", "claim_amount", "applicants-0-id_number", "respondents-0-id_number"):
        field = page.locator(f'[data-field="{name}"]')
        expect(field.locator(".field-error")).to_have_count(1)
        described = page.locator(f"#id_{name}").get_attribute("aria-describedby") or ""
        assert f"id_{name}_error" in described.split()
        expect(page.locator(f"#id_{name}_error")).to_be_visible()
    expect(page.locator('[data-field="claim_amount"] .field-error')).to_have_text(
        str(messages.AMOUNT_NOT_POSITIVE)
    )
    screenshot(page, "forms_four_errors_at_once")
    assert not Case.objects.exists()
