"""Load the 47 prefectures and AJET's 11 blocks from the project's own copy of the reference data."""

import csv
import datetime
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"
SINCE = datetime.date(2000, 1, 1)


def load(apps, schema_editor):
    Prefecture = apps.get_model("organisation", "Prefecture")
    Block = apps.get_model("organisation", "Block")
    BlockAssignment = apps.get_model("organisation", "BlockAssignment")
    with open(DATA / "prefectures.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Prefecture.objects.update_or_create(
                code=row["code"], defaults={"name_en": row["name_en"], "name_ja": row["name_ja"]}
            )
    with open(DATA / "blocks.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            block, _ = Block.objects.get_or_create(number=int(row["block"]))
            for code in row["prefecture_codes"].split():
                BlockAssignment.objects.get_or_create(prefecture_id=code, valid_from=SINCE, defaults={"block": block})


def unload(apps, schema_editor):
    apps.get_model("organisation", "BlockAssignment").objects.filter(valid_from=SINCE).delete()


class Migration(migrations.Migration):
    dependencies = [("organisation", "0002_initial")]
    operations = [migrations.RunPython(load, unload)]
