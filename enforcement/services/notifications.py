"""The in-app notifications raised by enforcement's services (issue 16): a case
assigned to its handler, a request waiting for the bureau heads, a request decided.
Called inside the service's transaction; ``core.services.notifications.notify``
never tells the person who acted."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import NotificationKind, Role, User
from core.selectors import role_holders_up_from
from core.services.notifications import Note, in_site_language, notify, notify_many
from enforcement.models import Approval, ApprovalStatus, Case
from enforcement.policy import APPROVER_ROLES


def case_url(case: Case) -> str:
    return reverse("enforcement:case-detail", args=[case.pk])


def _case_assigned_note(*, case: Case, handler: User | None, actor: User | None) -> Note | None:
    if handler is None:
        return None
    return Note(
        recipients=[handler],
        actor=actor,
        kind=NotificationKind.CASE_ASSIGNED,
        title=_("案件 %(n)s 已分配给您承办") % {"n": case.case_number},
        body=_("分配人：%(who)s。请查看案件的期限与待办事项。") % {"who": actor or _("系统")},
        link=case_url(case),
        court=case.court,
        subject=case,
    )


@in_site_language
def notify_case_assigned(*, case: Case, handler: User | None, actor: User | None) -> None:
    """承办人 set or changed: the new handler is told (not the one who assigned)."""
    note = _case_assigned_note(case=case, handler=handler, actor=actor)
    if note is not None:
        notify_many([note])


@in_site_language
def notify_cases_assigned(*, assignments: list[tuple[Case, User | None]], actor: User | None) -> None:
    """``notify_case_assigned`` for the cases of a bulk registration, at once."""
    notes = [_case_assigned_note(case=case, handler=handler, actor=actor) for case, handler in assignments]
    notify_many([note for note in notes if note is not None])


def approvers_to_tell(case: Case, *, requester: int | None) -> list[int]:
    """Whom a request for approval is sent to — people who may decide it
    (``policy.can_approve``: a bureau head or court leader of the case's court or a
    court above), never the requester: the bureau heads of the case's court; if it has
    none, its court leaders; if it has neither, the approvers of the nearest court
    above that has one. A request nobody is told of would wait unseen."""
    holders = [row for row in role_holders_up_from(case.court, APPROVER_ROLES) if row[2] != requester]
    own_depth = case.court.depth
    own = [row for row in holders if row[0] == own_depth]
    for role in (Role.BUREAU_HEAD, Role.COURT_LEADER):
        found = [user for _depth, held, user in own if held == role]
        if found:
            return found
    above = [row for row in holders if row[0] < own_depth]
    if not above:
        return []
    nearest = above[0][0]
    return sorted({user for depth, _role, user in above if depth == nearest})


@in_site_language
def notify_approval_requested(*, approval: Approval, actor: User) -> None:
    """A request for approval: the approvers ``approvers_to_tell`` names are told."""
    case = approval.case
    notify(
        recipients=approvers_to_tell(case, requester=approval.requested_by_id),
        actor=actor,
        kind=NotificationKind.APPROVAL_REQUESTED,
        title=_("%(k)s待您审批：%(n)s") % {"k": approval.get_kind_display(), "n": case.case_number},
        body=_("申请人：%(who)s。理由：%(r)s") % {"who": actor, "r": approval.reason},
        link=reverse("enforcement:approvals"),
        court=case.court,
        subject=approval,
    )


@in_site_language
def notify_approval_decided(*, approval: Approval, actor: User) -> None:
    """The requester is told the decision (never the decider)."""
    case = approval.case
    approved = approval.status in (ApprovalStatus.APPROVED, ApprovalStatus.USED)
    title = _("您的%(k)s已批准：%(n)s") if approved else _("您的%(k)s已驳回：%(n)s")
    note = approval.decision_note.strip()
    notify(
        recipients=[approval.requested_by_id],
        actor=actor,
        kind=NotificationKind.REQUEST_DECIDED,
        title=title % {"k": approval.get_kind_display(), "n": case.case_number},
        body=_("审批人：%(who)s。") % {"who": actor}
        + (_("审批意见：%(note)s") % {"note": note} if note else ""),
        link=case_url(case),
        court=case.court,
        subject=approval,
    )
