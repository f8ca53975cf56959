"""Celery application (cookiecutter-django shape).

Settings come from Django settings under the ``CELERY_`` namespace; the beat
schedule is declared in code (``config.settings.base.CELERY_BEAT_SCHEDULE``) and
stored by django-celery-beat's database scheduler.

Two guarantees are wired here (``core.services.after_commit`` has the rest):

- a message published from the transactional outbox carries its row id
  (``outbox_id`` header); the worker marks the row done once the task has run, so
  the relay knows which messages a restarted broker lost;
- a message sent by beat carries its entry and scheduled slot (``periodic``,
  ``periodic_slot`` headers); the first message of a slot claims it and any other
  (a second beat process) is skipped — one run per slot, however many beats.
"""

import logging
import os

from celery import Celery, states
from celery import Task as CeleryTask
from celery.exceptions import Ignore
from celery.signals import beat_init, before_task_publish

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

logger = logging.getLogger(__name__)


class Task(CeleryTask):
    """The base of every task of the app (``shared_task`` uses it)."""

    def before_start(self, task_id, args, kwargs):
        name, slot = self.request.get("periodic"), self.request.get("periodic_slot")
        if name and slot:
            from core.services.after_commit import periodic_claim

            if not periodic_claim(name=name, slot=slot, task_id=task_id):
                raise Ignore  # another beat's message ran this slot

    def after_return(self, status, retval, task_id, args, kwargs, einfo):
        if status == states.RETRY:
            return  # not finished: the retry message carries on
        request = self.request
        try:
            if outbox_id := request.get("outbox_id"):
                from core.services.after_commit import outbox_mark_done

                outbox_mark_done(outbox_id)
            name, slot = request.get("periodic"), request.get("periodic_slot")
            if name and slot and status == states.SUCCESS:
                from core.services.after_commit import periodic_finish

                periodic_finish(name=name, slot=slot, task_id=task_id)
        except Exception:  # the task itself ran; the relay at worst publishes it again
            logger.exception("recording the end of %s[%s] failed", self.name, task_id)


app = Celery("zhixing", task_cls=Task)
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# In a beat process: task name -> (entry name, schedule), set when beat starts.
_beat_entries: dict | None = None


@beat_init.connect
def _beat_stamps_slots(sender=None, **kwargs):
    global _beat_entries  # set once per beat process
    from core.scheduler import scheduler_entries

    _beat_entries = {task: (name, schedule) for name, (task, schedule, _kw) in scheduler_entries().items()}


@before_task_publish.connect
def _stamp_headers(sender=None, headers=None, **kwargs):
    from django.apps import apps

    if headers is None or not apps.ready:  # a celery command publishing before Django is set up
        return
    from core.services.after_commit import publishing_outbox_id, schedule_slot

    if (outbox_id := publishing_outbox_id()) is not None:
        headers["outbox_id"] = outbox_id
    if _beat_entries and sender in _beat_entries:
        from django.utils import timezone

        name, schedule = _beat_entries[sender]
        if (slot := schedule_slot(schedule, timezone.now())) is not None:
            headers["periodic"] = name
            headers["periodic_slot"] = slot.isoformat()
