"""Every enforcement endpoint is scoped by court: a sibling court's user or client
gets 404 (never 403), an upper court's supervisor sees but cannot act, and the
acting roles of the case's own court can."""

import pytest
from rest_framework.test import APIClient

from core.models import Role
from core.services.people import api_client_create
from enforcement.models import (
    Approval,
    Asset,
    AssetSearch,
    ControlMeasure,
    CreditMeasure,
    Disposal,
    PropertyClue,
)
from tests.core.factories import make_member
from tests.enforcement.factories import case_payload, make_case


@pytest.fixture
def world(courts, clerk, bureau_head, as_user):
    """A case of 鲁0102 with one of everything."""
    from tests.conftest import at

    case = make_case(clerk, courts.lu0102, handler=None)
    c = as_user(clerk)
    search = c.post(f"/api/v1/cases/{case.pk}/asset-searches/", {"channel": "online", "launched_at": "2026-10-09T09:00:00+08:00"}, format="json").json()
    assets = c.post(f"/api/v1/asset-searches/{search['id']}/feedback/", {"received_at": "2026-10-10T09:00:00+08:00", "findings": [
        {"category": "bank_deposit", "description": "账户", "value": "50000.00"},
        {"category": "vehicle", "description": "车辆", "value": "30000.00"},
    ]}, format="json").json()
    measure = c.post(f"/api/v1/cases/{case.pk}/control-measures/", {"asset": assets[1]["id"], "kind": "seize_movable", "effective_at": "2026-10-12T09:00:00+08:00"}, format="json").json()
    disposal = c.post(f"/api/v1/assets/{assets[1]['id']}/disposals/", {"method": "online_inquiry", "at": "2026-10-13T09:00:00+08:00"}, format="json").json()
    clue = c.post(f"/api/v1/cases/{case.pk}/property-clues/", {"received_at": "2026-10-09T09:00:00+08:00", "description": "房产线索"}, format="json").json()
    respondent = c.get(f"/api/v1/cases/{case.pk}/").json()["respondents"][0]["id"]
    credit = c.post(f"/api/v1/cases/{case.pk}/credit-measures/", {"party": respondent, "kind": "restriction", "issued_at": "2026-10-10T09:00:00+08:00"}, format="json").json()
    approval = c.post(f"/api/v1/cases/{case.pk}/approvals/", {"kind": "over_seizure", "reason": "r"}, format="json").json()
    assert None not in (search.get("id"), measure.get("id"), disposal.get("id"), clue.get("id"), approval.get("id")), (measure, disposal)
    _ = at
    return {
        "case": case.pk, "search": search["id"], "asset": assets[0]["id"], "vehicle": assets[1]["id"],
        "measure": measure["id"], "disposal": disposal["id"], "clue": clue["id"], "credit": credit[0]["id"],
        "approval": approval["id"],
    }


def endpoints(w):
    """(method, path, body) for every enforcement endpoint that names an object."""
    return [
        ("get", f"/api/v1/cases/{w['case']}/", None),
        ("post", f"/api/v1/cases/{w['case']}/notice/", {"served_at": "2026-10-10T09:00:00+08:00"}),
        ("post", f"/api/v1/cases/{w['case']}/interview/", {"note": "n"}),
        ("post", f"/api/v1/cases/{w['case']}/suspend/", {"reason": "r"}),
        ("post", f"/api/v1/cases/{w['case']}/resume/", {}),
        ("post", f"/api/v1/cases/{w['case']}/track/", {"track": "ordinary"}),
        ("post", f"/api/v1/cases/{w['case']}/fulfilment/", {"note": "n"}),
        ("post", f"/api/v1/cases/{w['case']}/close/", {"closure": "withdrawn"}),
        ("post", f"/api/v1/cases/{w['case']}/restore/", {"case_number": "(2026)鲁0102执恢1号", "received_at": "2026-10-10T09:00:00+08:00", "reason": "r"}),
        ("post", f"/api/v1/cases/{w['case']}/asset-searches/", {"channel": "online", "launched_at": "2026-10-10T09:00:00+08:00"}),
        ("post", f"/api/v1/cases/{w['case']}/control-measures/", {"asset": w["asset"], "kind": "freeze_deposit", "amount": "1.00", "effective_at": "2026-10-12T09:00:00+08:00"}),
        ("post", f"/api/v1/cases/{w['case']}/property-clues/", {"received_at": "2026-10-10T09:00:00+08:00", "description": "d"}),
        ("post", f"/api/v1/cases/{w['case']}/credit-measures/", {"party": 1, "kind": "restriction", "issued_at": "2026-10-10T09:00:00+08:00"}),
        ("post", f"/api/v1/cases/{w['case']}/approvals/", {"kind": "over_seizure", "reason": "r"}),
        ("post", f"/api/v1/asset-searches/{w['search']}/feedback/", {"received_at": "2026-10-10T09:00:00+08:00", "findings": []}),
        ("post", f"/api/v1/assets/{w['asset']}/uncontrollable/", {"reason": "r"}),
        ("post", f"/api/v1/assets/{w['asset']}/disposals/", {"method": "appraisal"}),
        ("post", f"/api/v1/assets/{w['vehicle']}/self-disposal/", {"days": 30}),
        ("post", f"/api/v1/control-measures/{w['measure']}/renew/", {}),
        ("post", f"/api/v1/control-measures/{w['measure']}/release/", {"reason": "r"}),
        ("post", f"/api/v1/property-clues/{w['clue']}/verify/", {}),
        ("post", f"/api/v1/property-clues/{w['clue']}/conclude/", {"true": True, "note": "n"}),
        ("post", f"/api/v1/disposals/{w['disposal']}/fix-price/", {"price": "1.00"}),
        ("post", f"/api/v1/disposals/{w['disposal']}/launch-auction/", {}),
        ("post", f"/api/v1/disposals/{w['disposal']}/conclude/", {"sold": False}),
        ("post", f"/api/v1/credit-measures/{w['credit']}/release/", {"reason": "r"}),
        ("post", f"/api/v1/approvals/{w['approval']}/approve/", {}),
        ("post", f"/api/v1/approvals/{w['approval']}/reject/", {}),
    ]


def snapshot():
    return [
        (m.__name__, list(m.objects.order_by("pk").values_list("pk", "status")))
        for m in (Asset, AssetSearch, ControlMeasure, CreditMeasure, Disposal, PropertyClue, Approval)
    ]


@pytest.mark.parametrize("who", ["sibling_clerk", "sibling_client", "other_city_supervisor"])
def test_outsiders_get_404_on_every_endpoint_and_change_nothing(world, courts, who):
    client = APIClient()
    if who == "sibling_client":
        _u, key = api_client_create(court=courts.lu0103, name="sibling")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    elif who == "sibling_clerk":
        client.force_authenticate(make_member(Role.CLERK, courts.lu0103, "sib"))
    else:
        client.force_authenticate(make_member(Role.CASE_SUPERVISOR, courts.lu02, "qd"))
    before = snapshot()
    for method, path, body in endpoints(world):
        response = getattr(client, method)(path, body, format="json") if body is not None else client.get(path)
        assert response.status_code == 404, (path, response.status_code, response.content[:200])
        assert response.json()["code"] == "not_found"
    assert snapshot() == before
    assert client.get("/api/v1/cases/").json()["count"] == 0
    assert client.get("/api/v1/approvals/").json()["count"] == 0


def test_upper_supervisor_sees_but_cannot_act(world, courts):
    client = APIClient()
    client.force_authenticate(make_member(Role.CASE_SUPERVISOR, courts.lu01, "sup"))
    assert client.get(f"/api/v1/cases/{world['case']}/").status_code == 200
    assert client.get("/api/v1/cases/").json()["count"] == 1
    before = snapshot()
    for _method, path, body in endpoints(world)[1:]:
        response = client.post(path, body, format="json")
        assert response.status_code == 403, (path, response.status_code, response.content[:200])
    assert snapshot() == before


def test_upper_court_api_client_cannot_see_lower_court_cases(world, courts):
    _u, key = api_client_create(court=courts.lu01, name="upper")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(f"/api/v1/cases/{world['case']}/").status_code == 404
    assert client.post("/api/v1/cases/", case_payload(), format="json").json()["code"] == "invalid"  # 鲁0102 is not its court


def test_full_id_and_phone_never_leave_the_server(world, as_user, clerk):
    from enforcement.models import Party

    body = as_user(clerk).get(f"/api/v1/cases/{world['case']}/").content.decode()
    for party in Party.objects.filter(case_id=world["case"]):
        assert party.id_number not in body
        if party.phone:
            assert party.phone not in body
    listing = as_user(clerk).get("/api/v1/cases/", {"q": "张三"}).content.decode()
    assert all(p.id_number not in listing for p in Party.objects.all())
