"""One way of printing money everywhere (issue 16): ¥1,234,567.89 on every page through
``{{ amount|money }}`` and ``#,##0.00`` in every Excel money column, whether the amount
arrives as a Decimal or as the text of a JSON figure."""

import io
from decimal import Decimal

import pytest
from django.template import Context, Template
from openpyxl import load_workbook

from core.exports import Column, Exporter, build_workbook
from core.money import money_text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("1234567.89"), "1,234,567.89"),
        ("1234567.89", "1,234,567.89"),  # a dashboard's JSON figure
        (Decimal("100000"), "100,000.00"),
        (Decimal("999.5"), "999.50"),
        (Decimal("0"), "0.00"),
        (Decimal("-1234.5"), "-1,234.50"),
        (12345678901234, "12,345,678,901,234.00"),
        (None, ""),
        ("", ""),
        ("不详", "不详"),  # not an amount: as typed, never an error
    ],
)
def test_money_text(value, text):
    assert money_text(value) == text


def test_the_money_filter_in_a_template():
    template = Template("{% load money %}¥{{ a|money }} / {{ b|money }} / {{ c|money|default:'—' }}")
    assert template.render(Context({"a": Decimal("1234567.89"), "b": "50000", "c": None})) == (
        "¥1,234,567.89 / 50,000.00 / —"
    )


def _rows(user, params):
    return [
        ("(2026)鲁0102执1号", Decimal("1234567.89"), "2500000.5", 12345),
        ("(2026)鲁0102执2号", None, "不详", "7"),
    ]


MONEY_SHEET = Exporter(
    key="tests.money_sheet",
    title="金额",
    columns=[
        Column("案号", 22),
        Column("标的（元）", 14, "money"),
        Column("已发放（元）", 14, "money"),
        Column("件数", 8, "int"),
    ],
    rows=_rows,
)


def test_every_money_column_of_an_export_groups_the_thousands():
    content, written, truncated = build_workbook(MONEY_SHEET, _rows(None, {}), title="金额")
    ws = load_workbook(io.BytesIO(content)).active
    assert (written, truncated) == (2, False)
    first, second = ws[2], ws[3]
    assert (first[1].value, first[1].number_format) == (1234567.89, "#,##0.00")
    # a figure handed over as text is written as a number, so the format applies to it too
    assert (first[2].value, first[2].number_format) == (2500000.5, "#,##0.00")
    assert (first[3].value, first[3].number_format) == (12345, "#,##0")
    assert (second[3].value, second[3].number_format) == (7, "#,##0")
    # text that is not a number stays text; nothing is an empty amount
    assert (second[1].value, second[2].value, second[2].data_type) == (None, "不详", "s")
