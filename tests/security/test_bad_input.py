"""Bad input, field by field, on the REST endpoints that take it (and the browser
forms with the same fields): each refusal is a clear error in the contract's shape
(``{"code", "message", "extra"}``, Chinese by default, 400 naming the field; 413 /
415 for the body itself) — and NOTHING is written: every row count of the domain
apps (node events, history and clocks included) and the rows of the case's
tables are the same before and after."""

import json
import os

import pytest
from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.test import Client
from rest_framework.test import APIClient

from custody_funds.models import LedgerAccount
from tests.enforcement.factories import case_payload, org_code, person_id
from tests.security.fuzz_world import build_light_world

pytestmark = [pytest.mark.xdist_group("security-bad-input")] if os.environ.get("PYTEST_XDIST_WORKER") else []

DOMAIN_APPS = ("core", "enforcement", "custody_funds", "supervision", "dualcheck")
# Rows whose contents must not change either (counts alone miss an UPDATE).
WATCHED = (
    "enforcement.Case",
    "enforcement.Party",
    "enforcement.ControlMeasure",
    "enforcement.Disposal",
    "custody_funds.LedgerAccount",
    "custody_funds.Receipt",
    "custody_funds.Disbursement",
    "core.Deadline",
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            try:
                yield build_light_world()
            finally:
                transaction.set_rollback(True)


@pytest.fixture
def w(world, db):
    return world


def _snapshot_sql() -> tuple[list[str], str]:
    """One statement: the row count of every table of the domain apps and a digest
    of the watched tables' rows."""
    from django.db import connection

    q = connection.ops.quote_name
    tables = sorted(
        {
            model._meta.db_table
            for app in DOMAIN_APPS
            for model in apps.get_app_config(app).get_models()
            if not model._meta.proxy and model._meta.managed
        }
    )
    watched = [apps.get_model(label)._meta.db_table for label in WATCHED]
    parts = [f"(SELECT count(*) FROM {q(t)})" for t in tables]
    parts += [f"(SELECT md5(coalesce(string_agg(r::text, '|' ORDER BY r.id), '')) FROM {q(t)} r)" for t in watched]
    return [*tables, *(f"{t} rows" for t in watched)], "SELECT " + ", ".join(parts)


def snapshot() -> dict:
    from django.db import connection

    names, sql = _snapshot_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(names, cursor.fetchone(), strict=True))


def changes(before: dict, after: dict) -> list[str]:
    return [f"{name}: {before[name]} → {after[name]}" for name in before if before[name] != after[name]]


def token_client(w) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {w.token}")
    return client


def assert_refused(response, status: int = 400, field: str | None = None, code: str | None = None) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "extra"}, body
    assert isinstance(body["message"], str) and body["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body["message"]  # Chinese by default
    if code is not None:
        assert body["code"] == code, body
    if field is not None:
        fields = body["extra"].get("fields", {})
        assert any(name == field or name.startswith(f"{field}.") or name.startswith(f"{field}[") for name in fields), (
            field,
            body,
        )
    return body


def post_refused(client, url: str, payload, *, status: int = 400, field: str | None = None, code=None):
    before = snapshot()
    if isinstance(payload, (bytes, str)):
        response = client.post(url, payload, content_type="application/json")
    else:
        response = client.post(url, payload, format="json")
    body = assert_refused(response, status, field, code)
    assert changes(before, snapshot()) == []
    return body


# --- the endpoints and their fields -----------------------------------------------------------------


def _account(w) -> str:
    return LedgerAccount.objects.get(case_id=w.ids["case"]).number


def money_targets(w) -> dict:
    """endpoint name → (url, body with the amount under test as ``V``, the field)."""
    case = w.ids["case"]
    return {
        "case_claim": ("/api/v1/cases/", lambda v: case_payload("(2026)鲁0102执1501号", claim_amount=v), "claim_amount"),
        "case_costs": ("/api/v1/cases/", lambda v: case_payload("(2026)鲁0102执1502号", costs=v), "costs"),
        "receipt": (
            "/api/v1/receipts/",
            lambda v: {"account_number": _account(w), "amount": v, "arrived_at": "2026-10-30T10:00:00+08:00",
                       "payer": "某某公司", "reference": "BAD-1"},
            "amount",
        ),
        "disbursement": (
            f"/api/v1/cases/{case}/disbursements/",
            lambda v: {"payee": w.ids["party_applicant"], "amount": v, "account_number": "6222020200112233445"},
            "amount",
        ),
        "control": (
            f"/api/v1/cases/{case}/control-measures/",
            lambda v: {"asset": w.ids["asset"], "kind": "freeze_equity", "amount": v,
                       "effective_at": "2026-10-30T10:00:00+08:00"},
            "amount",
        ),
        "fix_price": (f"/api/v1/disposals/{w.ids['disposal']}/fix-price/", lambda v: {"price": v}, "price"),
        "hold": (
            f"/api/v1/cases/{case}/funds-holds/",
            lambda v: {"kind": "deposit", "reason": "refused", "note": "拒绝领取", "amount": v},
            "amount",
        ),
        "finding": (
            f"/api/v1/asset-searches/{w.ids['search']}/feedback/",
            lambda v: {"received_at": "2026-10-30T10:00:00+08:00",
                       "findings": [{"category": "vehicle", "description": "轿车", "value": v}]},
            "findings",
        ),
    }


NOT_AN_AMOUNT = [
    "NaN", "nan", "Infinity", "-Infinity", "inf", "1e309", "1E3", "1.234", "0.001", "1,000", "１０００", "1000元",
    "¥1000", " 1 000", "abc", "", "99999999999999999.00", "1" * 400, True, [], {}, "0x10", "1_000", "٣",
]  # fmt: skip
NOT_POSITIVE = ["-1.00", "-0.01", "0", "0.00", -5, 0]
POSITIVE_FIELDS = {"case_claim", "receipt", "disbursement", "control", "fix_price", "hold"}


@pytest.mark.parametrize("target", ["case_claim", "case_costs", "receipt", "disbursement", "control", "fix_price", "hold", "finding"])
def test_amounts_that_are_not_amounts(w, target):
    url, body, field = money_targets(w)[target]
    client = token_client(w)
    for value in NOT_AN_AMOUNT:
        post_refused(client, url, body(value), field=field, code="invalid")


@pytest.mark.parametrize("target", sorted(POSITIVE_FIELDS))
def test_amounts_that_are_not_positive(w, target):
    url, body, field = money_targets(w)[target]
    client = token_client(w)
    for value in NOT_POSITIVE:
        post_refused(client, url, body(value), field=field)


def test_a_negative_asset_value_is_refused(w):
    url, body, field = money_targets(w)["finding"]
    post_refused(token_client(w), url, body("-1.00"), field=field)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e309", "-1e309"])
def test_non_finite_json_numbers(w, literal):
    """JSON has no NaN/Infinity (refused as malformed); ``1e309`` parses as infinity
    (refused as an amount). Either way, a 400 and nothing written."""
    url, body, _field = money_targets(w)["receipt"]
    raw = json.dumps(body("__V__")).replace('"__V__"', literal)
    post_refused(token_client(w), url, raw)


def test_the_largest_amounts_the_contract_allows_do_not_break_the_ledger(w):
    """99,999,999,999,999.99 is a valid amount; added to a balance it no longer fits
    the ledger's column. The answer is a refusal, never a 500."""
    url, body, _field = money_targets(w)["receipt"]
    client = token_client(w)
    first = client.post(url, {**body("99999999999999.99"), "reference": "HUGE-1"}, format="json")
    assert first.status_code in (201, 400, 422), first.content
    before = snapshot()
    second = client.post(url, {**body("99999999999999.99"), "reference": "HUGE-2"}, format="json")
    assert second.status_code < 500, second.content
    if second.status_code >= 400:
        assert_refused(second, second.status_code)
        assert changes(before, snapshot()) == []


# --- identity numbers, phones, case numbers ------------------------------------------------------


def _with_party(role: str, **fields) -> dict:
    payload = case_payload("(2026)鲁0102执1601号")
    payload[role][0].update(fields)
    return payload


BAD_ID = [
    person_id()[:-1] + ("0" if person_id()[-1] != "0" else "1"),  # wrong check digit
    person_id()[:-1],  # 17 characters
    person_id() + "1",  # 19
    "370102900101123",  # a 15-digit first-generation number
    "37010219901301123" + "X",  # month 13
    "990102199001011234",  # no such province
    "abcdefghijklmnopqr",
    "3701021990 0101123X",
    "",
    "3701021990010112\u00003",
]
BAD_CREDIT_CODE = [org_code()[:-1] + ("0" if org_code()[-1] != "0" else "1"), org_code()[:-1], "91370100MA3C0000IO"]
BAD_PHONE = ["1380000000", "138000000000", "23800000000", "12345", "abc", "+1 2025550100", "0531-12", "138-0000-000a"]


@pytest.mark.parametrize("value", BAD_ID)
def test_bad_resident_id_numbers(w, value):
    post_refused(token_client(w), "/api/v1/cases/", _with_party("applicants", id_number=value), field="applicants")


@pytest.mark.parametrize("value", BAD_CREDIT_CODE)
def test_bad_credit_codes(w, value):
    post_refused(token_client(w), "/api/v1/cases/", _with_party("respondents", id_number=value), field="respondents")


@pytest.mark.parametrize("value", BAD_PHONE)
def test_bad_phone_numbers(w, value):
    post_refused(token_client(w), "/api/v1/cases/", _with_party("applicants", phone=value), field="applicants")


def petition(**fields) -> dict:
    return {"court": "鲁0102", "channel": "letter", "petitioner_name": "王五", "content": "反映案款未发放。", **fields}


@pytest.mark.parametrize(
    ("field", "value"),
    [("petitioner_id_number", BAD_ID[0]), ("petitioner_id_number", "12345"), ("petitioner_phone", BAD_PHONE[0]),
     ("petitioner_phone", "abc")],
)  # fmt: skip
def test_bad_numbers_on_a_petition(w, field, value):
    post_refused(token_client(w), "/api/v1/petitions/", petition(**{field: value}), field=field)


BAD_CASE_NUMBERS = [
    "(2026)鲁0102执1001",  # no 号
    "2026鲁0102执1001号",  # no brackets
    "(2026)鲁0102执0号",  # sequence 0
    "(1899)鲁0102执1号",  # before the year format existed
    "(2026)鲁0102民初1号",  # not an enforcement type code
    "(2026)鲁0102执-1号",
    "(2026)鲁0102执1号(2026)鲁0102执2号",
    "(2026)鲁0102执1001号<script>",
    "",
    "   ",
    "(2026)鲁0102执1\u00001号",
    "x" * 64,
]


@pytest.mark.parametrize("value", BAD_CASE_NUMBERS)
def test_malformed_case_numbers(w, value):
    post_refused(token_client(w), "/api/v1/cases/", case_payload(value), field="case_number")


def test_malformed_case_numbers_in_bulk_fail_item_by_item(w):
    client = token_client(w)
    before = snapshot()
    response = client.post("/api/v1/cases/bulk/", {"cases": [case_payload(n) for n in BAD_CASE_NUMBERS[:4]]}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["created"] == 0 and body["failed"] == 4
    for result in body["results"]:
        assert result["status"] == 400 and "case_number" in result["error"]["extra"]["fields"]
    assert changes(before, snapshot()) == []


# --- dates ------------------------------------------------------------------------------------------


BAD_DATES = ["2026-02-30", "2026-13-01", "2026-00-10", "20260930", "2026/09/30", "30-09-2026", "２０２６-０９-３０",
             "0001-01-01", "9999-12-31", "yesterday", "", "2026-09-30T10:00:00+08:00", 20260930]  # fmt: skip
BAD_DATETIMES = [
    "2026-09-30T10:00:00",  # naive: the contract wants the offset
    "2026-09-30 10:00",
    "2026-09-30",
    "2026-09-30T25:00:00+08:00",
    "2026-02-30T10:00:00+08:00",
    "2026-09-30T10:00:00+25:00",
    "０２６-09-30T10:00:00+08:00",
    "0001-01-01T00:00:00+08:00",
    "9999-12-31T23:59:59-12:00",
    "now",
    1790000000,
    "",
]


@pytest.mark.parametrize("value", BAD_DATES)
def test_impossible_or_garbage_dates(w, value):
    payload = case_payload("(2026)鲁0102执1701号", filed_on=value)
    post_refused(token_client(w), "/api/v1/cases/", payload, field="filed_on")


@pytest.mark.parametrize("value", BAD_DATETIMES)
def test_impossible_naive_or_garbage_datetimes(w, value):
    client = token_client(w)
    post_refused(client, "/api/v1/cases/", case_payload("(2026)鲁0102执1702号", received_at=value), field="received_at")
    url, body, _field = money_targets(w)["receipt"]
    post_refused(client, url, {**body("10.00"), "arrived_at": value}, field="arrived_at")
    post_refused(client, f"/api/v1/cases/{w.ids['case']}/suspend/", {"reason": "测试", "at": value}, field="at")


@pytest.mark.parametrize("params", [
    {"start": "2026-02-30", "days": 5}, {"start": "２０２６-09-30", "days": 5}, {"start": "0001-01-01", "days": 5},
    {"start": "2026-09-30", "days": "1e3"}, {"start": "2026-09-30", "days": "99999999999999999999"},
    {"start": "2026-09-30\u0000", "days": 5},
])  # fmt: skip
def test_bad_query_parameters(w, params):
    response = token_client(w).get("/api/v1/calendar/due-date/", params)
    assert_refused(response, 400, code="invalid")


@pytest.mark.parametrize("url", [
    "/api/v1/receipts/?court=%00", "/api/v1/receipts/?status=%00", "/api/v1/cases/?court=%00",
    "/api/v1/cases/?q=%00", "/api/v1/alerts/?court=%00", "/api/v1/alerts/?rule=%00", "/api/v1/orders/?issuing_court=%00",
    "/api/v1/petitions/?court=%00", "/api/v1/approvals/?status=%00", "/api/v1/disbursements/?status=%00",
    "/api/v1/asset-categories/?court=%00", "/api/v1/dualcheck/clues/?officer=%00", "/api/v1/dashboard/?court=%00",
    "/api/v1/funds/held/export/?court=%00", "/api/v1/cases/?page=%00", "/api/v1/cases/?page_size=%00",
])  # fmt: skip
def test_nul_bytes_in_query_parameters_are_not_a_server_error(w, url):
    response = token_client(w).get(url)
    assert response.status_code < 500, (url, response.status_code, response.content[:300])
    if response.status_code >= 400:
        assert_refused(response, response.status_code)


# --- the body itself ------------------------------------------------------------------------------


def test_an_oversized_body_is_413(w):
    filler = "某" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 3 + 10)  # 3 bytes each in UTF-8
    payload = case_payload("(2026)鲁0102执1801号", basis_document=filler)
    post_refused(token_client(w), "/api/v1/cases/", json.dumps(payload), status=413, code="payload_too_large")


def test_an_oversized_body_with_an_idempotency_key_is_413(w):
    payload = json.dumps(case_payload("(2026)鲁0102执1802号", basis_document="x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
    before = snapshot()
    response = token_client(w).post(
        "/api/v1/cases/", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="big-1"
    )
    assert_refused(response, 413, code="payload_too_large")
    assert changes(before, snapshot()) == []


@pytest.mark.parametrize("depth", [200, 1000, 10_000, 100_000])
@pytest.mark.parametrize("shape", ["list", "dict"])
def test_deeply_nested_json_is_400_not_a_recursion_error(w, depth, shape):
    inner = "[" * depth + "]" * depth if shape == "list" else '{"a":' * depth + "1" + "}" * depth
    raw = '{"reason": "x", "extra": ' + inner + "}"
    post_refused(token_client(w), f"/api/v1/cases/{w.ids['case']}/suspend/", raw, code="malformed")


def test_deeply_nested_json_in_a_bulk_item_is_400(w):
    raw = '{"cases": [' + '{"a":' * 5000 + "1" + "}" * 5000 + "]}"
    post_refused(token_client(w), "/api/v1/cases/bulk/", raw, code="malformed")


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml",
     "text/json", "application/json-patch+json", "application/javascript"],
)  # fmt: skip
def test_other_content_types_are_415(w, content_type):
    before = snapshot()
    body = json.dumps({"reason": "中止", "at": "2026-10-30T10:00:00+08:00"})
    if content_type.startswith("multipart"):
        body = '--x\r\nContent-Disposition: form-data; name="reason"\r\n\r\n中止\r\n--x--\r\n'
    response = token_client(w).post(f"/api/v1/cases/{w.ids['case']}/suspend/", body, content_type=content_type)
    assert_refused(response, 415, code="unsupported_media_type")
    assert changes(before, snapshot()) == []


@pytest.mark.parametrize(
    "raw",
    [b'{"reason": "\xff\xfe"}', b'{"reason": "\xc3"}', b"\xef\xbb\xbf{\"reason\": \"x\"}", b'{"reason": "x"',
     b"", b"null", b"[]", b'"reason"', b"123", b'{"reason": "x"} trailing'],
)  # fmt: skip
def test_invalid_utf8_and_malformed_json_are_400(w, raw):
    post_refused(token_client(w), f"/api/v1/cases/{w.ids['case']}/suspend/", raw)


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("suspend", {"reason": "中止\u0000原因"}, "reason"),
        ("interview", {"note": "\u0000"}, "note"),
        ("property-clues", {"received_at": "2026-10-30T10:00:00+08:00", "description": "车位\u0000"}, "description"),
    ],
)
def test_nul_bytes_in_strings_are_400(w, url, payload, field):
    post_refused(token_client(w), f"/api/v1/cases/{w.ids['case']}/{url}/", payload, field=field)


def test_nul_bytes_in_case_fields_are_400(w):
    client = token_client(w)
    for field, value in [("basis_document", "判决书\u0000"), ("team", "\u0000"), ("handler", "handler\u0000")]:
        post_refused(client, "/api/v1/cases/", case_payload("(2026)鲁0102执1901号", **{field: value}), field=field)
    post_refused(client, "/api/v1/cases/", _with_party("applicants", name="张\u0000三"), field="applicants")


def test_nul_bytes_in_a_petition_and_a_clue(w):
    client = token_client(w)
    post_refused(client, "/api/v1/petitions/", petition(content="反映\u0000"), field="content")
    post_refused(
        client, "/api/v1/dualcheck/clues/", {"court": "鲁01", "source": "other", "summary": "反映\u0000"}, field="summary"
    )


def test_an_idempotency_key_with_a_nul_byte_is_400(w):
    before = snapshot()
    response = token_client(w).post(
        f"/api/v1/cases/{w.ids['case']}/suspend/", {"reason": "中止"}, format="json", HTTP_IDEMPOTENCY_KEY="k\x00"
    )
    assert_refused(response, 400, code="invalid_idempotency_key")
    assert changes(before, snapshot()) == []


@pytest.mark.parametrize("path_id", ["99999999999999999999", "0", "2147483648", "9223372036854775808"])
def test_ids_out_of_range_in_the_path_are_404(w, path_id):
    response = token_client(w).get(f"/api/v1/cases/{path_id}/")
    assert_refused(response, 404, code="not_found")


@pytest.mark.parametrize("value", [99999999999999999999, 2**63, -1, 0, 1.5, True, "1e3", None])
def test_ids_out_of_range_in_the_body(w, value):
    url, body, _field = money_targets(w)["disbursement"]
    post_refused(token_client(w), url, {**body("10.00"), "payee": value}, field=None)


# --- the browser forms with the same fields --------------------------------------------------------


def register_form(w, **overrides) -> dict:
    data = {
        "case_number": "(2026)鲁0102执2501号",
        "court": str(w.matrix.courts.lu0102.pk),
        "filed_on": "2026-10-28",
        "received_at": "2026-10-30T10:00",
        "claim_amount": "100000",
        "costs": "1000",
        "basis_document": "(2026)鲁0102民初88号民事判决书",
        "track": "simple",
        "handler": "",
        "team": "",
        "applicants-0-kind": "person",
        "applicants-0-name": "张三",
        "applicants-0-id_number": person_id(),
        "applicants-0-phone": "13800000000",
        "applicants-0-bank": "中国工商银行济南分行",
        "applicants-0-account_number": "6222020200112233445",
        "applicants-0-holder": "张三",
        "respondents-0-kind": "organization",
        "respondents-0-name": "某某公司",
        "respondents-0-id_number": org_code(),
        "respondents-0-phone": "",
    }
    data.update(overrides)
    return data


FORM_CASES = [
    *[("claim_amount", v) for v in ["-1", "0", "NaN", "Infinity", "1e309", "1.234", "1,000", "１０００", "abc", "9" * 20]],
    *[("costs", v) for v in ["-1", "NaN", "1.234", "１０００"]],
    *[("applicants-0-id_number", v) for v in BAD_ID[:5]],
    ("respondents-0-id_number", BAD_CREDIT_CODE[0]),
    *[("applicants-0-phone", v) for v in BAD_PHONE[:4]],
    *[("case_number", v) for v in BAD_CASE_NUMBERS[:6]],
    *[("filed_on", v) for v in ["2026-02-30", "2026-13-01", "garbage", "0001-01-01", "9999-12-31", "２０２６-１０-２８"]],
    *[("received_at", v) for v in ["2026-02-30T10:00", "garbage", "0001-01-01T00:00", "9999-12-31T23:59"]],
    ("basis_document", "判决书\u0000"),
]


def test_the_register_form_accepts_the_good_data(w):
    """The baseline of the next test: the same form, unchanged, registers the case."""
    browser = Client()
    browser.force_login(w.matrix.users["clerk"])
    response = browser.post("/cases/new/", register_form(w))
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(("field", "value"), FORM_CASES)
def test_the_register_form_refuses_the_same_bad_values(w, field, value):
    browser = Client()
    browser.force_login(w.matrix.users["clerk"])
    before = snapshot()
    response = browser.post("/cases/new/", register_form(w, **{field: value}))
    assert response.status_code in (200, 400, 422), (field, value, response.status_code)
    html = response.content.decode()
    assert 'class="field-error"' in html or "errorlist" in html, (field, value)
    assert changes(before, snapshot()) == []


@pytest.mark.parametrize("value", ["-1", "0", "NaN", "1.234", "1,000", "１０００", "abc", "1e309"])
def test_the_disbursement_form_refuses_bad_amounts(w, value):
    browser = Client()
    browser.force_login(w.matrix.users["officer"])
    before = snapshot()
    response = browser.post(
        f"/funds/cases/{w.ids['case']}/draft/",
        {"payee": w.ids["party_applicant"], "account_number": "6222020200112233445", "amount": value},
    )
    assert response.status_code in (200, 400, 422), response.status_code
    assert "field-error" in response.content.decode() or "errorlist" in response.content.decode()
    assert changes(before, snapshot()) == []


def test_a_nul_byte_in_the_path_is_audited(w):
    from audit.models import AuditRecord

    before = AuditRecord.objects.count()
    response = token_client(w).post("/api/v1/cases/1%00/suspend/", {"reason": "中止"}, format="json")
    assert_refused(response, 404, code="not_found")
    assert AuditRecord.objects.count() == before + 1


def test_the_cash_receipt_form_refuses_an_amount_the_ledger_cannot_hold(w):
    browser = Client()
    browser.force_login(w.matrix.users["clerk"])
    before = snapshot()
    response = browser.post(
        f"/funds/cases/{w.ids['case']}/cash/",
        {"reference": "CASH-HUGE", "amount": "99999999999999.99", "arrived_at": "2026-11-01T10:00",
         "payer": "某某公司", "second_officer": w.matrix.users["officer"].pk},
    )  # fmt: skip
    assert response.status_code in (200, 400, 422)
    assert changes(before, snapshot()) == []
