"""Rows as comparable values: what a bulk write stored against what the same write
stored one item at a time (``test_bulk_ingest``, ``test_bulk_feedback``)."""

from django.apps import apps
from pghistory.models import Event


def row(obj, *, drop=()) -> dict:
    """A row's stored values, without its own id, its timestamps and the ids that
    only say which case (or party, search …) it belongs to (``drop``)."""
    skip = {"id", "created_at", "updated_at", "recorded_at", *drop}
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields if f.attname not in skip}


def history_of(owned: dict) -> dict[str, int]:
    """History rows (django-pghistory, written by triggers) of the rows ``owned``
    names (model → ids), per tracked table."""
    counts = {}
    for model in apps.get_models():
        if issubclass(model, Event) and model.pgh_tracked_model in owned:
            ids = owned[model.pgh_tracked_model]
            counts[model._meta.label] = model.objects.filter(pgh_obj_id__in=ids).count()
    return counts
