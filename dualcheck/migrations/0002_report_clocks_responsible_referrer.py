"""The running report clocks started before their responsible person was recorded get
the upper court's person who set the period: the referrer (DUALCHECK_REPORT) or the
reviewer who ordered the supplementary investigation (DUALCHECK_SUPPLEMENT). Their
alerts go to that person and the joint team (``supervision.services.scan``), never to
a post of the court under investigation. Two set-based updates; nothing to undo."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

RUNNING_STATUSES = ("open", "breached")


def backfill(apps, schema_editor):
    Deadline = apps.get_model("core", "Deadline")
    Referral = apps.get_model("dualcheck", "Referral")
    Review = apps.get_model("dualcheck", "Review")
    running = Deadline.objects.filter(
        completed_at__isnull=True, status__in=RUNNING_STATUSES, responsible__isnull=True
    )
    running.filter(rule__code="DUALCHECK_REPORT").update(
        responsible_id=Subquery(Referral.objects.filter(deadline_id=OuterRef("pk")).values("referred_by_id")[:1])
    )
    running.filter(rule__code="DUALCHECK_SUPPLEMENT").update(
        responsible_id=Subquery(
            Review.objects.filter(clue__report_deadline_id=OuterRef("pk"), decision="supplement")
            .order_by("-reviewed_at", "-id")
            .values("reviewed_by_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("dualcheck", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
