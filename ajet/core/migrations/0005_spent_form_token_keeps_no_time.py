"""A used one-time token keeps no time of its use and no sequential id: only the day it may be forgotten."""

import datetime

from django.db import migrations, models
from django.utils import timezone

MAX_AGE = datetime.timedelta(days=2)  # ajet.core.once.MAX_AGE when this migration was written


def forget_on_from_spent_at(apps, schema_editor):
    SpentFormToken = apps.get_model("core", "SpentFormToken")
    for token in SpentFormToken.objects.only("pk", "spent_at"):
        forget_on = timezone.localdate(token.spent_at + MAX_AGE) + datetime.timedelta(days=1)
        SpentFormToken.objects.filter(pk=token.pk).update(forget_on=forget_on)


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0004_spent_form_token"),
    ]

    operations = [
        migrations.AddField(
            model_name="spentformtoken",
            name="forget_on",
            field=models.DateField(db_index=True, null=True),
        ),
        migrations.RunPython(forget_on_from_spent_at, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="spentformtoken",
            name="forget_on",
            field=models.DateField(db_index=True),
        ),
        migrations.RemoveField(
            model_name="spentformtoken",
            name="spent_at",
        ),
        migrations.RemoveField(
            model_name="spentformtoken",
            name="id",
        ),
        migrations.AlterField(
            model_name="spentformtoken",
            name="nonce",
            field=models.CharField(max_length=64, primary_key=True, serialize=False),
        ),
    ]
