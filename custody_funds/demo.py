"""Demo case funds for ``seed_demo``: receipts on a share of the demo cases (some
paid out, some waiting past their 10 working days), a few unidentified receipts
per court, and disbursements in every state. Dated relative to now and never after
it (a case received in the last few days gets no money yet), so it works on any
day. Deterministic for a given day and idempotent; everything goes through the
services."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.exceptions import ApplicationError
from core.models import Court, Role, User
from core.services.events import historical_import
from custody_funds.models import LedgerAccount, Receipt
from custody_funds.services import funds
from enforcement.models import Case, CaseStatus, PartyRole

COURTS = ["鲁0102", "鲁0103", "鲁0202"]


def _member(court: Court, role: str) -> User | None:
    return User.objects.filter(
        memberships__court=court, memberships__role=role, memberships__revoked_at__isnull=True
    ).first()


def seed() -> int:
    created = 0
    now = timezone.now()
    with historical_import():
        for code in COURTS:
            court = Court.objects.filter(code=code).first()
            if court is None:
                continue
            people = {r: _member(court, r) for r in (Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD, Role.FINANCE)}
            if None in people.values():
                continue
            for n in range(1, 6):
                reference = f"DEMO-{code}-U{n}"
                if Receipt.objects.filter(court=court, reference=reference).exists():
                    continue
                rng = random.Random(reference)  # noqa: S311 - demo data
                funds.receipt_record(
                    actor=people[Role.CLERK], court=court, reference=reference,
                    account_number=f"62{rng.randint(10**12, 10**13 - 1)}",
                    amount=Decimal(rng.randint(500, 50000)), arrived_at=now - dt.timedelta(days=rng.randint(1, 60)),
                    payer=rng.choice(["某建材公司", "李某", "某物流公司", "王某"]),
                )
                created += 1
            cases = Case.objects.filter(court=court, status__in=[CaseStatus.EXECUTING, CaseStatus.SUSPENDED]).order_by("pk")
            for case in cases:
                rng = random.Random(f"funds-{case.case_number}")  # noqa: S311 - demo data
                if rng.random() > 0.45 or case.receipts.exists():
                    continue
                try:
                    with transaction.atomic():
                        created += _case_funds(rng, case, people, now)
                except ApplicationError:
                    continue
    return created


def _case_funds(rng: random.Random, case: Case, people: dict, now: dt.datetime) -> int:
    """Money for ``case``, arrived between five days after its receipt and two hours
    ago; returns 0 when that window is empty (a case received in the last days)."""
    account = LedgerAccount.objects.get(case=case)
    start = max(case.received_at + dt.timedelta(days=5), now - dt.timedelta(days=40))
    if start > now - dt.timedelta(hours=3):
        return 0
    arrived = start + dt.timedelta(hours=rng.randint(0, max(1, int((now - start).total_seconds() // 3600) - 2)))
    amount = (case.claim_amount * Decimal(rng.choice(["0.3", "0.5", "1"]))).quantize(Decimal("0.01"))
    funds.receipt_record(
        actor=people[Role.CLERK], court=case.court, reference=f"DEMO-{case.pk}-1", account_number=account.number,
        amount=amount, arrived_at=arrived, payer="被执行人",
    )
    stage = rng.random()
    if stage < 0.35:
        return 1  # waiting: FUNDS_NOTICE running, or overdue when it arrived long ago
    applicant = case.parties.filter(role=PartyRole.APPLICANT).select_related("payout_account").first()
    if applicant is None or not hasattr(applicant, "payout_account"):
        return 1
    d = funds.disbursement_draft(
        actor=people[Role.HANDLER], case=case, payee_id=applicant.pk, amount=amount,
        account_number=applicant.payout_account.account_number,
    )
    steps = [
        lambda: funds.disbursement_submit(actor=people[Role.HANDLER], disbursement=d),
        lambda: funds.disbursement_approve(actor=people[Role.BUREAU_HEAD], disbursement=d),
        lambda: funds.disbursement_notify_finance(actor=people[Role.HANDLER], disbursement=d),
        lambda: funds.disbursement_pay(actor=people[Role.FINANCE], disbursement=d, bank_reference=f"PAY-{d.pk}"),
    ]
    for step in steps[: 1 + int((stage - 0.35) / 0.65 * len(steps))]:
        step()
    return 1
