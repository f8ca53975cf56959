"""The application's error family (Zulip ``JsonableError``, HackSoft handler).

Every refusal a client can cause is an ``ApplicationError`` with a machine ``code``,
a translatable human message (zh-hans by default) and ``extra``; the DRF exception
handler in ``core.api.errors`` renders them as ``{code, message, extra}``.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _


class ApplicationError(Exception):
    status_code = 400
    default_code = "error"
    default_message: Any = _("请求无法完成。")

    def __init__(self, message: Any = None, *, code: str | None = None, extra: dict | None = None):
        self.message = message if message is not None else self.default_message
        self.code = code or self.default_code
        self.extra = extra or {}
        super().__init__(str(self.message))


class ValidationFailed(ApplicationError):
    """400: a field or the request is malformed. ``extra.fields`` maps field → messages."""

    status_code = 400
    default_code = "invalid"
    default_message = _("提交的数据有误。")

    @classmethod
    def for_field(cls, field: str, message: Any, *, code: str | None = None) -> "ValidationFailed":
        return cls(message, code=code, extra={"fields": {field: [str(message)]}})


T = TypeVar("T")


class FieldErrors:
    """Every refusal of one input, collected: a form shows each next to its field at once
    and REST answers them all in ``extra.fields``. The first refusal gives the answer's
    ``code``, message and any ``extra`` of its own (``case_type_not_implementation``)."""

    def __init__(self) -> None:
        self.fields: dict[str, list[str]] = {}
        self.first: ValidationFailed | None = None

    def add(self, path: str, message, *, code: str | None = None, extra: dict | None = None) -> None:
        self.fields.setdefault(path, []).append(str(message))
        if self.first is None:
            self.first = ValidationFailed(message, code=code, extra=dict(extra or {}))

    def add_failure(self, path: str, exc: ValidationFailed, *, keep_code: bool = False) -> None:
        """``exc``'s message under ``path``; its code and ``extra`` only with ``keep_code``
        (the contract names a few refusals, the others are plain ``invalid``)."""
        if keep_code:
            self.add(
                path, exc.message, code=exc.code, extra={k: v for k, v in exc.extra.items() if k != "fields"}
            )
        else:
            self.add(path, exc.message)

    def catch(self, call: Callable[..., T], *args: Any, **kwargs: Any) -> T | None:
        """``call(*args, **kwargs)``, or ``None`` with its ``ValidationFailed`` collected
        under the paths it names (code and ``extra`` kept: it used to be the answer)."""
        try:
            return call(*args, **kwargs)
        except ValidationFailed as exc:
            fields = exc.extra.get("fields")
            extra = {k: v for k, v in exc.extra.items() if k != "fields"}
            if not isinstance(fields, dict) or not fields:
                fields = {"non_field_errors": [str(exc.message)]}
            for index, (path, texts) in enumerate(fields.items()):
                for text in texts if isinstance(texts, list) else [texts]:
                    first = index == 0
                    self.add(
                        str(path), text, code=exc.code if first else None, extra=extra if first else None
                    )
            return None

    def raise_if_any(self) -> None:
        if self.first is not None:
            first = self.first
            raise ValidationFailed(
                first.message, code=first.code, extra={**first.extra, "fields": self.fields}
            )


class PermissionDenied(ApplicationError):
    status_code = 403
    default_code = "permission_denied"
    default_message = _("您没有执行该操作的权限。")


class NotFound(ApplicationError):
    status_code = 404
    default_code = "not_found"
    default_message = _("对象不存在或不在您的可见范围内。")


class Conflict(ApplicationError):
    status_code = 409
    default_code = "conflict"
    default_message = _("与当前状态冲突。")


class InvalidTransition(Conflict):
    default_code = "invalid_transition"
    default_message = _("当前状态下不允许该操作。")


class ConcurrentChange(Conflict):
    default_code = "concurrent_change"
    default_message = _("该对象已被他人修改，请刷新后重试。")


class RuleViolation(ApplicationError):
    """422: a rule of the court refuses the operation; ``code`` names the rule."""

    status_code = 422
    default_code = "rule_violation"
    default_message = _("该操作违反办案规则。")


class CalendarNotLoaded(RuleViolation):
    default_code = "calendar_not_loaded"

    def __init__(self, year: int):
        super().__init__(
            _("%(year)s 年的工作日历尚未载入，无法计算期限。请管理员载入国务院公布的该年节假日安排。")
            % {"year": year},
            extra={"year": year},
        )
        self.year = year
