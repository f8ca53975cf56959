"""What case funds put on 我的待办 (``core.work``): disbursements and 延缓发放/提存
requests waiting for a bureau head's approval, and notified disbursements waiting
for finance to pay (待付, 322号 §22: 5 working days)."""

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.money import money_text
from core.work import WorkItem, WorkSource
from custody_funds.models import DisbursementStatus, FundsHold, HoldStatus
from custody_funds.selectors import disbursements_queue, holds_visible_to, payments_due_for


def _may_approve(user: User) -> bool:
    return user.has_perm("custody_funds.approve")


def _may_pay(user: User) -> bool:
    return user.has_perm("custody_funds.pay")


def _case_url(case_id: int) -> str:
    return reverse("custody_funds:case", args=[case_id])


def _holds_waiting(user: User) -> QuerySet[FundsHold]:
    return holds_visible_to(user).filter(status=HoldStatus.REQUESTED)


def disbursements_waiting_count(user: User) -> int:
    return disbursements_queue(user, status=DisbursementStatus.SUBMITTED).count()


def disbursements_waiting_rows(user: User, limit: int) -> list[WorkItem]:
    url = reverse("custody_funds:approvals")
    qs = disbursements_queue(user, status=DisbursementStatus.SUBMITTED).select_related(
        "case__court", "drafted_by"
    )
    return [
        WorkItem(
            title=_("案款发放审批"),
            url=url,
            case_number=d.case.case_number,
            case_url=_case_url(d.case_id),
            court=d.case.court.name,
            since=d.drafted_at,
            detail=_("%(holder)s %(amount)s 元") % {"holder": d.holder, "amount": money_text(d.amount)},
        )
        for d in qs[:limit]
    ]


def holds_waiting_count(user: User) -> int:
    return _holds_waiting(user).count()


def holds_waiting_rows(user: User, limit: int) -> list[WorkItem]:
    url = reverse("custody_funds:approvals")
    qs = _holds_waiting(user).select_related("case__court", "requested_by").order_by("requested_at", "id")
    return [
        WorkItem(
            title=h.get_kind_display(),
            url=url,
            case_number=h.case.case_number,
            case_url=_case_url(h.case_id),
            court=h.case.court.name,
            since=h.requested_at,
            detail=_("%(who)s 申请") % {"who": h.requested_by},
        )
        for h in qs[:limit]
    ]


def payments_waiting_count(user: User) -> int:
    return payments_due_for(user).count()


def payments_waiting_rows(user: User, limit: int) -> list[WorkItem]:
    url = reverse("custody_funds:finance")
    return [
        WorkItem(
            title=_("支付案款"),
            url=url,
            case_number=d.case.case_number,
            case_url=_case_url(d.case_id),
            court=d.case.court.name,
            since=d.notified_at,
            detail=_("%(holder)s %(amount)s 元") % {"holder": d.holder, "amount": money_text(d.amount)},
        )
        for d in payments_due_for(user)[:limit]
    ]


WORK_SOURCES = (
    WorkSource(
        key="custody_funds.disbursements",
        label=_("案款发放审批"),
        badge="approve",
        list_url="custody_funds:approvals",
        applies=_may_approve,
        count=disbursements_waiting_count,
        rows=disbursements_waiting_rows,
    ),
    WorkSource(
        key="custody_funds.holds",
        label=_("延缓发放、提存审批"),
        badge="approve",
        list_url="custody_funds:approvals",
        applies=_may_approve,
        count=holds_waiting_count,
        rows=holds_waiting_rows,
    ),
    WorkSource(
        key="custody_funds.payments",
        label=_("财务待付"),
        badge="pay",
        list_url="custody_funds:finance",
        applies=_may_pay,
        count=payments_waiting_count,
        rows=payments_waiting_rows,
    ),
)
