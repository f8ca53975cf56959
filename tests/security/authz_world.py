"""The world of the authorization matrix (``test_authz_matrix``): built ONCE per
test module inside an outer transaction that is rolled back when the module ends
(the trick of ``tests/dualcheck/matrix_fixtures.py``); every test runs in a
savepoint of it, and every request of the matrix in a savepoint of its own, so an
action that succeeds is undone before the next request.

Courts as in ``tests/conftest.py``: 最高法 → 鲁 → 鲁01 → {鲁0102, 鲁0103};
鲁 → 鲁02 → 鲁0202. The objects under test belong to 鲁01 (an intermediate court:
it has a court above, a sibling and a court below). Every role of
``core.models.Role`` is held by one person at each of four positions:

* ``own``     鲁01    — the objects' own court
* ``sibling`` 鲁02    — a sibling court (never sees 鲁01's things)
* ``lower``   鲁0102  — a court below (never sees its upper court's things)
* ``upper``   鲁      — the court above (its supervisory roles see 鲁01)

Every court but 最高法 also holds marker objects (a case whose applicant is named
``MK-<court>-申请人``, a pending approval, an unidentified receipt paid by
``MK-<court>-付款人``, a disbursement notified to finance, a petition from
``MK-<court>-信访人``, the alerts of the scan, a line of the audit trail by
``MK-<court>-用户``), so a list answer can be searched for
exactly which courts' rows it carries: a case number names its court too
(``(2026)鲁02执901号``), see ``courts_in``."""

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.db import transaction
from rest_framework.test import APIClient

from core.identity import credit_code_check_char, resident_id_check_char
from core.models import SUPERVISORY_ROLES, Court, CourtLevel, Role, User
from core.services.people import api_client_create
from tests.conftest import at
from tests.core.factories import make_court, make_member

# --- who ----------------------------------------------------------------------------------------

ROLES = [r.value for r in Role]  # clerk … admin: every role the product knows
POSITIONS = ("own", "sibling", "lower", "upper")
COURT_OF = {"own": "鲁01", "sibling": "鲁02", "lower": "鲁0102", "upper": "鲁"}
ANONYMOUS = "anonymous"
SUPERVISORY = frozenset(r.value for r in SUPERVISORY_ROLES)

# The marker courts and the tree (independent of the product's scoping code).
PARENT = {
    "鲁": "最高法",
    "鲁01": "鲁",
    "鲁0102": "鲁01",
    "鲁0103": "鲁01",
    "鲁02": "鲁",
    "鲁0202": "鲁02",
    "最高法": None,
}
MARKER_COURTS = ("鲁", "鲁01", "鲁02", "鲁0102", "鲁0103", "鲁0202")


def ancestors(code: str) -> list[str]:
    out = []
    while PARENT.get(code):
        code = PARENT[code]
        out.append(code)
    return out


def scope_of(role: str, position: str) -> set[str]:
    """The courts ``role`` at ``position`` may see (DESIGN "Who sees what"): its own
    court, and every court below it for the supervisory roles."""
    if role == ANONYMOUS:
        return set()
    home = COURT_OF[position]
    if role in SUPERVISORY:
        return {c for c in PARENT if c == home or home in ancestors(c)}
    return {home}


# --- markers -------------------------------------------------------------------------------------

_CASE_NUMBER = re.compile(r"\(\d{4}\)(?:最高法|鲁\d*)执恢?\d+号")
_MARKER = re.compile(r"MK-(最高法|鲁\d*)-")
# case number → court, of every case of the world (filled by ``build_world``): a
# number that is no case's (a placeholder, the number a form was sent) names nothing
CASE_COURTS: dict[str, str] = {}


def courts_in(text: str) -> set[str]:
    """The courts whose rows ``text`` carries: by case number and by marker."""
    by_number = {CASE_COURTS[n] for n in _CASE_NUMBER.findall(text) if n in CASE_COURTS}
    return by_number | set(_MARKER.findall(text))


COURT_NAMES = {
    "最高法": "最高人民法院",
    "鲁": "山东省高级人民法院",
    "鲁01": "济南市中级人民法院",
    "鲁0102": "历下区人民法院",
    "鲁0103": "市中区人民法院",
    "鲁02": "青岛市中级人民法院",
    "鲁0202": "市南区人民法院",
}


def courts_named_in(text: str) -> set[str]:
    """The courts ``text`` names (a court's name is no row of it: the courts above
    one's own are named on many pages, a sibling branch on none)."""
    return {code for code, name in COURT_NAMES.items() if name in text}


def person_id(body17: str) -> str:
    return body17 + resident_id_check_char(body17)


def org_code(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


# --- the world -----------------------------------------------------------------------------------


@dataclass
class World:
    courts: SimpleNamespace
    by_code: dict[str, Court]
    users: dict[tuple[str, str], User]  # (role, position) → person
    tokens: dict[str, str]  # position → the key of that court's API client
    helpers: dict[str, User] = field(default_factory=dict)  # a clerk of each marker court
    o: SimpleNamespace = field(default_factory=SimpleNamespace)  # the objects under test (鲁01)
    markers: dict[str, dict[str, object]] = field(default_factory=dict)  # kind → court → object
    orders_between: list[tuple[str, str]] = field(default_factory=list)  # (issuing, target) courts
    clients: dict[tuple[str, str], APIClient] = field(default_factory=dict)

    def user(self, role: str, position: str) -> User:
        return self.users[(role, position)]

    def client(self, role: str, position: str) -> APIClient:
        """One client per person for the module (the session is made once): an API
        client's machine account also has a browser session (the worst case: the
        pages must refuse it) and sends its token."""
        key = (role, position)
        if key not in self.clients:
            client = APIClient(raise_request_exception=False)  # a server error is an answer to judge
            if role != ANONYMOUS:
                client.force_login(self.users[key])
            if role == Role.API_CLIENT:
                client.credentials(HTTP_AUTHORIZATION=f"Token {self.tokens[position]}")
            self.clients[key] = client
        return self.clients[key]

    def allowed_courts(self, role: str, position: str, *, orders: bool = False) -> set[str]:
        """The courts whose rows ``role`` at ``position`` may meet in an answer: its
        scope — and, in the answers about 督办 orders (``orders``), the case of
        every order its scope issued or received (an order is seen by the issuing
        and the target court, with its case)."""
        scope = scope_of(role, position)
        if not orders:
            return scope
        return scope | {
            target for issuing, target in self.orders_between if issuing in scope or target in scope
        }


def _courts() -> SimpleNamespace:
    n = COURT_NAMES
    spc = make_court("最高法", n["最高法"], CourtLevel.SUPREME)
    lu = make_court("鲁", n["鲁"], CourtLevel.HIGH, spc)
    lu01 = make_court("鲁01", n["鲁01"], CourtLevel.INTERMEDIATE, lu)
    lu0102 = make_court("鲁0102", n["鲁0102"], CourtLevel.BASIC, lu01)
    lu0103 = make_court("鲁0103", n["鲁0103"], CourtLevel.BASIC, lu01)
    lu02 = make_court("鲁02", n["鲁02"], CourtLevel.INTERMEDIATE, lu)
    lu0202 = make_court("鲁0202", n["鲁0202"], CourtLevel.BASIC, lu02)
    return SimpleNamespace(spc=spc, lu=lu, lu01=lu01, lu0102=lu0102, lu0103=lu0103, lu02=lu02, lu0202=lu0202)


def _people(by_code) -> tuple[dict, dict]:
    users, tokens = {}, {}
    for position, code in COURT_OF.items():
        court = by_code[code]
        for role in ROLES:
            if role == Role.API_CLIENT:
                users[(role, position)], tokens[position] = api_client_create(
                    court=court, name=f"{code}对接系统"
                )
            else:
                users[(role, position)] = make_member(role, court, f"{role}.{position}")
    return users, tokens


def _case(actor, court: Court, number: str, *, received: str, filed: str, handler=None, claim="100000.00"):
    from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register

    tag = f"MK-{court.code}-"
    return case_register(
        actor=actor,
        data=CaseInput(
            case_number=number,
            court=court,
            filed_on=dt.date.fromisoformat(filed),
            received_at=at(received),
            claim_amount=Decimal(claim),
            basis_document=f"(2026){court.code}民初88号民事判决书",
            applicants=[
                PartyInput(
                    f"{tag}申请人",
                    "person",
                    person_id("37010219900101123"),
                    "13800000000",
                    PayoutAccountInput("中国工商银行济南分行", "6222020200112233445", f"{tag}申请人"),
                )
            ],
            respondents=[PartyInput(f"{tag}被执行人", "organization", org_code("91370100MA3C00000"))],
            handler=handler,
        ),
    )


CONFIRMED_ACCOUNT = "6222020200112233445"


def _seed_reference_data() -> None:
    """As ``tests/conftest.py::_reference_data`` (a transactional test elsewhere in
    the session may have flushed the seeded rules)."""
    import importlib

    from django.apps import apps

    from core.models import CalendarYear, DeadlineRule
    from enforcement import asset_catalogue
    from enforcement.models import AssetCategory

    seed = importlib.import_module("core.migrations.0002_seed_rules_and_calendar")
    if not DeadlineRule.objects.exists():
        seed.seed_rules(apps, None)
    if not CalendarYear.objects.exists():
        seed.seed_calendar(apps, None)
    if not AssetCategory.objects.exists():
        asset_catalogue.sync(AssetCategory)


def _enforcement(w: World) -> None:
    """鲁01's cases: ``main`` with a sub-object in every state an action needs,
    ``suspended``, ``terminated`` (终本, to restore) and ``fresh`` (no order yet)."""
    from enforcement.models import Disposal, SelfDisposal
    from enforcement.services import assets as a
    from enforcement.services import cases as c
    from enforcement.services import closure
    from enforcement.services import disposal as ad
    from enforcement.services import measures as am
    from enforcement.services import property_clues as ap

    clerk, handler, head = w.user("clerk", "own"), w.user("handler", "own"), w.user("bureau_head", "own")
    court = w.courts.lu01
    o = w.o
    o.main = _case(
        clerk, court, "(2026)鲁01执101号", received="2026-09-01 10:00", filed="2026-08-28", handler=handler
    )
    first = a.search_launch(
        actor=clerk, case=o.main, channel="online", category_codes=None, launched_at=at("2026-09-02 09:00")
    )
    found = a.search_record_feedback(
        actor=clerk,
        search=first,
        received_at=at("2026-09-03 09:00"),
        findings=[
            a.FindingInput("bank_deposit", "银行存款（待控制）", Decimal("5000.00"), False),
            a.FindingInput("vehicle", "车辆甲（待控制）", None, False),
            a.FindingInput("vehicle", "车辆乙（已控制）", None, False),
            a.FindingInput("real_estate", "住宅甲（已控制）", None, False),
            a.FindingInput("vehicle", "车辆丙（待定价）", None, False),
            a.FindingInput("vehicle", "车辆丁（待拍卖）", None, False),
            a.FindingInput("vehicle", "车辆戊（拍卖中）", None, False),
            a.FindingInput("real_estate", "住宅乙（自行处置）", None, False),
        ],
    )
    o.asset_found, o.asset_found2, o.asset_controlled, o.house, car3, car4, car5, house2 = found
    measures = {}
    for asset, kind in (
        (o.asset_controlled, "seize_movable"),
        (o.house, "seize_real_estate"),
        (car3, "seize_movable"),
        (car4, "seize_movable"),
        (car5, "seize_movable"),
        (house2, "seize_real_estate"),
    ):
        measures[asset.pk] = am.control_create(
            actor=clerk, case=o.main, asset=asset, kind=kind, amount=None, effective_at=at("2026-09-04 09:00")
        )
    o.measure = measures[o.asset_controlled.pk]
    o.price_pending = ad.disposal_start(
        actor=clerk, asset=car3, method="online_inquiry", at=at("2026-09-05 09:00")
    )
    d4 = ad.disposal_start(actor=clerk, asset=car4, method="online_inquiry", at=at("2026-09-05 09:00"))
    o.price_fixed = ad.disposal_fix_price(
        actor=clerk, disposal=d4, price=Decimal("30000.00"), at=at("2026-09-06 09:00")
    )
    d5 = ad.disposal_start(actor=clerk, asset=car5, method="online_inquiry", at=at("2026-09-05 09:00"))
    ad.disposal_fix_price(actor=clerk, disposal=d5, price=Decimal("30000.00"), at=at("2026-09-06 09:00"))
    o.auction = ad.disposal_launch_auction(actor=clerk, disposal=d5, at=at("2026-09-07 09:00"))
    o.self_disposal = ad.self_disposal_allow(actor=clerk, asset=house2, at=at("2026-09-05 09:00"), days=60)
    assert isinstance(o.price_pending, Disposal) and isinstance(o.self_disposal, SelfDisposal)
    o.search = a.search_launch(
        actor=clerk, case=o.main, channel="offline", category_codes=None, launched_at=at("2026-09-08 09:00")
    )
    o.clue_received = ap.property_clue_receive(
        actor=clerk, case=o.main, received_at=at("2026-09-09 09:00"), description="某银行账户"
    )
    o.clue_verifying = ap.property_clue_receive(
        actor=clerk, case=o.main, received_at=at("2026-09-09 10:00"), description="某处房产"
    )
    ap.property_clue_start_verification(actor=clerk, clue=o.clue_verifying, at=at("2026-09-09 11:00"))
    o.respondent = o.main.parties.get(role="respondent")
    o.applicant = o.main.parties.get(role="applicant")
    (o.credit,) = am.credit_issue(
        actor=clerk,
        case=o.main,
        party_id=o.respondent.pk,
        kind="restriction",
        issued_at=at("2026-09-10 09:00"),
    )
    o.approval = closure.approval_request(
        actor=handler,
        case=o.main,
        kind="over_seizure",
        reason="拟冻结的存款超出标的，申请超标的控制。",
        payload={},
    )

    o.suspended = _case(
        clerk, court, "(2026)鲁01执102号", received="2026-09-01 10:00", filed="2026-08-28", handler=handler
    )
    a.search_launch(
        actor=clerk,
        case=o.suspended,
        channel="online",
        category_codes=None,
        launched_at=at("2026-09-02 09:00"),
    )
    c.case_suspend(actor=clerk, case=o.suspended, at=at("2026-09-10 09:00"), reason="案外人异议")

    o.terminated = _case(
        clerk, court, "(2026)鲁01执103号", received="2026-07-01 10:00", filed="2026-06-28", handler=handler
    )
    real = closure.terminated_round_unmet
    closure.terminated_round_unmet = lambda *args, **kwargs: []  # the conditions are the service's to test
    try:
        closure.case_close(
            actor=head,
            case=o.terminated,
            closure="terminated_this_round",
            closed_at=at("2026-10-20 10:00"),
            document="(2026)鲁01执103号之一",
        )
    finally:
        closure.terminated_round_unmet = real

    o.third = _case(
        clerk, court, "(2026)鲁01执104号", received="2026-09-01 10:00", filed="2026-08-28", handler=handler
    )
    o.fresh = _case(
        clerk, court, "(2026)鲁01执105号", received="2026-11-02 10:00", filed="2026-10-30", handler=handler
    )
    for name in ("main", "suspended", "terminated", "third", "fresh"):
        setattr(o, name, type(getattr(o, name)).objects.get(pk=getattr(o, name).pk))


def _receive(case, actor, amount: str, ref: str, when: str = "2026-09-12 10:00"):
    from custody_funds.services import funds

    receipt, _created = funds.receipt_record(
        actor=actor,
        court=case.court,
        reference=ref,
        account_number=case.fund_account.number,
        amount=Decimal(amount),
        arrived_at=at(when),
        payer=f"MK-{case.court.code}-付款人",
    )
    return receipt


def _draft(case, actor, amount="1000.00"):
    from custody_funds.services import funds

    return funds.disbursement_draft(
        actor=actor,
        case=case,
        payee_id=case.parties.get(role="applicant").pk,
        amount=Decimal(amount),
        account_number=CONFIRMED_ACCOUNT,
    )


def _funds(w: World) -> None:
    """The money of 鲁01's main case (drafted by its handler, so every approver may
    approve) and an unidentified receipt of 鲁01."""
    from custody_funds.services import funds

    clerk, handler, head = w.user("clerk", "own"), w.user("handler", "own"), w.user("bureau_head", "own")
    o = w.o
    _receive(o.main, clerk, "100000.00", "MKLU01B001")
    o.d_draft = _draft(o.main, handler)
    o.d_submitted = funds.disbursement_submit(actor=handler, disbursement=_draft(o.main, handler))
    d = funds.disbursement_submit(actor=handler, disbursement=_draft(o.main, handler))
    o.d_approved = funds.disbursement_approve(actor=head, disbursement=d)
    d = funds.disbursement_submit(actor=handler, disbursement=_draft(o.main, handler))
    funds.disbursement_approve(actor=head, disbursement=d)
    o.d_notified = funds.disbursement_notify_finance(actor=handler, disbursement=d)
    o.hold_requested = funds.hold_request(
        actor=handler, case=o.main, kind="delay", reason="to_distribute", note="需要进行案款分配。"
    )
    held = funds.hold_request(
        actor=handler, case=o.main, kind="delay", reason="not_collected", note="经通知未领取。"
    )
    o.hold_approved = funds.hold_decide(actor=head, hold=held, approve=True)
    o.receipt_unidentified, _created = funds.receipt_record(
        actor=clerk,
        court=w.courts.lu01,
        reference="MKLU01U001",
        account_number="999",
        amount=Decimal("700.00"),
        arrived_at=at("2026-09-15 10:00"),
        payer="MK-鲁01-付款人",
    )


def _supervision(w: World) -> None:
    """督办 orders of 鲁 on 鲁01's cases (one awaiting the answer, one answered) and
    鲁01's petitions at each stage."""
    from supervision.services import orders, petitions

    upper_supervisor, handler = w.user("case_supervisor", "upper"), w.user("handler", "own")
    clerk, head = w.user("clerk", "own"), w.user("bureau_head", "own")
    o = w.o
    o.order_issued = orders.order_issue(
        actor=upper_supervisor,
        case=o.suspended,
        kind="urge",
        instructions="请依法恢复执行并采取控制措施。",
        response_days=5,
        issued_at=at("2026-11-02 10:00"),
    )
    answered = orders.order_issue(
        actor=upper_supervisor,
        case=o.third,
        kind="urge",
        instructions="请于期限内查明财产并依法控制。",
        response_days=5,
        issued_at=at("2026-11-02 10:00"),
    )
    o.order_responded = orders.order_respond(actor=handler, order=answered, text="已查明财产并采取控制措施。")
    w.orders_between += [("鲁", "鲁01")]

    def receive(name: str, case=None):
        return petitions.petition_receive(
            actor=clerk,
            court=w.courts.lu01,
            channel="letter",
            petitioner_name=f"MK-鲁01-{name}",
            petitioner_id_number=person_id("37010219900101123"),
            petitioner_phone="13812345678",
            content="执行法院收到案款后迟迟未发放。",
            case=case,
            received_at=at("2026-11-16 10:00"),
        )

    o.petition_received = receive("信访人")
    o.petition_registered = petitions.petition_register(actor=clerk, petition=receive("信访人乙", o.main))
    registered = petitions.petition_register(actor=clerk, petition=receive("信访人丙", o.main))
    o.petition_concluded = petitions.petition_conclude(
        actor=head,
        petition=registered,
        result="已督促承办人发放案款。",
        finding="true",
        measures="责令承办人五日内发放。",
        concluded_at=at("2026-11-18 10:00"),
    )


def _markers(w: World) -> None:
    """A case, a pending approval, an unidentified receipt, a notified disbursement
    and a petition at every marker court (鲁01's are the objects under test), and
    督办 orders between courts."""
    from custody_funds.services import funds
    from enforcement.services import closure
    from supervision.services import orders, petitions

    approver = w.user("bureau_head", "upper")  # 鲁's bureau head approves below it
    marks = {k: {} for k in ("case", "approval", "receipt", "disbursement", "petition")}
    for n, code in enumerate(MARKER_COURTS, start=1):
        court = w.by_code[code]
        if code == "鲁01":
            marks["case"][code] = w.o.main
            marks["approval"][code] = w.o.approval
            marks["receipt"][code] = w.o.receipt_unidentified
            marks["disbursement"][code] = w.o.d_notified
            marks["petition"][code] = w.o.petition_received
            continue
        clerk = w.helpers[code]
        case = _case(
            clerk,
            court,
            f"(2026){code}执90{n}号",
            received="2026-09-01 10:00",
            filed="2026-08-28",
            handler=clerk,
        )
        case = type(case).objects.get(pk=case.pk)
        marks["case"][code] = case
        marks["approval"][code] = closure.approval_request(
            actor=clerk, case=case, kind="over_seizure", reason=f"MK-{code}-超标的申请", payload={}
        )
        marks["receipt"][code], _created = funds.receipt_record(
            actor=clerk,
            court=court,
            reference=f"MK{n}U001",
            account_number="999",
            amount=Decimal("700.00"),
            arrived_at=at("2026-09-15 10:00"),
            payer=f"MK-{code}-付款人",
        )
        _receive(case, clerk, "50000.00", f"MK{n}B001")
        d = funds.disbursement_submit(actor=clerk, disbursement=_draft(case, clerk))
        funds.disbursement_approve(actor=approver, disbursement=d)
        marks["disbursement"][code] = funds.disbursement_notify_finance(actor=clerk, disbursement=d)
        marks["petition"][code] = petitions.petition_receive(
            actor=clerk,
            court=court,
            channel="visit",
            petitioner_name=f"MK-{code}-信访人",
            petitioner_id_number=person_id("37010219900101123"),
            petitioner_phone="13812345678",
            content="反映案件长期未执行。",
            case=None,
            received_at=at("2026-11-16 10:00"),
        )
    w.markers = marks
    # 鲁01 urges 鲁0102, 鲁 urges 鲁02 (the orders are seen by both courts of each)
    orders.order_issue(
        actor=w.user("case_supervisor", "own"),
        case=marks["case"]["鲁0102"],
        kind="urge",
        instructions="请依法采取执行措施。",
        response_days=5,
        issued_at=at("2026-11-03 10:00"),
    )
    orders.order_issue(
        actor=w.user("case_supervisor", "upper"),
        case=marks["case"]["鲁02"],
        kind="urge",
        instructions="请依法采取执行措施。",
        response_days=5,
        issued_at=at("2026-11-03 10:00"),
    )
    w.orders_between += [("鲁01", "鲁0102"), ("鲁", "鲁02")]


def _alerts_and_exports(w: World) -> None:
    from core.exports import export_run, export_start
    from supervision.models import Alert, AlertLevel
    from supervision.services.scan import scan_court

    for court in Court.objects.filter(code__in=MARKER_COURTS):
        scan_court(court_id=court.pk, at=at("2026-11-20 09:00"))
    w.o.alert = (
        Alert.objects.filter(case=w.o.main, level=AlertLevel.OVERDUE, handler__isnull=False)
        .order_by("pk")
        .first()
    )
    assert w.o.alert is not None and w.o.alert.to_court_id == w.courts.lu01.pk
    w.markers["alert"] = {
        code: Alert.objects.filter(court__code=code).order_by("pk").first() for code in MARKER_COURTS
    }
    assert all(w.markers["alert"].values()), w.markers["alert"]
    # a line of the audit trail by someone of every marker court (its username is the marker)
    from audit.services import audit_record

    for code in MARKER_COURTS:
        audit_record(
            event="request", success=True, user=w.helpers[code], username=f"MK-{code}-用户", action="world"
        )
    w.markers["audit"] = {code: w.helpers[code] for code in MARKER_COURTS}
    # an Excel export of 鲁01's own bureau head, finished (only its owner may see it)
    job = export_start(
        user=w.user("bureau_head", "own"), key="supervision.dashboard.rules", params={"court": "鲁01"}
    )
    assert export_run(job_id=str(job.pk)) == "done"
    job.refresh_from_db()
    w.o.export_job = job


def build_world() -> World:
    from django.urls import get_resolver

    assert get_resolver().url_patterns  # every view imported: the exporters are registered
    _seed_reference_data()
    courts = _courts()
    by_code = {c.code: c for c in vars(courts).values()}
    users, tokens = _people(by_code)
    w = World(courts=courts, by_code=by_code, users=users, tokens=tokens)
    for code in MARKER_COURTS:
        own = {v: k for k, v in COURT_OF.items()}.get(code)
        w.helpers[code] = (
            w.user("clerk", own) if own else make_member(Role.CLERK, by_code[code], f"helper.{code}")
        )
    _enforcement(w)
    _funds(w)
    _supervision(w)
    _markers(w)
    _alerts_and_exports(w)
    from enforcement.models import Case

    CASE_COURTS.clear()
    CASE_COURTS.update(dict(Case.objects.values_list("case_number", "court__code")))
    return w


@pytest.fixture(scope="module", name="world")
def world_fixture(django_db_setup, django_db_blocker):
    """The world, built once per module; rolled back when the module ends."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            try:
                w = build_world()
                # the sessions are made now, outside every test's savepoint
                for role in ROLES:
                    for position in POSITIONS:
                        w.client(role, position)
                w.client(ANONYMOUS, "own")
                yield w
            finally:
                transaction.set_rollback(True)


@pytest.fixture(name="w")
def w_fixture(world):
    """The world inside this test's savepoint (what the test writes is undone).
    The test module is marked ``django_db`` rather than asking for ``db``: the
    reference data that ``tests/conftest.py`` checks again before every test
    asking for ``db`` is part of the world."""
    return world
