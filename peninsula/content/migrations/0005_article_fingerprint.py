"""Articles carry their near-duplicate fingerprint (content/fingerprint.py). The articles of
the last days, which new collected stories are compared with, get theirs now; the others as
they are next saved."""

from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

RECENT_DAYS = 7


def fingerprint_recent(apps, schema_editor):
    from peninsula.content.models import Article as Current

    Article = apps.get_model("content", "Article")
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    recent = Article.objects.filter(Q(created_at__gte=since) | Q(published_at__gte=since))
    for article in recent.only("title", "summary", "byline", "body").iterator(chunk_size=500):
        Article.objects.filter(pk=article.pk).update(
            simhash=Current.fingerprint_for(
                title=article.title,
                summary=article.summary,
                byline=article.byline,
                body=article.body,
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0004_provenance'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='simhash',
            field=models.BigIntegerField(editable=False, null=True, verbose_name='text fingerprint'),
        ),
        migrations.AddIndex(
            model_name='article',
            index=models.Index(fields=['created_at'], name='article_created'),
        ),
        migrations.RunPython(fingerprint_recent, migrations.RunPython.noop),
    ]
