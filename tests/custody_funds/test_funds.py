"""Case funds: one account per case, receipts, unidentified funds, disbursement with
approval, and the 10 + 5 working-day clocks (322号 §22), through the REST contract."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from core.models import Deadline, DeadlineStatus, NodeEvent
from custody_funds.models import Disbursement, LedgerAccount, Posting, PostingLeg, Receipt
from custody_funds.services import ledger
from enforcement.models import Case
from tests.enforcement.factories import case_payload


@pytest.fixture
def new_case(api):
    body = api.post("/api/v1/cases/", case_payload(), format="json").json()
    return body


def receipt(api, number, amount="30000.00", ref="B001", at="2026-10-12T10:00:00+08:00"):
    return api.post("/api/v1/receipts/", {"account_number": number, "amount": amount, "arrived_at": at, "payer": "某某公司", "reference": ref}, format="json")


def test_every_case_gets_one_account_with_a_check_digit(new_case):
    number = new_case["fund_account"]
    assert number and len(number) == 15 and ledger.account_number_valid(number)
    assert LedgerAccount.objects.filter(case_id=new_case["id"]).count() == 1
    for i in range(15):  # every single-digit error is caught
        for d in "0123456789":
            if d != number[i]:
                assert not ledger.account_number_valid(number[:i] + d + number[i + 1:])
    for i in range(14):  # and every swap of two different neighbours (09 ↔ 90 too)
        if number[i] != number[i + 1]:
            assert not ledger.account_number_valid(number[:i] + number[i + 1] + number[i] + number[i + 2:])


@pytest.mark.parametrize("body", ["04990000001500", "00001000000009", "12345678901234"])
def test_damm_check_digit_catches_the_transpositions_luhn_misses(body):
    number = body + ledger.check_digit(body)
    assert ledger.account_number_valid(number)
    for i in range(14):
        if number[i] != number[i + 1]:
            assert not ledger.account_number_valid(number[:i] + number[i + 1] + number[i] + number[i + 2:])


def test_receipt_matched_by_account_starts_funds_notice(api, new_case):
    r = receipt(api, new_case["fund_account"])
    assert r.status_code == 201 and r.json()["case"] == new_case["id"] and r.json()["status"] == "matched"
    clock = Deadline.objects.get(case_id=new_case["id"], rule__code="FUNDS_NOTICE")
    from django.utils import timezone

    assert timezone.localtime(clock.due_at).isoformat() == "2026-10-26T23:59:59+08:00"  # 10 working days after 12 Oct
    funds = api.get(f"/api/v1/cases/{new_case['id']}/funds/").json()
    assert (funds["balance"], funds["pending"], funds["available"]) == ("30000.00", "0.00", "30000.00")
    assert funds["entries"][0]["amount"] == "30000.00"


def test_receipts_are_idempotent_by_bank_reference(api, new_case):
    first = receipt(api, new_case["fund_account"])
    again = receipt(api, new_case["fund_account"])
    assert first.status_code == 201 and again.status_code == 200 and first.json()["id"] == again.json()["id"]
    other = receipt(api, new_case["fund_account"], amount="1.00")
    assert other.status_code == 409 and other.json()["code"] == "receipt_reference_reused"
    assert Receipt.objects.count() == 1
    assert api.get(f"/api/v1/cases/{new_case['id']}/funds/").json()["balance"] == "30000.00"


def test_unidentified_receipt_waits_and_is_matched_with_a_reason(api, new_case):
    number = new_case["fund_account"]
    typo = number[:5] + ("1" if number[5] != "1" else "2") + number[6:]
    r = receipt(api, typo, ref="B002")
    assert r.json()["case"] is None and r.json()["status"] == "unidentified"
    queue = api.get("/api/v1/receipts/", {"status": "unidentified"}).json()
    assert queue["count"] == 1
    m = api.post(f"/api/v1/receipts/{r.json()['id']}/match/", {"case": new_case["id"], "reason": "付款人提供转账凭证"}, format="json")
    assert m.status_code == 200 and m.json()["case"] == new_case["id"]
    assert api.post(f"/api/v1/receipts/{r.json()['id']}/match/", {"case": new_case["id"]}, format="json").status_code == 409
    assert api.get(f"/api/v1/cases/{new_case['id']}/funds/").json()["balance"] == "30000.00"
    assert Deadline.objects.filter(case_id=new_case["id"], rule__code="FUNDS_NOTICE").count() == 1


def test_disbursement_journey_with_clocks_and_maker_checker(api, as_user, new_case, bureau_head, finance, handler):
    receipt(api, new_case["fund_account"], amount="100000.00")
    applicant = new_case["applicants"][0]["id"]
    from tests.enforcement.factories import case_payload as payload

    confirmed = payload()["applicants"][0]["payout_account"]["account_number"]
    h = as_user(handler)
    wrong = h.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": applicant, "amount": "100.00", "account_number": "6222000000000000"}, format="json")
    assert wrong.status_code == 422 and wrong.json()["code"] == "payee_not_confirmed"
    too_much = h.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": applicant, "amount": "100000.01", "account_number": confirmed}, format="json")
    assert too_much.status_code == 422 and too_much.json()["code"] == "insufficient_balance"
    d = h.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": applicant, "amount": "100000.00", "account_number": confirmed}, format="json")
    assert d.status_code == 201, d.json()
    d_id = d.json()["id"]
    funds = api.get(f"/api/v1/cases/{new_case['id']}/funds/").json()
    assert (funds["pending"], funds["available"]) == ("100000.00", "0.00")
    assert h.post(f"/api/v1/disbursements/{d_id}/submit/", {}, format="json").status_code == 200
    # the drafter (or the machine client) can never approve
    assert h.post(f"/api/v1/disbursements/{d_id}/approve/", {}, format="json").status_code == 403
    assert api.post(f"/api/v1/disbursements/{d_id}/approve/", {}, format="json").status_code == 403
    assert as_user(bureau_head).post(f"/api/v1/disbursements/{d_id}/approve/", {}, format="json").status_code == 200
    assert h.post(f"/api/v1/disbursements/{d_id}/notify/", {}, format="json").status_code == 200
    notice = Deadline.objects.get(case_id=new_case["id"], rule__code="FUNDS_NOTICE")
    assert notice.completed_at is not None
    payment = Deadline.objects.get(case_id=new_case["id"], rule__code="FUNDS_PAYMENT")
    assert payment.status == DeadlineStatus.OPEN
    # only finance pays
    assert h.post(f"/api/v1/disbursements/{d_id}/pay/", {"bank_reference": "P1"}, format="json").status_code == 403
    paid = as_user(finance).post(f"/api/v1/disbursements/{d_id}/pay/", {"bank_reference": "P1"}, format="json")
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    payment.refresh_from_db()
    assert payment.status == DeadlineStatus.MET
    funds = api.get(f"/api/v1/cases/{new_case['id']}/funds/").json()
    assert (funds["balance"], funds["pending"], funds["available"]) == ("0.00", "0.00", "0.00")
    # the claim (100,000) is paid in full: enforcement now allows 执行完毕
    assert Case.objects.get(pk=new_case["id"]).fulfilled_at is not None
    assert NodeEvent.objects.filter(case_id=new_case["id"], kind="funds.disbursement_paid").count() == 1
    # paying twice is an illegal transition
    assert as_user(finance).post(f"/api/v1/disbursements/{d_id}/pay/", {"bank_reference": "P1"}, format="json").status_code == 409


def test_changed_account_needs_the_written_request(api, as_user, new_case, handler):
    receipt(api, new_case["fund_account"], amount="500.00")
    applicant = new_case["applicants"][0]["id"]
    url = f"/api/v1/cases/{new_case['id']}/disbursements/"
    base = {"payee": applicant, "amount": "500.00", "account_number": "6217000011112222333"}
    # free text is not the applicant's written request: its number and day, every field named at once
    r = as_user(handler).post(url, base | {"account_change_request": "申请执行人书面申请变更收款账户"}, format="json")
    assert r.status_code == 400 and r.json()["code"] == "account_change_incomplete"
    assert set(r.json()["extra"]["fields"]) == {"account_change_document", "account_change_received_on"}
    r = as_user(handler).post(url, base | {"account_change_document": "执收字第88号", "account_change_received_on": "2026-11-22"}, format="json")
    assert r.status_code == 400 and set(r.json()["extra"]["fields"]) == {"account_change_received_on"}  # after today
    assert not Disbursement.objects.exists()

    d = as_user(handler).post(url, base | {
        "account_change_document": "执收字第88号", "account_change_received_on": "2026-11-20",
        "account_change_request": "新开户的工资卡"}, format="json")
    assert d.status_code == 201, d.json()
    body = d.json()
    assert body["account_changed"] is True
    assert body["account_change"] == {
        "document": "执收字第88号", "received_on": "2026-11-20", "note": "新开户的工资卡",
        "recorded_by": handler.get_full_name() or handler.username,
    }
    node = NodeEvent.objects.get(case_id=new_case["id"], kind="funds.disbursement_drafted")
    assert node.payload["account_change_document"] == "执收字第88号" and node.actor == handler


def test_an_api_client_cannot_redirect_a_payout(api, new_case):
    """Issue 17: a machine drafting to an unconfirmed account, whatever it claims, is refused."""
    receipt(api, new_case["fund_account"], amount="500.00")
    applicant = new_case["applicants"][0]["id"]
    r = api.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {
        "payee": applicant, "amount": "500.00", "account_number": "6217000011112222333", "holder": "第三人",
        "account_change_document": "执收字第88号", "account_change_received_on": "2026-11-20",
        "account_change_request": "申请执行人书面申请变更收款账户"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "account_change_by_person_only"
    assert not Disbursement.objects.exists()
    # to the confirmed account the client still drafts
    from tests.enforcement.factories import case_payload as payload

    confirmed = payload()["applicants"][0]["payout_account"]["account_number"]
    r = api.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {
        "payee": applicant, "amount": "500.00", "account_number": confirmed}, format="json")
    assert r.status_code == 201 and r.json()["account_change"] is None


def test_reject_and_cancel_release_the_reservation(api, as_user, new_case, handler, bureau_head):
    receipt(api, new_case["fund_account"], amount="800.00")
    applicant = new_case["applicants"][0]["id"]
    from tests.enforcement.factories import case_payload as payload

    confirmed = payload()["applicants"][0]["payout_account"]["account_number"]
    h = as_user(handler)
    a = h.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": applicant, "amount": "500.00", "account_number": confirmed}, format="json").json()["id"]
    b = h.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": applicant, "amount": "300.00", "account_number": confirmed}, format="json").json()["id"]
    h.post(f"/api/v1/disbursements/{a}/submit/", {}, format="json")
    assert as_user(bureau_head).post(f"/api/v1/disbursements/{a}/reject/", {"note": "金额有争议"}, format="json").status_code == 200
    assert h.post(f"/api/v1/disbursements/{b}/cancel/", {"note": "重复"}, format="json").status_code == 200
    funds = api.get(f"/api/v1/cases/{new_case['id']}/funds/").json()
    assert (funds["balance"], funds["pending"], funds["available"]) == ("800.00", "0.00", "800.00")


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.001", "NaN", "1e309", "1,000", "１０"])
def test_bad_amounts_are_400_and_write_nothing(api, new_case, amount):
    r = receipt(api, new_case["fund_account"], amount=amount)
    assert r.status_code == 400 and "amount" in r.json()["extra"]["fields"]
    assert not Receipt.objects.exists() and not Posting.objects.filter(kind__startswith="receipt").exists()


def test_unbalanced_posting_is_refused_by_the_database(new_case):
    account = LedgerAccount.objects.get(case_id=new_case["id"])
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        p = Posting.objects.create(idempotency_key="bad", kind="test")
        PostingLeg.objects.create(posting=p, account=account, amount=Decimal("10.00"))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_postings_are_append_only(api, new_case):
    receipt(api, new_case["fund_account"])
    leg = PostingLeg.objects.first()
    with pytest.raises(InternalError), transaction.atomic():
        PostingLeg.objects.filter(pk=leg.pk).update(amount=Decimal("1.00"))
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM custody_funds_posting WHERE id = %s", [leg.posting_id])
    assert Posting.objects.filter(pk=leg.posting_id).exists()


def test_a_reversal_is_a_new_posting(api, new_case):
    receipt(api, new_case["fund_account"])
    original = Posting.objects.get(kind="receipt")
    reversal = ledger.reverse(posting=original, actor=None, memo="银行退回")
    assert reversal.reverses == original
    assert LedgerAccount.objects.get(case_id=new_case["id"]).balance == 0
    assert ledger.reverse(posting=original, actor=None, memo="again") == reversal  # idempotent


def test_scoping_of_funds_endpoints(api, new_case, courts):
    from rest_framework.test import APIClient

    from core.services.people import api_client_create

    r = receipt(api, new_case["fund_account"]).json()
    _u, key = api_client_create(court=courts.lu0103, name="sibling")
    sibling = APIClient()
    sibling.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert sibling.get(f"/api/v1/cases/{new_case['id']}/funds/").status_code == 404
    assert sibling.post(f"/api/v1/receipts/{r['id']}/match/", {"case": new_case["id"]}, format="json").status_code == 404
    assert sibling.get("/api/v1/receipts/").json()["count"] == 0
    # a receipt sent by the sibling's bank feed with our account number stays unidentified there
    other = sibling.post("/api/v1/receipts/", {"account_number": new_case["fund_account"], "amount": "5.00", "arrived_at": "2026-10-12T10:00:00+08:00", "reference": "S1"}, format="json")
    assert other.json()["case"] is None


def test_delay_pauses_funds_notice_and_release_moves_it(api, as_user, new_case, handler, bureau_head):
    receipt(api, new_case["fund_account"], amount="900.00")
    h = as_user(handler)
    bad = h.post(f"/api/v1/cases/{new_case['id']}/funds-holds/", {"kind": "delay", "reason": "i_feel_like_it", "note": "x"}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()["extra"]["fields"]
    hold = h.post(f"/api/v1/cases/{new_case['id']}/funds-holds/", {"kind": "delay", "reason": "to_distribute", "note": "另有债权人申请参与分配"}, format="json")
    assert hold.status_code == 201, hold.json()
    assert h.post(f"/api/v1/funds-holds/{hold.json()['id']}/approve/", format="json").status_code == 403  # maker ≠ checker
    assert as_user(bureau_head).post(f"/api/v1/funds-holds/{hold.json()['id']}/approve/", format="json").status_code == 200
    notice = Deadline.objects.get(case_id=new_case["id"], rule__code="FUNDS_NOTICE")
    assert notice.paused_at is not None
    assert h.post(f"/api/v1/funds-holds/{hold.json()['id']}/release/", format="json").status_code == 200
    notice.refresh_from_db()
    assert notice.paused_at is None and notice.completed_at is None


def test_deposit_moves_the_money_out_and_stops_the_clock(api, as_user, new_case, handler, bureau_head):
    receipt(api, new_case["fund_account"], amount="900.00")
    h = as_user(handler)
    too_much = h.post(f"/api/v1/cases/{new_case['id']}/funds-holds/", {"kind": "deposit", "reason": "missing", "note": "下落不明", "amount": "900.01"}, format="json")
    assert too_much.status_code == 422 and too_much.json()["code"] == "insufficient_balance"
    hold = h.post(f"/api/v1/cases/{new_case['id']}/funds-holds/", {"kind": "deposit", "reason": "missing", "note": "申请执行人下落不明", "amount": "900.00"}, format="json").json()
    assert as_user(bureau_head).post(f"/api/v1/funds-holds/{hold['id']}/approve/", format="json").status_code == 200
    funds = api.get(f"/api/v1/cases/{new_case['id']}/funds/").json()
    assert (funds["balance"], funds["pending"]) == ("0.00", "0.00")
    notice = Deadline.objects.get(case_id=new_case["id"], rule__code="FUNDS_NOTICE")
    # stopped (late: the receipt arrived on 12 Oct and today is past its 10 working days)
    assert notice.completed_at is not None and notice.note == "已提存"
    assert notice.status == DeadlineStatus.BREACHED


def test_excel_exports_of_a_case_ledger_and_of_funds_held(api, new_case, courts):
    import io

    from openpyxl import load_workbook
    from rest_framework.test import APIClient

    from core.services.people import api_client_create

    receipt(api, new_case["fund_account"], amount="1234.56")
    r = api.get(f"/api/v1/cases/{new_case['id']}/funds/export/")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws["A1"].value == "凭证号" and ws["E2"].value == 1234.56 and ws["F2"].value == 1234.56
    held = api.get("/api/v1/funds/held/export/", {"court": "鲁0102"})
    rows = list(load_workbook(io.BytesIO(held.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "(2026)鲁0102执1001号" and rows[1][3] == 1234.56
    _u, key = api_client_create(court=courts.lu0103, name="sibling")
    sibling = APIClient()
    sibling.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert sibling.get(f"/api/v1/cases/{new_case['id']}/funds/export/").status_code == 404
    rows = list(load_workbook(io.BytesIO(sibling.get("/api/v1/funds/held/export/").content)).active.iter_rows(values_only=True))
    assert len(rows) == 1  # only the header: nothing of another court


def test_the_ledger_export_groups_the_thousands_of_every_amount(api, new_case):
    """Money in Excel as on the pages (1,234,567.89): the entries and the balances below them."""
    import io

    from openpyxl import load_workbook

    receipt(api, new_case["fund_account"], amount="1234567.89")
    ws = load_workbook(io.BytesIO(api.get(f"/api/v1/cases/{new_case['id']}/funds/export/").content)).active
    assert (ws["E2"].value, ws["E2"].number_format, ws["F2"].number_format) == (1234567.89, "#,##0.00", "#,##0.00")
    balances = next(row for row in ws.iter_rows() if row[0].value == "余额")
    assert [c.value for c in balances[:6]] == ["余额", 1234567.89, "待发放", 0, "可用", 1234567.89]
    assert {balances[i].number_format for i in (1, 3, 5)} == {"#,##0.00"}


def test_disputed_part_is_held_and_the_undisputed_part_paid_first(api, as_user, new_case, handler, bureau_head, finance):
    """322号 §22: 部分案款有争议的，应当先将无争议部分及时发放."""
    receipt(api, new_case["fund_account"], amount="1000.00")
    h, head = as_user(handler), as_user(bureau_head)
    hold = h.post(f"/api/v1/cases/{new_case['id']}/funds-holds/", {"kind": "delay", "reason": "disputed", "note": "案外人主张其中300元", "amount": "300.00"}, format="json").json()
    head.post(f"/api/v1/funds-holds/{hold['id']}/approve/", format="json")
    from tests.enforcement.factories import case_payload as payload

    confirmed = payload()["applicants"][0]["payout_account"]["account_number"]
    applicant = new_case["applicants"][0]["id"]
    over = h.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": applicant, "amount": "700.01", "account_number": confirmed}, format="json")
    assert over.json()["code"] == "insufficient_balance"  # the disputed 300 is held
    d = h.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": applicant, "amount": "700.00", "account_number": confirmed}, format="json").json()["id"]
    h.post(f"/api/v1/disbursements/{d}/submit/", {}, format="json")
    head.post(f"/api/v1/disbursements/{d}/approve/", {}, format="json")
    h.post(f"/api/v1/disbursements/{d}/notify/", {}, format="json")
    notice = Deadline.objects.get(case_id=new_case["id"], rule__code="FUNDS_NOTICE")
    assert notice.completed_at is not None  # 700 sent + 300 held cover the receipt
    assert h.post(f"/api/v1/funds-holds/{hold['id']}/release/", format="json").status_code == 200
    assert api.get(f"/api/v1/cases/{new_case['id']}/funds/").json()["available"] == "300.00"


def test_funds_payment_due_date_hand_computed(api, as_user, new_case, handler, bureau_head, monkeypatch):
    import datetime as dt

    from django.utils import timezone as tz

    from custody_funds.services import funds as funds_module

    receipt(api, new_case["fund_account"], amount="100.00", at="2026-09-25T10:00:00+08:00")
    from tests.enforcement.factories import case_payload as payload

    confirmed = payload()["applicants"][0]["payout_account"]["account_number"]
    d = as_user(handler).post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": new_case["applicants"][0]["id"], "amount": "100.00", "account_number": confirmed}, format="json").json()["id"]
    as_user(handler).post(f"/api/v1/disbursements/{d}/submit/", {}, format="json")
    as_user(bureau_head).post(f"/api/v1/disbursements/{d}/approve/", {}, format="json")
    monkeypatch.setattr(funds_module.timezone, "now", lambda: dt.datetime(2026, 9, 29, 10, tzinfo=dt.timezone(dt.timedelta(hours=8))))
    as_user(handler).post(f"/api/v1/disbursements/{d}/notify/", {}, format="json")
    payment = Deadline.objects.get(case_id=new_case["id"], rule__code="FUNDS_PAYMENT")
    # notified Tue 29 Sep: 30 Sep, 8 Oct, 9 Oct, Sat 10 Oct (make-up), 12 Oct
    assert tz.localtime(payment.due_at).date() == dt.date(2026, 10, 12)
    notice = Deadline.objects.get(case_id=new_case["id"], rule__code="FUNDS_NOTICE")
    # received Fri 25 Sep: 28, 29, 30 Sep, 8, 9, 10 (Sat), 12, 13, 14, 15 Oct → due 15 Oct; met on 29 Sep
    assert tz.localtime(notice.due_at).date() == dt.date(2026, 10, 15) and notice.status == DeadlineStatus.MET


def test_drafter_cannot_reject_own_disbursement(api, as_user, new_case, handler, bureau_head):
    receipt(api, new_case["fund_account"], amount="100.00")
    from core.models import Role
    from tests.core.factories import make_member
    from tests.enforcement.factories import case_payload as payload

    head2 = make_member(Role.BUREAU_HEAD, Case.objects.get(pk=new_case["id"]).court, "head_drafter")
    confirmed = payload()["applicants"][0]["payout_account"]["account_number"]
    d = as_user(head2).post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": new_case["applicants"][0]["id"], "amount": "50.00", "account_number": confirmed}, format="json").json()["id"]
    as_user(head2).post(f"/api/v1/disbursements/{d}/submit/", {}, format="json")
    assert as_user(head2).post(f"/api/v1/disbursements/{d}/reject/", {"note": "x"}, format="json").status_code == 403
    assert as_user(head2).post(f"/api/v1/disbursements/{d}/approve/", {}, format="json").status_code == 403
    assert as_user(bureau_head).post(f"/api/v1/disbursements/{d}/approve/", {}, format="json").status_code == 200


def _notified_disbursement(api, as_user, new_case, handler, bureau_head):
    receipt(api, new_case["fund_account"], amount="500.00")
    applicant = new_case["applicants"][0]["id"]
    confirmed = case_payload()["applicants"][0]["payout_account"]["account_number"]
    h = as_user(handler)
    d_id = h.post(f"/api/v1/cases/{new_case['id']}/disbursements/", {"payee": applicant, "amount": "500.00", "account_number": confirmed}, format="json").json()["id"]
    h.post(f"/api/v1/disbursements/{d_id}/submit/", {}, format="json")
    as_user(bureau_head).post(f"/api/v1/disbursements/{d_id}/approve/", {}, format="json")
    assert h.post(f"/api/v1/disbursements/{d_id}/notify/", {}, format="json").status_code == 200
    return h, d_id, Deadline.objects.get(case_id=new_case["id"], rule__code="FUNDS_PAYMENT")


@pytest.mark.time_machine("2026-11-23 10:00 +08:00", tick=False)
def test_cancelling_a_notified_disbursement_ends_its_payment_clock_moot(api, as_user, new_case, handler, bureau_head):
    """Issue 15 (c), spec [C4]: notified Mon 11-23 → FUNDS_PAYMENT due 11-30 24:00;
    cancelled the same day: the clock ends ``moot`` (never waived, never met), the
    money is available again, and the case may close once FUNDS_NOTICE allows it."""
    h, d_id, payment = _notified_disbursement(api, as_user, new_case, handler, bureau_head)
    assert payment.due_at.isoformat() == "2026-11-30T15:59:59+00:00"  # 11-24(1) … 11-30(5), 24:00
    response = h.post(f"/api/v1/disbursements/{d_id}/cancel/", {"note": "收款账户已销户"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    payment.refresh_from_db()
    assert (payment.status, payment.completed_at, payment.end_reason) == ("moot", None, "disbursement_cancelled")
    assert payment.ended_at is not None and not payment.is_running
    funds = api.get(f"/api/v1/cases/{new_case['id']}/funds/").json()
    assert (funds["pending"], funds["available"]) == ("0.00", "500.00")


def test_cancelling_after_the_payment_fell_due_keeps_the_breach(api, as_user, new_case, handler, bureau_head, time_machine):
    """Notified Mon 11-23 10:00, due 11-30 24:00; cancelled Tue 12-01 10:00: breached, ended."""
    time_machine.move_to("2026-11-23 10:00 +08:00", tick=False)
    h, d_id, payment = _notified_disbursement(api, as_user, new_case, handler, bureau_head)
    time_machine.move_to("2026-12-01 10:00 +08:00", tick=False)
    assert h.post(f"/api/v1/disbursements/{d_id}/cancel/", {"note": "收款账户已销户"}, format="json").status_code == 200
    payment.refresh_from_db()
    assert (payment.status, payment.completed_at) == ("breached", None)
    assert payment.ended_at is not None and not payment.is_running


def test_the_ledger_export_writes_a_formula_memo_as_quoted_text(api, new_case):
    """Issue 17: the funds exporter uses the same rule as every export (core.exports.safe_cell)."""
    import io

    from openpyxl import load_workbook

    receipt(api, new_case["fund_account"])
    original = Posting.objects.get(kind="receipt")
    ledger.reverse(posting=original, actor=None, memo='=HYPERLINK("http://x","y")')
    r = api.get(f"/api/v1/cases/{new_case['id']}/funds/export/")
    ws = load_workbook(io.BytesIO(r.content)).active
    memos = [ws.cell(row=i, column=4) for i in (2, 3)]
    bad = next(c for c in memos if "HYPERLINK" in str(c.value))
    assert bad.value == '\'=HYPERLINK("http://x","y")' and bad.data_type == "s" and bad.quotePrefix
    assert ws["E2"].data_type == "n"  # amounts stay numbers
