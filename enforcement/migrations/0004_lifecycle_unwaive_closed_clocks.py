"""Issue 15 (lifecycle spec §9 T14c): undo the waivers closure wrote.

Before issue 15, ``_close`` waived every running execution clock of a closed case
(``clock_waive(by_rule=True)``: status ``waived``, note "案件已结案", completed_by =
the closer). No clock ends ``waived`` by a rule any more, so each such clock is put
where the catalogue's LIFECYCLE says that closure leaves it:

- KEEP_RUNNING / REFUSE_CLOSURE (the duty is still owed: 限消 release, money, a
  freeze's expiry): reopened — ``open``, or ``breached`` when its due moment has
  already passed (now), so screening and dashboards count the breach closure hid;
- ENDS_MOOT (the closure took the duty's object away): ``moot`` when the closure
  came before the due moment, else ``breached`` (``completed_at`` empty, ``ended_at``
  = the closure);
- STOP_MET (CASE_DURATION; normally already stopped): met/breached at the closure;
- PAUSE_WITH_APPROVED_REASON (移送破产审查): reopened and paused from the closure.

The event time is the case's ``closed_at`` (the closure itself), falling back to the
waiver's own ``completed_at``. The outcomes are read from ``core.rule_catalogue``
as of this migration (the table is data, versioned with the code).
"""

from django.db import migrations
from django.utils import timezone

CLOSURE_WAIVER_NOTE = "案件已结案"


def unwaive_closed_clocks(apps, schema_editor) -> int:
    from core.rule_catalogue import (
        ENDS_MOOT,
        PAUSE_WITH_APPROVED_REASON,
        STOP_MET,
        lifecycle_outcome,
    )

    Deadline = apps.get_model("core", "Deadline")
    DeadlinePause = apps.get_model("core", "DeadlinePause")
    now = timezone.now()
    changed = 0
    waived = (
        Deadline.objects.filter(status="waived", note=CLOSURE_WAIVER_NOTE, case__status="closed")
        .exclude(case__closure_type="")
        .select_related("rule", "case")
        .order_by("pk")
    )
    for d in waived:
        closure = d.case.closure_type
        event_at = d.case.closed_at or d.completed_at or now
        outcome = lifecycle_outcome(d.rule.code, closure)
        d.completed_at = None
        d.completed_by = None
        d.note = "结案不再免除期限（数据迁移）"
        if outcome == ENDS_MOOT:
            d.status = "breached" if d.due_at < event_at else "moot"
            d.ended_at = event_at
            d.end_reason = closure
        elif outcome == STOP_MET:
            d.status = "met" if event_at <= d.due_at else "breached"
            d.completed_at = event_at
        else:
            d.status = "breached" if d.due_at < now else "open"
            if outcome == PAUSE_WITH_APPROVED_REASON and d.started_at <= event_at:
                DeadlinePause.objects.create(deadline=d, paused_at=event_at, reason="移送破产审查")
                d.paused_at = event_at
                d.status = "breached" if d.due_at < event_at else "open"
        d.save()
        changed += 1
    return changed


def forward(apps, schema_editor) -> None:
    unwaive_closed_clocks(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0003_lifecycle_cancelled"),
        ("core", "0011_lifecycle_moot"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
