"""The words the tables of the authorization matrix are written in: the roles
of the product's own policies, bodies, path parameters, the courts a list must
show, and the shapes of the entries several apps share (a case page's action, a
REST action)."""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

from tests.security.authz.engine import (
    ANONYMOUS,
    BACK,
    OBJECT_COURT,
    Entry,
    Op,
    Pred,
    sees,
)
from tests.security.authz.world import CONFIRMED_ACCOUNT, scope_of

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
