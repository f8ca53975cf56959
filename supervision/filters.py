"""The filters of the supervisory pages, REST endpoints and exports, cleaned once:
``?court=`` (a visible court, else 404), the clock list's ``rule``/``status``, the
screening list's ``kind``/``days`` and the indicators' period ``from``/``to``.
Each returns a dict of plain strings (what an export job stores)."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed
from core.models import DeadlineRule, User
from supervision.selectors.clocks import STATUS_LABELS
from supervision.selectors.scope import court_param, scope_for
from supervision.selectors.screening import idle_days, screening_kind

__all__ = [
    "clean_court",
    "clock_list_params",
    "court_param",
    "indicator_params",
    "period",
    "screening_params",
]

Params = Mapping[str, Any]


def clean_court(user: User, params: Params) -> dict[str, str]:
    """An optional visible court code."""
    code = court_param(params)
    if code:
        scope_for(user, code)  # 404 outside the view
    return {"court": code} if code else {}


def clock_list_params(user: User, params: Params) -> dict[str, str]:
    """Filters of the per-rule case list (``?rule=&status=&court=``)."""
    cleaned = clean_court(user, params)
    status = (params.get("status") or "overdue").strip()
    if status not in STATUS_LABELS:
        raise ValidationFailed.for_field("status", _("状态无效。"))
    cleaned["status"] = status
    rule = (params.get("rule") or "").strip()
    if rule:
        if not DeadlineRule.objects.filter(code=rule).exists():
            raise ValidationFailed.for_field("rule", _("没有该期限规则。"))
        cleaned["rule"] = rule
    return cleaned


def screening_params(user: User, params: Params, kind: str = "") -> dict[str, str]:
    """Validated filters: court (visible), days (idle list)."""
    cleaned = clean_court(user, params)
    key = kind or (params.get("kind") or "").strip()
    screening_kind(key)
    cleaned["kind"] = key
    if key == "idle":
        cleaned["days"] = str(idle_days(params))
    return cleaned


def parse_date(params: Params, name: str) -> dt.date | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed.for_field(name, _("日期格式应为 YYYY-MM-DD。")) from None


def period(params: Params) -> tuple[dt.date | None, dt.date | None]:
    """The indicators' period: ``from`` ≤ ``to``, either may be open."""
    start, end = parse_date(params, "from"), parse_date(params, "to")
    if start and end and start > end:
        raise ValidationFailed.for_field("from", _("开始日期不能晚于结束日期。"))
    return start, end


def indicator_params(user: User, params: Params) -> dict[str, str]:
    """Validated filters: court (visible), from/to (dates, from ≤ to)."""
    cleaned = clean_court(user, params)
    start, end = period(params)
    if start:
        cleaned["from"] = start.isoformat()
    if end:
        cleaned["to"] = end.isoformat()
    return cleaned
