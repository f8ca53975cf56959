"""What the 终本 gate's credit rows (#4, #5) need, through the services: every respondent has a
限制消费令 in force (issued, served, no 宽限期) and either a 失信 entry in force or a recorded
finding that it does not meet the 失信 conditions. Compose into a whole-gate fixture."""

import datetime as dt

from enforcement.models import CreditKind, CreditStatus, PartyRole
from enforcement.services import credit as credit_services
from enforcement.services import measures as measure_services


def satisfy_credit_gate(case, *, actor, at: dt.datetime, dishonest: bool = False) -> None:
    """Issue and serve a 限消 on each respondent (at ``at``), and record for each either a
    失信 entry (``dishonest=True``, served too) or the 不符合失信条件 finding."""
    for respondent in case.parties.filter(role=PartyRole.RESPONDENT).order_by("pk"):
        kinds = {m.kind for m in case.credit_measures.filter(party=respondent, status=CreditStatus.ISSUED)}
        if CreditKind.RESTRICTION not in kinds:
            measure_services.credit_issue(
                actor=actor, case=case, party_id=respondent.pk,
                kind=CreditKind.DISHONEST if dishonest else CreditKind.RESTRICTION, issued_at=at,
                decision_no=f"限消决定书-{respondent.pk}",
            )
        for measure in case.credit_measures.filter(party=respondent, status=CreditStatus.ISSUED, served_at__isnull=True):
            credit_services.credit_serve(actor=actor, measure=measure, served_at=at, method="direct", recipient=respondent.name)
        if not dishonest and not case.credit_measures.filter(
            party=respondent, kind=CreditKind.DISHONEST, status=CreditStatus.ISSUED
        ).exists():
            credit_services.credit_dishonest_not_applicable(
                actor=actor, case=case, party_id=respondent.pk, at=at, reason="被执行人无履行能力，不存在失信情形"
            )
