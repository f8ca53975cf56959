"""Writes of the court tree. ``path`` is derived here and nowhere else."""

import csv
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.exceptions import ValidationFailed
from core.models import Court, CourtLevel
from core.selectors import court_get_by_code


def _path_for(code: str, parent: Court | None) -> str:
    return f"{parent.path if parent else '/'}{code}/"


@transaction.atomic
def court_upsert(*, code: str, name: str, level: str, parent: Court | None) -> Court:
    """Create or update a court; moving it under another parent rewrites the paths of
    its whole subtree in the same transaction."""
    code, name = code.strip(), name.strip()
    if not code or "/" in code or len(code) > 16:
        raise ValidationFailed.for_field("code", _("法院代字不能为空、不能含“/”，且不超过 16 个字符。"))
    if level not in CourtLevel.values:
        raise ValidationFailed.for_field("level", _("层级必须是 supreme、high、intermediate 或 basic。"))
    if parent is not None and parent.path.find(f"/{code}/") >= 0:
        raise ValidationFailed.for_field("parent", _("上级法院不能是该法院本身或其下级。"))
    path = _path_for(code, parent)
    # The row to update, active or not (not a look-up: ``court_get_by_code`` is)
    court = Court.objects.select_for_update().filter(code=code).first()
    if court is None:
        return Court.objects.create(
            code=code, name=name, level=level, parent=parent, path=path, depth=path.count("/") - 2
        )
    old_path = court.path
    court.name, court.level, court.parent = name, level, parent
    court.path, court.depth = path, path.count("/") - 2
    court.save()
    if old_path != path:
        for child in Court.objects.filter(path__startswith=old_path).exclude(pk=court.pk):
            child.path = path + child.path[len(old_path) :]
            child.depth = child.path.count("/") - 2
            child.save(update_fields=["path", "depth"])
    return court


@transaction.atomic
def courts_load_csv(*, file: Path) -> int:
    """Load ``code,name,level,parent`` rows (parents before children, or in any
    order: rows are retried until their parent exists). Returns rows written."""
    with open(file, encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("code") or "").strip()]
    pending, written = rows, 0
    while pending:
        progressed, waiting = False, []
        for row in pending:
            parent_code = (row.get("parent") or "").strip()
            parent = court_get_by_code(parent_code) if parent_code else None
            if parent_code and parent is None:
                waiting.append(row)
                continue
            court_upsert(code=row["code"], name=row["name"], level=row["level"].strip(), parent=parent)
            written += 1
            progressed = True
        if not progressed:
            missing = sorted({(r.get("parent") or "").strip() for r in waiting})
            raise ValidationFailed(
                _("以下上级法院代字不存在：%(codes)s") % {"codes": "、".join(missing)},
                code="unknown_parent_court",
            )
        pending = waiting
    return written
