from supervision.models.alerts import (
    LEVEL_ORDER,
    Alert,
    AlertLevel,
    CourtScan,
    SystemNotice,
)
from supervision.models.stats import CourtAlertDay, CourtRuleStat

__all__ = [
    "LEVEL_ORDER",
    "Alert",
    "AlertLevel",
    "CourtAlertDay",
    "CourtRuleStat",
    "CourtScan",
    "SystemNotice",
]
