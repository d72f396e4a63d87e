"""Reindex an article whenever its row changes, however it was written.

`post_save` covers the admin, publishing and unpublishing (each saves the row); `articles_imported`
covers bulk imports that bypass `save()`. Deletion cascades to the index row (and, on SQLite, its
triggers), so it needs no handler. The index lives in the same database and is written in the
same transaction, so a rolled-back save leaves it as it was. Whether an article is visible is not
stored in the index at all: queries re-apply `Article.objects.published()`.

Wagtail's `published` signal comes after the save, and the content app's handler of it may then
set the publication time with an UPDATE; reindexing on it too keeps the order key (which holds
that time) in step, so a first publication is found at once and in its place.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import published

from peninsula.content.models import Article
from peninsula.content.services import articles_imported

from .services import documents_update


@receiver(post_save, sender=Article)
def index_saved_article(sender, instance, raw=False, **kwargs):
    if not raw:
        documents_update(article_ids=[instance.pk])


@receiver(published, sender=Article)
def index_published_article(sender, instance, **kwargs):
    documents_update(article_ids=[instance.pk])


@receiver(articles_imported, sender=Article)
def index_imported_articles(sender, ids, **kwargs):
    documents_update(article_ids=ids)
