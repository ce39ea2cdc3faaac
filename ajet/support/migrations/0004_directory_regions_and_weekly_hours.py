"""A directory entry serves any prefectures and blocks (none: national), and its hours are kept per weekday.

Existing entries keep what they said: their one prefecture, and their daily (or weekdays-only) hours as the
same pair of times on each of those days.
"""

from django.db import migrations, models

import ajet.support.opening_hours


def weekly_from_daily(open_from, open_until, weekdays_only) -> list:
    """The weekly hours that say what the old fields said: [] (not known) without both times; else the pair
    on every day, or Monday to Friday only. A pair past midnight belongs to the day it opens, as before."""
    if open_from is None or open_until is None:
        return []
    pair = [f"{open_from:%H:%M}", f"{open_until:%H:%M}"]
    return [[pair] if not weekdays_only or day < 5 else [] for day in range(7)]


def forwards(apps, schema_editor):
    Resource = apps.get_model("support", "Resource")
    for resource in Resource.objects.all():
        resource.weekly_hours = weekly_from_daily(resource.open_from, resource.open_until, resource.weekdays_only)
        resource.save(update_fields=["weekly_hours"])
        if resource.region_id is not None:
            resource.prefectures.add(resource.region_id)


def backwards(apps, schema_editor):
    """Back to one prefecture (the first) and daily hours where the week allows it; otherwise unknown."""
    Resource = apps.get_model("support", "Resource")
    for resource in Resource.objects.all():
        first = resource.prefectures.order_by("code").first()
        resource.region_id = first.pk if first else None
        days = resource.weekly_hours or []
        pairs = {tuple(pair) for day in days for pair in day}
        if len(pairs) == 1 and all(days[day] for day in range(5)):
            (opens, closes), = pairs
            resource.open_from, resource.open_until = opens, closes if closes != "24:00" else "00:00"
            resource.weekdays_only = not days[5] and not days[6]
        resource.save(update_fields=["region", "open_from", "open_until", "weekdays_only"])


class Migration(migrations.Migration):

    dependencies = [
        ("organisation", "0010_bilingual_content"),
        ("support", "0003_psg_database_roster_directory"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="blocks",
            field=models.ManyToManyField(blank=True, help_text="Leave the prefectures and blocks empty for a national service.", related_name="+", to="organisation.block", verbose_name="blocks"),
        ),
        migrations.AddField(
            model_name="resource",
            name="prefectures",
            field=models.ManyToManyField(blank=True, related_name="+", to="organisation.prefecture", verbose_name="prefectures"),
        ),
        migrations.AddField(
            model_name="resource",
            name="weekly_hours",
            field=models.JSONField(blank=True, default=list, validators=[ajet.support.opening_hours.validate_weekly_hours], verbose_name="opening hours by weekday"),
        ),
        # The directory lives in the default database only (ajet/support/routers.py).
        migrations.RunPython(forwards, backwards, hints={"model_name": "resource"}),
        migrations.RemoveField(
            model_name="resource",
            name="open_from",
        ),
        migrations.RemoveField(
            model_name="resource",
            name="open_until",
        ),
        migrations.RemoveField(
            model_name="resource",
            name="region",
        ),
        migrations.RemoveField(
            model_name="resource",
            name="weekdays_only",
        ),
    ]
