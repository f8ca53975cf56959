"""Seed the rule catalogue and the working calendar (chinese-calendar's years)."""

from django.db import migrations


def seed_rules(apps, schema_editor):
    from core import rule_catalogue

    rule_catalogue.sync(apps.get_model("core", "DeadlineRule"))


def seed_calendar(apps, schema_editor):
    from chinese_calendar import constants

    CalendarYear = apps.get_model("core", "CalendarYear")
    CalendarDay = apps.get_model("core", "CalendarDay")
    years = sorted({d.year for d in constants.holidays})
    existing = set(CalendarYear.objects.values_list("year", flat=True))
    days = []
    for day, name in constants.holidays.items():
        if day.year not in existing:
            days.append(CalendarDay(date=day, kind="holiday", name=str(name)))
    for day, name in constants.workdays.items():
        if day.year not in existing and day.weekday() >= 5:
            days.append(CalendarDay(date=day, kind="workday", name=str(name)))
    CalendarDay.objects.bulk_create(days, ignore_conflicts=True)
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=y, source="chinese-calendar") for y in years if y not in existing]
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(seed_rules, migrations.RunPython.noop),
        migrations.RunPython(seed_calendar, migrations.RunPython.noop),
    ]
