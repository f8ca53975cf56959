"""The contract says what the server does (issue 17): a query parameter an operation
does not declare in the OpenAPI schema is refused, not silently ignored — a client that
misspells ``statsu=approved`` would otherwise get every row back and act on it.

The declared parameters are those of the operation drf-spectacular documents for the
view (``/api/schema/``), computed from the view itself once per process.
"""

from __future__ import annotations

import logging
import re
import threading

from django.utils.translation import gettext as _
from rest_framework.request import Request

from core.exceptions import ValidationFailed

_CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
logger = logging.getLogger(__name__)


_DECLARED: dict[tuple[type, str], frozenset[str] | None] = {}
# drf-spectacular's inspection is not thread-safe (its extensions load their target
# classes lazily, on class attributes): one thread of a worker inspects at a time.
_INSPECTING = threading.Lock()


def declared_query_parameters(view, method: str) -> frozenset[str] | None:
    """The query parameters ``view``'s operation declares in the schema — the one
    drf-spectacular computes for ``/api/schema/`` from the same view — computed once per
    view class and method (a few milliseconds). ``None`` when it cannot be told."""
    key = (type(view), method)
    if key in _DECLARED:
        return _DECLARED[key]
    with _INSPECTING:
        if key not in _DECLARED:
            _DECLARED[key] = _inspect(view, method)
    return _DECLARED[key]


def _inspect(view, method: str) -> frozenset[str] | None:
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.plumbing import ComponentRegistry

    match = view.request.resolver_match
    path = "/" + _CONVERTER.sub(r"{\1}", match.route)
    try:
        # the view as the schema generator sees it: the method's @extend_schema applied
        documented = SchemaGenerator().create_view(match.func, method)
        operation = documented.schema.get_operation(path, match.route, "", method, ComponentRegistry())
    except Exception:
        logger.warning("no schema operation for %s %s", method, path, exc_info=True)
        return None
    if operation is None:
        return None
    return frozenset(p["name"] for p in operation.get("parameters", []) if p.get("in") == "query")


def refuse_undeclared_query_parameters(view, request: Request) -> None:
    """400 ``unknown_parameter`` naming each query parameter the operation does not
    declare, and the ones it does. An operation the schema does not know (none in
    ``/api/v1/``) is left alone."""
    if not request.query_params:
        return
    match = request.resolver_match
    if match is None or not match.route or request.method == "OPTIONS":
        return
    allowed = declared_query_parameters(view, "GET" if request.method == "HEAD" else request.method)
    if allowed is None:
        return
    unknown = sorted(set(request.query_params) - allowed)
    if not unknown:
        return
    listed = "、".join(sorted(allowed)) if allowed else _("（无）")
    message = _("不支持的查询参数：%(unknown)s。本接口支持的参数：%(allowed)s。") % {
        "unknown": "、".join(unknown), "allowed": listed,
    }
    raise ValidationFailed(
        message,
        code="unknown_parameter",
        extra={"fields": {name: [_("本接口不支持该参数。")] for name in unknown}, "allowed": sorted(allowed)},
    )
