"""Mass assignment: fields a client must not set — ``id``, ``court``/``court_id``,
``status``/``state``, approvers and authors, confidentiality flags, balances... —
sent along with an otherwise valid body to EVERY write endpoint are refused (400
naming the field, nothing written) or ignored.

"Ignored" is proven by difference, not by a list of columns to look at: the same
request is made twice from the same state — once clean, once with the extra fields
— each inside a savepoint that is rolled back, with every sequence reset in
between so new rows get the same ids. The whole database of the domain apps after
each (every row of every table, node events and history included; times stamped
"now" and random ids blanked) must be identical, and so must the answers.

An extra field is injected only where the endpoint does not declare it (``court``
is a real input of case registration, for instance); those declared fields are
checked to stay within the caller's scope instead."""

import datetime as dt
import json
import os
import re
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from enforcement.models import Case, CaseStatus
from enforcement.services import closure as closure_services
from tests.enforcement.factories import case_payload
from tests.security.fuzz_world import build_fuzz_world

pytestmark = [pytest.mark.xdist_group("security-mass-assignment")] if os.environ.get("PYTEST_XDIST_WORKER") else []

# (documents' tables stay out: a generated Word file carries the second it was made, so
# two generations never compare equal; its number and fields are tests/documents' own)
DOMAIN_APPS = ("core", "enforcement", "custody_funds", "supervision", "dualcheck")
AT = "2026-11-02T10:00:00+08:00"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            try:
                yield build_fuzz_world()
            finally:
                transaction.set_rollback(True)


@pytest.fixture
def w(world, db):
    # 载入年度节假日安排 is for administrators; the fuzz world has none, so one is
    # made per test (before the database is first dumped)
    from core.models import Role, User
    from tests.core.factories import make_member

    if not User.objects.filter(username="calendar_admin").exists():
        make_member(Role.ADMIN, world.matrix.courts.lu, "calendar_admin")
    # an unread notification of the bureau head's, for 标为已读 (issue 16)
    from core.models import Notification

    world.ids["notification"] = Notification.objects.create(
        recipient=world.matrix.users["lower_head"], court=world.matrix.courts.lu0102, kind="approval_requested",
        title="待我审批的申请", link="/cases/approvals/",
    ).pk
    return world


@pytest.fixture(scope="module")
def declared() -> dict[str, set[str]]:
    """POST path → the request body's declared property names (from the schema)."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    out = {}
    for path, methods in schema["paths"].items():
        if "post" not in methods:
            continue
        body = methods.get("post", {}).get("requestBody", {}).get("content", {}).get("application/json", {})
        ref = body.get("schema", {}).get("$ref", "")
        props = components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}) if ref else {}
        out[path] = set(props)
    return out


# --- the whole database, comparable --------------------------------------------------------------


def _tables() -> list[str]:
    return sorted(
        {
            m._meta.db_table
            for app in DOMAIN_APPS
            for m in apps.get_app_config(app).get_models()
            if m._meta.managed and not m._meta.proxy
        }
    )


def _normal(value: Any, since: dt.datetime) -> Any:
    if isinstance(value, dict):
        return {k: _normal(v, since) for k, v in value.items() if not (isinstance(v, str) and UUID.match(v))}
    if isinstance(value, list):
        return [_normal(v, since) for v in value]
    if isinstance(value, str) and STAMP.match(value):
        try:
            moment = dt.datetime.fromisoformat(value)
        except ValueError:
            return value
        if moment.tzinfo is not None and moment >= since:
            return "<now>"
    return value


def dump(since: dt.datetime) -> dict[str, list[str]]:
    q = connection.ops.quote_name
    tables = _tables()
    sql = "SELECT " + ", ".join(f"(SELECT coalesce(json_agg(t), '[]') FROM {q(t)} t)" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    out = {}
    for table, rows in zip(tables, row, strict=True):
        rows = json.loads(rows) if isinstance(rows, str) else rows
        out[table] = sorted(json.dumps(_normal(r, since), sort_keys=True, ensure_ascii=False) for r in rows)
    return out


def sequences() -> list[tuple[str, int | None]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value "
            "FROM pg_sequences WHERE schemaname = current_schema()"
        )
        return list(cursor.fetchall())


def reset(state: list[tuple[str, int | None]]) -> None:
    parts = [
        f"setval('{name}', {last}, true)" if last is not None else f"setval('{name}', 1, false)"
        for name, last in state
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))


def diff(a: dict, b: dict) -> list[str]:
    out = []
    for table in a:
        if a[table] != b[table]:
            only_a = sorted(set(a[table]) - set(b[table]))[:2]
            only_b = sorted(set(b[table]) - set(a[table]))[:2]
            out.append(f"{table}: clean {only_a} vs extras {only_b}")
    return out


# --- who calls, and what ----------------------------------------------------------------------------


def client_for(w, who: str) -> APIClient:
    client = APIClient()
    if who == "token":
        client.credentials(HTTP_AUTHORIZATION=f"Token {w.token}")
    elif who == "calendar_admin":
        from core.models import User

        client.force_authenticate(User.objects.get(username="calendar_admin"))
    else:
        client.force_authenticate(w.matrix.users[who])
    return client


def post(w, who: str, path: str, body: dict):
    return client_for(w, who).post(path, body, format="json")


def _setup_steps(w, steps: list[tuple[str, str, dict]]) -> None:
    for who, path, body in steps:
        response = post(w, who, path.format(**w.ids), resolve(body, w))
        assert response.status_code < 300, (path, response.status_code, response.content[:400])


class Ref(str):
    """An id of the world, resolved when the test runs (``w.ids``)."""


class UserRef(str):
    """A user of the world, by role, resolved to their id when the test runs."""


def resolve(value: Any, w) -> Any:
    if isinstance(value, UserRef):
        return w.matrix.users[str(value)].pk
    if isinstance(value, Ref):
        return w.ids[str(value)]
    if isinstance(value, dict):
        return {k: resolve(v, w) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, w) for v in value]
    return value


class Ids:
    def __getitem__(self, key: str) -> Ref:
        return Ref(key)


ID = Ids()
USER = {role: UserRef(role) for role in ("head", "inspector", "team_member", "lower_inspector")}
CASE, CASE2 = "/api/v1/cases/{case}", "/api/v1/cases/{case2}"
DC = "/api/v1/dualcheck/clues/{dualcheck_%s}/%s/"
FOUND = {"received_at": AT, "findings": [{"category": "vehicle", "description": "轿车", "value": "1000.00"}]}
DISB = [("officer", "/api/v1/disbursements/{disbursement}/submit/", {})]
PET = [("clerk", "/api/v1/petitions/{petition}/register/", {})]
ORDER_RESPONDED = [("officer", "/api/v1/orders/{order}/respond/", {"text": "已查控"})]
ENDPOINTS = [
    ("/api/v1/cases/", "token", "/api/v1/cases/", case_payload("(2026)鲁0102执4001号"), []),
    ("/api/v1/calendar/years/", "calendar_admin", "/api/v1/calendar/years/",
     {"notice": "国务院办公厅关于2030年部分节假日安排的通知\n一、元旦：1月1日放假，与周末连休。\n",
      "dry_run": False}, []),
    ("/api/v1/cases/bulk/", "token", "/api/v1/cases/bulk/", {"cases": [case_payload("(2026)鲁0102执4002号")]}, []),
    ("/api/v1/cases/{case_id}/notice/", "token", f"{CASE}/notice/", {"served_at": AT}, []),
    ("/api/v1/cases/{case_id}/documents/", "token", f"{CASE}/documents/", {"kind": "acceptance_notice", "format": "docx"},
     []),
    ("/api/v1/notifications/{id}/read/", "lower_head", "/api/v1/notifications/{notification}/read/", {}, []),
    ("/api/v1/cases/{case_id}/interview/", "token", f"{CASE}/interview/", {"note": "约谈", "at": AT}, []),
    ("/api/v1/cases/{case_id}/suspend/", "token", f"{CASE}/suspend/",
     {"ruling_number": "(2026)鲁0102执异1号", "approved_by": UserRef("lower_head"), "reason": "中止", "at": AT}, []),
    ("/api/v1/cases/{case_id}/resume/", "token", f"{CASE2}/resume/", {"at": AT}, []),
    ("/api/v1/cases/{case_id}/track/", "token", f"{CASE}/track/", {"track": "ordinary", "reason": "复杂"}, []),
    ("/api/v1/cases/{case_id}/fulfilment/", "token", f"{CASE}/fulfilment/", {"note": "履行完毕", "at": AT}, []),
    ("/api/v1/cases/{case_id}/close/", "lower_head", f"{CASE}/close/", {"closure": "withdrawn", "closed_at": AT},
     ["no-blocking-clocks"]),
    ("/api/v1/cases/{case_id}/restore/", "token", f"{CASE2}/restore/",
     {"case_number": "(2026)鲁0102执恢1号", "received_at": AT, "reason": "发现新财产"}, ["terminate-case2"]),
    ("/api/v1/cases/{case_id}/asset-searches/", "token", f"{CASE}/asset-searches/",
     {"channel": "online", "launched_at": AT}, []),
    ("/api/v1/cases/{case_id}/control-measures/", "lower_head", f"{CASE}/control-measures/",
     {"asset": ID["asset"], "kind": "freeze_equity", "effective_at": AT, "override_approval": ID["over_seizure_override"]},
     []),
    ("/api/v1/cases/{case_id}/property-clues/", "token", f"{CASE}/property-clues/",
     {"received_at": AT, "description": "车位"}, []),
    ("/api/v1/cases/{case_id}/credit-measures/", "token", f"{CASE}/credit-measures/",
     {"party": ID["party_respondent"], "kind": "dishonest", "issued_at": AT}, []),
    # h/gateproc: the per-party records of the 终本 gate
    ("/api/v1/cases/{case_id}/services/", "token", f"{CASE}/services/",
     {"party": ID["party_respondent"], "document": "property_order", "method": "direct", "served_at": AT}, []),
    ("/api/v1/cases/{case_id}/property-reports/", "token", f"{CASE}/property-reports/",
     {"respondent": ID["party_respondent"], "outcome": "missing", "at": AT}, []),
    ("/api/v1/cases/{case_id}/applicant-interviews/", "token", f"{CASE}/applicant-interviews/",
     {"applicant": ID["party_applicant"], "note": "告知终本的依据和后果", "opinion": "agree", "at": AT}, []),
    ("/api/v1/cases/{case_id}/approvals/", "officer", f"{CASE}/approvals/",
     {"kind": "over_seizure", "reason": "超标的", "asset": ID["asset"]}, []),
    ("/api/v1/asset-searches/{search_id}/feedback/", "token", "/api/v1/asset-searches/{search}/feedback/", FOUND, []),
    ("/api/v1/asset-searches/feedback/bulk/", "token", "/api/v1/asset-searches/feedback/bulk/",
     {"feedback": [{"search": ID["search"], **FOUND}]}, []),
    ("/api/v1/assets/{asset_id}/uncontrollable/", "token", "/api/v1/assets/{asset}/uncontrollable/",
     {"reason": "无法控制", "reason_code": "destroyed", "evidence": "灭失证明", "at": AT}, []),
    # gate: gateprop
    ("/api/v1/assets/{asset_id}/waiting-seizure/", "token", "/api/v1/assets/{asset_seized}/waiting-seizure/",
     {"first_court": "济南市历下区人民法院", "applicant_priority": True, "at": AT}, []),
    ("/api/v1/assets/{asset_id}/priority-transfer/", "token", "/api/v1/assets/{asset_seized}/priority-transfer/",
     {"letter_no": "商请函2号", "at": AT}, []),
    ("/api/v1/priority-transfers/{transfer_id}/answer/", "token",
     "/api/v1/priority-transfers/{priority_transfer}/answer/", {"agreed": False, "note": "不同意移送", "at": AT}, []),
    ("/api/v1/assets/{asset_id}/offset-refusals/", "token", "/api/v1/assets/{asset_real_estate}/offset-refusals/",
     {"applicant": ID["party_applicant"], "document": "不同意以物抵债确认书", "at": AT},
     [("token", "/api/v1/disposals/{disposal}/fix-price/", {"price": "800000.00", "at": "2026-11-01T09:00:00+08:00"}),
      ("token", "/api/v1/disposals/{disposal}/launch-auction/", {"at": "2026-11-01T10:00:00+08:00"}),
      ("token", "/api/v1/disposals/{disposal}/conclude/", {"sold": False, "at": "2026-11-01T11:00:00+08:00"})]),
    ("/api/v1/property-clues/{clue_id}/asset/", "token", "/api/v1/property-clues/{property_clue}/asset/",
     {"category": "other", "description": "某小区车位", "at": AT},
     [("token", "/api/v1/property-clues/{property_clue}/verify/", {"at": "2026-11-01T09:00:00+08:00"}),
      ("token", "/api/v1/property-clues/{property_clue}/conclude/",
       {"true": True, "note": "经查属实", "at": "2026-11-01T10:00:00+08:00"})]),
    ("/api/v1/assets/{asset_id}/disposals/", "token", "/api/v1/assets/{asset_seized}/disposals/",
     {"method": "appraisal", "at": AT}, []),
    ("/api/v1/assets/{asset_id}/self-disposal/", "token", "/api/v1/assets/{asset_seized}/self-disposal/",
     {"days": 30, "at": AT}, []),
    ("/api/v1/control-measures/{measure_id}/renew/", "token", "/api/v1/control-measures/{control_measure}/renew/",
     {"at": AT}, []),
    ("/api/v1/control-measures/{measure_id}/objections/", "token",
     "/api/v1/control-measures/{control_measure}/objections/",
     {"party": ID["party_respondent"], "filed_at": AT, "grounds": "冻结数额超过债权额"}, []),
    ("/api/v1/control-measures/{measure_id}/release-excess/", "token",
     "/api/v1/control-measures/{house_measure}/release-excess/",
     {"reason": "分割登记完成", "share": "30% 份额", "share_value": "300000.00", "at": AT}, []),
    ("/api/v1/seizure-objections/{objection_id}/decide/", "token",
     "/api/v1/seizure-objections/{seizure_objection}/decide/",
     {"ruling": "dismissed", "decided_at": AT, "note": "未明显超标的"}, []),
    ("/api/v1/split-seizures/{split_id}/progress/", "token", "/api/v1/split-seizures/{split_seizure}/progress/",
     {"step": "applied", "at": AT}, []),
    ("/api/v1/control-measures/{measure_id}/release/", "token",
     "/api/v1/control-measures/{control_measure}/release/", {"reason": "解除", "at": AT}, []),
    ("/api/v1/property-clues/{clue_id}/verify/", "token", "/api/v1/property-clues/{property_clue}/verify/",
     {"at": AT}, []),
    ("/api/v1/property-clues/{clue_id}/conclude/", "token", "/api/v1/property-clues/{property_clue}/conclude/",
     {"true": True, "note": "属实", "at": AT},
     [("token", "/api/v1/property-clues/{property_clue}/verify/", {"at": "2026-11-01T10:00:00+08:00"})]),
    ("/api/v1/disposals/{disposal_id}/fix-price/", "token", "/api/v1/disposals/{disposal}/fix-price/",
     {"price": "800000.00", "at": AT}, []),
    ("/api/v1/disposals/{disposal_id}/launch-auction/", "token", "/api/v1/disposals/{disposal}/launch-auction/",
     {"at": AT}, [("token", "/api/v1/disposals/{disposal}/fix-price/", {"price": "800000.00", "at": "2026-11-01T10:00:00+08:00"})]),
    ("/api/v1/disposals/{disposal_id}/conclude/", "token", "/api/v1/disposals/{disposal}/conclude/",
     {"sold": True, "amount": "700000.00", "at": AT},
     [("token", "/api/v1/disposals/{disposal}/fix-price/", {"price": "800000.00", "at": "2026-11-01T09:00:00+08:00"}),
      ("token", "/api/v1/disposals/{disposal}/launch-auction/", {"at": "2026-11-01T10:00:00+08:00"})]),
    ("/api/v1/self-disposals/{self_disposal_id}/conclude/", "token",
     "/api/v1/self-disposals/{self_disposal}/conclude/", {"sold": True, "amount": "40000.00", "at": AT}, []),
    ("/api/v1/credit-measures/{measure_id}/release/", "token", "/api/v1/credit-measures/{credit_measure}/release/",
     {"reason": "已履行", "at": AT}, []),
    ("/api/v1/approvals/{approval_id}/approve/", "lower_head", "/api/v1/approvals/{approval}/approve/", {"note": "同意"}, []),
    ("/api/v1/approvals/{approval_id}/reject/", "lower_head", "/api/v1/approvals/{approval}/reject/", {"note": "不同意"}, []),
    ("/api/v1/clock-corrections/{deadline_id}/approve/", "lower_head",
     "/api/v1/clock-corrections/{backdate_claim}/approve/", {"reason": "核查笔录在卷"}, []),
    ("/api/v1/clock-corrections/{deadline_id}/reject/", "lower_head",
     "/api/v1/clock-corrections/{backdate_claim}/reject/", {"reason": "无核查记录"}, []),
    ("/api/v1/cases/{case_id}/parties/{party_id}/reveal/", "token", f"{CASE}/parties/{{party_applicant}}/reveal/", {}, []),
    # --- funds
    ("/api/v1/receipts/", "token", "/api/v1/receipts/",
     {"account_number": "6200000000001", "amount": "100.00", "arrived_at": AT, "reference": "MA-1"}, []),
    ("/api/v1/receipts/{receipt_id}/match/", "token", "/api/v1/receipts/{receipt}/match/", {"case": ID["case"]}, []),
    # 对账 reads the statement and writes nothing (the base64 of a one-line CSV)
    ("/api/v1/funds/reconciliation/", "token", "/api/v1/funds/reconciliation/",
     {"court": "鲁0102", "filename": "s.csv", "content_base64": "5Lqk5piT5pel5pyfLOmHkeminSzmtYHmsLTlj7cs5a+55pa55oi35ZCNCjIwMjYtMTEtMjAsMTAwLjAwLE1BLTks5p+QCg=="}, []),
    ("/api/v1/cases/{case_id}/disbursements/", "officer", f"{CASE}/disbursements/",
     {"payee": ID["party_applicant"], "amount": "100.00", "account_number": "6222020200112233445"}, []),
    ("/api/v1/disbursements/{disbursement_id}/submit/", "officer", "/api/v1/disbursements/{disbursement}/submit/", {}, []),
    ("/api/v1/disbursements/{disbursement_id}/approve/", "lower_head", "/api/v1/disbursements/{disbursement}/approve/", {}, DISB),
    ("/api/v1/disbursements/{disbursement_id}/reject/", "lower_head", "/api/v1/disbursements/{disbursement}/reject/",
     {"note": "退回"}, DISB),
    ("/api/v1/disbursements/{disbursement_id}/notify/", "officer", "/api/v1/disbursements/{disbursement}/notify/", {},
     [*DISB, ("lower_head", "/api/v1/disbursements/{disbursement}/approve/", {})]),
    ("/api/v1/disbursements/{disbursement_id}/pay/", "finance", "/api/v1/disbursements/{disbursement}/pay/",
     {"bank_reference": "P-1"},
     [*DISB, ("lower_head", "/api/v1/disbursements/{disbursement}/approve/", {}),
      ("officer", "/api/v1/disbursements/{disbursement}/notify/", {})]),
    ("/api/v1/disbursements/{disbursement_id}/cancel/", "officer", "/api/v1/disbursements/{disbursement}/cancel/",
     {"note": "撤销"}, []),
    ("/api/v1/cases/{case_id}/funds-holds/", "officer", f"{CASE}/funds-holds/",
     {"kind": "delay", "reason": "to_distribute", "note": "需要分配"}, []),
    ("/api/v1/funds-holds/{hold_id}/approve/", "lower_head", "/api/v1/funds-holds/{hold}/approve/", {}, []),
    ("/api/v1/funds-holds/{hold_id}/reject/", "lower_head", "/api/v1/funds-holds/{hold}/reject/", {}, []),
    ("/api/v1/funds-holds/{hold_id}/release/", "lower_head", "/api/v1/funds-holds/{hold}/release/", {},
     [("lower_head", "/api/v1/funds-holds/{hold}/approve/", {})]),
    # --- supervision
    ("/api/v1/alerts/{alert_id}/acknowledge/", "officer", "/api/v1/alerts/{alert}/acknowledge/", {}, []),
    ("/api/v1/orders/", "working_group", "/api/v1/orders/",
     {"case": ID["case2"], "kind": "urge", "instructions": "请查控", "response_days": 5}, []),
    ("/api/v1/orders/{order_id}/respond/", "officer", "/api/v1/orders/{order}/respond/", {"text": "已查控"}, []),
    ("/api/v1/orders/{order_id}/accept/", "working_group", "/api/v1/orders/{order}/accept/", {"note": "同意"},
     ORDER_RESPONDED),
    ("/api/v1/orders/{order_id}/return/", "working_group", "/api/v1/orders/{order}/return/", {"note": "不充分"},
     ORDER_RESPONDED),
    ("/api/v1/orders/{order_id}/withdraw/", "working_group", "/api/v1/orders/{order}/withdraw/", {"reason": "撤回"}, []),
    ("/api/v1/petitions/", "token", "/api/v1/petitions/",
     {"court": "鲁0102", "channel": "letter", "petitioner_name": "王五", "content": "反映",
      "received_at": "2026-10-29T10:00:00+08:00"}, []),
    ("/api/v1/petitions/{petition_id}/register/", "clerk", "/api/v1/petitions/{petition}/register/", {}, []),
    # the handler of the case complained about may not conclude (322号 §30; petition_concluder_conflict)
    ("/api/v1/petitions/{petition_id}/conclude/", "lower_head", "/api/v1/petitions/{petition}/conclude/",
     {"result": "已处理", "finding": "true", "measures": "已纠正"}, PET),
    ("/api/v1/petitions/{petition_id}/feedback/", "clerk", "/api/v1/petitions/{petition}/feedback/",
     {"method": "phone"},
     [*PET, ("lower_head", "/api/v1/petitions/{petition}/conclude/", {"result": "已处理", "finding": "true", "measures": "已纠正"})]),
    ("/api/v1/petitions/{petition_id}/flag-dualcheck/", "working_group",
     "/api/v1/petitions/{petition}/flag-dualcheck/", {"reason": "消极执行"}, []),
    # --- 一案双查
    ("/api/v1/dualcheck/clues/", "working_group", "/api/v1/dualcheck/clues/",
     {"court": "鲁01", "source": "other", "summary": "反映"}, []),
    ("/api/v1/dualcheck/clues/from-petition/", "working_group", "/api/v1/dualcheck/clues/from-petition/",
     {"petition": ID["petition_flagged"]}, []),
    ("/api/v1/dualcheck/clues/from-alert/", "working_group", "/api/v1/dualcheck/clues/from-alert/",
     {"alert": ID["alert_upper"]}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/screen/", "working_group", DC % ("recv", "screen"),
     {"proceed": True, "opinion": "提请审核"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/approve/", "head", DC % ("scr", "approve"), {"approved": True, "opinion": "同意"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/decide/", "inspector", DC % ("pend", "decide"),
     {"launch": True, "participants": [USER["head"], USER["inspector"]], "minutes": "启动"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/refer/", "head", DC % ("launch", "refer"),
     {"mode": "refer", "target_court": "鲁0102", "report_days": 30, "instructions": "请调查"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/form-team/", "lower_head", DC % ("ref", "form-team"),
     {"members": [{"user": USER["team_member"], "department": "execution", "is_leader": True},
                  {"user": USER["lower_inspector"], "department": "supervision"}]}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/record-work/", "lower_inspector", DC % ("inv", "record-work"),
     {"methods": ["file_review"], "scope": ["passive"]}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/record-officers/", "inspector", DC % ("recv", "record-officers"),
     {"officers": [{"name": "李某", "court": "鲁0102"}]}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/report/", "team_member", DC % ("inv", "report"), {"process": "调取卷宗"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/submit-report/", "lower_inspector", DC % ("inv", "submit-report"),
     {"process": "调取卷宗", "facts": "事实", "analysis": "分析", "opinion": "意见"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/review/", "head", DC % ("rep", "review"), {"decision": "accept", "opinion": "采纳"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/conclude/", "inspector", DC % ("acc", "conclude"),
     {"finding": "unsubstantiated", "summary": "不属实", "participants": [USER["head"], USER["inspector"]], "minutes": "会商"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/feedback/", "inspector", DC % ("conc", "feedback"),
     {"method": "phone", "content": "已告知"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/clarify/", "inspector", DC % ("unsub", "clarify"),
     {"scope": "本院", "content": "澄清"}, []),
    ("/api/v1/dualcheck/clues/{clue_id}/close/", "inspector", DC % ("fed", "close"), {"note": "办结"}, []),
]  # fmt: skip
# h/credit: 失信/限消 per respondent (spec §4)
CM = "/api/v1/credit-measures/{credit_measure}"
EARLY = "2026-11-01T10:00:00+08:00"
ENDPOINTS += [
    ("/api/v1/credit-measures/{measure_id}/serve/", "token", f"{CM}/serve/",
     {"served_at": AT, "method": "direct", "recipient": "被执行人本人"}, []),
    ("/api/v1/credit-measures/{measure_id}/correction/", "token", f"{CM}/correction/", {"reason": "已部分履行", "at": AT}, []),
    ("/api/v1/credit-measures/{measure_id}/correction-decision/", "lower_head", f"{CM}/correction-decision/",
     {"outcome": "upheld", "reasons": "申请理由不成立", "at": AT},
     [("token", f"{CM}/correction/", {"reason": "已部分履行", "at": EARLY})]),
    ("/api/v1/credit-measures/{measure_id}/urgent-release/", "token", f"{CM}/urgent-release/",
     {"reason": "出行就医", "at": AT},
     [("token", f"{CASE}/credit-guarantee/", {"party": ID["party_respondent"], "document": "担保书", "at": EARLY})]),
    ("/api/v1/credit-measures/{measure_id}/persons/", "token", f"{CM}/persons/",
     {"name": "王某", "id_number": "370102199001011231", "role": "legal_representative"}, []),
    ("/api/v1/restricted-persons/{person_id}/release/", "token", "/api/v1/restricted-persons/{restricted_person}/release/",
     {"change_record": "变更登记（2026）第1号", "at": AT}, []),
    ("/api/v1/cases/{case_id}/credit-guarantee/", "token", f"{CASE}/credit-guarantee/",
     {"party": ID["party_respondent"], "document": "担保书", "at": AT}, []),
    ("/api/v1/cases/{case_id}/credit-consent/", "token", f"{CASE}/credit-consent/",
     {"parties": [ID["party_respondent"]], "document": "申请执行人同意书", "at": AT}, []),
    ("/api/v1/cases/{case_id}/dishonest-not-applicable/", "token", f"{CASE}/dishonest-not-applicable/",
     {"party": ID["party_respondent"], "reason": "被执行人无失信情形", "at": AT}, []),
]  # fmt: skip
# h/coercion: the 强制措施与调查措施 register
ENDPOINTS += [
    ("/api/v1/cases/{case_id}/coercion/", "token", f"{CASE}/coercion/",
     {"kind": "fine", "party": ID["party_respondent"], "document_number": "(2026)鲁0102司惩1号", "decided_at": AT,
      "amount": "60000.00"}, []),
    ("/api/v1/cases/{case_id}/coercion-findings/", "token", f"{CASE}/coercion-findings/",
     {"party": ID["party_respondent"], "kind": "evasion", "found_at": AT, "note": "转移车辆"}, []),
    ("/api/v1/cases/{case_id}/measure-applications/", "token", f"{CASE}/measure-applications/",
     {"applicant": ID["party_applicant"], "kind": "search", "applied_at": AT}, []),
    ("/api/v1/cases/{case_id}/obstruction-decisions/", "lower_head", f"{CASE}/obstruction-decisions/",
     {"party": ID["party_respondent"], "reason": "情节轻微", "at": AT}, []),
    ("/api/v1/coercion/{entry_id}/outcome/", "token", "/api/v1/coercion/{coercion_referral}/outcome/",
     {"outcome": "filed", "outcome_on": "2026-11-01"}, []),
    ("/api/v1/measure-applications/{application_id}/decide/", "token",
     "/api/v1/measure-applications/{measure_application}/decide/", {"grant": True, "at": AT}, []),
]  # fmt: skip


def extras(w) -> dict[str, Any]:
    """What a client must not set. Values that would be allowed if they were taken:
    another court, final states, someone else as author or approver..."""
    users = w.matrix.users
    other = users["sibling_head"].pk
    return {
        "id": 987654,
        "pk": 987654,
        "court": "鲁0202",
        "court_id": w.matrix.courts.lu0202.pk,
        "status": "closed",
        "state": "approved",
        "approver": other,
        "approved_by": other,
        "approved_at": "2026-10-01T10:00:00+08:00",
        "decided_by": other,
        "created_by": other,
        "drafted_by": other,
        "requested_by": other,
        "recorded_by": other,
        "issued_by": other,
        "actor": other,
        "user": other,
        "is_confidential": False,
        "confidential": False,
        "confidential_flag": False,
        "balance": "99999999.00",
        "available": "99999999.00",
        "pending": "0.00",
        "case_id": w.ids["case2"],
        "handler_id": other,
        "is_staff": True,
        "is_superuser": True,
        "role": "admin",
        "closure_type": "fully_executed",
        "paid_at": "2026-10-01T10:00:00+08:00",
        "number": "鲁01督〔2026〕999号",
        "fund_account": "000000000000000",
        "deadlines": [],
    }


def twice(w, who: str, path: str, first: dict, second: dict):
    """Post ``first`` then ``second`` from the same state (savepoints rolled back,
    sequences reset): the moment they started, the database before, and each
    answer with the database after it."""
    since = timezone.now() - dt.timedelta(seconds=1)
    state = sequences()
    before = dump(since)
    results = []
    for body in (first, second):
        sid = transaction.savepoint()
        response = post(w, who, path, body)
        results.append((response, dump(since)))
        transaction.savepoint_rollback(sid)
        reset(state)
    return since, before, results[0], results[1]


def test_the_comparison_sees_what_a_field_changes(w):
    """The check is worth something only if a stored difference shows: the same
    suspension with another reason differs in the case's node events."""
    path = f"/api/v1/cases/{w.ids['case']}/suspend/"
    ruling = {"ruling_number": "(2026)鲁0102执异1号", "approved_by": w.matrix.users["lower_head"].pk, "at": AT}
    _since, _before, (a, after_a), (b, after_b) = twice(
        w, "token", path, {**ruling, "reason": "中止原因甲"}, {**ruling, "reason": "中止原因乙"}
    )
    assert a.status_code == b.status_code == 200
    assert diff(after_a, after_b) != []
    _since, _before, (a, after_a), (b, after_b) = twice(
        w, "token", path, {**ruling, "reason": "中止原因甲"}, {**ruling, "reason": "中止原因甲"}
    )
    assert diff(after_a, after_b) == []  # and the same request twice is the same


def _terminate_case2(w) -> None:
    Case.objects.filter(pk=w.ids["case2"]).update(
        status=CaseStatus.CLOSED, closure_type="terminated_this_round", closed_at=timezone.now()
    )


def test_every_write_endpoint_is_listed(declared):
    listed = {row[0] for row in ENDPOINTS}
    assert sorted(set(declared) - listed) == [], "a write endpoint without a mass-assignment check"
    assert sorted(listed - set(declared)) == [], "listed, but not a write endpoint of the schema"


@pytest.mark.parametrize(("schema_path", "who", "path", "body", "setup"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_extra_fields_are_refused_or_change_nothing(w, declared, schema_path, who, path, body, setup, monkeypatch):
    path, body = path.format(**w.ids), resolve(body, w)
    for step in setup:
        if step == "terminate-case2":
            _terminate_case2(w)
        elif step == "no-blocking-clocks":
            # the clocks a closure waits for are LIFECYCLE's to test (tests/enforcement/test_clock_lifecycle.py)
            monkeypatch.setattr(closure_services, "clocks_blocking_closure", lambda *a, **k: [])
            # and the 限消/失信 in force a closure waits for are test_credit's (spec §4)
            monkeypatch.setattr(closure_services, "credit_measures_blocking_closure", lambda *a, **k: [])
        else:
            _setup_steps(w, [step])
    injected = {k: v for k, v in extras(w).items() if k not in declared.get(schema_path, set())}
    since, before, (clean, after_clean), (dirty, after_dirty) = twice(w, who, path, body, {**body, **injected})
    assert clean.status_code < 300, (schema_path, clean.status_code, clean.content[:600])
    if dirty.status_code == 400:
        fields = dirty.json()["extra"].get("fields", {})
        assert set(fields) & set(injected), (schema_path, dirty.json())
        assert diff(before, after_dirty) == []
        return
    assert dirty.status_code == clean.status_code, (schema_path, dirty.status_code, dirty.content[:600])
    assert diff(after_clean, after_dirty) == [], schema_path
    assert _normal(dirty.json(), since) == _normal(clean.json(), since)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/cases/", case_payload("(2026)鲁0102执4101号", court="鲁0202"), "court"),
        ("/api/v1/cases/", case_payload("(2026)鲁0102执4102号", court="鲁01"), "court"),
        ("/api/v1/cases/", case_payload("(2026)鲁0102执4103号", handler="head_lu02"), "handler"),
        ("/api/v1/receipts/", {"account_number": "6200000000002", "amount": "1.00", "arrived_at": AT,
                               "reference": "MA-2", "court": "鲁0202"}, "court"),
        ("/api/v1/petitions/", {"court": "鲁0202", "channel": "letter", "petitioner_name": "王五", "content": "x"}, "court"),
    ],
)  # fmt: skip
def test_declared_court_and_handler_stay_within_the_callers_scope(w, path, body, field):
    since = timezone.now() - dt.timedelta(seconds=1)
    before = dump(since)
    response = post(w, "token", path, body)
    assert response.status_code == 400, response.content
    assert field in response.json()["extra"]["fields"]
    assert diff(before, dump(since)) == []


def test_orders_cannot_be_issued_in_a_court_the_issuer_does_not_hold(w):
    response = post(
        w, "working_group", "/api/v1/orders/",
        {"case": w.ids["case2"], "kind": "urge", "instructions": "x", "response_days": 5, "issuing_court": "鲁02"},
    )  # fmt: skip
    assert response.status_code in (400, 403, 422), response.content
