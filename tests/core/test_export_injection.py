"""Issue 17: every Excel export writes a formula-looking text as quoted text (OWASP
formula injection), through the one helper ``core.exports.safe_cell``."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

import dualcheck.exports  # noqa: F401  (registers its exporters)
import supervision.exports  # noqa: F401
from core.exports import build_workbook, registered, safe_cell, safe_text

PAYLOAD = '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (PAYLOAD, "'" + PAYLOAD),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("张三", "张三"),
        ("(2026)鲁0102执1号", "(2026)鲁0102执1号"),
    ],
)
def test_safe_text_prefixes_only_what_a_spreadsheet_would_evaluate(text, expected):
    assert safe_text(text) == expected


def test_safe_cell_keeps_numbers_and_dates_typed_and_quotes_formula_text():
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            safe_cell(ws, PAYLOAD),
            safe_cell(ws, Decimal("-12.50"), "#,##0.00"),
            safe_cell(ws, dt.date(2026, 10, 12), "yyyy-mm-dd"),
            safe_cell(ws, -3),
        ]
    )
    buffer = io.BytesIO()
    wb.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    a, b, c, d = sheet[1]
    assert (a.value, a.data_type, a.quotePrefix) == ("'" + PAYLOAD, "s", True)
    assert b.value == -12.5 and b.data_type == "n" and b.number_format == "#,##0.00"
    assert c.value == dt.datetime(2026, 10, 12) and c.is_date
    assert d.value == -3 and d.data_type == "n"


@pytest.mark.parametrize("key", sorted(registered()))
def test_every_registered_exporter_writes_a_formula_party_name_as_text(key):
    exporter = registered()[key]
    width = len(exporter.column_list)
    content, written, _ = build_workbook(exporter, [[PAYLOAD] * width], title="t")
    assert written == 1
    sheet = load_workbook(io.BytesIO(content)).active
    for cell in sheet[2]:
        assert cell.data_type == "s" and cell.value == "'" + PAYLOAD, (key, cell.coordinate)
        assert cell.quotePrefix
