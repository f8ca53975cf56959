"""The authorization table of supervision: 督办 orders, petitions (信访), alerts,
the dashboards and their exports — pages (one entry per action slug) and REST."""

from tests.security.authz.engine import (
    BACK,
    Entry,
    Op,
    Pred,
    at_own,
    at_upper,
    either,
    nobody,
    over,
    roles,
    sees,
    sees_order,
)
from tests.security.authz.vocab import (
    CONCLUDERS,
    DASHBOARD,
    FLAGGERS,
    ISSUERS,
    PETITION_STAFF,
    RESPONDERS,
    _d,
    _no_kwargs,
    api_action,
    body_court_refusal,
    form_now,
    in_scope,
    obj_kwargs,
    order_cases,
    own_court,
)
from tests.security.authz.world import COURT_OF


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
# 办结 of ``petition_registered``: it is about 鲁01's main case, whose handler is the
# handler of 鲁01 — who may not conclude a complaint about their own case (403
# ``petition_concluder_conflict``, lifecycle spec §8; the code is checked in
# tests/supervision/test_petitions_feedback.py). The other concluders may.
NOT_CONCERNED = at_own(*(r for r in CONCLUDERS if r != "handler"))
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


TABLE: list[Entry] = [
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
                    ("handler", "sibling"),
                    ("handler", "lower"),
                    ("handler", "upper"),
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
        NOT_CONCERNED,
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
            "api-screening-ruling_unserved",  # h/gateproc
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
        NOT_CONCERNED,
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
]


def slugs() -> dict[str, set[str]]:
    """The slugs the order and petition action URLs dispatch on, from the views' own registries."""
    from supervision.views import orders as order_views
    from supervision.views import petitions as petition_views

    return {
        "supervision:order-action": set(order_views.ACTIONS),
        "supervision:petition-action": set(petition_views.ACTIONS),
    }

# --- h/coercion: 拒执 referrals report, the screening tab of 终本 cases lacking measures --------------
TABLE += [
    Entry(
        "supervision:referrals",
        _no_kwargs,
        (Op("GET", over(*DASHBOARD), data=_d(court="鲁01")),),
        scope=sees,
        gate=roles(*DASHBOARD),
    ),
    *(
        Entry(
            name,
            _no_kwargs,
            (Op("GET", DASHBOARD_READERS, data=_d(court="鲁01")),),
            scope=sees,
            gate=roles(*DASHBOARD, "api_client"),
        )
        for name in ("api-referrals", "api-screening-coercion_missing")
    ),
]
