"""Refresh the dashboard counters of one court (run right after its scan)."""

import datetime as dt

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from core.calendar import local_date
from core.models import Deadline, DeadlineRule, DeadlineStatus
from core.models.clocks import RUNNING
from dualcheck.selectors import clock_rule_ids
from supervision.models import Alert, CourtAlertDay, CourtRuleStat

TREND_DAYS = 30
EXPIRY_HORIZON_DAYS = 30

_STAT_FIELDS = [
    "computed_at",
    "open",
    "due_soon",
    "overdue",
    "paused",
    "due_30",
    "provisional",
    "met",
    "breached",
    "waived",
    "alerts_open",
    "alerts_unacknowledged",
]


def _rule_stats(court_id: int, at: dt.datetime, hidden: QuerySet[DeadlineRule]) -> list[CourtRuleStat]:
    """The court's counters per rule as of ``at`` (unsaved rows): clocks by state,
    open and unacknowledged alerts."""
    running = RUNNING & Q(paused_at__isnull=True)
    clocks = (
        Deadline.objects.filter(court_id=court_id)
        .exclude(rule_id__in=hidden)
        .values("rule_id")
        .annotate(
            open=Count("pk", filter=running),
            due_soon=Count("pk", filter=running & Q(warn_at__lte=at, due_at__gte=at)),
            overdue=Count("pk", filter=running & Q(due_at__lt=at)),
            paused=Count("pk", filter=RUNNING & Q(paused_at__isnull=False)),
            due_30=Count(
                "pk",
                filter=running & Q(due_at__gte=at, due_at__lt=at + dt.timedelta(days=EXPIRY_HORIZON_DAYS)),
            ),
            # the values() rows' counters, not the model's fields (django-stubs reads them as redefinitions)
            provisional=Count("pk", filter=RUNNING & Q(provisional=True)),  # type: ignore[no-redef]
            met=Count("pk", filter=Q(status=DeadlineStatus.MET)),
            breached=Count("pk", filter=Q(status=DeadlineStatus.BREACHED)),
            waived=Count("pk", filter=Q(status=DeadlineStatus.WAIVED)),
        )
    )
    alerts = {
        row["rule_id"]: row
        for row in Alert.objects.filter(court_id=court_id, resolved_at__isnull=True)
        .exclude(rule_id__in=hidden)
        .values("rule_id")
        .annotate(
            alerts_open=Count("pk"),
            alerts_unacknowledged=Count("pk", filter=Q(acknowledged_at__isnull=True)),
        )
    }
    rows = []
    for row in clocks:
        counts = alerts.get(row["rule_id"], {})
        rows.append(
            CourtRuleStat(
                court_id=court_id,
                computed_at=at,
                alerts_open=counts.get("alerts_open", 0),
                alerts_unacknowledged=counts.get("alerts_unacknowledged", 0),
                **row,
            )
        )
    return rows


def _alert_days(
    court_id: int, since: dt.datetime, at: dt.datetime, hidden: QuerySet[DeadlineRule]
) -> list[CourtAlertDay]:
    """Alerts raised and resolved per local day between ``since`` and ``at`` (unsaved rows)."""
    tz = timezone.get_default_timezone()
    raised = dict(
        Alert.objects.filter(court_id=court_id, raised_at__gte=since, raised_at__lte=at)
        .exclude(rule_id__in=hidden)
        .annotate(day=TruncDate("raised_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    resolved = dict(
        Alert.objects.filter(court_id=court_id, resolved_at__gte=since, resolved_at__lte=at)
        .exclude(rule_id__in=hidden)
        .annotate(day=TruncDate("resolved_at", tzinfo=tz))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return [
        CourtAlertDay(court_id=court_id, day=day, raised=raised.get(day, 0), resolved=resolved.get(day, 0))
        for day in sorted(set(raised) | set(resolved))
    ]


def court_stats_refresh(*, court_id: int, at: dt.datetime) -> int:
    """Recount the court's clocks per rule and its alert trend as of ``at``: a few
    grouped queries for the court, whatever its size. Returns the rows written.

    The 一案双查 report clocks and their alerts are left out: a court's counters are
    read by everyone on its dashboard, and a DUALCHECK_REPORT count there says the
    court is under investigation (its clue's readers see the clocks with the clue)."""
    hidden = clock_rule_ids()  # a subquery: no query of its own
    rows = _rule_stats(court_id, at, hidden)
    since = at - dt.timedelta(days=TREND_DAYS + 1)
    days = _alert_days(court_id, since, at, hidden)
    first_day = local_date(since)
    with transaction.atomic():
        CourtRuleStat.objects.filter(court_id=court_id).exclude(
            rule_id__in=[r.rule_id for r in rows]
        ).delete()
        CourtRuleStat.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["court", "rule"],
            update_fields=_STAT_FIELDS,
        )
        CourtAlertDay.objects.filter(court_id=court_id, day__gte=first_day).delete()
        CourtAlertDay.objects.bulk_create(days)
    return len(rows) + len(days)
