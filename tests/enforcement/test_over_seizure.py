"""Over-seizure (322号 §15; docs/clock-lifecycle-spec.md §7, tests T10a–T10e, margin 0.2):
a value nobody knows is never counted as zero, the limit is the outstanding claim (money
already recovered deducted), no one approves his own override, and the 超标的查封异议 and
分割查封 are recorded without stopping the seizure. Dates are fixed (the suite's frozen clock,
tests/conftest.py); every amount is the spec's."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from core.models import Deadline, NodeEvent, Role
from custody_funds.services import funds
from enforcement.models import Approval, Asset, ControlMeasure, SeizureObjection, SplitSeizure
from enforcement.services import assets as asset_services
from enforcement.services import measures as measure_services
from enforcement.services.cases import CaseInput, PartyInput, PayoutAccountInput, case_register
from tests.conftest import at
from tests.core.factories import make_member
from tests.custody_funds.factories import notified, receive
from tests.enforcement.factories import approved_override, org_code, person_id
from tests.enforcement.test_views import action_url, detail_url

pytestmark = pytest.mark.django_db


def register(clerk, handler, court, *, claim: str, costs: str, received: str = "2026-04-01 10:00") -> object:
    return case_register(
        actor=clerk,
        data=CaseInput(
            case_number="(2026)鲁0102执2001号", court=court, filed_on=dt.date.fromisoformat(received[:10]),
            received_at=at(received), claim_amount=Decimal(claim), costs=Decimal(costs),
            basis_document="(2026)鲁0102民初88号民事判决书",
            applicants=[PartyInput("张三", "person", person_id(), "13800000000",
                                   PayoutAccountInput("工商银行", "6222020200112233445", "张三"))],
            respondents=[PartyInput("某某公司", "organization", org_code())],
            handler=handler,
        ),
    )


def find(clerk, case, *findings, at_: str = "2026-04-03 15:00") -> list[Asset]:
    search = asset_services.search_launch(actor=clerk, case=case, channel="offline", category_codes=None,
                                          launched_at=at("2026-04-02 09:00"))
    return asset_services.search_record_feedback(actor=clerk, search=search, received_at=at(at_),
                                                 findings=[asset_services.FindingInput(*f) for f in findings])


def url(case) -> str:
    return f"/api/v1/cases/{case.pk}/control-measures/"


@pytest.fixture
def house_case(clerk, handler, courts):
    """T10a/b: claim 500,000.00, costs 8,800.00; a house found without any value."""
    case = register(clerk, handler, courts.lu0102, claim="500000.00", costs="8800.00")
    (house,) = find(clerk, case, ("real_estate", "历下区某路1号住宅", None))
    return case, house


SEIZE = {"kind": "seize_real_estate", "effective_at": "2026-04-08T10:00:00+08:00"}


def test_t10a_a_house_without_value_or_estimate_is_intercepted(as_user, handler, house_case):
    case, house = house_case
    r = as_user(handler).post(url(case), {**SEIZE, "asset": house.pk}, format="json")
    assert r.status_code == 422, r.json()
    body = r.json()
    assert body["code"] == "over_seizure_value_unknown"
    assert body["extra"]["missing"] == ["amount", "estimated_value", "estimate_basis", "estimate_note"]
    assert body["extra"]["limit"] == "610560.00"
    assert "估算" in body["message"]
    assert not ControlMeasure.objects.exists()
    assert Asset.objects.get(pk=house.pk).estimated_value is None  # nothing written


def test_t10a_a_half_estimate_is_refused_field_by_field(as_user, handler, house_case):
    case, house = house_case
    r = as_user(handler).post(url(case), {**SEIZE, "asset": house.pk, "estimated_value": "2000000.00"}, format="json")
    assert r.status_code == 400
    assert set(r.json()["extra"]["fields"]) == {"estimate_basis", "estimate_note"}
    assert not ControlMeasure.objects.exists()


def test_t10a_an_approval_stating_why_the_value_is_unknown_lets_it_pass(as_user, handler, bureau_head, house_case):
    case, house = house_case
    approval = as_user(handler).post(f"/api/v1/cases/{case.pk}/approvals/", {
        "kind": "over_seizure", "reason": "房屋系农村自建房，无登记、无成交参照，无法估算价值", "asset": house.pk,
    }, format="json").json()
    assert as_user(bureau_head).post(f"/api/v1/approvals/{approval['id']}/approve/", {}, format="json").status_code == 200
    r = as_user(handler).post(url(case), {**SEIZE, "asset": house.pk, "override_approval": approval["id"]}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["override"] == approval["id"]
    assert Approval.objects.get(pk=approval["id"]).status == "used"


def test_t10b_a_reasoned_estimate_counts_and_a_share_within_the_limit_passes(as_user, handler, house_case):
    case, house = house_case
    estimate = {"estimated_value": "2000000.00", "estimate_basis": "online_inquiry",
                "estimate_note": "三家网络询价平台均价约 200 万元"}
    r = as_user(handler).post(url(case), {**SEIZE, "asset": house.pk, **estimate}, format="json")
    assert r.status_code == 422, r.json()
    assert r.json()["code"] == "over_seizure"
    extra = r.json()["extra"]
    assert extra["limit"] == "610560.00"  # (500,000 + 8,800) × 1.2
    assert (extra["outstanding"], extra["recovered"], extra["controlled"], extra["adding"], extra["after"]) == (
        "508800.00", "0.00", "0.00", "2000000.00", "2000000.00")
    assert Asset.objects.get(pk=house.pk).estimated_value is None  # the refusal changed nothing
    r = as_user(handler).post(url(case), {**SEIZE, "asset": house.pk, **estimate,
                                          "share": "该房屋 30% 份额", "share_value": "600000.00"}, format="json")
    assert r.status_code == 201, r.json()
    assert (r.json()["share"], r.json()["share_value"], r.json()["override"]) == ("该房屋 30% 份额", "600000.00", None)
    house.refresh_from_db()
    assert (house.estimated_value, house.estimate_basis, house.estimated_by) == (Decimal("2000000.00"), "online_inquiry", handler)
    assert NodeEvent.objects.filter(case=case, kind="asset.estimated").count() == 1
    assert measure_services.controlled_value(case) == Decimal("600000.00")


@pytest.fixture
def paid_case(clerk, handler, bureau_head, courts):
    """T10c: claim 1,000,000.00, costs 13,800.00, 600,000.00 paid out to the applicant."""
    case = register(clerk, handler, courts.lu0102, claim="1000000.00", costs="13800.00")
    finance = make_member(Role.FINANCE, courts.lu0102, "finance")
    receive(case, clerk, "600000.00", ref="T10C", when="2026-04-10 10:00")
    funds.disbursement_pay(actor=finance, disbursement=notified(case, handler, bureau_head, "600000.00"),
                           bank_reference="P-T10C")
    (deposit,) = find(clerk, case, ("bank_deposit", "工商银行账户存款", Decimal("800000.00")), at_="2026-04-13 15:00")
    return case, deposit


def test_t10c_the_limit_deducts_the_money_already_paid_out(as_user, handler, paid_case):
    case, deposit = paid_case
    body = {"asset": deposit.pk, "kind": "freeze_deposit", "effective_at": "2026-04-14T10:00:00+08:00"}
    r = as_user(handler).post(url(case), {**body, "amount": "500000.00"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "over_seizure"
    extra = r.json()["extra"]
    assert (extra["outstanding"], extra["recovered"], extra["limit"]) == ("413800.00", "600000.00", "496560.00")
    assert not ControlMeasure.objects.exists()
    r = as_user(handler).post(url(case), {**body, "amount": "496560.00"}, format="json")
    assert r.status_code == 201, r.json()


@pytest.fixture
def valued_house(clerk, handler, house_case):
    case, house = house_case
    Asset.objects.filter(pk=house.pk).update(value=Decimal("2000000.00"))  # appraised
    return case, house


def test_t10d_no_bureau_head_approves_his_own_override(as_user, bureau_head, court_leader, valued_house):
    case, house = valued_house
    b1 = as_user(bureau_head)
    body = {**SEIZE, "asset": house.pk}
    r = b1.post(url(case), {**body, "override_reason": "唯一可供执行财产，无法分割查封"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "over_seizure"  # no 径行批准
    assert r.json()["extra"]["approval_required"] is True
    assert not Approval.objects.exists() and not ControlMeasure.objects.exists()
    approval = b1.post(f"/api/v1/cases/{case.pk}/approvals/", {
        "kind": "over_seizure", "reason": "唯一可供执行财产，登记机构不能分割查封", "asset": house.pk}, format="json").json()
    r = b1.post(f"/api/v1/approvals/{approval['id']}/approve/", {}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "maker_checker"
    r = b1.post(url(case), {**body, "override_approval": approval["id"]}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "over_seizure"  # still pending
    assert as_user(court_leader).post(f"/api/v1/approvals/{approval['id']}/approve/", {}, format="json").status_code == 200
    r = b1.post(url(case), {**body, "override_approval": approval["id"]}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["override"] == approval["id"]
    used = Approval.objects.get(pk=approval["id"])
    assert (used.status, used.requested_by, used.decided_by) == ("used", bureau_head, court_leader)


def test_t10d_an_approval_for_another_asset_or_a_smaller_amount_does_not_cover(as_user, handler, bureau_head, valued_house):
    case, house = valued_house
    approval = as_user(handler).post(f"/api/v1/cases/{case.pk}/approvals/", {
        "kind": "over_seizure", "reason": "整体查封", "asset": house.pk, "amount": "1000000.00"}, format="json").json()
    as_user(bureau_head).post(f"/api/v1/approvals/{approval['id']}/approve/", {}, format="json")
    r = as_user(handler).post(url(case), {**SEIZE, "asset": house.pk, "override_approval": approval["id"]}, format="json")
    assert r.status_code == 422 and r.json()["extra"]["override_approval"] == approval["id"]
    assert Approval.objects.get(pk=approval["id"]).status == "approved"  # not used up


def test_t10e_objection_keeps_the_seizure_and_the_split_item_closes_on_partial_release(
    as_user, handler, bureau_head, valued_house
):
    case, house = valued_house
    approval = as_user(handler).post(f"/api/v1/cases/{case.pk}/approvals/", {
        "kind": "over_seizure", "reason": "登记机构以同一权利证书为由不能分割查封", "asset": house.pk}, format="json").json()
    as_user(bureau_head).post(f"/api/v1/approvals/{approval['id']}/approve/", {}, format="json")
    # the whole house, over the limit, because the registry refused to split it
    r = as_user(handler).post(url(case), {**SEIZE, "asset": house.pk, "override_approval": approval["id"],
                                          "whole_because_indivisible": True}, format="json")
    assert r.status_code == 400 and "registry_refusal" in r.json()["extra"]["fields"]
    r = as_user(handler).post(url(case), {**SEIZE, "asset": house.pk, "override_approval": approval["id"],
                                          "whole_because_indivisible": True,
                                          "registry_refusal": "不动产登记中心：登记在同一权利证书下，不能办理分割查封"}, format="json")
    assert r.status_code == 201, r.json()
    measure = ControlMeasure.objects.get(pk=r.json()["id"])
    split = SplitSeizure.objects.get(measure=measure)
    assert split.status == "open"
    expiry = Deadline.objects.get(rule__code="CONTROL_EXPIRY", subject_id=measure.pk, case=case)
    due = expiry.due_at
    assert measure.expires_on == dt.date(2029, 4, 8)  # 民诉法解释 §485: real estate three years
    # 超标的查封异议 filed 2026-05-11 with an appraisal request
    respondent = case.parties.get(role="respondent")
    r = as_user(handler).post(f"/api/v1/control-measures/{measure.pk}/objections/", {
        "party": respondent.pk, "filed_at": "2026-05-11T10:00:00+08:00", "grounds": "房屋价值远超债权额",
        "appraisal_requested": True, "case_number": "(2026)鲁0102执异5号"}, format="json")
    assert r.status_code == 201, r.json()
    objection = SeizureObjection.objects.get(pk=r.json()["id"])
    assert (objection.status, objection.appraisal_requested) == ("pending", True)
    measure.refresh_from_db()
    expiry.refresh_from_db()
    assert measure.status == "active"  # 评估期间不停止查封
    assert (expiry.status, expiry.due_at) == ("open", due)
    assert NodeEvent.objects.filter(case=case, kind="control.objection_filed").count() == 1
    # the split item's steps, then the ruling for the objector releases the excess
    for step, when in (("applied", "2026-05-12"), ("coordinated", "2026-05-13"), ("registered", "2026-05-20")):
        r = as_user(handler).post(f"/api/v1/split-seizures/{split.pk}/progress/",
                                  {"step": step, "at": f"{when}T10:00:00+08:00"}, format="json")
        assert r.status_code == 200, r.json()
    r = as_user(handler).post(f"/api/v1/seizure-objections/{objection.pk}/decide/", {
        "ruling": "upheld", "decided_at": "2026-05-25T10:00:00+08:00", "note": "评估价 200 万元，超出部分应解除",
        "appraisal_value": "2000000.00", "share": "该房屋 30% 份额", "share_value": "600000.00"}, format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["status"], r.json()["ruling"], r.json()["appraisal_value"]) == ("decided", "upheld", "2000000.00")
    split.refresh_from_db()
    measure.refresh_from_db()
    assert split.status == "closed" and split.closed_at == at("2026-05-25 10:00")
    assert (measure.status, measure.share_value, measure.whole_because_indivisible) == ("active", Decimal("600000.00"), False)
    assert measure_services.controlled_value(case) == Decimal("600000.00")
    assert NodeEvent.objects.filter(case=case, kind="control.partially_released").count() == 1
    listed = as_user(handler).get(f"/api/v1/cases/{case.pk}/seizure-objections/").json()
    assert [o["id"] for o in listed["objections"]] == [objection.pk]
    assert listed["split_seizures"][0]["registered_at"] == "2026-05-20T10:00:00+08:00"


def test_t10e_partial_release_alone_closes_the_split_item(as_user, handler, bureau_head, valued_house):
    case, house = valued_house
    approval = as_user(handler).post(f"/api/v1/cases/{case.pk}/approvals/", {
        "kind": "over_seizure", "reason": "不能分割", "asset": house.pk}, format="json").json()
    as_user(bureau_head).post(f"/api/v1/approvals/{approval['id']}/approve/", {}, format="json")
    m = as_user(handler).post(url(case), {**SEIZE, "asset": house.pk, "override_approval": approval["id"],
                                          "whole_because_indivisible": True, "registry_refusal": "不能分割"},
                              format="json").json()
    bad = as_user(handler).post(f"/api/v1/control-measures/{m['id']}/release-excess/", {
        "reason": "分割登记完成", "share": "30% 份额", "share_value": "2000000.00", "at": "2026-06-01T10:00:00+08:00"},
        format="json")
    assert bad.status_code == 400 and "share_value" in bad.json()["extra"]["fields"]
    r = as_user(handler).post(f"/api/v1/control-measures/{m['id']}/release-excess/", {
        "reason": "分割登记完成", "share": "30% 份额", "share_value": "600000.00", "at": "2026-06-01T10:00:00+08:00"},
        format="json")
    assert r.status_code == 200, r.json()
    assert (r.json()["status"], r.json()["share_value"]) == ("active", "600000.00")
    assert SplitSeizure.objects.get(measure_id=m["id"]).status == "closed"


def test_objection_by_a_stranger_or_without_grounds_is_400_and_writes_nothing(as_user, handler, paid_case):
    case, deposit = paid_case
    m = as_user(handler).post(url(case), {"asset": deposit.pk, "kind": "freeze_deposit", "amount": "400000.00",
                                          "effective_at": "2026-04-14T10:00:00+08:00"}, format="json").json()
    r = as_user(handler).post(f"/api/v1/control-measures/{m['id']}/objections/", {
        "party": 999999, "filed_at": "2026-05-11T10:00:00+08:00", "grounds": "超标的"}, format="json")
    assert r.status_code == 400 and list(r.json()["extra"]["fields"]) == ["party"]
    r = as_user(handler).post(f"/api/v1/control-measures/{m['id']}/objections/", {
        "party": case.parties.first().pk, "filed_at": "2026-04-13T10:00:00+08:00", "grounds": "超标的"}, format="json")
    assert r.status_code == 400 and list(r.json()["extra"]["fields"]) == ["filed_at"]  # before the freeze
    assert not SeizureObjection.objects.exists()


# --- the case page (browser forms, Django's test client) ------------------------------------------


def field_block(html: str, form: str, name: str) -> str:
    """One field's markup (label, input, its errors) inside the form ``form-<form>``."""
    html = re.search(rf'id="form-{re.escape(form)}".*?</form>', html, re.S).group(0)
    match = re.search(rf'<div class="field[^"]*" data-field="{re.escape(name)}">(.*?)\n</div>', html, re.S)
    assert match, f"no field {name}"
    return match.group(1)


def test_page_refusal_shows_each_error_beside_its_field_and_offers_the_approval_request(client, handler, house_case):
    case, house = house_case
    client.force_login(handler)
    key = f"control-{house.pk}"
    body = client.get(detail_url(case)).content.decode()
    assert f'id="id_{key}_estimated_value"' in body and f'id="id_{key}_override_reason"' not in body
    # T10a: no value, no estimate → intercepted, the message beside the estimate, the request offered here
    r = client.post(action_url(case, "control", house), {"kind": "seize_real_estate", "effective_at": "2026-04-08T10:00"})
    assert r.status_code == 422
    html = r.content.decode()
    assert "无法判断是否超标的查封" in field_block(html, key, "estimated_value")
    offer = re.search(r"<form[^>]*data-offer-approval.*?</form>", html, re.S).group(0)
    assert 'name="kind" value="over_seizure"' in offer and f'name="asset" value="{house.pk}"' in offer
    assert not ControlMeasure.objects.exists()
    # half an estimate: both missing inputs get their message at once
    r = client.post(action_url(case, "control", house), {
        "kind": "seize_real_estate", "effective_at": "2026-04-08T10:00", "estimated_value": "2000000.00"})
    html = r.content.decode()
    assert r.status_code == 422
    assert "请选择估算依据" in field_block(html, key, "estimate_basis")
    assert "请说明估算的依据" in field_block(html, key, "estimate_note")
    # the offered request, posted as it stands, asks for the approval of this asset
    r = client.post(action_url(case, "approval-request"), {"kind": "over_seizure", "asset": house.pk,
                                                            "reason": "农村自建房，无登记、无成交参照，无法估算"})
    assert r.status_code in (200, 302)
    approval = Approval.objects.get()
    assert (approval.kind, approval.payload, approval.status) == ("over_seizure", {"asset": house.pk}, "pending")


def test_page_records_the_objection_and_its_ruling(client, handler, bureau_head, valued_house):
    case, house = valued_house
    approval = approved_override(case, house, handler, bureau_head)
    measure = measure_services.control_create(
        actor=handler, case=case, asset=house, kind="seize_real_estate", amount=None, effective_at=at("2026-04-08 10:00"),
        override_approval=approval, whole_because_indivisible=True, registry_refusal="同一权利证书下，不能分割",
    )
    client.force_login(handler)
    respondent = case.parties.get(role="respondent")
    r = client.post(action_url(case, "objection", measure), {
        "party": respondent.pk, "filed_at": "2026-05-11T10:00", "grounds": "房屋价值远超债权额", "appraisal_requested": "on"})
    assert r.status_code in (200, 302), r.content.decode()[:400]
    objection = SeizureObjection.objects.get()
    body = client.get(detail_url(case)).content.decode()
    assert f'data-objection="{objection.pk}" data-status="pending"' in body and "评估期间不停止查封" in body
    assert f'data-split="{measure.splits.get().pk}" data-status="open"' in body
    assert f'id="form-objection-decide-{measure.pk}"' in body and f'id="form-objection-{measure.pk}"' not in body
    # a ruling without its reason: the message beside the input, nothing decided
    r = client.post(action_url(case, "objection-decide", measure), {"ruling": "upheld", "decided_at": "2026-05-25T10:00"})
    assert r.status_code == 422
    assert "field-error" in field_block(r.content.decode(), f"objection-decide-{measure.pk}", "note")
    r = client.post(action_url(case, "objection-decide", measure), {
        "ruling": "upheld", "decided_at": "2026-05-25T10:00", "note": "超出部分应解除",
        "share": "30% 份额", "share_value": "600000.00"})
    assert r.status_code in (200, 302)
    body = client.get(detail_url(case)).content.decode()
    assert f'data-objection="{objection.pk}" data-status="decided"' in body and "异议成立" in body
    assert f'data-split="{measure.splits.get().pk}" data-status="closed"' in body
    assert "30% 份额" in body


def test_page_over_the_limit_says_why_at_the_top_and_offers_the_request(client, bureau_head, valued_house):
    """T10d in the browser: the bureau head has no direct override; the limit's refusal
    (about the whole measure) heads the form, with the request offered beside it."""
    case, house = valued_house
    client.force_login(bureau_head)
    r = client.post(action_url(case, "control", house), {"kind": "seize_real_estate", "effective_at": "2026-04-08T10:00",
                                                          "override_reason": "径行批准"})
    assert r.status_code == 422
    form = re.search(rf'id="form-control-{house.pk}".*?</details>', r.content.decode(), re.S).group(0)
    assert "610560.00 元，构成超标的查封" in form and "data-offer-approval" in form
    assert not ControlMeasure.objects.exists() and not Approval.objects.exists()
