"""REST: /api/v1/orders/ — contract shapes, scope (404 outside), errors never 500,
query counts of the list."""

import pytest
from rest_framework.test import APIClient

from supervision.models import SupervisionOrder
from tests.conftest import at
from tests.enforcement.factories import make_case
from tests.supervision.factories import *  # noqa: F403

pytestmark = pytest.mark.django_db

URL = "/api/v1/orders/"


def client_for(user) -> APIClient:
    """A client signed in as a fresh copy of ``user`` (memberships are cached on
    the user object for one request, as in a real request)."""
    from core.models import User

    client = APIClient()
    client.force_authenticate(User.objects.get(pk=user.pk))
    return client


def issue_body(the_case, **overrides) -> dict:
    body = {
        "case": the_case.pk,
        "kind": "urge",
        "instructions": "请于期限内采取控制措施。",
        "response_days": 10,
    }
    body.update(overrides)
    return body


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == code
    assert body["message"]
    return body


def test_issue_returns_the_order_with_its_clock(case_supervisor, order_case):
    response = client_for(case_supervisor).post(URL, issue_body(order_case), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("鲁01督〔")
    assert (body["kind"], body["status"], body["round"]) == ("urge", "issued", 1)
    assert body["case"] == {"id": order_case.pk, "case_number": "(2026)鲁0102执2001号", "court": "鲁0102"}
    assert (body["issuing_court"], body["target_court"], body["executing_court"]) == (
        "鲁01",
        "鲁0102",
        "鲁0102",
    )
    assert body["assignee_court"] is None
    clock = body["response_deadline"]
    assert (clock["rule"], clock["status"], clock["duration"], clock["unit"]) == (
        "ORDER_RESPONSE",
        "open",
        10,
        "calendar_days",
    )
    assert clock["due_date"] == body["clocks"][0]["due_date"]
    assert body["responses"] == [] and body["alerts"] == []


def test_assign_names_the_executing_court(case_supervisor, order_case):
    response = client_for(case_supervisor).post(
        URL, issue_body(order_case, kind="assign", assignee_court="鲁0103"), format="json"
    )

    assert response.status_code == 201, response.content
    assert (response.json()["assignee_court"], response.json()["executing_court"]) == ("鲁0103", "鲁0103")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"instructions": ""}, "instructions"),
        ({"response_days": "abc"}, "response_days"),
        ({"response_days": 0}, "response_days"),
        ({"kind": "transfer"}, "kind"),
        ({"case": "abc"}, "case"),
        ({"kind": "assign", "assignee_court": "不存在"}, "assignee_court"),
        ({"kind": "assign", "assignee_court": "鲁0202"}, "assignee_court"),
        ({"kind": "assign"}, "assignee_court"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(case_supervisor, order_case, overrides, field):
    response = client_for(case_supervisor).post(URL, issue_body(order_case, **overrides), format="json")

    body = response.json()
    assert response.status_code == 400, response.content
    assert set(body) == {"code", "message", "extra"}
    assert field in body["extra"]["fields"]
    assert not SupervisionOrder.objects.exists()


def test_a_non_json_body_is_refused(case_supervisor, order_case):
    response = client_for(case_supervisor).post(
        URL, "case=1", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415


def test_a_basic_court_cannot_issue_and_a_sibling_cannot_see_the_case(
    basic_supervisor, sibling_supervisor, order_case
):
    assert_error(
        client_for(basic_supervisor).post(URL, issue_body(order_case), format="json"), 403, "not_upper_court"
    )
    assert_error(
        client_for(sibling_supervisor).post(URL, issue_body(order_case), format="json"), 404, "not_found"
    )


def test_a_second_open_order_is_a_409(case_supervisor, order_case):
    client = client_for(case_supervisor)
    assert client.post(URL, issue_body(order_case), format="json").status_code == 201
    assert_error(client.post(URL, issue_body(order_case), format="json"), 409, "order_already_open")


def test_idempotency_key_replays_the_first_answer(case_supervisor, order_case):
    client = client_for(case_supervisor)
    first = client.post(URL, issue_body(order_case), format="json", HTTP_IDEMPOTENCY_KEY="order-key-1")
    again = client.post(URL, issue_body(order_case), format="json", HTTP_IDEMPOTENCY_KEY="order-key-1")

    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert SupervisionOrder.objects.count() == 1


def test_the_whole_round_trip(case_supervisor, handler, order_case):
    upper, lower = client_for(case_supervisor), client_for(handler)
    order_id = upper.post(URL, issue_body(order_case), format="json").json()["id"]

    # the issuer cannot answer, the lower court can; acceptance only after a response
    assert_error(
        upper.post(f"{URL}{order_id}/respond/", {"text": "已办理"}, format="json"), 403, "not_target_court"
    )
    assert_error(upper.post(f"{URL}{order_id}/accept/", {}, format="json"), 409, "invalid_transition")
    assert_error(lower.post(f"{URL}{order_id}/respond/", {"text": ""}, format="json"), 400, "invalid")
    responded = lower.post(f"{URL}{order_id}/respond/", {"text": "已冻结存款。"}, format="json")
    assert responded.status_code == 200, responded.content
    assert responded.json()["status"] == "responded"
    assert responded.json()["response_deadline"]["status"] == "met"

    returned = upper.post(
        f"{URL}{order_id}/return/", {"note": "请说明扣划情况。", "response_days": 5}, format="json"
    )
    assert returned.status_code == 200, returned.content
    body = returned.json()
    assert (body["status"], body["round"], body["response_days"]) == ("issued", 2, 5)
    assert [c["status"] for c in body["clocks"]] == ["met", "open"]
    assert body["responses"][0]["review"] == "returned"

    lower.post(f"{URL}{order_id}/respond/", {"text": "已扣划 8 万元。"}, format="json")
    closed = upper.post(f"{URL}{order_id}/accept/", {"note": "认可。"}, format="json")
    assert closed.json()["status"] == "closed"
    assert [r["review"] for r in closed.json()["responses"]] == ["returned", "accepted"]


def test_withdrawing(case_supervisor, order_case):
    client = client_for(case_supervisor)
    order_id = client.post(URL, issue_body(order_case), format="json").json()["id"]

    assert_error(client.post(f"{URL}{order_id}/withdraw/", {}, format="json"), 400, "invalid")
    response = client.post(f"{URL}{order_id}/withdraw/", {"reason": "双方已和解"}, format="json")

    assert response.json()["status"] == "withdrawn"
    assert response.json()["response_deadline"]["status"] == "moot"  # issue 15: never waived by a rule


def test_scope_of_list_and_detail(case_supervisor, handler, sibling_supervisor, sibling_clerk, order_case):
    order_id = client_for(case_supervisor).post(URL, issue_body(order_case), format="json").json()["id"]

    assert [o["id"] for o in client_for(handler).get(URL).json()["results"]] == [order_id]
    assert client_for(sibling_supervisor).get(URL).json()["count"] == 0
    assert client_for(sibling_clerk).get(URL).json()["count"] == 0
    assert_error(client_for(sibling_supervisor).get(f"{URL}{order_id}/"), 404, "not_found")
    assert_error(
        client_for(sibling_supervisor).post(f"{URL}{order_id}/withdraw/", {"reason": "x"}, format="json"),
        404,
        "not_found",
    )
    assert_error(client_for(handler).get(f"{URL}999999/"), 404, "not_found")


def test_list_filters(case_supervisor, high_supervisor, order_case):
    client_for(case_supervisor).post(URL, issue_body(order_case), format="json")
    client_for(high_supervisor).post(URL, issue_body(order_case, kind="take_up"), format="json")
    client = client_for(high_supervisor)

    assert client.get(URL).json()["count"] == 2
    assert [o["kind"] for o in client.get(URL, {"kind": "take_up"}).json()["results"]] == ["take_up"]
    assert [o["issuing_court"] for o in client.get(URL, {"issuing_court": "鲁01"}).json()["results"]] == [
        "鲁01"
    ]
    assert client.get(URL, {"status": "closed"}).json()["count"] == 0
    assert client.get(URL, {"case": order_case.pk}).json()["count"] == 2
    assert_error(client.get(URL, {"status": "nonsense"}), 400, "invalid")


def test_the_list_costs_the_same_queries_for_one_order_or_many(
    case_supervisor, courts, clerk, handler, order_case, django_assert_num_queries
):
    client_for(case_supervisor).post(URL, issue_body(order_case), format="json")
    client = client_for(case_supervisor)
    with django_assert_num_queries(3):  # memberships, count, page
        assert client.get(URL).json()["count"] == 1
    for n in range(2, 6):
        case = make_case(
            clerk,
            courts.lu0102,
            number=f"(2026)鲁0102执20{n:02d}号",
            received="2026-09-30 10:00",
            handler=handler,
        )
        client_for(case_supervisor).post(
            URL, issue_body(case, kind="assign", assignee_court="鲁0103"), format="json"
        )
    client = client_for(case_supervisor)
    with django_assert_num_queries(3):
        assert client.get(URL).json()["count"] == 5


def test_the_detail_shows_the_alerts_of_the_clock(case_supervisor, courts, order_case):
    from supervision.services.orders import order_issue
    from supervision.services.scan import scan_court

    order = order_issue(
        actor=case_supervisor,
        case=order_case,
        kind="urge",
        instructions="请推进。",
        response_days=5,
        issued_at=at("2026-09-28 10:00"),
    )
    scan_court(court_id=courts.lu0102.pk, at=at("2026-10-12 09:00"))

    body = client_for(case_supervisor).get(f"{URL}{order.pk}/").json()
    assert {a["level"] for a in body["alerts"]} >= {"overdue", "escalated"}
    assert body["response_deadline"]["overdue"] is True
