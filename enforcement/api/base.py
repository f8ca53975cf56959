"""What the enforcement endpoints share: the optional ``at`` of an action and the
result kinds of a bulk answer."""

import datetime as dt
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from core.api.fields import DateTimeField


class AtIn(serializers.Serializer):
    at = DateTimeField(required=False, default=None)


def at_or_now(data: dict[str, Any]) -> dt.datetime:
    """The action's ``at``, or now when the client left it out."""
    return data.get("at") or timezone.now()


# The answer of ``core.api.bulk.bulk_answer``, which the bulk views build as plain dicts:
# ``{"created", "failed", "results": [...]}`` with one result per submitted item, told
# apart by ``result``. A failed item carries the status code and the error body it
# would have got on its own — whatever it raised: an unknown error is 500
# ``internal_error`` for that item alone. Both variants declare the whole set: the
# discriminator mapping says which is which.
BULK_RESULTS = ["created", "error"]
