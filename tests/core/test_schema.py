"""The OpenAPI schema (drf-spectacular): generated without a warning, valid, one
operation id per operation, both authenticators declared, and the answers of the
endpoints really have the shape the schema gives them."""

import re
from collections import Counter, defaultdict

import pytest
from django.conf import settings
from drf_spectacular.drainage import GENERATOR_STATS, reset_generator_stats
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from jsonschema import Draft7Validator
from rest_framework.test import APIClient

from core.services.people import api_client_create
from custody_funds.api.disbursements import DISBURSEMENT_STEPS
from custody_funds.api.holds import HOLD_STEPS
from tests.enforcement.factories import case_payload

# Endpoints that others are writing right now: their warnings do not fail the test
# yet. Empty this once they are done, and every endpoint is held to it.
# Path prefixes allowed to produce schema warnings: none.
PENDING: tuple[str, ...] = ()

_BREADCRUMBS = re.compile(r"(?:Warning|Error) \[([^\]]+)\]: ")


def pending(path: str) -> bool:
    return path.startswith(PENDING)


def paths_concerned(message: str, paths_of_view: dict[str, set[str]]) -> set[str]:
    """The paths a drf-spectacular message (as it prints it) is about."""
    crumbs = _BREADCRUMBS.search(message)
    if crumbs:  # raised while inspecting a view (``Warning [<View> > ...]: ``): its paths
        return paths_of_view.get(crumbs.group(1).split(" > ")[0], set())
    # raised over the whole schema, like operationId collisions, which name the paths
    return set(re.findall(r"'(/[^']*)'", message))


def blocking(messages: list[tuple[str, set[str]]]) -> list[str]:
    """Messages not only about pending endpoints; one tied to no path counts too."""
    return [message for message, paths in messages if not paths or not all(pending(p) for p in paths)]


@pytest.fixture(scope="module")
def generated():
    """The public schema, and every warning and error drf-spectacular emitted while
    building it, with the paths each one concerns."""
    generator = SchemaGenerator()
    reset_generator_stats()
    try:
        with GENERATOR_STATS.silence():
            schema = generator.get_schema(request=None, public=True)
        emitted = [*GENERATOR_STATS._warn_cache, *GENERATOR_STATS._error_cache]
    finally:
        reset_generator_stats()

    paths_of_view = defaultdict(set)
    for path, _regex, _method, callback in generator.endpoints:
        paths_of_view[callback.cls.__name__].add(path)
    return schema, [(message, paths_concerned(message, paths_of_view)) for message in emitted]


@pytest.fixture(scope="module")
def schema(generated):
    return generated[0]


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_no_warnings_or_errors_outside_the_pending_endpoints(generated):
    _schema, messages = generated
    assert blocking(messages) == [], "\n".join(blocking(messages))


def test_messages_are_tied_to_the_paths_they_concern():
    views = {"AlertListApi": {"/api/v1/alerts/"}, "CaseCloseApi": {"/api/v1/cases/{case_id}/close/"}}
    alert = "/x/supervision/api/alerts.py:58: Warning [AlertListApi > AlertOut]: could not resolve field"
    close = "/x/enforcement/api/views.py:372: Warning [CaseCloseApi > InputSerializer]: identical names"
    collision = (
        "Warning: operationId \"x\" has collisions [('/api/v1/orders/', 'get'), "
        "('/api/v1/cases/', 'get')]. resolving with numeral suffixes."
    )
    untied = "Warning: enum naming encountered a non-optimally resolvable collision"
    messages = [(m, paths_concerned(m, views)) for m in (alert, close, collision, untied)]
    assert messages[2][1] == {"/api/v1/orders/", "/api/v1/cases/"}
    assert blocking(messages) == [alert, close, collision, untied]  # nothing is exempt


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)
    assert "/api/v1/cases/" in schema["paths"]


def test_operation_ids_are_unique_and_the_generated_actions_have_their_own(schema):
    counts = Counter(operation["operationId"] for _path, _method, operation in operations(schema))
    assert [op_id for op_id, n in counts.items() if n > 1] == []
    # These views are generated from one class each; the id must follow the action,
    # not the last one generated (nor get a numeral suffix).
    for name in DISBURSEMENT_STEPS:
        path = f"/api/v1/disbursements/{{disbursement_id}}/{name}/"
        assert schema["paths"][path]["post"]["operationId"] == f"disbursements_{name}"
    for name in HOLD_STEPS:
        path = f"/api/v1/funds-holds/{{hold_id}}/{name}/"
        assert schema["paths"][path]["post"]["operationId"] == f"funds_holds_{name}"


def test_token_and_session_authentication_are_declared_on_every_operation(schema):
    schemes = schema["components"]["securitySchemes"]
    token = schemes["tokenAuth"]
    assert (token["type"], token["in"], token["name"]) == ("apiKey", "header", "Authorization")
    assert "Token <" in token["description"]
    session = schemes["cookieAuth"]
    assert (session["type"], session["in"], session["name"]) == (
        "apiKey",
        "cookie",
        settings.SESSION_COOKIE_NAME,
    )
    for path, method, operation in operations(schema):
        if path.startswith("/api/v1/public/"):  # h/gateproc: 322号 §11 lists, no credentials
            assert "security" not in operation and "无需登录" in operation["description"], (path, method)
        elif not pending(path):
            assert operation["security"] == [{"tokenAuth": []}, {"cookieAuth": []}], (path, method)


def test_nested_serializers_are_named_after_their_view(schema):
    components = schema["components"]["schemas"]
    assert not {"Input", "InputRequest", "Output", "BulkInRequest"} & set(components)
    close = schema["paths"]["/api/v1/cases/{case_id}/close/"]["post"]
    assert close["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/CaseCloseInputRequest"
    )
    courts = schema["paths"]["/api/v1/courts/"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    assert courts["items"]["$ref"].endswith("/CourtListOutput")


def test_bulk_requests_document_their_items(schema):
    components = schema["components"]["schemas"]
    assert components["CaseBulkInputRequest"]["properties"]["cases"]["items"]["$ref"].endswith(
        "/CaseInRequest"
    )
    item = components["FeedbackBulkItemInRequest"]
    assert {"search", "received_at", "findings"} <= set(item["required"])
    assert components["CaseBulkResult"]["discriminator"]["propertyName"] == "result"


def test_money_allows_a_sign_only_where_the_field_accepts_one(schema):
    components = schema["components"]["schemas"]
    signed = re.compile(components["LedgerEntryOut"]["properties"]["amount"]["pattern"])
    unsigned = re.compile(components["CaseInRequest"]["properties"]["claim_amount"]["pattern"])
    assert signed.match("-50.00") and signed.match("1234.56")
    assert unsigned.match("1234.56") and not unsigned.match("-1.00")


def test_idempotency_key_is_documented_on_every_post_and_only_there(schema):
    for path, method, operation in operations(schema):
        if pending(path):
            continue
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        assert ("Idempotency-Key" in headers) == (method == "post"), (path, method)


# --- the answers have the documented shape -------------------------------------------


@pytest.fixture
def api(api_client, courts):
    """A machine client of 鲁0102, as other courts' systems call us."""
    _user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api_client


@pytest.fixture
def head_api(bureau_head):
    client = APIClient()
    client.force_authenticate(bureau_head)
    return client


def _json_schema(node):
    """An OpenAPI 3.0 schema object as JSON Schema: ``nullable`` becomes a null
    alternative, and an object with listed properties allows no others, so a field
    the schema forgot fails too."""
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("nullable", "discriminator", "example", "readOnly", "writeOnly"):
            continue
        if key == "properties":
            out[key] = {name: _json_schema(v) for name, v in value.items()}
        else:
            out[key] = _json_schema(value)
    if "properties" in node and "additionalProperties" not in node:
        out["additionalProperties"] = False
    return {"anyOf": [out, {"type": "null"}]} if node.get("nullable") is True else out


def assert_conforms(schema, path, method, response):
    responses = schema["paths"][path][method]["responses"]
    assert str(response.status_code) in responses, (path, response.status_code, response.content)
    body_schema = responses[str(response.status_code)]["content"]["application/json"]["schema"]
    document = {
        "allOf": [_json_schema(body_schema)],
        "components": {"schemas": {n: _json_schema(s) for n, s in schema["components"]["schemas"].items()}},
    }
    errors = sorted(Draft7Validator(document).iter_errors(response.json()), key=str)
    assert errors == [], (path, [e.message for e in errors])
    return response.json()


def test_answers_conform_to_the_schema(schema, api, head_api):
    created = api.post("/api/v1/cases/", case_payload(), format="json")
    case = assert_conforms(schema, "/api/v1/cases/", "post", created)
    assert case["applicants"][0]["payout_account"]["holder"] == "张三"

    bulk = api.post(
        "/api/v1/cases/bulk/",
        {"cases": [case_payload("(2026)鲁0102执2001号"), case_payload("not a number")]},
        format="json",
    )
    body = assert_conforms(schema, "/api/v1/cases/bulk/", "post", bulk)
    assert [r["result"] for r in body["results"]] == ["created", "error"]

    search = api.post(
        f"/api/v1/cases/{case['id']}/asset-searches/",
        {"channel": "online", "launched_at": "2026-10-09T09:00:00+08:00"},
        format="json",
    ).json()
    item = {
        "received_at": "2026-10-12T15:00:00+08:00",
        "findings": [{"category": "real_estate", "description": "历下区某路1号", "value": "900000.00"}],
    }
    feedback = api.post(
        "/api/v1/asset-searches/feedback/bulk/",
        {"feedback": [{"search": search["id"], **item}, {"search": 999999, **item}]},
        format="json",
    )
    body = assert_conforms(schema, "/api/v1/asset-searches/feedback/bulk/", "post", feedback)
    assert [(r["result"], r.get("status")) for r in body["results"]] == [("created", None), ("error", 404)]
    house = body["results"][0]["assets"][0]

    # over the limit: the machine client asks, the bureau head approves (spec §7.3: no 径行批准)
    override = api.post(
        f"/api/v1/cases/{case['id']}/approvals/",
        {"kind": "over_seizure", "reason": "唯一财产", "asset": house},
        format="json",
    ).json()
    assert head_api.post(f"/api/v1/approvals/{override['id']}/approve/", {}, format="json").status_code == 200
    seized = head_api.post(
        f"/api/v1/cases/{case['id']}/control-measures/",
        {
            "asset": house,
            "kind": "seize_real_estate",
            "effective_at": "2026-10-14T10:00:00+08:00",
            "override_approval": override["id"],
        },
        format="json",
    )
    assert seized.status_code == 201, seized.json()
    allowed = api.post(
        f"/api/v1/assets/{house}/self-disposal/",
        {"days": 60, "at": "2026-10-20T10:00:00+08:00"},
        format="json",
    )
    sd = assert_conforms(schema, "/api/v1/assets/{asset_id}/self-disposal/", "post", allowed)
    assert sd == {"id": sd["id"], "asset": house, "days": 60, "status": "allowed"}
    concluded = api.post(
        f"/api/v1/self-disposals/{sd['id']}/conclude/",
        {"sold": True, "amount": "850000.00", "at": "2026-11-10T10:00:00+08:00"},
        format="json",
    )
    assert set(
        assert_conforms(schema, "/api/v1/self-disposals/{self_disposal_id}/conclude/", "post", concluded)
    ) == {
        "id",
        "status",
    }

    receipt = api.post(
        "/api/v1/receipts/",
        {
            "account_number": case["fund_account"],
            "amount": "30000.00",
            "arrived_at": "2026-10-12T10:00:00+08:00",
            "payer": "某某公司",
            "reference": "B001",
        },
        format="json",
    )
    assert_conforms(schema, "/api/v1/receipts/", "post", receipt)
    funds = assert_conforms(
        schema, "/api/v1/cases/{case_id}/funds/", "get", api.get(f"/api/v1/cases/{case['id']}/funds/")
    )
    assert [(e["amount"], e["balance_after"]) for e in funds["entries"]] == [("30000.00", "30000.00")]

    assert_conforms(schema, "/api/v1/courts/", "get", api.get("/api/v1/courts/"))
    due = api.get("/api/v1/calendar/due-date/", {"start": "2026-09-30", "days": 5})
    assert assert_conforms(schema, "/api/v1/calendar/due-date/", "get", due)["due_date"] == "2026-10-13"


def test_conformance_check_catches_an_undocumented_field(schema, api):
    """The check above is only worth something if it can fail."""
    response = api.get("/api/v1/courts/")
    original = response.json
    response.json = lambda: [{**court, "secret": 1} for court in original()]
    with pytest.raises(AssertionError, match="secret"):
        assert_conforms(schema, "/api/v1/courts/", "get", response)


@pytest.mark.parametrize(
    ("component", "field"), [("CaseBulkInputRequest", "cases"), ("SearchFeedbackBulkInputRequest", "feedback")]
)
def test_the_bulk_endpoints_declare_their_limits(schema, settings, component, field):
    """A client can read the per-request maximum from the schema, not only from the
    help text (issue 17)."""
    items = schema["components"]["schemas"][component]["properties"][field]
    assert (items["type"], items["minItems"], items["maxItems"]) == ("array", 1, settings.ENFORCEMENT_BULK_MAX)
    assert items["items"]["$ref"].startswith("#/components/schemas/")
