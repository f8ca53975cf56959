"""``core.outbox``: side effects after commit, through a transactional outbox (Zulip
``send_event_on_commit``, Saleor; the outbox pattern). PostgreSQL, not the broker,
is the source of truth for work a transaction promised.

``enqueue_on_commit(task, **kwargs)`` writes a ``TaskOutbox`` row in the caller's
transaction and, once it commits, publishes the task and marks the row sent:

- a transaction that rolls back sends nothing (no row, no callback);
- a broker that is down at commit costs the request nothing: the failure is
  logged and kept on the row, and ``outbox_relay`` (beat, every minute;
  ``manage.py relay_outbox``) publishes it later;
- a message the broker loses after it was sent (Redis restarted without
  persistence with the task still queued) is published again once the row has
  waited ``OUTBOX_REDELIVER_AFTER_SECONDS`` without a worker marking it done
  (``core.outbox.task.OutboxTask.after_return``).

Every publish of a row happens under its row lock (``SELECT … FOR UPDATE SKIP
LOCKED``): the after-commit publisher and any number of relays never publish the
same row at once. Delivery stays at least once — a process can die between
publishing and recording it — so tasks are idempotent (STYLE §11).

Tasks get ids, never model instances; the row binds the arguments now, so a loop
cannot hand every callback the last value (Saleor's late-binding bug).

E-mail follows the same shape (``email_queue`` in the deciding transaction,
``emails_deliver`` right after it, the relay for what a dead process left), and
``periodic_claim`` makes a beat entry run once per scheduled slot however many
beat processes send it.

The package: ``outbox`` (task rows, publisher, relay), ``emails`` (the e-mail
outbox), ``periodic`` (one run per beat slot), ``task`` (the Celery task base and
the header stamps that tie a message to its row or slot), ``scheduler`` (the
embedded beat of ``make run``) and ``faults`` (where the fault tests stop a worker).
None of them imports ``config``: the Celery app is ``celery.current_app`` (the one
``config.celery_app`` builds; Celery's Django fixup makes it the default app of every
thread, so a gunicorn thread or the embedded beat's publishes with it too), so the
app may import this package, never the reverse.
"""
