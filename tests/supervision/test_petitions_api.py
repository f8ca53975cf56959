"""REST: /api/v1/petitions/ — masking, scope, errors in contract shape, query counts."""

import pytest
from rest_framework.test import APIClient

from core.services.people import api_client_create
from supervision.models import Petition
from tests.supervision.factories import *  # noqa: F403

pytestmark = pytest.mark.django_db

URL = "/api/v1/petitions/"
ID_NUMBER = "370102199001011231"
PHONE = "13812345678"


def client_for(user) -> APIClient:
    from core.models import User

    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def petition_body(**overrides) -> dict:
    body = {
        "channel": "hotline_12368",
        "petitioner_name": "李四",
        "petitioner_id_number": ID_NUMBER,
        "petitioner_phone": PHONE,
        "content": "申请执行人反映执行法院长期未采取执行措施。",
        "received_at": "2026-09-29T10:00:00+08:00",
    }
    body.update(overrides)
    return body


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"} and body["code"] == code
    return body


def test_receive_returns_masked_identity_and_both_clocks(clerk):
    response = client_for(clerk).post(URL, petition_body(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["court"], body["status"], body["number"]) == ("鲁0102", "received", None)
    assert body["petitioner_id_number"] == "370102********1231"
    assert body["petitioner_phone"] == "138****5678"
    assert ID_NUMBER not in response.content.decode() and PHONE not in response.content.decode()
    assert body["register_deadline"]["due_date"] == "2026-10-12"
    assert body["close_deadline"]["due_date"] == "2026-11-16"
    assert body["dualcheck"] is None


def test_a_court_system_may_push_petitions_for_its_court(courts):
    user, key = api_client_create(court=courts.lu0102, name="12368热线")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.post(URL, petition_body(), format="json")

    assert response.status_code == 201, response.content
    assert response.json()["received_by"] == str(user)
    assert response.json()["court"] == "鲁0102"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"petitioner_id_number": "370102199001011234"}, "petitioner_id_number"),
        ({"petitioner_phone": "12345"}, "petitioner_phone"),
        ({"content": ""}, "content"),
        ({"channel": "fax"}, "channel"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"case": "abc"}, "case"),
        ({"petitioner_kind": "robot"}, "petitioner_kind"),
        ({"court": "鲁0202"}, "court"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(clerk, overrides, field):
    response = client_for(clerk).post(URL, petition_body(**overrides), format="json")

    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert field in body["extra"]["fields"]
    assert not Petition.objects.exists()


def test_a_date_in_the_future_is_a_422(clerk):
    assert_error(
        client_for(clerk).post(URL, petition_body(received_at="2099-01-04T10:00:00+08:00"), format="json"),
        422,
        "node_in_future",
    )


def test_the_whole_life_of_a_petition(clerk, handler, case_supervisor):
    staff, head = client_for(clerk), client_for(handler)
    petition_id = staff.post(URL, petition_body(), format="json").json()["id"]

    assert_error(
        head.post(f"{URL}{petition_id}/conclude/", {"result": "x", "finding": "untrue"}, format="json"),
        409,
        "invalid_transition",
    )
    registered = staff.post(f"{URL}{petition_id}/register/", format="json")
    assert registered.status_code == 200, registered.content
    assert registered.json()["number"].startswith("鲁0102信〔")
    assert registered.json()["register_deadline"]["status"] in ("met", "breached")

    assert_error(
        staff.post(f"{URL}{petition_id}/conclude/", {"result": "x", "finding": "untrue"}, format="json"),
        403,
        "not_petition_concluder",
    )
    bad = head.post(f"{URL}{petition_id}/conclude/", {"result": "属实", "finding": "true"}, format="json")
    assert "measures" in assert_error(bad, 400, "invalid")["extra"]["fields"]
    concluded = head.post(
        f"{URL}{petition_id}/conclude/",
        {"result": "属实", "finding": "partly_true", "measures": "已督促承办人发放。"},
        format="json",
    )
    assert concluded.json()["status"] == "concluded"
    assert concluded.json()["close_deadline"]["completed_at"] is not None

    closed = staff.post(
        f"{URL}{petition_id}/feedback/", {"method": "phone", "note": "已电话告知。"}, format="json"
    )
    assert closed.status_code == 200, closed.content
    assert (closed.json()["status"], closed.json()["feedback_method"]) == ("closed", "phone")

    flagged = client_for(case_supervisor).post(
        f"{URL}{petition_id}/flag-dualcheck/", {"reason": "涉嫌消极执行"}, format="json"
    )
    assert flagged.status_code == 200, flagged.content
    assert flagged.json()["dualcheck"]["reason"] == "涉嫌消极执行"
    assert flagged.json()["dualcheck"]["clue"] is None
    again = client_for(case_supervisor).post(
        f"{URL}{petition_id}/flag-dualcheck/", {"reason": "再次"}, format="json"
    )
    assert_error(again, 409, "already_flagged")


def test_scope_of_list_and_detail(clerk, case_supervisor, sibling_clerk, sibling_supervisor):
    petition_id = client_for(clerk).post(URL, petition_body(), format="json").json()["id"]

    assert [p["id"] for p in client_for(case_supervisor).get(URL).json()["results"]] == [petition_id]
    assert client_for(sibling_clerk).get(URL).json()["count"] == 0
    assert client_for(sibling_supervisor).get(URL).json()["count"] == 0
    assert_error(client_for(sibling_clerk).get(f"{URL}{petition_id}/"), 404, "not_found")
    assert_error(
        client_for(sibling_clerk).post(f"{URL}{petition_id}/register/", format="json"), 404, "not_found"
    )


def test_list_filters(clerk, case_supervisor):
    client = client_for(clerk)
    first = client.post(URL, petition_body(), format="json").json()["id"]
    client.post(URL, petition_body(channel="visit", petitioner_name="王五"), format="json")
    client.post(f"{URL}{first}/register/", format="json")

    assert [p["id"] for p in client.get(URL, {"status": "registered"}).json()["results"]] == [first]
    assert client.get(URL, {"channel": "visit"}).json()["count"] == 1
    # received Sep 29: the register period ended Oct 12; the one still unregistered is late
    assert client.get(URL, {"overdue": "true"}).json()["count"] == 2  # both are past the 30-day close too
    assert client.get(URL, {"dualcheck": "true"}).json()["count"] == 0
    assert_error(client.get(URL, {"channel": "fax"}), 400, "invalid")


def test_the_list_costs_the_same_queries_for_one_petition_or_many(
    clerk, case_supervisor, django_assert_num_queries
):
    client_for(clerk).post(URL, petition_body(), format="json")
    client = client_for(case_supervisor)
    with django_assert_num_queries(3):  # memberships, count, page
        assert client.get(URL).json()["count"] == 1
    for n in range(4):
        pid = (
            client_for(clerk)
            .post(URL, petition_body(petitioner_name=f"信访人{n}"), format="json")
            .json()["id"]
        )
        client_for(case_supervisor).post(f"{URL}{pid}/flag-dualcheck/", {"reason": "线索"}, format="json")
    client = client_for(case_supervisor)
    with django_assert_num_queries(3):
        body = client.get(URL).json()
    assert body["count"] == 5
    assert all("****" in p["petitioner_phone"] for p in body["results"])
