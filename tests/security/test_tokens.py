"""API tokens and sessions end with the access behind them — on the very next request.

* A token is bound to its client's court: the 鲁0102 client reaches every object of
  鲁0102 and nothing of its sibling 鲁0103 or of the court above, 鲁01 (404, never 403:
  existence does not leak). Proved over every REST route that addresses an object,
  enumerated from the URLconf, each with a control (the object's own court's client
  does reach it) so a 404 cannot come from a broken route.
* A revoked token, a deactivated user (token and browser session), and a revoked
  membership (token and session) stop working on the next request: nothing caches
  memberships beyond one request (``core.selectors.active_memberships``)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from core.models import ApiToken, Department, Membership, Role
from core.selectors import active_memberships, forget_memberships, visible_courts
from core.services.people import api_client_create, api_token_revoke, membership_grant, membership_revoke
from tests.conftest import at
from tests.core.factories import make_member
from tests.enforcement.factories import make_case

CODES = ("鲁0102", "鲁0103", "鲁01")  # the client's own court, its sibling, the court above


def contract_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    body = response.json()
    assert set(body) == {"code", "message", "extra"}, body
    assert body["code"] == code, body
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body  # zh-hans by default
    return body


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


# --- one of every object the REST API addresses by id, at each of the three courts --------------


def _build_court(courts, code: str, supervisors) -> SimpleNamespace:
    """A case of court ``code`` with searches, assets, measures, clues, a disposal, a
    self-disposal, an approval request, money, a payment, a hold, a 督办, a petition
    and (after a scan) alerts."""
    from custody_funds.services import funds
    from enforcement.models import SplitSeizure
    from enforcement.services import assets as s_assets
    from enforcement.services import closure
    from enforcement.services import disposal as s_disposal
    from enforcement.services import measures as s_measures
    from enforcement.services import over_seizure as s_over_seizure
    from enforcement.services import property_clues as s_property_clues
    from supervision.services.orders import order_issue
    from supervision.services.petitions import petition_receive

    court = {"鲁0102": courts.lu0102, "鲁0103": courts.lu0103, "鲁01": courts.lu01}[code]
    clerk = make_member(Role.CLERK, court, f"clerk-{code}")
    handler = make_member(Role.HANDLER, court, f"handler-{code}")
    case = make_case(clerk, court, number=f"(2026){code}执1号", received="2026-09-01 10:00", filed="2026-08-28",
                     handler=handler)
    search = s_assets.search_launch(actor=clerk, case=case, channel="online", category_codes=None,
                                    launched_at=at("2026-09-02 10:00"))
    found = s_assets.search_record_feedback(actor=clerk, search=search, received_at=at("2026-09-03 10:00"), findings=[
        s_assets.FindingInput("bank_deposit", "工商银行账户", Decimal("1000.00"), True),
        s_assets.FindingInput("real_estate", "某路1号", Decimal("50000.00"), False),
        s_assets.FindingInput("vehicle", "鲁A00000", Decimal("30000.00"), False),
    ])
    deposit, house, car = found
    measure = s_measures.control_create(actor=clerk, case=case, asset=deposit, kind="freeze_deposit",
                                      amount=Decimal("1000.00"), effective_at=at("2026-09-04 10:00"))
    house_measure = s_measures.control_create(actor=clerk, case=case, asset=house, kind="seize_real_estate",
                                              amount=None, effective_at=at("2026-09-04 11:00"))
    s_measures.control_create(actor=clerk, case=case, asset=car, kind="seize_movable", amount=None,
                            effective_at=at("2026-09-04 12:00"))
    # gate: gateprop — a 轮候查封 with the applicant's priority and its transfer request
    s_assets.asset_record_waiting_seizure(actor=clerk, asset=house, at=at("2026-09-04 13:00"),
                                          first_court="济南市历下区人民法院", applicant_priority=True)
    transfer = s_assets.priority_transfer_request(actor=clerk, asset=house, at=at("2026-09-05 09:00"),
                                                  letter_no=f"{code}商请函")
    disposal = s_disposal.disposal_start(actor=clerk, asset=house, method="online_inquiry", at=at("2026-09-07 10:00"))
    self_disposal = s_disposal.self_disposal_allow(actor=clerk, asset=car, at=at("2026-09-07 11:00"), days=60)
    clue = s_property_clues.property_clue_receive(actor=clerk, case=case, received_at=at("2026-09-05 10:00"), description="房产线索")
    respondent = case.parties.get(role="respondent")
    objection = s_over_seizure.seizure_objection_file(
        actor=clerk, measure=house_measure, party_id=respondent.pk, filed_at=at("2026-09-05 10:00"), grounds="超标的。"
    )
    split = SplitSeizure.objects.create(case=case, measure=house_measure, opened_at=at("2026-09-04 11:00"))
    credit = s_measures.credit_issue(actor=clerk, case=case, party_id=respondent.pk, kind="restriction",
                                   issued_at=at("2026-09-05 11:00"))[0]
    from enforcement.services import credit as s_credit

    person = s_credit.credit_person_add(actor=clerk, measure=credit, person=s_credit.RestrictedPersonInput(
        f"MK-{code}-法定代表人", "370102199001011231", "legal_representative"))
    approval = closure.approval_request(actor=handler, case=case, kind="over_seizure", reason="整体查封。", payload={})
    receipt, _ = funds.receipt_record(actor=clerk, court=court, reference=f"R-{code}",
                                      account_number=case.fund_account.number, amount=Decimal("5000.00"),
                                      arrived_at=at("2026-10-12 10:00"))
    stray, _ = funds.receipt_record(actor=clerk, court=court, reference=f"S-{code}", account_number="37010000000000",
                                    amount=Decimal("100.00"), arrived_at=at("2026-10-12 11:00"))
    payee = case.parties.get(role="applicant")
    disbursement = funds.disbursement_draft(actor=handler, case=case, payee_id=payee.pk, amount=Decimal("1000.00"),
                                            account_number=payee.payout_account.account_number)
    hold = funds.hold_request(actor=handler, case=case, kind="delay", reason="to_distribute", note="需要分配。")
    order = order_issue(actor=supervisors[code], case=case, kind="urge", instructions="请依法推进。",
                        response_days=5, issued_at=at("2026-09-28 10:00"))
    petition = petition_receive(actor=clerk, court=court, channel="letter", petitioner_name="李四",
                                content="案款未发放。", received_at=at("2026-09-29 10:00"))
    # h/coercion: a 拒执 referral awaiting its outcome and an application awaiting a decision
    from enforcement.services import coercion as s_coercion

    referral = s_coercion.coercion_entry_record(
        actor=clerk, case=case, kind="refusal_crime_referral", party_id=respondent.pk, route="police",
        decided_at=at("2026-09-11 09:00"), document_number=f"{code}移送函",
    )
    measure_application = s_coercion.measure_application_receive(
        actor=clerk, case=case, applicant_id=payee.pk, kind="audit", applied_at=at("2026-09-11 10:00"),
    )
    # a clue verification entered late after its due moment: 待核实 (补录核实, 322号 §12)
    from core.models import Deadline, DeadlineStatus

    backdate_claim = Deadline.objects.get(case=case, rule__code="CLUE_VERIFY")
    Deadline.objects.filter(pk=backdate_claim.pk).update(
        status=DeadlineStatus.PENDING_VERIFICATION, claimed_at=at("2026-09-06 10:00"),
        completed_at=at("2026-09-20 10:00"), completed_by=clerk,
    )
    from documents.selectors import case_for_documents
    from documents.services import document_generate

    document = document_generate(actor=handler, case=case_for_documents(handler, case.pk), kind="acceptance_notice",
                                 fmt="docx")
    return SimpleNamespace(
        document=document, court=court, case=case, party=payee, search=search, asset=house, measure=measure, credit=credit, clue=clue,
        disposal=disposal, self_disposal=self_disposal, approval=approval, receipt=stray, matched=receipt,
        disbursement=disbursement, hold=hold, order=order, petition=petition, person=person,
        backdate_claim=backdate_claim, transfer=transfer, objection=objection, split=split, referral=referral,
        measure_application=measure_application,
    )


@pytest.fixture
def world(courts, case_supervisor, court_leader):
    """The three courts' objects, their API clients, a 一案双查 clue at 鲁01 and the alerts
    a scan raises at each court."""
    from dualcheck.models import ClueSource
    from dualcheck.services import clues as s_clues
    from supervision.models import Alert
    from supervision.services.scan import scan_court

    high = make_member(Role.CASE_SUPERVISOR, courts.lu, "supervisor-lu")
    supervisors = {"鲁0102": case_supervisor, "鲁0103": case_supervisor, "鲁01": high}
    by_code = {code: _build_court(courts, code, supervisors) for code in CODES}
    for code in CODES:
        scan_court(court_id=by_code[code].court.pk, at=at("2026-11-20 10:00"))
        by_code[code].alert = Alert.objects.filter(court=by_code[code].court).order_by("pk").first()
        assert by_code[code].alert is not None
        _user, by_code[code].key = api_client_create(court=by_code[code].court, name=f"{code}审判系统")
    # a clue at 鲁01 about the 鲁0103 case (一案双查 is handled at 中院 and above)
    by_code["鲁01"].dualcheck_clue = s_clues.clue_register(
        actor=case_supervisor, court=courts.lu01, source=ClueSource.LETTERS_VISITS, summary="长期未执行。",
        cases=[by_code["鲁0103"].case], received_at=at("2026-10-09 10:00"),
    )
    return SimpleNamespace(**{code.replace("鲁", "lu"): by_code[code] for code in CODES}, by_code=by_code)


# REST route name → the kwarg's object on a court's namespace (see _build_court).
OBJECT_OF_ROUTE = {
    "api-case": "case", "api-case-notice": "case", "api-case-interview": "case", "api-case-suspend": "case",
    "api-case-resume": "case", "api-case-track": "case", "api-case-fulfilment": "case", "api-case-close": "case",
    "api-case-restore": "case", "api-case-searches": "case", "api-case-controls": "case", "api-case-clues": "case",
    "api-case-credit": "case", "api-case-approvals": "case", "api-case-funds": "case",
    "api-case-funds-export": "case", "api-case-disbursements": "case", "api-case-funds-holds": "case",
    "api-search-feedback": "search", "api-asset-uncontrollable": "asset", "api-asset-disposals": "asset",
    "api-asset-self-disposal": "asset", "api-control-renew": "measure", "api-control-release": "measure",
    "api-case-documents": "case", "api-document-download": "document",
    "api-case-seizure-objections": "case", "api-control-objections": "measure", "api-control-release-excess": "measure",
    "api-objection-decide": "objection", "api-split-progress": "split",
    "api-clue-verify": "clue", "api-clue-conclude": "clue", "api-disposal-price": "disposal",
    "api-disposal-auction": "disposal", "api-disposal-conclude": "disposal",
    "api-self-disposal-conclude": "self_disposal", "api-credit-release": "credit",
    # h/credit
    "api-case-credit-guarantee": "case", "api-case-credit-consent": "case", "api-case-dishonest-na": "case",
    "api-credit-serve": "credit", "api-credit-correction": "credit", "api-credit-correction-decide": "credit",
    "api-credit-urgent-release": "credit", "api-credit-persons": "credit", "api-restricted-person-release": "person",
    "api-approval-approve": "approval", "api-approval-reject": "approval", "api-receipt-match": "receipt",
    "api-funds-hold-approve": "hold", "api-funds-hold-reject": "hold", "api-funds-hold-release": "hold",
    "api-disbursement-submit": "disbursement", "api-disbursement-approve": "disbursement",
    "api-disbursement-notify": "disbursement", "api-disbursement-pay": "disbursement",
    "api-disbursement-reject": "disbursement", "api-disbursement-cancel": "disbursement",
    "api-alert": "alert", "api-alert-acknowledge": "alert",
    "api-order-detail": "order", "api-order-respond": "order", "api-order-accept": "order",
    "api-order-return": "order", "api-order-withdraw": "order",
    "api-petition-detail": "petition", "api-petition-register": "petition", "api-petition-conclude": "petition",
    "api-petition-feedback": "petition", "api-petition-flag-dualcheck": "petition",
    "api-party-reveal": {"case_id": "case", "party_id": "party"},
    "api-clock-correction-approve": "backdate_claim", "api-clock-correction-reject": "backdate_claim",
    # h/coercion
    "api-case-coercion": "case", "api-case-coercion-findings": "case", "api-case-measure-applications": "case",
    "api-case-obstruction-decisions": "case", "api-coercion-outcome": "referral",
    "api-measure-application-decide": "measure_application",
    # h/gateproc: the per-party records of the 终本 gate
    "api-case-services": "case", "api-case-property-reports": "case", "api-case-applicant-interviews": "case",
    # gate: gateprop
    "api-asset-waiting-seizure": "asset", "api-asset-priority-transfer": "asset",
    "api-asset-offset-refusals": "asset", "api-clue-asset": "clue", "api-priority-transfer-answer": "transfer",
}
# 一案双查 lives at 鲁01 only: the 鲁0102 client must not reach it, 鲁01's client does.
DUALCHECK_ROUTES_PREFIX = "api-dualcheck-clue"
# Routes addressing something that is not a court's object, or proved elsewhere.
NOT_COURT_OBJECTS = {
    "api-dualcheck-attachment": "a report attachment: tests/dualcheck/test_api_confidential.py",
    "api-screening": "a screening kind, not an object",
    "api-notification-read": "a person's own notification, not a court's: tests/core/test_notifications.py "
    "(someone else's is 404) and the authz matrix",
}


def api_object_routes():
    """(route, name, methods) of every REST route with an object in its path."""

    def walk(resolver, prefix=""):
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                yield from walk(p, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p

    for route, p in walk(get_resolver()):
        if route.startswith("api/v1/") and "<" in route:
            view = getattr(p.callback, "cls", None)
            methods = [m for m in ("get", "post") if view is not None and hasattr(view, m)]
            yield route, p.name, methods


def _url(route: str, name: str, owner) -> str:
    """``route`` filled with ``owner``'s objects (a court's namespace of the world)."""
    import re

    spec = OBJECT_OF_ROUTE.get(name)
    if spec is None:  # 一案双查
        ids = {"clue_id": owner.dualcheck_clue.pk}
    elif isinstance(spec, str):
        ids = {re.search(r"<\w+:(\w+)>", route).group(1): getattr(owner, spec).pk}
    else:
        ids = {kw: getattr(owner, attr).pk for kw, attr in spec.items()}
    return "/" + re.sub(r"<\w+:(\w+)>", lambda m: str(ids[m.group(1)]), route)


def test_every_rest_route_with_an_object_is_in_the_scope_sweep():
    missing = [
        name for _route, name, _m in api_object_routes()
        if name not in OBJECT_OF_ROUTE and not name.startswith(DUALCHECK_ROUTES_PREFIX)
        and name not in NOT_COURT_OBJECTS
    ]
    assert not missing, f"add these routes to OBJECT_OF_ROUTE (or NOT_COURT_OBJECTS with a reason): {missing}"


def _row_counts() -> dict[str, int]:
    skip = {"sessions.Session", "audit.AuditRecord", "core.IdempotencyRecord"}
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.label not in skip}


def test_a_court_client_reaches_only_its_court(world):
    mine = token_client(world.lu0102.key)
    before = _row_counts()
    leaks: list[str] = []
    controls: list[tuple[str, str, str, APIClient]] = []
    for route, name, methods in api_object_routes():
        if name in NOT_COURT_OBJECTS:
            continue
        owners = ["鲁01"] if name.startswith(DUALCHECK_ROUTES_PREFIX) else ["鲁0103", "鲁01"]
        for owner in (world.by_code[c] for c in owners):
            url = _url(route, name, owner)
            for method in methods:
                r = mine.get(url) if method == "get" else mine.post(url, {}, format="json")
                if r.status_code != 404 or r.json().get("code") != "not_found":
                    leaks.append(f"{method.upper()} {url} ({name}, {owner.court.code}) → {r.status_code}")
                controls.append((method, url, name, token_client(owner.key)))
    # then: 404 in the contract's shape everywhere, and nothing was written
    assert not leaks, "\n".join(leaks)
    assert _row_counts() == before
    # control: the object's own court's client does reach each of them
    unreachable = []
    for method, url, name, owner_client in controls:
        r = owner_client.get(url) if method == "get" else owner_client.post(url, {}, format="json")
        if r.status_code == 404:
            unreachable.append(f"{method.upper()} {url} ({name})")
    assert not unreachable, "the sweep's URLs must reach the objects: " + "\n".join(unreachable)
    assert len(controls) > 80


def test_a_court_client_reaches_every_object_of_its_own_court(world):
    own = token_client(world.lu0102.key)
    missing = []
    for route, name, methods in api_object_routes():
        if name in NOT_COURT_OBJECTS or name.startswith(DUALCHECK_ROUTES_PREFIX) or "get" not in methods:
            continue
        url = _url(route, name, world.lu0102)
        r = own.get(url)
        if r.status_code != 200:
            missing.append(f"GET {url} ({name}) → {r.status_code}")
    assert not missing


LISTS = {
    "/api/v1/cases/": "case",
    "/api/v1/approvals/": "approval",
    "/api/v1/receipts/": "matched",
    "/api/v1/disbursements/": "disbursement",
    "/api/v1/alerts/": "alert",
    "/api/v1/orders/": "order",
    "/api/v1/petitions/": "petition",
    "/api/v1/clock-corrections/": "backdate_claim",
}


def test_lists_show_the_clients_court_only(world):
    client = token_client(world.lu0102.key)
    for url, attr in LISTS.items():
        body = client.get(url, {"page_size": 500}).json()
        ids = {row["id"] for row in body["results"]}
        assert getattr(world.lu0102, attr).pk in ids, url  # control: its own row is there
        assert not ids & {getattr(world.lu0103, attr).pk, getattr(world.lu01, attr).pk}, url


def test_courts_and_clues_of_other_courts_are_not_listed(world):
    client = token_client(world.lu0102.key)
    assert [c["code"] for c in client.get("/api/v1/courts/").json()] == ["鲁0102"]
    clues = client.get("/api/v1/dualcheck/clues/").json()
    rows = clues["results"] if isinstance(clues, dict) else clues
    assert world.lu01.dualcheck_clue.pk not in {row["id"] for row in rows}


def test_a_client_cannot_file_into_another_court(world):
    from tests.enforcement.factories import case_payload

    client = token_client(world.lu0102.key)
    for code in ("鲁0103", "鲁01"):
        payload = case_payload(number=f"(2026){code}执99号", court=code)
        r = client.post("/api/v1/cases/", payload, format="json")
        assert r.status_code in (400, 404), r.content
        assert r.status_code == 404 or "court" in r.json()["extra"].get("fields", {}), r.json()
    from enforcement.models import Case

    assert not Case.objects.filter(case_number__contains="执99号").exists()
    # a payment to the sibling case's account is not matched to that case
    r = client.post("/api/v1/receipts/", {
        "account_number": world.lu0103.case.fund_account.number, "amount": "10.00",
        "arrived_at": "2026-10-12T10:00:00+08:00", "payer": "某某", "reference": "X-1"}, format="json")
    assert r.status_code in (201, 400, 404), r.content
    if r.status_code == 201:
        assert r.json()["case"] is None


# --- a revoked token ----------------------------------------------------------------------------


def test_a_revoked_token_stops_working_on_the_next_request(courts):
    user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    _same, second_key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    assert _same == user
    client, other = token_client(key), token_client(second_key)
    assert client.get("/api/v1/courts/").status_code == 200
    api_token_revoke(token=ApiToken.objects.get(key_prefix=key[:8]))
    # the very next request, on the same connection
    contract_error(client.get("/api/v1/courts/"), 401, "authentication_failed")
    contract_error(client.post("/api/v1/receipts/", {}, format="json"), 401, "authentication_failed")
    assert client.get("/api/v1/courts/")["WWW-Authenticate"] == "Token"
    # the client's other token is untouched
    assert other.get("/api/v1/courts/").status_code == 200


def test_a_token_is_only_ever_stored_hashed(courts):
    _user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    token = ApiToken.objects.get(key_prefix=key[:8])
    assert key not in token.key_hash and len(token.key_hash) == 64
    contract_error(token_client(token.key_hash).get("/api/v1/courts/"), 401, "authentication_failed")


# --- a deactivated user -------------------------------------------------------------------------


def test_a_deactivated_clients_token_stops_working(courts):
    user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    client = token_client(key)
    assert client.get("/api/v1/courts/").status_code == 200
    user.is_active = False
    user.save(update_fields=["is_active"])
    contract_error(client.get("/api/v1/courts/"), 401, "authentication_failed")


def test_a_deactivated_persons_session_stops_working(courts, handler):
    case = make_case(make_member(Role.CLERK, courts.lu0102, "clerk"), courts.lu0102, handler=handler)
    browser = Client()
    assert browser.post("/login/", {"username": handler.username, "password": "pw-for-tests-1"}).status_code == 302
    assert browser.get(f"/cases/{case.pk}/").status_code == 200
    assert browser.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    handler.is_active = False
    handler.save(update_fields=["is_active"])
    # the next page sends them to the login page; the API answers 401
    page = browser.get(f"/cases/{case.pk}/")
    assert page.status_code == 302 and page["Location"].startswith("/login/")
    contract_error(browser.get(f"/api/v1/cases/{case.pk}/"), 401, "not_authenticated")
    # and signing in again is refused
    again = Client()
    r = again.post("/login/", {"username": handler.username, "password": "pw-for-tests-1"})
    assert r.status_code == 200 and "_auth_user_id" not in again.session


# --- a revoked membership -----------------------------------------------------------------------


def test_a_revoked_membership_ends_a_session_on_the_next_request(courts, handler):
    case = make_case(make_member(Role.CLERK, courts.lu0102, "clerk"), courts.lu0102, handler=handler)
    browser = Client()
    browser.force_login(handler)
    assert browser.get(f"/cases/{case.pk}/").status_code == 200
    assert browser.get(f"/api/v1/cases/{case.pk}/").status_code == 200

    membership_revoke(membership=Membership.objects.get(user=handler, role=Role.HANDLER))

    assert browser.get(f"/cases/{case.pk}/").status_code == 404
    contract_error(browser.get(f"/api/v1/cases/{case.pk}/"), 404, "not_found")
    assert browser.get("/api/v1/cases/").json()["count"] == 0
    # a new post restores it — nothing negative is cached either
    membership_grant(user=handler, court=courts.lu0102, role=Role.HANDLER, department=Department.EXECUTION)
    assert browser.get(f"/cases/{case.pk}/").status_code == 200


def test_a_revoked_role_ends_its_permissions_on_the_next_request(courts, bureau_head):
    browser = Client()
    browser.force_login(bureau_head)
    assert browser.get("/cases/approvals/").status_code == 200
    assert browser.get("/funds/approvals/").status_code == 200
    membership_revoke(membership=Membership.objects.get(user=bureau_head, role=Role.BUREAU_HEAD))
    assert browser.get("/cases/approvals/").status_code == 403
    assert browser.get("/funds/approvals/").status_code == 403


def test_a_revoked_supervisory_post_ends_the_subtree_on_the_next_request(courts, case_supervisor, clerk):
    sibling = make_case(make_member(Role.CLERK, courts.lu0103, "clerk-0103"), courts.lu0103,
                        number="(2026)鲁0103执1号")
    browser = Client()
    browser.force_login(case_supervisor)
    assert browser.get(f"/api/v1/cases/{sibling.pk}/").status_code == 200
    assert browser.get("/supervision/", {"court": "鲁0103"}).status_code == 200
    membership_revoke(membership=Membership.objects.get(user=case_supervisor))
    contract_error(browser.get(f"/api/v1/cases/{sibling.pk}/"), 404, "not_found")
    assert browser.get("/supervision/", {"court": "鲁0103"}).status_code in (403, 404)


def test_a_revoked_client_membership_ends_its_tokens_reach_on_the_next_request(courts, clerk):
    case = make_case(clerk, courts.lu0102)
    user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    client = token_client(key)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    membership_revoke(membership=Membership.objects.get(user=user, role=Role.API_CLIENT))
    contract_error(client.get(f"/api/v1/cases/{case.pk}/"), 404, "not_found")
    assert client.get("/api/v1/cases/").json()["count"] == 0
    assert client.get("/api/v1/courts/").json() == []
    r = client.post(f"/api/v1/cases/{case.pk}/property-clues/", {
        "received_at": "2026-10-09T17:00:00+08:00", "description": "房产", "specific": False, "urgent": False,
    }, format="json")
    contract_error(r, 404, "not_found")
    assert not case.clues.exists()
    # granted again: the very next request sees it again
    membership_grant(user=user, court=courts.lu0102, role=Role.API_CLIENT, department=Department.TECHNOLOGY)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200


def test_a_membership_of_a_deactivated_court_gives_nothing(courts, clerk):
    from core.models import Court

    case = make_case(clerk, courts.lu0102)
    _user, key = api_client_create(court=courts.lu0102, name="鲁0102审判系统")
    client = token_client(key)
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 200
    Court.objects.filter(pk=courts.lu0102.pk).update(is_active=False)
    contract_error(client.get(f"/api/v1/cases/{case.pk}/"), 404, "not_found")


# --- the cache itself ---------------------------------------------------------------------------


def test_memberships_are_read_once_per_user_object_and_never_shared(courts, django_assert_num_queries):
    from core.models import User

    supervisor = make_member(Role.CASE_SUPERVISOR, courts.lu01, "cached")
    first = User.objects.get(pk=supervisor.pk)
    with django_assert_num_queries(1):
        assert len(active_memberships(first)) == 1
    with django_assert_num_queries(0):
        active_memberships(first)  # the same request
    second = User.objects.get(pk=supervisor.pk)  # the next request loads the user anew
    Membership.objects.filter(user=supervisor).update(revoked_at=at("2026-11-01 10:00"))
    with django_assert_num_queries(1):
        assert active_memberships(second) == []  # read afresh: nothing process-wide


def test_revoking_through_the_service_forgets_the_cache_of_the_same_request(courts):
    """Within one request (an administrator changing their own posts, a service that
    grants and then acts), the service's forget covers every cache derived from them."""
    from core.models import User
    from supervision.selectors.scope import scope_for

    user = User.objects.get(pk=make_member(Role.CASE_SUPERVISOR, courts.lu01, "self-admin").pk)
    assert {c.code for c in visible_courts(user)} == {"鲁01", "鲁0102", "鲁0103"}
    assert scope_for(user, "鲁0103").root.code == "鲁0103"
    membership = user.memberships.get()
    membership_revoke(membership=membership)
    assert active_memberships(user) == []
    assert not visible_courts(user).exists()
    from core.exceptions import NotFound

    with pytest.raises(NotFound):
        scope_for(user, "鲁0103")
    membership_grant(user=user, court=courts.lu0103, role=Role.CASE_SUPERVISOR, department=Department.COMMAND_CENTRE)
    assert scope_for(user, "鲁0103").root.code == "鲁0103"
    forget_memberships(user)  # idempotent
