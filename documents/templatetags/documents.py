"""``{% load documents %}{% case_documents case as docs %}``: what the case page's 文书
section shows — the kinds the case can generate now (with the records each can be
about), the others with what they lack, and the documents generated so far."""

from django import template

from documents import policy, selectors
from documents.kinds import DocumentKind

register = template.Library()

RECENT = 50


def _subject_label(kind: str, subject) -> str:
    if kind in (DocumentKind.RESTRICTION_ORDER, DocumentKind.DISHONEST_DECISION):
        return f"{subject.party.name} · {subject.issued_at:%Y-%m-%d}"
    if kind in (DocumentKind.SEIZURE_RULING, DocumentKind.ASSISTANCE_NOTICE):
        return f"{subject.get_kind_display()} · {subject.asset.description}"
    if kind == DocumentKind.PAYMENT_NOTICE:
        return f"{subject.holder} · ¥{subject.amount}"
    return str(subject)


@register.simple_tag(takes_context=True)
def case_documents(context, case) -> dict:
    user = context["request"].user
    records = policy.CaseRecords(case)  # the page's case: visible to the user, parties prefetched
    available, unavailable = policy.availability(records)
    return {
        "available": [
            {
                "kind": kind,
                "label": DocumentKind(kind).label,
                "allowed": policy.can_generate_at(user, case.court, kind),
                "subjects": [(s.pk, _subject_label(kind, s)) for s in records.subjects(kind)],
            }
            for kind in available
        ],
        "unavailable": [
            {"kind": kind, "label": DocumentKind(kind).label, "missing": missing}
            for kind, missing in unavailable
        ],
        "generated": list(selectors.documents_of_case(case)[:RECENT]),
    }
