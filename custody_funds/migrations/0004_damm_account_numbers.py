"""Account numbers switch from a Luhn to a Damm check digit (Luhn misses the swap
09 ↔ 90). No account has been printed on a notice in production yet."""

from django.db import migrations


def renumber(apps, schema_editor):
    from custody_funds.services.ledger import account_number_for

    LedgerAccount = apps.get_model("custody_funds", "LedgerAccount")
    for account in LedgerAccount.objects.filter(kind="case").only("pk", "court_id", "case_id"):
        LedgerAccount.objects.filter(pk=account.pk).update(
            number=account_number_for(court_id=account.court_id, case_id=account.case_id)
        )


class Migration(migrations.Migration):
    dependencies = [("custody_funds", "0003_hold_amount")]
    operations = [migrations.RunPython(renumber, migrations.RunPython.noop)]
