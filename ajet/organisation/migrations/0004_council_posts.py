"""The council's posts as AJET has them today. Executives can change them (they are data)."""

from django.db import migrations

POSTS = [
    # slug, English, Japanese, kind, order
    ("chair", "Chair", "代表", "executive", 1),
    ("vice-chair", "Vice-Chair", "副代表", "executive", 2),
    ("treasurer", "Treasurer", "会計", "executive", 3),
    ("cir-representative", "CIR Representative", "CIR代表", "elected", 20),
    ("psg-coordinator", "Peer Support Group Coordinator", "ピアサポートグループ・コーディネーター", "appointed", 30),
]


def load(apps, schema_editor):
    Post = apps.get_model("organisation", "Post")
    Initiative = apps.get_model("organisation", "Initiative")
    for slug, name_en, name_ja, kind, order in POSTS:
        Post.objects.get_or_create(slug=slug, chapter=None, defaults={
            "name_en": name_en, "name_ja": name_ja, "kind": kind, "order": order, "scope": "national",
            "constituency_position": "CIR" if slug == "cir-representative" else "",
        })
    for number in range(1, 12):
        Post.objects.get_or_create(slug=f"block-{number}-representative", chapter=None, defaults={
            "name_en": f"Block {number} Representative", "name_ja": f"ブロック{number}代表",
            "kind": "elected", "scope": "block", "block_id": number, "order": 10,
        })
    psg = Post.objects.get(slug="psg-coordinator", chapter=None)
    Initiative.objects.get_or_create(slug="peer-support-group", defaults={
        "name_en": "Peer Support Group", "name_ja": "ピアサポートグループ",
        "description": "A confidential, anonymous listening and referral line for JET participants, "
                       "open every night 20:00–07:00.",
        "supervising_post": psg,
    })


class Migration(migrations.Migration):
    dependencies = [("organisation", "0003_geography")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
