"""Deadline clocks: start, stop, pause, resume, extend, waive, recompute.

``schedule`` computes a clock's due moment and thresholds; ``lifecycle`` holds the
services of one clock's life; ``recompute`` the bulk ones (a calendar change, the
scan's breach marking). The names below are the package's public interface
(``from core.services.clocks import clock_start``), re-exported so that callers do
not depend on the split.
"""

from core.services.clocks.backdate import (
    backdate_review_needed,
    backdate_reviewer_check,
    can_review_backdate,
    clock_backdate_approve,
    clock_backdate_reject,
)
from core.services.clocks.extensions import (
    extension_approver_check,
    extension_policy,
    extension_remaining,
    extension_request_check,
    extension_rows,
    within_extension,
)
from core.services.clocks.lifecycle import (
    APPROVER_ROLES,
    OVERSIGHT_RULES,
    clock_build,
    clock_end_moot,
    clock_extend,
    clock_pause,
    clock_resume,
    clock_start,
    clock_stop,
    clock_waive,
    clocks_start_many,
    clocks_stop_for_subject,
    rules_by_code,
    running_deadlines_for,
)
from core.services.clocks.recompute import (
    RecomputeReport,
    clocks_mark_breached,
    clocks_recompute,
    clocks_recompute_reporting,
)
from core.services.clocks.schedule import SCHEDULE_FIELDS, Schedule, compute_schedule, schedule_apply

__all__ = [
    "APPROVER_ROLES",
    "OVERSIGHT_RULES",
    "SCHEDULE_FIELDS",
    "RecomputeReport",
    "Schedule",
    "clock_end_moot",
    "backdate_review_needed",
    "backdate_reviewer_check",
    "can_review_backdate",
    "clock_backdate_approve",
    "clock_backdate_reject",
    "clock_build",
    "clock_extend",
    "clock_pause",
    "clock_resume",
    "clock_start",
    "clock_stop",
    "clock_waive",
    "clocks_mark_breached",
    "clocks_recompute",
    "clocks_recompute_reporting",
    "clocks_start_many",
    "clocks_stop_for_subject",
    "compute_schedule",
    "extension_approver_check",
    "extension_policy",
    "extension_remaining",
    "extension_request_check",
    "extension_rows",
    "within_extension",
    "rules_by_code",
    "running_deadlines_for",
    "schedule_apply",
]
