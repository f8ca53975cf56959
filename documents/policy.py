"""Who may generate which document, and which documents a case can generate now.

Services call these before generating; the case page and ``GET …/documents/`` call
the same ones to offer only what can succeed."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from core.models import Court, Role, User
from core.selectors import user_has_role_at
from documents import selectors
from documents.kinds import DocumentKind
from enforcement.models import Case, CaseStatus, ClosureType, CreditKind

# 文书 are signed off by the people who handle the case at its own court: the 承办人 and
# the 执行局长, and the court's integrated systems (API.md: a client may do every
# operation of the contract except approvals and payments). The 书记员 registers the
# case, so the 受理通知书 is theirs too; the other documents decide something about the
# respondent or the money, which is the handler's call.
GENERATOR_ROLES = frozenset({Role.HANDLER, Role.BUREAU_HEAD, Role.API_CLIENT})
CLERK_KINDS = frozenset({DocumentKind.ACCEPTANCE_NOTICE})


def can_generate_at(user: User, court: Court, kind: str) -> bool:
    roles = GENERATOR_ROLES | {Role.CLERK} if kind in CLERK_KINDS else GENERATOR_ROLES
    return user_has_role_at(user, court, roles)


@dataclass
class CaseRecords:
    """What a case holds that decides its documents, read once per page or request."""

    case: Case
    _cache: dict = field(default_factory=dict)

    def _get(self, name: str):
        if name not in self._cache:
            self._cache[name] = getattr(selectors, name)(self.case)
        return self._cache[name]

    @property
    def applicants(self) -> list:
        return self._get("applicants")

    @property
    def respondents(self) -> list:
        return self._get("respondents")

    @property
    def restrictions(self) -> list:
        return [m for m in self._get("credit_measures") if m.kind == CreditKind.RESTRICTION]

    @property
    def dishonest(self) -> list:
        return [m for m in self._get("credit_measures") if m.kind == CreditKind.DISHONEST]

    @property
    def controls(self) -> list:
        return self._get("active_controls")

    @property
    def disbursements(self) -> list:
        return self._get("approved_disbursements")

    def subjects(self, kind: str) -> list:
        """The records a document of ``kind`` can be about (newest first); empty for the
        kinds that are about the case as a whole."""
        by_kind: dict[str, list] = {
            DocumentKind.RESTRICTION_ORDER: self.restrictions,
            DocumentKind.DISHONEST_DECISION: self.dishonest,
            DocumentKind.SEIZURE_RULING: self.controls,
            DocumentKind.ASSISTANCE_NOTICE: self.controls,
            DocumentKind.PAYMENT_NOTICE: self.disbursements,
        }
        return by_kind.get(kind, [])


def is_terminated_this_round(case: Case) -> bool:
    """终本 approved: the ruling is made (``closing``, being served) or the case closed by it."""
    return case.status == CaseStatus.CLOSING or (
        case.status == CaseStatus.CLOSED and case.closure_type == ClosureType.TERMINATED_THIS_ROUND
    )


def missing_for(records: CaseRecords, kind: str) -> list[str]:
    """What the case still lacks before a document of ``kind`` can be generated (empty:
    it can be generated now). Each item names the missing record in a clerk's words."""
    case = records.case
    missing: list[str] = []
    if kind == DocumentKind.ACCEPTANCE_NOTICE:
        if not records.applicants:
            missing.append(_("申请执行人"))
    elif kind in (DocumentKind.EXECUTION_NOTICE, DocumentKind.PROPERTY_REPORT_ORDER):
        if not records.respondents:
            missing.append(_("被执行人"))
        if case.status in (CaseStatus.CLOSED, CaseStatus.CLOSING):
            missing.append(_("案件处于执行中（本案已作出结案或终本裁定）"))
    elif kind == DocumentKind.RESTRICTION_ORDER:
        if not records.restrictions:
            missing.append(_("对被执行人采取的限制消费措施"))
    elif kind == DocumentKind.DISHONEST_DECISION:
        if not records.dishonest:
            missing.append(_("将被执行人纳入失信被执行人名单的决定"))
    elif kind in (DocumentKind.SEIZURE_RULING, DocumentKind.ASSISTANCE_NOTICE):
        if not records.controls:
            missing.append(_("有效的查封、扣押或冻结措施"))
    elif kind == DocumentKind.TERMINATION_RULING:
        if not is_terminated_this_round(case):
            missing.append(_("执行局长批准终结本次执行程序（终本审批）"))
    elif kind == DocumentKind.PAYMENT_NOTICE:
        if not records.disbursements:
            missing.append(_("经执行局长批准的案款发放"))
    return missing


def availability(records: CaseRecords) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The kinds the case can generate now, and the others with what each lacks."""
    available: list[str] = []
    unavailable: list[tuple[str, list[str]]] = []
    for kind in DocumentKind.values:
        missing = missing_for(records, kind)
        if missing:
            unavailable.append((kind, missing))
        else:
            available.append(kind)
    return available, unavailable
