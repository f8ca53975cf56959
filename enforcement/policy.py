"""Who may do what on which case, in which state — the one place that says it.

Services call these before acting (and raise the refusal); the case page calls the
same ones to decide which forms it offers. Court scoping (who sees a case at all)
is the selectors' job; these answer for a case the user already sees."""

from core.models import Court, Role, User
from core.selectors import user_has_role_at, user_has_role_over
from enforcement.models import (
    Approval,
    ApprovalStatus,
    Asset,
    AssetSearch,
    AssetStatus,
    Case,
    CaseStatus,
    ClosureType,
    ClueStatus,
    ControlMeasure,
    ControlStatus,
    CreditMeasure,
    CreditStatus,
    Disposal,
    DisposalStatus,
    ObjectionStatus,
    PropertyClue,
    SearchStatus,
    SeizureObjection,
    SelfDisposal,
    SelfDisposalStatus,
    SplitSeizure,
    SplitStatus,
)

# Roles that register and progress cases at their own court.
ACTING_ROLES = frozenset({Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD, Role.API_CLIENT})
# Roles that decide approvals (超标的查封, 延长期限, 终本) at the case's court or above.
APPROVER_ROLES = (Role.BUREAU_HEAD, Role.COURT_LEADER)


# --- who ---------------------------------------------------------------------------------


def can_act_at(user: User, court: Court) -> bool:
    """Registering and progressing cases is for the clerk, handler, bureau head and
    machine clients of the case's own court; supervisors watch, they do not act."""
    return user_has_role_at(user, court, ACTING_ROLES)


def can_act_on(user: User, case: Case) -> bool:
    return can_act_at(user, case.court)


def can_approve(user: User, case: Case) -> bool:
    """The bureau head or a court leader of the case's court or a court above."""
    return user_has_role_over(user, case.court, APPROVER_ROLES)


def can_decide(user: User, approval: Approval) -> bool:
    """A pending request, by an approver who did not ask for it (maker ≠ checker)."""
    return (
        approval.status == ApprovalStatus.PENDING
        and approval.requested_by_id != user.pk
        and can_approve(user, approval.case)
    )


# --- which state ---------------------------------------------------------------------------
# The state conditions of each node. The services refuse the same states through
# the models' transitions; these let the page offer only what can succeed.


def is_open(case: Case) -> bool:
    """Open for enforcement nodes: not closed, and not ``closing`` (a 终本 ruling being served,
    when only service, credit and control-measure nodes are recorded)."""
    return case.status not in (CaseStatus.CLOSED, CaseStatus.CLOSING)


def is_closing(case: Case) -> bool:
    return case.status == CaseStatus.CLOSING


def is_terminated(case: Case) -> bool:
    """Closed by 终结本次执行程序 (终本): searched again, restorable."""
    return case.status == CaseStatus.CLOSED and case.closure_type == ClosureType.TERMINATED_THIS_ROUND


# Closures a case type may not take (lifecycle spec §5): 财产保全执行 (执保) ends when the
# preservation is done, lifted or withdrawn — never by 终结本次执行程序.
CLOSURES_NOT_FOR_TYPE: dict[str, frozenset[str]] = {"执保": frozenset({ClosureType.TERMINATED_THIS_ROUND})}


def closure_allowed_for_type(case: Case, closure: str) -> bool:
    return closure not in CLOSURES_NOT_FOR_TYPE.get(case.type_code, frozenset())


def can_serve_notice(user: User, case: Case) -> bool:
    return can_act_on(user, case) and is_open(case) and case.notice_served_at is None


def can_launch_search(user: User, case: Case) -> bool:
    """Open cases, and 终本 cases for the periodic re-search (终本规定 §9)."""
    return can_act_on(user, case) and (is_open(case) or is_terminated(case))


def can_progress(user: User, case: Case) -> bool:
    """Nodes allowed on any open case: clues, interviews, track, approvals, closing."""
    return can_act_on(user, case) and is_open(case)


def can_record_fulfilment(user: User, case: Case) -> bool:
    return can_progress(user, case) and case.fulfilled_at is None


def can_suspend(user: User, case: Case) -> bool:
    return can_act_on(user, case) and case.status == CaseStatus.EXECUTING


def can_resume(user: User, case: Case) -> bool:
    return can_act_on(user, case) and case.status == CaseStatus.SUSPENDED


def can_restore(user: User, case: Case) -> bool:
    return can_act_on(user, case) and is_terminated(case)


def can_control(user: User, asset: Asset) -> bool:
    return can_progress(user, asset.case) and asset.status in (AssetStatus.FOUND, AssetStatus.RELEASED)


def can_mark_uncontrollable(user: User, asset: Asset) -> bool:
    # h/gateprop: an uncontrollable asset may be given a reason from the closed list again
    return can_act_on(user, asset.case) and asset.status in (AssetStatus.FOUND, AssetStatus.UNCONTROLLABLE)


def can_start_disposal(user: User, asset: Asset) -> bool:
    return (
        can_progress(user, asset.case)
        and asset.status in (AssetStatus.CONTROLLED, AssetStatus.UNSOLD)
        and asset.category.needs_disposal
    )


def can_allow_self_disposal(user: User, asset: Asset) -> bool:
    return can_progress(user, asset.case) and asset.status == AssetStatus.CONTROLLED and asset.category.needs_disposal


def can_fix_price(user: User, disposal: Disposal) -> bool:
    return can_act_on(user, disposal.case) and disposal.status == DisposalStatus.PRICE_PENDING


def can_launch_auction(user: User, disposal: Disposal) -> bool:
    return can_act_on(user, disposal.case) and disposal.status == DisposalStatus.PRICE_FIXED


def can_conclude_disposal(user: User, disposal: Disposal) -> bool:
    return can_act_on(user, disposal.case) and disposal.status == DisposalStatus.AUCTION


def can_conclude_self_disposal(user: User, self_disposal: SelfDisposal) -> bool:
    return can_act_on(user, self_disposal.case) and self_disposal.status == SelfDisposalStatus.ALLOWED


def can_change_control(user: User, measure: ControlMeasure) -> bool:
    """续行 or 解除 an active measure."""
    return can_act_on(user, measure.case) and measure.status == ControlStatus.ACTIVE


def can_start_property_clue_verification(user: User, clue: PropertyClue) -> bool:
    return can_act_on(user, clue.case) and clue.status == ClueStatus.RECEIVED


def can_conclude_property_clue(user: User, clue: PropertyClue) -> bool:
    return can_act_on(user, clue.case) and clue.status == ClueStatus.VERIFYING


def can_release_credit(user: User, measure: CreditMeasure) -> bool:
    return can_act_on(user, measure.case) and measure.status == CreditStatus.ISSUED


def can_record_feedback(user: User, search: AssetSearch) -> bool:
    return can_act_on(user, search.case) and search.status == SearchStatus.LAUNCHED


# --- h/gateprop: the property rows of the 终本 gate (spec §3 #6–#13) ---------------------------


def can_link_clue_asset(user: User, clue: PropertyClue) -> bool:
    """A clue found true names the asset it found (322号 §13)."""
    return can_act_on(user, clue.case) and clue.status == ClueStatus.TRUE and clue.asset_id is None


def can_record_waiting_seizure(user: User, asset: Asset) -> bool:
    return can_progress(user, asset.case) and asset.status in (AssetStatus.FOUND, AssetStatus.CONTROLLED)


def can_request_priority_transfer(user: User, asset: Asset) -> bool:
    return can_progress(user, asset.case) and asset.waiting_seizure and asset.applicant_priority


def can_record_offset_refusal(user: User, asset: Asset) -> bool:
    """以物抵债 is offered on an asset a sale left unsold."""
    return can_progress(user, asset.case) and asset.status == AssetStatus.UNSOLD


def can_answer_priority_transfer(user: User, request) -> bool:  # PriorityTransferRequest
    return can_progress(user, request.case) and request.answered_at is None


# --- 强制措施与调查措施 register (h/coercion) -------------------------------------------------


def can_record_coercion(user: User, case: Case) -> bool:
    """Register entries, findings and applications: the acting roles, on an open case or a 终本
    case (evasion found by the periodic re-search is recorded and sanctioned there)."""
    return can_act_on(user, case) and (is_open(case) or is_terminated(case))


def can_decide_application(user: User, application) -> bool:  # MeasureApplication (avoids an import cycle)
    return can_record_coercion(user, application.case) and application.status == "pending"


def can_record_referral_outcome(user: User, entry) -> bool:  # CoercionEntry
    """The outcome of a 拒执 referral arrives after the case may have closed (终本 included)."""
    return can_act_on(user, entry.case) and entry.kind == "refusal_crime_referral"


def is_not_sanctioned_decider(user: User, case: Case) -> bool:
    """``obstruction.not_sanctioned``: the bureau head of the case's court, never its handler."""
    return user_has_role_at(user, case.court, (Role.BUREAU_HEAD,)) and user.pk != case.handler_id


def can_decide_not_sanctioned(user: User, case: Case) -> bool:
    return (is_open(case) or is_terminated(case)) and is_not_sanctioned_decider(user, case)


def can_record_service(user: User, case: Case) -> bool:
    """送达 (h/gateproc): on an open case, and on a ``closing`` one (the 终本 ruling)."""
    return can_act_on(user, case) and (is_open(case) or is_closing(case))


# --- 超标的查封异议 and 分割查封 (322号 §15) ---------------------------------------------------


def can_file_seizure_objection(user: User, measure: ControlMeasure) -> bool:
    """Record a party's 超标的查封异议 against an active measure."""
    return can_act_on(user, measure.case) and measure.status == ControlStatus.ACTIVE


def can_decide_seizure_objection(user: User, objection: SeizureObjection) -> bool:
    """Record the ruling on a pending objection."""
    return can_act_on(user, objection.case) and objection.status == ObjectionStatus.PENDING


def can_release_excess(user: User, measure: ControlMeasure) -> bool:
    """解除超标的部分: an active measure held whole (or over its share)."""
    return can_act_on(user, measure.case) and measure.status == ControlStatus.ACTIVE


def can_progress_split(user: User, split: SplitSeizure) -> bool:
    return can_act_on(user, split.case) and split.status == SplitStatus.OPEN
