"""Log records that cannot be forged and never carry a full ID or phone number.

* ``RedactFilter`` (on every handler) masks resident ID numbers, credit codes and phone
  numbers in the rendered message and the traceback, the way ``core.identity`` masks them
  on screen: ``370102********1234``, ``138****5678``.
* ``JsonFormatter`` writes one JSON object per line (production: structured logs for the
  collector). A line break or control character a client put into a field stays inside
  the JSON string, so nobody can start a forged line.
* ``PlainFormatter`` (development) escapes the same characters (``\\n``, ``\\x1b``).
"""

import datetime as dt
import json
import logging
import re
from typing import Any

# 18-character resident ID / credit code, 15-digit first-generation IDs, mobile numbers
# and landlines with an area code. Bounded by non-alphanumerics so order numbers and
# case numbers (which contain CJK and brackets) are left alone.
_ID = re.compile(r"(?<![0-9A-Za-z])([0-9A-Z]{6})([0-9A-Z]{8,11}?)([0-9A-Z]{1,4})(?![0-9A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[- ]?)?(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(0[1-9][0-9]{1,2}-?)([0-9]{3,4})([0-9]{4})(?![0-9])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def _mask_id(match: re.Match) -> str:
    head, middle, tail = match.groups()
    if not any(c.isdigit() for c in middle):
        return match.group(0)  # a word such as ANONYMOUSUSERX, not a number
    return head + "*" * len(middle) + tail


def redact(text: str) -> str:
    """``text`` with every ID-like and phone-like number masked."""
    text = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    text = _LANDLINE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)
    return _ID.sub(_mask_id, text)


def escape_control(text: str) -> str:
    return _CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text)


class RedactFilter(logging.Filter):
    """Render the message once, masked; the arguments go (they may hold the numbers)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        record.exc_info = None if record.exc_text else record.exc_info
        return True


class JsonFormatter(logging.Formatter):
    _STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in self._STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_text or record.exc_info:
            entry["exception"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]  # set: see the condition
        return json.dumps(entry, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """One line per record: the message's own line breaks and control characters are
    escaped (a traceback, written by the logging machinery, keeps its lines)."""

    def formatMessage(self, record: logging.LogRecord) -> str:
        return escape_control(super().formatMessage(record))


class ClientErrorWithoutTraceback(logging.Filter):
    """On ``django.request``: a routine refusal (403 from ``PermissionDenied``, 400 from
    ``SuspiciousOperation`` — any status under 500) is one warning line, without the
    traceback Django attaches; a 500 keeps its traceback (issue 17)."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
