"""Excel exports (openpyxl) of a case's ledger and of a court's funds held.
Personal account numbers are masked, as everywhere."""

import io
from decimal import Decimal

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.exports import safe_cell
from custody_funds import selectors
from custody_funds.models import LedgerAccount

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")


def _sheet(wb: Workbook, title: str, headers: list[str], rows, widths: list[int]):
    ws = wb.active
    ws.title = title
    ws.append(headers)
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
    for row in rows:
        ws.append([safe_cell(ws, value) for value in row])
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    return ws


def _bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def case_ledger_xlsx(account: LedgerAccount) -> bytes:
    wb = Workbook()
    legs = selectors.ledger_legs(account)
    running = Decimal(0)
    rows = []
    for leg in legs:
        running += leg.amount
        rows.append([
            leg.posting_id,
            timezone.localtime(leg.posting.created_at).strftime("%Y-%m-%d %H:%M"),
            leg.posting.kind,
            leg.posting.memo,
            float(leg.amount),
            float(running),
        ])
    ws = _sheet(wb, "案款明细", ["凭证号", "记账时间", "类型", "摘要", "金额（元）", "余额（元）"], rows, [10, 18, 18, 40, 14, 14])
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=6):
        for cell in row:
            cell.number_format = "#,##0.00"
    ws.append([])
    case_number = account.case.case_number if account.case else ""
    ws.append([safe_cell(ws, value) for value in ["案号", case_number, "账号", account.number]])
    balances = [
        "余额", float(account.balance), "待发放", float(account.pending), "可用", float(account.available),
    ]
    # the totals are amounts too: grouped thousands, two places, as in the rows above
    ws.append([safe_cell(ws, value, None if isinstance(value, str) else "#,##0.00") for value in balances])
    return _bytes(wb)


def funds_held_xlsx(accounts) -> bytes:
    """Case accounts holding money, with the oldest matched receipt and whether its
    10-working-day notice clock is still running."""
    wb = Workbook()
    accounts = selectors.accounts_holding_money(accounts)
    today = timezone.localdate()
    rows = []
    for a in accounts:
        oldest = timezone.localtime(a.oldest).date() if a.oldest else None
        rows.append([
            a.court.code,
            a.case.case_number,
            a.number,
            float(a.balance),
            float(a.pending),
            float(a.available),
            oldest.isoformat() if oldest else "",
            (today - oldest).days if oldest else "",
        ])
    ws = _sheet(
        wb, "在账案款", ["法院", "案号", "案款账号", "余额（元）", "待发放（元）", "可用（元）", "最早到账", "在账天数"],
        rows, [10, 26, 18, 14, 14, 14, 12, 10],
    )
    for row in ws.iter_rows(min_row=2, min_col=4, max_col=6):
        for cell in row:
            cell.number_format = "#,##0.00"
    return _bytes(wb)


