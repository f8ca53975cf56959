"""What enforcement puts on 我的待办 (``core.work``): the requests waiting for a
bureau head's or court leader's decision (审批), and the case summaries every
queue row uses to name its case (number, page, parties)."""

from collections.abc import Iterable

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import User
from core.work import CaseSummary, WorkItem, WorkSource
from enforcement.models import Case, Party
from enforcement.selectors import approvals_pending_for


def _may_approve(user: User) -> bool:
    return user.has_perm("enforcement.approve")


def approvals_waiting_count(user: User) -> int:
    return approvals_pending_for(user).count()


def approvals_waiting_rows(user: User, limit: int) -> list[WorkItem]:
    url = reverse("enforcement:approvals")
    return [
        WorkItem(
            title=a.get_kind_display(),
            url=url,
            case_number=a.case.case_number,
            case_url=reverse("enforcement:case-detail", args=[a.case_id]),
            court=a.case.court.name,
            since=a.requested_at,
            detail=_("%(who)s 申请") % {"who": a.requested_by},
        )
        for a in approvals_pending_for(user)[:limit]
    ]


def case_summaries(case_ids: Iterable[int]) -> dict[int, CaseSummary]:
    """Number, page and parties (申请执行人 first) of the cases, in two queries.
    Only names are shown: no ID or phone number."""
    parties = Prefetch(
        "parties", queryset=Party.objects.only("id", "case_id", "name", "role").order_by("role", "pk")
    )
    cases = Case.objects.filter(pk__in=list(case_ids)).prefetch_related(parties)
    return {
        c.pk: CaseSummary(
            number=c.case_number,
            url=reverse("enforcement:case-detail", args=[c.pk]),
            parties=[f"{p.get_role_display()} {p.name}" for p in c.parties.all()],
        )
        for c in cases
    }


WORK_SOURCES = (
    WorkSource(
        key="enforcement.approvals",
        label=_("执行审批"),
        badge="approve",
        list_url="enforcement:approvals",
        applies=_may_approve,
        count=approvals_waiting_count,
        rows=approvals_waiting_rows,
    ),
)
