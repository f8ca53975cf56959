"""A case holding every record the documents need: a freeze, a 限制消费令 and a 失信 entry
against its respondent, money received and a payment approved and notified."""

from decimal import Decimal

from enforcement.models import Case, CaseStatus
from enforcement.services import assets as s_assets
from enforcement.services import measures as s_measures
from tests.conftest import at
from tests.custody_funds.factories import notified, receive
from tests.enforcement.factories import make_case


def case_with_records(clerk, handler, bureau_head, court, number: str = "(2026)鲁0102执1001号") -> Case:
    case = make_case(clerk, court, number=number, handler=handler)
    search = s_assets.search_launch(
        actor=clerk, case=case, channel="online", category_codes=None, launched_at=at("2026-10-01 10:00")
    )
    (deposit,) = s_assets.search_record_feedback(
        actor=clerk,
        search=search,
        received_at=at("2026-10-02 10:00"),
        findings=[
            s_assets.FindingInput("bank_deposit", "工商银行账户 6222****1111", Decimal("20000.00"), True)
        ],
    )
    s_measures.control_create(
        actor=clerk,
        case=case,
        asset=deposit,
        kind="freeze_deposit",
        amount=Decimal("20000.00"),
        effective_at=at("2026-10-03 10:00"),
    )
    respondent = case.parties.get(role="respondent")
    s_measures.credit_issue(
        actor=clerk, case=case, party_id=respondent.pk, kind="dishonest", issued_at=at("2026-10-05 10:00")
    )
    receive(case, clerk, amount="5000.00", ref=f"B-{case.pk}")
    notified(case, handler, bureau_head, amount="3000.00")
    return case


def terminated(case: Case) -> Case:
    """The bureau head approved 终本: the ruling is being served (``closing``). Set directly:
    the 终本 gate has its own suites (tests/enforcement/test_gate_*)."""
    Case.objects.filter(pk=case.pk).update(
        status=CaseStatus.CLOSING,
        closure_type="terminated_this_round",
        terminated_ruling_at=at("2026-11-20 10:00"),
    )
    return Case.objects.get(pk=case.pk)
