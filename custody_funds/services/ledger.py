"""The double-entry ledger: account numbers, posting, pending reservations.

Every balance change happens in ``post`` or ``reserve``: the accounts involved are
locked in ascending id order (no deadlock between two postings touching the same
accounts), balances move by guarded ``UPDATE``s, and the database's CHECK
constraints refuse anything that would take a case account below zero."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.exceptions import RuleViolation, ValidationFailed
from core.models import Court, User
from core.services.bulk import rows_insert
from custody_funds.models import AccountKind, LedgerAccount, Posting, PostingLeg

CENT = Decimal("0.01")


# --- account numbers: 15 digits, Damm check digit -------------------------------------

# Damm's totally anti-symmetric quasigroup: the check digit catches every single-digit
# error and every swap of two neighbouring digits (Luhn misses 09 ↔ 90).
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)


def _damm(digits: str) -> int:
    interim = 0
    for char in digits:
        interim = _DAMM[interim][int(char)]
    return interim


def check_digit(body: str) -> str:
    return str(_damm(body))


def account_number_for(*, court_id: int, case_id: int) -> str:
    """``CCCCC`` court + ``NNNNNNNNN`` case + Damm check digit: a mistyped digit or
    two swapped neighbours on a bank transfer fail the check, and the receipt waits
    as unidentified instead of landing on another case."""
    body = f"{court_id:05d}{case_id:09d}"
    return body + check_digit(body)


def account_number_valid(number: str) -> bool:
    return len(number) == 15 and number.isdigit() and _damm(number) == 0


# --- accounts ---------------------------------------------------------------------


def court_account(court: Court, kind: str) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(court=court, kind=kind, case=None)
    return account


@transaction.atomic
def fund_account_open(*, case) -> LedgerAccount:
    """Every case gets exactly one account when it is registered."""
    existing = LedgerAccount.objects.filter(case=case).first()
    if existing is not None:
        return existing
    return LedgerAccount.objects.create(**_case_account_fields(case))


def _case_account_fields(case) -> dict:
    return {
        "kind": AccountKind.CASE,
        "court_id": case.court_id,
        "case": case,
        "number": account_number_for(court_id=case.court_id, case_id=case.pk),
    }


def fund_accounts_open(*, cases) -> list[LedgerAccount]:
    """The accounts of cases registered in bulk (all new: none has one yet), in one
    set write (``rows_insert``). Each number is derived from the case's own id (``account_number_for``),
    so numbers allocated in parallel never collide; the unique constraints on
    ``number`` and ``case`` refuse a second account all the same."""
    return list(rows_insert([LedgerAccount(**_case_account_fields(case)) for case in cases]))


def _money(amount: Decimal) -> Decimal:
    if amount != amount.quantize(CENT):
        raise ValidationFailed.for_field("amount", _("金额最多两位小数。"))
    return amount


# --- posting --------------------------------------------------------------------


def _insufficient(account: LedgerAccount) -> RuleViolation:
    fresh = LedgerAccount.objects.get(pk=account.pk)
    return RuleViolation(
        _("案款账户可用余额不足（余额 %(b)s 元，已预留 %(p)s 元）。") % {"b": fresh.balance, "p": fresh.pending},
        code="insufficient_balance",
        extra={"balance": str(fresh.balance), "pending": str(fresh.pending), "available": str(fresh.available)},
    )


# Balances are MONEY columns (max_digits=16, decimal_places=2): |balance| < 10^14.
BALANCE_LIMIT = Decimal(10) ** 14


@transaction.atomic
def post(
    *,
    key: str,
    kind: str,
    legs: Iterable[tuple[LedgerAccount, Decimal]],
    actor: User | None = None,
    case=None,
    memo: str = "",
    reverses: Posting | None = None,
    release_pending: dict[int, Decimal] | None = None,
) -> Posting:
    """Write one balanced posting. The same ``key`` twice returns the first posting
    and changes nothing. ``release_pending`` (account id → amount) frees reserved
    amounts in the same step (a paid disbursement stops being pending)."""
    existing = Posting.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    legs = [(account, _money(amount)) for account, amount in legs]
    if sum((amount for _a, amount in legs), Decimal(0)) != 0 or any(amount == 0 for _a, amount in legs):
        raise ValueError("a posting's legs must be non-zero and sum to zero")
    release_pending = release_pending or {}
    ids = sorted({a.pk for a, _x in legs} | set(release_pending))
    locked = {a.pk: a for a in LedgerAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk")}
    for account, amount in legs:  # fixed lock order above; now: would a balance still fit?
        if abs(locked[account.pk].balance + amount) >= BALANCE_LIMIT:
            raise RuleViolation(
                _("该笔款项入账后账户余额将超出系统可记录的范围（%(limit)s 元），请核对金额。")
                % {"limit": f"{BALANCE_LIMIT:,.0f}"},
                code="amount_out_of_range",
            )
    try:
        with transaction.atomic():
            posting = Posting.objects.create(
                idempotency_key=key, kind=kind, memo=memo[:300], case=case, actor=actor, reverses=reverses
            )
            PostingLeg.objects.bulk_create(PostingLeg(posting=posting, account=a, amount=x) for a, x in legs)
            # New balances are computed here in Decimal from the locked rows, not as
            # ``F("balance") + amount`` in SQL: SQLite (the embedded default) does
            # that arithmetic in floating point (0.30 - 0.10 - 0.10 - 0.10 ≠ 0).
            balance = {pk: row.balance for pk, row in locked.items()}
            pending = {pk: row.pending for pk, row in locked.items()}
            for account, amount in legs:
                balance[account.pk] += amount
            for account_id, amount in release_pending.items():
                pending[account_id] -= amount
            for account_id in ids:
                LedgerAccount.objects.filter(pk=account_id).update(
                    balance=balance[account_id], pending=pending[account_id]
                )
    except IntegrityError as exc:
        if "case_account_never_negative" in str(exc):
            case_account = next(a for a, _x in legs if a.kind == AccountKind.CASE)
            raise _insufficient(case_account) from None
        if "idempotency_key" in str(exc):
            return Posting.objects.get(idempotency_key=key)
        raise
    return posting


@transaction.atomic
def reserve(*, account: LedgerAccount, amount: Decimal) -> None:
    """Set ``amount`` aside as pending; refused when it exceeds what is available."""
    _money(amount)
    try:
        with transaction.atomic():
            row = LedgerAccount.objects.select_for_update().get(pk=account.pk)
            LedgerAccount.objects.filter(pk=account.pk).update(pending=row.pending + amount)
    except IntegrityError as exc:
        if "case_account_never_negative" in str(exc):
            raise _insufficient(account) from None
        raise


@transaction.atomic
def release(*, account: LedgerAccount, amount: Decimal) -> None:
    row = LedgerAccount.objects.select_for_update().get(pk=account.pk)
    LedgerAccount.objects.filter(pk=account.pk).update(pending=row.pending - amount)


@transaction.atomic
def reverse(*, posting: Posting, actor: User | None, memo: str) -> Posting:
    """Undo a posting with its mirror image (postings are never edited)."""
    legs = [(leg.account, -leg.amount) for leg in posting.legs.select_related("account")]
    return post(
        key=f"reverse:{posting.pk}", kind="reversal", legs=legs, actor=actor, case=posting.case,
        memo=memo, reverses=posting,
    )
