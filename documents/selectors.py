"""Reads of the documents app: the generated documents a user may see, and the case's
records a document is about. Scoped by court here, never only in a view."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.exceptions import NotFound
from core.models import DeadlineRule, User
from core.selectors import court_scope_q
from custody_funds.models import Disbursement, DisbursementStatus
from documents.models import DocumentTemplate, GeneratedDocument
from enforcement.models import (
    Case,
    ControlMeasure,
    ControlStatus,
    CreditMeasure,
    CreditStatus,
    PartyRole,
)
from enforcement.selectors import case_get

# A 支付案款通知 is printed once the bureau head approved the payment (款物规定; 322号 §22).
NOTICE_STATUSES = (DisbursementStatus.APPROVED, DisbursementStatus.NOTIFIED, DisbursementStatus.PAID)


def documents_of_case(case: Case) -> QuerySet[GeneratedDocument]:
    """The case's documents, newest first (the case is already visible to the caller)."""
    return GeneratedDocument.objects.filter(case=case).select_related("generated_by").defer("content")


def document_get(user: User, pk: Any) -> GeneratedDocument:  # Any: a URL value, checked here
    """A document with its file, or 404 when it is outside the user's courts."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise NotFound() from None
    document = GeneratedDocument.objects.filter(court_scope_q(user), pk=pk).select_related("case").first()
    if document is None:
        raise NotFound(_("文书不存在或不在您的可见范围内。"))
    return document


def template_of(kind: str) -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(kind=kind).first()


# --- the records a document is about ----------------------------------------------------------


def respondents(case: Case) -> list:
    return [p for p in case.parties.all() if p.role == PartyRole.RESPONDENT]


def applicants(case: Case) -> list:
    return [p for p in case.parties.all() if p.role == PartyRole.APPLICANT]


def credit_measures(case: Case) -> list[CreditMeasure]:
    """The case's issued (not released) 限制消费令 and 失信 entries, newest first."""
    return list(
        CreditMeasure.objects.filter(case=case, status=CreditStatus.ISSUED)
        .select_related("party")
        .prefetch_related("restricted_persons")
        .order_by("-issued_at", "-id")
    )


def active_controls(case: Case) -> list[ControlMeasure]:
    """The case's seizures and freezes in force, newest first."""
    return list(
        ControlMeasure.objects.filter(case=case, status=ControlStatus.ACTIVE)
        .select_related("asset__category")
        .order_by("-effective_at", "-id")
    )


def approved_disbursements(case: Case) -> list[Disbursement]:
    return list(
        Disbursement.objects.filter(case=case, status__in=NOTICE_STATUSES)
        .select_related("payee", "drafted_by", "approved_by", "case__fund_account")
        .order_by("-approved_at", "-id")
    )


def rule_bases(codes: tuple[str, ...]) -> list[str]:
    """The articles in force of the catalogue rules ``codes`` (the admin-edited text when
    there is one), in the order given, without repeats."""
    rules = {r.code: r for r in DeadlineRule.objects.filter(code__in=codes)}
    out: list[str] = []
    for code in codes:
        rule = rules.get(code)
        text = (rule.basis_in_force or rule.basis) if rule else ""
        if text and text not in out:
            out.append(text)
    return out


def case_for_documents(user: User, case_id: Any) -> Case:  # Any: a URL value, checked by case_get
    """A case the user sees (else 404), with what every document prints."""
    case = case_get(user, case_id)
    return Case.objects.select_related("court", "handler").prefetch_related("parties").get(pk=case.pk)
