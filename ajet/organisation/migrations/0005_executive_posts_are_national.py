from django.db import migrations, models


def demote_local_executive_posts(apps, schema_editor):
    """Before the constraint: a block or chapter post of kind "executive" (allowed until now) becomes elected."""
    Post = apps.get_model("organisation", "Post")
    Post.objects.filter(kind="executive").exclude(scope="national").update(kind="elected")


class Migration(migrations.Migration):

    dependencies = [
        ("organisation", "0004_council_posts"),
    ]

    operations = [
        migrations.RunPython(demote_local_executive_posts, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="post",
            constraint=models.CheckConstraint(
                condition=~models.Q(kind="executive") | models.Q(scope="national"),
                name="executive_posts_are_national",
            ),
        ),
    ]
