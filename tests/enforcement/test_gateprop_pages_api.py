"""The property rows of the 终本 gate in the browser and over REST: the inputs and actions the
case page and the API gained (spec §3 #6, #7, #9, #11, #12, #13)."""

from decimal import Decimal

from enforcement.models import Asset, AssetStatus, OffsetRefusal, PartyRole
from enforcement.services import assets as asset_services
from enforcement.services import disposal as disposal_services
from enforcement.services import measures as measure_services
from tests.conftest import at
from tests.enforcement.factories import make_case
from tests.enforcement.test_views import action_url, detail_url, field_block, found_deposit

AT = "2026-10-20T10:00:00+08:00"


def test_uncontrollable_form_shows_both_errors_beside_their_fields_and_changes_nothing(client, clerk, case):
    asset = found_deposit(case, clerk)
    client.force_login(clerk)
    response = client.post(
        action_url(case, "uncontrollable", asset), {"at": "2026-10-13T10:00", "reason_code": "", "evidence": ""}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert f'id="form-uncontrollable-{asset.pk}" open' in body
    assert "请选择法定的无法控制理由" in field_block(body, "reason_code")
    assert "请写明证明无法控制的材料" in field_block(body, "evidence")
    assert Asset.objects.get(pk=asset.pk).status == AssetStatus.FOUND


def test_case_page_records_an_offset_refusal_and_shows_it(client, clerk, case):
    search = asset_services.search_launch(
        actor=clerk, case=case, channel="online", category_codes=["vehicle"], launched_at=at("2026-10-09 09:00")
    )
    [car] = asset_services.search_record_feedback(
        actor=clerk, search=search, received_at=at("2026-10-09 15:00"),
        findings=[asset_services.FindingInput("vehicle", "鲁A12345 轿车", Decimal("40000.00"))],
    )
    measure_services.control_create(actor=clerk, case=case, asset=car, kind="seize_movable", amount=None,
                                    effective_at=at("2026-10-10 10:00"))
    d = disposal_services.disposal_start(actor=clerk, asset=car, method="online_inquiry", at=at("2026-10-12 09:00"))
    disposal_services.disposal_fix_price(actor=clerk, disposal=d, price=Decimal("35000.00"), at=at("2026-10-12 10:00"))
    disposal_services.disposal_launch_auction(actor=clerk, disposal=d, at=at("2026-10-13 10:00"))
    disposal_services.disposal_conclude(actor=clerk, disposal=d, at=at("2026-10-16 10:00"), sold=False)
    client.force_login(clerk)
    assert f'id="form-offset-refusal-{car.pk}"' in client.get(detail_url(case)).content.decode()
    applicant = case.parties.get(role=PartyRole.APPLICANT)
    response = client.post(
        action_url(case, "offset-refusal", car),
        {"at": "2026-10-19T10:00", "applicant": str(applicant.pk), "document": "不同意以物抵债确认书"},
    )
    assert response.status_code == 302
    assert OffsetRefusal.objects.filter(asset=car, applicant=applicant).exists()
    body = client.get(detail_url(case)).content.decode()
    assert "签字拒绝以物抵债" in body and "不同意以物抵债确认书" in body


def test_rest_search_names_its_respondent(api, case):
    respondent = case.parties.get(role=PartyRole.RESPONDENT)
    r = api.post(f"/api/v1/cases/{case.pk}/asset-searches/", {"channel": "offline", "launched_at": AT}, format="json")
    assert r.status_code == 201 and r.json()["respondent"] == respondent.pk  # the only respondent, by default
    r = api.post(
        f"/api/v1/asset-searches/{r.json()['id']}/feedback/",
        {"received_at": "2026-10-20T15:00:00+08:00", "findings": [], "note": "赴住所地调查，未发现财产"}, format="json",
    )
    assert r.status_code == 201
    detail = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["searches"][0]["note"] == "赴住所地调查，未发现财产"


def test_rest_search_refuses_a_foreign_respondent(api, clerk, courts, case):
    other = make_case(clerk, courts.lu0102, number="(2026)鲁0102执1002号")
    stranger = other.parties.get(role=PartyRole.RESPONDENT)
    r = api.post(
        f"/api/v1/cases/{case.pk}/asset-searches/",
        {"channel": "online", "launched_at": AT, "respondent": stranger.pk}, format="json",
    )
    assert r.status_code == 400 and "respondent" in r.json()["extra"]["fields"]
    assert not case.searches.exists()


def test_rest_uncontrollable_refuses_other(api, clerk, case):
    asset = found_deposit(case, clerk)
    r = api.post(
        f"/api/v1/assets/{asset.pk}/uncontrollable/", {"reason_code": "other", "evidence": "无", "reason": "其他"},
        format="json",
    )
    assert r.status_code == 422 and r.json()["code"] == "uncontrollable_reason_invalid"
    assert "destroyed" in r.json()["extra"]["allowed"]
    r = api.post(
        f"/api/v1/assets/{asset.pk}/uncontrollable/",
        {"reason_code": "destroyed", "evidence": "灭失证明", "at": "2026-10-13T10:00:00+08:00"}, format="json",
    )
    assert r.status_code == 200 and r.json()["uncontrollable_code"] == "destroyed"


def test_rest_waiting_seizure_transfer_request_and_answer(api, clerk, case):
    asset = found_deposit(case, clerk)
    r = api.post(
        f"/api/v1/assets/{asset.pk}/priority-transfer/", {"letter_no": "函1号", "at": AT}, format="json"
    )
    assert r.status_code == 422 and r.json()["code"] == "not_waiting_with_priority"
    r = api.post(
        f"/api/v1/assets/{asset.pk}/waiting-seizure/",
        {"first_court": "济南市历下区人民法院", "applicant_priority": True, "at": AT}, format="json",
    )
    assert r.status_code == 200 and r.json()["waiting_seizure"] is True
    r = api.post(f"/api/v1/assets/{asset.pk}/priority-transfer/", {"letter_no": "函1号", "at": AT}, format="json")
    assert r.status_code == 201 and r.json()["first_court"] == "济南市历下区人民法院"
    transfer = r.json()["id"]
    answer = {"agreed": False, "note": "不同意移送", "at": "2026-10-21T10:00:00+08:00"}
    r = api.post(f"/api/v1/priority-transfers/{transfer}/answer/", answer, format="json")
    assert r.status_code == 200 and r.json()["answer"] == "refused"
    assert api.post(f"/api/v1/priority-transfers/{transfer}/answer/", answer, format="json").status_code == 409


def test_rest_clue_found_true_names_a_new_asset(api, case):
    clue = api.post(
        f"/api/v1/cases/{case.pk}/property-clues/", {"received_at": "2026-10-09T09:00:00+08:00", "description": "车位"},
        format="json",
    ).json()
    api.post(f"/api/v1/property-clues/{clue['id']}/verify/", {"at": "2026-10-09T10:00:00+08:00"}, format="json")
    r = api.post(f"/api/v1/property-clues/{clue['id']}/asset/", {"category": "other", "description": "车位"}, format="json")
    assert r.status_code == 409  # not concluded yet
    api.post(
        f"/api/v1/property-clues/{clue['id']}/conclude/",
        {"true": True, "note": "经查属实", "at": "2026-10-10T10:00:00+08:00"}, format="json",
    )
    r = api.post(
        f"/api/v1/property-clues/{clue['id']}/asset/",
        {"category": "other", "description": "某小区车位", "value": "80000.00", "at": "2026-10-10T11:00:00+08:00"},
        format="json",
    )
    assert r.status_code == 200 and r.json()["asset"] is not None
    assert Asset.objects.get(pk=r.json()["asset"]).description == "某小区车位"
