"""Demo data of supervision: run the deadline scan once over the demo courts so the
inbox and the dashboards have something to show from the first page view (the
embedded scheduler then keeps it current)."""

from django.utils import timezone

from supervision import demo_orders
from supervision.services.alerts import calendar_notice_check
from supervision.services.scan import courts_to_scan, scan_court
from supervision.services.stats import court_stats_refresh


def seed() -> None:
    demo_orders.seed()
    now = timezone.now()
    for court_id in courts_to_scan():
        scan_court(court_id=court_id, at=now)
        court_stats_refresh(court_id=court_id, at=now)
    calendar_notice_check()
