"""The authorization table of custody_funds (案款): its pages, the actions of a
case's funds page (one entry per action slug), and its REST endpoints."""

from tests.security.authz.engine import (
    BACK,
    OBJECT_COURT,
    Entry,
    Op,
    at_own,
    at_upper,
    either,
    over,
    roles,
    sees,
)
from tests.security.authz.vocab import (
    APPROVERS,
    DRAFTERS,
    MATCHERS,
    _d,
    _no_kwargs,
    api_action,
    body_court_refusal,
    case_kwargs,
    form_now,
    in_scope,
    iso_now,
    obj_kwargs,
    own_court,
    page_action,
    second_officer,
)
from tests.security.authz.world import CONFIRMED_ACCOUNT, scope_of

# 到账日报 and 对账 (read-only): the world's receipts arrived in September 2026.
SEPTEMBER = {"from": "2026-09-01", "to": "2026-09-30"}
VIEW_RECEIPTS = ("finance", "clerk", "handler", "bureau_head", "case_supervisor", "court_leader")
RECONCILERS = ("finance", "bureau_head", "court_leader", "case_supervisor")
STATEMENT_CSV = "交易日期,金额,流水号,对方户名\n2026-09-15,700.00,MKLU01U001,付款人\n"


def _statement_upload(w):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("statement.csv", STATEMENT_CSV.encode(), content_type="text/csv")


def _statement_base64(w) -> str:
    import base64

    return base64.b64encode(STATEMENT_CSV.encode()).decode()


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


TABLE: list[Entry] = [
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
    Entry(
        "custody_funds:receipts-daily",
        _no_kwargs,
        (Op("GET", roles(*VIEW_RECEIPTS), data=_d(**SEPTEMBER), shows=in_scope("receipt")),),
        gate=roles(*VIEW_RECEIPTS),
    ),
    Entry(
        "custody_funds:reconcile",
        _no_kwargs,
        (
            Op("GET", roles(*RECONCILERS)),
            # the statement of 鲁01's account: only someone who sees 鲁01 may name it (else the form again)
            Op(
                "POST",
                lambda role, position: role in RECONCILERS and sees(role, position),
                200,
                _d(court="鲁01", file=_statement_upload, **SEPTEMBER),
                refusal=lambda role, position: 422,
                writes=False,
                shows=own_court,
            ),
        ),
        gate=roles(*RECONCILERS),
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
    Entry("api-receipts-daily", _no_kwargs, (Op("GET", data=_d(**SEPTEMBER), shows=in_scope("receipt")),)),
    Entry(
        "api-funds-reconciliation-export",
        _no_kwargs,
        (Op("GET", data=_d(**SEPTEMBER), shows=in_scope("receipt")),),
    ),
    Entry(
        "api-funds-reconciliation",
        _no_kwargs,
        (
            Op(
                "POST",
                sees,
                200,
                _d(court="鲁01", filename="statement.csv", content_base64=_statement_base64, **SEPTEMBER),
                refusal=body_court_refusal(api=True),
                writes=False,
                shows=own_court,
            ),
        ),
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
]


def slugs() -> dict[str, set[str]]:
    """The slugs the case-page action URLs dispatch on, from the views' own registry."""
    from custody_funds.views import case_actions as views

    return {
        "custody_funds:case-action": {s for s, a in views.ACTIONS.items() if a.on is None},
        "custody_funds:case-object-action": {s for s, a in views.ACTIONS.items() if a.on is not None},
    }
