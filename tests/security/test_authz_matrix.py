"""The authorization matrix of the whole product except 一案双查 (which has its own,
``tests/dualcheck/test_permission_matrix.py``): every URL of core, enforcement,
custody_funds and supervision — browser pages, exports, actions and REST
endpoints — × every role of ``core.models.Role`` held at the objects' own court,
a sibling court, a court below and the court above × every method the URL answers.

The URLs come from the URLconf at test time: a URL that ``TABLE`` does not
classify fails ``test_every_url_is_classified`` (that is the point — a new
endpoint must say who may use it before it ships). ``TABLE`` says, per URL name
(and per action slug where one view serves several actions), how to fill its path
from the world, which methods it answers, who may use each, and with what body.

For every request:

* entitled → the success status, and (unsafe methods) something changed — so the
  matrix cannot pass by refusing everybody;
* not entitled → 404 when the object is outside the person's courts, 403 when it
  is inside but the role may not (a role gate that does not depend on the object
  is 403 too); the anonymous go to the login page (401 on the REST API). A page
  action refused in scope answers as the house pages do (``BACK``): a redirect to
  the page it came from with an error message. A refused request changes nothing
  (every insert, update and delete of the transaction is counted);
* always → no row of a court the person may not see: case numbers and the
  ``MK-<court>-`` markers of every court are searched for in the answer (HTML,
  JSON, or the cells of an Excel file), and no court of another branch is even
  named. List answers must also show the rows of every court the person does see
  (``shows``).

The world (``authz_world``) is built once per module; each request runs in a
savepoint that is rolled back, so the people act on the same world."""

import contextlib
import datetime as dt
import io
import json
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from tests.security.authz_world import (  # noqa: F401 - fixtures
    ANONYMOUS,
    CONFIRMED_ACCOUNT,
    COURT_OF,
    MARKER_COURTS,
    POSITIONS,
    ROLES,
    SUPERVISORY,
    ancestors,
    courts_in,
    courts_named_in,
    scope_of,
    w_fixture,
    world_fixture,
)

# One worker runs the whole module (``make test`` is ``-n 2 --dist loadgroup``), so
# the world is built once. (The mark exists only where xdist runs.)
pytestmark = [pytest.mark.django_db] + (
    [pytest.mark.xdist_group("authz-matrix")] if os.environ.get("PYTEST_XDIST_WORKER") else []
)

OBJECT_COURT = "鲁01"
SAFE = ("GET", "HEAD")
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
LOGIN = "login"  # 302 to /login/?next=…
BACK = "back"  # 302 back to the page, with an error message

Pred = Callable[[str, str], bool]

# --- who ------------------------------------------------------------------------------------------


def sees(role: str, position: str) -> bool:
    """Whether a thing of 鲁01 is in the person's courts."""
    return OBJECT_COURT in scope_of(role, position)


def sees_order(role: str, position: str) -> bool:
    """A 督办 order of 鲁 on a case of 鲁01: seen by either court's people (and the
    supervisory roles above them)."""
    return bool({"鲁", OBJECT_COURT} & scope_of(role, position))


def at_own(*roles: str) -> Pred:
    return lambda role, position: position == "own" and role in roles


def over(*roles: str) -> Pred:
    """``roles`` at 鲁01 or the court above."""
    return lambda role, position: position in ("own", "upper") and role in roles


def at_upper(*roles: str) -> Pred:
    return lambda role, position: position == "upper" and role in roles


def roles(*names: str) -> Pred:
    return lambda role, position: role in names


def anyone(role: str, position: str) -> bool:
    return True


def nobody(role: str, position: str) -> bool:
    return False


def either(*preds: Pred) -> Pred:
    return lambda role, position: any(p(role, position) for p in preds)


ACTING = ("clerk", "handler", "bureau_head")  # enforcement.policy.ACTING_ROLES, people
APPROVERS = ("bureau_head", "court_leader")
DRAFTERS = ("handler", "clerk", "bureau_head")  # custody_funds DRAFTERS, people
MATCHERS = ("finance", "clerk", "handler", "bureau_head")
DASHBOARD = ("case_supervisor", "bureau_head", "court_leader", "inspector", "admin")
ISSUERS = ("case_supervisor", "bureau_head")
RESPONDERS = ("bureau_head", "handler", "case_supervisor")
PETITION_STAFF = ("clerk", "handler", "bureau_head", "case_supervisor")
CONCLUDERS = ("bureau_head", "case_supervisor", "handler")
FLAGGERS = ("bureau_head", "case_supervisor", "inspector")
AUDIT_READERS = ("inspector", "court_leader", "admin")


# --- the table ------------------------------------------------------------------------------------


def _now(minutes: int = 10) -> dt.datetime:
    return timezone.localtime(timezone.now() - dt.timedelta(minutes=minutes))


def form_now() -> str:
    return _now().strftime("%Y-%m-%dT%H:%M")


def iso_now() -> str:
    return _now().isoformat()


@dataclass(frozen=True)
class Op:
    method: str
    entitled: Pred = anyone
    ok: int = 200
    data: Callable[..., dict] | None = None  # (world, role, position) → body (or query for GET)
    shows: Callable[..., set[str]] | None = None  # (world, role, position) → courts the answer must show
    refusal: Callable[[str, str], Any] | None = None  # overrides the expected refusal (None: the default)
    # replaces the status checks: (world, role, position, response, changed) → problems
    check: Callable[..., list[str]] | None = None
    writes: bool = True  # an unsafe request that succeeds changes the world (not only the audit trail)


@dataclass(frozen=True)
class Entry:
    name: str  # URL name as reversed ("enforcement:case-action"), or "<name>[<slug>]"
    kwargs: Callable[..., dict]
    ops: tuple[Op, ...]
    scope: Pred = anyone  # who sees the object (else 404)
    gate: Pred | None = None  # a role gate that does not depend on the object (else 403)
    denied: Any = 403  # the answer to someone who sees the object but may not
    back: Callable[..., str] | None = None  # where ``BACK`` leads
    machines: bool = False  # a page that does not refuse machine clients (it only redirects)
    any_method: bool = False  # answers every method alike (``test_methods_not_answered`` skips it)
    orders: bool = False  # answers about 督办 orders: their cases are seen by the issuing court too

    @property
    def url_name(self) -> str:
        return self.name.split("[")[0]

    @property
    def slug(self) -> str | None:
        m = re.search(r"\[(.+)\]$", self.name)
        return m.group(1) if m else None


def _no_kwargs(w) -> dict:
    return {}


def case_kwargs(name: str = "main") -> Callable:
    return lambda w: {"case_id": getattr(w.o, name).pk}


def obj_kwargs(param: str, name: str) -> Callable:
    return lambda w: {param: getattr(w.o, name).pk}


def in_scope(kind: str) -> Callable:
    """A list shows the rows of ``kind`` of every marker court the person sees."""
    return lambda w, role, position: scope_of(role, position) & set(w.markers[kind])


def own_court(w, role, position) -> set[str]:
    return {OBJECT_COURT}


def order_cases(w, role, position) -> set[str]:
    scope = scope_of(role, position)
    return {target for issuing, target in w.orders_between if issuing in scope or target in scope}


def body_court_refusal(api: bool) -> Callable:
    """Creating a thing at 鲁01 by naming the court in the body. REST: a court
    outside the person's courts is an invalid field (400), one inside it but not
    theirs to act at is 403. A page form offers only the courts where the person
    acts: any other is the form again (422)."""

    def refusal(role: str, position: str):
        if not api:
            return 422
        return None if sees(role, position) else 400

    return refusal


def case_form(w, role, position) -> dict:
    return {
        "case_number": "(2026)鲁01执201号",
        "court": w.courts.lu01.pk,
        "filed_on": "2026-11-10",
        "received_at": form_now(),
        "claim_amount": "50000",
        "costs": "",
        "basis_document": "(2026)鲁01民初1号",
        "track": "simple",
        "handler": "",
        "team": "",
        "applicants-0-kind": "person",
        "applicants-0-name": "新申请人",
        "applicants-0-id_number": w.o.applicant.id_number,
        "applicants-0-phone": "",
        "applicants-0-bank": "工商银行",
        "applicants-0-account_number": CONFIRMED_ACCOUNT,
        "applicants-0-holder": "新申请人",
        "respondents-0-kind": "organization",
        "respondents-0-name": "新被执行人",
        "respondents-0-id_number": w.o.respondent.id_number,
        "respondents-0-phone": "",
    }


def case_json(w, role=None, position=None) -> dict:
    return {
        "case_number": "(2026)鲁01执202号",
        "court": "鲁01",
        "filed_on": "2026-11-10",
        "received_at": iso_now(),
        "claim_amount": "50000.00",
        "basis_document": "(2026)鲁01民初1号",
        "applicants": [
            {
                "name": "新申请人",
                "kind": "person",
                "id_number": w.o.applicant.id_number,
                "payout_account": {
                    "bank": "工商银行",
                    "account_number": CONFIRMED_ACCOUNT,
                    "holder": "新申请人",
                },
            }
        ],
        "respondents": [
            {"name": "新被执行人", "kind": "organization", "id_number": w.o.respondent.id_number}
        ],
    }


def bulk_check(entitled: Pred, key: str) -> Callable:
    """A bulk endpoint answers 200 whatever its items did: each item carries its
    own result — created for the entitled, refused (404 outside the person's
    courts, 403 inside) for everyone else, and then nothing changes."""

    def check(w, role, position, response, changed) -> list[str]:
        if role == ANONYMOUS:
            return [] if response.status_code == 401 else [f"status {response.status_code} != 401"]
        if response.status_code != 200:
            return [f"status {response.status_code} != 200"]
        body = response.json()
        if entitled(role, position):
            return [] if body["created"] == 1 and changed else [f"not created: {body}"]
        want = 403 if sees(role, position) else (400 if key == "cases" else 404)
        got = body["results"][0].get("status")
        problems = [] if body["created"] == 0 and got == want else [f"item {got} != {want}: {body}"]
        return problems + ([f"refused but changed {changed}"] if changed else [])

    return check


def page_action(
    slug: str,
    data,
    entitled: Pred,
    *,
    obj: tuple[str, str] | None = None,
    case: str = "main",
    app="enforcement",
):
    """One action of a case page (enforcement or case funds)."""
    url = "enforcement:case" if app == "enforcement" else "custody_funds:case"
    detail = "enforcement:case-detail" if app == "enforcement" else "custody_funds:case"
    name = f"{url}-{'object-' if obj else ''}action[{slug}]"

    def kwargs(w):
        out = {"case_id": getattr(w.o, case).pk, "action": slug}
        if obj:
            out["obj_id"] = getattr(w.o, obj[1]).pk
        return out

    def back(w):
        from django.urls import reverse

        return reverse(detail, kwargs={"case_id": getattr(w.o, case).pk})

    return Entry(name, kwargs, (Op("POST", entitled, 302, data),), scope=sees, denied=BACK, back=back)


def api_action(name: str, kwargs, data, entitled: Pred, ok: int = 200, scope: Pred = sees):
    return Entry(
        name, kwargs, (Op("POST", entitled, ok, data),), scope=scope, orders=name.startswith("api-order")
    )


def _d(**fixed) -> Callable:
    """A body; a value that is a callable of the world is called."""
    return lambda w, role=None, position=None: {k: (v(w) if callable(v) else v) for k, v in fixed.items()}


def second_officer(w, role, position) -> int:
    finance = w.user("finance", "own")
    return w.user("clerk", "own").pk if (role, position) == ("finance", "own") else finance.pk


ENFORCEMENT_CASE_ACTIONS = [
    page_action("notice", _d(served_at=lambda w: form_now()), at_own(*ACTING)),
    page_action(
        "search",
        _d(channel="online", categories=["bank_deposit"], launched_at=lambda w: form_now()),
        at_own(*ACTING),
    ),
    page_action("clue", _d(received_at=lambda w: form_now(), description="新的财产线索"), at_own(*ACTING)),
    page_action(
        "credit",
        _d(party=lambda w: w.o.respondent.pk, kind="dishonest", issued_at=lambda w: form_now()),
        at_own(*ACTING),
    ),
    page_action("interview", _d(at=lambda w: form_now(), note="约谈申请执行人"), at_own(*ACTING)),
    page_action("fulfilment", _d(at=lambda w: form_now(), note="已履行完毕"), at_own(*ACTING)),
    page_action("approval-request", _d(kind="over_seizure", reason="申请超标的控制"), at_own(*ACTING)),
    page_action("track", _d(track="ordinary", reason="案情复杂"), at_own(*ACTING)),
    page_action("suspend", _d(at=lambda w: form_now(), reason="案外人异议"), at_own(*ACTING)),
    page_action("resume", _d(at=lambda w: form_now()), at_own(*ACTING), case="suspended"),
    page_action(
        "close", _d(closure="withdrawn", closed_at=lambda w: form_now(), document=""), at_own(*ACTING)
    ),
    page_action(
        "restore",
        _d(case_number="(2026)鲁01执恢1号", received_at=lambda w: form_now(), reason="发现新的财产"),
        at_own(*ACTING),
        case="terminated",
    ),
]
ENFORCEMENT_OBJECT_ACTIONS = [
    page_action("feedback", _d(received_at=lambda w: form_now()), at_own(*ACTING), obj=("search", "search")),
    page_action(
        "control",
        _d(kind="seize_movable", amount="", effective_at=lambda w: form_now()),
        at_own(*ACTING),
        obj=("asset", "asset_found2"),
    ),
    page_action(
        "uncontrollable",
        _d(at=lambda w: form_now(), reason="车辆下落不明"),
        at_own(*ACTING),
        obj=("asset", "asset_found"),
    ),
    page_action(
        "disposal-start",
        _d(method="online_inquiry", at=lambda w: form_now()),
        at_own(*ACTING),
        obj=("asset", "asset_controlled"),
    ),
    page_action(
        "self-disposal", _d(at=lambda w: form_now(), days="30"), at_own(*ACTING), obj=("asset", "house")
    ),
    page_action(
        "disposal-price",
        _d(price="20000", at=lambda w: form_now()),
        at_own(*ACTING),
        obj=("disposal", "price_pending"),
    ),
    page_action(
        "disposal-auction",
        _d(platform="网络司法拍卖", at=lambda w: form_now()),
        at_own(*ACTING),
        obj=("disposal", "price_fixed"),
    ),
    page_action(
        "disposal-conclude",
        _d(sold="true", amount="25000", at=lambda w: form_now()),
        at_own(*ACTING),
        obj=("disposal", "auction"),
    ),
    page_action(
        "self-disposal-conclude",
        _d(sold="true", amount="25000", at=lambda w: form_now()),
        at_own(*ACTING),
        obj=("selfdisposal", "self_disposal"),
    ),
    page_action("renew", _d(at=lambda w: form_now()), at_own(*ACTING), obj=("measure", "measure")),
    page_action(
        "release", _d(at=lambda w: form_now(), reason="解除控制"), at_own(*ACTING), obj=("measure", "measure")
    ),
    page_action("clue-verify", _d(at=lambda w: form_now()), at_own(*ACTING), obj=("clue", "clue_received")),
    page_action(
        "clue-conclude",
        _d(at=lambda w: form_now(), true="false", note="查无此账户"),
        at_own(*ACTING),
        obj=("clue", "clue_verifying"),
    ),
    page_action(
        "credit-release",
        _d(at=lambda w: form_now(), reason="已履行"),
        at_own(*ACTING),
        obj=("credit", "credit"),
    ),
]
FUNDS_CASE_ACTIONS = [
    page_action(
        "draft",
        _d(
            payee=lambda w: w.o.applicant.pk,
            account_number=CONFIRMED_ACCOUNT,
            amount="500.00",
            account_change_request="",
        ),
        at_own(*DRAFTERS),
        app="funds",
    ),
    page_action(
        "delay", _d(reason="to_distribute", note="需要进行案款分配。"), at_own(*DRAFTERS), app="funds"
    ),
    page_action(
        "deposit", _d(reason="refused", amount="500.00", note="拒绝领取。"), at_own(*DRAFTERS), app="funds"
    ),
    page_action(
        "cash",
        lambda w, role, position: {
            "reference": "CASH-1",
            "amount": "100.00",
            "arrived_at": form_now(),
            "payer": "交款人",
            "second_officer": second_officer(w, role, position),
        },
        at_own(*MATCHERS),
        app="funds",
    ),
]
FUNDS_OBJECT_ACTIONS = [
    page_action("submit", _d(), at_own(*DRAFTERS), obj=("disbursement", "d_draft"), app="funds"),
    page_action("approve", _d(), over(*APPROVERS), obj=("disbursement", "d_submitted"), app="funds"),
    page_action(
        "reject", _d(note="金额有误"), over(*APPROVERS), obj=("disbursement", "d_submitted"), app="funds"
    ),
    page_action("notify", _d(), at_own(*DRAFTERS), obj=("disbursement", "d_approved"), app="funds"),
    page_action(
        "pay", _d(bank_reference="PAY-1"), at_own("finance"), obj=("disbursement", "d_notified"), app="funds"
    ),
    page_action(
        "cancel", _d(note="重复起草"), at_own(*DRAFTERS), obj=("disbursement", "d_draft"), app="funds"
    ),
    page_action("hold-approve", _d(), over(*APPROVERS), obj=("hold", "hold_requested"), app="funds"),
    page_action("hold-reject", _d(), over(*APPROVERS), obj=("hold", "hold_requested"), app="funds"),
    page_action("hold-release", _d(), at_own(*DRAFTERS), obj=("hold", "hold_approved"), app="funds"),
]


def order_action(slug: str, obj: str, data, entitled: Pred) -> Entry:
    return Entry(
        f"supervision:order-action[{slug}]",
        lambda w: {"order_id": getattr(w.o, obj).pk, "action": slug},
        (Op("POST", entitled, 302, data),),
        scope=sees_order,
        orders=True,
    )


def petition_action(slug: str, obj: str, data, entitled: Pred) -> Entry:
    return Entry(
        f"supervision:petition-action[{slug}]",
        lambda w: {"petition_id": getattr(w.o, obj).pk, "action": slug},
        (Op("POST", entitled, 302, data),),
        scope=sees,
    )


ADDRESSED = either(
    at_own("handler"), at_own("case_supervisor")
)  # checked against the alert in ``test_the_alert``
DASHBOARD_READERS = either(over(*DASHBOARD), at_own("api_client"))
ISSUE_ORDER = _d(
    case=lambda w: w.o.fresh.pk, kind="urge", instructions="请依法采取执行措施。", response_days=5
)
# received on a Monday of 2026: its 30-working-day clock ends within the loaded calendar
RECEIVE_PETITION = _d(
    court="鲁01",
    channel="letter",
    petitioner_name="新信访人",
    content="反映执行款迟迟未发放。",
    received_at="2026-11-16T10:00:00+08:00",
)

NOTICE_2030 = (
    "国务院办公厅关于2030年部分节假日安排的通知\n"
    "一、元旦：1月1日放假，与周末连休。\n"
    "二、国庆节：10月1日（周二）至7日（周一）放假调休，共7天。9月29日（周日）、10月12日（周六）上班。\n"
)


def calendar_load_of(w):
    """A year's load record (not a court's: only administrators read it)."""
    from core.models import CalendarLoad

    load, _created = CalendarLoad.objects.get_or_create(year=2031, defaults={"source": "测试"})
    return load


TABLE: list[Entry] = [
    # --- core -----------------------------------------------------------------------------------
    # the root redirects whoever is signed in (any method) to 我的待办
    Entry("core:home", _no_kwargs, (Op("GET", anyone, 302),), machines=True, any_method=True),
    Entry(
        "core:todo",
        _no_kwargs,
        (
            Op(
                "GET",
                shows=lambda w, r, p: {COURT_OF[p]}
                if (r, p)
                in (("handler", "own"), ("clerk", "sibling"), ("clerk", "lower"), ("clerk", "upper"))
                else set(),
            ),
        ),
    ),
    Entry("core:calendar", _no_kwargs, (Op("GET"),)),
    Entry(
        "core:due-date", _no_kwargs, (Op("GET", data=_d(start="2026-11-02", days="5", unit="working_days")),)
    ),
    Entry("core:rules", _no_kwargs, (Op("GET"),)),
    Entry("core:courts", _no_kwargs, (Op("GET"),)),
    Entry("core:exports", _no_kwargs, (Op("GET"),)),
    Entry(
        "core:export-start",
        _no_kwargs,
        (
            Op(
                "POST",
                over(*DASHBOARD),
                302,
                _d(key="supervision.dashboard.rules", court="鲁01"),
                refusal=lambda r, p: None if r in (ANONYMOUS, "api_client") else BACK,
            ),
        ),
        back=lambda w: "/exports/",
    ),
    *(
        Entry(
            name,
            lambda w: {"job_id": w.o.export_job.pk},
            (Op("GET", at_own("bureau_head")),),
            scope=at_own("bureau_head"),
        )
        for name in ("core:export-detail", "core:export-progress", "core:export-download")
    ),
    Entry("api-courts", _no_kwargs, (Op("GET"),)),
    Entry("api-calendar-due-date", _no_kwargs, (Op("GET", data=_d(start="2026-11-02", days=5)),)),
    # 载入年度节假日安排: administrators only (a preview writes nothing)
    Entry(
        "core:calendar-load",
        _no_kwargs,
        (Op("GET", roles("admin")), Op("POST", roles("admin"), 200, _d(notice=NOTICE_2030), writes=False)),
        gate=roles("admin"),
    ),
    *(
        Entry(name, lambda w: {"pk": calendar_load_of(w).pk}, (Op("GET", roles("admin")),), gate=roles("admin"))
        for name in ("core:calendar-load-detail", "core:calendar-load-progress")
    ),
    Entry(
        "api-calendar-years",
        _no_kwargs,
        (Op("POST", roles("admin"), 200, _d(notice=NOTICE_2030, dry_run=True), writes=False),),
        gate=roles("admin"),
    ),
    # --- enforcement: pages ------------------------------------------------------------------------
    Entry("enforcement:case-list", _no_kwargs, (Op("GET", shows=in_scope("case")),)),
    Entry(
        "enforcement:case-new",
        _no_kwargs,
        (
            Op("GET", roles(*ACTING)),
            Op("POST", at_own(*ACTING), 302, case_form, refusal=body_court_refusal(api=False)),
        ),
        gate=roles(*ACTING),
    ),
    Entry("enforcement:row", lambda w: {"kind": "applicant"}, (Op("GET"),)),
    Entry(
        "enforcement:approvals",
        _no_kwargs,
        (Op("GET", roles(*APPROVERS), shows=in_scope("approval")),),
        gate=roles(*APPROVERS),
    ),
    Entry(
        "enforcement:approval-decide",
        obj_kwargs("approval_id", "approval"),
        (Op("POST", over(*APPROVERS), 302, _d(decision="approve", note="同意")),),
        scope=sees,
        gate=roles(*APPROVERS),
    ),
    Entry("enforcement:case-detail", case_kwargs(), (Op("GET", sees, shows=own_court),), scope=sees),
    *ENFORCEMENT_CASE_ACTIONS,
    *ENFORCEMENT_OBJECT_ACTIONS,
    # --- enforcement: REST -------------------------------------------------------------------------
    Entry(
        "api-cases",
        _no_kwargs,
        (
            Op("GET", data=_d(page_size=500), shows=in_scope("case")),
            Op("POST", at_own(*ACTING, "api_client"), 201, case_json, refusal=body_court_refusal(api=True)),
        ),
    ),
    Entry(
        "api-cases-bulk",
        _no_kwargs,
        (
            Op(
                "POST",
                data=lambda w, r=None, p=None: {"cases": [case_json(w)]},
                check=bulk_check(at_own(*ACTING, "api_client"), "cases"),
            ),
        ),
    ),
    Entry("api-case", case_kwargs(), (Op("GET", sees, shows=own_court),), scope=sees),
    api_action(
        "api-case-notice", case_kwargs(), _d(served_at=lambda w: iso_now()), at_own(*ACTING, "api_client")
    ),
    api_action("api-case-interview", case_kwargs(), _d(note="约谈申请执行人"), at_own(*ACTING, "api_client")),
    api_action("api-case-suspend", case_kwargs(), _d(reason="案外人异议"), at_own(*ACTING, "api_client")),
    api_action("api-case-resume", case_kwargs("suspended"), _d(), at_own(*ACTING, "api_client")),
    api_action("api-case-track", case_kwargs(), _d(track="ordinary"), at_own(*ACTING, "api_client")),
    api_action("api-case-fulfilment", case_kwargs(), _d(note="已履行完毕"), at_own(*ACTING, "api_client")),
    api_action("api-case-close", case_kwargs(), _d(closure="withdrawn"), at_own(*ACTING, "api_client")),
    api_action(
        "api-case-restore",
        case_kwargs("terminated"),
        _d(case_number="(2026)鲁01执恢1号", received_at=lambda w: iso_now(), reason="发现新的财产"),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-case-searches",
        case_kwargs(),
        _d(channel="online", launched_at=lambda w: iso_now()),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-case-controls",
        case_kwargs(),
        _d(asset=lambda w: w.o.asset_found2.pk, kind="seize_movable", effective_at=lambda w: iso_now()),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-case-clues",
        case_kwargs(),
        _d(received_at=lambda w: iso_now(), description="新的财产线索"),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-case-credit",
        case_kwargs(),
        _d(party=lambda w: w.o.respondent.pk, kind="dishonest", issued_at=lambda w: iso_now()),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-case-approvals",
        case_kwargs(),
        _d(kind="over_seizure", reason="申请超标的控制"),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    Entry("api-asset-categories", _no_kwargs, (Op("GET"),)),
    api_action(
        "api-search-feedback",
        obj_kwargs("search_id", "search"),
        _d(received_at=lambda w: iso_now(), findings=[]),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    Entry(
        "api-search-feedback-bulk",
        _no_kwargs,
        (
            Op(
                "POST",
                data=lambda w, r=None, p=None: {
                    "feedback": [{"search": w.o.search.pk, "received_at": iso_now(), "findings": []}]
                },
                check=bulk_check(at_own(*ACTING, "api_client"), "feedback"),
            ),
        ),
    ),
    api_action(
        "api-asset-uncontrollable",
        obj_kwargs("asset_id", "asset_found"),
        _d(reason="车辆下落不明"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-asset-disposals",
        obj_kwargs("asset_id", "asset_controlled"),
        _d(method="online_inquiry"),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-asset-self-disposal",
        obj_kwargs("asset_id", "house"),
        _d(days=30),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action("api-control-renew", obj_kwargs("measure_id", "measure"), _d(), at_own(*ACTING, "api_client")),
    api_action(
        "api-control-release",
        obj_kwargs("measure_id", "measure"),
        _d(reason="解除控制"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-clue-verify", obj_kwargs("clue_id", "clue_received"), _d(), at_own(*ACTING, "api_client")
    ),
    api_action(
        "api-clue-conclude",
        obj_kwargs("clue_id", "clue_verifying"),
        _d(true=False, note="查无此账户"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-disposal-price",
        obj_kwargs("disposal_id", "price_pending"),
        _d(price="20000.00"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-disposal-auction", obj_kwargs("disposal_id", "price_fixed"), _d(), at_own(*ACTING, "api_client")
    ),
    api_action(
        "api-disposal-conclude",
        obj_kwargs("disposal_id", "auction"),
        _d(sold=True, amount="25000.00"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-self-disposal-conclude",
        obj_kwargs("self_disposal_id", "self_disposal"),
        _d(sold=True, amount="25000.00"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-credit-release",
        obj_kwargs("measure_id", "credit"),
        _d(reason="已履行"),
        at_own(*ACTING, "api_client"),
    ),
    Entry("api-approvals", _no_kwargs, (Op("GET", data=_d(page_size=500), shows=in_scope("approval")),)),
    api_action(
        "api-approval-approve", obj_kwargs("approval_id", "approval"), _d(note="同意"), over(*APPROVERS)
    ),
    api_action(
        "api-approval-reject", obj_kwargs("approval_id", "approval"), _d(note="不同意"), over(*APPROVERS)
    ),
    # --- case funds: pages ---------------------------------------------------------------------------
    Entry("custody_funds:case", case_kwargs(), (Op("GET", sees, shows=own_court),), scope=sees),
    *FUNDS_CASE_ACTIONS,
    *FUNDS_OBJECT_ACTIONS,
    Entry(
        "custody_funds:finance",
        _no_kwargs,
        (Op("GET", roles("finance"), shows=in_scope("disbursement")),),
        gate=roles("finance"),
    ),
    Entry(
        "custody_funds:finance-pay",
        obj_kwargs("disbursement_id", "d_notified"),
        (Op("POST", at_own("finance"), 302, _d(bank_reference="PAY-1")),),
        scope=sees,
        gate=roles("finance"),
    ),
    Entry(
        "custody_funds:unidentified",
        _no_kwargs,
        (Op("GET", roles(*MATCHERS, "case_supervisor"), shows=in_scope("receipt")),),
        gate=roles(*MATCHERS, "case_supervisor"),
    ),
    Entry(
        "custody_funds:match-suggestions",
        obj_kwargs("receipt_id", "receipt_unidentified"),
        (
            Op(
                "GET",
                either(at_own(*MATCHERS, "case_supervisor"), at_upper("bureau_head", "case_supervisor")),
                data=_d(case_number="(2026)鲁01执"),
                shows=own_court,
            ),
        ),
        scope=sees,
        gate=roles(*MATCHERS, "case_supervisor"),
    ),
    Entry(
        "custody_funds:receipt-match",
        obj_kwargs("receipt_id", "receipt_unidentified"),
        (
            Op(
                "POST",
                at_own(*MATCHERS, "case_supervisor"),
                302,
                _d(case_number=lambda w: w.o.main.case_number, reason="付款人提供的转账凭证"),
            ),
        ),
        scope=sees,
        gate=roles(*MATCHERS, "case_supervisor"),
        denied=BACK,
        back=lambda w: "/funds/receipts/unidentified/",
    ),
    Entry(
        "custody_funds:approvals",
        _no_kwargs,
        (Op("GET", roles(*APPROVERS), shows=lambda w, r, p: scope_of(r, p) & {OBJECT_COURT}),),
        gate=roles(*APPROVERS),
    ),
    Entry(
        "custody_funds:notice",
        obj_kwargs("disbursement_id", "d_notified"),
        (Op("GET", sees, shows=own_court),),
        scope=sees,
    ),
    # --- case funds: REST --------------------------------------------------------------------------
    Entry(
        "api-receipts",
        _no_kwargs,
        (
            Op("GET", data=_d(page_size=500), shows=in_scope("receipt")),
            Op(
                "POST",
                at_own(*MATCHERS, "api_client"),
                201,
                _d(
                    account_number=lambda w: w.o.main.fund_account.number,
                    amount="100.00",
                    arrived_at=lambda w: iso_now(),
                    reference="NEW-1",
                    court="鲁01",
                ),
                refusal=body_court_refusal(api=True),
            ),
        ),
    ),
    api_action(
        "api-receipt-match",
        obj_kwargs("receipt_id", "receipt_unidentified"),
        _d(case=lambda w: w.o.main.pk),
        at_own(*MATCHERS, "api_client", "case_supervisor"),
    ),
    Entry("api-case-funds", case_kwargs(), (Op("GET", sees),), scope=sees),
    Entry("api-case-funds-export", case_kwargs(), (Op("GET", sees, shows=own_court),), scope=sees),
    Entry("api-funds-held-export", _no_kwargs, (Op("GET", shows=in_scope("case")),)),
    api_action(
        "api-case-disbursements",
        case_kwargs(),
        _d(payee=lambda w: w.o.applicant.pk, amount="500.00", account_number=CONFIRMED_ACCOUNT),
        at_own(*DRAFTERS, "api_client"),
        ok=201,
    ),
    Entry(
        "api-disbursements", _no_kwargs, (Op("GET", data=_d(page_size=500), shows=in_scope("disbursement")),)
    ),
    api_action(
        "api-case-funds-holds",
        case_kwargs(),
        _d(kind="delay", reason="to_distribute", note="需要进行案款分配。"),
        at_own(*DRAFTERS, "api_client"),
        ok=201,
    ),
    api_action("api-funds-hold-approve", obj_kwargs("hold_id", "hold_requested"), _d(), over(*APPROVERS)),
    api_action("api-funds-hold-reject", obj_kwargs("hold_id", "hold_requested"), _d(), over(*APPROVERS)),
    api_action(
        "api-funds-hold-release",
        obj_kwargs("hold_id", "hold_approved"),
        _d(),
        at_own(*DRAFTERS, "api_client"),
    ),
    api_action(
        "api-disbursement-submit",
        obj_kwargs("disbursement_id", "d_draft"),
        _d(),
        at_own(*DRAFTERS, "api_client"),
    ),
    api_action(
        "api-disbursement-approve", obj_kwargs("disbursement_id", "d_submitted"), _d(), over(*APPROVERS)
    ),
    api_action(
        "api-disbursement-notify",
        obj_kwargs("disbursement_id", "d_approved"),
        _d(),
        at_own(*DRAFTERS, "api_client"),
    ),
    api_action(
        "api-disbursement-pay",
        obj_kwargs("disbursement_id", "d_notified"),
        _d(bank_reference="PAY-1"),
        at_own("finance"),
    ),
    api_action(
        "api-disbursement-reject",
        obj_kwargs("disbursement_id", "d_submitted"),
        _d(note="金额有误"),
        over(*APPROVERS),
    ),
    api_action(
        "api-disbursement-cancel",
        obj_kwargs("disbursement_id", "d_draft"),
        _d(note="重复起草"),
        at_own(*DRAFTERS, "api_client"),
    ),
    # --- supervision: pages ------------------------------------------------------------------------
    Entry(
        "supervision:inbox",
        _no_kwargs,
        (
            Op(
                "GET",
                shows=lambda w, r, p: {COURT_OF[p]}
                if (r, p)
                in (
                    ("handler", "own"),
                    ("case_supervisor", "own"),
                    ("clerk", "sibling"),
                    ("clerk", "lower"),
                    ("clerk", "upper"),
                )
                else set(),
            ),
        ),
    ),
    Entry(
        "supervision:alert-acknowledge",
        obj_kwargs("alert_id", "alert"),
        (Op("POST", ADDRESSED, 302),),
        scope=sees,
        denied=BACK,
        back=lambda w: "/supervision/inbox/",
    ),
    Entry(
        "supervision:dashboard",
        _no_kwargs,
        (Op("GET", over(*DASHBOARD), data=_d(court="鲁01")),),
        scope=sees,
        gate=roles(*DASHBOARD),
    ),
    Entry(
        "supervision:clocks",
        _no_kwargs,
        (Op("GET", over(*DASHBOARD), data=_d(court="鲁01", status="overdue"), shows=own_court),),
        scope=sees,
        gate=roles(*DASHBOARD),
    ),
    Entry(
        "supervision:screening",
        _no_kwargs,
        (Op("GET", over(*DASHBOARD), data=_d(court="鲁01", kind="idle")),),
        scope=sees,
        gate=roles(*DASHBOARD),
    ),
    Entry(
        "supervision:indicators",
        _no_kwargs,
        (Op("GET", over(*DASHBOARD), data=_d(court="鲁01")),),
        scope=sees,
        gate=roles(*DASHBOARD),
    ),
    Entry("supervision:orders", _no_kwargs, (Op("GET", shows=order_cases),), orders=True),
    Entry(
        "supervision:order-new",
        _no_kwargs,
        (
            Op(
                "GET",
                at_upper(*ISSUERS),
                data=lambda w, r=None, p=None: {"case": w.o.fresh.pk},
                shows=own_court,
            ),
            Op(
                "POST",
                at_upper(*ISSUERS),
                302,
                lambda w, r=None, p=None: {
                    "case": w.o.fresh.pk,
                    "issuing_court": w.courts.lu.pk,
                    "kind": "urge",
                    "instructions": "请依法采取执行措施。",
                    "response_days": "5",
                },
            ),
        ),
        scope=sees,
        gate=roles(*ISSUERS),
    ),
    Entry(
        "supervision:order-detail",
        obj_kwargs("order_id", "order_issued"),
        (Op("GET", sees_order, shows=own_court),),
        scope=sees_order,
        orders=True,
    ),
    order_action("respond", "order_issued", _d(text="已采取控制措施。"), at_own(*RESPONDERS)),
    order_action("withdraw", "order_issued", _d(reason="已自行纠正。"), at_upper(*ISSUERS)),
    order_action("accept", "order_responded", _d(note="认可。"), at_upper(*ISSUERS)),
    order_action("return", "order_responded", _d(note="回复不具体。", response_days="5"), at_upper(*ISSUERS)),
    Entry("supervision:petitions", _no_kwargs, (Op("GET", shows=in_scope("petition")),)),
    Entry(
        "supervision:petition-new",
        _no_kwargs,
        (
            Op("GET", roles(*PETITION_STAFF)),
            Op(
                "POST",
                at_own(*PETITION_STAFF),
                302,
                lambda w, r=None, p=None: {
                    "court": w.courts.lu01.pk,
                    "channel": "letter",
                    "received_at": "2026-11-16T10:00",
                    "petitioner_name": "新信访人",
                    "petitioner_kind": "person",
                    "petitioner_id_number": "",
                    "petitioner_phone": "",
                    "case_number": "",
                    "content": "反映执行款迟迟未发放。",
                },
                refusal=body_court_refusal(api=False),
            ),
        ),
        gate=roles(*PETITION_STAFF),
    ),
    Entry(
        "supervision:petition-detail",
        obj_kwargs("petition_id", "petition_received"),
        (Op("GET", sees, shows=own_court),),
        scope=sees,
    ),
    petition_action("register", "petition_received", _d(), at_own(*PETITION_STAFF)),
    petition_action(
        "conclude",
        "petition_registered",
        _d(finding="untrue", result="经核查不属实。", measures="", concluded_at=lambda w: form_now()),
        at_own(*CONCLUDERS),
    ),
    petition_action(
        "feedback",
        "petition_concluded",
        _d(method="phone", fed_back_at=lambda w: form_now(), note=""),
        at_own(*PETITION_STAFF),
    ),
    petition_action("flag-dualcheck", "petition_received", _d(reason="反映消极执行。"), over(*FLAGGERS)),
    # --- supervision: REST ---------------------------------------------------------------------------
    Entry("api-alerts", _no_kwargs, (Op("GET", data=_d(page_size=500), shows=in_scope("alert")),)),
    Entry("api-alert", obj_kwargs("alert_id", "alert"), (Op("GET", sees, shows=own_court),), scope=sees),
    api_action("api-alert-acknowledge", obj_kwargs("alert_id", "alert"), _d(), ADDRESSED),
    *(
        Entry(
            name,
            _no_kwargs,
            (Op("GET", DASHBOARD_READERS, data=_d(court="鲁01")),),
            scope=sees,
            gate=roles(*DASHBOARD, "api_client"),
        )
        for name in (
            "api-dashboard",
            "api-indicators",
            "api-screening-idle",
            "api-screening-uncontrolled",
            "api-screening-overdue_duration",
            "api-screening-node_dates",
            "api-screening-research_due",
        )
    ),
    Entry(
        "api-screening",
        lambda w: {"kind": "nonsense"},
        (Op("GET", nobody),),
        gate=roles(*DASHBOARD, "api_client"),
        denied=404,
    ),
    Entry(
        "api-orders",
        _no_kwargs,
        (
            Op("GET", data=_d(page_size=500), shows=order_cases),
            Op("POST", at_upper(*ISSUERS), 201, ISSUE_ORDER),
        ),
        scope=sees,
        orders=True,
    ),
    Entry(
        "api-order-detail",
        obj_kwargs("order_id", "order_issued"),
        (Op("GET", sees_order, shows=own_court),),
        scope=sees_order,
        orders=True,
    ),
    api_action(
        "api-order-respond",
        obj_kwargs("order_id", "order_issued"),
        _d(text="已采取控制措施。"),
        at_own(*RESPONDERS),
        scope=sees_order,
    ),
    api_action(
        "api-order-withdraw",
        obj_kwargs("order_id", "order_issued"),
        _d(reason="已自行纠正。"),
        at_upper(*ISSUERS),
        scope=sees_order,
    ),
    api_action(
        "api-order-accept",
        obj_kwargs("order_id", "order_responded"),
        _d(note="认可。"),
        at_upper(*ISSUERS),
        scope=sees_order,
    ),
    api_action(
        "api-order-return",
        obj_kwargs("order_id", "order_responded"),
        _d(note="回复不具体。"),
        at_upper(*ISSUERS),
        scope=sees_order,
    ),
    Entry(
        "api-petitions",
        _no_kwargs,
        (
            Op("GET", data=_d(page_size=500), shows=in_scope("petition")),
            Op(
                "POST",
                at_own(*PETITION_STAFF, "api_client"),
                201,
                RECEIVE_PETITION,
                refusal=body_court_refusal(api=True),
            ),
        ),
    ),
    Entry(
        "api-petition-detail",
        obj_kwargs("petition_id", "petition_received"),
        (Op("GET", sees, shows=own_court),),
        scope=sees,
    ),
    api_action(
        "api-petition-register",
        obj_kwargs("petition_id", "petition_received"),
        _d(),
        at_own(*PETITION_STAFF, "api_client"),
    ),
    api_action(
        "api-petition-conclude",
        obj_kwargs("petition_id", "petition_registered"),
        _d(finding="untrue", result="经核查不属实。"),
        at_own(*CONCLUDERS),
    ),
    api_action(
        "api-petition-feedback",
        obj_kwargs("petition_id", "petition_concluded"),
        _d(method="phone"),
        at_own(*PETITION_STAFF, "api_client"),
    ),
    api_action(
        "api-petition-flag-dualcheck",
        obj_kwargs("petition_id", "petition_received"),
        _d(reason="反映消极执行。"),
        over(*FLAGGERS),
    ),
    # --- audit ---------------------------------------------------------------------------------------
    # The audit app: reveal of a party's whole ID and phone number (the people who
    # handle cases at the case's own court, and its systems; every reveal is
    # recorded — in the audit trail only, so no domain write), and the audit trail
    # (the supervision department, court leaders, administrators: the records of
    # the people of their courts). A new audit URL fails ``test_every_url_is_classified``
    # until it has its entry here.
    Entry(
        "audit:party-reveal",
        lambda w: {"case_id": w.o.main.pk, "party_id": w.o.applicant.pk},
        (Op("POST", at_own(*ACTING), 200, writes=False, shows=own_court),),
        scope=sees,
    ),
    Entry(
        "api-party-reveal",
        lambda w: {"case_id": w.o.main.pk, "party_id": w.o.applicant.pk},
        (Op("POST", at_own(*ACTING, "api_client"), 200, writes=False, shows=own_court),),
        scope=sees,
    ),
    Entry(
        "audit:records",
        _no_kwargs,
        (Op("GET", roles(*AUDIT_READERS), shows=in_scope("audit")),),
        gate=roles(*AUDIT_READERS),
    ),
    Entry(
        "api-audit-records",
        _no_kwargs,
        # everyone may ask; only the readers get rows (the others an empty list)
        (
            Op(
                "GET",
                data=_d(page_size=500),
                shows=lambda w, r, p: in_scope("audit")(w, r, p) if r in AUDIT_READERS else set(),
            ),
        ),
    ),
]

# URLs whose authorization is tested elsewhere (the reason says where); they are
# still in the anonymous sweep below.
ELSEWHERE: dict[str, str] = {
    "healthz": "public liveness probe (tests/core/test_api.py)",
    "login": "Django's login view (tests/core/test_pages.py)",
    "logout": "Django's logout view (tests/core/test_pages.py)",
    "set_language": "Django's language switch: sets a cookie only",
    "api-schema": "OpenAPI schema, no court data (tests/core/test_schema.py)",
    "api-docs": "Swagger UI, no court data (tests/core/test_schema.py)",
}
DELEGATED_NAMESPACES = {
    "admin": "Django admin: is_staff only (core.permissions 'core.open_admin'), tests/core",
    "dualcheck": "一案双查 pages: tests/dualcheck/test_permission_matrix.py",
}
DELEGATED_PREFIXES = {"api-dualcheck-": "一案双查 REST: tests/dualcheck/test_permission_matrix.py"}

# Known defects found by this matrix whose fix lies outside the files of this
# suite's owner: (entry name, method, role, position) → what is wrong. A listed
# case that behaves fails the test, so the entry is removed when it is fixed.
KNOWN: dict[tuple[str, str, str, str], str] = {}
# (entry name, method) → what is wrong, for ``test_methods_not_answered``
KNOWN_METHODS: dict[tuple[str, str], str] = {}

BY_NAME = {e.name: e for e in TABLE}
assert len(BY_NAME) == len(TABLE), "duplicate entries"


# --- the URLconf ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    namespace: str = ""
    callback: Any = field(default=None, compare=False, repr=False)


def url_patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespaces: list[str]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(
                    p.url_patterns,
                    prefix + str(p.pattern),
                    namespaces + ([p.namespace] if p.namespace else []),
                )
            elif isinstance(p, URLPattern):
                name = ":".join([*namespaces, p.name]) if p.name else f"<unnamed {prefix + str(p.pattern)}>"
                found.append(Pattern(name, prefix + str(p.pattern), ":".join(namespaces), p.callback))

    walk(get_resolver().url_patterns, "", [])
    return found


def delegated(pattern: Pattern) -> str | None:
    if pattern.namespace in DELEGATED_NAMESPACES:
        return DELEGATED_NAMESPACES[pattern.namespace]
    return next((why for prefix, why in DELEGATED_PREFIXES.items() if pattern.name.startswith(prefix)), None)


def slug_registries() -> dict[str, set[str]]:
    """The slugs each action URL dispatches on, from the views' own registries."""
    from custody_funds.views import case_actions as funds_views
    from enforcement.views import actions as enforcement_views
    from supervision.views import orders as order_views
    from supervision.views import petitions as petition_views

    def split(actions) -> tuple[set[str], set[str]]:
        return {s for s, a in actions.items() if a.on is None}, {
            s for s, a in actions.items() if a.on is not None
        }

    e_case, e_obj = split(enforcement_views.ACTIONS)
    f_case, f_obj = split(funds_views.ACTIONS)
    return {
        "enforcement:case-action": e_case,
        "enforcement:case-object-action": e_obj,
        "custody_funds:case-action": f_case,
        "custody_funds:case-object-action": f_obj,
        "supervision:order-action": set(order_views.ACTIONS),
        "supervision:petition-action": set(petition_views.ACTIONS),
    }


# --- requests --------------------------------------------------------------------------------------

# Not a change of the world: the session, and the audit trail that records every
# write request whatever its outcome (audit.middleware).
IGNORED_TABLES = {"django_session", "audit_auditrecord"}


def writes() -> dict[str, tuple[int, int, int]]:
    """Inserts, updates and deletes of this transaction so far, per table."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables"
            " WHERE n_tup_ins + n_tup_upd + n_tup_del > 0"
        )
        return {r[0]: tuple(r[1:]) for r in cursor.fetchall() if r[0] not in IGNORED_TABLES}


def diff(before: dict, after: dict) -> list[str]:
    return sorted(t for t in after if after[t] != before.get(t))


_LAST: dict[str, Any] = {
    "writes": None
}  # the counters after the last request (rolled back or not, they stay)


@pytest.fixture(autouse=True)
def _fresh_counters():
    _LAST["writes"] = None
    yield
    _LAST["writes"] = None


def send(w, role: str, position: str, entry: Entry, method: str, data: dict | None, *, undo: bool = True):
    """One request as ``role`` at ``position``, in a savepoint rolled back after it
    (``undo``: a request expected to be refused goes without one — should it write
    anyway, that is reported, and the test's own savepoint undoes it). Returns the
    response and the tables it wrote to."""
    from django.urls import reverse

    path = reverse(entry.url_name, kwargs=entry.kwargs(w))
    client = w.client(role, position) if role != ANONYMOUS else w.client(ANONYMOUS, "own")
    api = path.startswith("/api/")
    if method in SAFE:  # nothing to undo or count: that reads write nothing is not authorization
        response = getattr(client, method.lower())(path, data or {})
        client.cookies.pop("messages", None)
        return response, []
    savepoint = transaction.atomic() if undo else contextlib.nullcontext()
    with savepoint:
        before = _LAST["writes"] if _LAST["writes"] is not None else writes()
        if api:
            response = client.generic(method, path, json.dumps(data or {}), content_type="application/json")
        elif method == "POST":
            response = client.post(path, data or {})
        else:
            from urllib.parse import urlencode

            response = client.generic(
                method, path, urlencode(data or {}), content_type="application/x-www-form-urlencoded"
            )
        after = writes()
        changed = diff(before, after)
        if undo:
            transaction.set_rollback(True)
    _LAST["writes"] = after
    client.cookies.pop("messages", None)
    return response, changed


def text_of(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    ctype = response.get("Content-Type", "")
    if "spreadsheetml" in ctype:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(v)
            for ws in book.worksheets
            for row in ws.iter_rows(values_only=True)
            for v in row
            if v is not None
        )
    text = raw.decode("utf-8", "replace")
    if "json" in ctype:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def queued_messages(response) -> list[tuple[int, str]]:
    storage = getattr(response.wsgi_request, "_messages", None)
    return [(m.level, str(m.message)) for m in getattr(storage, "_queued_messages", [])]


def expected_refusal(entry: Entry, op: Op, role: str, position: str, api: bool):
    if role == ANONYMOUS:
        return 401 if api else LOGIN
    if not api and role == "api_client" and not entry.machines:
        return 403  # the pages are for named people
    if entry.gate is not None and not entry.gate(role, position):
        return 403
    if op.refusal is not None:
        override = op.refusal(role, position)
        if override is not None:
            return override
    if not entry.scope(role, position):
        return 404
    return entry.denied


def judge(
    w, entry: Entry, op: Op, method: str, role: str, position: str, response, changed: list[str]
) -> list[str]:
    """What is wrong with ``response`` (empty: nothing)."""
    from django.contrib import messages as m

    problems: list[str] = []
    api = response.wsgi_request.path.startswith("/api/")
    status = response.status_code
    text = text_of(response) if method != "HEAD" else ""
    found = courts_in(text)
    allowed = w.allowed_courts(role, position, orders=entry.orders) if role != ANONYMOUS else set()
    if found - allowed:
        problems.append(f"rows of {sorted(found - allowed)} in the answer")
    named = courts_named_in(text) - allowed - set(ancestors(COURT_OF[position]))
    if role != ANONYMOUS and named:
        problems.append(f"names {sorted(named)}, courts outside the person's view")
    if status >= 500:
        return [*problems, f"server error {status}"]
    if op.check is not None:
        return problems + op.check(w, role, position, response, changed)
    levels = {level for level, _text in queued_messages(response)}
    # the pages are for named people: a machine client is refused them whatever the table says
    entitled = (
        role != ANONYMOUS and (api or entry.machines or role != "api_client") and op.entitled(role, position)
    )
    if (
        method == "HEAD"
        and status == 405
        and not hasattr(resolve(response.wsgi_request.path).func, "view_class")
    ):
        # a function view that answers GET only (require_GET) refuses HEAD to everyone
        return problems + ([f"HEAD changed {changed}"] if changed else [])
    if entitled:
        if status != op.ok:
            problems.append(f"entitled, but {status} (want {op.ok}): {text_of(response)[:300]!r}")
        elif method in UNSAFE and op.writes and not changed:
            problems.append("entitled and answered success, but nothing changed")
        elif method in UNSAFE and not api and status == 302 and m.ERROR in levels:
            problems.append(f"entitled, but an error message: {queued_messages(response)}")
        if method in SAFE and changed:
            problems.append(f"a read wrote to {changed}")
        if op.shows is not None and method == "GET" and status == op.ok:
            missing = op.shows(w, role, position) - found
            if missing:
                problems.append(f"the rows of {sorted(missing)} are missing")
        return problems
    want = expected_refusal(entry, op, role, position, api)
    if want == LOGIN:
        if status != 302 or not response["Location"].startswith("/login/"):
            problems.append(f"anonymous: {status} {response.get('Location', '')} (want the login page)")
    elif want == BACK:
        back = entry.back(w) if entry.back else ""
        if status != 302 or response["Location"] != back or m.ERROR not in levels or m.SUCCESS in levels:
            problems.append(
                f"{status} {response.get('Location', '')} {queued_messages(response)} (want back to {back} with an error)"
            )
    elif status != want:
        problems.append(f"{status} (want {want}): {text_of(response)[:200]!r}")
    if changed:
        problems.append(f"refused, but wrote to {changed}")
    return problems


# --- the matrix --------------------------------------------------------------------------------------


@pytest.fixture
def _django_db_helper(django_db_setup, django_db_blocker):
    """Each test in a savepoint of the world's transaction — what pytest-django's
    helper of the same name does for a ``django_db`` test, without building a
    ``TestCase`` class around each of two thousand tests (that cost more than many
    of the tests). The ``django_db`` mark stays: it is what has the test database
    set up. (Should pytest-django rename its helper, this one is simply unused.)"""
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield
            transaction.set_rollback(True)


@pytest.fixture(scope="module", autouse=True)
def _lean_requests():
    """Thousands of requests: Django's test instrumentation copies the context of
    every template rendered (for ``response.context``, unused here), and every
    refusal is logged as a warning with its traceback. Neither is under test."""
    import logging

    from django.template import Template
    from django.test.utils import _TestState

    saved = getattr(_TestState, "saved_data", None)
    instrumented = Template._render
    if saved is not None:
        Template._render = saved.template_render
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)  # server errors are still logged
    yield
    logger.setLevel(level)
    Template._render = instrumented


@pytest.fixture(autouse=True)
def _no_throttling(monkeypatch):
    """Thousands of requests a minute from one address: the rate limits (their own
    tests are in tests/core/test_api.py) would answer 429."""
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda self, request, view: True)


CASES = [(entry, op) for entry in TABLE for op in entry.ops]
WHO = [*ROLES, ANONYMOUS]


def heads(op: Op) -> set[tuple[str, str]]:
    """Who also sends HEAD: the first person entitled to ``op`` (also on the pages),
    the first one refused, and the anonymous."""
    people = [(r, p) for r in ROLES if r != "api_client" for p in POSITIONS]
    first = next((x for x in people if op.entitled(*x)), None)
    refused = next((x for x in people if not op.entitled(*x)), None)
    return {x for x in (first, refused, (ANONYMOUS, "own")) if x}


def _positions(role: str) -> tuple[str, ...]:
    return ("own",) if role == ANONYMOUS else POSITIONS


@pytest.mark.parametrize("role", WHO)
@pytest.mark.parametrize(("entry", "op"), CASES, ids=[f"{e.name}-{o.method}" for e, o in CASES])
def test_matrix(w, entry: Entry, op: Op, role: str):
    """``role`` at each of the four courts × one URL × one method (GET with HEAD)."""
    problems, known, fixed = [], [], []
    for position in _positions(role):
        methods = [op.method]
        if op.method == "GET" and (role, position) in heads(op):
            methods.append("HEAD")  # HEAD is GET without the body: once entitled, once refused
        for method in methods:
            data = op.data(w, role, position) if op.data else None
            undo = op.check is not None or (role != ANONYMOUS and op.entitled(role, position))
            response, changed = send(w, role, position, entry, method, data, undo=undo)
            wrong = judge(w, entry, op, method, role, position, response, changed)
            key = (entry.name, method, role, position)
            line = f"{method} {entry.name} as {role}@{position}: " + "; ".join(wrong)
            if key in KNOWN:
                (known if wrong else fixed).append(line)
            elif wrong:
                problems.append(line)
    assert not problems, "\n".join(problems)
    assert not fixed, "a known defect no longer shows, remove it from KNOWN:\n" + "\n".join(fixed)
    if known:
        reasons = sorted(
            {KNOWN[k] for k in KNOWN if k[0] == entry.name and k[1] == op.method and k[2] == role}
        )
        pytest.xfail("\n".join(reasons) + "\n" + "\n".join(known))


ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.mark.parametrize("entry", [e for e in TABLE if not e.any_method], ids=lambda e: e.name)
def test_methods_not_answered(w, entry: Entry):
    """Every method an entry does not declare is refused — 405 to someone entitled
    to the declared ones, so the view really does not answer it — and changes
    nothing. (The anonymous are swept in ``test_the_anonymous``.)"""
    declared = {op.method for op in entry.ops}
    who = next(
        (
            (r, p)
            for op in entry.ops
            for r in ROLES
            for p in POSITIONS
            if op.entitled(r, p) and (r != "api_client" or entry.url_name.startswith("api-"))
        ),
        ("bureau_head", "own"),
    )
    problems, known, fixed = [], [], []
    for method in ALL_METHODS:
        if method not in declared:
            response, changed = send(w, *who, entry, method, {})
            wrong = response.status_code != 405 or changed
            line = f"{method} as {who[0]}@{who[1]}: {response.status_code} {changed}"
            if (entry.name, method) in KNOWN_METHODS:
                (known if wrong else fixed).append(line)
            elif wrong:
                problems.append(line)
    assert not problems, "\n".join(problems)
    assert not fixed, "a known defect no longer shows, remove it from KNOWN_METHODS:\n" + "\n".join(fixed)
    if known:
        pytest.xfail(KNOWN_METHODS[(entry.name, "POST")] + "\n" + "\n".join(known))


# --- every URL is classified -------------------------------------------------------------------------


def test_every_url_is_classified():
    """A URL the matrix does not know fails here, until TABLE says who may use it
    (or ELSEWHERE / the delegations say which suite does)."""
    patterns = url_patterns()
    names = {p.name for p in patterns}
    table = {e.url_name for e in TABLE}
    unknown = sorted(
        p.name for p in patterns if p.name not in table and p.name not in ELSEWHERE and not delegated(p)
    )
    assert not unknown, f"URLs not in the authorization matrix: {unknown}"
    assert not table - names, f"stale entries: {sorted(table - names)}"
    assert not set(ELSEWHERE) - names, f"stale ELSEWHERE entries: {sorted(set(ELSEWHERE) - names)}"
    # the action URLs: every slug their view dispatches on has an entry
    for url, slugs in slug_registries().items():
        covered = {e.slug for e in TABLE if e.url_name == url}
        assert covered == slugs, f"{url}: missing {sorted(slugs - covered)}, stale {sorted(covered - slugs)}"
    # and the matrix really has entries of every app, and the dualcheck URLs are there to delegate
    assert {"dualcheck:board", "api-dualcheck-clues"} <= names
    assert len(TABLE) >= 140


def _fill(route: str) -> str:
    """A path for ``route`` with made-up parameters (the anonymous are refused
    before any lookup)."""

    def value(m: re.Match) -> str:
        conv, name = m.group(1) or "str", m.group(2)
        return {"int": "1", "uuid": str(uuid.uuid4()), "slug": "x", "path": "x"}.get(
            conv, "idle" if name == "kind" else "x"
        )

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", value, route)


# anonymous answers of the public URLs, (GET, POST)
PUBLIC = {
    "healthz": (200, 200),
    "login": (200, None),  # POST would count a failed login (axes)
    "logout": (405, 302),
    "set_language": (302, 302),
    "api-schema": (401, 401),
    "api-docs": (401, 401),
    "admin:index": (302, 302),
    "admin:login": (200, None),
}


def _anonymous_patterns() -> list[Pattern]:
    return [p for p in url_patterns() if p.namespace != "admin" or p.name in PUBLIC]


@pytest.mark.parametrize("pattern", _anonymous_patterns(), ids=lambda p: p.name)
def test_the_anonymous(w, pattern: Pattern):
    """Every URL (dualcheck's and the public ones included): the anonymous get the
    login page (401 on the REST API, 405 for a method the view does not answer),
    a public URL its own answer — and no court's rows, ever."""
    path = _fill(pattern.route)
    api = path.startswith("/api/")
    client = w.client(ANONYMOUS, "own")
    for index, method in enumerate(("GET", "POST")):
        if pattern.name in PUBLIC and PUBLIC[pattern.name][index] is None:
            continue
        with transaction.atomic():
            before = writes()
            response = getattr(client, method.lower())(path, {})
            changed = diff(before, writes())
            transaction.set_rollback(True)
        status = response.status_code
        if pattern.name in PUBLIC:
            want = PUBLIC[pattern.name][index]
            assert status in ((401, 403) if want == 401 else (want,)), (method, status)
        elif api:
            assert status == 401, (method, status)
        else:
            assert status == 405 or (status == 302 and response["Location"].startswith("/login/")), (
                method,
                status,
                response.get("Location"),
            )
        assert not courts_in(text_of(response)), method
        if pattern.name not in ("logout", "set_language"):
            assert not changed, (method, changed)


# --- the specifics the table cannot say ----------------------------------------------------------------


def test_the_alert_is_addressed_as_the_matrix_says(w):
    """``ADDRESSED`` (who may acknowledge) is the alert's own recipients: its
    responsible person and the holders of its post."""
    alert = w.o.alert
    recipients = {
        (r, p)
        for r in ROLES
        for p in POSITIONS
        if w.user(r, p).pk == alert.handler_id or (COURT_OF[p] == alert.to_court.code and r == alert.to_role)
    }
    assert recipients == {(r, p) for r in ROLES for p in POSITIONS if ADDRESSED(r, p)}


def test_the_world_has_markers_everywhere(w):
    for kind, by_court in w.markers.items():
        assert set(by_court) == set(MARKER_COURTS), kind
    assert SUPERVISORY == {"case_supervisor", "bureau_head", "inspector", "court_leader", "admin"}


EXPORT_ROLE = "case_supervisor"


@pytest.mark.parametrize("position", POSITIONS)
def test_every_export_carries_only_the_courts_of_its_requester(w, position):
    """Every registered Excel export (dualcheck's are in its own suite), run as it
    runs in the worker: the file carries no row of a court its requester does
    not see; filtered on 鲁01 it is refused outside 鲁01's view."""
    from openpyxl import load_workbook

    from core.exceptions import ApplicationError
    from core.exports import export_run, export_start, registered
    from core.models import ExportJob

    user = w.user(EXPORT_ROLE, position)
    problems = []
    for key in sorted(k for k in registered() if not k.startswith(("dualcheck.", "tests."))):
        with transaction.atomic():
            job = export_start(user=user, key=key, params={})
            assert export_run(job_id=str(job.pk)) == "done", (key, ExportJob.objects.get(pk=job.pk).error)
            content = bytes(ExportJob.objects.get(pk=job.pk).content)
            transaction.set_rollback(True)
        book = load_workbook(io.BytesIO(content), read_only=True)
        text = "\n".join(
            str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True) for v in row if v
        )
        leaked = courts_in(text) - w.allowed_courts(EXPORT_ROLE, position)
        if leaked:
            problems.append(f"{key}: rows of {sorted(leaked)}")
        refused = None
        try:
            with transaction.atomic():
                export_start(user=user, key=key, params={"court": OBJECT_COURT})
                transaction.set_rollback(True)
        except ApplicationError as exc:
            refused = exc.status_code
        want = None if sees(EXPORT_ROLE, position) else 404
        if refused != want:
            problems.append(f"{key} filtered on 鲁01: {refused} (want {want})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", [r for r in ROLES if r not in DASHBOARD])
def test_exports_of_the_dashboards_are_refused_to_other_roles(w, role):
    from core.exceptions import PermissionDenied
    from core.exports import export_start, registered

    for key in sorted(k for k in registered() if k.startswith("supervision.")):
        with pytest.raises(PermissionDenied):
            export_start(user=w.user(role, "own"), key=key, params={})
