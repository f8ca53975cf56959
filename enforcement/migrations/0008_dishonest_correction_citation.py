"""The citation of DISHONEST_CORRECTION (added by 0005 after core's citation sync ran)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from core import rule_catalogue

    rule_catalogue.sync_citations(apps.get_model("core", "DeadlineRule"), apps.get_model("core", "LegalCitation"))


class Migration(migrations.Migration):
    dependencies = [
        ("enforcement", "0007_coercion_register"),
        ("core", "0014_deadline_history_triggers"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
