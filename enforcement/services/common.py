"""What every enforcement service shares: the open-case check, the first node that
starts execution, and recording the node (the case itself is locked and the actor
authorised by ``selectors.case_get_for_update``)."""

import datetime as dt
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.exceptions import InvalidTransition
from core.models import NodeEvent, User
from core.services.events import event_saver, node_event_build, node_time_check
from enforcement.models import Case, CaseStatus
from enforcement.policy import is_open


def require_open(case: Case) -> None:
    if case.status == CaseStatus.CLOSING:
        raise InvalidTransition(
            _("终本裁定正在送达，只能登记送达、信用惩戒和控制措施。"), extra={"status": case.status}
        )
    if not is_open(case):
        raise InvalidTransition(_("案件已结案，不能再办理该事项。"), extra={"status": case.status})


def require_open_or_closing(case: Case) -> None:
    """Credit and control-measure nodes: also while a 终本 ruling is being served."""
    if case.status != CaseStatus.CLOSING:
        require_open(case)


def start_if_received(case: Case) -> None:
    """The first execution node moves a received case to executing."""
    if case.status == CaseStatus.RECEIVED:
        case.start()
        case.save(update_fields=["status", "updated_at"])


def node_build(
    *,
    case: Case,
    kind: str,
    occurred_at: dt.datetime,
    actor: User | None,
    subject: models.Model | None = None,
    payload: dict[str, Any] | None = None,
) -> NodeEvent:
    """The case's node event, not yet saved (``record_node`` saves it; bulk
    registration saves many at once). Refuses a node dated in the future; flags a
    backdated one (双查规定 §6)."""
    flags = node_time_check(occurred_at, actor=actor)
    return node_event_build(
        kind=kind,
        court=case.court,
        case=case,
        occurred_at=occurred_at,
        actor=actor,
        subject=subject or case,
        subject_label=str(case) if subject is None else f"{case} · {subject}",
        payload=payload,
        flags=flags,
    )


# Record the case's node (``node_build``'s arguments) in the caller's transaction.
record_node = event_saver(node_build)


def check_time(occurred_at: dt.datetime) -> None:
    """Validate a node time before anything is written."""
    node_time_check(occurred_at)
