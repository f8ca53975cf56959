"""Browser pages of case funds: who may open them (court scoping), what they show
(masked payee accounts, the clocks of 322号 §22), how the forms place the services'
refusals, maker ≠ checker on the page, and how many queries the queues cost."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.models import Deadline, DeadlineStatus, Role
from core.money import amount_in_chinese_capitals
from custody_funds.models import (
    Disbursement,
    DisbursementStatus,
    FundsHold,
    HoldStatus,
    Receipt,
    ReceiptStatus,
)
from custody_funds.services import funds
from tests.conftest import at, on
from tests.core.factories import make_member
from tests.custody_funds.factories import CONFIRMED, applicant, draft, notified, receive
from tests.enforcement.factories import make_case

MASKED = "6222***********3445"


def funds_url(case) -> str:
    return reverse("custody_funds:case", kwargs={"case_id": case.pk})


def action_url(case, action, obj=None) -> str:
    if obj is None:
        return reverse("custody_funds:case-action", kwargs={"case_id": case.pk, "action": action})
    return reverse("custody_funds:case-object-action", kwargs={"case_id": case.pk, "action": action, "obj_id": obj.pk})


def field_block(html: str, name: str, form: str | None = None) -> str:
    """The markup of one field (label, input, its errors), within ``form-<form>`` if given."""
    if form is not None:
        html = re.search(rf'id="form-{re.escape(form)}".*?</form>', html, re.S).group(0)
    match = re.search(rf'<div class="field[^"]*" data-field="{re.escape(name)}">(.*?)\n</div>', html, re.S)
    assert match, f"no field {name}"
    return match.group(1)


@pytest.fixture
def funded_case(case, clerk):
    receive(case, clerk)
    return case


# --- the capitals helper --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "capitals"),
    [
        ("100000.00", "壹拾万元整"),
        ("1234.56", "壹仟贰佰叁拾肆元伍角陆分"),
        ("0.05", "伍分"),
        ("0.50", "伍角整"),
        ("0.56", "伍角陆分"),
        ("0.00", "零元整"),
        ("10", "壹拾元整"),
        ("15.00", "壹拾伍元整"),
        ("1004.05", "壹仟零肆元零伍分"),
        ("1010.00", "壹仟零壹拾元整"),
        ("10001.00", "壹万零壹元整"),
        ("107000.53", "壹拾万柒仟元伍角叁分"),
        ("10000010.00", "壹仟万零壹拾元整"),
        ("100000000.00", "壹亿元整"),
        ("100100000.00", "壹亿零壹拾万元整"),
        ("100000001.00", "壹亿零壹元整"),
        ("2000000000000.00", "贰万亿元整"),
        ("1.005", "壹元零壹分"),  # rounded half up to the fen
    ],
)
def test_amount_in_chinese_capitals(amount, capitals):
    assert amount_in_chinese_capitals(Decimal(amount)) == capitals


def test_capitals_refuses_negative_amounts():
    with pytest.raises(ValueError):
        amount_in_chinese_capitals(Decimal("-1.00"))


# --- access and scoping ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["custody_funds:finance", "custody_funds:unidentified", "custody_funds:approvals"])
def test_anonymous_is_sent_to_login(client, db, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_anonymous_case_funds_go_to_login(client, case):
    for response in (client.get(funds_url(case)), client.post(action_url(case, "draft"), {})):
        assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_queues_are_for_their_roles(client, clerk, handler, bureau_head, finance, case_supervisor, inspector):
    expected = {
        clerk: {"finance": 403, "unidentified": 200, "approvals": 403},
        handler: {"finance": 403, "unidentified": 200, "approvals": 403},
        bureau_head: {"finance": 403, "unidentified": 200, "approvals": 200},
        finance: {"finance": 200, "unidentified": 200, "approvals": 403},
        case_supervisor: {"finance": 403, "unidentified": 200, "approvals": 403},
        inspector: {"finance": 403, "unidentified": 403, "approvals": 403},
    }
    for user, pages in expected.items():
        client.force_login(user)
        for name, status in pages.items():
            assert client.get(reverse(f"custody_funds:{name}")).status_code == status, (user.username, name)


def test_navigation_by_role(client, clerk, finance, bureau_head):
    client.force_login(finance)
    body = client.get(reverse("custody_funds:finance")).content.decode()
    assert 'href="/funds/finance/" class="active"' in body and 'href="/funds/receipts/unidentified/"' in body
    assert 'href="/funds/approvals/"' not in body
    # a clerk may still match a receipt (from the page or the case), but 不明款 is
    # finance's queue: not in a clerk's navigation (issue 16)
    client.force_login(clerk)
    body = client.get(reverse("custody_funds:unidentified")).content.decode()
    nav = body[body.index('class="mainnav"') : body.index("</nav>")]
    assert 'href="/funds/receipts/unidentified/"' not in nav and 'href="/funds/finance/"' not in nav
    client.force_login(bureau_head)
    body = client.get(reverse("custody_funds:approvals")).content.decode()
    assert 'href="/funds/approvals/" class="active"' in body and 'href="/cases/approvals/" class=""' in body


def test_sibling_court_gets_404_on_every_page(client, courts, clerk, handler, bureau_head, funded_case):
    case = funded_case
    d = notified(case, handler, bureau_head)
    pending = draft(case, handler, "500.00")
    hold = funds.hold_request(actor=handler, case=case, kind="delay", reason="to_distribute", note="参与分配")
    stray = funds.receipt_record(actor=clerk, court=case.court, reference="STRAYREF9137", account_number="123", amount=Decimal("8.00"),
                                 arrived_at=at("2026-10-13 10:00"))[0]
    for role in (Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD, Role.FINANCE):
        client.force_login(make_member(role, courts.lu0103, f"sibling_{role}"))
        assert client.get(funds_url(case)).status_code == 404, role
        assert client.post(action_url(case, "draft"), {"payee": applicant(case).pk}).status_code == 404
        assert client.post(action_url(case, "submit", pending), {}).status_code == 404
        assert client.post(action_url(case, "approve", pending), {}).status_code == 404
        assert client.post(action_url(case, "hold-approve", hold), {}).status_code == 404
        assert client.get(reverse("custody_funds:notice", args=[d.pk])).status_code == 404
        assert client.get(reverse("custody_funds:match-suggestions", args=[stray.pk])).status_code in (403, 404)
        assert client.post(reverse("custody_funds:receipt-match", args=[stray.pk]),
                           {"case_number": case.case_number, "reason": "x"}).status_code in (403, 404)
        assert client.post(reverse("custody_funds:finance-pay", args=[d.pk]), {"bank_reference": "P"}).status_code in (403, 404)
        if role == Role.FINANCE:
            body = client.get(reverse("custody_funds:finance")).content.decode()
            assert case.case_number not in body and "暂无待发放的案款" in body
        body = client.get(reverse("custody_funds:unidentified")).content.decode()
        assert "STRAYREF9137" not in body
        if role == Role.BUREAU_HEAD:
            body = client.get(reverse("custody_funds:approvals")).content.decode()
            assert case.case_number not in body
    assert Disbursement.objects.get(pk=pending.pk).status == DisbursementStatus.DRAFT
    assert Disbursement.objects.get(pk=d.pk).status == DisbursementStatus.NOTIFIED
    assert Receipt.objects.get(pk=stray.pk).status == ReceiptStatus.UNIDENTIFIED
    assert FundsHold.objects.get(pk=hold.pk).status == HoldStatus.REQUESTED


def test_supervisor_of_the_upper_court_reads_but_does_not_act(client, case_supervisor, handler, funded_case):
    draft(funded_case, handler)
    client.force_login(case_supervisor)
    body = client.get(funds_url(funded_case)).content.decode()
    assert funded_case.fund_account.number in body
    assert 'id="form-draft"' not in body and 'id="form-submit-' not in body
    assert "您可以查看本案案款" in body


# --- the case funds page --------------------------------------------------------------------------------


def test_funds_page_shows_account_balances_entries_and_clocks(client, handler, funded_case):
    case = funded_case
    client.force_login(handler)
    response = client.get(funds_url(case))
    body = response.content.decode()
    number = case.fund_account.number
    assert f'data-account-number>{number}</dd>' in body  # the court's account, shown whole
    assert 'data-balance="100000.00"' in body and 'data-available="100000.00"' in body and 'data-pending="0.00"' in body
    # the receipt with its FUNDS_NOTICE clock: 10 working days after 12 Oct 2026 → 26 Oct, long past
    receipt_row = re.search(r'<tr data-receipt="\d+">(.*?)</tr>', body, re.S).group(1)
    assert "B001" in receipt_row and "100,000.00" in receipt_row
    assert 'data-clock="FUNDS_NOTICE" data-due="2026-10-26"' in receipt_row
    assert 'data-clock-status="overdue"' in receipt_row
    # the ledger with its running balance
    assert 'data-balance-after="100000.00"' in body and "到账" in body
    assert 'id="form-draft"' in body and 'id="form-delay"' in body and 'id="form-deposit"' in body


def test_ledger_shows_the_running_balance_after_each_entry(client, clerk, handler, bureau_head, finance, funded_case):
    case = funded_case
    receive(case, clerk, "500.00", ref="B002", when="2026-10-13 10:00")
    d = notified(case, handler, bureau_head, "30000.00")
    funds.disbursement_pay(actor=finance, disbursement=d, bank_reference="P1")
    client.force_login(handler)
    body = client.get(funds_url(case)).content.decode()
    assert re.findall(r'data-balance-after="([\d.-]+)"', body) == ["100000.00", "100500.00", "70500.00"]
    assert 'data-balance="70500.00"' in body


def test_case_page_links_the_funds_card(client, clerk, funded_case):
    client.force_login(clerk)
    body = client.get(reverse("enforcement:case-detail", args=[funded_case.pk])).content.decode()
    card = re.search(r'<section class="card funds-card" id="funds">(.*?)</section>', body, re.S).group(1)
    assert funded_case.fund_account.number in card and "¥100,000.00" in card
    assert f'href="{funds_url(funded_case)}"' in card


def test_payee_accounts_are_masked_everywhere(client, handler, bureau_head, finance, funded_case):
    case = funded_case
    d = notified(case, handler, bureau_head)
    draft(case, handler, "200.00")
    pages = [(handler, funds_url(case)), (finance, reverse("custody_funds:finance")),
             (handler, reverse("custody_funds:notice", args=[d.pk]))]
    submitted = draft(case, handler, "300.00")
    funds.disbursement_submit(actor=handler, disbursement=submitted)
    pages.append((bureau_head, reverse("custody_funds:approvals")))
    for user, url in pages:
        client.force_login(user)
        body = client.get(url).content.decode()
        assert CONFIRMED not in body, url
        assert MASKED in body, url


def test_draft_form_prefills_the_confirmed_account_masked(client, handler, funded_case):
    client.force_login(handler)
    body = client.get(funds_url(funded_case)).content.decode()
    block = field_block(body, "account_number")
    assert f'value="{MASKED}"' in block
    assert 'name="amount"' in field_block(body, "amount") and 'value="100000.00"' in field_block(body, "amount")
    assert re.search(r'<div class="change-request" data-change-request hidden>', body)  # asked only on a change

    response = client.post(action_url(funded_case, "draft"), {
        "payee": applicant(funded_case).pk, "account_number": MASKED, "amount": "40000", "account_change_request": "",
    })
    assert response.status_code == 302 and response["Location"] == funds_url(funded_case)
    d = Disbursement.objects.get()
    assert (d.account_number, d.amount, d.status, d.account_change_request) == (CONFIRMED, Decimal("40000.00"), "draft", "")
    body = client.get(funds_url(funded_case)).content.decode()
    assert "已起草支付案款 40,000.00 元" in body
    assert 'data-pending="40000.00"' in body and 'data-available="60000.00"' in body


def test_a_changed_account_needs_the_written_request(client, handler, funded_case):
    client.force_login(handler)
    data = {"payee": applicant(funded_case).pk, "account_number": "6217000011112222333", "amount": "100"}
    response = client.post(action_url(funded_case, "draft"), data)
    assert response.status_code == 422 and not Disbursement.objects.exists()
    body = response.content.decode()
    assert "322号第20条" in field_block(body, "account_change_document")
    assert '<div class="change-request" data-change-request>' in body  # shown now
    assert 'id="form-draft" open' in body and 'value="6217000011112222333"' in body

    # a note alone is not the written request: its number and day, both named at once
    data["account_change_request"] = "申请变更为新开户的工资卡"
    response = client.post(action_url(funded_case, "draft"), data)
    assert response.status_code == 422 and not Disbursement.objects.exists()
    body = response.content.decode()
    assert "文号" in field_block(body, "account_change_document")
    assert "收到书面申请的日期" in field_block(body, "account_change_received_on")

    data |= {"account_change_document": "（2026）鲁0102执收字第88号", "account_change_received_on": "2026-11-20"}
    assert client.post(action_url(funded_case, "draft"), data).status_code == 302
    d = Disbursement.objects.get()
    assert d.account_number == "6217000011112222333"
    assert (d.account_change_document, d.account_change_received_on, d.account_change_recorded_by) == (
        "（2026）鲁0102执收字第88号", dt.date(2026, 11, 20), handler
    )
    body = client.get(funds_url(funded_case)).content.decode()
    assert "变更账户" in body and "6217***********2333" in body
    assert "（2026）鲁0102执收字第88号" in body and "2026-11-20 收到" in body


def test_draft_refusals_sit_next_to_their_fields(client, handler, funded_case):
    client.force_login(handler)
    payee = applicant(funded_case).pk
    response = client.post(action_url(funded_case, "draft"), {"payee": payee, "account_number": MASKED, "amount": "100000.01"})
    assert response.status_code == 422
    assert "可用余额不足" in field_block(response.content.decode(), "amount")
    response = client.post(action_url(funded_case, "draft"), {"payee": payee, "account_number": "6222****1111", "amount": "1"})
    assert "请填写完整的收款账号" in field_block(response.content.decode(), "account_number")
    response = client.post(action_url(funded_case, "draft"), {"payee": payee, "account_number": "12ab", "amount": "1"})
    assert "账号应为" in field_block(response.content.decode(), "account_number")
    response = client.post(action_url(funded_case, "draft"), {"payee": payee, "account_number": MASKED, "amount": "1.234"})
    assert 'class="field-error"' in field_block(response.content.decode(), "amount")
    respondent = funded_case.parties.get(role="respondent").pk
    response = client.post(action_url(funded_case, "draft"), {"payee": respondent, "account_number": MASKED, "amount": "1"})
    assert 'class="field-error"' in field_block(response.content.decode(), "payee")
    assert not Disbursement.objects.exists()


def test_action_via_htmx_returns_the_funds_body(client, handler, funded_case):
    d = draft(funded_case, handler)
    client.force_login(handler)
    response = client.post(action_url(funded_case, "submit", d), {}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="funds-body"') and "<html" not in body
    assert "已提交执行局长审批" in body
    assert Disbursement.objects.get(pk=d.pk).status == DisbursementStatus.SUBMITTED


def test_the_drafter_sees_a_note_instead_of_the_approval_buttons(client, courts, bureau_head, funded_case):
    # the bureau head drafts and submits: the page offers no approval to them
    d = draft(funded_case, bureau_head)
    funds.disbursement_submit(actor=bureau_head, disbursement=d)
    client.force_login(bureau_head)
    body = client.get(funds_url(funded_case)).content.decode()
    assert f'id="form-approve-{d.pk}"' not in body and f'id="form-reject-{d.pk}"' not in body
    assert "本人起草，须由其他审批人" in body
    queue = client.get(reverse("custody_funds:approvals")).content.decode()
    assert "本人起草，须由其他审批人审批" in queue and f'action="{action_url(funded_case, "approve", d)}"' not in queue
    # posting anyway: the service refuses, shown as a message
    response = client.post(action_url(funded_case, "approve", d), {}, follow=True)
    assert "审批人不能审批自己起草的发放" in response.content.decode()
    assert Disbursement.objects.get(pk=d.pk).status == DisbursementStatus.SUBMITTED

    # another approver (the court leader above) sees the buttons and approves
    leader = make_member(Role.COURT_LEADER, courts.lu, "leader")
    client.force_login(leader)
    body = client.get(funds_url(funded_case)).content.decode()
    assert f'id="form-approve-{d.pk}"' in body and f'id="form-reject-{d.pk}"' in body
    assert client.post(action_url(funded_case, "approve", d), {}).status_code == 302
    d.refresh_from_db()
    assert d.status == DisbursementStatus.APPROVED and d.approved_by == leader


def test_handler_cannot_approve(client, handler, funded_case):
    d = draft(funded_case, handler)
    funds.disbursement_submit(actor=handler, disbursement=d)
    client.force_login(handler)
    body = client.get(funds_url(funded_case)).content.decode()
    assert f'id="form-approve-{d.pk}"' not in body and "本人起草" in body
    response = client.post(action_url(funded_case, "approve", d), {}, follow=True)
    assert "只有本院或上级法院的执行局长" in response.content.decode()
    assert Disbursement.objects.get(pk=d.pk).status == DisbursementStatus.SUBMITTED


def test_journey_through_the_pages_pays_and_prints_the_notice(client, handler, bureau_head, finance, funded_case):
    case = funded_case
    client.force_login(handler)
    client.post(action_url(case, "draft"), {"payee": applicant(case).pk, "account_number": MASKED, "amount": "100000"})
    d = Disbursement.objects.get()
    assert client.get(reverse("custody_funds:notice", args=[d.pk])).status_code == 404  # not sent yet
    assert client.post(action_url(case, "submit", d), {}).status_code == 302

    client.force_login(bureau_head)
    queue = client.get(reverse("custody_funds:approvals")).content.decode()
    assert case.case_number in queue and f'action="{action_url(case, "approve", d)}"' in queue
    response = client.post(action_url(case, "approve", d), {"next": reverse("custody_funds:approvals")})
    assert response["Location"] == reverse("custody_funds:approvals")

    client.force_login(handler)
    assert client.post(action_url(case, "notify", d), {}).status_code == 302
    assert Deadline.objects.get(case=case, rule__code="FUNDS_NOTICE").completed_at is not None

    client.force_login(finance)
    queue = client.get(reverse("custody_funds:finance")).content.decode()
    row = re.search(rf'<tr data-disbursement="{d.pk}".*?</tr>', queue, re.S).group(0)
    assert case.case_number in row and "100,000.00" in row and 'data-clock="FUNDS_PAYMENT"' in row
    response = client.post(reverse("custody_funds:finance-pay", args=[d.pk]), {"bank_reference": ""})
    assert response.status_code == 422 and 'class="field-error"' in field_block(response.content.decode(), "bank_reference")
    response = client.post(reverse("custody_funds:finance-pay", args=[d.pk]), {"bank_reference": "PAY-001"})
    assert response.status_code == 302 and response["Location"] == reverse("custody_funds:finance")
    assert "暂无待发放的案款" in client.get(response["Location"]).content.decode()
    d.refresh_from_db()
    assert d.status == DisbursementStatus.PAID and d.bank_reference == "PAY-001"
    assert Deadline.objects.get(case=case, rule__code="FUNDS_PAYMENT").status == DeadlineStatus.MET

    client.force_login(handler)
    body = client.get(funds_url(case)).content.decode()
    assert 'data-balance="0.00"' in body and 'data-available="0.00"' in body
    row = re.search(rf'<tr data-disbursement="{d.pk}" data-status="paid">(.*?)</tr>', body, re.S).group(1)
    assert 'data-clock-status="met"' in row
    notice = client.get(reverse("custody_funds:notice", args=[d.pk])).content.decode()
    for text in ("支付案款通知", "历下区人民法院", case.case_number, "张三", MASKED, "¥100,000.00", "人民币壹拾万元整",
                 case.fund_account.number, "@page", "签名", "PAY-001"):
        assert text in notice, text
    assert 'class="mainnav"' not in notice


def test_paying_twice_is_a_message_not_a_500(client, handler, bureau_head, finance, funded_case):
    d = notified(funded_case, handler, bureau_head)
    funds.disbursement_pay(actor=finance, disbursement=d, bank_reference="P1")
    client.force_login(finance)
    response = client.post(reverse("custody_funds:finance-pay", args=[d.pk]), {"bank_reference": "P2"}, follow=True)
    assert response.status_code == 200 and "当前状态下不允许该操作" in response.content.decode()


def test_reject_and_cancel_need_a_reason_and_free_the_money(client, handler, bureau_head, funded_case):
    a, b = draft(funded_case, handler, "500.00"), draft(funded_case, handler, "300.00")
    funds.disbursement_submit(actor=handler, disbursement=a)
    client.force_login(bureau_head)
    # from the queue, without a reason: a message, nothing changes
    queue = reverse("custody_funds:approvals")
    response = client.post(action_url(funded_case, "reject", a), {"note": "", "next": queue}, follow=True)
    assert "驳回理由" in response.content.decode()
    assert Disbursement.objects.get(pk=a.pk).status == DisbursementStatus.SUBMITTED
    response = client.post(action_url(funded_case, "reject", a), {"note": "金额有争议", "next": queue})
    assert response["Location"] == queue and Disbursement.objects.get(pk=a.pk).status == DisbursementStatus.REJECTED

    client.force_login(handler)
    response = client.post(action_url(funded_case, "cancel", b), {"note": ""})
    assert response.status_code == 422 and 'class="field-error"' in field_block(response.content.decode(), "note", f"cancel-{b.pk}")
    assert client.post(action_url(funded_case, "cancel", b), {"note": "重复起草"}).status_code == 302
    body = client.get(funds_url(funded_case)).content.decode()
    assert 'data-pending="0.00"' in body and "金额有争议" in body and "重复起草" in body


def test_action_on_a_disbursement_of_another_case_is_404(client, courts, clerk, handler, funded_case):
    other = make_case(clerk, courts.lu0102, number="(2026)鲁0102执1002号", handler=handler)
    receive(other, clerk, ref="B777")
    d = draft(other, handler)
    client.force_login(handler)
    assert client.post(action_url(funded_case, "submit", d), {}).status_code == 404
    assert client.post(reverse("custody_funds:case-action", args=[funded_case.pk, "nope"]), {}).status_code == 404


def test_delay_pauses_the_notice_clock_and_is_released(client, handler, bureau_head, funded_case):
    client.force_login(handler)
    response = client.post(action_url(funded_case, "delay"), {"reason": "to_distribute", "note": ""})
    assert response.status_code == 422 and 'class="field-error"' in field_block(response.content.decode(), "note", "delay")
    assert client.post(action_url(funded_case, "delay"), {"reason": "to_distribute", "note": "另有债权人申请参与分配"}).status_code == 302
    hold = FundsHold.objects.get()
    body = client.get(funds_url(funded_case)).content.decode()
    assert "需要进行案款分配" in body and "本人提出，须由其他审批人审批" in body
    assert f'id="form-hold-approve-{hold.pk}"' not in body

    client.force_login(bureau_head)
    body = client.get(funds_url(funded_case)).content.decode()
    assert f'id="form-hold-approve-{hold.pk}"' in body
    assert client.post(action_url(funded_case, "hold-approve", hold), {}).status_code == 302
    client.force_login(handler)
    body = client.get(funds_url(funded_case)).content.decode()
    assert 'data-clock-status="paused"' in body and "延缓中" in body
    assert client.post(action_url(funded_case, "hold-release", hold), {}).status_code == 302
    assert FundsHold.objects.get().status == HoldStatus.RELEASED
    assert Deadline.objects.get(case=funded_case, rule__code="FUNDS_NOTICE").paused_at is None


def test_deposit_over_the_available_amount_is_refused_on_the_amount(client, handler, funded_case):
    client.force_login(handler)
    data = {"reason": "missing", "note": "申请执行人下落不明", "amount": "100000.01"}
    response = client.post(action_url(funded_case, "deposit"), data)
    assert response.status_code == 422 and "可用余额不足" in field_block(response.content.decode(), "amount", "deposit")
    data["amount"] = "100000"
    assert client.post(action_url(funded_case, "deposit"), data).status_code == 302
    assert FundsHold.objects.get().amount == Decimal("100000.00")


def test_cash_receipt_needs_a_second_officer(client, courts, clerk, handler, case):
    client.force_login(handler)
    body = client.get(funds_url(case)).content.decode()
    block = field_block(body, "second_officer")
    assert f'value="{clerk.pk}"' in block and f'value="{handler.pk}"' not in block
    data = {"reference": "XJ-001", "amount": "2000", "arrived_at": "2026-10-20T10:00", "payer": "被执行人", "second_officer": ""}
    response = client.post(action_url(case, "cash"), data)
    assert response.status_code == 422 and not Receipt.objects.exists()
    data["second_officer"] = str(clerk.pk)
    assert client.post(action_url(case, "cash"), data).status_code == 302
    receipt = Receipt.objects.get()
    assert (receipt.channel, receipt.case_id, receipt.second_officer) == ("cash", case.pk, clerk)
    body = client.get(funds_url(case)).content.decode()
    assert "现金" in body and 'data-balance="2000.00"' in body


# --- the queues ---------------------------------------------------------------------------------------


def test_finance_queue_query_count_is_pinned(client, courts, clerk, handler, bureau_head, finance,
                                             django_assert_num_queries):
    def add(i):
        case = make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执{300 + i}号", handler=handler)
        receive(case, clerk, "1000.00", ref=f"B{300 + i}")
        notified(case, handler, bureau_head, "100.00")

    add(0)
    client.force_login(finance)
    # session, user, memberships, count, page, clocks, calendar (2), nav permissions (2)
    # +4: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_num_queries(16) as few:  # +1 the bell's unread COUNT (issue 16)
        client.get(reverse("custody_funds:finance"))
    for i in range(1, 8):
        add(i)
    with django_assert_num_queries(16) as many:  # +1 the bell's unread COUNT (issue 16)
        response = client.get(reverse("custody_funds:finance"))
    assert len(response.context["rows"]) == 8
    assert len(many.captured_queries) == len(few.captured_queries)
    # oldest notice first
    notified_at = [row["d"].notified_at for row in response.context["rows"]]
    assert notified_at == sorted(notified_at)


def test_unidentified_queue_query_count_is_pinned(client, courts, clerk, finance, today, django_assert_num_queries):
    first = today - dt.timedelta(days=42)

    def add(i):
        funds.receipt_record(actor=clerk, court=courts.lu0102, reference=f"U{i}", account_number="000000000000000",
                             amount=Decimal("10.00"), arrived_at=on(first + dt.timedelta(days=i)), payer=f"付款人{i}")

    add(0)
    client.force_login(finance)
    # session, user, memberships, count, page, calendar (2), nav permissions (2)
    # +4: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_num_queries(15) as few:  # +1 the bell's unread COUNT (issue 16)
        client.get(reverse("custody_funds:unidentified"))
    for i in range(1, 9):
        add(i)
    with django_assert_num_queries(15) as many:  # +1 the bell's unread COUNT (issue 16)
        response = client.get(reverse("custody_funds:unidentified"))
    rows = response.context["rows"]
    assert len(rows) == 9 and len(many.captured_queries) == len(few.captured_queries)
    assert [r["receipt"].reference for r in rows][:2] == ["U0", "U1"]  # oldest first
    assert rows[0]["age"]["days"] == 42  # arrived six weeks ago
    assert rows[0]["age"]["working_days"] is not None


def test_unidentified_receipt_is_matched_by_case_number(client, courts, clerk, finance, case, today):
    other = make_case(make_member(Role.CLERK, courts.lu0103, "clerk_0103"), courts.lu0103, number="(2026)鲁0103执9号")
    receipt, _ = funds.receipt_record(actor=clerk, court=courts.lu0102, reference="U1", account_number="999",
                                      amount=Decimal("700.00"), arrived_at=on(today - dt.timedelta(days=40)), payer="李四")
    client.force_login(finance)
    body = client.get(reverse("custody_funds:unidentified")).content.decode()
    assert "U1" in body and "李四" in body and 'data-age-days="40"' in body

    # suggestions come from the receipt's court only
    options = client.get(reverse("custody_funds:match-suggestions", args=[receipt.pk]), {"case_number": "(2026)"}).content.decode()
    assert case.case_number in options and other.case_number not in options
    options = client.get(reverse("custody_funds:match-suggestions", args=[receipt.pk]), {"case_number": "某某公司"}).content.decode()
    assert case.case_number in options

    url = reverse("custody_funds:receipt-match", args=[receipt.pk])
    response = client.post(url, {"case_number": other.case_number, "reason": "凭证"})
    assert response.status_code == 422 and "没有案号为" in field_block(response.content.decode(), "case_number")
    response = client.post(url, {"case_number": "（2026）鲁0102执1001号", "reason": ""})
    assert response.status_code == 422 and 'class="field-error"' in field_block(response.content.decode(), "reason")
    response = client.post(url, {"case_number": "（2026）鲁0102执1001号", "reason": "付款人提供转账凭证"})
    assert response.status_code == 302
    receipt.refresh_from_db()
    assert (receipt.status, receipt.case_id, receipt.matched_by) == (ReceiptStatus.MATCHED, case.pk, finance)
    assert "已将到账 U1" in client.get(response["Location"]).content.decode()
    assert Deadline.objects.filter(case=case, rule__code="FUNDS_NOTICE").count() == 1
    body = client.get(funds_url(case)).content.decode()
    assert "付款人提供转账凭证" in body and 'data-balance="700.00"' in body
    # matched once only
    assert client.post(url, {"case_number": case.case_number, "reason": "again"}).status_code == 404


def test_upper_court_supervisor_sees_the_queue_but_cannot_match(client, courts, clerk, case_supervisor, case):
    receipt, _ = funds.receipt_record(actor=clerk, court=courts.lu0102, reference="U1", account_number="999",
                                      amount=Decimal("700.00"), arrived_at=at("2026-10-12 10:00"))
    client.force_login(case_supervisor)
    body = client.get(reverse("custody_funds:unidentified")).content.decode()
    assert "U1" in body and "由收款法院人员匹配" in body
    assert f'action="{reverse("custody_funds:receipt-match", args=[receipt.pk])}"' not in body


def test_notice_only_once_notified(client, handler, bureau_head, funded_case):
    d = draft(funded_case, handler)
    client.force_login(handler)
    assert client.get(reverse("custody_funds:notice", args=[d.pk])).status_code == 404
    funds.disbursement_submit(actor=handler, disbursement=d)
    funds.disbursement_approve(actor=bureau_head, disbursement=d)
    assert client.get(reverse("custody_funds:notice", args=[d.pk])).status_code == 404
    funds.disbursement_notify_finance(actor=handler, disbursement=d)
    body = client.get(reverse("custody_funds:notice", args=[d.pk])).content.decode()
    assert "人民币壹仟元整" in body and "¥1,000.00" in body and str(bureau_head) in body
    assert 'size: A4' in body and "@media print" in body


def test_funds_page_query_count_is_pinned(client, courts, clerk, handler, bureau_head, django_assert_num_queries):
    case = make_case(clerk, courts.lu0102, handler=handler)
    receive(case, clerk, "100000.00")
    notified(case, handler, bureau_head)
    client.force_login(handler)
    # +5: the navigation's counts — one COUNT per work source of the role, the 待办 total, API token (issue 16)
    with django_assert_num_queries(23) as few:  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        client.get(funds_url(case))
    for i in range(6):
        receive(case, clerk, "100.00", ref=f"M{i}", when=f"2026-10-{13 + i} 10:00")
        notified(case, handler, bureau_head, "10.00")
        funds.hold_request(actor=handler, case=case, kind="delay", reason="other", note=f"说明{i}")
    with django_assert_num_queries(23) as many:  # +1 the bell's unread COUNT (issue 16); +1 一案双查待办
        response = client.get(funds_url(case))
    assert len(response.context["disbursement_rows"]) == 7 and len(response.context["receipt_rows"]) == 7
    assert len(many.captured_queries) == len(few.captured_queries)


def test_finance_may_also_pay_from_the_case_page(client, handler, bureau_head, finance, funded_case):
    d = notified(funded_case, handler, bureau_head, "2500.00")
    client.force_login(handler)
    assert f'id="form-pay-{d.pk}"' not in client.get(funds_url(funded_case)).content.decode()  # finance pays
    client.force_login(finance)
    body = client.get(funds_url(funded_case)).content.decode()
    assert f'id="form-pay-{d.pk}"' in body and 'id="form-draft"' not in body
    response = client.post(action_url(funded_case, "pay", d), {"bank_reference": "P-9"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "已登记发放 2,500.00 元" in response.content.decode()
    assert Disbursement.objects.get(pk=d.pk).status == DisbursementStatus.PAID


def test_a_deposit_request_rejected_frees_the_money(client, handler, bureau_head, funded_case):
    hold = funds.hold_request(actor=handler, case=funded_case, kind="deposit", reason="refused", note="拒绝领取",
                              amount=Decimal("100000.00"))
    client.force_login(bureau_head)
    queue = client.get(reverse("custody_funds:approvals")).content.decode()
    assert "申请执行人无正当理由拒绝领取" in queue and "100,000.00" in queue
    response = client.post(action_url(funded_case, "hold-reject", hold), {"next": reverse("custody_funds:approvals")})
    assert response["Location"] == reverse("custody_funds:approvals")
    assert FundsHold.objects.get(pk=hold.pk).status == HoldStatus.REJECTED
    body = client.get(funds_url(funded_case)).content.decode()
    assert 'data-available="100000.00"' in body and "已驳回" in body
