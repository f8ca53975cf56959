"""Every role in a real browser: each person who uses the platform, taken through
their main task end to end in headless Chromium (Debian's /usr/bin/chromium,
through the ``page`` fixture of tests/conftest.py) — real clicks and form fills,
the outcome checked on the page and in the database, screenshots of the key steps
in test-artifacts/ (tests.browser.screenshot).

Five roles already have such a journey next to the code they exercise; this
module adds the three that had none (the 承办人, the 执行局长's 审批, the 院领导)
and keeps the map below complete (``test_every_role_has_a_journey``,
``test_every_journey_is_collected``): a role cannot be dropped silently.
tests/journeys/test_queue.py takes the clerk, handler, bureau head, finance and
专人监管 to their main job through 我的待办 on a 1366×768 screen (issue 16).

Role → the journey that proves it (pytest node id)

- clerk (书记员/法官助理): registers a case with its parties, launches the
  online search, records its feedback, freezes a deposit —
  tests/enforcement/test_browser_journey.py::test_clerk_registers_searches_and_freezes
- handler (承办人): from 我的待办 to the case; serves the notice, searches,
  records feedback, freezes, is refused an over-seizure, asks for its approval,
  seizes with it, restricts consumption, interviews the applicant, is told what
  终本 still lacks —
  tests/journeys/test_roles.py::test_handler_searches_controls_and_works_the_case
- bureau_head (执行局长): 审批 — approves an over-seizure, rejects an
  extension, approves a 终本 from the case page (the case closes), cannot decide
  their own request (案款审批 is in the funds journey) —
  tests/journeys/test_roles.py::test_bureau_head_decides_the_approval_queue
- case_supervisor (专人监管): 监督看板 drill-down, signs for an alert, issues a
  督办 (refused first) —
  tests/supervision/test_supervisor_journey.py::test_supervisor_dashboard_drill_down_acknowledge_and_issue_order
- finance (财务人员): pays an approved disbursement from 财务待付, prints the
  notice, matches an unidentified receipt —
  tests/custody_funds/test_browser_journey.py::test_receipt_to_payment_through_the_pages
- inspector (监察/督察人员): the 一案双查 clue from a flagged petition — the joint
  meeting (refused first), the officer's confidential part, review of the reports,
  the conclusion with its discipline, feedback, closed, the PDF, the statistics —
  tests/dualcheck/test_journeys.py::test_inspector_journey_from_petition_to_closed
- joint_team_member (联合调查组成员): writes and submits the investigation
  report (draft kept, refusal next to the missing part, attachment) —
  tests/dualcheck/test_journeys.py::test_joint_team_journey_form_team_write_and_submit_report
- court_leader (院领导): the province's 监督看板, then the closed 一案双查 clues
  and their conclusions, the confidential part and its PDF (each read recorded) —
  tests/journeys/test_roles.py::test_court_leader_reads_dashboard_and_conclusions
"""

import datetime as dt
import importlib
import inspect
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from core.models import Court, Deadline, Role
from core.models.clocks import RUNNING
from dualcheck.models import ClueStatus, ConfidentialRead
from enforcement.models import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Asset,
    AssetStatus,
    Case,
    CaseStatus,
    ClosureType,
    ControlMeasure,
    CreditKind,
    CreditMeasure,
    PartyRole,
    SearchChannel,
)
from enforcement.services import assets as asset_services
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services
from enforcement.services import measures as measure_services
from tests.browser import log_in, screenshot
from tests.dualcheck.factories import advance, register
from tests.dualcheck.journey_helpers import Console, main_nav
from tests.enforcement.factories import make_case
from tests.enforcement.gate_credit import satisfy_credit_gate
from tests.enforcement.gate_gateproc import satisfy_gateproc_gate, serve_ruling_on_all
from tests.enforcement.test_browser_journey import deadline_row, local_input
from tests.supervision.test_supervisor_journey import overdue_at, scan_all

REPO = Path(__file__).resolve().parents[2]

# role → the test that takes it through its main task (the docstring says the same)
ROLE_JOURNEYS = {
    "clerk": "tests/enforcement/test_browser_journey.py::test_clerk_registers_searches_and_freezes",
    "handler": "tests/journeys/test_roles.py::test_handler_searches_controls_and_works_the_case",
    "bureau_head": "tests/journeys/test_roles.py::test_bureau_head_decides_the_approval_queue",
    "case_supervisor": (
        "tests/supervision/test_supervisor_journey.py"
        "::test_supervisor_dashboard_drill_down_acknowledge_and_issue_order"
    ),
    "finance": "tests/custody_funds/test_browser_journey.py::test_receipt_to_payment_through_the_pages",
    "inspector": "tests/dualcheck/test_journeys.py::test_inspector_journey_from_petition_to_closed",
    "joint_team_member": (
        "tests/dualcheck/test_journeys.py::test_joint_team_journey_form_team_write_and_submit_report"
    ),
    "court_leader": "tests/journeys/test_roles.py::test_court_leader_reads_dashboard_and_conclusions",
}
# Every person-facing role, plus the joint team's member (a team seat, not a Role).
PEOPLE = {r.value for r in Role if r not in (Role.API_CLIENT, Role.ADMIN)} | {"joint_team_member"}

# date sensitive: each journey works on cases received today or months before today
journey = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.date_sensitive]


def browser_journey(fn):
    for mark in reversed(journey):
        fn = mark(fn)
    return fn


def minute(moment: dt.datetime) -> str:
    """'YYYY-MM-DD HH:MM' in Asia/Shanghai, as tests.enforcement.conftest.make_case takes it."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def case_body_flash(page: Page):
    return page.locator("#case-body .messages")


def open_action(page: Page, dom_id: str):
    """The action form ``dom_id`` of the case page, its <details> opened."""
    details = page.locator(f"details#{dom_id}")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    form = details.locator("form")
    expect(form).to_be_visible()
    return form


def htmx_submit(page: Page, form, button: str, path: str) -> None:
    """Submit a case-page form by htmx and wait for its answer (no page load)."""
    with page.expect_response(lambda r: urlparse(r.url).path == path and r.request.method == "POST") as info:
        form.get_by_role("button", name=button, exact=True).click()
    assert info.value.request.headers.get("hx-request") == "true"
    assert info.value.status == 200  # htmx 2 swaps only 2xx: a refusal comes back 200 too


# --- the 承办人 ---------------------------------------------------------------------------------


HOUSE = "济南市历下区某小区3号楼2单元501室"
DEPOSIT = "中国建设银行济南分行 账户尾号 6789"
OVERRIDE_REASON = "房产为被执行人唯一可供执行财产，不可分割，申请超标的查封。"


@browser_journey
def test_handler_searches_controls_and_works_the_case(page, courts, clerk, handler, bureau_head):
    console = Console()
    console.attach(page, "handler")
    now = timezone.now()
    received = now - dt.timedelta(minutes=115)  # every node typed in within the person tolerance (2 h): no 补录 flag
    number = f"({timezone.localdate().year})鲁0102执6001号"
    case = make_case(
        clerk,
        courts.lu0102,
        number=number,
        received=minute(received),
        filed=(timezone.localtime(received).date() - dt.timedelta(days=1)).isoformat(),
        handler=handler,
    )
    case_url = f"/cases/{case.pk}/"

    # --- 1. 我的待办 lists the case's clocks under the case; its number leads to it ------------------
    log_in(page, handler)
    group = page.locator(f"article.case-group[data-case='{case.pk}']")
    expect(group.locator("header")).to_contain_text(number)
    todo = group.locator("tbody tr").filter(has_text="发起网络查控")
    expect(todo).to_have_count(1)
    expect(todo).to_contain_text("历下区人民法院")
    screenshot(page, "journey-handler-1-todo")
    with page.expect_navigation():
        group.locator("header").get_by_role("link", name=number).click()
    assert urlparse(page.url).path == case_url
    expect(page.locator("h1")).to_have_text(number)
    expect(page.locator("header.case-head [data-status]").first).to_have_text("已收案")
    page.wait_for_function("() => window.htmx !== undefined")

    # --- 2. 送达执行通知书、报告财产令 -----------------------------------------------------------------
    served = now - dt.timedelta(minutes=105)
    form = open_action(page, "form-notice")
    form.locator("input[name=served_at]").fill(local_input(served))
    htmx_submit(page, form, "登记送达", f"{case_url}notice/")
    expect(case_body_flash(page)).to_contain_text("已登记执行通知书、报告财产令送达。")
    expect(page.locator("#facts")).to_contain_text(
        f"{timezone.localtime(served):%Y-%m-%d %H:%M} 送达"
    )
    expect(page.locator("header.case-head [data-status]").first).to_have_text("执行中")

    # --- 3. the online search over every enabled category, and its feedback: two findings -----------
    form = open_action(page, "form-search")
    expect(form.locator("input[name=categories]:checked")).to_have_count(12)
    form.locator("input[name=launched_at]").fill(local_input(now - dt.timedelta(minutes=95)))
    htmx_submit(page, form, "发起查询", f"{case_url}search/")
    expect(case_body_flash(page)).to_contain_text("已发起财产查询。")
    expect(deadline_row(page, "SEARCH_START")).to_contain_text("按期完成")

    form = page.locator("details[id^=form-feedback-]")
    form.locator("summary").click()
    form.locator("input[name=received_at]").fill(local_input(now - dt.timedelta(minutes=85)))
    form.locator("select[name=findings-0-category]").select_option("bank_deposit")
    form.locator("input[name=findings-0-description]").fill(DEPOSIT)
    form.locator("input[name=findings-0-value]").fill("30000")
    form.locator("input[name=findings-0-controllable_online]").check()
    form.locator("select[name=findings-1-category]").select_option("real_estate")
    form.locator("input[name=findings-1-description]").fill(HOUSE)
    form.locator("input[name=findings-1-value]").fill("500000")
    search_id = form.get_attribute("id").removeprefix("form-feedback-")
    htmx_submit(page, form, "登记反馈", f"{case_url}feedback/{search_id}/")
    expect(case_body_flash(page)).to_contain_text("已登记查询反馈，查明财产 2 项。")
    deposit = Asset.objects.get(case=case, category__code="bank_deposit")
    house = Asset.objects.get(case=case, category__code="real_estate")
    expect(page.locator("#assets tr[data-asset]")).to_have_count(2)
    # the house cannot be controlled online: three working days to control it (322号 §13)
    expect(deadline_row(page, "CONTROL_AFTER_FEEDBACK")).to_contain_text("进行中")
    screenshot(page, "journey-handler-2-feedback")

    # --- 4. freeze the deposit (its amount prefilled) ---------------------------------------------------
    form = open_action(page, f"form-control-{deposit.pk}")
    expect(form.locator("select[name=kind]")).to_have_value("freeze_deposit")
    expect(form.locator("input[name=amount]")).to_have_value("30000.00")
    form.locator("input[name=effective_at]").fill(local_input(now - dt.timedelta(minutes=75)))
    htmx_submit(page, form, "查封/扣押/冻结", f"{case_url}control/{deposit.pk}/")
    expect(case_body_flash(page)).to_contain_text(f"已对“{DEPOSIT}”采取控制措施。")
    expect(page.locator(f"#assets tr[data-asset='{deposit.pk}']")).to_contain_text("已控制")

    # --- 5. seizing the house is over-seizure: refused in the form, nothing written ----------------------
    form = open_action(page, f"form-control-{house.pk}")
    expect(form.locator("select[name=kind]")).to_have_value("seize_real_estate")
    expect(form.locator("input[name=override_reason]")).to_have_count(0)  # only a bureau head's
    form.locator("input[name=effective_at]").fill(local_input(now - dt.timedelta(minutes=50)))
    htmx_submit(page, form, "查封/扣押/冻结", f"{case_url}control/{house.pk}/")
    form = page.locator(f"details#form-control-{house.pk}")
    expect(form).to_have_attribute("open", "")  # handed back open, with the reason at its top
    expect(form.locator(".form-error")).to_contain_text("构成超标的查封")
    limit = measure_services.seizure_limit(case)
    assert limit < Decimal("530000.00")
    expect(form.locator(".form-error")).to_contain_text("530000.00 元将超过")
    expect(form.locator(".form-error")).to_contain_text(f"{limit} 元，构成超标的查封")
    expect(page.locator(f"#assets tr[data-asset='{house.pk}']")).to_contain_text("已查明未控制")
    assert not ControlMeasure.objects.filter(asset=house).exists()
    screenshot(page, "journey-handler-3-over-seizure-refused")

    # --- 6. ask the bureau head for it -------------------------------------------------------------------
    form = open_action(page, "form-approval-request")
    form.locator("select[name=kind]").select_option(ApprovalKind.OVER_SEIZURE.value)
    form.locator("select[name=asset]").select_option(str(house.pk))
    form.locator("textarea[name=reason]").fill(OVERRIDE_REASON)
    htmx_submit(page, form, "提交申请", f"{case_url}approval-request/")
    expect(case_body_flash(page)).to_contain_text("审批申请已提交，待执行局长审批。")
    approval = Approval.objects.get(case=case)
    assert (approval.kind, approval.status, approval.requested_by) == (
        ApprovalKind.OVER_SEIZURE,
        ApprovalStatus.PENDING,
        handler,
    )
    assert approval.payload == {"asset": house.pk}
    row = page.locator(f"#approvals tr[data-approval='{approval.pk}']")
    expect(row).to_contain_text("超标的查封审批")
    expect(row).to_contain_text(OVERRIDE_REASON)
    expect(row).to_contain_text("待审批")
    expect(row.get_by_role("button", name="批准")).to_have_count(0)  # not an approver
    screenshot(page, "journey-handler-4-approval-requested")

    # the bureau head approves (their own journey does it through 审批, below)
    closure_services.approval_decide(actor=bureau_head, approval=approval, approve=True, note="同意。")

    # --- 7. seize the house under the approval ------------------------------------------------------------
    page.reload()
    page.wait_for_function("() => window.htmx !== undefined")
    expect(row).to_contain_text("已批准")
    form = open_action(page, f"form-control-{house.pk}")
    choice = form.locator("select[name=override_approval]")
    expect(choice.locator(f"option[value='{approval.pk}']")).to_have_text(
        f"#{approval.pk} {OVERRIDE_REASON[:30]}"
    )
    choice.select_option(str(approval.pk))
    form.locator("input[name=effective_at]").fill(local_input(now - dt.timedelta(minutes=40)))
    htmx_submit(page, form, "查封/扣押/冻结", f"{case_url}control/{house.pk}/")
    expect(case_body_flash(page)).to_contain_text(f"已对“{HOUSE}”采取控制措施。")
    measure = ControlMeasure.objects.get(asset=house)
    approval.refresh_from_db()
    assert measure.override_id == approval.pk and approval.status == ApprovalStatus.USED
    house_row = page.locator(f"tr[data-measure='{measure.pk}']")
    expect(house_row).to_contain_text("查封不动产")
    expect(house_row).to_contain_text("经批准")
    expect(page.locator(f"#assets tr[data-asset='{house.pk}']")).to_contain_text("已控制")
    expect(deadline_row(page, "CONTROL_AFTER_FEEDBACK")).to_contain_text("按期完成")
    expect(deadline_row(page, "PRICE_START")).to_contain_text("进行中")  # the house is to be sold

    # --- 8. 限制消费令 on the respondent, the applicant interviewed ----------------------------------------
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    form = open_action(page, "form-credit")
    expect(form.locator("select[name=party]")).to_have_value(str(respondent.pk))
    expect(form.locator("select[name=kind]")).to_have_value(CreditKind.RESTRICTION.value)
    form.locator("input[name=issued_at]").fill(local_input(now - dt.timedelta(minutes=30)))
    htmx_submit(page, form, "发布", f"{case_url}credit/")
    expect(case_body_flash(page)).to_contain_text("已发布：限制消费令。")
    expect(page.locator("#credit")).to_contain_text("限制消费令")
    assert CreditMeasure.objects.filter(case=case, party=respondent, kind=CreditKind.RESTRICTION).count() == 1

    form = open_action(page, "form-interview")
    form.locator("input[name=at]").fill(local_input(now - dt.timedelta(minutes=20)))
    form.locator("textarea[name=note]").fill("告知申请执行人查控结果，房产已查封，待启动评估拍卖。")
    htmx_submit(page, form, "登记约谈", f"{case_url}interview/")
    expect(case_body_flash(page)).to_contain_text("已登记约谈申请执行人。")

    # --- 9. 终本 is not yet possible: the form says exactly what is missing -------------------------------
    form = open_action(page, "form-close")
    form.locator("select[name=closure]").select_option(ClosureType.TERMINATED_THIS_ROUND.value)
    form.locator("input[name=closed_at]").fill(local_input(now - dt.timedelta(minutes=10)))
    form.locator("input[name=document]").fill(f"{number}之一")
    htmx_submit(page, form, "结案", f"{case_url}close/")
    errors = page.locator("details#form-close .form-error")
    expect(errors).to_contain_text("不符合终结本次执行程序的条件")
    # what the handler did is no longer missing; what a fresh case with controlled assets lacks is
    # the case-level notice and interview no longer stand for each party (gate rows #1, #2, #18), the
    # 限消 is not in force until served (#4), 失信 is not assessed (#5), nothing was investigated offline (#7)
    expect(errors.locator("li[data-code=assets_unhandled]").first).to_be_visible()
    shown = set(errors.locator("li[data-code]").evaluate_all("els => els.map(e => e.dataset.code)"))
    assert shown == {
        "notice_not_served", "property_report_unchecked", "applicant_not_interviewed", "filed_within_three_months",
        "assets_unhandled", "restriction_not_issued", "dishonest_not_assessed", "offline_investigation_missing",
    }, shown
    screenshot(page, "journey-handler-5-terminate-refused")

    case.refresh_from_db()
    assert case.status == CaseStatus.EXECUTING
    assert case.notice_served_at is not None and case.applicant_interviewed_at is not None
    assert not case.approvals.filter(kind=ApprovalKind.CLOSURE).exists()
    assert sorted(Asset.objects.filter(case=case).values_list("status", flat=True)) == [
        AssetStatus.CONTROLLED,
        AssetStatus.CONTROLLED,
    ]
    for kind in ("case.notice_served", "search.launched", "search.feedback", "control.created",
                 "approval.requested", "approval.approved", "credit.issued", "case.applicant_interviewed"):  # fmt: skip
        expect(page.locator(f"#timeline li[data-kind='{kind}']").first).to_be_visible()
    expect(page.locator("#timeline .badge.backdated")).to_have_count(0)
    assert console.problems == []


# --- the 执行局长 ---------------------------------------------------------------------------------


def terminable_case(clerk, handler, court, number: str) -> Case:
    """A case filed five months ago on which everything 终本规定 §1 asks has been
    done (nothing found), and whose 承办人 applied for 终本 an hour ago."""
    now = timezone.now()
    filed = timezone.localdate() - dt.timedelta(days=150)
    received = dt.datetime.combine(
        filed + dt.timedelta(days=1), dt.time(10, 0), tzinfo=timezone.get_current_timezone()
    )
    case = make_case(
        clerk, court, number=number, received=minute(received), filed=filed.isoformat(), handler=handler
    )
    hour = dt.timedelta(hours=1)
    case_services.case_serve_notice(actor=handler, case=case, served_at=received + hour)
    search = asset_services.search_launch(
        actor=handler,
        case=case,
        channel=SearchChannel.NATIONAL,
        category_codes=None,
        launched_at=received + 2 * hour,
    )
    asset_services.search_record_feedback(
        actor=handler, search=search, received_at=received + 3 * hour, findings=[]
    )
    # gate: gateprop — the offline investigation of what the online system cannot query (spec §3 #7)
    from tests.enforcement.gate_gateprop import satisfy_gateprop_gate

    satisfy_gateprop_gate(case, actor=handler, at=received + 3 * hour, online=False)
    measure_services.credit_issue(
        actor=handler,
        case=case,
        party_id=case.parties.get(role=PartyRole.RESPONDENT).pk,
        kind=CreditKind.RESTRICTION,
        issued_at=received + 4 * hour,
    )
    # gate: credit
    satisfy_credit_gate(case, actor=handler, at=received + 4 * hour)
    case_services.case_record_interview(
        actor=handler,
        case=case,
        at=received + 5 * hour,
        note="告知申请执行人无可供执行财产，拟终结本次执行程序。",
    )
    # gate: gateproc — notice and report order on each respondent, reports checked, each applicant heard
    satisfy_gateproc_gate(case, actor=handler, at=received + 5 * hour)
    request = closure_services.case_close(
        actor=handler,
        case=case,
        closure=ClosureType.TERMINATED_THIS_ROUND,
        closed_at=now - hour,
        document=f"{number}之一",
    )
    assert isinstance(request, Approval) and request.kind == ApprovalKind.CLOSURE
    return case


@browser_journey
def test_bureau_head_decides_the_approval_queue(page, courts, clerk, handler, bureau_head):
    console = Console()
    console.attach(page, "bureau_head")
    now = timezone.now()
    year = timezone.localdate().year
    # case 1: the handler found a house worth five times the claim and asks to seize it, and
    # to extend the clock that runs for controlling it; the bureau head asks to extend another
    seized = make_case(
        clerk,
        courts.lu0102,
        number=f"({year})鲁0102执6101号",
        received=minute(now - dt.timedelta(hours=6)),
        filed=(timezone.localdate() - dt.timedelta(days=1)).isoformat(),
        handler=handler,
    )
    search = asset_services.search_launch(
        actor=handler,
        case=seized,
        channel=SearchChannel.NATIONAL,
        category_codes=None,
        launched_at=now - dt.timedelta(hours=5),
    )
    [house] = asset_services.search_record_feedback(
        actor=handler,
        search=search,
        received_at=now - dt.timedelta(hours=4),
        findings=[asset_services.FindingInput("real_estate", HOUSE, Decimal("500000"))],
    )
    over = closure_services.approval_request(
        actor=handler,
        case=seized,
        kind=ApprovalKind.OVER_SEIZURE,
        reason=OVERRIDE_REASON,
        payload={"asset": house.pk},
    )
    # 审限 is the clock that may be extended (by the president); CONTROL_AFTER_FEEDBACK is fixed
    duration = Deadline.objects.get(RUNNING, case=seized, rule__code="CASE_DURATION")
    control_clock = duration
    due_before = control_clock.due_at
    extension = closure_services.approval_request(
        actor=handler,
        case=seized,
        kind=ApprovalKind.EXTENSION,
        reason="房产登记机关系统维护，申请延长。",
        payload={"deadline": duration.pk, "added": 2},
    )
    own = closure_services.approval_request(
        actor=bureau_head,
        case=seized,
        kind=ApprovalKind.EXTENSION,
        reason="案情复杂，申请延长办案期限。",
        payload={"deadline": duration.pk, "added": 1},
    )
    # case 2: everything done, nothing found, five months on: 终本 requested by the handler
    terminated = terminable_case(clerk, handler, courts.lu0102, f"({year})鲁0102执6102号")
    closure = terminated.approvals.get()

    # --- 1. 审批: four requests, oldest first; their own cannot be decided by them ----------------------
    log_in(page, bureau_head)
    main_nav(page, "审批")
    expect(page.locator("h1")).to_have_text("待审批事项")
    rows = page.locator("table.approvals tbody tr")
    expect(rows).to_have_count(4)
    expect(rows.nth(0)).to_have_attribute("data-approval", str(over.pk))
    row = page.locator(f"tr[data-approval='{over.pk}']")
    expect(row).to_contain_text(seized.case_number)
    expect(row).to_contain_text("超标的查封审批")
    expect(row).to_contain_text(HOUSE)
    expect(row).to_contain_text(str(handler))
    expect(page.locator(f"tr[data-approval='{extension.pk}']")).to_contain_text(
        "执行期限 延长 2 月"
    )
    mine = page.locator(f"tr[data-approval='{own.pk}']")
    expect(mine).to_contain_text("本人提出，须由其他审批人审批")
    expect(mine.get_by_role("button")).to_have_count(0)
    term = page.locator(f"tr[data-approval='{closure.pk}']")
    expect(term).to_contain_text("终结本次执行审批")
    expect(term).to_contain_text("终结本次执行程序")
    expect(term).to_contain_text(f"{terminated.case_number}之一")
    screenshot(page, "journey-bureau-head-1-queue")

    # --- 2. the over-seizure: approved with an opinion ----------------------------------------------------
    row.locator("input[name=note]").fill("房产不可分割，同意超标的查封。")
    with page.expect_navigation():
        row.get_by_role("button", name="批准").click()
    expect(page.locator(".messages")).to_contain_text(f"已批准：超标的查封审批（{seized.case_number}）")
    expect(page.locator(f"tr[data-approval='{over.pk}']")).to_have_count(0)
    over.refresh_from_db()
    assert (over.status, over.decided_by, over.decision_note) == (
        ApprovalStatus.APPROVED,
        bureau_head,
        "房产不可分割，同意超标的查封。",
    )

    # --- 3. the extension: rejected, the clock unchanged ------------------------------------------------------
    row = page.locator(f"tr[data-approval='{extension.pk}']")
    row.locator("input[name=note]").fill("理由不充分，应在期限内采取控制措施。")
    with page.expect_navigation():
        row.get_by_role("button", name="驳回").click()
    expect(page.locator(".messages")).to_contain_text(f"已驳回：延长期限审批（{seized.case_number}）")
    expect(page.locator(f"tr[data-approval='{extension.pk}']")).to_have_count(0)
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by) == (ApprovalStatus.REJECTED, bureau_head)
    control_clock.refresh_from_db()
    assert control_clock.due_at == due_before
    screenshot(page, "journey-bureau-head-2-decided")

    # --- 4. 终本: read on the case page, approved there — the case closes ------------------------------------
    with page.expect_navigation():
        page.locator(f"tr[data-approval='{closure.pk}']").get_by_role(
            "link", name=terminated.case_number
        ).click()
    assert urlparse(page.url).path == f"/cases/{terminated.pk}/"
    expect(page.locator("header.case-head [data-status]").first).to_have_text("执行中")
    expect(page.locator("#credit")).to_contain_text("限制消费令")
    expect(page.locator("#searches")).to_contain_text("已反馈")
    row = page.locator(f"#approvals tr[data-approval='{closure.pk}']")
    expect(row).to_contain_text("终结本次执行审批")
    expect(row).to_contain_text("待审批")
    screenshot(page, "journey-bureau-head-3-terminate-case")
    row.locator("input[name=note]").fill("经审查符合终本条件，同意。")
    with page.expect_navigation():
        row.get_by_role("button", name="批准").click()
    assert urlparse(page.url).path == f"/cases/{terminated.pk}/"  # back where the decision was taken
    expect(page.locator(".messages")).to_contain_text(f"已批准：终结本次执行审批（{terminated.case_number}）")
    head = page.locator("header.case-head")
    # gate: gateproc — the approval makes the ruling; the case closes when it is served on every party
    expect(head.locator("[data-status]").first).to_have_text("终本裁定送达中")
    serve_ruling_on_all(terminated, actor=handler, at=timezone.now())
    page.reload()
    head = page.locator("header.case-head")
    expect(head.locator("[data-status]").first).to_have_text("已结案")
    expect(head.locator(".badge.st-closure")).to_have_text("终结本次执行程序")
    expect(head).to_contain_text(f"{terminated.case_number}之一")
    expect(page.locator(f"#approvals tr[data-approval='{closure.pk}']")).to_contain_text(str(bureau_head))
    expect(deadline_row(page, "TERMINATED_RESEARCH")).to_contain_text("进行中")  # re-search every 6 months
    expect(page.locator("#timeline li[data-kind='case.closed']")).to_have_count(1)
    screenshot(page, "journey-bureau-head-4-terminated")
    terminated.refresh_from_db()
    closure.refresh_from_db()
    assert (terminated.status, terminated.closure_type) == (
        CaseStatus.CLOSED,
        ClosureType.TERMINATED_THIS_ROUND,
    )
    assert (closure.status, closure.decided_by) == (ApprovalStatus.USED, bureau_head)
    assert Deadline.objects.filter(RUNNING, case=terminated, rule__code="TERMINATED_RESEARCH").count() == 1
    assert not Deadline.objects.filter(RUNNING, case=terminated, rule__code="CASE_DURATION").exists()

    # --- 5. the queue keeps only their own request -----------------------------------------------------------
    main_nav(page, "审批")
    expect(page.locator("table.approvals tbody tr")).to_have_count(1)
    expect(page.locator(f"tr[data-approval='{own.pk}']")).to_contain_text("本人提出")
    own.refresh_from_db()
    assert own.status == ApprovalStatus.PENDING
    assert console.problems == []


@pytest.mark.django_db
def test_bureau_head_is_not_offered_an_order_on_their_own_court(client, courts, clerk, handler, bureau_head):
    """Seen on the bureau head's journey (journey-bureau-head-4-terminated.png)."""
    case = make_case(clerk, courts.lu0102, handler=handler)
    client.force_login(bureau_head)
    assert client.get(f"/supervision/orders/new/?case={case.pk}").status_code == 403  # not theirs to issue
    page = client.get(f"/cases/{case.pk}/")
    assert page.status_code == 200
    assert 'id="issue-order"' not in page.content.decode()


# --- the 院领导 ---------------------------------------------------------------------------------


@browser_journey
def test_court_leader_reads_dashboard_and_conclusions(page, dc):
    leader, courts = dc.leader, dc.courts
    clue = advance(dc, register(dc), "closed")
    assert clue.status == ClueStatus.CLOSED
    moment = timezone.now()
    scan_all(moment)  # as the beat does
    console = Console()
    console.attach(page, "court_leader")

    # --- 1. the province's 监督看板 -----------------------------------------------------------------------
    log_in(page, leader)
    main_nav(page, "监督看板")
    expect(page.locator("h1")).to_have_text("监督看板 · 山东省高级人民法院")
    province = list(Court.objects.filter(path__startswith=courts.lu.path))
    overdue = overdue_at(province, moment)
    assert overdue >= 1  # the case at 鲁0102 has sat since September
    expect(page.locator("#supervision-dashboard [data-kpi=overdue]")).to_have_text(str(overdue))
    table = page.locator("#table-courts")
    expect(table.locator('tr[data-court="鲁01"]')).to_contain_text("济南市中级人民法院")
    expect(table.locator('tr[data-court="鲁02"]')).to_contain_text("青岛市中级人民法院")
    expect(page.locator("#chart-courts canvas")).to_have_count(1)
    screenshot(page, "journey-court-leader-1-dashboard")

    # --- 2. 一案双查: the closed clues, through the board's filter -----------------------------------------
    main_nav(page, "一案双查")
    expect(page.locator("h1")).to_have_text("一案双查")
    page.wait_for_function("() => window.htmx !== undefined")
    card = page.locator(f'#board article[data-clue="{clue.pk}"]')
    expect(card).to_have_count(0)  # the board opens on the clues in progress
    with page.expect_response(lambda r: urlparse(r.url).path == "/dualcheck/" and "state=closed" in r.url):
        page.locator("select[name=state]").select_option("closed")
    card = page.locator(f'#board section[data-stage="closed"] article[data-clue="{clue.pk}"]')
    expect(card).to_contain_text(clue.number)
    expect(card).to_contain_text(dc.case.case_number)
    screenshot(page, "journey-court-leader-2-board-closed")

    # --- 3. the conclusion, and the confidential part a court leader may read --------------------------------
    with page.expect_navigation():
        card.locator("a.number").click()
    assert urlparse(page.url).path == f"/dualcheck/{clue.pk}/"
    expect(page.locator("h1")).to_have_text(clue.number)
    expect(page.locator("header.case-head [data-status]").first).to_have_text("已办结")
    conclusion = page.locator("#conclusion")
    expect(conclusion.locator("[data-finding]")).to_have_text("反映问题属实")
    expect(conclusion).to_contain_text("反映的消极执行问题属实。")
    order = conclusion.locator('#dispositions tr[data-disposition="deadline_order"]')
    expect(order).to_contain_text("督促限期办理")
    expect(order).to_contain_text("责令十日内采取查封措施。")
    expect(order).to_contain_text("历下区人民法院")
    confidential = page.locator("#confidential")
    expect(confidential.locator("#allegation")).to_have_text("反映承办人收受被执行人宴请。")
    expect(confidential.locator("#officers")).to_contain_text("李承办")
    expect(confidential.locator("#disciplinary")).to_contain_text("李承办")
    expect(confidential.locator("#disciplinary")).to_contain_text("历下区法院监察室")
    expect(confidential.locator("#confidential-reads")).to_contain_text(str(leader))  # this very read
    expect(page.locator("aside .actions")).to_contain_text("您在当前阶段没有可办理的事项。")
    expect(page.locator("#restricted")).to_have_count(0)
    assert ConfidentialRead.objects.filter(clue=clue, user=leader, via="page", what="detail").count() == 1
    screenshot(page, "journey-court-leader-3-conclusion")

    # --- 4. the conclusion printed: the leader's copy carries the discipline, and the read is recorded -------
    link = conclusion.locator("a.pdf")
    expect(link).to_have_attribute("href", f"/dualcheck/{clue.pk}/conclusion.pdf")
    response = page.request.get(link.get_attribute("href"), timeout=60_000)
    assert response.status == 200
    assert response.headers["content-type"].split(";")[0] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    assert ConfidentialRead.objects.filter(clue=clue, user=leader, via="pdf").count() == 1
    assert console.problems == []


# --- the map stays complete ------------------------------------------------------------------------------


def _resolve(node_id: str):
    path, name = node_id.split("::")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    return module, getattr(module, name, None)


def _marks(module, fn) -> set[str]:
    marks = list(getattr(module, "pytestmark", [])) + list(getattr(fn, "pytestmark", []))
    return {m.name for m in marks}


def test_every_role_has_a_journey():
    # every person-facing role of the platform (and the joint team's seat) has one
    assert set(ROLE_JOURNEYS) == PEOPLE, f"without a journey: {PEOPLE - set(ROLE_JOURNEYS)}"
    assert len(ROLE_JOURNEYS) == 8
    for role, node_id in ROLE_JOURNEYS.items():
        assert f"- {role} (" in __doc__, f"the docstring does not map {role}"
        assert node_id in re.sub(r"\s+", "", __doc__), f"the docstring does not name {node_id}"
        path = node_id.split("::")[0]
        assert (REPO / path).is_file(), node_id
        assert re.fullmatch(r"tests/.+/test_\w+\.py", path), node_id  # where pytest looks for tests
        module, fn = _resolve(node_id)
        assert inspect.isfunction(fn) and fn.__name__.startswith("test_"), node_id
        assert {"browser", "django_db"} <= _marks(module, fn), f"{node_id} is not a browser journey"
        assert not {"skip", "xfail"} & _marks(module, fn), f"{node_id} does not run"
        source = inspect.getsource(fn)
        assert "screenshot(" in source, f"{node_id} saves no screenshot"
        assert ".click()" in source, f"{node_id} clicks nothing"


def test_every_journey_is_collected(request):
    """pytest itself finds each mapped journey (a renamed test or module fails here).
    A whole-suite run has collected them already; a narrower run asks pytest in a
    subprocess about the ones it did not collect."""
    unseen = sorted(set(ROLE_JOURNEYS.values()) - {item.nodeid for item in request.session.items})
    if not unseen:
        return
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:xdist", *unseen],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    collected = {line.strip() for line in result.stdout.splitlines()}
    missing = [n for n in unseen if n not in collected]
    assert not missing, f"not collected: {missing}\n{result.stdout[-2000:]}"
