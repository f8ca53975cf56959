"""Case funds in headless Chromium: money arrives on a case's account; the handler
drafts the payment and submits it, the bureau head approves it in 案款审批, the
handler sends the 支付案款通知, finance pays it from 财务待付 — and the funds page
shows the account emptied and the payment clock of 322号 §22 met; then the notice
is printed. Finance also matches an unidentified receipt through the case-number
search.

Launched the way tests/enforcement/test_browser_journey.py launches Chromium."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from custody_funds.models import Disbursement, DisbursementStatus, Receipt, ReceiptStatus
from custody_funds.services import funds
from tests.browser import log_in, nav_link, screenshot
from tests.enforcement.factories import make_case

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

MASKED = "6222***********3445"  # the applicant's confirmed account of make_case, masked


def nav(page: Page, label: str) -> None:
    nav_link(page, label).click()  # (under its heading's dropdown, issue 16)


def test_receipt_to_payment_through_the_pages(page, courts, clerk, handler, bureau_head, finance, now):
    # given: a case with 100,000 on its account, and a payment nobody could place
    case = make_case(clerk, courts.lu0102, handler=handler)
    funds.receipt_record(
        actor=clerk, court=courts.lu0102, reference="B-2026-0001", account_number=case.fund_account.number,
        amount=Decimal("100000.00"), arrived_at=now - dt.timedelta(hours=2), payer="某某公司",
    )
    stray, _ = funds.receipt_record(
        actor=clerk, court=courts.lu0102, reference="B-2026-0002", account_number="37010000000000",
        amount=Decimal("2600.00"), arrived_at=now - dt.timedelta(days=3), payer="李四",
    )

    # --- the handler opens the case, then its funds page ------------------------------------
    log_in(page, handler)
    page.goto(f"/cases/{case.pk}/")
    card = page.locator("#funds")
    expect(card).to_contain_text(case.fund_account.number)
    expect(card.locator("[data-available]")).to_have_text("¥100,000.00")
    screenshot(page, "funds_case_page_card")
    card.get_by_role("link", name=re.compile("到账、发放与账户明细")).click()
    expect(page).to_have_url(re.compile(rf"/funds/cases/{case.pk}/$"))
    expect(page.locator("h1")).to_have_text(f"案款 · {case.case_number}")
    expect(page.locator("[data-account-number]")).to_have_text(case.fund_account.number)
    expect(page.locator("#receipts tr[data-receipt]")).to_contain_text("B-2026-0001")
    expect(page.locator("#receipts td[data-clock=FUNDS_NOTICE]")).to_have_count(1)
    expect(page.locator("#receipts [data-clock-status]")).to_contain_text("进行中")
    page.wait_for_function("() => window.htmx !== undefined")

    # --- draft: the confirmed account comes prefilled (masked); another one asks for the request
    form = page.locator("#form-draft")
    form.locator("summary").click()
    account = form.locator("input[name=account_number]")
    change = form.locator("[data-change-request]")
    expect(account).to_have_value(MASKED)
    expect(form.locator("input[name=amount]")).to_have_value("100000.00")
    expect(change).to_be_hidden()
    account.fill("6217000011112222333")
    expect(change).to_be_visible()
    account.fill(MASKED)
    expect(change).to_be_hidden()
    form.locator("input[name=amount]").fill("100000")
    screenshot(page, "funds_draft_form")
    with page.expect_response(lambda r: r.url.endswith(f"/funds/cases/{case.pk}/draft/")) as info:
        form.get_by_role("button", name="保存草稿").click()
    assert info.value.request.headers.get("hx-request") == "true"  # htmx, not a page load
    expect(page.locator("#funds-body .messages")).to_contain_text("已起草支付案款 100,000.00 元")
    d = Disbursement.objects.get(case=case)
    row = page.locator(f"#disbursements tr[data-disbursement='{d.pk}']")
    expect(row).to_contain_text(MASKED)
    expect(row).to_contain_text("草稿")
    expect(page.locator("[data-available]")).to_have_text("¥0.00")
    expect(page.locator("[data-pending]")).to_have_text("¥100,000.00")

    page.locator(f"#form-submit-{d.pk}").get_by_role("button", name="提交审批").click()
    expect(page.locator("#funds-body .messages")).to_contain_text("已提交执行局长审批")
    expect(row).to_have_attribute("data-status", "submitted")
    expect(page.locator("#disbursements .self-note")).to_contain_text("本人起草，须由其他审批人")
    expect(page.locator(f"#form-approve-{d.pk}")).to_have_count(0)
    screenshot(page, "funds_submitted")

    # --- the bureau head approves in 案款审批 ----------------------------------------------
    log_in(page, bureau_head)
    nav(page, "案款审批")
    expect(page.locator("h1")).to_have_text("案款审批")
    queue_row = page.locator(f"tr[data-disbursement='{d.pk}']")
    expect(queue_row).to_contain_text(case.case_number)
    expect(queue_row).to_contain_text("100,000.00")
    expect(queue_row).to_contain_text(MASKED)
    screenshot(page, "funds_approval_queue")
    with page.expect_navigation():
        queue_row.get_by_role("button", name="批准").click()
    expect(page.locator(".messages")).to_contain_text("已批准支付案款 100,000.00 元")
    expect(page.locator(f"tr[data-disbursement='{d.pk}']")).to_have_count(0)

    # --- the handler sends the notice to finance -------------------------------------------------
    log_in(page, handler)
    page.goto(f"/funds/cases/{case.pk}/")
    page.wait_for_function("() => window.htmx !== undefined")
    expect(row).to_have_attribute("data-status", "approved")
    page.locator(f"#form-notify-{d.pk}").get_by_role("button", name="发出支付案款通知").click()
    expect(page.locator("#funds-body .messages")).to_contain_text("已向财务部门发出支付案款通知")
    expect(row).to_have_attribute("data-status", "notified")
    expect(row.locator("td[data-clock=FUNDS_PAYMENT]")).to_have_count(1)
    expect(page.locator("#receipts [data-clock-status]")).to_contain_text("按期完成")  # FUNDS_NOTICE met

    # --- finance pays from 财务待付 -------------------------------------------------------------
    log_in(page, finance)
    nav(page, "财务待付")
    expect(page.locator("h1")).to_have_text("财务待付")
    pay_row = page.locator(f"tr[data-disbursement='{d.pk}']")
    expect(pay_row).to_contain_text(case.case_number)
    expect(pay_row).to_contain_text(MASKED)
    expect(pay_row.locator("[data-clock-status]")).to_contain_text("进行中")
    screenshot(page, "funds_finance_queue")
    with page.expect_navigation():
        pay_row.get_by_role("button", name="确认发放").click()  # without the reference: refused next to it
    expect(pay_row.locator(".field-error")).to_be_visible()
    pay_row.locator("input[name=bank_reference]").fill("ICBC-PAY-778899")
    with page.expect_navigation():
        pay_row.get_by_role("button", name="确认发放").click()
    expect(page.locator(".messages")).to_contain_text("已发放 100,000.00 元")
    expect(page.locator(".empty")).to_contain_text("暂无待发放的案款")
    d.refresh_from_db()
    assert d.status == DisbursementStatus.PAID and d.bank_reference == "ICBC-PAY-778899"

    # the funds page: nothing left, the payment clock met
    page.goto(f"/funds/cases/{case.pk}/")
    expect(page.locator("[data-balance]")).to_have_text("¥0.00")
    expect(page.locator("[data-available]")).to_have_text("¥0.00")
    expect(row).to_have_attribute("data-status", "paid")
    expect(row.locator("[data-clock-status]")).to_have_attribute("data-clock-status", "met")
    expect(row.locator("[data-clock-status]")).to_contain_text("按期完成")
    expect(page.locator("#ledger [data-balance-after]").last).to_have_text("0.00")
    screenshot(page, "funds_case_paid")

    # --- the printable 支付案款通知 ---------------------------------------------------------------
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="支付案款通知（打印）").click()
    notice = opened.value
    notice.wait_for_load_state()
    expect(notice.locator("h1")).to_have_text("支付案款通知")
    expect(notice.locator("[data-capitals]")).to_have_text("人民币壹拾万元整")
    expect(notice.locator("[data-figures]")).to_have_text("¥100,000.00")
    expect(notice.locator(".sheet")).to_contain_text(MASKED)
    expect(notice.locator(".sheet")).to_contain_text("历下区人民法院")
    expect(notice.locator(".mainnav")).to_have_count(0)
    screenshot(notice, "funds_notice")
    notice.emulate_media(media="print")
    expect(notice.locator(".toolbar")).to_be_hidden()
    screenshot(notice, "funds_notice_print")
    notice.close()

    # --- finance matches the unidentified receipt by searching the case number --------------------
    nav(page, "不明款")
    expect(page.locator("h1")).to_have_text("不明款")
    page.wait_for_function("() => window.htmx !== undefined")
    stray_row = page.locator(f"tr[data-receipt='{stray.pk}']")
    expect(stray_row).to_contain_text("2,600.00")
    expect(stray_row.locator("td.age")).to_contain_text("3 天")
    number = stray_row.locator("input[name=case_number]")
    with page.expect_response(lambda r: f"/funds/receipts/{stray.pk}/cases/" in r.url):
        number.press_sequentially("执1001", delay=30)
    expect(page.locator(f"#cases-{stray.pk} option")).to_have_count(1)
    expect(page.locator(f"#cases-{stray.pk} option")).to_have_attribute("value", case.case_number)
    screenshot(page, "funds_unidentified_queue")
    number.fill(case.case_number)
    stray_row.locator("input[name=reason]").fill("付款人李四提供转账凭证，系代被执行人付款")
    with page.expect_navigation():
        stray_row.get_by_role("button", name="匹配").click()
    expect(page.locator(".messages")).to_contain_text(f"匹配至 {case.case_number}")
    expect(page.locator(".empty")).to_contain_text("暂无不明款")
    stray.refresh_from_db()
    assert stray.status == ReceiptStatus.MATCHED and stray.case_id == case.pk
    assert Receipt.objects.filter(case=case).count() == 2
