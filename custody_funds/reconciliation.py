"""Finance's day: the receipts of a day or a range across cases (到账日报) with their
totals, and the reconciliation of the custody account against the bank's statement
(对账). Reads only: nothing here writes, so a bad statement changes nothing.

The statement (docs/bank-statement-sample.csv, docs/api-notes.md "Reconciliation") is
a CSV or Excel sheet whose first row names the columns 交易日期, 金额, 流水号, 对方户名
(date, amount, reference, counterparty). A positive amount is money in (a receipt), a
negative one money out (a payment). Amounts are parsed as ``Decimal``, never float."""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from core.calendar import local_date
from core.exceptions import ValidationFailed
from core.models import Court, User
from custody_funds import selectors
from custody_funds.models import Disbursement, Receipt, ReceiptStatus

MAX_DAYS = 92  # a quarter: the range of one report or one statement
MAX_STATEMENT_BYTES = 5 * 1024 * 1024
MAX_STATEMENT_LINES = 20_000
CENT = Decimal("0.01")

# --- the period -------------------------------------------------------------------------------


def _date(value: str | None, name: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed.for_field(name, _("日期格式应为 YYYY-MM-DD。")) from None


def period_parse(start: str | None, end: str | None) -> tuple[dt.date, dt.date]:
    """``from``/``to`` of a request: today when both are missing, one day when only
    ``from`` is given; at most ``MAX_DAYS`` days, ``to`` not before ``from``."""
    first = _date(start, "from")
    last = _date(end, "to")
    today = timezone.localdate()
    first = first or last or today
    last = last or first
    if last < first:
        raise ValidationFailed.for_field("to", _("结束日期不能早于开始日期。"))
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed.for_field("to", _("一次最多查询 %(n)s 天。") % {"n": MAX_DAYS})
    return first, last


# --- the receipts of a day --------------------------------------------------------------------


@dataclass
class DayTotals:
    day: dt.date | None  # None: the whole period
    received: Decimal = Decimal(0)
    matched: Decimal = Decimal(0)
    unidentified: Decimal = Decimal(0)
    paid: Decimal = Decimal(0)
    receipts: int = 0
    payments: int = 0

    def add_receipt(self, receipt: Receipt) -> None:
        self.received += receipt.amount
        self.receipts += 1
        if receipt.status == ReceiptStatus.MATCHED:
            self.matched += receipt.amount
        else:
            self.unidentified += receipt.amount

    def add_payment(self, payment: Disbursement) -> None:
        self.paid += payment.amount
        self.payments += 1


@dataclass
class ReceiptsReport:
    """What arrived on ``start``..``end`` (received: every receipt; matched: those now on
    a case; unidentified: those still 不明款) and what was paid out on those days."""

    start: dt.date
    end: dt.date
    court: Court | None
    receipts: list[Receipt]
    payments: list[Disbursement]
    total: DayTotals
    days: list[DayTotals]


def receipts_report(
    user: User, start: dt.date, end: dt.date, *, court: Court | None = None
) -> ReceiptsReport:
    """Two queries, whatever the number of receipts (scoped by ``selectors``)."""
    receipts = list(selectors.receipts_between(user, start, end, court=court))
    payments = list(selectors.payments_between(user, start, end, court=court))
    total = DayTotals(None)
    by_day: dict[dt.date, DayTotals] = {}
    for receipt in receipts:
        total.add_receipt(receipt)
        day = local_date(receipt.arrived_at)
        by_day.setdefault(day, DayTotals(day)).add_receipt(receipt)
    for payment in payments:
        assert payment.paid_at is not None  # selected as paid
        total.add_payment(payment)
        day = local_date(payment.paid_at)
        by_day.setdefault(day, DayTotals(day)).add_payment(payment)
    return ReceiptsReport(start, end, court, receipts, payments, total, [by_day[d] for d in sorted(by_day)])


# --- the bank's statement --------------------------------------------------------------------

# column → the header names accepted for it (Chinese as the banks print them, or English)
COLUMNS: dict[str, tuple[str, ...]] = {
    "date": ("交易日期", "日期", "date"),
    "amount": ("金额", "交易金额", "amount"),
    "reference": ("流水号", "交易流水号", "银行流水号", "reference"),
    "counterparty": ("对方户名", "对方名称", "counterparty"),
}
COLUMN_LABELS = {"date": "交易日期", "amount": "金额", "reference": "流水号", "counterparty": "对方户名"}


@dataclass(frozen=True)
class StatementLine:
    row: int  # the row of the file (the header is row 1)
    date: dt.date
    amount: Decimal  # + money in, − money out
    reference: str
    counterparty: str


def _refuse(message: Any, *, row: int | None = None, column: str | None = None) -> ValidationFailed:
    extra: dict[str, Any] = {"fields": {"file": [str(message)]}}
    if row is not None:
        extra["row"] = row
    if column is not None:
        extra["column"] = COLUMN_LABELS[column]
    return ValidationFailed(message, code="statement_invalid", extra=extra)


def _rows_of(name: str, content: bytes) -> list[list[Any]]:
    if not content:
        raise _refuse(_("对账单文件是空的。"))
    if len(content) > MAX_STATEMENT_BYTES:
        raise _refuse(_("对账单文件超过 5 MB。"))
    lower = name.lower()
    if lower.endswith(".xlsx"):
        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
            return [list(r) for r in sheet.iter_rows(values_only=True, max_row=MAX_STATEMENT_LINES + 2)]
        except Exception:  # any unreadable workbook (zip, XML, sheet) is the same refusal
            raise _refuse(_("无法读取 Excel 文件，请上传 .xlsx 格式的对账单。")) from None
    if lower.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):  # the banks' exports are UTF-8 or GBK
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise _refuse(_("无法识别 CSV 文件的编码，请以 UTF-8 或 GBK 保存。"))
        if "\x00" in text:
            raise _refuse(_("CSV 文件含有无法识别的字符。"))
        return [list(r) for r in csv.reader(io.StringIO(text))]
    raise _refuse(_("对账单须为 .csv 或 .xlsx 文件。"))


def _header(row: list[Any]) -> dict[str, int]:
    names = [str(c or "").strip().lower() for c in row]
    found: dict[str, int] = {}
    for key, accepted in COLUMNS.items():
        for i, text in enumerate(names):
            if text in accepted:
                found[key] = i
                break
    missing = [COLUMN_LABELS[k] for k in COLUMNS if k not in found]
    if missing:
        raise _refuse(
            _("第 1 行（表头）缺少列：%(c)s。表头应为：交易日期、金额、流水号、对方户名。")
            % {"c": "、".join(missing)},
            row=1,
        )
    return found


def _cell_date(value: Any, row: int) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.strptime(text, "%Y%m%d").date()  # noqa: DTZ007 - a date, no time
    except ValueError:
        raise _refuse(
            _("第 %(r)s 行“交易日期”列的“%(v)s”不是日期（应为 2026-11-21）。") % {"r": row, "v": text[:20]},
            row=row,
            column="date",
        ) from None


def _cell_amount(value: Any, row: int) -> Decimal:
    if isinstance(value, float):
        # Excel keeps numbers as binary floats: read the shortest decimal that prints as it
        text = repr(value)
    else:
        text = str(value or "").strip().replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise _refuse(
            _("第 %(r)s 行“金额”列的“%(v)s”不是金额。") % {"r": row, "v": text[:20]}, row=row, column="amount"
        )
    if amount == 0:
        raise _refuse(_("第 %(r)s 行“金额”列为零。") % {"r": row}, row=row, column="amount")
    if amount != amount.quantize(CENT) or abs(amount) >= Decimal("1e14"):
        raise _refuse(
            _("第 %(r)s 行“金额”列最多两位小数、不超过 14 位整数。") % {"r": row}, row=row, column="amount"
        )
    return amount.quantize(CENT)


def statement_parse(name: str, content: bytes) -> list[StatementLine]:
    """The lines of the bank's statement, or ``ValidationFailed`` (``statement_invalid``)
    naming the row and the column of the first mistake."""
    rows = [r for r in _rows_of(name, content)]
    while rows and not any(str(c or "").strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise _refuse(_("对账单文件是空的。"))
    columns = _header(rows[0])
    if len(rows) - 1 > MAX_STATEMENT_LINES:
        raise _refuse(_("对账单最多 %(n)s 行，请按月分开上传。") % {"n": MAX_STATEMENT_LINES})
    lines: list[StatementLine] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(str(c or "").strip() for c in row):
            continue

        def cell(key: str, row: list[Any] = row) -> Any:
            index = columns[key]
            return row[index] if index < len(row) else None

        reference = str(cell("reference") or "").strip()
        if not reference:
            raise _refuse(_("第 %(r)s 行“流水号”列为空。") % {"r": number}, row=number, column="reference")
        if len(reference) > 64:
            raise _refuse(
                _("第 %(r)s 行“流水号”列超过 64 个字符。") % {"r": number}, row=number, column="reference"
            )
        if reference in seen:
            raise _refuse(
                _("第 %(r)s 行的流水号 %(ref)s 与第 %(first)s 行重复。")
                % {"r": number, "ref": reference, "first": seen[reference]},
                row=number,
                column="reference",
            )
        seen[reference] = number
        lines.append(
            StatementLine(
                row=number,
                date=_cell_date(cell("date"), number),
                amount=_cell_amount(cell("amount"), number),
                reference=reference,
                counterparty=str(cell("counterparty") or "").strip()[:100],
            )
        )
    if not lines:
        raise _refuse(_("对账单除表头外没有数据行。"))
    return lines


# --- reconciliation ----------------------------------------------------------------------------

MATCHED, BANK_ONLY, RECORDED_ONLY, AMOUNT_DIFFERS = "matched", "bank_only", "recorded_only", "amount_differs"
CATEGORY_LABELS = {
    MATCHED: _("一致"),
    BANK_ONLY: _("银行有、系统未登记"),
    RECORDED_ONLY: _("系统已登记、银行无"),
    AMOUNT_DIFFERS: _("金额不一致"),
}


@dataclass
class ReconLine:
    category: str
    reference: str
    direction: str  # "in" (到账) | "out" (发放)
    bank: StatementLine | None = None
    receipt: Receipt | None = None
    payment: Disbursement | None = None

    @property
    def recorded_amount(self) -> Decimal | None:
        if self.receipt is not None:
            return self.receipt.amount
        if self.payment is not None:
            return -self.payment.amount
        return None

    @property
    def recorded_date(self) -> dt.date | None:
        if self.receipt is not None:
            return local_date(self.receipt.arrived_at)
        if self.payment is not None and self.payment.paid_at is not None:
            return local_date(self.payment.paid_at)
        return None

    @property
    def difference(self) -> Decimal | None:
        recorded = self.recorded_amount
        return None if self.bank is None or recorded is None else self.bank.amount - recorded

    @property
    def label(self) -> str:
        return str(CATEGORY_LABELS[self.category])


@dataclass
class Reconciliation:
    court: Court
    start: dt.date
    end: dt.date
    lines: list[ReconLine] = field(default_factory=list)

    def count(self, category: str) -> int:
        return sum(1 for line in self.lines if line.category == category)

    @property
    def summary(self) -> dict[str, int]:
        return {c: self.count(c) for c in CATEGORY_LABELS}

    @property
    def balanced(self) -> bool:
        return all(line.category == MATCHED for line in self.lines)


def reconcile(
    user: User, court: Court, start: dt.date, end: dt.date, statement: list[StatementLine]
) -> Reconciliation:
    """Line by line, by the bank's reference: money in against the receipts recorded
    at ``court`` (to the bank's reference), money out against the payments' 付款流水号.
    The recorded side is what arrived or was paid on ``start``..``end``; a bank line
    outside the period still finds its record (the statement decides what it covers)."""
    receipts = {r.reference: r for r in selectors.receipts_between(user, start, end, court=court)}
    payments = {p.bank_reference: p for p in selectors.payments_between(user, start, end, court=court)}
    # references of the statement recorded outside the period (a day's shift at the bank)
    wanted_in = [s.reference for s in statement if s.amount > 0 and s.reference not in receipts]
    wanted_out = [s.reference for s in statement if s.amount < 0 and s.reference not in payments]
    receipts.update(selectors.receipts_by_reference(user, court, wanted_in))
    payments.update(selectors.payments_by_reference(user, court, wanted_out))
    result = Reconciliation(court, start, end)
    for line in statement:
        direction = "in" if line.amount > 0 else "out"
        record = (
            receipts.pop(line.reference, None) if direction == "in" else payments.pop(line.reference, None)
        )
        if record is None:
            result.lines.append(ReconLine(BANK_ONLY, line.reference, direction, bank=line))
            continue
        recorded = record.amount if direction == "in" else -record.amount
        category = MATCHED if recorded == line.amount else AMOUNT_DIFFERS
        if direction == "in":
            result.lines.append(ReconLine(category, line.reference, direction, bank=line, receipt=record))  # type: ignore[arg-type]
        else:
            result.lines.append(ReconLine(category, line.reference, direction, bank=line, payment=record))  # type: ignore[arg-type]
    for receipt in receipts.values():
        if start <= local_date(receipt.arrived_at) <= end:
            result.lines.append(ReconLine(RECORDED_ONLY, receipt.reference, "in", receipt=receipt))
    for payment in payments.values():
        if payment.paid_at is not None and start <= local_date(payment.paid_at) <= end:
            result.lines.append(ReconLine(RECORDED_ONLY, payment.bank_reference, "out", payment=payment))
    return result
