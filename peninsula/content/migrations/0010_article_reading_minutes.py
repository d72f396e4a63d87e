"""Articles store their reading time (阅读时间), counted from the body when it is written; the
articles already there get theirs now."""

from django.db import migrations, models

BATCH = 500


def count_reading_minutes(apps, schema_editor):
    from peninsula.core.text import reading_minutes

    Article = apps.get_model("content", "Article")
    batch = []
    for article in Article.objects.only("body").iterator(chunk_size=BATCH):
        article.reading_minutes = reading_minutes(article.body)
        batch.append(article)
        if len(batch) == BATCH:
            Article.objects.bulk_update(batch, ["reading_minutes"])
            batch = []
    Article.objects.bulk_update(batch, ["reading_minutes"])


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0009_article_author_credits'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='reading_minutes',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='reading time in minutes'),
        ),
        migrations.RunPython(count_reading_minutes, migrations.RunPython.noop),
    ]
