"""Writing many items at once (API.md "Bulk"; issue 17).

- ``set_write_or_one_by_one``: all the accepted items of a request in one set write,
  or — if that fails in the database — each through the single-item service in its
  own savepoint.
- ``rows_insert``: the set write's INSERT of one table. On PostgreSQL the rows go in
  by ``COPY … FROM STDIN`` under ids drawn beforehand from the table's sequence: no
  SQL text per row, no per-value preparation by Django's compiler (that was a third
  of a 1,000-case request). Elsewhere (SQLite for ``make run``) it is
  ``bulk_create``. The rows are exactly what ``bulk_create`` would write: the same
  fields, ``auto_now``/``auto_now_add`` filled, foreign keys taken from the related
  objects saved before, every trigger and constraint of the table applied (history
  included, with the request's context: the id query runs first, through Django's
  cursor, and sets it for the transaction)."""

import io
import json
import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connection, models, transaction

logger = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

# Rows per statement where the database is not PostgreSQL.
BULK_CREATE_BATCH = 500


def set_write_or_one_by_one(write: Callable[[], T], one_by_one: Callable[[], None], *, what: str) -> T | None:
    """Run ``write`` (all the accepted items of a request at once) in a savepoint. If
    it fails in any way (a row another request wrote meanwhile, a deadlock), roll it
    back and run ``one_by_one`` (each item through the single-item service, in its own
    savepoint): correctness first. Returns what ``write`` returned, or ``None`` after
    the fallback."""
    try:
        with transaction.atomic():
            return write()
    except Exception:
        logger.warning("%s: the set write failed, items one by one", what, exc_info=True)
        one_by_one()
        return None


def rows_insert(objs: Sequence[M]) -> Sequence[M]:
    """Insert ``objs`` (new instances of one model, primary keys unset) and give
    each its primary key, in order. Returns ``objs``."""
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objs, batch_size=BULK_CREATE_BATCH)
    meta = model._meta
    fields = list(meta.concrete_fields)
    stamped = [f for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    columns_out = [(f.attname, _converter(f)) for f in fields]
    # (attname, field, the related model's key) of every foreign key: as bulk_create
    # does, a key left empty is taken from the related object saved before
    keys = [(f.attname, f, f.target_field.attname) for f in fields if isinstance(f, models.ForeignKey)]
    with connection.cursor() as cursor:
        # A WITH, not a bare SELECT: django-pghistory attaches the request's context
        # (transaction-local) to every statement but those starting with SELECT, and
        # COPY itself does not pass through Django's execute wrappers — so this query
        # is what gives the history rows of the COPY below their context.
        cursor.execute(
            "WITH ids AS (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS id FROM generate_series(1, %s))"
            " SELECT id FROM ids ORDER BY id",
            [meta.db_table, meta.pk.column, len(objs)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        lines = []
        for obj, pk in zip(objs, ids, strict=True):
            for attname, key, target in keys:
                if getattr(obj, attname) is None and key.is_cached(obj):
                    related = key.get_cached_value(obj)
                    if related is not None:
                        if getattr(related, target) is None:
                            raise ValueError(f"rows_insert(): {key} names an unsaved {type(related).__name__}")
                        setattr(obj, attname, getattr(related, target))
            obj.pk = pk
            for field in stamped:
                field.pre_save(obj, add=True)
            lines.append("\t".join([write(getattr(obj, attname)) for attname, write in columns_out]))
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        cursor.copy_expert(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN",
            io.StringIO("\n".join(lines) + "\n"),
        )
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
NULL = "\\N"


def _converter(field: models.Field) -> Callable[[object], str]:
    """How a value of ``field`` is written in COPY's text format (chosen once per
    field, not per value)."""
    if isinstance(field, models.JSONField):
        return lambda v: NULL if v is None else json.dumps(v, cls=field.encoder, ensure_ascii=False).translate(_ESCAPES)
    if isinstance(field, models.BooleanField):
        return lambda v: NULL if v is None else ("t" if v else "f")
    if isinstance(field, models.DateTimeField):

        def moment(v) -> str:
            if v is None:
                return NULL
            if v.tzinfo is None:
                raise ValueError(f"{field}: a naive datetime cannot be stored ({v!r})")
            return v.isoformat()

        return moment
    stored = field.target_field if isinstance(field, models.ForeignKey) else field  # a key: its target's type
    if isinstance(stored, models.IntegerField | models.AutoField | models.DecimalField):
        return lambda v: NULL if v is None else str(v)  # no character to escape
    # text, dates, UUIDs: their str() is PostgreSQL's input form
    return lambda v: NULL if v is None else str(v).translate(_ESCAPES)
