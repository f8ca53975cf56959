"""``Idempotency-Key`` on POST (API.md; Stripe's rules): the first response to a key
is stored; the same key with the same body replays it; with a different body (or
path) it is refused with 409 ``idempotency_key_reused``. A key whose first request
is still running answers 409 ``idempotency_key_in_progress``."""

import datetime as dt
import hashlib
import json
import math

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.utils.encoders import JSONEncoder

from core.exceptions import Conflict, ValidationFailed
from core.models import IdempotencyRecord, User

# A first request that has not answered within this time is presumed dead (its
# worker crashed), and the key may be used again.
IN_PROGRESS_TIMEOUT = dt.timedelta(minutes=5)
MAX_KEY_LENGTH = 255

# Responses that say nothing about the operation itself are not remembered.
NOT_STORED_STATUSES = {401, 403, 429}


class Replay(Exception):
    def __init__(self, record: IdempotencyRecord):
        super().__init__(record.key)
        self.record = record


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    try:
        canonical = json.dumps(json.loads(body or b"null"), sort_keys=True, ensure_ascii=False)
    except (ValueError, UnicodeDecodeError):
        canonical = body.hex()
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode()).hexdigest()


def validate_key(key: str) -> str:
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        raise ValidationFailed(
            _("Idempotency-Key 必须是 1 至 255 个可打印 ASCII 字符。"),
            code="invalid_idempotency_key",
        )
    return key


def idempotency_begin(*, user: User, key: str, method: str, path: str, body: bytes) -> IdempotencyRecord:
    """Claim ``key`` for this request, or raise ``Replay`` / ``Conflict``."""
    fingerprint = request_fingerprint(method, path, body)
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(
                user=user, key=key, method=method, path=path[:500], request_hash=fingerprint
            )
    except IntegrityError:
        pass
    with transaction.atomic():
        record = IdempotencyRecord.objects.select_for_update().get(user=user, key=key)
        if record.request_hash != fingerprint:
            raise Conflict(_("该 Idempotency-Key 已用于另一个不同的请求。"), code="idempotency_key_reused")
        if record.response_status is not None:
            raise Replay(record)
        running = timezone.now() - record.created_at
        if running < IN_PROGRESS_TIMEOUT:
            # Retry-After (API.md): when the first request would be taken for lost.
            wait = max(1, math.ceil((IN_PROGRESS_TIMEOUT - running).total_seconds()))
            raise Conflict(
                _("使用该 Idempotency-Key 的请求仍在处理中，请 %(s)s 秒后重试。") % {"s": wait},
                code="idempotency_key_in_progress",
                extra={"retry_after": wait},
            )
        record.created_at = timezone.now()
        record.save(update_fields=["created_at"])
        return record


def idempotency_finish(*, record: IdempotencyRecord, status: int, body: object) -> None:
    if status >= 500 or status in NOT_STORED_STATUSES:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return
    # Store exactly what was sent: Decimal and datetime rendered as in the response.
    stored = json.loads(json.dumps(body, cls=JSONEncoder))
    IdempotencyRecord.objects.filter(pk=record.pk).update(response_status=status, response_body=stored)
