"""The authorization table of enforcement: its pages, the actions of a case page
(one entry per action slug), and its REST endpoints."""

from tests.security.authz.engine import (
    Entry,
    Op,
    at_own,
    over,
    roles,
    sees,
)
from tests.security.authz.vocab import (
    ACTING,
    APPROVERS,
    _d,
    _no_kwargs,
    api_action,
    body_court_refusal,
    bulk_check,
    case_form,
    case_json,
    case_kwargs,
    form_now,
    in_scope,
    iso_now,
    obj_kwargs,
    own_court,
    page_action,
)

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
    # on a case no clock holds open (the main case has money and a freeze: LIFECYCLE
    # refuses its closure, which tests/enforcement/test_clock_lifecycle.py tests)
    page_action(
        "close", _d(closure="withdrawn", closed_at=lambda w: form_now(), document=""), at_own(*ACTING),
        case="fresh",
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
        _d(kind="seize_movable", amount="", effective_at=lambda w: form_now(), estimated_value="1000",
           estimate_basis="registry_or_contract", estimate_note="登记价",
           override_approval=lambda w: w.o.over_seizure_override.pk),
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
    # 超标的查封异议 and 分割查封 (322号 §15; h/overseize)
    page_action(
        "objection",
        _d(party=lambda w: w.o.respondent.pk, filed_at=lambda w: form_now(), grounds="冻结超标的"),
        at_own(*ACTING),
        obj=("measure", "measure"),
    ),
    page_action(
        "objection-decide",
        _d(ruling="dismissed", decided_at=lambda w: form_now(), note="未明显超标的"),
        at_own(*ACTING),
        obj=("measure", "house_measure"),
    ),
    page_action(
        "release-excess",
        _d(at=lambda w: form_now(), share="30% 份额", share_value="3000", reason="分割登记完成"),
        at_own(*ACTING),
        obj=("measure", "house_measure"),
    ),
    page_action(
        "split-progress", _d(at=lambda w: form_now(), step="applied"), at_own(*ACTING), obj=("measure", "house_measure")
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


TABLE: list[Entry] = [
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
    api_action("api-case-close", case_kwargs("fresh"), _d(closure="withdrawn"), at_own(*ACTING, "api_client")),
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
        _d(asset=lambda w: w.o.asset_found2.pk, kind="seize_movable", effective_at=lambda w: iso_now(),
           estimated_value="1000.00", estimate_basis="registry_or_contract", estimate_note="登记价",
           override_approval=lambda w: w.o.over_seizure_override.pk),
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
    # 超标的查封异议 and 分割查封 (322号 §15; h/overseize)
    Entry("api-case-seizure-objections", case_kwargs(), (Op("GET", sees),), scope=sees),
    api_action(
        "api-control-objections",
        obj_kwargs("measure_id", "measure"),
        _d(party=lambda w: w.o.respondent.pk, filed_at=lambda w: iso_now(), grounds="冻结超标的"),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-objection-decide",
        obj_kwargs("objection_id", "seizure_objection"),
        _d(ruling="dismissed", decided_at=lambda w: iso_now(), note="未明显超标的"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-control-release-excess",
        obj_kwargs("measure_id", "house_measure"),
        _d(share="30% 份额", share_value="3000.00", reason="分割登记完成"),
        at_own(*ACTING, "api_client"),
    ),
    api_action("api-split-progress", obj_kwargs("split_id", "split"), _d(step="applied"), at_own(*ACTING, "api_client")),
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
]


def slugs() -> dict[str, set[str]]:
    """The slugs the case-page action URLs dispatch on, from the views' own registry."""
    from enforcement.views import actions as views

    return {
        "enforcement:case-action": {s for s, a in views.ACTIONS.items() if a.on is None},
        "enforcement:case-object-action": {s for s, a in views.ACTIONS.items() if a.on is not None},
    }
