"""The objects of the authorization matrix's world (``world.py``), app by app:
鲁01's cases with a sub-object in every state an action needs, their money, the
督办 orders and petitions, the marker objects of every court, the alerts and the
export jobs."""

import datetime as dt
from decimal import Decimal

from core.models import Court, Role
from tests.conftest import at
from tests.core.factories import make_member
from tests.security.authz.world import (
    CONFIRMED_ACCOUNT,
    COURT_OF,
    MARKER_COURTS,
    World,
    org_code,
    person_id,
)


def _marker_handler(w, code: str, court: Court):
    own = {v: k for k, v in COURT_OF.items()}.get(code)
    return w.user("handler", own) if own else make_member(Role.HANDLER, court, f"helper-handler.{code}")


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


def _enforcement(w: World) -> None:
    """鲁01's cases: ``main`` with a sub-object in every state an action needs,
    ``suspended``, ``terminated`` (终本, to restore) and ``fresh`` (no order yet)."""
    from enforcement.models import Disposal, SelfDisposal, SplitSeizure
    from enforcement.services import assets as a
    from enforcement.services import cases as c
    from enforcement.services import closure, over_seizure
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
            actor=clerk, case=o.main, asset=asset, kind=kind, amount=None, effective_at=at("2026-09-04 09:00"),
            # a value nobody knows is never counted as zero (spec §7.1): a reasoned estimate
            estimated_value=Decimal("10000.00"), estimate_basis="registry_or_contract", estimate_note="登记价",
        )
    o.measure = measures[o.asset_controlled.pk]
    # 超标的查封 (322号 §15): a pending objection to the house's seizure and its 分割查封 item
    o.house_measure = measures[o.house.pk]
    o.seizure_objection = over_seizure.seizure_objection_file(
        actor=clerk, measure=o.house_measure, party_id=o.main.parties.get(role="respondent").pk,
        filed_at=at("2026-09-05 09:00"), grounds="房屋价值远超债权额", appraisal_requested=True,
    )
    o.split = SplitSeizure.objects.create(case=o.main, measure=o.house_measure, opened_at=at("2026-09-04 09:00"))
    # the main case's claim is fully on its account (limit 0): seizing more needs an approved override
    o.over_seizure_override = closure.approval_decide(
        actor=head, approve=True, approval=closure.approval_request(
            actor=handler, case=o.main, kind="over_seizure", reason="车辆系唯一可供执行财产",
            payload={"asset": o.asset_found2.pk},
        ),
    )
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
    # gate: gateprop — a clue found true (no asset yet), a 轮候查封 with priority and its pending transfer
    # request, an asset a failed auction left unsold
    o.clue_true = ap.property_clue_receive(
        actor=clerk, case=o.main, received_at=at("2026-09-09 12:00"), description="某小区车位"
    )
    ap.property_clue_start_verification(actor=clerk, clue=o.clue_true, at=at("2026-09-09 13:00"))
    ap.property_clue_conclude(actor=clerk, clue=o.clue_true, at=at("2026-09-09 14:00"), true=True, note="经查属实")
    a.asset_record_waiting_seizure(
        actor=clerk, asset=o.asset_controlled, at=at("2026-09-04 10:00"), first_court="河北省石家庄市长安区人民法院",
        applicant_priority=True,
    )
    o.transfer = a.priority_transfer_request(
        actor=clerk, asset=o.asset_controlled, at=at("2026-09-05 10:00"), letter_no="(2026)鲁01执101号商请函"
    )
    unsold_search = a.search_launch(
        actor=clerk, case=o.main, channel="online", category_codes=["vehicle"], launched_at=at("2026-09-08 10:00")
    )
    [o.asset_unsold] = a.search_record_feedback(
        actor=clerk, search=unsold_search, received_at=at("2026-09-08 11:00"),
        findings=[a.FindingInput("vehicle", "车辆己（流拍）", Decimal("20000.00"), False)],
    )
    am.control_create(actor=clerk, case=o.main, asset=o.asset_unsold, kind="seize_movable", amount=None,
                      effective_at=at("2026-09-08 12:00"))
    d6 = ad.disposal_start(actor=clerk, asset=o.asset_unsold, method="online_inquiry", at=at("2026-09-08 13:00"))
    ad.disposal_fix_price(actor=clerk, disposal=d6, price=Decimal("20000.00"), at=at("2026-09-08 14:00"))
    ad.disposal_launch_auction(actor=clerk, disposal=d6, at=at("2026-09-08 15:00"))
    ad.disposal_conclude(actor=clerk, disposal=d6, at=at("2026-09-08 16:00"), sold=False)
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

    # h/coercion: a 拒执 referral awaiting its outcome and an application awaiting a decision
    from enforcement.services import coercion as co

    o.referral = co.coercion_entry_record(
        actor=clerk, case=o.main, kind="refusal_crime_referral", party_id=o.respondent.pk, route="police",
        decided_at=at("2026-09-11 09:00"), document_number="(2026)鲁01执101号移送函",
    )
    o.measure_application = co.measure_application_receive(
        actor=clerk, case=o.main, applicant_id=o.applicant.pk, kind="audit", applied_at=at("2026-09-11 10:00"),
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
    c.case_suspend(actor=clerk, case=o.suspended, at=at("2026-09-10 09:00"), ruling_number="(2026)鲁01执异1号",
                   approved_by=head.pk, reason="案外人异议")
    # a second 执行局长 of 鲁01: the one who approves the own bureau head's 中止 (≠ requester)
    from core.models import Role
    from tests.core.factories import make_member

    o.deputy_head = make_member(Role.BUREAU_HEAD, court, "bureau_head.own.deputy")

    o.terminated = _case(
        clerk, court, "(2026)鲁01执103号", received="2026-07-01 10:00", filed="2026-06-28", handler=handler
    )
    real, real_clocks = closure.terminated_round_unmet, closure.clocks_blocking_closure
    # the 终本 conditions and the clocks that refuse it are the services' to test
    # (tests/enforcement: test_workflow, test_clock_lifecycle)
    closure.terminated_round_unmet = lambda *args, **kwargs: []
    closure.clocks_blocking_closure = lambda *args, **kwargs: []
    try:
        closure.case_close(
            actor=head,
            case=o.terminated,
            closure="terminated_this_round",
            closed_at=at("2026-10-20 10:00"),
            document="(2026)鲁01执103号之一",
        )
    finally:
        closure.terminated_round_unmet, closure.clocks_blocking_closure = real, real_clocks
    # gate: gateproc — the ruling served on every party closes the case
    from tests.enforcement.gate_gateproc import serve_ruling_on_all

    serve_ruling_on_all(o.terminated, actor=clerk, at=at("2026-10-20 11:00"))

    o.third = _case(
        clerk, court, "(2026)鲁01执104号", received="2026-09-01 10:00", filed="2026-08-28", handler=handler
    )
    o.fresh = _case(
        clerk, court, "(2026)鲁01执105号", received="2026-11-02 10:00", filed="2026-10-30", handler=handler
    )
    # h/credit: a 限消 owed a release (担保 accepted), a 失信 under correction review, a restricted person
    from enforcement.services import credit as acr

    third_respondent = o.third.parties.get(role="respondent")
    (o.credit_due,) = am.credit_issue(
        actor=clerk, case=o.third, party_id=third_respondent.pk, kind="restriction", issued_at=at("2026-09-10 09:00"),
        persons=[acr.RestrictedPersonInput("原法定代表人", "370102199001011231", "legal_representative")],
    )
    o.person = o.credit_due.restricted_persons.get()
    acr.credit_serve(actor=clerk, measure=o.credit_due, served_at=at("2026-09-10 10:00"), method="direct", recipient="被执行人")
    acr.credit_guarantee_accept(actor=clerk, case=o.third, party_id=third_respondent.pk, at=at("2026-09-11 09:00"), document="担保书")
    (o.credit_corr,) = am.credit_issue(
        actor=clerk, case=o.third, party_id=third_respondent.pk, kind="dishonest", issued_at=at("2026-09-10 09:00")
    )
    acr.credit_correction_request(actor=clerk, measure=o.credit_corr, at=at("2026-09-12 09:00"), reason="错误纳入")

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


def _documents(w: World) -> None:
    """A document generated for 鲁01's main case (its number names the case in the filename)."""
    from documents.selectors import case_for_documents
    from documents.services import document_generate

    handler = w.user("handler", "own")
    w.o.document = document_generate(
        actor=handler, case=case_for_documents(handler, w.o.main.pk), kind="execution_notice", fmt="docx"
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
            # the court's handler of the matrix where the world has one (only handlers and the
            # bureau head may be 承办人, issue 16), so the 待办 and inbox rows show to a person
            handler=_marker_handler(w, code, court),
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


def _backdate(w: World) -> None:
    """A clock of 鲁01's main case stopped by a node its clerk entered beyond the
    tolerance after the due moment: 待核实 until a bureau head or court leader over
    鲁01 decides (not the clerk, not the handler: maker–checker)."""
    from core.models import Deadline, DeadlineStatus
    from core.services import clocks

    o = w.o
    d = clocks.clock_start(
        rule_code="CLUE_VERIFY", court=o.main.court, case=o.main, subject=o.main,
        subject_label=f"{o.main} · 财产线索", started_at=at("2026-11-02 09:00"), variant="urgent",
        responsible=w.user("handler", "own"),
    )
    Deadline.objects.filter(pk=d.pk).update(
        status=DeadlineStatus.PENDING_VERIFICATION, claimed_at=at("2026-11-02 10:00"),
        completed_at=at("2026-11-04 16:00"), completed_by=w.user("clerk", "own"),
    )
    o.backdate_claim = Deadline.objects.get(pk=d.pk)
