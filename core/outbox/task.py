"""The base of every Celery task of the app, and the header stamps that tie a
message to its outbox row or beat slot:

- a message published from the transactional outbox carries its row id
  (``outbox_id`` header); the worker marks the row done once the task has run, so
  the relay knows which messages a restarted broker lost;
- a message sent by beat carries its entry and scheduled slot (``periodic``,
  ``periodic_slot`` headers); the first message of a slot claims it and any other
  (a second beat process) is skipped — one run per slot, however many beats.

``config.celery_app`` builds the app with ``OutboxTask`` and imports this module
while the settings load, before Django's app registry: nothing here imports a
model at module level (the three model-backed calls import theirs when a task runs).
"""

import logging

from celery import Task, states
from celery.exceptions import Ignore
from celery.signals import beat_init, before_task_publish
from django.apps import apps
from django.utils import timezone

from core.outbox.common import publishing_outbox_id
from core.outbox.scheduler import scheduler_entries
from core.outbox.slots import schedule_slot

logger = logging.getLogger(__name__)


class OutboxTask(Task):
    """The base of every task of the app (``shared_task`` uses it)."""

    def before_start(self, task_id, args, kwargs):
        name, slot = self.request.get("periodic"), self.request.get("periodic_slot")
        if name and slot:
            # models: imported while a task runs, never while the settings load
            from core.outbox.periodic import periodic_claim

            if not periodic_claim(name=name, slot=slot, task_id=task_id):
                raise Ignore  # another beat's message ran this slot

    def after_return(self, status, retval, task_id, args, kwargs, einfo):
        if status == states.RETRY:
            return  # not finished: the retry message carries on
        request = self.request
        try:
            if outbox_id := request.get("outbox_id"):
                # models: imported while a task runs, never while the settings load
                from core.outbox.outbox import outbox_mark_done

                outbox_mark_done(outbox_id)
            name, slot = request.get("periodic"), request.get("periodic_slot")
            if name and slot and status == states.SUCCESS:
                # models: imported while a task runs, never while the settings load
                from core.outbox.periodic import periodic_finish

                periodic_finish(name=name, slot=slot, task_id=task_id)
        except Exception:  # the task itself ran; the relay at worst publishes it again
            logger.exception("recording the end of %s[%s] failed", self.name, task_id)


# In a beat process: task name -> (entry name, schedule), set when beat starts.
_beat_entries: dict | None = None


@beat_init.connect
def _beat_stamps_slots(sender=None, **kwargs):
    global _beat_entries  # set once per beat process
    app = getattr(sender, "app", None)
    _beat_entries = {task: (name, schedule) for name, (task, schedule, _kw) in scheduler_entries(app).items()}


@before_task_publish.connect
def _stamp_headers(sender=None, headers=None, **kwargs):
    if headers is None or not apps.ready:  # a celery command publishing before Django is set up
        return
    if (outbox_id := publishing_outbox_id()) is not None:
        headers["outbox_id"] = outbox_id
    if _beat_entries and sender in _beat_entries:
        name, schedule = _beat_entries[sender]
        if (slot := schedule_slot(schedule, timezone.now())) is not None:
            headers["periodic"] = name
            headers["periodic_slot"] = slot.isoformat()
