from core.models.api import ApiToken, IdempotencyRecord
from core.models.calendar import (
    CalendarDay,
    CalendarDayKind,
    CalendarLoad,
    CalendarLoadStatus,
    CalendarYear,
)
from core.models.clocks import (
    Deadline,
    DeadlineExtension,
    DeadlinePause,
    DeadlineRule,
    DeadlineStatus,
    LegalCitation,
    PeriodUnit,
)
from core.models.courts import Court, CourtLevel
from core.models.events import NodeEvent
from core.models.exports import ExportJob, ExportStatus
from core.models.notifications import Notification, NotificationKind
from core.models.outbox import OutboundEmail, PeriodicRun, TaskOutbox
from core.models.people import (
    SUPERVISORY_ROLES,
    Department,
    Membership,
    Role,
    User,
)

__all__ = [
    "SUPERVISORY_ROLES",
    "ApiToken",
    "CalendarDay",
    "CalendarDayKind",
    "CalendarLoad",
    "CalendarLoadStatus",
    "CalendarYear",
    "Court",
    "CourtLevel",
    "Deadline",
    "DeadlineExtension",
    "DeadlinePause",
    "DeadlineRule",
    "DeadlineStatus",
    "Department",
    "ExportJob",
    "ExportStatus",
    "IdempotencyRecord",
    "LegalCitation",
    "Membership",
    "NodeEvent",
    "Notification",
    "NotificationKind",
    "OutboundEmail",
    "PeriodUnit",
    "PeriodicRun",
    "Role",
    "TaskOutbox",
    "User",
]
