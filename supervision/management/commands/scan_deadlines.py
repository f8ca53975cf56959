"""``manage.py scan_deadlines [--at ISO]``: the same scan Celery beat runs, in this
process, court by court; running it twice raises nothing new (API.md "Alerts")."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from supervision.services.alerts import calendar_notice_check
from supervision.services.scan import courts_to_scan, scan_court
from supervision.services.stats import court_stats_refresh


def _parse_at(value: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--at: not an ISO 8601 date-time: {value!r}") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = "扫描所有法院的期限：标记超期，逐级发出预警（幂等）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--at",
            type=_parse_at,
            default=None,
            help="按此时点扫描（ISO 8601，缺省时区为 Asia/Shanghai）；缺省为现在。",
        )

    def handle(self, *args, at=None, **options):
        moment = at or timezone.now()
        totals = {"breached": 0, "raised": 0}
        courts = courts_to_scan()
        for court_id in courts:
            result = scan_court(court_id=court_id, at=moment)
            court_stats_refresh(court_id=court_id, at=moment)
            totals["breached"] += result.breached
            totals["raised"] += result.raised
        calendar_notice_check(today=timezone.localtime(moment).date())
        self.stdout.write(
            "scanned {courts} courts as of {at}: {breached} clocks breached, {raised} alerts raised".format(
                courts=len(courts), at=moment.isoformat(), **totals
            )
        )
