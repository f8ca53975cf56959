from supervision.models.alerts import (
    JOINT_TEAM_POST,
    LEVEL_ORDER,
    Alert,
    AlertLevel,
    SystemNotice,
)
from supervision.models.orders import (
    OPEN_ORDER_STATUSES,
    OrderKind,
    OrderStatus,
    ResponseReview,
    SupervisionOrder,
    SupervisionOrderResponse,
)
from supervision.models.petitions import (
    FeedbackMethod,
    Petition,
    PetitionChannel,
    PetitionerKind,
    PetitionFinding,
    PetitionStatus,
)
from supervision.models.stats import CourtAlertDay, CourtRuleStat

__all__ = [
    "JOINT_TEAM_POST",
    "LEVEL_ORDER",
    "OPEN_ORDER_STATUSES",
    "Alert",
    "AlertLevel",
    "CourtAlertDay",
    "CourtRuleStat",
    "FeedbackMethod",
    "OrderKind",
    "OrderStatus",
    "Petition",
    "PetitionChannel",
    "PetitionFinding",
    "PetitionStatus",
    "PetitionerKind",
    "ResponseReview",
    "SupervisionOrder",
    "SupervisionOrderResponse",
    "SystemNotice",
]
