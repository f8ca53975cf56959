"""The property rows of the 终本 gate (spec §3 #6–#13; tests T11.6–T11.13), each both ways.

T11's fixture: filed 2026-01-15; R1 (person), R2 (organisation); the request at 2026-04-16 10:00.
Other engineers own the other rows, so each test asserts only that its own code is (or is not)
in ``unmet`` and which object ``details`` names."""

import datetime as dt
from decimal import Decimal

import pytest

from core.exceptions import RuleViolation, ValidationFailed
from core.models import NodeEvent
from enforcement.models import AssetCategory, AssetStatus, CourtAssetCategory, PartyRole, SearchChannel
from enforcement.services import assets as asset_services
from enforcement.services import disposal as disposal_services
from enforcement.services import measures as measure_services
from enforcement.services import property_clues as clue_services
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from enforcement.services.closure import case_close
from enforcement.services.gate import terminated_round_unmet
from tests.conftest import at
from tests.enforcement.factories import org_code, person_id
from tests.enforcement.gate_gateprop import satisfy_gateprop_gate

REQUEST_AT = at("2026-04-16 10:00")
SEARCHED_AT = at("2026-01-20 09:00")
RULING = "(2026)鲁0102执11号之一"


@pytest.fixture
def t11(courts, clerk, handler):
    case = case_register(
        actor=clerk,
        data=CaseInput(
            case_number="(2026)鲁0102执11号", court=courts.lu0102, filed_on=dt.date(2026, 1, 15),
            received_at=at("2026-01-15 09:00"), claim_amount=Decimal("500000.00"),
            basis_document="(2025)鲁0102民初9号民事判决书",
            applicants=[PartyInput("张三", "person", person_id(), "13800000000",
                                   PayoutAccountInput("工商银行", "6222020200112233445", "张三"))],
            respondents=[PartyInput("李四", "person", person_id("37010219800101123")),
                         PartyInput("某某公司", "organization", org_code())],
            handler=handler,
        ),
    )
    case.r1, case.r2 = case.parties.filter(role=PartyRole.RESPONDENT).order_by("id")
    case.applicant = case.parties.get(role=PartyRole.APPLICANT)
    return case


def gate(case, code):
    """The details of ``code`` at the request (empty when the row holds)."""
    return [u for u in terminated_round_unmet(case, REQUEST_AT, RULING) if u["code"] == code]


def found(case, actor, category="vehicle", description="鲁A12345 小型轿车", value="50000.00", when="2026-01-21 09:00"):
    search = asset_services.search_launch(
        actor=actor, case=case, channel=SearchChannel.NATIONAL, category_codes=[category], launched_at=at(when),
        respondent=case.r1.pk,
    )
    [asset] = asset_services.search_record_feedback(
        actor=actor, search=search, received_at=at(when) + dt.timedelta(hours=2),
        findings=[asset_services.FindingInput(category, description, Decimal(value))],
    )
    return asset


# --- #6 online_search_incomplete ---------------------------------------------------------------


def test_t11_6_online_search_for_r1_only_leaves_r2_unsearched(t11, handler):
    search = asset_services.search_launch(
        actor=handler, case=t11, channel="online", category_codes=None, launched_at=SEARCHED_AT, respondent=t11.r1.pk
    )
    asset_services.search_record_feedback(actor=handler, search=search, received_at=at("2026-01-20 15:00"), findings=[])
    unmet = gate(t11, "online_search_incomplete")
    assert unmet and {u["respondent"] for u in unmet} == {t11.r2.pk}
    assert {u["category"] for u in unmet} >= {"bank_deposit", "real_estate", "securities"}

    satisfy_gateprop_gate(t11, actor=handler, at=SEARCHED_AT)
    assert gate(t11, "online_search_incomplete") == []


def test_t11_6_a_search_without_feedback_does_not_count(t11, handler):
    for respondent in (t11.r1, t11.r2):
        asset_services.search_launch(
            actor=handler, case=t11, channel="online", category_codes=None, launched_at=SEARCHED_AT,
            respondent=respondent.pk,
        )
    assert {u["respondent"] for u in gate(t11, "online_search_incomplete")} == {t11.r1.pk, t11.r2.pk}


def test_t11_6_a_search_naming_no_respondent_counts_only_on_a_single_respondent_case(t11, handler, clerk, courts):
    # two respondents: a case-wide search (legacy, or a client that named no respondent) covers neither
    search = asset_services.search_launch(
        actor=handler, case=t11, channel="online", category_codes=None, launched_at=SEARCHED_AT
    )
    assert search.respondent_id is None
    asset_services.search_record_feedback(actor=handler, search=search, received_at=at("2026-01-20 15:00"), findings=[])
    assert {u["respondent"] for u in gate(t11, "online_search_incomplete")} == {t11.r1.pk, t11.r2.pk}
    # one respondent: a legacy row without a respondent counts for that respondent
    from tests.enforcement.factories import make_case

    single = make_case(clerk, courts.lu0102, number="(2026)鲁0102执12号", received="2026-01-15 09:00", filed="2026-01-15")
    legacy = asset_services.search_launch(
        actor=handler, case=single, channel="online", category_codes=None, launched_at=SEARCHED_AT
    )
    type(legacy).objects.filter(pk=legacy.pk).update(respondent=None)  # a row from before migration 0003
    asset_services.search_record_feedback(actor=handler, search=legacy, received_at=at("2026-01-20 15:00"), findings=[])
    assert [u for u in terminated_round_unmet(single, REQUEST_AT, RULING) if u["code"] == "online_search_incomplete"] == []


def test_search_refuses_a_respondent_of_another_case(t11, handler, clerk, courts):
    from tests.enforcement.factories import make_case

    other = make_case(clerk, courts.lu0102, number="(2026)鲁0102执13号", received="2026-01-15 09:00", filed="2026-01-15")
    stranger = other.parties.get(role=PartyRole.RESPONDENT)
    with pytest.raises(ValidationFailed) as refused:
        asset_services.search_launch(
            actor=handler, case=t11, channel="online", category_codes=None, launched_at=SEARCHED_AT,
            respondent=stranger.pk,
        )
    assert "respondent" in refused.value.extra["fields"]
    assert not t11.searches.exists()


# --- #7 offline_investigation_missing ----------------------------------------------------------


def test_t11_7_a_category_switched_off_needs_an_offline_investigation_per_respondent(t11, handler):
    satisfy_gateprop_gate(t11, actor=handler, at=SEARCHED_AT)
    assert gate(t11, "offline_investigation_missing") == []
    CourtAssetCategory.objects.create(court=t11.court, category=AssetCategory.objects.get(code="securities"), enabled=False)
    unmet = gate(t11, "offline_investigation_missing")
    assert {(u["respondent"], u["category"]) for u in unmet} == {(t11.r1.pk, "securities"), (t11.r2.pk, "securities")}

    for respondent in (t11.r1, t11.r2):
        visit = asset_services.search_launch(
            actor=handler, case=t11, channel="offline", category_codes=["securities"], launched_at=at("2026-02-02 09:00"),
            respondent=respondent.pk,
        )
        asset_services.search_record_feedback(
            actor=handler, search=visit, received_at=at("2026-02-03 16:00"), findings=[],
            note="向证券登记结算机构现场调查，未发现证券账户",
        )
    assert gate(t11, "offline_investigation_missing") == []


def test_t11_7_an_offline_investigation_without_findings_or_note_does_not_count(t11, handler):
    satisfy_gateprop_gate(t11, actor=handler, at=SEARCHED_AT)
    CourtAssetCategory.objects.create(court=t11.court, category=AssetCategory.objects.get(code="securities"), enabled=False)
    for respondent in (t11.r1, t11.r2):
        visit = asset_services.search_launch(
            actor=handler, case=t11, channel="offline", category_codes=["securities"], launched_at=at("2026-02-02 09:00"),
            respondent=respondent.pk,
        )
        asset_services.search_record_feedback(actor=handler, search=visit, received_at=at("2026-02-03 16:00"), findings=[])
    assert len(gate(t11, "offline_investigation_missing")) == 2


def test_t11_7_the_category_the_online_system_cannot_query_needs_an_offline_investigation(t11, handler):
    search = asset_services.search_launch(
        actor=handler, case=t11, channel="online", category_codes=None, launched_at=SEARCHED_AT, respondent=t11.r1.pk
    )
    asset_services.search_record_feedback(actor=handler, search=search, received_at=at("2026-01-20 15:00"), findings=[])
    assert {(u["respondent"], u["category"]) for u in gate(t11, "offline_investigation_missing")} == {
        (t11.r1.pk, "other"), (t11.r2.pk, "other"),
    }


# --- #8 clues_unverified ------------------------------------------------------------------------


def test_t11_8_a_clue_under_verification_blocks_until_concluded(t11, handler):
    clue = clue_services.property_clue_receive(
        actor=handler, case=t11, received_at=at("2026-02-02 09:00"), description="被执行人在某小区有房产"
    )
    clue_services.property_clue_start_verification(actor=handler, clue=clue, at=at("2026-02-03 09:00"))
    assert [u["clue"] for u in gate(t11, "clues_unverified")] == [clue.pk]
    clue_services.property_clue_conclude(actor=handler, clue=clue, at=at("2026-02-05 09:00"), true=False, note="经查该房产登记在案外人名下")
    assert gate(t11, "clues_unverified") == []


# --- #9 clue_true_uncontrolled ------------------------------------------------------------------


def _true_clue(case, actor):
    clue = clue_services.property_clue_receive(
        actor=actor, case=case, received_at=at("2026-02-02 09:00"), description="被执行人有一辆轿车停放在某小区"
    )
    clue_services.property_clue_start_verification(actor=actor, clue=clue, at=at("2026-02-03 09:00"))
    return clue_services.property_clue_conclude(
        actor=actor, clue=clue, at=at("2026-02-04 09:00"), true=True, note="经查属实，车辆登记在被执行人名下"
    )


def test_t11_9_a_true_clue_without_its_asset_is_uncontrolled(t11, handler):
    clue = _true_clue(t11, handler)
    assert [(u["clue"], u.get("asset")) for u in gate(t11, "clue_true_uncontrolled")] == [(clue.pk, None)]


def test_t11_9_a_true_clue_passes_once_its_asset_is_controlled(t11, handler):
    clue = _true_clue(t11, handler)
    clue = clue_services.property_clue_link_asset(
        actor=handler, clue=clue, at=at("2026-02-04 10:00"), category="vehicle", description="鲁A54321 轿车",
        value=Decimal("40000.00"),
    )
    assert [(u["clue"], u["asset"]) for u in gate(t11, "clue_true_uncontrolled")] == [(clue.pk, clue.asset_id)]
    measure_services.control_create(
        actor=handler, case=t11, asset=clue.asset, kind="seize_movable", amount=None, effective_at=at("2026-02-04 15:00")
    )
    assert gate(t11, "clue_true_uncontrolled") == []


def test_t11_9_a_true_clue_passes_with_a_valid_uncontrollable_reason(t11, handler):
    clue = _true_clue(t11, handler)
    asset = found(t11, handler)
    clue_services.property_clue_link_asset(actor=handler, clue=clue, at=at("2026-02-04 10:00"), asset=asset.pk)
    assert gate(t11, "clue_true_uncontrolled")
    asset_services.asset_mark_uncontrollable(
        actor=handler, asset=asset, at=at("2026-02-06 09:00"), reason_code="registered_not_seized",
        evidence="车辆查封登记回执；2026-02-05 扣押笔录（未找到车辆）",
    )
    assert gate(t11, "clue_true_uncontrolled") == []


def test_a_clue_links_only_an_asset_of_its_own_case(t11, handler, clerk, courts):
    from tests.enforcement.factories import make_case

    other = make_case(clerk, courts.lu0102, number="(2026)鲁0102执14号", received="2026-01-15 09:00", filed="2026-01-15")
    other.r1 = other.parties.get(role=PartyRole.RESPONDENT)
    foreign = found(other, handler)
    clue = _true_clue(t11, handler)
    with pytest.raises(ValidationFailed):
        clue_services.property_clue_link_asset(actor=handler, clue=clue, at=at("2026-02-04 10:00"), asset=foreign.pk)
    clue.refresh_from_db()
    assert clue.asset_id is None


# --- #10 assets_unhandled -----------------------------------------------------------------------


def test_t11_10_a_found_asset_and_a_controlled_undisposed_one_are_unhandled(t11, handler):
    asset = found(t11, handler)
    assert [u["asset"] for u in gate(t11, "assets_unhandled")] == [asset.pk]
    measure_services.control_create(
        actor=handler, case=t11, asset=asset, kind="seize_movable", amount=None, effective_at=at("2026-01-22 10:00")
    )
    assert [u["asset"] for u in gate(t11, "assets_unhandled")] == [asset.pk]


def test_t11_10_an_asset_marked_uncontrollable_with_a_listed_reason_is_handled(t11, handler):
    asset = found(t11, handler)
    asset_services.asset_mark_uncontrollable(
        actor=handler, asset=asset, at=at("2026-01-23 10:00"), reason_code="destroyed", evidence="交警部门出具的车辆报废证明"
    )
    assert gate(t11, "assets_unhandled") == []


# --- #11 disposal_not_exhausted -----------------------------------------------------------------


def _auction_fails(actor, asset, day):
    d = disposal_services.disposal_start(actor=actor, asset=asset, method="online_inquiry", at=at(f"{day} 09:00"))
    disposal_services.disposal_fix_price(actor=actor, disposal=d, price=Decimal("45000.00"), at=at(f"{day} 10:00"))
    disposal_services.disposal_launch_auction(actor=actor, disposal=d, at=at(f"{day} 11:00"))
    return disposal_services.disposal_conclude(actor=actor, disposal=d, at=at(f"{day} 16:00"), sold=False)


def _controlled(case, actor, **kw):
    asset = found(case, actor, **kw)
    measure_services.control_create(
        actor=actor, case=case, asset=asset, kind="seize_movable", amount=None, effective_at=at("2026-01-22 10:00")
    )
    return asset


def test_t11_11_an_asset_unsold_after_one_auction_is_not_exhausted(t11, handler):
    asset = _controlled(t11, handler)
    first = _auction_fails(handler, asset, "2026-02-10")
    assert first.round == 1
    assert [u["asset"] for u in gate(t11, "disposal_not_exhausted")] == [asset.pk]
    second = _auction_fails(handler, asset, "2026-03-10")
    assert second.round == 2
    assert [u["asset"] for u in gate(t11, "disposal_not_exhausted")] == [asset.pk]  # no refusal of 以物抵债 yet
    disposal_services.disposal_record_offset_refusal(
        actor=handler, asset=asset, applicant=t11.applicant.pk, at=at("2026-03-12 10:00"),
        document="申请执行人张三签字的《不同意以物抵债确认书》",
    )
    assert gate(t11, "disposal_not_exhausted") == []
    kinds = list(NodeEvent.objects.filter(case=t11, kind__startswith="disposal.").values_list("kind", "payload__round"))
    assert ("disposal.auction_failed", 1) in kinds and ("disposal.auction_failed", 2) in kinds
    assert NodeEvent.objects.filter(case=t11, kind="disposal.offset_refused").count() == 1


def test_t11_11_real_estate_also_needs_a_failed_sell_off(t11, handler):
    asset = _controlled(t11, handler, category="real_estate", description="某小区1号楼101室", value="300000.00")
    _auction_fails(handler, asset, "2026-02-10")
    _auction_fails(handler, asset, "2026-03-10")
    disposal_services.disposal_record_offset_refusal(
        actor=handler, asset=asset, applicant=t11.applicant.pk, at=at("2026-03-12 10:00"), document="不同意以物抵债确认书"
    )
    [unmet] = gate(t11, "disposal_not_exhausted")
    assert unmet["asset"] == asset.pk and "变卖" in unmet["message"]
    d = disposal_services.disposal_start(actor=handler, asset=asset, method="online_inquiry", at=at("2026-03-16 09:00"))
    disposal_services.disposal_fix_price(actor=handler, disposal=d, price=Decimal("200000.00"), at=at("2026-03-16 10:00"))
    disposal_services.disposal_launch_auction(actor=handler, disposal=d, at=at("2026-03-17 10:00"), mode="sell_off")
    disposal_services.disposal_conclude(actor=handler, disposal=d, at=at("2026-04-10 10:00"), sold=False)
    assert gate(t11, "disposal_not_exhausted") == []
    assert NodeEvent.objects.filter(case=t11, kind="disposal.sell_off_failed").exists()


def test_offset_refusal_needs_an_unsold_asset_and_the_case_applicant(t11, handler):
    asset = _controlled(t11, handler)
    with pytest.raises(RuleViolation) as refused:
        disposal_services.disposal_record_offset_refusal(
            actor=handler, asset=asset, applicant=t11.applicant.pk, at=at("2026-02-12 10:00"), document="确认书"
        )
    assert refused.value.code == "offset_not_offered"
    _auction_fails(handler, asset, "2026-02-10")
    with pytest.raises(ValidationFailed) as bad:
        disposal_services.disposal_record_offset_refusal(
            actor=handler, asset=asset, applicant=t11.r1.pk, at=at("2026-02-12 10:00"), document=""
        )
    assert set(bad.value.extra["fields"]) == {"applicant", "document"}
    assert not asset.offset_refusals.exists()


# --- #12 uncontrollable_reason_invalid ----------------------------------------------------------


def test_t11_12_other_is_not_a_reason_and_changes_nothing(t11, handler):
    asset = found(t11, handler)
    with pytest.raises(RuleViolation) as refused:
        asset_services.asset_mark_uncontrollable(
            actor=handler, asset=asset, at=at("2026-01-23 10:00"), reason_code="other", reason="其他", evidence=""
        )
    assert refused.value.code == "uncontrollable_reason_invalid"
    assert set(refused.value.extra["fields"]) == {"reason_code", "evidence"}
    asset.refresh_from_db()
    assert asset.status == AssetStatus.FOUND


def test_t11_12_a_legacy_uncontrollable_asset_with_reason_other_blocks_until_reasoned(t11, handler):
    asset = found(t11, handler)
    # a row recorded before this change: free text "其他", no code, no evidence
    type(asset).objects.filter(pk=asset.pk).update(status=AssetStatus.UNCONTROLLABLE, uncontrollable_reason="其他")
    assert [u["asset"] for u in gate(t11, "uncontrollable_reason_invalid")] == [asset.pk]
    asset_services.asset_mark_uncontrollable(
        actor=handler, asset=asset, at=at("2026-02-01 10:00"), reason_code="registered_not_seized",
        evidence="车管所查封登记回执；扣押笔录",
    )
    assert gate(t11, "uncontrollable_reason_invalid") == []


# --- #13 priority_transfer_not_requested --------------------------------------------------------


def test_t11_13_waiting_seizure_with_priority_needs_the_transfer_request_and_its_answer(t11, handler):
    asset = _controlled(t11, handler, category="real_estate", description="某小区2号楼202室", value="300000.00")
    asset_services.asset_record_waiting_seizure(
        actor=handler, asset=asset, at=at("2026-01-23 10:00"), first_court="济南市历下区人民法院", applicant_priority=True
    )
    assert [u["asset"] for u in gate(t11, "priority_transfer_not_requested")] == [asset.pk]
    assert gate(t11, "assets_unhandled") == []  # #13's to answer while the transfer is not agreed
    request = asset_services.priority_transfer_request(
        actor=handler, asset=asset, at=at("2026-02-02 10:00"), letter_no="(2026)鲁0102执11号商请函"
    )
    assert request.first_court == "济南市历下区人民法院"
    assert [u["asset"] for u in gate(t11, "priority_transfer_not_requested")] == [asset.pk]  # not yet answered
    asset_services.priority_transfer_answer(
        actor=handler, request=request, at=at("2026-03-02 10:00"), agreed=False, note="首封法院复函：正在处置，不同意移送"
    )
    assert gate(t11, "priority_transfer_not_requested") == []
    assert NodeEvent.objects.filter(case=t11, kind__in=["disposal.transfer_requested", "disposal.transfer_answered"]).count() == 2


def test_t11_13_an_agreed_transfer_makes_the_asset_this_courts_to_dispose(t11, handler):
    asset = _controlled(t11, handler, category="real_estate", description="某小区3号楼303室", value="300000.00")
    asset_services.asset_record_waiting_seizure(
        actor=handler, asset=asset, at=at("2026-01-23 10:00"), first_court="济南市历下区人民法院", applicant_priority=True
    )
    request = asset_services.priority_transfer_request(
        actor=handler, asset=asset, at=at("2026-02-02 10:00"), letter_no="商请函1号"
    )
    asset_services.priority_transfer_answer(actor=handler, request=request, at=at("2026-03-02 10:00"), agreed=True, note="同意移送")
    assert gate(t11, "priority_transfer_not_requested") == []
    assert [u["asset"] for u in gate(t11, "assets_unhandled")] == [asset.pk]


def test_t11_13_waiting_seizure_without_priority_asks_nothing(t11, handler):
    asset = _controlled(t11, handler, category="real_estate", description="某小区4号楼404室", value="300000.00")
    asset_services.asset_record_waiting_seizure(
        actor=handler, asset=asset, at=at("2026-01-23 10:00"), first_court="济南市历下区人民法院", applicant_priority=False
    )
    assert gate(t11, "priority_transfer_not_requested") == []
    assert gate(t11, "assets_unhandled") == []
    with pytest.raises(RuleViolation) as refused:
        asset_services.priority_transfer_request(actor=handler, asset=asset, at=at("2026-02-02 10:00"), letter_no="函")
    assert refused.value.code == "not_waiting_with_priority"


# --- the 422 carries the rows -------------------------------------------------------------------


def test_closure_422_names_each_gateprop_code_once_and_each_object(t11, handler):
    search = asset_services.search_launch(
        actor=handler, case=t11, channel="online", category_codes=None, launched_at=SEARCHED_AT, respondent=t11.r1.pk
    )
    asset_services.search_record_feedback(actor=handler, search=search, received_at=at("2026-01-20 15:00"), findings=[])
    with pytest.raises(RuleViolation) as refused:
        case_close(actor=handler, case=t11, closure="terminated_this_round", closed_at=REQUEST_AT, document=RULING)
    assert refused.value.code == "closure_conditions_unmet"
    unmet = refused.value.extra["unmet"]
    assert unmet.count("online_search_incomplete") == 1 and "offline_investigation_missing" in unmet
    details = [d for d in refused.value.extra["details"] if d["code"] == "online_search_incomplete"]
    assert {d["respondent"] for d in details} == {t11.r2.pk}
    assert "某某公司" in str(refused.value.message)
