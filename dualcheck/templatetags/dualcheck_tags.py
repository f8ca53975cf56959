"""Template tags that let other apps' pages show what 一案双查 allows them to:
the badge on a case page, and whether the user could turn a petition or an alert
into a clue (the court above where they may register it)."""

from django import template

from core.models import Court, Department
from dualcheck.policy import handling_court_for
from dualcheck.selectors import clues_for_case

register = template.Library()

DEPARTMENT_LABELS = dict(Department.choices)


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.filter
def department_label(value: str) -> str:
    return str(DEPARTMENT_LABELS.get(value, value))


@register.simple_tag(takes_context=True)
def dualcheck_handling_court(context, court) -> Court | None:
    """The court above ``court`` where the signed-in user may register a clue, or
    None (no query: memberships are read once per request)."""
    user = _user(context)
    if not isinstance(court, Court) or user is None or not user.is_authenticated:
        return None
    return handling_court_for(user, court)


@register.inclusion_tag("dualcheck/_case_badge.html", takes_context=True)
def dualcheck_case_badge(context, case) -> dict:
    """On a case page: anyone who can see the case learns at most that a 一案双查
    review of it exists; links only to the clues the user may open."""
    user = _user(context)
    if user is None or not user.is_authenticated or case is None:
        return {"exists": False}
    exists, clues = clues_for_case(user, case)
    return {
        "exists": exists,
        "clues": list(clues.select_related(None).only("pk", "number", "status")) if exists else [],
    }
