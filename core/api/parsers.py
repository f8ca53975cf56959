"""The one request parser of the API: JSON, and only JSON a court system can mean.

DRF's ``JSONParser`` reads the stream without ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django
enforces it only on ``request.body`` and form parsing) and lets a ``RecursionError``
from deeply nested JSON escape as a 500. This one refuses a body over the limit (413,
``payload_too_large``), invalid UTF-8, ``NaN``/``Infinity`` and nesting deeper than
``MAX_DEPTH`` (400, ``malformed``) before any view sees the data."""

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# The contract's deepest body is a bulk case: {cases: [{applicants: [{payout_account: {}}]}]}.
MAX_DEPTH = 32


def _refuse_constant(name: str) -> Any:
    raise ValueError(_("JSON 不允许 %(name)s。") % {"name": name})


def depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests lists/objects deeper than ``limit`` (iteratively: no
    recursion on hostile input)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if not isinstance(node, (dict, list)):
            continue
        children = list(node.values()) if isinstance(node, dict) else node
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if limit is not None else stream.read()
        if limit is not None and len(raw) > limit:
            raise RequestDataTooBig("Request body exceeded settings.DATA_UPLOAD_MAX_MEMORY_SIZE.")
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("请求体不是有效的 %(encoding)s 文本。") % {"encoding": encoding}) from None
        try:
            data = json.loads(text, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(_("JSON 嵌套层数过多（最多 %(n)s 层）。") % {"n": MAX_DEPTH}) from None
        except ValueError as exc:
            raise ParseError(str(exc)) from None
        if depth_exceeds(data, MAX_DEPTH):
            raise ParseError(_("JSON 嵌套层数过多（最多 %(n)s 层）。") % {"n": MAX_DEPTH})
        return data
