"""The hash chain over node events: sealed in order, verified nightly; a changed event or
a removed seal is reported at the first broken row."""

import pgtrigger
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEvent, AuditRecord, NodeEventSeal
from audit.services import (
    _EVENT_FIELDS,
    GENESIS,
    event_digest,
    node_events_nightly_check,
    node_events_seal,
    node_events_verify,
)
from core.models import NodeEvent
from tests.enforcement.factories import make_case


@pytest.fixture
def events(courts, clerk, handler):
    for n in range(3):
        make_case(clerk, courts.lu0102, number=f"(2026)鲁0102执{2000 + n}号", handler=handler)
    return list(NodeEvent.objects.order_by("id"))


def test_sealing_is_complete_incremental_and_verifies(events, courts, clerk):
    assert node_events_seal() == len(events)
    assert node_events_seal() == 0
    make_case(clerk, courts.lu0102, number="(2026)鲁0102执2100号")
    added = NodeEvent.objects.count() - len(events)
    assert added > 0 and node_events_seal() == added

    result = node_events_verify()
    assert result.ok and result.checked == NodeEvent.objects.count() and result.unsealed == 0


def test_a_changed_event_is_reported_at_the_first_broken_row(events, mailoutbox, settings):
    settings.ADMINS = [("运维", "ops@court.example")]
    node_events_seal()
    victim = events[len(events) // 2]
    with pgtrigger.ignore("core.NodeEvent:node_event_append_only"), connection.cursor() as cursor:
        cursor.execute("UPDATE core_nodeevent SET payload = '{\"forged\": 1}' WHERE id = %s", [victim.pk])

    result = node_events_nightly_check()

    assert not result.ok
    assert result.broken_event_id == victim.pk
    assert result.checked == [e.pk for e in events].index(victim.pk)
    record = AuditRecord.objects.get(event=AuditEvent.CHAIN_CHECK)
    assert record.success is False and record.object_id == str(victim.pk)
    assert len(mailoutbox) == 1 and str(victim.pk) in mailoutbox[0].body
    with pytest.raises(CommandError, match=f"node event {victim.pk}"):
        call_command("audit_chain")


def test_a_removed_seal_breaks_the_chain_at_the_next_one(events):
    node_events_seal()
    seals = list(NodeEventSeal.objects.order_by("id"))
    with pgtrigger.ignore("audit.NodeEventSeal:node_event_seal_append_only"):
        NodeEventSeal.objects.filter(pk=seals[1].pk).delete()

    result = node_events_verify()

    assert result.broken_seal_id == seals[2].pk and result.unsealed == 1


def test_an_event_committed_late_is_sealed_by_the_nightly_pass(events):
    # The later events were sealed while the first one's transaction was still open.
    previous = GENESIS
    for event in events[1:]:
        row = NodeEvent.objects.filter(pk=event.pk).values(*_EVENT_FIELDS).get()
        previous = event_digest(previous, row)
        NodeEventSeal.objects.create(event=event, digest=previous)

    assert node_events_seal() == 0  # the fast path looks above the highest sealed event
    assert node_events_verify().unsealed == 1
    assert node_events_seal(full=True) == 1
    result = node_events_verify()
    assert result.ok and result.unsealed == 0
    assert NodeEventSeal.objects.latest("id").event_id == events[0].pk


def test_the_command_reports_a_good_chain(events, capsys):
    call_command("audit_chain")
    assert f"chain ok: {len(events)} node events" in capsys.readouterr().out
