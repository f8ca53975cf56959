"""Every read of case funds (一案一账号), scoped to the courts the acting user may see
(``core.selectors.court_scope_q``), with the ``select_related`` each page and
endpoint needs built in. ``<noun>_get_for_update`` lock the rows the services change:
the caller is inside ``transaction.atomic()`` and checks the policy after the lock."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import F, Min, Q, QuerySet, Sum, Window

from core.calendar import start_of_day
from core.models import Court, Deadline, Membership, User
from core.selectors import court_scope_q, visible_courts
from custody_funds.models import (
    AccountKind,
    Disbursement,
    DisbursementStatus,
    FundsHold,
    HoldKind,
    HoldStatus,
    LedgerAccount,
    PostingLeg,
    Receipt,
    ReceiptStatus,
)
from custody_funds.policy import RECORDERS
from enforcement.models import Case, Party, PartyRole
from enforcement.selectors import cases_search, cases_visible_to

NOTICE_RULE, PAYMENT_RULE = "FUNDS_NOTICE", "FUNDS_PAYMENT"


# --- accounts ----------------------------------------------------------------------------


def account_of(case: Case) -> LedgerAccount | None:
    """The case's account (一案一账号), or None before it is opened."""
    try:
        return case.fund_account
    except LedgerAccount.DoesNotExist:
        return None


def case_account(case: Case) -> LedgerAccount | None:
    """The case's account read afresh (the case is already visible to the caller)."""
    return LedgerAccount.objects.filter(case=case).select_related("case").first()


def case_account_get(case: Case) -> LedgerAccount:
    """The case's account; ``LedgerAccount.DoesNotExist`` before it is opened."""
    return LedgerAccount.objects.get(case=case)


def case_account_by_number(court: Court, number: str) -> LedgerAccount | None:
    """The case account a bank transfer names, within the receiving court."""
    return LedgerAccount.objects.filter(kind=AccountKind.CASE, number=number, court=court).select_related("case").first()


def accounts_visible_to(user: User, *, court_code: str | None = None) -> QuerySet[LedgerAccount]:
    accounts = LedgerAccount.objects.filter(court_scope_q(user))
    if court_code:
        accounts = accounts.filter(court__code=court_code)
    return accounts


def ledger_legs(account: LedgerAccount) -> QuerySet[PostingLeg]:
    """The account's legs, oldest first (the REST ledger and its running balance)."""
    return PostingLeg.objects.filter(account=account).select_related("posting").order_by("posting_id")


def accounts_holding_money(accounts: QuerySet[LedgerAccount]) -> QuerySet[LedgerAccount]:
    """Case accounts of ``accounts`` with a balance or a reservation, each with the
    arrival of its oldest matched receipt (``oldest``), by court then age."""
    return (
        accounts.filter(kind=AccountKind.CASE)
        .filter(Q(balance__gt=0) | Q(pending__gt=0))
        .select_related("case", "court")
        .annotate(oldest=Min("case__receipts__arrived_at", filter=Q(case__receipts__status=ReceiptStatus.MATCHED)))
        .order_by("court__path", "oldest")
    )


def ledger_legs_latest(account: LedgerAccount, limit: int) -> list[PostingLeg]:
    """The latest ``limit`` + 1 legs, newest first, each annotated with
    ``balance_after`` (a window sum over every entry of the account)."""
    return list(
        PostingLeg.objects.filter(account=account)
        .annotate(balance_after=Window(Sum("amount"), order_by=[F("posting_id").asc(), F("id").asc()]))
        .select_related("posting__actor")
        .order_by("-posting_id", "-id")[: limit + 1]
    )


# --- cases -------------------------------------------------------------------------------


def case_for_funds(user: User, case_id: int) -> Case | None:
    """A case the user sees, with its account."""
    return cases_visible_to(user).select_related("fund_account").filter(pk=case_id).first()


def case_applicants(case: Case) -> list[Party]:
    """The applicants of the case (the payees), with their confirmed payout accounts."""
    return list(case.parties.filter(role=PartyRole.APPLICANT).select_related("payout_account").order_by("pk"))


def applicant_get(case: Case, party_id: int) -> Party | None:
    """An applicant of the case (a payee), with the payout account confirmed at filing."""
    return case.parties.filter(pk=party_id, role=PartyRole.APPLICANT).select_related("payout_account").first()


def case_by_number(user: User, *, court_id: int, case_number: str) -> Case | None:
    """A visible case of ``court_id`` by its number (不明款 are matched within the
    receiving court)."""
    return cases_visible_to(user).filter(court_id=court_id, case_number=case_number).first()


def match_candidates(user: User, receipt: Receipt, text: str, limit: int) -> list[Case]:
    """Cases of the receipt's court whose number or party matches ``text``."""
    return list(
        cases_search(cases_visible_to(user).filter(court_id=receipt.court_id), text).order_by("-received_at", "-id")[:limit]
    )


def receipt_court(user: User, code: str | None) -> Court | None:
    """The court a receipt is recorded at: the one named, else the user's first."""
    courts = visible_courts(user)
    return courts.filter(code=code).first() if code else courts.first()


def cash_officers(case: Case, *, other_than: User) -> list[Membership]:
    """Memberships at the case's court of the roles that record receipts (款物规定:
    双人经手), other than ``other_than``'s."""
    return list(
        Membership.objects.filter(court=case.court, role__in=RECORDERS, revoked_at__isnull=True)
        .exclude(user=other_than).select_related("user").order_by("user__username", "role")
    )


# --- receipts ------------------------------------------------------------------------------


def receipts_visible_to(user: User) -> QuerySet[Receipt]:
    return Receipt.objects.filter(court_scope_q(user)).select_related("court", "case")


def receipt_get(user: User, pk: int) -> Receipt | None:
    return receipts_visible_to(user).filter(pk=pk).first()


def receipts_list(user: User, *, status: str | None = None, court_code: str | None = None) -> QuerySet[Receipt]:
    """The REST list: oldest arrival first."""
    qs = receipts_visible_to(user).order_by("arrived_at", "id")
    if status:
        qs = qs.filter(status=status)
    if court_code:
        qs = qs.filter(court__code=court_code)
    return qs


def case_receipts(user: User, case: Case) -> list[Receipt]:
    return list(
        receipts_visible_to(user).filter(case=case)
        .select_related("recorded_by", "second_officer", "matched_by").order_by("arrived_at", "id")
    )


def _between(field: str, start: dt.date, end: dt.date) -> Q:
    """``field`` within the local days ``start``..``end`` (Asia/Shanghai)."""
    return Q(**{f"{field}__gte": start_of_day(start), f"{field}__lt": start_of_day(end + dt.timedelta(days=1))})


def receipts_between(user: User, start: dt.date, end: dt.date, *, court: Court | None = None) -> QuerySet[Receipt]:
    """到账 of the user's courts (or of ``court``) that arrived on the local days
    ``start``..``end``, in arrival order, with the case and who matched them."""
    qs = receipts_visible_to(user).filter(_between("arrived_at", start, end))
    if court is not None:
        qs = qs.filter(court=court)
    return qs.select_related("matched_by", "recorded_by").order_by("arrived_at", "id")


def payments_between(user: User, start: dt.date, end: dt.date, *, court: Court | None = None) -> QuerySet[Disbursement]:
    """Disbursements of the user's courts (or of ``court``) paid on ``start``..``end``."""
    qs = disbursements_visible_to(user).filter(_between("paid_at", start, end), status=DisbursementStatus.PAID)
    if court is not None:
        qs = qs.filter(case__court=court)
    return qs.select_related("case__court", "paid_by").order_by("paid_at", "id")


def receipts_by_reference(user: User, court: Court, references: list[str]) -> dict[str, Receipt]:
    """The court's receipts with these bank references (对账: recorded on another day)."""
    qs = receipts_visible_to(user).filter(court=court, reference__in=references).select_related("matched_by")
    return {r.reference: r for r in qs}


def payments_by_reference(user: User, court: Court, references: list[str]) -> dict[str, Disbursement]:
    qs = disbursements_visible_to(user).filter(
        case__court=court, status=DisbursementStatus.PAID, bank_reference__in=references,
    ).select_related("case__court", "paid_by")
    return {p.bank_reference: p for p in qs}


def unidentified_for(user: User) -> QuerySet[Receipt]:
    """不明款 in the user's courts, oldest first."""
    return receipts_visible_to(user).filter(status=ReceiptStatus.UNIDENTIFIED).order_by("arrived_at", "id")


def receipt_get_for_update(pk: int) -> Receipt:
    return Receipt.objects.select_for_update().get(pk=pk)


def receipt_by_reference_for_update(court: Court, reference: str) -> Receipt | None:
    return Receipt.objects.select_for_update().filter(court=court, reference=reference).first()


def matched_receipts(case: Case) -> QuerySet[Receipt]:
    """The case's matched receipts, oldest first (the order notices cover them)."""
    return Receipt.objects.filter(case=case, status=ReceiptStatus.MATCHED).order_by("arrived_at", "pk")


# --- disbursements ----------------------------------------------------------------------------


def disbursements_visible_to(user: User) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(court_scope_q(user, field="case__court")).select_related("case", "payee", "account_change_recorded_by")


def disbursement_get(user: User, pk: int) -> Disbursement | None:
    return disbursements_visible_to(user).filter(pk=pk).first()


def disbursements_queue(user: User, *, status: str | None = None) -> QuerySet[Disbursement]:
    """Disbursements in scope, oldest notice then oldest draft first: the REST list,
    and with ``status=submitted`` the approvals queue of the page."""
    qs = disbursements_visible_to(user).order_by("notified_at", "drafted_at", "id")
    if status:
        qs = qs.filter(status=status)
    return qs


def approvals_queue(user: User, limit: int) -> tuple[list[Disbursement], list[FundsHold]]:
    """案款审批: submitted disbursements and requested 延缓发放/提存 in scope, oldest first."""
    disbursements = list(
        disbursements_queue(user, status=DisbursementStatus.SUBMITTED)
        .select_related("case__court", "drafted_by")[:limit]
    )
    holds = list(
        holds_visible_to(user).filter(status=HoldStatus.REQUESTED)
        .select_related("case__court", "requested_by").order_by("requested_at", "id")[:limit]
    )
    return disbursements, holds


def case_disbursements(user: User, case: Case) -> list[Disbursement]:
    return list(
        disbursements_visible_to(user).filter(case=case)
        .select_related("case__court", "drafted_by", "approved_by", "paid_by").order_by("-drafted_at", "-id")
    )


def payments_due_for(user: User) -> QuerySet[Disbursement]:
    """Notified disbursements of the courts the user sees, oldest notice first."""
    return (
        disbursements_visible_to(user)
        .filter(status=DisbursementStatus.NOTIFIED)
        .select_related("case__court", "approved_by")
        .order_by("notified_at", "id")
    )


def notice_disbursement(user: User, pk: int) -> Disbursement | None:
    """A disbursement whose 支付案款通知 has been sent, with all the notice shows."""
    return (
        disbursements_visible_to(user)
        .filter(pk=pk, status__in=[DisbursementStatus.NOTIFIED, DisbursementStatus.PAID])
        .select_related("case__court", "case__fund_account", "drafted_by", "approved_by", "paid_by")
        .first()
    )


def disbursement_get_for_update(pk: int) -> Disbursement:
    return Disbursement.objects.select_for_update(of=("self",)).select_related("case__court", "payee").get(pk=pk)


def disbursed_total(case: Case, statuses: Iterable[str]) -> Decimal:
    total = Disbursement.objects.filter(case=case, status__in=list(statuses)).aggregate(t=Sum("amount"))["t"]
    return total or Decimal(0)


# --- 延缓发放 and 提存 -------------------------------------------------------------------------------


def holds_visible_to(user: User) -> QuerySet[FundsHold]:
    return FundsHold.objects.filter(court_scope_q(user, field="case__court"))


def hold_get(user: User, pk: int) -> FundsHold | None:
    return holds_visible_to(user).filter(pk=pk).first()


def case_holds(case: Case) -> list[FundsHold]:
    """The holds of a case the caller already sees."""
    return list(
        FundsHold.objects.filter(case=case).select_related("case__court", "requested_by", "decided_by")
        .order_by("-requested_at", "-id")
    )


def held_total(case: Case) -> Decimal:
    """Money set aside by approved holds (disputed parts, deposits)."""
    total = FundsHold.objects.filter(case=case, status=HoldStatus.APPROVED, amount__isnull=False).aggregate(
        total=Sum("amount"))["total"]
    return total or Decimal(0)


def hold_get_for_update(pk: int) -> FundsHold:
    return FundsHold.objects.select_for_update(of=("self",)).select_related("case__court").get(pk=pk)


# --- clocks ------------------------------------------------------------------------------------


def case_funds_clocks(case: Case) -> list[Deadline]:
    """The case's FUNDS_NOTICE and FUNDS_PAYMENT clocks, oldest first."""
    return list(
        Deadline.objects.filter(case=case, rule__code__in=[NOTICE_RULE, PAYMENT_RULE])
        .select_related("rule").order_by("started_at", "id")
    )


def subject_clocks(rule_code: str, model: str, ids: Iterable[int]) -> dict[int, Deadline]:
    """subject id → its ``rule_code`` clock (the latest started, when there were several)."""
    deadlines = Deadline.objects.filter(
        rule__code=rule_code, subject_type__app_label="custody_funds", subject_type__model=model,
        subject_id__in=list(ids),
    ).select_related("rule")
    found: dict[int, Deadline] = {}
    for d in deadlines.order_by("started_at", "id"):
        if d.subject_id is not None:
            found[d.subject_id] = d
    return found


# --- recovered money (read by enforcement's over-seizure check, spec §7.2) -------------------


def case_recovered(case: Case) -> Decimal:
    """Money the case has already recovered for its applicants (322号 §15 "足以清偿…为限"):
    paid out to them, deposited (提存) for them, and what the case account still holds
    (received and not refunded). Read inside the caller's transaction."""
    paid = disbursed_total(case, [DisbursementStatus.PAID])
    deposited = FundsHold.objects.filter(
        case=case, kind=HoldKind.DEPOSIT, posting__isnull=False
    ).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    balance = LedgerAccount.objects.filter(case=case, kind=AccountKind.CASE).values_list("balance", flat=True).first()
    return paid + deposited + (balance or Decimal(0))
