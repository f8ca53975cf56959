"""Excel exports (openpyxl) of a case's ledger and of a court's funds held, and the
reconciliation sheet (对账表) registered with the background exports (core.exports).
Personal account numbers are masked, as everywhere."""

import io
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.exceptions import NotFound
from core.exports import Column, Exporter, build_workbook, register, safe_cell
from core.models import Court, User
from core.selectors import visible_courts
from custody_funds import reconciliation, selectors
from custody_funds.models import POSTING_LABELS, LedgerAccount, ReceiptStatus

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
            str(POSTING_LABELS.get(leg.posting.kind, leg.posting.kind)),
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




# --- 对账表: per-day totals and the lines, against the bank's statement ---------------------------

RECONCILE = "custody_funds.reconcile"


def period_court(user: User, params: Mapping[str, Any]) -> tuple[Any, Any, Court | None]:
    """``from``/``to`` (default today) and ``court`` (a code among the user's courts;
    empty: all of them) of the receipts report and the reconciliation sheet. A court
    the user does not see is 404, as any filter on a court outside the view."""
    start, end = reconciliation.period_parse(params.get("from"), params.get("to"))
    code = (params.get("court") or "").strip()
    court = None
    if code:
        court = visible_courts(user).filter(code=code).first()
        if court is None:
            raise NotFound(gettext_lazy("法院不存在或不在您的范围内。"))
    return start, end, court


def _clean(user: User, params: dict) -> dict:
    start, end, court = period_court(user, params)
    return {"from": start.isoformat(), "to": end.isoformat(), "court": court.code if court else ""}


def _describe(params: dict) -> str:
    period = params["from"] if params["from"] == params["to"] else f"{params['from']}—{params['to']}"
    return " ".join(p for p in (params.get("court", ""), period) if p)


def _money_or_none(condition: bool, amount: Decimal) -> Decimal | None:
    return amount if condition else None


def reconciliation_rows(user: User, params: dict) -> Iterable[list]:
    """Each day: its total line (received, matched, unidentified, paid), then its
    receipts and payments; the period's total last. Amounts stay Decimal."""
    start, end, court = period_court(user, params)
    report = reconciliation.receipts_report(user, start, end, court=court)
    lines: dict[Any, list[list]] = {}
    for r in report.receipts:
        day = timezone.localtime(r.arrived_at).date()
        matched = r.status == ReceiptStatus.MATCHED
        lines.setdefault(day, []).append([
            day, _("到账"), timezone.localtime(r.arrived_at).strftime("%H:%M"), r.court.name, r.reference, r.payer,
            r.case.case_number if r.case else _("不明款"), str(r.matched_by) if r.matched_by else "",
            r.amount, _money_or_none(matched, r.amount), _money_or_none(not matched, r.amount), None,
        ])
    for p in report.payments:
        assert p.paid_at is not None  # selected as paid
        day = timezone.localtime(p.paid_at).date()
        lines.setdefault(day, []).append([
            day, _("发放"), timezone.localtime(p.paid_at).strftime("%H:%M"), p.case.court.name, p.bank_reference,
            p.holder, p.case.case_number, str(p.paid_by) if p.paid_by else "", None, None, None, p.amount,
        ])
    for totals in report.days:
        yield [totals.day, _("当日合计"), "", "", "", "", "", "", totals.received, totals.matched,
               totals.unidentified, totals.paid]
        yield from lines.get(totals.day, [])
    t = report.total
    yield [None, _("合计"), "", "", "", "", "", "", t.received, t.matched, t.unidentified, t.paid]


RECONCILIATION_EXPORTER = register(
    Exporter(
        key="custody_funds.reconciliation",
        title=gettext_lazy("案款对账表"),
        columns=[
            Column(gettext_lazy("日期"), 12, "date"),
            Column(gettext_lazy("类别"), 10),
            Column(gettext_lazy("时间"), 8),
            Column(gettext_lazy("法院"), 20),
            Column(gettext_lazy("银行流水号"), 22),
            Column(gettext_lazy("付款人/收款人"), 20),
            Column(gettext_lazy("案号"), 26),
            Column(gettext_lazy("匹配人/付款经办人"), 12),
            Column(gettext_lazy("到账（元）"), 14, "money"),
            Column(gettext_lazy("已匹配（元）"), 14, "money"),
            Column(gettext_lazy("不明款（元）"), 14, "money"),
            Column(gettext_lazy("发放（元）"), 14, "money"),
        ],
        rows=reconciliation_rows,
        clean=_clean,
        permission=RECONCILE,
        describe=_describe,
    )
)


def reconciliation_xlsx(user: User, params: dict) -> tuple[bytes, str]:
    """The same sheet at once (REST): the bytes and the file's name."""
    cleaned = _clean(user, params)
    title = f"{RECONCILIATION_EXPORTER.title}（{_describe(cleaned)}）"
    content, _rows, _truncated = build_workbook(
        RECONCILIATION_EXPORTER, reconciliation_rows(user, cleaned), title=str(RECONCILIATION_EXPORTER.title)
    )
    return content, f"{title}.xlsx"
