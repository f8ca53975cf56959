"""The REST base: authentication, the error shape, idempotency, the schema, and the
kernel endpoints of the contract."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from core.models import IdempotencyRecord, Role
from core.services.people import api_client_create, api_token_revoke
from tests.core.factories import make_member


def assert_error_shape(response, status, code):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == {"code", "message", "extra"}
    assert body["code"] == code
    assert isinstance(body["message"], str) and body["message"]
    return body


@pytest.fixture
def token(courts):
    _user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    return key


@pytest.fixture
def client_for(api_client):
    def make(key):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        return api_client

    return make


def test_anonymous_gets_401_in_the_contract_shape(api_client, db):
    response = api_client.get("/api/v1/courts/")
    body = assert_error_shape(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"
    assert "登录" in body["message"]  # zh-hans by default


def test_bad_or_revoked_token_is_401(api_client, courts):
    api_client.credentials(HTTP_AUTHORIZATION="Token nope")
    assert_error_shape(api_client.get("/api/v1/courts/"), 401, "authentication_failed")
    user, key = api_client_create(court=courts.lu0102, name="x")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/courts/").status_code == 200
    api_token_revoke(token=user.api_tokens.get())
    assert_error_shape(api_client.get("/api/v1/courts/"), 401, "authentication_failed")


def test_api_client_sees_only_its_court(client_for, token):
    response = client_for(token).get("/api/v1/courts/")
    assert response.status_code == 200
    assert response.json() == [{"code": "鲁0102", "name": "历下区人民法院", "level": "basic", "parent": "鲁01"}]


def test_supervisor_sees_subtree_through_the_api(api_client, courts):
    api_client.force_authenticate(make_member(Role.CASE_SUPERVISOR, courts.lu01))
    assert [c["code"] for c in api_client.get("/api/v1/courts/").json()] == ["鲁01", "鲁0102", "鲁0103"]


def test_create_api_client_prints_the_key_as_last_word(courts, api_client, capsys):
    call_command("create_api_client", "--court", "鲁0102", "--name", "对接系统")
    key = capsys.readouterr().out.strip().splitlines()[-1].split()[-1]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api_client.get("/api/v1/courts/").status_code == 200


def test_due_date_contract_example(client_for, token):
    response = client_for(token).get(
        "/api/v1/calendar/due-date/", {"start": "2026-09-30", "days": 5, "unit": "working_days"}
    )
    assert response.status_code == 200
    assert response.json() == {
        "start": "2026-09-30",
        "days": 5,
        "unit": "working_days",
        "due_date": "2026-10-13",
        "provisional": False,
    }


def test_due_date_calendar_days_roll_past_holiday(client_for, token):
    response = client_for(token).get(
        "/api/v1/calendar/due-date/", {"start": "2026-09-21", "days": 10, "unit": "calendar_days"}
    )
    assert response.json()["due_date"] == "2026-10-08"


def test_due_date_in_unloaded_year_is_422(client_for, token):
    response = client_for(token).get("/api/v1/calendar/due-date/", {"start": "2027-03-01", "days": 5})
    body = assert_error_shape(response, 422, "calendar_not_loaded")
    assert body["extra"] == {"year": 2027}


def test_due_date_on_the_predicted_calendar_when_asked(client_for, token):
    response = client_for(token).get(
        "/api/v1/calendar/due-date/",
        {"start": "2026-12-28", "days": 5, "unit": "working_days", "allow_provisional": "true"},
    )
    assert response.status_code == 200
    # 1–3 January 2027 predicted as 元旦 with the weekend
    assert response.json() == {
        "start": "2026-12-28",
        "days": 5,
        "unit": "working_days",
        "due_date": "2027-01-05",
        "provisional": True,
    }
    strict = client_for(token).get("/api/v1/calendar/due-date/", {"start": "2026-12-28", "days": 5})
    assert_error_shape(strict, 422, "calendar_not_loaded")


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-13-01", "days": 5},
        {"start": "2026-09-30", "days": -1},
        {"start": "2026-09-30", "days": "five"},
        {"start": "2026-09-30", "days": 5, "unit": "fortnights"},
        {"days": 5},
    ],
)
def test_due_date_bad_input_is_400_naming_the_field(client_for, token, params):
    body = assert_error_shape(client_for(token).get("/api/v1/calendar/due-date/", params), 400, "invalid")
    assert body["extra"]["fields"]
    assert set(body["extra"]["fields"]) <= {"start", "days", "unit"}


def test_english_when_asked(client_for, token):
    response = client_for(token).get(
        "/api/v1/calendar/due-date/", {"start": "2027-03-01", "days": 5}, HTTP_ACCEPT_LANGUAGE="en"
    )
    body = assert_error_shape(response, 422, "calendar_not_loaded")
    assert "calendar" in body["message"].lower() and "2027" in body["message"]


def test_unknown_api_path_is_json_404(client_for, token):
    assert_error_shape(client_for(token).get("/api/v1/no-such-thing/"), 404, "not_found")


def test_method_not_allowed_and_wrong_content_type(client_for, token, api_client):
    c = client_for(token)
    assert_error_shape(c.post("/api/v1/courts/", {}, format="json"), 405, "method_not_allowed")
    response = c.generic("POST", "/api/v1/courts/", "a=b", content_type="application/x-www-form-urlencoded")
    assert response.status_code in (405, 415)


# --- Idempotency-Key ---------------------------------------------------------------
# The kernel has no POST endpoint of its own yet; a tiny view under test exercises the
# base class every domain endpoint inherits.


@pytest.fixture
def echo_view(settings):
    settings.ROOT_URLCONF = "tests.core.urls_echo"
    from tests.core import urls_echo

    urls_echo.CALLS.clear()
    return urls_echo


def test_idempotent_replay_returns_the_first_response(client_for, token, echo_view):
    c = client_for(token)
    first = c.post("/echo/", {"amount": "10.00"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = c.post("/echo/", {"amount": "10.00"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert len(echo_view.CALLS) == 1  # the operation ran once


def test_same_key_same_json_in_another_key_order_replays(client_for, token, echo_view):
    c = client_for(token)
    c.generic("POST", "/echo/", json.dumps({"a": 1, "b": 2}), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    r = c.generic("POST", "/echo/", json.dumps({"b": 2, "a": 1}), content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert r.status_code == 201 and len(echo_view.CALLS) == 1


def test_reused_key_with_a_different_body_is_409(client_for, token, echo_view):
    c = client_for(token)
    c.post("/echo/", {"amount": "10.00"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    r = c.post("/echo/", {"amount": "99.00"}, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    assert_error_shape(r, 409, "idempotency_key_reused")
    assert len(echo_view.CALLS) == 1


def test_keys_are_per_client(courts, api_client, echo_view, settings):
    _u1, k1 = api_client_create(court=courts.lu0102, name="a")
    _u2, k2 = api_client_create(court=courts.lu0103, name="b")
    for key in (k1, k2):
        api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        assert api_client.post("/echo/", {"x": 1}, format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert len(echo_view.CALLS) == 2


def test_errors_are_replayed_too_but_5xx_are_not_stored(client_for, token, echo_view):
    c = client_for(token)
    r1 = c.post("/echo/", {"fail": True}, format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert_error_shape(r1, 422, "echo_refused")
    r2 = c.post("/echo/", {"fail": True}, format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert r2.status_code == 422 and r2["Idempotent-Replayed"] == "true"
    assert IdempotencyRecord.objects.filter(key="k-4", response_status=422).exists()


def test_invalid_idempotency_key_is_400(client_for, token, echo_view):
    r = client_for(token).post("/echo/", {}, format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert_error_shape(r, 400, "invalid_idempotency_key")
    assert echo_view.CALLS == []


def test_malformed_json_is_400(client_for, token, echo_view):
    r = client_for(token).generic("POST", "/echo/", "{not json", content_type="application/json")
    assert_error_shape(r, 400, "malformed")


def test_form_encoded_body_is_415(client_for, token, echo_view):
    r = client_for(token).generic("POST", "/echo/", "a=b", content_type="application/x-www-form-urlencoded")
    assert_error_shape(r, 415, "unsupported_media_type")


def test_throttled_is_429_with_retry_after(client_for, token, echo_view, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import UserRateThrottle

    UserRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "2/min"}
    try:
        from django.core.cache import cache

        cache.clear()
        c = client_for(token)
        statuses = [c.get("/api/v1/courts/").status_code for _ in range(3)]
        assert statuses[:2] == [200, 200]
        body = assert_error_shape(c.get("/api/v1/courts/"), 429, "throttled")
        assert body["extra"]["retry_after"] >= 1
    finally:
        UserRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        cache.clear()


# --- schema, docs, health ------------------------------------------------------------


def test_schema_is_valid_openapi_and_documents_error_responses(client_for, token):
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    due = schema["paths"]["/api/v1/calendar/due-date/"]["get"]["responses"]
    assert {"200", "400", "401", "422"} <= set(due)
    r = client_for(token).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200 and "/api/v1/courts/" in r.json()["paths"]


def test_schema_and_docs_need_login(api_client, db):
    assert api_client.get("/api/schema/").status_code == 401
    assert api_client.get(reverse("api-docs")).status_code in (401, 403)


def test_docs_served_offline(client, clerk):
    client.force_login(clerk)
    r = client.get(reverse("api-docs"))
    assert r.status_code == 200
    assert b"drf_spectacular_sidecar" in r.content or b"swagger-ui" in r.content


def test_healthz_reports_database_and_redis(client, db):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_503_when_redis_is_down(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    r = client.get("/healthz")
    assert r.status_code == 503 and r.json()["redis"] == "error"
