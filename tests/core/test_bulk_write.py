"""The set write of bulk endpoints (issue 17): ``rows_insert`` writes by COPY what
``bulk_create`` would, and history is recorded once per INSERT statement with every
row's event (``core/history.py``). PostgreSQL: COPY and statement triggers are its."""

import datetime as dt
from zoneinfo import ZoneInfo

import pghistory
import pytest
from django.db import connection, transaction

from core.models import Court, CourtLevel, Notification
from core.services.bulk import rows_insert
from core.services.events import node_event_build, node_events_record_many
from tests.core.factories import UserFactory, make_court

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
AWKWARD = "制表\t换行\n回车\r反斜杠\\N 与 \\ 结尾\\"


def _courts(*codes: str) -> list[Court]:
    return [
        Court(code=code, name=f"{code}法院", level=CourtLevel.BASIC, path=f"/{code}/", depth=0) for code in codes
    ]


def test_every_insert_history_trigger_runs_once_per_statement_and_updates_row_by_row():
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.tgname, t.tgtype & 1 = 1 AS per_row, p.prosrc
            FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
            WHERE NOT t.tgisinternal AND (t.tgname LIKE 'pgtrigger_insert_insert_%%'
                                          OR t.tgname LIKE 'pgtrigger_update_update_%%')
            """
        )
        triggers = cursor.fetchall()
    inserts = [(name, per_row, src) for name, per_row, src in triggers if "_insert_insert_" in name]
    updates = [(name, per_row) for name, per_row, _src in triggers if "_update_update_" in name]
    assert len(inserts) >= 30 and len(updates) >= 30
    # per statement, reading the statement's new rows (a row function here would fail:
    # NEW does not exist in a statement trigger)
    assert [name for name, per_row, src in inserts if per_row or "new_values" not in src] == []
    assert [name for name, per_row in updates if not per_row] == []


def test_one_statement_of_many_rows_writes_each_row_its_history_with_the_context():
    actor = UserFactory()
    with pghistory.context(user=actor.pk, url="/api/v1/cases/bulk/"):
        courts = rows_insert(_courts("测甲", "测乙", "测丙"))

    events = list(Court.pgh_event_model.objects.filter(pgh_obj_id__in=[c.pk for c in courts]).order_by("pgh_obj_id"))
    assert [(e.pgh_obj_id, e.pgh_label, e.code) for e in events] == [
        (c.pk, "insert", c.code) for c in courts
    ]
    assert len({e.pgh_context_id for e in events}) == 1
    assert events[0].pgh_context.metadata == {"user": actor.pk, "url": "/api/v1/cases/bulk/"}


def test_an_update_still_writes_its_own_history_row():
    court = make_court("测丁")
    court.name = "测丁人民法院"
    court.save()
    labels = list(
        Court.pgh_event_model.objects.filter(pgh_obj_id=court.pk).order_by("pgh_id").values_list("pgh_label", "name")
    )
    assert labels == [("insert", "测丁法院"), ("update", "测丁人民法院")]


def test_rows_written_by_copy_read_back_exactly_as_given():
    court = make_court("测戊")
    user = UserFactory()
    at = dt.datetime(2026, 12, 31, 23, 59, 59, 123456, tzinfo=SHANGHAI)
    notes = rows_insert(
        [
            Notification(recipient=user, court=court, kind="case_assigned", title=AWKWARD, body="", created_at=at),
            Notification(recipient=user, court=None, kind="case_assigned", title="二", body="甲\\乙", created_at=at),
        ]
    )
    assert notes[0].pk < notes[1].pk and not notes[0]._state.adding
    first, second = Notification.objects.filter(pk__in=[n.pk for n in notes]).order_by("pk")
    assert (first.title, first.body, first.created_at, first.court_id, first.read_at) == (
        AWKWARD,
        "",
        at,
        court.pk,
        None,
    )
    assert (second.court_id, second.body) == (None, "甲\\乙")


def test_json_payloads_and_lists_survive_the_copy():
    court = make_court("测己")
    payload = {"说明": AWKWARD, "金额": "1,000.50", "嵌套": {"列表": [1, None, True]}, "引号": '"\'"'}
    [event] = node_events_record_many(
        [
            node_event_build(
                kind="case.received",
                court=court,
                occurred_at=dt.datetime(2026, 12, 1, 9, tzinfo=SHANGHAI),
                actor=None,
                payload=payload,
            )
        ]
    )
    event.refresh_from_db()
    assert event.payload == payload


def test_a_naive_time_is_refused_and_nothing_is_written():
    user = UserFactory()
    before = Notification.objects.count()
    with pytest.raises(ValueError, match="naive"), transaction.atomic():
        rows_insert([Notification(recipient=user, kind="case_assigned", title="x", created_at=dt.datetime(2026, 1, 1))])
    assert Notification.objects.count() == before


def test_a_foreign_key_is_taken_from_the_related_row_saved_just_before():
    courts = rows_insert(_courts("测庚"))
    user = UserFactory()
    [note] = rows_insert([Notification(recipient=user, court=courts[0], kind="case_assigned", title="x")])
    assert Notification.objects.get(pk=note.pk).court_id == courts[0].pk


def test_a_row_naming_an_unsaved_related_row_is_refused():
    user = UserFactory()
    [court] = _courts("测辛")
    with pytest.raises(ValueError, match="unsaved"), transaction.atomic():
        rows_insert([Notification(recipient=user, court=court, kind="case_assigned", title="x")])
