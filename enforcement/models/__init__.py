from enforcement.models.assets import (
    Asset,
    AssetCategory,
    AssetSearch,
    AssetStatus,
    CourtAssetCategory,
    EstimateBasis,
    SearchChannel,
    SearchStatus,
    UncontrollableReason,
)
from enforcement.models.cases import (
    Approval,
    ApprovalKind,
    ApprovalStatus,
    Case,
    CaseStatus,
    ClosureType,
    Party,
    PartyKind,
    PartyRole,
    PayoutAccount,
    Track,
)
from enforcement.models.gateprop import OffsetRefusal, PriorityTransferRequest, TransferAnswer
from enforcement.models.measures import (
    ClueStatus,
    ControlKind,
    ControlMeasure,
    ControlStatus,
    CreditKind,
    CreditMeasure,
    CreditStatus,
    Disposal,
    DisposalStatus,
    ObjectionRuling,
    ObjectionStatus,
    PriceMethod,
    PropertyClue,
    SaleMode,
    SeizureObjection,
    SelfDisposal,
    SelfDisposalStatus,
    SplitSeizure,
    SplitStatus,
)

__all__ = [
    "Approval",
    "ApprovalKind",
    "ApprovalStatus",
    "Asset",
    "AssetCategory",
    "AssetSearch",
    "AssetStatus",
    "Case",
    "CaseStatus",
    "ClosureType",
    "ClueStatus",
    "ControlKind",
    "ControlMeasure",
    "ControlStatus",
    "CourtAssetCategory",
    "CreditKind",
    "CreditMeasure",
    "CreditStatus",
    "Disposal",
    "DisposalStatus",
    "Party",
    "PartyKind",
    "PartyRole",
    "PayoutAccount",
    "PriceMethod",
    "PropertyClue",
    "SearchChannel",
    "SearchStatus",
    "SelfDisposal",
    "SelfDisposalStatus",
    "Track",
    # --- h/gateprop ---
    "OffsetRefusal",
    "PriorityTransferRequest",
    "SaleMode",
    "TransferAnswer",
    "UncontrollableReason",
]

# h/credit: 失信/限消 per respondent (decision, service, correction, restricted persons)
from enforcement.models.measures import (
    CorrectionOutcome,
    RestrictedPerson,
    RestrictedRole,
    ServiceMethod,
)

__all__ += ["CorrectionOutcome", "RestrictedPerson", "RestrictedRole", "ServiceMethod"]

# --- h/coercion: 强制措施与调查措施 register ---------------------------------------------
from enforcement.models.coercion import (  # noqa: E402
    ApplicationStatus,
    CoercionEntry,
    CoercionFinding,
    CoercionKind,
    FindingKind,
    MeasureApplication,
    ObstructionDecision,
    ReferralOutcome,
    ReferralRoute,
)

__all__ += [
    "ApplicationStatus",
    "CoercionEntry",
    "CoercionFinding",
    "CoercionKind",
    "FindingKind",
    "MeasureApplication",
    "ObstructionDecision",
    "ReferralOutcome",
    "ReferralRoute",
]
from enforcement.models.procedure import (  # noqa: E402
    ApplicantInterview,
    DocumentService,
    DocumentServiceMethod,
    InterviewOpinion,
    PropertyReport,
    PropertyReportOutcome,
    ServedDocument,
)

__all__ += [
    "ApplicantInterview",
    "DocumentService",
    "InterviewOpinion",
    "PropertyReport",
    "PropertyReportOutcome",
    "ServedDocument",
    "DocumentServiceMethod",
    "EstimateBasis",
    "ObjectionRuling",
    "ObjectionStatus",
    "SeizureObjection",
    "SplitSeizure",
    "SplitStatus",
]
