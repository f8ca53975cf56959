"""Who may do what with case funds, in which state — the one place that says it.

``require_*`` raise the refusal the services give (``PermissionDenied`` with its
message and code); the services call them after locking the row. ``can_*`` say
whether an action is open to the user now (the rule, and the state the model's
transition accepts: ``django_fsm.can_proceed``); the pages show a button only then.
The services check again, under the lock, with the same functions."""

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from core.exceptions import PermissionDenied
from core.models import Court, Role, User
from core.selectors import user_has_role_at, user_has_role_over
from custody_funds.models import Disbursement, FundsHold, HoldKind, Receipt
from enforcement.models import Case, CaseStatus

# 到账登记、不明款匹配: finance and the enforcement staff of the receiving court.
MATCHERS = (Role.FINANCE, Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD, Role.API_CLIENT)
# The people among them (the browser's cash receipts: 双人经手).
RECORDERS = tuple(r for r in MATCHERS if r != Role.API_CLIENT)
# 起草、提交、通知财务、撤销 payments, 延缓发放/提存 requests: the case's court.
DRAFTERS = (Role.HANDLER, Role.CLERK, Role.BUREAU_HEAD, Role.API_CLIENT)
# The people among them: only a person records an applicant's written request to be
# paid to another account (322号 §20; issue 17).
PERSON_DRAFTERS = tuple(r for r in DRAFTERS if r != Role.API_CLIENT)
# 审批 (payments, holds): the bureau head or a court leader, of the court or above it.
APPROVERS = (Role.BUREAU_HEAD, Role.COURT_LEADER)


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


# Money matched to a case in these states needs an explicit confirmation with a reason:
# 已结案 (执行完毕, 终本, 终结…) and 终本裁定送达中. Usually it belongs to another case,
# or it is a reason to 恢复执行; the matcher says which.
CLOSED_FOR_MATCHING = (CaseStatus.CLOSED, CaseStatus.CLOSING)


def case_closed_for_matching(case: Case) -> bool:
    return case.status in CLOSED_FOR_MATCHING


def case_state_label(case: Case) -> str:
    """The case's state in words, with how it closed: 已结案（终结本次执行程序）."""
    label = str(case.get_status_display())
    if case.closure_type:
        label += f"（{case.get_closure_type_display()}）"
    return label


# --- the rules, as refusals ------------------------------------------------------------------


def require_role_at(user: User, court: Court, roles: tuple[str, ...]) -> None:
    if not user_has_role_at(user, court, roles):
        raise PermissionDenied(_("您在该法院没有办理此事项的角色。"))


def require_record_receipts(user: User, court: Court) -> None:
    require_role_at(user, court, MATCHERS)


def require_match_receipts(user: User, court: Court) -> None:
    # the case supervisor watches the age of 不明款 and may match them too
    require_role_at(user, court, MATCHERS + (Role.CASE_SUPERVISOR,))


def require_handle_funds(user: User, court: Court) -> None:
    """Drafting, submitting, notifying finance, cancelling; asking for and ending holds."""
    require_role_at(user, court, DRAFTERS)


def require_record_account_change(user: User, court: Court) -> None:
    """Recording the applicant's written request to be paid to another account: a
    person of the case's court; an API client never redirects a payout (issue 17)."""
    if not user_has_role_at(user, court, PERSON_DRAFTERS):
        raise PermissionDenied(
            _("变更收款账户须由本院工作人员登记申请执行人的书面申请（322号第20条），接口不能提交账户变更。"),
            code="account_change_by_person_only",
        )


def require_decide_disbursement(user: User, disbursement: Disbursement, *, rejecting: bool = False) -> None:
    """执行局长审批: never the drafter (maker ≠ checker); API clients never approve."""
    if not user_has_role_over(user, disbursement.case.court, APPROVERS):
        if rejecting:
            raise PermissionDenied(_("只有执行局长、院领导可以驳回。"))
        raise PermissionDenied(_("只有本院或上级法院的执行局长、院领导可以审批案款发放。"))
    if user.pk == disbursement.drafted_by_id:
        raise PermissionDenied(_("审批人不能审批自己起草的发放。"), code="maker_checker")


def require_pay(user: User, disbursement: Disbursement) -> None:
    """财务发放 (322号 §22), by the court's finance."""
    if not user_has_role_at(user, disbursement.case.court, [Role.FINANCE]):
        raise PermissionDenied(_("案款由本院财务部门发放。"))
    if user.pk in (disbursement.drafted_by_id, disbursement.approved_by_id):
        # Segregation of duties: whoever drafted or approved a payment never also pays it.
        raise PermissionDenied(_("起草或批准这笔发放的人不能同时办理付款。"), code="maker_checker")


def require_decide_hold(user: User, hold: FundsHold) -> None:
    """延缓发放、提存 are approved by the bureau head (maker ≠ checker)."""
    if not user_has_role_over(user, hold.case.court, APPROVERS):
        raise PermissionDenied(_("只有本院或上级法院的执行局长、院领导可以审批。"))
    if user.pk == hold.requested_by_id:
        raise PermissionDenied(_("审批人不能审批自己提出的申请。"), code="maker_checker")


# --- who holds which part at a court (the page's summary) -------------------------------------


def can_record_receipts(user: User, court: Court) -> bool:
    return _allowed(require_record_receipts, user, court)


def can_handle_funds(user: User, court: Court) -> bool:
    return _allowed(require_handle_funds, user, court)


def is_approver_over(user: User, court: Court) -> bool:
    return user_has_role_over(user, court, APPROVERS)


def is_finance_at(user: User, court: Court) -> bool:
    return user_has_role_at(user, court, (Role.FINANCE,))


def made_by(user: User, obj: Disbursement | FundsHold) -> bool:
    """The user drafted the payment or asked for the hold (the maker)."""
    if isinstance(obj, FundsHold):
        return obj.requested_by_id == user.pk
    if isinstance(obj, Disbursement):
        return obj.drafted_by_id == user.pk
    return False


# --- one action on one object, now ------------------------------------------------------------


def can_match_receipt(user: User, receipt: Receipt) -> bool:
    return _allowed(require_match_receipts, user, receipt.court) and can_proceed(receipt.match)


def can_draft_disbursement(user: User, case: Case) -> bool:
    return can_handle_funds(user, case.court)


def can_request_hold(user: User, case: Case) -> bool:
    return can_handle_funds(user, case.court)


def can_submit_disbursement(user: User, disbursement: Disbursement) -> bool:
    return can_handle_funds(user, disbursement.case.court) and can_proceed(disbursement.submit)


def can_approve_disbursement(user: User, disbursement: Disbursement) -> bool:
    return _allowed(require_decide_disbursement, user, disbursement) and can_proceed(disbursement.approve)


def can_reject_disbursement(user: User, disbursement: Disbursement) -> bool:
    return _allowed(require_decide_disbursement, user, disbursement) and can_proceed(disbursement.reject)


def can_notify_disbursement(user: User, disbursement: Disbursement) -> bool:
    return can_handle_funds(user, disbursement.case.court) and can_proceed(disbursement.notify_finance)


def can_pay_disbursement(user: User, disbursement: Disbursement) -> bool:
    return _allowed(require_pay, user, disbursement) and can_proceed(disbursement.pay)


def can_cancel_disbursement(user: User, disbursement: Disbursement) -> bool:
    return can_handle_funds(user, disbursement.case.court) and can_proceed(disbursement.cancel)


def can_approve_hold(user: User, hold: FundsHold) -> bool:
    return _allowed(require_decide_hold, user, hold) and can_proceed(hold.approve)


def can_reject_hold(user: User, hold: FundsHold) -> bool:
    return _allowed(require_decide_hold, user, hold) and can_proceed(hold.reject)


def can_release_hold(user: User, hold: FundsHold) -> bool:
    """Only a delay ends (提存不能解除)."""
    return can_handle_funds(user, hold.case.court) and hold.kind == HoldKind.DELAY and can_proceed(hold.release)
