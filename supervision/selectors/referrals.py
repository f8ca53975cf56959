"""拒执 referrals report (issue 15): per court of the user's view and period, the 拒执罪
referrals (移送公安机关 / 告知自诉) by route and by outcome, with the cases.

The period is the referral's date (``decided_at``, Asia/Shanghai), ``from``–``to`` inclusive;
the outcome is the latest recorded (``pending`` until one is). Read through
``enforcement.selectors.referrals_in_scope``, scoped to the courts the user sees."""

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils import timezone

from core.models import User
from enforcement.models import ReferralOutcome, ReferralRoute
from enforcement.selectors import referrals_in_scope
from supervision.filters import period
from supervision.selectors.scope import court_param, iso, scope_for

ROUTES = [r.value for r in ReferralRoute]
OUTCOMES = [o.value for o in ReferralOutcome]


def _blank() -> dict[str, Any]:
    return {
        "total": 0,
        "by_route": {r: 0 for r in ROUTES},
        "by_outcome": {o: 0 for o in OUTCOMES},
        "by_route_outcome": {r: {o: 0 for o in OUTCOMES} for r in ROUTES},
    }


def _add(line: dict[str, Any], route: str, outcome: str) -> None:
    line["total"] += 1
    line["by_route"][route] += 1
    line["by_outcome"][outcome] += 1
    line["by_route_outcome"][route][outcome] += 1


def referral_report(*, user: User, params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The report of ``user``'s view (optionally ``params['court']``'s subtree), JSON-friendly."""
    params = params or {}
    scope = scope_for(user, court_param(params))
    start, end = period(params)
    rollup = scope.rollup()
    lines = {row.pk: _blank() for row in scope.rows}
    total = _blank()
    cases = []
    for entry in referrals_in_scope(scope.court_ids, start=start, end=end):
        route, outcome = entry.route, entry.outcome or ReferralOutcome.PENDING
        line = rollup.get(entry.case.court_id)
        if line is not None:
            _add(lines[line], route, outcome)
        _add(total, route, outcome)
        cases.append({
            "entry": entry.pk,
            "case_id": entry.case_id,
            "case_number": entry.case.case_number,
            "court": entry.case.court.code,
            "court_name": entry.case.court.name,
            "person": entry.target_name,
            "route": route,
            "route_label": str(ReferralRoute(route).label),
            "decided_at": iso(entry.decided_at),
            "document_number": entry.document_number,
            "outcome": outcome,
            "outcome_label": str(ReferralOutcome(outcome).label),
            "outcome_on": entry.outcome_on.isoformat() if entry.outcome_on else None,
            "outcome_document": entry.outcome_document,
            "url": reverse("enforcement:case-detail", args=[entry.case_id]),
        })
    return {
        "court": scope.root_ref(),
        "breadcrumb": scope.breadcrumb_refs(),
        "period": {"from": start.isoformat() if start else None, "to": end.isoformat() if end else None},
        "generated_at": timezone.localtime().isoformat(),
        "routes": [{"code": r.value, "label": str(r.label)} for r in ReferralRoute],
        "outcomes": [{"code": o.value, "label": str(o.label)} for o in ReferralOutcome],
        "courts": [
            {"code": row.code, "name": row.name, "is_self": row.pk == getattr(scope.root, "pk", None), **lines[row.pk]}
            for row in scope.rows
        ],
        "total": total,
        "cases": cases,
    }
