"""The world of the security suites (``test_schemathesis``, ``test_mass_assignment``,
``test_bad_input``, ``test_html_escaping``): one object of every kind the REST API
addresses by id, in a state where the operation on it can succeed, so generated
requests reach the services instead of stopping at 404.

It is the 一案双查 matrix's world (``tests/dualcheck/matrix_fixtures``: courts,
people, API tokens, a case of 鲁0102, a clue at every stage with its attachment,
petitions, an alert) plus, on that case and a second one, searches, assets,
measures, clues, a disposal, a self-disposal, an approval, receipts, a
disbursement, a funds hold, a 督办 order and a plain petition.

Built once per module inside an outer transaction that is rolled back when the
module ends; every test runs in a savepoint of it (``db``), so what one
operation's examples write is undone before the next operation. ``build_light_world``
is the same without the 一案双查 clues, for the suites that do not need them."""

from dataclasses import dataclass, field
from decimal import Decimal

from core.models import Role
from tests.conftest import at
from tests.core.factories import make_member
from tests.dualcheck.matrix_fixtures import World, _courts, _people, _seed_reference_data, build_world
from tests.enforcement.factories import approved_override, make_case

# A step of 一案双查 → the matrix clue (by key) in the stage where it is the next step.
DUALCHECK_STEP_CLUE = {
    "screen": "recv",
    "approve": "scr",
    "decide": "pend",
    "refer": "launch",
    "form-team": "ref",
    "record-work": "inv",
    "record-officers": "acc",
    "report": "inv",
    "submit-report": "inv",
    "review": "rep",
    "conclude": "acc",
    "feedback": "conc",
    "clarify": "unsub",
    "close": "fed",
}


@dataclass
class FuzzWorld:
    matrix: World
    ids: dict[str, int] = field(default_factory=dict)  # kind → a primary key
    token: str = ""  # API client of 鲁0102
    person: object = None  # a named person with many posts (the session persona)


def build_fuzz_world() -> FuzzWorld:
    """The matrix world (every 一案双查 stage) furnished with everything else."""
    return furnish(build_world())


def build_light_world() -> FuzzWorld:
    """The same people and furnished case, without the 一案双查 clues (faster)."""
    _seed_reference_data()
    courts = _courts()
    users, tokens = _people(courts)
    case = make_case(users["clerk"], courts.lu0102, handler=users["officer"])
    return furnish(World(courts=courts, users=users, tokens=tokens, case=case))


def furnish(m: World) -> FuzzWorld:
    from custody_funds.models import LedgerAccount
    from custody_funds.services import funds
    from enforcement import asset_catalogue
    from enforcement.models import Asset, AssetCategory, PartyRole
    from enforcement.services import assets as s_assets
    from enforcement.services import cases as s_cases
    from enforcement.services import closure as s_closure
    from enforcement.services import disposal as s_disposal
    from enforcement.services import measures as s_measures
    from enforcement.services import over_seizure as s_over_seizure
    from enforcement.services import property_clues as s_property_clues
    from supervision.models import Alert
    from supervision.services.orders import order_issue
    from supervision.services.petitions import petition_receive

    if not AssetCategory.objects.exists():  # as tests/conftest.py::_reference_data (a flush removes them)
        asset_catalogue.sync(AssetCategory)
    u, courts, case = m.users, m.courts, m.case
    clerk, handler, head = u["clerk"], u["officer"], u["lower_head"]
    w = FuzzWorld(matrix=m, token=m.tokens["api_lu0102"])

    # A named person holding most posts of 鲁01 and 鲁0102: the session persona, so
    # that the steps a machine client may not take are fuzzed too.
    person = make_member(Role.BUREAU_HEAD, courts.lu01, "fuzz_person")
    for role, court in (
        (Role.CASE_SUPERVISOR, courts.lu01),
        (Role.INSPECTOR, courts.lu01),
        (Role.HANDLER, courts.lu0102),
        (Role.FINANCE, courts.lu0102),
        (Role.INSPECTOR, courts.lu0102),
    ):
        make_member(role, court, "fuzz_person")
    w.person = person

    # --- searches, assets, measures on the matrix case ---------------------------------
    search = s_assets.search_launch(
        actor=clerk, case=case, channel="online", category_codes=None, launched_at=at("2026-10-09 09:00")
    )
    s_assets.search_record_feedback(
        actor=clerk,
        search=search,
        received_at=at("2026-10-12 15:00"),
        findings=[
            s_assets.FindingInput("real_estate", "历下区某路1号住宅", Decimal("900000.00")),
            s_assets.FindingInput("bank_deposit", "工商银行账户存款", Decimal("80000.00")),
            s_assets.FindingInput("vehicle", "小型轿车一辆", Decimal("50000.00")),
            s_assets.FindingInput("equity", "某公司股权", Decimal("20000.00")),
            s_assets.FindingInput("securities", "证券账户股票", Decimal("30000.00")),
        ],
    )
    assets = {a.category.code: a for a in Asset.objects.filter(case=case).select_related("category")}
    open_search = s_assets.search_launch(
        actor=clerk, case=case, channel="online", category_codes=None, launched_at=at("2026-10-20 09:00")
    )
    deposit_freeze = s_measures.control_create(
        actor=clerk, case=case, asset=assets["bank_deposit"], kind="freeze_deposit",
        amount=Decimal("50000.00"), effective_at=at("2026-10-13 10:00"),
    )
    house_measure = s_measures.control_create(
        actor=head, case=case, asset=assets["real_estate"], kind="seize_real_estate", amount=None,
        effective_at=at("2026-10-14 10:00"),
        override_approval=approved_override(case, assets["real_estate"], handler, head, "唯一可供执行的财产"),
        whole_because_indivisible=True, registry_refusal="登记在同一权利证书下，不能办理分割查封",
    )
    s_measures.control_create(
        actor=head, case=case, asset=assets["vehicle"], kind="seize_movable", amount=None,
        effective_at=at("2026-10-14 11:00"),
        override_approval=approved_override(case, assets["vehicle"], handler, head, "车辆价值不高"),
    )
    s_measures.control_create(
        actor=head, case=case, asset=assets["securities"], kind="freeze_other", amount=None,
        effective_at=at("2026-10-14 12:00"),
        override_approval=approved_override(case, assets["securities"], handler, head, "股票变现快"),
    )
    # gate: gateprop — a 轮候查封 with the applicant's priority, and its pending transfer request
    s_assets.asset_record_waiting_seizure(
        actor=handler, asset=assets["securities"], at=at("2026-10-14 13:00"), first_court="济南市历下区人民法院",
        applicant_priority=True,
    )
    priority_transfer = s_assets.priority_transfer_request(
        actor=handler, asset=assets["securities"], at=at("2026-10-15 09:00"), letter_no="(2026)鲁0102执1001号商请函"
    )
    disposal = s_disposal.disposal_start(
        actor=handler, asset=assets["real_estate"], method="online_inquiry", at=at("2026-10-20 10:00")
    )
    self_disposal = s_disposal.self_disposal_allow(
        actor=handler, asset=assets["vehicle"], at=at("2026-10-21 10:00"), days=60
    )
    property_clue = s_property_clues.property_clue_receive(
        actor=clerk, case=case, received_at=at("2026-10-15 10:00"), description="被执行人在某小区有车位",
        specific=True, urgent=False,
    )
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    (credit,) = s_measures.credit_issue(
        actor=handler, case=case, party_id=respondent.pk, kind="restriction",
        issued_at=at("2026-10-16 10:00"),
    )
    from enforcement.services import credit as s_credit

    restricted_person = s_credit.credit_person_add(actor=handler, measure=credit, person=s_credit.RestrictedPersonInput(
        "王法代", "370102199001011231", "legal_representative"))
    approval = s_closure.approval_request(
        actor=handler, case=case, kind="over_seizure", reason="查封财产价值超过标的", payload={}
    )
    # 超标的查封 (322号 §15): an approved override for the equity, an objection to the
    # whole seizure of the house and its 分割查封 item
    equity_override = approved_override(case, assets["equity"], handler, head, "股权价值不大")
    seizure_objection = s_over_seizure.seizure_objection_file(
        actor=handler, measure=house_measure, party_id=case.parties.get(role=PartyRole.RESPONDENT).pk,
        filed_at=at("2026-10-16 11:00"), grounds="房屋价值远超债权额", appraisal_requested=True,
    )

    # --- funds -----------------------------------------------------------------------------
    account = LedgerAccount.objects.get(case=case)
    matched, _created = funds.receipt_record(
        actor=clerk, court=courts.lu0102, reference="FUZZ-B001", account_number=account.number,
        amount=Decimal("30000.00"), arrived_at=at("2026-10-22 10:00"), payer="某某公司",
    )
    unidentified, _created = funds.receipt_record(
        actor=clerk, court=courts.lu0102, reference="FUZZ-B002", account_number="6200000000000",
        amount=Decimal("1200.00"), arrived_at=at("2026-10-23 10:00"), payer="李某",
    )
    disbursement = funds.disbursement_draft(
        actor=handler, case=case, payee_id=applicant.pk, amount=Decimal("10000.00"),
        account_number=applicant.payout_account.account_number,
    )
    hold = funds.hold_request(actor=handler, case=case, kind="delay", reason="to_distribute", note="当事人申请暂缓")

    # --- a second case, suspended -------------------------------------------------------------
    case2 = make_case(clerk, courts.lu0102, number="(2026)鲁0102执1002号", handler=handler)
    s_cases.case_serve_notice(actor=handler, case=case2, served_at=at("2026-10-09 10:00"))
    s_cases.case_suspend(actor=handler, case=case2, at=at("2026-10-10 10:00"), ruling_number="(2026)鲁0102执异8号",
                         approved_by=head.pk, reason="被执行人申请破产")

    # --- supervision ----------------------------------------------------------------------------
    order = order_issue(
        actor=u["working_group"], case=case, kind="urge", instructions="请于期限内查明财产并依法控制。",
        response_days=5, issued_at=at("2026-10-28 10:00"),
    )
    petition = petition_receive(
        actor=clerk, court=courts.lu0102, channel="letter", petitioner_name="王五",
        petitioner_phone="13912345678", content="反映案款迟迟未发放。", case=case,
        received_at=at("2026-10-29 10:00"),
    )
    local_alert = Alert.objects.filter(case=case, court=courts.lu0102).order_by("pk").first()

    # --- 补录核实: a clue verification the clerk entered late after its due moment (待核实) --------
    from core.models import Deadline, DeadlineStatus

    late_clue = s_property_clues.property_clue_receive(
        actor=clerk, case=case, received_at=at("2026-10-15 11:00"), description="被执行人在某银行有存款",
        specific=True, urgent=True,
    )
    backdate_claim = Deadline.objects.get(rule__code="CLUE_VERIFY", case=case, subject_id=late_clue.pk)
    Deadline.objects.filter(pk=backdate_claim.pk).update(
        status=DeadlineStatus.PENDING_VERIFICATION, claimed_at=at("2026-10-15 12:00"),
        completed_at=at("2026-10-17 16:00"), completed_by=clerk,
    )

    w.ids = {
        "case": case.pk,
        "case2": case2.pk,
        "search": open_search.pk,
        "asset": assets["equity"].pk,
        "asset_real_estate": assets["real_estate"].pk,
        "asset_vehicle": assets["vehicle"].pk,
        "asset_seized": assets["securities"].pk,  # seized, no disposal yet
        "control_measure": deposit_freeze.pk,
        "credit_measure": credit.pk,
        "restricted_person": restricted_person.pk,
        "property_clue": property_clue.pk,
        "disposal": disposal.pk,
        "self_disposal": self_disposal.pk,
        "approval": approval.pk,
        "over_seizure_override": equity_override.pk,
        "house_measure": house_measure.pk,
        "seizure_objection": seizure_objection.pk,
        "split_seizure": house_measure.splits.get().pk,
        "receipt": unidentified.pk,
        "receipt_matched": matched.pk,
        "disbursement": disbursement.pk,
        "hold": hold.pk,
        "order": order.pk,
        "petition": petition.pk,
        "petition_flagged": m.petition.pk if m.petition else None,
        "alert": local_alert.pk if local_alert else None,
        "alert_upper": m.alert.pk if m.alert else None,
        "party_applicant": applicant.pk,
        "priority_transfer": priority_transfer.pk,  # gate: gateprop
        "party_respondent": respondent.pk,
        "attachment": m.attachments.get("rep"),
        "person": person.pk,
        "head": u["head"].pk,
        "inspector": u["inspector"].pk,
        "backdate_claim": backdate_claim.pk,
        **{f"dualcheck_{key}": clue.pk for key, clue in m.clues.items()},
    }
    # h/coercion: a 拒执 referral awaiting its outcome, an application awaiting a decision
    from enforcement.services import coercion as s_coercion

    referral = s_coercion.coercion_entry_record(
        actor=clerk, case=case, kind="refusal_crime_referral", party_id=respondent.pk, route="police",
        decided_at=at("2026-10-25 10:00"), document_number="(2026)鲁0102执1001号移送函",
    )
    application = s_coercion.measure_application_receive(
        actor=clerk, case=case, applicant_id=applicant.pk, kind="audit", applied_at=at("2026-10-25 11:00"),
    )
    w.ids.update(coercion_referral=referral.pk, measure_application=application.pk)
    return w

