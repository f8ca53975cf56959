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


def _suspend_body(now):
    """中止 with its ruling number, approved by the court's 执行局长 — by the deputy
    when the requester is that 执行局长 himself (maker ≠ checker)."""

    def body(w, role=None, position=None):
        approver = w.o.deputy_head if (role, position) == ("bureau_head", "own") else w.user("bureau_head", "own")
        return {"at": now(), "ruling_number": "(2026)鲁01执异2号", "approved_by": approver.pk, "reason": "案外人异议"}

    return body


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
    # 中止 carries its ruling and an approving 执行局长 other than the requester
    page_action("suspend", _suspend_body(form_now), at_own(*ACTING)),
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
    # h/gateproc: the per-party records of the 终本 gate
    page_action(
        "service",
        _d(party=lambda w: w.o.respondent.pk, document="property_order", method="direct", served_at=lambda w: form_now()),
        at_own(*ACTING),
    ),
    page_action(
        "property-report", _d(respondent=lambda w: w.o.respondent.pk, outcome="missing", at=lambda w: form_now()),
        at_own(*ACTING),
    ),
    page_action(
        "applicant-interview",
        _d(applicant=lambda w: w.o.applicant.pk, at=lambda w: form_now(), note="告知终本的依据和后果", opinion="agree"),
        at_own(*ACTING),
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
        _d(at=lambda w: form_now(), reason="车辆下落不明", reason_code="registered_not_seized", evidence="扣押笔录"),
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
    # gate: gateprop
    page_action(
        "clue-asset", _d(at=lambda w: form_now(), category="other", description="某小区车位"), at_own(*ACTING),
        obj=("clue", "clue_true"),
    ),
    page_action(
        "waiting-seizure", _d(at=lambda w: form_now(), first_court="河北省石家庄市长安区人民法院", applicant_priority="on"),
        at_own(*ACTING), obj=("asset", "asset_controlled"),
    ),
    page_action(
        "priority-transfer", _d(at=lambda w: form_now(), letter_no="商请函2号"), at_own(*ACTING),
        obj=("asset", "asset_controlled"),
    ),
    page_action(
        "priority-transfer-answer", _d(at=lambda w: form_now(), agreed="false", note="首封法院不同意移送"),
        at_own(*ACTING), obj=("asset", "asset_controlled"),
    ),
    page_action(
        "offset-refusal",
        _d(at=lambda w: form_now(), applicant=lambda w: w.o.applicant.pk, document="不同意以物抵债确认书"),
        at_own(*ACTING), obj=("asset", "asset_unsold"),
    ),
    page_action(
        "credit-release",
        _d(at=lambda w: form_now(), reason="已履行"),
        at_own(*ACTING),
        obj=("credit", "credit"),
    ),
    # h/credit: 失信/限消 per respondent
    page_action(
        "credit-serve",
        _d(served_at=lambda w: form_now(), method="direct", recipient="被执行人"),
        at_own(*ACTING),
        obj=("credit", "credit"),
    ),
    page_action("credit-correction", _d(at=lambda w: form_now(), reason="错误纳入"), at_own(*ACTING), obj=("credit", "credit")),
    page_action(
        "credit-correction-decide",
        _d(at=lambda w: form_now(), outcome="upheld", reasons="理由不成立"),
        at_own("bureau_head"),
        obj=("credit", "credit_corr"),
        case="third",
    ),
    page_action(
        "credit-urgent-release", _d(at=lambda w: form_now(), reason="出国就医"), at_own(*ACTING),
        obj=("credit", "credit_due"), case="third",
    ),
    page_action(
        "credit-person-add",
        _d(name="实际控制人甲", id_number="370102198001011237", role="actual_controller"),
        at_own(*ACTING),
        obj=("credit", "credit_due"),
        case="third",
    ),
    page_action(
        "credit-person-release", _d(at=lambda w: form_now(), change_record="变更登记（2026）1号"), at_own(*ACTING),
        obj=("person", "person"), case="third",
    ),
    page_action(
        "credit-guarantee", _d(at=lambda w: form_now(), document="担保书"), at_own(*ACTING),
        obj=("respondent", "respondent"),
    ),
    page_action(
        "credit-consent", _d(at=lambda w: form_now(), document="同意书"), at_own(*ACTING),
        obj=("respondent", "respondent"),
    ),
    page_action(
        "dishonest-not-applicable", _d(at=lambda w: form_now(), reason="无失信情形"), at_own(*ACTING),
        obj=("respondent", "respondent"),
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
    api_action("api-case-suspend", case_kwargs(), _suspend_body(iso_now), at_own(*ACTING, "api_client")),
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
        _d(reason="车辆下落不明", reason_code="registered_not_seized", evidence="扣押笔录"),
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
    # gate: gateprop
    api_action(
        "api-asset-waiting-seizure",
        obj_kwargs("asset_id", "asset_controlled"),
        _d(first_court="河北省石家庄市长安区人民法院", applicant_priority=True),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-asset-priority-transfer",
        obj_kwargs("asset_id", "asset_controlled"),
        _d(letter_no="商请函2号"),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-priority-transfer-answer",
        obj_kwargs("transfer_id", "transfer"),
        _d(agreed=False, note="首封法院不同意移送"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-asset-offset-refusals",
        obj_kwargs("asset_id", "asset_unsold"),
        _d(applicant=lambda w: w.o.applicant.pk, document="不同意以物抵债确认书"),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-clue-asset",
        obj_kwargs("clue_id", "clue_true"),
        _d(category="other", description="某小区车位"),
        at_own(*ACTING, "api_client"),
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
    # h/credit: 失信/限消 per respondent
    api_action(
        "api-credit-serve", obj_kwargs("measure_id", "credit"),
        _d(served_at=lambda w: iso_now(), method="direct", recipient="被执行人"), at_own(*ACTING, "api_client"),
    ),
    api_action("api-credit-correction", obj_kwargs("measure_id", "credit"), _d(reason="错误纳入"), at_own(*ACTING, "api_client")),
    api_action(
        "api-credit-correction-decide", obj_kwargs("measure_id", "credit_corr"), _d(outcome="upheld", reasons="理由不成立"),
        at_own("bureau_head"),
    ),
    api_action("api-credit-urgent-release", obj_kwargs("measure_id", "credit_due"), _d(reason="出国就医"), at_own(*ACTING, "api_client")),
    api_action(
        "api-credit-persons", obj_kwargs("measure_id", "credit_due"),
        _d(name="实际控制人甲", id_number="370102198001011237", role="actual_controller"), at_own(*ACTING, "api_client"), ok=201,
    ),
    api_action(
        "api-restricted-person-release", obj_kwargs("person_id", "person"), _d(change_record="变更登记（2026）1号"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-case-credit-guarantee", case_kwargs(), _d(party=lambda w: w.o.respondent.pk, document="担保书"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-case-credit-consent", case_kwargs(), _d(parties=lambda w: [w.o.respondent.pk], document="同意书"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-case-dishonest-na", case_kwargs(), _d(party=lambda w: w.o.respondent.pk, reason="无失信情形"),
        at_own(*ACTING, "api_client"), ok=201,
    ),
    # h/gateproc: the per-party records of the 终本 gate (the public 终本 list: table_core PUBLIC)
    api_action(
        "api-case-services",
        case_kwargs(),
        _d(party=lambda w: w.o.respondent.pk, document="property_order", method="direct", served_at=lambda w: iso_now()),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-case-property-reports",
        case_kwargs(),
        _d(respondent=lambda w: w.o.respondent.pk, outcome="missing"),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-case-applicant-interviews",
        case_kwargs(),
        _d(applicant=lambda w: w.o.applicant.pk, note="告知终本的依据和后果", opinion="agree"),
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


# --- h/coercion: the 强制措施与调查措施 register (section of the case page, REST) -----------------


def _today(w) -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


TABLE += [
    page_action(
        "coercion-entry",
        _d(kind="fine", party=lambda w: w.o.respondent.pk, document_number="(2026)鲁01司惩1号",
           decided_at=lambda w: form_now(), amount="60000"),
        at_own(*ACTING),
        obj=("coercion", "main"),
    ),
    page_action(
        "coercion-finding",
        _d(party=lambda w: w.o.respondent.pk, kind="evasion", found_at=lambda w: form_now(), note="转移财产"),
        at_own(*ACTING),
        obj=("coercion", "main"),
    ),
    page_action(
        "measure-application",
        _d(applicant=lambda w: w.o.applicant.pk, kind="search", applied_at=lambda w: form_now()),
        at_own(*ACTING),
        obj=("coercion", "main"),
    ),
    # the bureau head of the case's court, who is not its handler (spec §3 row #15)
    page_action(
        "not-sanctioned",
        _d(party=lambda w: w.o.respondent.pk, at=lambda w: form_now(), reason="情节轻微，已追回"),
        at_own("bureau_head"),
        obj=("coercion", "main"),
    ),
    page_action(
        "application-decide",
        _d(grant="true", at=lambda w: form_now()),
        at_own(*ACTING),
        obj=("measureapp", "measure_application"),
    ),
    page_action(
        "referral-outcome",
        _d(outcome="filed", outcome_on=_today),
        at_own(*ACTING),
        obj=("coercionentry", "referral"),
    ),
    Entry(
        "api-case-coercion",
        case_kwargs(),
        (
            Op("GET", sees),
            Op(
                "POST",
                at_own(*ACTING, "api_client"),
                201,
                _d(kind="fine", party=lambda w: w.o.respondent.pk, document_number="(2026)鲁01司惩1号",
                   decided_at=lambda w: iso_now(), amount="60000.00"),
            ),
        ),
        scope=sees,
    ),
    api_action(
        "api-case-coercion-findings",
        case_kwargs(),
        _d(party=lambda w: w.o.respondent.pk, kind="whereabouts_unknown", found_at=lambda w: iso_now(), note="失联"),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-case-measure-applications",
        case_kwargs(),
        _d(applicant=lambda w: w.o.applicant.pk, kind="reward", applied_at=lambda w: iso_now()),
        at_own(*ACTING, "api_client"),
        ok=201,
    ),
    api_action(
        "api-case-obstruction-decisions",
        case_kwargs(),
        _d(party=lambda w: w.o.respondent.pk, reason="情节轻微，已追回"),
        at_own("bureau_head"),
        ok=201,
    ),
    api_action(
        "api-coercion-outcome",
        obj_kwargs("entry_id", "referral"),
        _d(outcome="not_filed", outcome_on=_today),
        at_own(*ACTING, "api_client"),
    ),
    api_action(
        "api-measure-application-decide",
        obj_kwargs("application_id", "measure_application"),
        _d(grant=False, reason="无初步证据"),
        at_own(*ACTING, "api_client"),
    ),
]


def slugs() -> dict[str, set[str]]:
    """The slugs the case-page action URLs dispatch on, from the views' own registry."""
    from enforcement.views import actions as views

    return {
        "enforcement:case-action": {s for s, a in views.ACTIONS.items() if a.on is None},
        "enforcement:case-object-action": {s for s, a in views.ACTIONS.items() if a.on is not None},
    }
