"""Alert lifecycle apart from raising: resolve when the clock stops, acknowledge,
the daily e-mail digest, and the administrators' calendar notice."""

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.calendar import local_date
from core.models import CalendarYear, Deadline, Notification, OutboundEmail, Role, User
from core.outbox.emails import email_queue, emails_deliver
from core.outbox.faults import fault_point
from core.selectors import active_memberships
from core.services.notifications import notifications_claim_for_digest, notifications_unclaim
from supervision import policy
from supervision.models import Alert, AlertLevel, SystemNotice
from supervision.selectors.alerts import alert_get_for_update, alert_recipients

logger = logging.getLogger(__name__)

DIGEST_MAX_LINES = 50
_CHUNK = 500


def alerts_resolve_for_deadlines(*, deadline_ids: list[int], stopped_at: dt.datetime) -> int:
    """The clocks stopped: their alerts are resolved (same transaction)."""
    return Alert.objects.filter(deadline_id__in=deadline_ids, resolved_at__isnull=True).update(
        resolved_at=stopped_at
    )


# The clock column each level's threshold is read from.
_LEVEL_THRESHOLD = {
    AlertLevel.WARNING: "warn_at",
    AlertLevel.FINAL_WARNING: "warn_again_at",
    AlertLevel.OVERDUE: "due_at",
    AlertLevel.ESCALATED: "escalate_at",
    AlertLevel.UPPER: "upper_at",
}


def alerts_reschedule(*, deadline_ids: list[int], at: dt.datetime) -> int:
    """The clocks' schedules changed (a working-calendar year was loaded or
    edited): their open alerts take the new due moment and 暂定 flag, and an alert
    whose level's threshold now lies ahead no longer applies — it is resolved (and
    raised again by the scan if the new threshold passes). Set-based, and only the
    alerts that change are written. Caller's transaction; returns alerts resolved."""
    if not deadline_ids:
        return 0
    if connection.vendor == "postgresql":
        return _reschedule_sql(deadline_ids, at)
    open_alerts = Alert.objects.filter(deadline_id__in=deadline_ids, resolved_at__isnull=True)
    clock = Deadline.objects.filter(pk=OuterRef("deadline_id"))
    open_alerts.update(
        due_at=Subquery(clock.values("due_at")[:1]), provisional=Subquery(clock.values("provisional")[:1])
    )
    resolved = 0
    for level, column in _LEVEL_THRESHOLD.items():
        ahead = Deadline.objects.filter(pk__in=deadline_ids, **{f"{column}__gt": at}).values("pk")
        resolved += open_alerts.filter(level=level, deadline_id__in=ahead).update(resolved_at=at)
    return resolved


# One statement for PostgreSQL: copy the clock's due moment and flag, and resolve the
# levels whose threshold moved ahead, on the open alerts of the clocks given — only
# where something changes (a province's load touches many clocks, few alerts move).
_AHEAD = " OR ".join(
    f"(a.level = '{level}' AND d.{column} > %(at)s)" for level, column in _LEVEL_THRESHOLD.items()
)
# only our own level and column names are interpolated
_RESCHEDULE_SQL = f"""
WITH changed AS (
    UPDATE supervision_alert a
    SET due_at = d.due_at,
        provisional = d.provisional,
        resolved_at = CASE WHEN {_AHEAD} THEN %(at)s END
    FROM core_deadline d
    WHERE a.deadline_id = d.id AND d.id = ANY(%(ids)s) AND a.resolved_at IS NULL
      AND (a.due_at <> d.due_at OR a.provisional <> d.provisional OR {_AHEAD})
    RETURNING a.resolved_at
)
SELECT count(*) FILTER (WHERE resolved_at IS NOT NULL) FROM changed
"""  # noqa: S608


def _reschedule_sql(deadline_ids: list[int], at: dt.datetime) -> int:
    with connection.cursor() as cursor:
        cursor.execute(_RESCHEDULE_SQL, {"ids": list(deadline_ids), "at": at})
        return cursor.fetchone()[0]


@transaction.atomic
def alert_acknowledge(*, alert: Alert, user: User) -> Alert:
    """签收: a recipient confirms they have seen the alert. The first
    acknowledgement is kept (who and when); repeating it changes nothing."""
    alert = alert_get_for_update(alert.pk)
    policy.require_alert_recipient(user, alert)
    if alert.acknowledged_at is None:
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = user
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
    return alert


def _digest_body(user: User, alerts: list[Alert], site: str, notes: list[Notification] | None = None) -> str:
    notes = notes or []
    lines = [_("%(name)s，您好：") % {"name": user}, ""]
    if alerts:
        lines += [_("自上次通知以来，有 %(n)s 条期限预警需要您关注：") % {"n": len(alerts)}, ""]
    for alert in alerts[:DIGEST_MAX_LINES]:
        lines.append(
            "· [{level}] {case} {rule} — {due}".format(
                level=alert.get_level_display(),
                case=alert.case.case_number if alert.case is not None else alert.deadline.subject_label,
                rule=alert.rule.name_zh,
                due=_("届满 %(due)s") % {"due": timezone.localtime(alert.due_at).strftime("%Y-%m-%d")},
            )
            + (_("（暂定：该年度放假安排尚未载入）") if alert.provisional else "")
        )
    if len(alerts) > DIGEST_MAX_LINES:
        lines.append(_("……及其他 %(n)s 条。") % {"n": len(alerts) - DIGEST_MAX_LINES})
    if alerts:
        lines += ["", _("请登录查看并签收：%(url)s") % {"url": site + reverse("supervision:inbox")}]
    if notes:
        # 站内通知 still unread since the last digest (issue 16), newest first
        if alerts:
            lines.append("")
        lines += [_("您有 %(n)s 条未读的站内通知：") % {"n": len(notes)}, ""]
        for note in notes[:DIGEST_MAX_LINES]:
            stamp = timezone.localtime(note.created_at).strftime("%Y-%m-%d %H:%M")
            lines.append(f"· {note.title}（{stamp}）")
        if len(notes) > DIGEST_MAX_LINES:
            lines.append(_("……及其他 %(n)s 条。") % {"n": len(notes) - DIGEST_MAX_LINES})
        lines += ["", _("查看全部通知：%(url)s") % {"url": site + reverse("core:notifications") + "?show=unread"}]
    return "\n".join(lines)


def _mark_notified(ids: list[int], moment: dt.datetime | None) -> None:
    for offset in range(0, len(ids), _CHUNK):
        Alert.objects.filter(pk__in=ids[offset : offset + _CHUNK]).update(notified_at=moment)


def alerts_send_digest(*, now: dt.datetime | None = None) -> int:
    """One e-mail per recipient with every alert raised since the last digest
    (instead of one mail per alert). Alerts already resolved are marked without
    mailing. Returns the number of e-mails sent. Call it outside a transaction.

    The alerts are claimed (marked) — ``SKIP LOCKED``, so two digests never take the
    same alert — and their e-mails recorded (``email_queue``) in one transaction;
    the mail goes out after it commits. If sending fails the claim is given back for
    the next digest; if the process dies after the commit, the outbox relay
    delivers the recorded e-mails, each once."""
    now = now or timezone.now()
    with transaction.atomic():
        pending = list(
            Alert.objects.filter(notified_at__isnull=True, raised_at__lte=now)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("rule", "case", "deadline")
            .order_by("pk")
        )
        ids = [a.pk for a in pending]
        _mark_notified(ids, now)
        # the unread 站内通知 since the last digest, claimed the same way (issue 16)
        notes = notifications_claim_for_digest(now=now)
        emails = [email.pk for email in _digest_emails(pending, notes)]
    fault_point("digest.claimed")
    try:
        return emails_deliver(emails)
    except Exception:
        with transaction.atomic():  # nothing lost: the next digest takes them again
            OutboundEmail.objects.filter(pk__in=emails, sent_at__isnull=True).delete()
            _mark_notified(ids, None)
            notifications_unclaim([n.pk for n in notes])
        raise


def _digest_subject(alerts: int, notes: int) -> str:
    if alerts and notes:
        return _("执行监督平台：%(n)s 条期限预警，%(m)s 条未读通知") % {"n": alerts, "m": notes}
    if notes:
        return _("执行监督平台：%(m)s 条未读通知") % {"m": notes}
    return _("执行监督平台：%(n)s 条期限预警") % {"n": alerts}


def _digest_emails(pending: list[Alert], notes: list[Notification] | None = None) -> list[OutboundEmail]:
    """Record one digest e-mail per recipient of the open alerts or of unread
    notifications (caller's transaction)."""
    open_alerts = [a for a in pending if a.resolved_at is None]
    by_id = {a.pk: a for a in open_alerts}
    by_user: dict[User, list[Alert]] = defaultdict(list)
    if open_alerts:
        for alert_id, people in alert_recipients(open_alerts).items():
            for person in people:
                by_user[person].append(by_id[alert_id])
    notes_by_user: dict[int, list[Notification]] = defaultdict(list)
    people_by_id: dict[int, User] = {u.pk: u for u in by_user}
    for note in notes or []:
        notes_by_user[note.recipient_id].append(note)
        people_by_id.setdefault(note.recipient_id, note.recipient)
    site = settings.SITE_URL.rstrip("/")
    emails = []
    with translation.override(settings.LANGUAGE_CODE):
        for pk, user in people_by_id.items():
            alerts, mine = by_user.get(user, []), notes_by_user.get(pk, [])
            if not user.email or not (alerts or mine):
                continue
            alerts.sort(key=lambda a: a.due_at)
            emails.append(
                email_queue(
                    subject=_digest_subject(len(alerts), len(mine)),
                    body=_digest_body(user, alerts, site, mine),
                    to=[user.email],
                )
            )
    return emails


def calendar_notice_check(*, today: dt.date | None = None) -> SystemNotice | None:
    """November–December: raise an administrators' notice until next year's working
    calendar is loaded; resolve it once it is (DESIGN "Working calendar"). The
    notice and its e-mail are recorded together; a failed delivery is retried by
    the outbox relay."""
    today = today or local_date(timezone.now())
    next_year = today.year + 1
    key = f"calendar-not-loaded-{next_year}"
    if CalendarYear.objects.filter(year=next_year).exists():
        SystemNotice.objects.filter(key=key, resolved_at__isnull=True).update(resolved_at=timezone.now())
        return None
    if today.month < 11:
        return None
    email = None
    with transaction.atomic():
        notice, created = SystemNotice.objects.get_or_create(
            key=key,
            defaults={
                "message": _(
                    "%(year)s 年工作日历尚未载入：跨入该年的期限无法准确计算。"
                    "请在国务院办公厅公布放假安排后，在管理后台或用 load_calendar 命令载入。"
                )
                % {"year": next_year},
                "raised_at": timezone.now(),
            },
        )
        if created:
            admins = (
                User.objects.filter(
                    is_active=True,
                    memberships__role=Role.ADMIN,
                    memberships__revoked_at__isnull=True,
                )
                .exclude(email="")
                .distinct()
            )
            emails = [u.email for u in admins]
            if emails:
                email = email_queue(
                    subject=_("执行监督平台：%(year)s 年工作日历尚未载入") % {"year": next_year},
                    body=notice.message,
                    to=emails,
                )
    if email is not None:
        try:
            emails_deliver([email.pk])
        except Exception:
            logger.warning("calendar notice e-mail not delivered; the outbox relay retries it", exc_info=True)
    return notice


def system_notices_for(user: User) -> list[SystemNotice]:
    """Open system notices, for administrators only."""
    if not (user.is_superuser or any(m.role == Role.ADMIN for m in active_memberships(user))):
        return []
    return list(SystemNotice.objects.filter(resolved_at__isnull=True))
