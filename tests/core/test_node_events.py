"""Node events are append-only: PostgreSQL refuses UPDATE and DELETE."""

import datetime as dt

import pytest
from django.db import InternalError, connection, transaction

from core.exceptions import RuleViolation
from core.models import NodeEvent
from core.services.events import node_event_record, node_time_check


@pytest.fixture
def event(courts, clerk, now):
    return node_event_record(
        kind="case.received", court=courts.lu0102, occurred_at=now, actor=clerk,
        payload={"case_number": "(2026)鲁0102执1号"},
    )


def test_event_records_declared_and_server_times(event, clerk):
    assert event.recorded_at is not None and event.actor == clerk
    assert event.recorded_at >= event.occurred_at - dt.timedelta(seconds=1)


def test_update_through_the_orm_is_refused_by_the_database(event):
    assert connection.vendor == "postgresql"
    with pytest.raises(InternalError), transaction.atomic():
        NodeEvent.objects.filter(pk=event.pk).update(kind="forged")
    event.refresh_from_db()
    assert event.kind == "case.received"


def test_raw_sql_update_and_delete_are_refused(event):
    for sql in (
        "UPDATE core_nodeevent SET occurred_at = occurred_at - interval '10 days' WHERE id = %s",
        "DELETE FROM core_nodeevent WHERE id = %s",
    ):
        with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    assert NodeEvent.objects.filter(pk=event.pk, kind="case.received").exists()


def test_node_in_the_future_is_refused(now):
    with pytest.raises(RuleViolation) as excinfo:
        node_time_check(now + dt.timedelta(hours=2))
    assert excinfo.value.code == "node_in_future"


def test_backdated_node_is_flagged_not_refused(settings, now):
    settings.NODE_BACKDATE_TOLERANCE_HOURS_PERSON = 4
    assert node_time_check(now - dt.timedelta(days=3)) == ["backdated"]
    assert node_time_check(now - dt.timedelta(hours=5)) == ["backdated"]
    assert node_time_check(now - dt.timedelta(hours=2)) == []


def test_domain_history_is_captured_even_for_queryset_update(courts):
    from core.models import Court

    Court.objects.filter(pk=courts.lu0103.pk).update(name="济南市市中区人民法院（更名）")
    history = Court.pgh_event_model.objects.filter(pgh_obj_id=courts.lu0103.pk).order_by("pgh_id")
    assert [h.pgh_label for h in history][-1] == "update"
    assert history.last().name == "济南市市中区人民法院（更名）"
