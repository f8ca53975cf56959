"""The worlds of the supervision tests, built through the real services.

* 督办 and 信访 fixtures (imported by those modules with
  ``from tests.supervision.factories import *``). Dates: the 2026 National Day
  holiday runs Thu Oct 1 – Wed Oct 7 with the 调休 working Saturday Oct 10 (and
  Sunday Sep 27 a holiday of the Mid-autumn festival).
* ``build_world``: the small province of the dashboard and screening tests, scanned
  as of ``WORLD_AT`` (``scan_all``).
* ``search_clock``: the SEARCH_START clock of a case (``search_case`` in conftest)."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from core.models import Court, Deadline, Role
from custody_funds.services import funds
from enforcement.models import ClosureType
from enforcement.services import assets as asset_services
from enforcement.services import cases as case_services
from enforcement.services import closure as closure_services
from enforcement.services import measures as measure_services
from enforcement.services.assets import FindingInput
from supervision.services.scan import scan_court
from supervision.services.stats import court_stats_refresh
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.conftest import make_case
from tests.enforcement.gate_credit import satisfy_credit_gate


def search_clock(case) -> Deadline:
    return Deadline.objects.get(case=case, rule__code="SEARCH_START")


@pytest.fixture
def order_case(courts, clerk, handler):
    """A case of 鲁0102 (under 鲁01 under 鲁), handled by ``handler``."""
    return make_case(
        clerk,
        courts.lu0102,
        number="(2026)鲁0102执2001号",
        received="2026-09-01 10:00",
        filed="2026-08-28",
        handler=handler,
    )


@pytest.fixture
def sibling_supervisor(courts):
    """专人监管 of 鲁02: a sibling branch, sees nothing of 鲁01's courts."""
    return make_member(Role.CASE_SUPERVISOR, courts.lu02, "sibling_supervisor")


@pytest.fixture
def sibling_clerk(courts):
    """A clerk of 鲁0103, the sibling of 鲁0102 under 鲁01."""
    return make_member(Role.CLERK, courts.lu0103, "sibling_clerk")


@pytest.fixture
def basic_supervisor(courts):
    """专人监管 of the case's own court 鲁0102: not an upper court."""
    return make_member(Role.CASE_SUPERVISOR, courts.lu0102, "basic_supervisor")


@pytest.fixture
def high_supervisor(courts):
    return make_member(Role.CASE_SUPERVISOR, courts.lu, "high_supervisor")


@pytest.fixture
def issue_order(case_supervisor, order_case):
    """Issue an order from 鲁01's 专人监管 (defaults: 督促执行, 5 days, Mon 2026-09-28 10:00)."""
    from supervision.services.orders import order_issue

    def issue(**overrides):
        params = {
            "actor": case_supervisor,
            "case": order_case,
            "kind": "urge",
            "instructions": "该案长期未采取控制措施，请于期限内查明财产并依法控制。",
            "response_days": 5,
            "issued_at": at("2026-09-28 10:00"),
        }
        params.update(overrides)
        return order_issue(**params)

    return issue


@pytest.fixture
def receive_petition(clerk, courts):
    """Receive a petition at 鲁0102 (defaults: a letter received Tue 2026-09-29 10:00)."""
    from supervision.services.petitions import petition_receive

    def receive(**overrides):
        params = {
            "actor": clerk,
            "court": courts.lu0102,
            "channel": "letter",
            "petitioner_name": "李四",
            "petitioner_id_number": "370102199001011231",
            "petitioner_phone": "13812345678",
            "content": "执行法院收到案款后迟迟未发放。",
            "received_at": at("2026-09-29 10:00"),
        }
        params.update(overrides)
        return petition_receive(**params)

    return receive


__all__ = [
    "basic_supervisor",
    "high_supervisor",
    "issue_order",
    "order_case",
    "receive_petition",
    "sibling_clerk",
    "sibling_supervisor",
]


# --- the dashboard and screening world ---------------------------------------------------


# The moment the dashboard and screening worlds are scanned at.
WORLD_AT = at("2026-11-20 12:00")


def scan_all(moment: dt.datetime = WORLD_AT) -> None:
    """Scan every court and refresh its counters as of ``moment``."""
    for court_id in Court.objects.order_by("pk").values_list("pk", flat=True):
        scan_court(court_id=court_id, at=moment)
        court_stats_refresh(court_id=court_id, at=moment)


def terminated_case(clerk, bureau_head, court, number="(2026)鲁0102执506号"):
    """A 终本 case closed on 2026-04-20: its six-monthly re-search was due 2026-10-20."""
    case = make_case(clerk, court, number=number, received="2026-01-06 10:00", filed="2026-01-05")
    case_services.case_serve_notice(actor=clerk, case=case, served_at=at("2026-01-07 10:00"))
    respondent = case.parties.get(role="respondent")
    measure_services.credit_issue(
        actor=clerk, case=case, party_id=respondent.pk, kind="restriction", issued_at=at("2026-01-08 10:00")
    )
    # gate: credit
    satisfy_credit_gate(case, actor=clerk, at=at("2026-01-08 10:00"))
    search = asset_services.search_launch(
        actor=clerk, case=case, channel="online", category_codes=None, launched_at=at("2026-01-08 11:00")
    )
    asset_services.search_record_feedback(
        actor=clerk, search=search, received_at=at("2026-01-09 10:00"), findings=[]
    )
    # gate: gateprop — the offline investigation of what the online system cannot query (spec §3 #7)
    from tests.enforcement.gate_gateprop import satisfy_gateprop_gate

    satisfy_gateprop_gate(case, actor=clerk, at=at("2026-01-09 11:00"), online=False)
    case_services.case_record_interview(
        actor=clerk, case=case, at=at("2026-04-10 10:00"), note="告知查控结果"
    )
    # gate: gateproc
    from tests.enforcement.gate_gateproc import satisfy_gateproc_gate, serve_ruling_on_all

    satisfy_gateproc_gate(case, actor=clerk, at=at("2026-04-10 10:00"))
    closure_services.case_close(
        actor=bureau_head,
        case=case,
        closure=ClosureType.TERMINATED_THIS_ROUND,
        closed_at=at("2026-04-20 10:00"),
        document="(2026)鲁0102执506号之一",
    )
    serve_ruling_on_all(case, actor=clerk, at=at("2026-04-20 10:00"))  # gate: gateproc — closes then
    case.refresh_from_db()
    return case


def build_world(courts, clerk, handler, bureau_head) -> SimpleNamespace:
    clerk0103 = make_member(Role.CLERK, courts.lu0103, "clerk0103")
    clerk0202 = make_member(Role.CLERK, courts.lu0202, "clerk0202")

    # 鲁0102: received in May, nothing since → CASE_DURATION (filed 05-06) overdue.
    stale = make_case(
        clerk,
        courts.lu0102,
        number="(2026)鲁0102执501号",
        received="2026-05-08 10:00",
        filed="2026-05-06",
        handler=handler,
    )
    # 鲁0202, the other branch: the same, never visible from 鲁01.
    sibling = make_case(
        clerk0202,
        courts.lu0202,
        number="(2026)鲁0202执502号",
        received="2026-05-08 10:00",
        filed="2026-05-06",
    )
    # 鲁0102: money arrived 10-20, no payment notice → FUNDS_NOTICE (10 working days) overdue.
    funded = make_case(
        clerk,
        courts.lu0102,
        number="(2026)鲁0102执503号",
        received="2026-10-09 10:00",
        filed="2026-10-08",
        handler=handler,
    )
    funds.receipt_record(
        actor=clerk,
        court=courts.lu0102,
        reference="B503",
        account_number=funded.fund_account.number,
        amount=Decimal("30000.00"),
        arrived_at=at("2026-10-20 10:00"),
        payer="某某公司",
    )
    # 鲁0103: a deposit frozen on 2025-12-15 → its one-year term ends 2026-12-15.
    frozen = make_case(
        clerk0103,
        courts.lu0103,
        number="(2025)鲁0103执504号",
        received="2025-12-10 10:00",
        filed="2025-12-09",
    )
    search = asset_services.search_launch(
        actor=clerk0103,
        case=frozen,
        channel="online",
        category_codes=None,
        launched_at=at("2025-12-11 10:00"),
    )
    [deposit] = asset_services.search_record_feedback(
        actor=clerk0103,
        search=search,
        received_at=at("2025-12-12 10:00"),
        findings=[FindingInput("bank_deposit", "工商银行存款", Decimal("50000.00"), False)],
    )
    measure_services.control_create(
        actor=clerk0103,
        case=frozen,
        asset=deposit,
        kind="freeze_deposit",
        amount=Decimal("50000.00"),
        effective_at=at("2025-12-15 10:00"),
    )
    # 鲁0102: real estate found on 11-04, not controlled → CONTROL_AFTER_FEEDBACK overdue.
    found = make_case(
        clerk,
        courts.lu0102,
        number="(2026)鲁0102执505号",
        received="2026-11-02 10:00",
        filed="2026-11-02",
        handler=handler,
    )
    search = asset_services.search_launch(
        actor=clerk, case=found, channel="online", category_codes=None, launched_at=at("2026-11-03 10:00")
    )
    [house] = asset_services.search_record_feedback(
        actor=clerk,
        search=search,
        received_at=at("2026-11-04 10:00"),
        findings=[FindingInput("real_estate", "历下区某小区住宅", Decimal("900000.00"), False)],
    )
    terminated = terminated_case(clerk, bureau_head, courts.lu0102)
    # Unidentified receipts at 鲁0102: one from August (> 90 days), one of three days.
    for reference, arrived, amount in (
        ("U1", "2026-08-01 10:00", "1200.00"),
        ("U2", "2026-11-17 10:00", "800.00"),
    ):
        funds.receipt_record(
            actor=clerk,
            court=courts.lu0102,
            reference=reference,
            account_number="6200000000000000",
            amount=Decimal(amount),
            arrived_at=at(arrived),
            payer="不明",
        )
    scan_all()
    return SimpleNamespace(
        stale=stale,
        sibling=sibling,
        funded=funded,
        frozen=frozen,
        deposit=deposit,
        found=found,
        house=house,
        terminated=terminated,
        clerk0103=clerk0103,
        clerk0202=clerk0202,
    )
