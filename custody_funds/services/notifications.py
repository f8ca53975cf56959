"""The in-app notifications raised by the case-funds services (issue 16): a
disbursement or a 延缓发放/提存 request waiting for the bureau heads, and its
requester told the decision. Called inside the service's transaction; the person
who acted is never told (``core.services.notifications.notify``)."""

from typing import cast

from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import NotificationKind, Role, User
from core.money import money_text
from core.selectors import users_with_roles_at
from core.services.notifications import in_site_language, notify
from custody_funds.models import Disbursement, FundsHold


def _funds_url(case_id: int) -> str:
    return reverse("custody_funds:case", args=[case_id])


def _what(obj: Disbursement | FundsHold) -> str:
    if isinstance(obj, FundsHold):
        return str(obj.get_kind_display())
    d = cast(
        Disbursement, obj
    )  # mypy does not narrow models with an untyped base (ConcurrentTransitionMixin)
    return _("案款发放 %(a)s 元（%(p)s）") % {"a": money_text(d.amount), "p": d.holder}


@in_site_language
def notify_funds_request(*, obj: Disbursement | FundsHold, actor: User) -> None:
    """Submitted for approval: the bureau heads of the case's court are told."""
    case = obj.case
    notify(
        recipients=users_with_roles_at([case.court_id], [Role.BUREAU_HEAD]),
        actor=actor,
        kind=NotificationKind.APPROVAL_REQUESTED,
        title=_("%(w)s待您审批：%(n)s") % {"w": _what(obj), "n": case.case_number},
        body=_("申请人：%(who)s。") % {"who": actor},
        link=reverse("custody_funds:approvals"),
        court=case.court,
        subject=obj,
    )


@in_site_language
def notify_funds_decided(
    *, obj: Disbursement | FundsHold, requester_id: int, approved: bool, actor: User
) -> None:
    """The drafter of a disbursement, or the requester of a hold, is told the decision."""
    case = obj.case
    title = _("您申请的%(w)s已批准：%(n)s") if approved else _("您申请的%(w)s已驳回：%(n)s")
    notify(
        recipients=[requester_id],
        actor=actor,
        kind=NotificationKind.REQUEST_DECIDED,
        title=title % {"w": _what(obj), "n": case.case_number},
        body=_("审批人：%(who)s。") % {"who": actor},
        link=_funds_url(case.pk),
        court=case.court,
        subject=obj,
    )
