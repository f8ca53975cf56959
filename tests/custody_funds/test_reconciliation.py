"""对账: the bank's statement against the recorded receipts and payments, line by line
(一致 / 银行有、系统未登记 / 系统已登记、银行无 / 金额不一致); bad files refused naming
the row and the column, changing nothing; and the 对账表 export (per-day totals, lines)."""

import base64
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from core.exports import build_workbook
from custody_funds import reconciliation
from custody_funds.exports import RECONCILIATION_EXPORTER, reconciliation_rows
from custody_funds.models import Receipt
from custody_funds.services import funds
from tests.conftest import at
from tests.custody_funds.factories import notified, receive, stray

HEADER = "交易日期,金额,流水号,对方户名\n"

@pytest.fixture
def today() -> dt.date:
    """This module's world is written against 2026-11-21 (the suite's default today):
    receipts on the 19th and 20th, a payment made "today". It moves there itself, so
    the run on another day (TEST_TODAY) checks the same thing."""
    return dt.date(2026, 11, 21)


pytestmark = pytest.mark.time_machine(at("2026-11-21 10:00"))



@pytest.fixture
def recorded(courts, case, handler, bureau_head, finance):
    """At 鲁0102: receipts B-1 (30000), B-2 (500), B-3 (200, not in the bank) on 20 Nov;
    payment PAY-1 (1000) paid today (21 Nov)."""
    receive(case, finance, "30000.00", "B-1", when="2026-11-20 09:00")
    receive(case, finance, "500.00", "B-2", when="2026-11-20 10:00")
    stray(courts.lu0102, finance, "200.00", "B-3", "2026-11-20 11:00")
    d = notified(case, handler, bureau_head, "1000.00")
    funds.disbursement_pay(actor=finance, disbursement=d, bank_reference="PAY-1")
    return case


STATEMENT = HEADER + (
    "2026-11-20,30000.00,B-1,某某公司\n"
    '2026/11/20,"5,00.00",B-2,李某\n'  # 500.00 written with a stray thousands separator
    "2026-11-20,999.00,B-9,不明来源\n"
    "2026-11-21,-1000.00,PAY-1,张三\n"
)


def _reconcile(finance, courts, today, text=STATEMENT, name="s.csv"):
    lines = reconciliation.statement_parse(name, text.encode())
    return reconciliation.reconcile(finance, courts.lu0102, today.replace(day=20), today, lines)


def test_each_line_gets_its_category(recorded, finance, courts, today):
    result = _reconcile(finance, courts, today)
    by_ref = {(line.reference, line.category) for line in result.lines}
    assert by_ref == {
        ("B-1", "matched"),
        ("B-2", "matched"),
        ("B-9", "bank_only"),
        ("PAY-1", "matched"),
        ("B-3", "recorded_only"),
    }
    assert result.summary == {"matched": 3, "bank_only": 1, "recorded_only": 1, "amount_differs": 0}
    assert not result.balanced


def test_amount_differs_names_the_difference(recorded, finance, courts, today):
    text = HEADER + "2026-11-20,30000.10,B-1,某某公司\n2026-11-21,-900.00,PAY-1,张三\n"
    result = _reconcile(finance, courts, today, text)
    differs = {line.reference: line.difference for line in result.lines if line.category == "amount_differs"}
    assert differs == {"B-1": Decimal("0.10"), "PAY-1": Decimal("100.00")}
    assert all(isinstance(v, Decimal) for v in differs.values())


def test_a_receipt_recorded_the_day_before_the_period_still_matches(recorded, case, finance, courts, today):
    receive(case, finance, "70.00", "B-0", when="2026-11-19 23:50")
    text = HEADER + "2026-11-20,70.00,B-0,某某\n"
    result = _reconcile(finance, courts, today, text)
    assert ("B-0", "matched") in {(line.reference, line.category) for line in result.lines}


def test_another_courts_receipt_is_bank_only(recorded, finance, courts, today, clerk):
    from core.models import Role
    from tests.core.factories import make_member

    other = make_member(Role.FINANCE, courts.lu0103, "fin_0103")
    stray(courts.lu0103, other, "5.00", "B-OTHER", "2026-11-20 09:00")
    result = _reconcile(finance, courts, today, HEADER + "2026-11-20,5.00,B-OTHER,某\n")
    assert ("B-OTHER", "bank_only") in {(line.reference, line.category) for line in result.lines}


def test_an_excel_statement_is_read_as_decimal(recorded, finance, courts, today):
    wb = Workbook()
    ws = wb.active
    ws.append(["交易日期", "金额", "流水号", "对方户名"])
    ws.append([at("2026-11-20 00:00").replace(tzinfo=None), 30000.0, "B-1", "某某公司"])
    ws.append(["2026-11-20", 12.345, "B-8", "三位小数"])  # a cent has two places
    buffer = io.BytesIO()
    wb.save(buffer)
    with pytest.raises(Exception) as refused:
        reconciliation.statement_parse("s.xlsx", buffer.getvalue())
    assert refused.value.extra["row"] == 3 and refused.value.extra["column"] == "金额"
    ws.delete_rows(3)
    buffer = io.BytesIO()
    wb.save(buffer)
    lines = reconciliation.statement_parse("s.xlsx", buffer.getvalue())
    assert lines[0].amount == Decimal("30000.00") and isinstance(lines[0].amount, Decimal)


@pytest.mark.parametrize(
    ("name", "content", "row", "column", "words"),
    [
        ("s.csv", HEADER + "2026-11-20,abc,B-1,某\n", 2, "金额", "不是金额"),
        ("s.csv", HEADER + "2026-11-20,1.00,B-1,某\n2026-13-40,2.00,B-2,某\n", 3, "交易日期", "不是日期"),
        ("s.csv", HEADER + "2026-11-20,1.00,,某\n", 2, "流水号", "为空"),
        ("s.csv", HEADER + "2026-11-20,1.00,B-1,某\n2026-11-20,2.00,B-1,某\n", 3, "流水号", "重复"),
        ("s.csv", HEADER + "2026-11-20,0,B-1,某\n", 2, "金额", "为零"),
        ("s.csv", HEADER + "2026-11-20,1.005,B-1,某\n", 2, "金额", "两位小数"),
        ("s.csv", "日期,金额,对方户名\n2026-11-20,1.00,某\n", 1, None, "流水号"),
    ],
)
def test_bad_statements_name_the_row_and_column(name, content, row, column, words):
    with pytest.raises(Exception) as refused:
        reconciliation.statement_parse(name, content.encode())
    exc = refused.value
    assert exc.code == "statement_invalid" and exc.status_code == 400
    assert exc.extra["row"] == row and exc.extra.get("column") == column
    assert f"第 {row} 行" in str(exc.message) and words in str(exc.message)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("s.csv", b"", "空"),
        ("s.pdf", b"%PDF-1.4", ".csv 或 .xlsx"),
        ("s.xlsx", b"not a zip", "无法读取 Excel"),
        ("s.csv", HEADER.encode(), "没有数据行"),
        ("s.csv", b"\xff\xfe\x00\x00garbage\x81", "编码"),
    ],
)
def test_unreadable_files_are_refused_in_chinese(name, content, words):
    with pytest.raises(Exception) as refused:
        reconciliation.statement_parse(name, content)
    assert refused.value.code == "statement_invalid" and words in str(refused.value.message)


def test_rest_reconciliation(recorded, finance, as_user):
    r = as_user(finance).post(
        "/api/v1/funds/reconciliation/",
        {
            "court": "鲁0102",
            "from": "2026-11-20",
            "to": "2026-11-21",
            "filename": "s.csv",
            "content_base64": base64.b64encode(STATEMENT.encode()).decode(),
        },
        format="json",
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["summary"] == {"matched": 3, "bank_only": 1, "recorded_only": 1, "amount_differs": 0}
    assert body["from"] == "2026-11-20" and body["balanced"] is False
    pay = next(line for line in body["lines"] if line["reference"] == "PAY-1")
    assert (pay["bank_amount"], pay["recorded_amount"], pay["direction"]) == ("-1000.00", "-1000.00", "out")
    b9 = next(line for line in body["lines"] if line["reference"] == "B-9")
    assert (b9["category"], b9["row"], b9["recorded_amount"]) == ("bank_only", 4, None)


def test_rest_content_that_is_not_base64_is_a_400(recorded, finance, as_user):
    r = as_user(finance).post(
        "/api/v1/funds/reconciliation/",
        {"court": "鲁0102", "filename": "s.csv", "content_base64": "不是base64"},
        format="json",
    )
    assert r.status_code == 400 and "content_base64" in r.json()["extra"]["fields"]


def test_rest_bad_file_is_a_400_naming_row_and_column_and_changes_nothing(recorded, finance, as_user):
    before = list(Receipt.objects.values_list("pk", "status", "case_id"))
    r = as_user(finance).post(
        "/api/v1/funds/reconciliation/",
        {
            "court": "鲁0102",
            "from": "2026-11-20",
            "filename": "s.csv",
            "content_base64": base64.b64encode((HEADER + "2026-11-20,一百,B-1,某\n").encode()).decode(),
        },
        format="json",
    )
    assert r.status_code == 400
    body = r.json()
    assert (
        body["code"] == "statement_invalid"
        and body["extra"]["row"] == 2
        and body["extra"]["column"] == "金额"
    )
    assert "第 2 行" in body["message"]
    assert list(Receipt.objects.values_list("pk", "status", "case_id")) == before


def test_rest_another_branchs_court_is_refused(recorded, finance, as_user):
    r = as_user(finance).post(
        "/api/v1/funds/reconciliation/",
        {
            "court": "鲁0202",
            "filename": "s.csv",
            "content_base64": base64.b64encode(STATEMENT.encode()).decode(),
        },
        format="json",
    )
    assert r.status_code == 400 and "court" in r.json()["extra"]["fields"]


def test_page_upload_shows_every_line(recorded, finance, client):
    client.force_login(finance)
    upload = SimpleUploadedFile("s.csv", STATEMENT.encode(), content_type="text/csv")
    r = client.post(
        "/funds/reconciliation/",
        {"court": "鲁0102", "from": "2026-11-20", "to": "2026-11-21", "file": upload},
    )
    html = r.content.decode()
    assert r.status_code == 200
    assert 'data-category="bank_only" data-reference="B-9"' in html
    assert 'data-category="recorded_only" data-reference="B-3"' in html
    assert "银行有、系统未登记" in html


def test_page_bad_file_error_next_to_the_file_input(recorded, finance, client):
    client.force_login(finance)
    upload = SimpleUploadedFile(
        "s.csv", (HEADER + "2026-11-20,abc,B-1,某\n").encode(), content_type="text/csv"
    )
    r = client.post(
        "/funds/reconciliation/",
        {"court": "鲁0102", "from": "2026-11-20", "to": "2026-11-21", "file": upload},
    )
    assert r.status_code == 422
    html = r.content.decode()
    field = html[html.index('data-field="file"') :]
    assert "第 2 行“金额”列" in field[: field.index("</div>")]


def test_export_has_per_day_totals_and_the_lines(recorded, finance, as_user):
    rows = list(reconciliation_rows(finance, {"from": "2026-11-20", "to": "2026-11-21", "court": ""}))
    kinds = [(r[1], r[4]) for r in rows]
    assert kinds == [
        ("当日合计", ""),
        ("到账", "B-1"),
        ("到账", "B-2"),
        ("到账", "B-3"),
        ("当日合计", ""),
        ("发放", "PAY-1"),
        ("合计", ""),
    ]
    assert rows[0][8:] == [Decimal("30700.00"), Decimal("30500.00"), Decimal("200.00"), Decimal(0)]
    assert rows[-1][8:] == [Decimal("30700.00"), Decimal("30500.00"), Decimal("200.00"), Decimal("1000.00")]
    r = as_user(finance).get(
        "/api/v1/funds/reconciliation/export/", {"from": "2026-11-20", "to": "2026-11-21"}
    )
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    values = [[c.value for c in row] for row in ws.iter_rows()]
    assert values[0][:3] == ["日期", "类别", "时间"]
    assert values[-1][1] == "合计" and values[-1][11] == 1000


def test_export_cells_are_safe(recorded, case, finance):
    receive(case, finance, "1.00", "=HYPERLINK(1)", when="2026-11-20 12:00", payer="=cmd|' /C calc'!A0")
    content, _n, _t = build_workbook(
        RECONCILIATION_EXPORTER,
        reconciliation_rows(finance, {"from": "2026-11-20", "to": "2026-11-20", "court": ""}),
        title="t",
    )
    texts = [c.value for row in load_workbook(io.BytesIO(content)).worksheets[0].iter_rows() for c in row]
    assert "'=cmd|' /C calc'!A0" in texts and "'=HYPERLINK(1)" in texts
