"""The scheduled slot a beat message belongs to (no models: the task base reads it
while publishing, ``core.outbox.task``)."""

import datetime as dt
import math
from typing import Any

from celery.schedules import crontab
from celery.schedules import schedule as interval
from django.utils import timezone


def schedule_slot(schedule: Any, now: dt.datetime) -> dt.datetime | None:
    """The scheduled moment ``now`` belongs to: for an interval, the start of its
    window on a fixed grid (so beats started at different times agree); for a
    crontab, the latest matching minute at or before ``now``. ``None`` for other
    schedules (no slot: every message runs)."""
    if isinstance(schedule, crontab):
        return _crontab_slot(schedule, now)
    if isinstance(schedule, interval):
        seconds = schedule.run_every.total_seconds()
        if seconds <= 0:
            return None
        start = math.floor(now.timestamp() / seconds) * seconds
        return dt.datetime.fromtimestamp(start, tz=dt.UTC)
    return None


def _crontab_slot(cron: Any, now: dt.datetime) -> dt.datetime | None:
    minute = dt.timedelta(minutes=1)
    t = timezone.localtime(now).replace(second=0, microsecond=0, tzinfo=None)  # TIME_ZONE = CELERY_TIMEZONE
    for _step in range(400 * 24 * 2):  # a day, an hour, a minute back at a time: a year at most
        if not (t.month in cron.month_of_year and t.day in cron.day_of_month and t.isoweekday() % 7 in cron.day_of_week):
            t = t.replace(hour=0, minute=0) - minute
        elif t.hour not in cron.hour:
            t = t.replace(minute=0) - minute
        elif t.minute not in cron.minute:
            t -= minute
        else:
            return timezone.make_aware(t)
    return None
