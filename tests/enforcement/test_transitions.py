"""Every sub-object transition and its illegal neighbours answer 409
``invalid_transition`` and change nothing."""

import pytest

from enforcement.models import Approval, Asset, ControlMeasure, CreditMeasure, Disposal, PropertyClue
from tests.enforcement.factories import case_payload


@pytest.fixture
def setup(api, as_user, bureau_head):
    case_id = api.post("/api/v1/cases/", case_payload(), format="json").json()["id"]
    search = api.post(f"/api/v1/cases/{case_id}/asset-searches/", {"channel": "online", "launched_at": "2026-10-09T09:00:00+08:00"}, format="json").json()["id"]
    assets = api.post(f"/api/v1/asset-searches/{search}/feedback/", {"received_at": "2026-10-10T09:00:00+08:00", "findings": [
        {"category": "vehicle", "description": "车辆", "value": "30000.00"},
        {"category": "bank_deposit", "description": "账户", "value": "10000.00"},
    ]}, format="json").json()
    vehicle, deposit = assets[0]["id"], assets[1]["id"]
    clue = api.post(f"/api/v1/cases/{case_id}/property-clues/", {"received_at": "2026-10-09T09:00:00+08:00", "description": "线索"}, format="json").json()["id"]
    return {"api": api, "case": case_id, "vehicle": vehicle, "deposit": deposit, "clue": clue, "head": as_user(bureau_head)}


def conflict(response):
    assert response.status_code == 409, response.content
    assert response.json()["code"] in ("invalid_transition", "approval_pending")


def test_clue_steps_in_order_only(setup):
    api, clue = setup["api"], setup["clue"]
    conflict(api.post(f"/api/v1/property-clues/{clue}/conclude/", {"true": True, "note": "n", "at": "2026-10-10T10:00:00+08:00"}, format="json"))
    assert api.post(f"/api/v1/property-clues/{clue}/verify/", {"at": "2026-10-10T09:00:00+08:00"}, format="json").status_code == 200
    conflict(api.post(f"/api/v1/property-clues/{clue}/verify/", {"at": "2026-10-10T09:00:00+08:00"}, format="json"))
    assert api.post(f"/api/v1/property-clues/{clue}/conclude/", {"true": False, "note": "不实", "at": "2026-10-11T10:00:00+08:00"}, format="json").status_code == 200
    conflict(api.post(f"/api/v1/property-clues/{clue}/conclude/", {"true": True, "note": "n", "at": "2026-10-11T10:00:00+08:00"}, format="json"))
    assert PropertyClue.objects.get(pk=clue).status == "verified_false"


def test_control_measure_steps(setup):
    api, case, vehicle = setup["api"], setup["case"], setup["vehicle"]
    # disposal before control is refused
    conflict(api.post(f"/api/v1/assets/{vehicle}/disposals/", {"method": "appraisal", "at": "2026-10-11T09:00:00+08:00"}, format="json"))
    measure = api.post(f"/api/v1/cases/{case}/control-measures/", {"asset": vehicle, "kind": "seize_movable", "effective_at": "2026-10-11T09:00:00+08:00"}, format="json").json()["id"]
    # a second control on a controlled asset is refused
    conflict(api.post(f"/api/v1/cases/{case}/control-measures/", {"asset": vehicle, "kind": "seize_movable", "effective_at": "2026-10-11T10:00:00+08:00"}, format="json"))
    assert api.post(f"/api/v1/control-measures/{measure}/release/", {"reason": "被执行人提供担保", "at": "2026-10-12T09:00:00+08:00"}, format="json").status_code == 200
    conflict(api.post(f"/api/v1/control-measures/{measure}/release/", {"reason": "again", "at": "2026-10-12T10:00:00+08:00"}, format="json"))
    conflict(api.post(f"/api/v1/control-measures/{measure}/renew/", {"at": "2026-10-12T10:00:00+08:00"}, format="json"))
    assert ControlMeasure.objects.get(pk=measure).status == "released"
    assert Asset.objects.get(pk=vehicle).status == "released"


def test_renewal_extends_by_the_legal_term(setup):
    api, case, vehicle = setup["api"], setup["case"], setup["vehicle"]
    measure = api.post(f"/api/v1/cases/{case}/control-measures/", {"asset": vehicle, "kind": "seize_movable", "effective_at": "2026-10-11T09:00:00+08:00"}, format="json").json()
    assert measure["expires_on"] == "2028-10-11"  # movables: two years
    renewed = api.post(f"/api/v1/control-measures/{measure['id']}/renew/", {"at": "2026-11-20T09:00:00+08:00"}, format="json").json()
    assert renewed["expires_on"] == "2030-10-11" and renewed["renewals"] == 1


def test_disposal_steps_in_order_only(setup):
    api, case, vehicle = setup["api"], setup["case"], setup["vehicle"]
    api.post(f"/api/v1/cases/{case}/control-measures/", {"asset": vehicle, "kind": "seize_movable", "effective_at": "2026-10-11T09:00:00+08:00"}, format="json")
    d = api.post(f"/api/v1/assets/{vehicle}/disposals/", {"method": "appraisal", "at": "2026-10-12T09:00:00+08:00"}, format="json").json()["id"]
    conflict(api.post(f"/api/v1/disposals/{d}/launch-auction/", {"at": "2026-10-13T09:00:00+08:00"}, format="json"))
    conflict(api.post(f"/api/v1/disposals/{d}/conclude/", {"sold": False, "at": "2026-10-13T09:00:00+08:00"}, format="json"))
    api.post(f"/api/v1/disposals/{d}/fix-price/", {"price": "28000.00", "at": "2026-10-13T09:00:00+08:00"}, format="json")
    conflict(api.post(f"/api/v1/disposals/{d}/fix-price/", {"price": "1.00", "at": "2026-10-13T10:00:00+08:00"}, format="json"))
    assert Disposal.objects.get(pk=d).status == "price_fixed"


def test_credit_release_once(setup):
    api, case = setup["api"], setup["case"]
    respondent = api.get(f"/api/v1/cases/{case}/").json()["respondents"][0]["id"]
    m = api.post(f"/api/v1/cases/{case}/credit-measures/", {"party": respondent, "kind": "restriction", "issued_at": "2026-10-10T10:00:00+08:00"}, format="json").json()[0]["id"]
    conflict(api.post(f"/api/v1/cases/{case}/credit-measures/", {"party": respondent, "kind": "restriction", "issued_at": "2026-10-10T11:00:00+08:00"}, format="json"))
    api.post(f"/api/v1/credit-measures/{m}/release/", {"reason": "担保", "at": "2026-10-11T10:00:00+08:00"}, format="json")
    conflict(api.post(f"/api/v1/credit-measures/{m}/release/", {"reason": "again", "at": "2026-10-11T11:00:00+08:00"}, format="json"))
    assert CreditMeasure.objects.get(pk=m).status == "released"


def test_approval_decided_once(setup):
    api, case, head = setup["api"], setup["case"], setup["head"]
    a = api.post(f"/api/v1/cases/{case}/approvals/", {"kind": "over_seizure", "reason": "r"}, format="json").json()["id"]
    assert head.post(f"/api/v1/approvals/{a}/reject/", {"note": "不同意"}, format="json").status_code == 200
    conflict(head.post(f"/api/v1/approvals/{a}/approve/", {}, format="json"))
    assert Approval.objects.get(pk=a).status == "rejected"


def test_closed_case_refuses_new_nodes(setup):
    api, case, deposit = setup["api"], setup["case"], setup["deposit"]
    assert api.post(f"/api/v1/cases/{case}/close/", {"closure": "withdrawn", "closed_at": "2026-10-20T09:00:00+08:00"}, format="json").status_code == 200
    conflict(api.post(f"/api/v1/cases/{case}/control-measures/", {"asset": deposit, "kind": "freeze_deposit", "amount": "100.00", "effective_at": "2026-10-21T09:00:00+08:00"}, format="json"))
    conflict(api.post(f"/api/v1/cases/{case}/suspend/", {"reason": "r"}, format="json"))
    conflict(api.post(f"/api/v1/cases/{case}/asset-searches/", {"channel": "online", "launched_at": "2026-10-21T09:00:00+08:00"}, format="json"))
    conflict(api.post(f"/api/v1/cases/{case}/restore/", {"case_number": "(2026)鲁0102执恢9号", "received_at": "2026-10-21T09:00:00+08:00", "reason": "r"}, format="json"))
