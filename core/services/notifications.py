"""Writes of the in-app notifications (``core.models.notifications``).

Domain services call ``notify`` inside their own transaction, after the change it
tells of: a rolled-back change leaves no notification behind, and nothing is sent
anywhere (the bell reads the table; the daily digest mails what is still unread)."""

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone, translation

from core.models import Court, Notification, User
from core.selectors import notification_get
from core.services.bulk import rows_insert

TITLE_MAX = 200
BODY_MAX = 1000

P = ParamSpec("P")
R = TypeVar("R")


def in_site_language(func: Callable[P, R]) -> Callable[P, R]:
    """Word a notification in the site's language (zh-hans), whatever the language of
    the request that raised it: it is stored as text and read by someone else."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapper


def _subject_of(subject: models.Model | None) -> tuple[str, str]:
    if subject is None:
        return "", ""
    return subject._meta.label_lower, str(subject.pk)


@dataclass(frozen=True)
class Note:
    """One ``notify``: what to say, to whom, about what."""

    recipients: Iterable[User | int]
    actor: User | None
    kind: str
    title: str
    body: str = ""
    link: str = ""
    court: Court | None = None
    subject: models.Model | None = None


def notify(
    *,
    recipients: Iterable[User | int],
    actor: User | None,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    court: Court | None = None,
    subject: models.Model | None = None,
) -> list[Notification]:
    """One notification per recipient (each person once), never to ``actor``: the
    person who did the thing is not told of it. Inactive users are skipped."""
    return notify_many([Note(recipients, actor, kind, title, body, link, court, subject)])


def notify_many(notes: Iterable[Note]) -> list[Notification]:
    """``notify`` for many notes at once (a bulk registration): one query for the
    active recipients of all of them, one set write (``rows_insert``)."""
    wanted = []
    for note in notes:
        ids = {r.pk if isinstance(r, User) else int(r) for r in note.recipients}
        if note.actor is not None:
            ids.discard(note.actor.pk)
        wanted.append((note, ids))
    every = set().union(*(ids for _note, ids in wanted))
    if not every:
        return []
    active = set(User.objects.filter(pk__in=every, is_active=True).values_list("pk", flat=True))
    now = timezone.now()
    rows = []
    for note, ids in wanted:
        subject_type, subject_id = _subject_of(note.subject)
        rows += [
            Notification(
                recipient_id=pk,
                court=note.court,
                kind=note.kind,
                title=str(note.title)[:TITLE_MAX],
                body=str(note.body)[:BODY_MAX],
                link=note.link[:300],
                subject_type=subject_type,
                subject_id=subject_id,
                created_at=now,
            )
            for pk in sorted(ids & active)
        ]
    return list(rows_insert(rows))


def notification_mark_read(*, user: User, notification_id: object) -> Notification:
    """Mark one of ``user``'s notifications read (someone else's: ``NotFound``).
    Reading it again keeps the first moment."""
    notification = notification_get(user, notification_id)
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of ``user`` read: one UPDATE."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())


def notifications_claim_for_digest(*, now: dt.datetime) -> list[Notification]:
    """The unread notifications not yet mailed, claimed for one digest (caller's
    transaction): locked with SKIP LOCKED and marked, so a second digest running at
    the same time takes none of them. ``notifications_unclaim`` gives them back."""
    assert transaction.get_connection().in_atomic_block, "claim inside the digest's transaction"
    claimed = list(
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True, created_at__lte=now)
        .select_for_update(skip_locked=True, of=("self",))
        .select_related("recipient")
        .order_by("recipient_id", "-created_at", "-id")
    )
    Notification.objects.filter(pk__in=[n.pk for n in claimed]).update(emailed_at=now)
    return claimed


def notifications_unclaim(ids: list[int]) -> None:
    """The digest's mail failed: the next digest takes these again."""
    Notification.objects.filter(pk__in=ids).update(emailed_at=None)
