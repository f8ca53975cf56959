"""The e-mail outbox: ``email_queue`` in the deciding transaction, ``emails_deliver``
right after it, ``emails_relay`` (from the outbox relay) for what a dead process left."""

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.models import OutboundEmail
from core.outbox.common import RELAY_BATCH, error_text
from core.outbox.faults import fault_point

logger = logging.getLogger(__name__)


def email_queue(*, subject: str, body: str, to: Iterable[str]) -> OutboundEmail:
    """Record an e-mail in the current transaction (deliver it with
    ``emails_deliver`` after commit; the relay delivers it if nobody does)."""
    return OutboundEmail.objects.create(subject=subject[:300], body=body, to=list(to))


def _message(row: OutboundEmail) -> EmailMessage:
    return EmailMessage(subject=row.subject, body=row.body, to=row.to)


def _deliver_one(connection: Any, pk: int) -> bool:
    """Send one e-mail under its row lock and record it in the same transaction.
    A crash between the mail server's acceptance and the commit is the one window in
    which it can go twice. Raises what the backend raised (nothing recorded)."""
    with transaction.atomic():
        row = OutboundEmail.objects.select_for_update(skip_locked=True).filter(pk=pk, sent_at__isnull=True).first()
        if row is None:  # sent already, or someone is sending it
            return False
        fault_point("email.sending")
        connection.send_messages([_message(row)])
        OutboundEmail.objects.filter(pk=pk).update(sent_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return True


def emails_deliver(ids: Iterable[int]) -> int:
    """Deliver these e-mails now, over one connection, each once. Call it after the
    transaction that queued them commits. Returns how many went; raises what the
    mail backend raised (the rest stay queued)."""
    ids = list(ids)
    if not ids:
        return 0
    sent = 0
    with get_connection() as connection:
        for pk in ids:
            sent += _deliver_one(connection, pk)
    return sent


def emails_relay(*, older_than: float, limit: int = RELAY_BATCH, now: dt.datetime | None = None) -> int:
    """Deliver the e-mails nobody delivered (the process died after commit, or the
    mail server refused). Stops at the first failure (recorded on the row): the
    server is likely down for the rest too."""
    now = now or timezone.now()
    ids = list(
        OutboundEmail.objects.filter(sent_at__isnull=True, created_at__lte=now - dt.timedelta(seconds=older_than))
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    if not ids:
        return 0
    try:
        with get_connection() as connection:
            for pk in ids:
                try:
                    sent += _deliver_one(connection, pk)
                except Exception as exc:
                    OutboundEmail.objects.filter(pk=pk).update(attempts=F("attempts") + 1, last_error=error_text(exc))
                    raise
    except Exception as exc:
        logger.warning("outbox relay: e-mail delivery failed (retried next run): %s", error_text(exc))
    if sent:
        logger.info("outbox relay: %d e-mail(s) delivered", sent)
    return sent
