"""Demo documents (seed_demo): for one demo case per court that holds the records most
documents need, every kind it can generate now, as Word, by the court's handler — so
the case page's 文书 section shows generated documents and the rest still to generate."""

from django.db.models import Count, Q

from core.models import Court, Role, User
from documents import policy
from documents.models import GeneratedDocument
from documents.selectors import case_for_documents
from documents.services import document_generate
from enforcement.models import Case, ControlStatus

DEMO_COURTS = ("鲁0102", "鲁0103")


def _handler(court: Court) -> User | None:
    return User.objects.filter(
        memberships__court=court, memberships__role=Role.HANDLER, memberships__revoked_at__isnull=True
    ).first()


def seed() -> int:
    """Generate the documents of each demo court's richest case once; returns how many."""
    created = 0
    for code in DEMO_COURTS:
        court = Court.objects.filter(code=code).first()
        handler = _handler(court) if court is not None else None
        if handler is None or GeneratedDocument.objects.filter(court=court).exists():
            continue
        case = (
            Case.objects.filter(court=court)
            .annotate(
                controls=Count("control_measures", filter=Q(control_measures__status=ControlStatus.ACTIVE)),
                credits=Count("credit_measures", distinct=True),
            )
            .order_by("-controls", "-credits", "pk")
            .first()
        )
        if case is None:
            continue
        case = case_for_documents(handler, case.pk)
        available, _unavailable = policy.availability(policy.CaseRecords(case))
        for kind in available:
            if policy.can_generate_at(handler, court, kind):
                document_generate(actor=handler, case=case, kind=kind, fmt="docx")
                created += 1
    return created
