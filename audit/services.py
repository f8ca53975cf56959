"""Writes of the audit trail: the per-request record, reveals of a party's identity, and
the node-event seal chain with its check."""

import datetime as dt
import hashlib
import json
import logging
from dataclasses import dataclass

from django.core.mail import mail_admins
from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef
from django.http import HttpRequest
from django.utils.translation import gettext as _

from audit.models import AuditEvent, AuditRecord, NodeEventSeal
from core.exceptions import PermissionDenied
from core.models import NodeEvent, Role, User
from core.net import client_ip
from core.selectors import user_has_role_at

logger = logging.getLogger(__name__)

GENESIS = "0" * 64
SEAL_BATCH = 5000
_SEAL_LOCK = 7_310_001  # pg advisory lock key: one sealer at a time


def _client_ip(request: HttpRequest | None) -> str | None:
    """The client's address, behind the trusted proxy too (``core.net``)."""
    return client_ip(request)


def _text(value: str, limit: int) -> str:
    """A client-sent string as PostgreSQL can store it: NUL escaped, cut to the column."""
    return value.replace("\x00", "\\x00")[:limit]


def audit_record(
    *,
    event: str,
    success: bool,
    user: User | None = None,
    username: str = "",
    request: HttpRequest | None = None,
    action: str = "",
    object_type: str = "",
    object_id: str | int = "",
    status_code: int | None = None,
    detail: dict | None = None,
) -> AuditRecord:
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    return AuditRecord.objects.create(
        event=event,
        success=success,
        user=user,
        username=_text(username or (user.get_username() if user else ""), 150),
        method=_text(request.method or "", 10) if request is not None else "",
        path=_text(request.path, 500) if request is not None else "",
        action=_text(action, 100),
        object_type=_text(object_type, 100),
        object_id=_text(str(object_id), 64),
        status_code=status_code,
        ip=_client_ip(request),
        detail=detail or {},
    )


# --- reveal -----------------------------------------------------------------------------

# Who may see a party's whole ID and phone number: the people (and the command centre's
# systems, which query banks with it) who handle cases at the case's own court.
REVEAL_ROLES = frozenset({Role.CLERK, Role.HANDLER, Role.BUREAU_HEAD, Role.API_CLIENT})


def can_reveal_party(user: User, party) -> bool:
    return user_has_role_at(user, party.case.court, REVEAL_ROLES)


def party_identity_reveal(*, user: User, party, request: HttpRequest | None = None) -> dict:
    """The party's whole ID and phone number, for a user who may see them; every call,
    allowed or refused, leaves an audit record. ``party`` comes from a scoped selector."""
    allowed = can_reveal_party(user, party)
    audit_record(
        event=AuditEvent.REVEAL,
        success=allowed,
        user=user,
        request=request,
        action="party-identity",
        object_type="enforcement.party",
        object_id=party.pk,
        status_code=200 if allowed else 403,
        detail={"case": party.case_id, "fields": ["id_number", "phone"]},
    )
    if request is not None:
        request._audit_recorded = True  # type: ignore[attr-defined]  # read by audit.middleware
    if not allowed:
        raise PermissionDenied(_("只有本案所在法院的书记员、承办人和执行局长可以查看完整证件号码和电话。"))
    return {"id": party.pk, "name": party.name, "id_number": party.id_number, "phone": party.phone}


# --- the seal chain ---------------------------------------------------------------------

_EVENT_FIELDS = (
    "id", "kind", "court_id", "case_id", "subject_type_id", "subject_id", "subject_label",
    "occurred_at", "recorded_at", "actor_id", "flags", "payload",
)  # fmt: skip


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat()


def event_digest(previous: str, row: dict) -> str:
    canonical = [
        _utc(row[name]) if name in ("occurred_at", "recorded_at") else row[name] for name in _EVENT_FIELDS
    ]
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256((previous + text).encode()).hexdigest()


def _last_digest() -> str:
    return NodeEventSeal.objects.order_by("-id").values_list("digest", flat=True).first() or GENESIS


def node_events_seal(*, full: bool = False, batch: int = SEAL_BATCH) -> int:
    """Append every node event without a seal to the chain; returns how many. The fast
    path takes events above the highest sealed one; ``full`` (nightly) also finds events
    whose transaction committed after a later event was sealed. One sealer at a time
    (advisory lock); a second caller returns 0 at once."""
    sealed = 0
    while True:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [_SEAL_LOCK])
                    if not cursor.fetchone()[0]:
                        return sealed
            pending = NodeEvent.objects.all()
            if full:
                pending = pending.filter(~Exists(NodeEventSeal.objects.filter(event_id=OuterRef("pk"))))
            else:
                top = NodeEventSeal.objects.aggregate(top=Max("event_id"))["top"] or 0
                pending = pending.filter(pk__gt=top)
            rows = list(pending.order_by("pk").values(*_EVENT_FIELDS)[:batch])
            if not rows:
                return sealed
            previous = _last_digest()
            seals = []
            for row in rows:
                previous = event_digest(previous, row)
                seals.append(NodeEventSeal(event_id=row["id"], digest=previous))
            NodeEventSeal.objects.bulk_create(seals)
            sealed += len(seals)


@dataclass(frozen=True)
class ChainCheck:
    checked: int
    unsealed: int
    broken_seal_id: int | None = None
    broken_event_id: int | None = None

    @property
    def ok(self) -> bool:
        return self.broken_seal_id is None


def node_events_verify(*, chunk: int = 20_000) -> ChainCheck:
    """Recompute the chain from the first seal; the first seal whose digest no longer
    matches its event (changed, or a seal before it removed) is reported."""
    previous = GENESIS
    checked = 0
    last_id = 0
    fields = [f"event__{name}" for name in _EVENT_FIELDS]
    while True:
        rows = list(
            NodeEventSeal.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values("pk", "digest", *fields)[:chunk]
        )
        if not rows:
            break
        for row in rows:
            event = {name: row[f"event__{name}"] for name in _EVENT_FIELDS}
            expected = event_digest(previous, event)
            if expected != row["digest"]:
                return ChainCheck(
                    checked=checked,
                    unsealed=_unsealed(),
                    broken_seal_id=row["pk"],
                    broken_event_id=event["id"],
                )
            previous = row["digest"]
            checked += 1
        last_id = rows[-1]["pk"]
    return ChainCheck(checked=checked, unsealed=_unsealed())


def _unsealed() -> int:
    return NodeEvent.objects.filter(~Exists(NodeEventSeal.objects.filter(event_id=OuterRef("pk")))).count()


def node_events_nightly_check() -> ChainCheck:
    """Seal what is left, verify the whole chain, record the result; a broken chain is
    logged as an error (the administrators' alerting picks it up) and mailed to ADMINS."""
    node_events_seal(full=True)
    result = node_events_verify()
    audit_record(
        event=AuditEvent.CHAIN_CHECK,
        success=result.ok,
        action="node-event-chain",
        object_type="core.nodeevent",
        object_id=result.broken_event_id or "",
        detail={
            "checked": result.checked,
            "unsealed": result.unsealed,
            "broken_seal": result.broken_seal_id,
            "broken_event": result.broken_event_id,
        },
    )
    if not result.ok:
        logger.error(
            "node event chain broken at event %s (seal %s) after %s good rows",
            result.broken_event_id,
            result.broken_seal_id,
            result.checked,
        )
        mail_admins(
            _("节点事件哈希链校验失败"),
            _("第一个不一致的节点事件：%(event)s（封印 %(seal)s）；此前 %(checked)s 条校验通过。")
            % {"event": result.broken_event_id, "seal": result.broken_seal_id, "checked": result.checked},
            fail_silently=True,
        )
    return result
