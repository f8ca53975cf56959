"""Finance's day in headless Chromium: from the menu to 到账日报 (the day's receipts,
linked, with the totals), and matching a 不明款 to a closed case — the page shows the
case's state and asks for the confirmation and its reason before it matches."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from custody_funds.models import Receipt, ReceiptStatus
from custody_funds.services import funds
from tests.browser import log_in, nav_link, screenshot
from tests.custody_funds.factories import closed, receive
from tests.enforcement.factories import make_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_daily_receipts_and_the_closed_case_warning(page, courts, clerk, handler, finance, now):
    # given: a case closed (撤回申请) and a 不明款 that arrived this morning
    case = closed(make_case(clerk, courts.lu0102, handler=handler), clerk)
    stray, _ = funds.receipt_record(
        actor=finance,
        court=courts.lu0102,
        reference="B-DAY-1",
        account_number="37010000000000",
        amount=Decimal("2600.00"),
        arrived_at=now - dt.timedelta(hours=1),
        payer="李四",
    )

    # --- finance opens 到账日报 from the menu: today's receipt, 不明款, the totals -----------------
    log_in(page, finance)
    nav_link(page, "到账日报").click()
    expect(page.locator("h1")).to_have_text("到账日报")
    row = page.locator(f"tr[data-receipt='{stray.pk}']")
    expect(row).to_contain_text("B-DAY-1")
    expect(row.locator("[data-unidentified]")).to_have_text("不明款")
    expect(page.locator("input[name=from]")).to_have_value(
        now.astimezone(dt.timezone(dt.timedelta(hours=8))).date().isoformat()
    )
    expect(page.locator("[data-total=received] dd")).to_have_text("2,600.00")
    expect(page.locator("[data-total=unidentified] dd")).to_have_text("2,600.00")
    expect(page.locator("[data-total=matched] dd")).to_have_text("0.00")
    screenshot(page, "funds_receipts_daily")

    # --- it follows the 不明款 link and matches the receipt to the closed case ------------------------
    row.get_by_role("link", name="不明款").click()
    expect(page.locator("h1")).to_have_text("不明款")
    stray_row = page.locator(f"tr[data-receipt='{stray.pk}']")
    stray_row.locator("input[name=case_number]").fill(case.case_number)
    stray_row.locator("input[name=reason]").fill("付款人李四提供转账凭证")
    with page.expect_navigation():
        stray_row.get_by_role("button", name="匹配").click()
    # the warning names the state; nothing is matched yet
    stray_row = page.locator(f"tr[data-receipt='{stray.pk}']")
    warning = stray_row.locator("[data-closed-case]")
    expect(warning).to_contain_text("已结案（撤回申请）")
    expect(warning.locator("[data-field=confirm_closed_case] .field-error")).to_be_visible()
    assert Receipt.objects.get(pk=stray.pk).status == ReceiptStatus.UNIDENTIFIED
    screenshot(page, "funds_match_closed_case_warning")

    # confirming without a reason: the reason's error next to it
    warning.locator("input[name=confirm_closed_case]").check()
    with page.expect_navigation():
        stray_row.get_by_role("button", name="匹配").click()
    stray_row = page.locator(f"tr[data-receipt='{stray.pk}']")
    expect(stray_row.locator("[data-field=closed_case_reason] .field-error")).to_contain_text(
        "请说明匹配到该案的理由"
    )

    # with the reason, it matches, and the day's view marks it
    stray_row.locator("input[name=closed_case_reason]").fill("撤回后被执行人仍汇款，待退还")
    with page.expect_navigation():
        stray_row.get_by_role("button", name="匹配").click()
    expect(page.locator(".messages")).to_contain_text(f"匹配至 {case.case_number}")
    receipt = Receipt.objects.get(pk=stray.pk)
    assert (receipt.status, receipt.matched_case_status, receipt.closed_case_reason) == (
        ReceiptStatus.MATCHED,
        "closed",
        "撤回后被执行人仍汇款，待退还",
    )
    page.goto("/funds/receipts/daily/")
    row = page.locator(f"tr[data-receipt='{stray.pk}']")
    expect(row.get_by_role("link", name=case.case_number)).to_be_visible()
    expect(row).to_contain_text("匹配时已结案")
    expect(page.locator("[data-total=matched] dd")).to_have_text("2,600.00")


def test_bank_statement_reconciled_on_the_page(page, courts, clerk, handler, finance, tmp_path):
    # given: a receipt recorded yesterday; the bank's statement has it and one line nobody recorded
    case = make_case(clerk, courts.lu0102, handler=handler)
    receive(case, finance, "30000.00", "B-1", when="2026-11-20 09:00")
    statement = tmp_path / "对账单.csv"
    statement.write_text(
        "交易日期,金额,流水号,对方户名\n2026-11-20,30000.00,B-1,某某公司\n2026-11-20,88.00,B-9,不明\n",
        encoding="utf-8",
    )
    log_in(page, finance)
    nav_link(page, "到账日报").click()
    page.get_by_role("link", name="上传银行对账单对账").click()
    expect(page.locator("h1")).to_have_text("银行对账")
    page.locator("select[name=court]").select_option("鲁0102")
    page.locator("input[name=from]").fill("2026-11-20")
    page.locator("input[name=to]").fill("2026-11-21")
    page.locator("input[name=file]").set_input_files(str(statement))
    with page.expect_navigation():
        page.get_by_role("button", name="开始对账").click()
    expect(page.locator("tr[data-reference='B-1']")).to_have_attribute("data-category", "matched")
    expect(page.locator("tr[data-reference='B-9']")).to_have_attribute("data-category", "bank_only")
    expect(page.locator("[data-summary=bank_only] dd")).to_have_text("1")
    expect(page.locator("[data-balanced]")).to_have_text("存在差异，请逐笔核实。")
    screenshot(page, "funds_reconciliation")
