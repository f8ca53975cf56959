"""A clerk's journey through the enforcement pages in headless Chromium: register a
case, launch the online search, record its feedback, freeze the deposit it found
— and watch the clocks of 322号 §13 start and stop on the case page.

Launched the way tests/core/test_browser.py launches Chromium (see its docstring
for why DJANGO_ALLOW_ASYNC_UNSAFE is set)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.calendar import WorkingCalendar
from enforcement import asset_catalogue
from enforcement.models import AssetCategory, Case
from tests.browser import log_in, screenshot
from tests.enforcement.factories import org_code, person_id

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

@pytest.fixture
def asset_categories(transactional_db):
    """Seeded by migration 0002; a transactional test before this one flushed them."""
    if AssetCategory.objects.count() == 0:
        asset_catalogue.sync(AssetCategory)


def local_input(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def deadline_row(page: Page, rule: str):
    return page.locator(f"#deadlines tr[data-rule={rule}]")


def test_clerk_registers_searches_and_freezes(page, courts, clerk, handler, asset_categories, now):
    # today, whatever today is (TEST_TODAY): a year whose calendar is not loaded yet counts
    # on the predicted one
    number = f"({timezone.localtime(now).year})鲁0102执5001号"
    # typed in within the person's tolerance (NODE_BACKDATE_TOLERANCE_HOURS_PERSON, 2 h): no 补录 flag
    received = now - dt.timedelta(minutes=100)
    launched = now - dt.timedelta(minutes=80)
    feedback = now - dt.timedelta(minutes=60)
    effective = now - dt.timedelta(minutes=30)
    filed_on = timezone.localtime(received).date() - dt.timedelta(days=1)

    log_in(page, clerk)
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案件").click()
    expect(page.locator("h1")).to_have_text("执行案件")
    page.get_by_role("link", name="收案登记").click()
    expect(page.locator("h1")).to_have_text("收案登记")
    page.wait_for_function("() => window.htmx !== undefined")

    # --- the register form -------------------------------------------------------------
    page.fill("#id_case_number", number.replace("(", "（").replace(")", "）"))  # full-width brackets are normalised
    page.fill("#id_filed_on", filed_on.isoformat())
    page.fill("#id_received_at", local_input(received))
    page.fill("#id_claim_amount", "100000")
    page.fill("#id_costs", "1200")
    page.fill("#id_basis_document", "(2026)鲁0102民初88号民事判决书")
    page.select_option("#id_handler", str(handler.pk))
    page.fill("#id_applicants-0-name", "张三")
    page.fill("#id_applicants-0-id_number", person_id())
    page.fill("#id_applicants-0-phone", "13800000000")
    page.fill("#id_applicants-0-bank", "中国工商银行济南分行")
    page.fill("#id_applicants-0-account_number", "6222020200112233445")
    page.fill("#id_applicants-0-holder", "张三")
    page.select_option("#id_respondents-0-kind", "organization")
    page.fill("#id_respondents-0-name", "济南某某商贸有限公司")
    page.fill("#id_respondents-0-id_number", org_code())
    # a second respondent row comes by htmx, with the next index; removed again
    page.get_by_role("button", name="+ 添加被执行人").click()
    expect(page.locator("#id_respondents-1-name")).to_be_visible()
    expect(page.locator("#add-respondent")).to_have_attribute("hx-get", re.compile(r"index=2$"))
    page.locator("fieldset[data-row=respondents-1] button.remove").click()
    expect(page.locator("#id_respondents-1-name")).to_have_count(0)
    screenshot(page, "enforcement_register_form")
    with page.expect_navigation():
        page.get_by_role("button", name="登记立案").click()

    case = Case.objects.get(case_number=number)
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.locator("h1")).to_have_text(number)
    expect(page.locator(".messages")).to_contain_text("已登记")
    expect(page.locator("#parties")).to_contain_text("370102********")
    expect(page.locator("#parties")).not_to_contain_text(person_id())
    expect(deadline_row(page, "SEARCH_START")).to_contain_text("进行中")
    page.wait_for_function("() => window.htmx !== undefined")

    # --- launch the online search (every enabled category, checked by default) ------------
    form = page.locator("#form-search")
    form.locator("summary").click()
    expect(form.locator("input[name=categories]:checked")).to_have_count(12)
    form.locator("input[name=launched_at]").fill(local_input(launched))
    with page.expect_response(lambda r: r.url.endswith(f"/cases/{case.pk}/search/")) as info:
        form.get_by_role("button", name="发起查询").click()
    assert info.value.request.headers.get("hx-request") == "true"  # htmx, not a page load
    expect(page.locator("#case-body .messages")).to_contain_text("已发起财产查询")
    expect(deadline_row(page, "SEARCH_START")).to_contain_text("按期完成")
    expect(page.locator("#searches tr[data-search]")).to_have_count(1)

    # --- feedback: one bank deposit of 50,000 that cannot be frozen online -------------------
    form = page.locator("details[id^=form-feedback-]")
    form.locator("summary").click()
    form.locator("input[name=received_at]").fill(local_input(feedback))
    expect(form.locator(".finding-row")).to_have_count(3)
    form.locator("select[name=findings-0-category]").select_option("bank_deposit")
    form.locator("input[name=findings-0-description]").fill("中国建设银行济南分行 账户尾号 6789")
    form.locator("input[name=findings-0-value]").fill("50000")
    expect(form.locator("input[name=findings-0-controllable_online]")).not_to_be_checked()
    form.get_by_role("button", name="登记反馈").click()
    expect(page.locator("#case-body .messages")).to_contain_text("查明财产 1 项")
    clock = deadline_row(page, "CONTROL_AFTER_FEEDBACK")
    expect(clock).to_contain_text("反馈后采取控制措施")
    expect(clock).to_contain_text("进行中")
    expect(page.locator("#assets tr[data-asset]")).to_contain_text("已查明未控制")
    screenshot(page, "enforcement_after_feedback")

    # --- freeze it: 50,000, one year ------------------------------------------------------------
    form = page.locator("details[id^=form-control-]")
    form.locator("summary").click()
    expect(form.locator("select[name=kind]")).to_have_value("freeze_deposit")
    form.locator("input[name=amount]").fill("50000")
    form.locator("input[name=effective_at]").fill(local_input(effective))
    form.get_by_role("button", name="查封/扣押/冻结").click()
    expect(page.locator("#case-body .messages")).to_contain_text("已对")
    effective_on = timezone.localtime(effective).date()
    expires = WorkingCalendar(loaded_years=frozenset()).add_months(effective_on, 12, roll=False)
    measure = page.locator("#assets tr[data-measure]")
    expect(measure).to_contain_text("冻结存款")
    expect(measure).to_contain_text("50,000.00")
    expect(measure.locator("td.expires")).to_have_text(expires.isoformat())
    expect(deadline_row(page, "CONTROL_AFTER_FEEDBACK")).to_contain_text("按期完成")
    expect(deadline_row(page, "CONTROL_EXPIRY")).to_contain_text("控制措施期限届满")
    expect(page.locator("#assets tr[data-asset]")).to_contain_text("已控制")
    timeline = page.locator("#timeline li")
    expect(timeline.filter(has_text="采取控制措施")).to_have_count(1)
    expect(timeline.filter(has_text="补录")).to_have_count(0)  # every node typed in within hours
    screenshot(page, "enforcement_case_detail")

    # the list shows the case, found by the respondent's name through the htmx filter
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="案件").click()
    page.wait_for_function("() => window.htmx !== undefined")
    page.fill("#id_q", "某某商贸")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"/cases/\?.*q=%E6%9F%90"))
    row = page.locator("#case-table tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("执行中")
    screenshot(page, "enforcement_case_list")
