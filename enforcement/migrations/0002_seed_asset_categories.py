from django.db import migrations


def seed(apps, schema_editor):
    from enforcement import asset_catalogue

    asset_catalogue.sync(apps.get_model("enforcement", "AssetCategory"))


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
