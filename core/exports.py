"""Excel exports with a progress bar, for any app (DESIGN: "every table exports").

An app describes a table once and registers it::

    register(Exporter(
        key="supervision.top_overdue",
        title=_("超期案件"),
        columns=[Column(_("案号"), 26), Column(_("超期天数"), 10, "int")],
        rows=lambda user, params: ...,          # iterable of row lists, scoped to ``user``
        clean=lambda user, params: {...},       # validate the filters (raise ApplicationError)
        count=lambda user, params: 1234,        # optional: total rows, for the percentage
        permission="supervision.view_dashboard",
    ))

``export_start`` records an ``ExportJob`` and enqueues ``core.tasks.run_export``
after commit; the task (``export_run``) re-reads the job, re-checks permission and
scope as of now, streams the rows into a write-only workbook and reports progress
every ``PROGRESS_EVERY`` rows. Small exports take the same path (one path to
test); with Celery eager (``make run``) it completes before the page is shown.

Reads are scoped by the exporter's ``rows`` — which must use the same court-scoped
selectors as the page the table comes from — so an export never shows more than
the page.
"""

import datetime as dt
import importlib
import io
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core.exceptions import ApplicationError, NotFound, PermissionDenied, ValidationFailed
from core.models import ExportJob, ExportStatus, NotificationKind, User
from core.outbox.outbox import enqueue_on_commit
from core.services.notifications import in_site_language, notify

# ``core.tasks`` imports this module (``run_export`` wraps ``export_run``): the task
# is asked for by name, so the import stays one-way.
RUN_EXPORT = "core.tasks.run_export"

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Update the job's progress after this many rows (one UPDATE each time).
PROGRESS_EVERY = 500
# A sheet holds 1,048,576 rows; a browser download of more than this is not useful.
MAX_ROWS = getattr(settings, "EXPORT_MAX_ROWS", 200_000)
# A finished file is kept this many days ("我的导出").
KEEP_DAYS = getattr(settings, "EXPORT_KEEP_DAYS", 7)
_HEADER_FILL = PatternFill("solid", fgColor="EEF2F7")

KINDS = ("text", "int", "money", "percent", "date", "datetime")
_FORMATS = {
    "int": "#,##0",
    "money": "#,##0.00",
    "percent": "0.0%",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}


@dataclass(frozen=True)
class Column:
    title: Any
    width: int = 14
    kind: str = "text"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def _no_params(user: User, params: dict) -> dict:
    return {}


@dataclass(frozen=True)
class Exporter:
    key: str
    title: Any
    columns: Sequence[Column | str]
    rows: Callable[[User, dict], Iterable[Sequence[Any]]]
    clean: Callable[[User, dict], dict] = _no_params
    count: Callable[[User, dict], int | None] | None = None
    permission: str | None = None
    # Where the exporter is registered (imported by the worker); defaults to the
    # module that defines ``rows``.
    module: str = ""
    # A title for the file that depends on the filters (court, period), if any.
    describe: Callable[[dict], str] | None = None
    _columns: tuple[Column, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_columns", tuple(c if isinstance(c, Column) else Column(c) for c in self.columns)
        )
        if not self.module:
            object.__setattr__(self, "module", self.rows.__module__)

    @property
    def column_list(self) -> tuple[Column, ...]:
        return self._columns


_REGISTRY: dict[str, Exporter] = {}


def register(exporter: Exporter) -> Exporter:
    """Add ``exporter`` to the registry (import time). Registering the same key
    again replaces it (module reloads in development)."""
    _REGISTRY[exporter.key] = exporter
    return exporter


def registered() -> dict[str, Exporter]:
    return dict(_REGISTRY)


def _installed(module: str) -> bool:
    return any(module == cfg.name or module.startswith(cfg.name + ".") for cfg in apps.get_app_configs())


def exporter_get(key: str, *, module: str = "") -> Exporter:
    """The exporter registered under ``key``; ``module`` (recorded on the job) is
    imported first when the key is not known yet in this process."""
    if key not in _REGISTRY and module and _installed(module):
        importlib.import_module(module)
    try:
        return _REGISTRY[key]
    except KeyError:
        raise NotFound(_("没有名为 %(key)s 的导出。") % {"key": key}) from None


def _check_permission(user: User, exporter: Exporter) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionDenied()
    if exporter.permission and not user.has_perm(exporter.permission):
        raise PermissionDenied(_("您没有导出该数据的权限。"))


def _flat(params: Any) -> dict[str, str]:
    """Filters as plain strings (a QueryDict gives the last value of each)."""
    if params is None:
        return {}
    if hasattr(params, "lists"):
        return {k: (v[-1] if v else "") for k, v in params.lists()}
    if not isinstance(params, dict):
        raise ValidationFailed(_("筛选条件格式不正确。"))
    return {str(k): "" if v is None else str(v) for k, v in params.items()}


# --- service -----------------------------------------------------------------------------


@transaction.atomic
def export_start(*, user: User, key: str, params: dict | Any) -> ExportJob:
    """Queue an export of table ``key`` with filters ``params`` for ``user``. The
    filters are validated now (an invisible court is 404 here, not a failed job
    later) and again when the task runs."""
    exporter = exporter_get(key)
    _check_permission(user, exporter)
    cleaned = exporter.clean(user, _flat(params))
    title = str(exporter.title)
    detail = exporter.describe(cleaned) if exporter.describe is not None else ""
    if detail:
        title = f"{title}（{detail}）"
    # Files live in the database: the requester's old ones go when a new one starts.
    ExportJob.objects.filter(user=user, created_at__lt=timezone.now() - dt.timedelta(days=KEEP_DAYS)).delete()
    job = ExportJob.objects.create(
        user=user, key=exporter.key, module=exporter.module, title=title[:200], params=cleaned
    )

    enqueue_on_commit(RUN_EXPORT, job_id=str(job.pk))
    return job


# --- reads -------------------------------------------------------------------------------


def export_jobs_of(user: User) -> QuerySet[ExportJob]:
    """The user's own exports (without the file), newest first."""
    return ExportJob.objects.filter(user=user).defer("content").order_by("-created_at")


def export_job_get(user: User, job_id: Any, *, with_content: bool = False) -> ExportJob:
    """One of the user's exports; anyone else's (or a malformed id) is 404."""
    qs = ExportJob.objects.filter(user=user)
    if not with_content:
        qs = qs.defer("content")
    try:
        job = qs.filter(pk=job_id).first()
    except (ValueError, TypeError, DjangoValidationError):  # not a UUID
        job = None
    if job is None:
        raise NotFound(_("导出任务不存在。"))
    return job


# --- the task body --------------------------------------------------------------------------


# OWASP "CSV/formula injection": a text starting with one of these is read as a formula
# (or a DDE command) by a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """``value`` prefixed with ``'`` when a spreadsheet would read it as a formula."""
    return f"'{value}" if value[:1] in FORMULA_START else value


def safe_cell(ws, value: Any, number_format: str | None = None) -> WriteOnlyCell:
    """The one way every export writes a cell (write-only and ordinary sheets alike:
    ``ws.append`` takes the cell). Text is always stored as a string — a text that
    starts like a formula is prefixed with ``'`` and marked quote-prefixed, so no
    spreadsheet evaluates it; numbers and dates stay typed (with ``number_format``)."""
    if isinstance(value, str):
        cell = WriteOnlyCell(ws, value=None)
        text = safe_text(value)
        cell.value = text
        cell.data_type = "s"
        if text is not value:
            cell.quotePrefix = True
        return cell
    cell = WriteOnlyCell(ws, value=value)
    if number_format and value is not None:
        cell.number_format = number_format
    return cell


def _cell_value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal | int | float | dt.date):
        return value
    if kind in ("money", "int") and isinstance(value, str):
        # an amount handed over as text (a JSON figure) is still a number in the sheet,
        # so that its column's format groups the thousands (1,234,567.89)
        try:
            return Decimal(value)
        except InvalidOperation:
            pass
    return str(value)


def _cells(ws, row: Sequence[Any], columns: tuple[Column, ...]) -> list:
    cells = []
    for index, column in enumerate(columns):
        value = _cell_value(row[index] if index < len(row) else None, column.kind)
        cells.append(safe_cell(ws, value, _FORMATS.get(column.kind)))
    return cells


def _header(ws, columns: tuple[Column, ...]) -> list:
    cells = []
    for column in columns:
        cell = safe_cell(ws, str(column.title))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center")
        cells.append(cell)
    return cells


def _sheet_title(title: str) -> str:
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31] or "Sheet1"


def _progress(job_id, done: int, total: int | None) -> None:
    percent = min(99, int(done * 100 / total)) if total else 0
    ExportJob.objects.filter(pk=job_id, status=ExportStatus.RUNNING).update(done_rows=done, progress=percent)


def _fail(job_id, message: str) -> None:
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportStatus.FAILED, error=message[:500], finished_at=timezone.now()
    )


def build_workbook(
    exporter: Exporter,
    rows: Iterable[Sequence[Any]],
    *,
    title: str,
    on_progress: Callable[[int], None] | None = None,
    limit: int = MAX_ROWS,
) -> tuple[bytes, int, bool]:
    """Write ``rows`` under the exporter's header. Returns (xlsx bytes, rows written,
    truncated)."""
    columns = exporter.column_list
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(title))
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"
    ws.append(_header(ws, columns))
    written = 0
    truncated = False
    try:
        for row in rows:
            if written >= limit:
                truncated = True
                break
            ws.append(_cells(ws, row, columns))
            written += 1
            if on_progress is not None and written % PROGRESS_EVERY == 0:
                on_progress(written)
    except BaseException:
        ws.close()  # release the sheet's temporary file
        raise
    if truncated:
        ws.append([safe_cell(ws, str(_("（仅导出前 %(n)s 行，请缩小筛选范围后分批导出。）") % {"n": limit}))])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), written, truncated


def export_run(*, job_id: str) -> str:
    """Produce the workbook of one job. Idempotent: a finished job is left alone; a
    job found ``running`` (its worker died — the task is ``acks_late``) starts over.
    Returns the job's final status."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update()
            .defer("content")
            .select_related("user")
            .filter(pk=job_id)
            .first()
        )
        if job is None:
            return "missing"
        if job.is_finished:
            return job.status
        job.status = ExportStatus.RUNNING
        job.attempts += 1
        job.started_at = timezone.now()
        job.done_rows = 0
        job.progress = 0
        job.save(update_fields=["status", "attempts", "started_at", "done_rows", "progress"])
    try:
        exporter = exporter_get(job.key, module=job.module)
        user = job.user
        _check_permission(user, exporter)
        params = exporter.clean(user, job.params)
        total = exporter.count(user, params) if exporter.count is not None else None
        if total is not None:
            ExportJob.objects.filter(pk=job.pk).update(total_rows=min(total, MAX_ROWS))
        content, written, truncated = build_workbook(
            exporter,
            exporter.rows(user, params),
            title=str(exporter.title),
            on_progress=lambda done: _progress(job.pk, done, min(total, MAX_ROWS) if total else None),
        )
    except ApplicationError as exc:
        _fail(job.pk, str(exc.message))
        return ExportStatus.FAILED
    except Exception:
        logger.exception("export %s (%s) failed", job.pk, job.key)
        _fail(job.pk, str(_("生成文件时出错，已记录。请稍后重试。")))
        return ExportStatus.FAILED
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    with transaction.atomic():
        finished = ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.DONE,
            content=content,
            done_rows=written,
            total_rows=written,
            truncated=truncated,
            progress=100,
            filename=f"{job.title}-{stamp}.xlsx"[:200],
            finished_at=timezone.now(),
            error="",
        )
        if finished:  # once: a second run finds the job finished
            _notify_ready(job, rows=written)
    return ExportStatus.DONE


@in_site_language
def _notify_ready(job: ExportJob, *, rows: int) -> None:
    """The background exporter finished: the person who asked is told (the task acts
    for nobody, so ``actor`` is none)."""
    notify(
        recipients=[job.user_id],
        actor=None,
        kind=NotificationKind.EXPORT_READY,
        title=_("导出文件已生成：%(t)s") % {"t": job.title},
        body=_("共 %(n)s 行，可在“我的导出”中下载。") % {"n": rows},
        link=reverse("core:export-detail", args=[job.pk]),
        subject=job,
    )
