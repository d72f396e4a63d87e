"""Purge on every change readers can see; counter updates (queryset F() updates) send no signal."""

from dataclasses import replace

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from peninsula.content.models import Article, Author, Category, Source
from peninsula.content.services import articles_imported
from peninsula.core.models import SiteSettings

from .purge import ArticleState, purge_article_states, purge_articles, purge_everything

# Saves that touch only these fields change nothing a reader sees (a draft, a lock).
UNSEEN_FIELDS = frozenset(
    ["latest_revision", "has_unpublished_changes", "locked", "locked_at", "locked_by"]
)


def _unseen(update_fields):
    return update_fields is not None and set(update_fields) <= UNSEEN_FIELDS


@receiver(pre_save, sender=Article)
def remember_state(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or _unseen(update_fields) or instance.pk is None:
        return
    instance._pagecache_before = ArticleState.stored(instance.pk)


@receiver(post_save, sender=Article)
def purge_saved_article(sender, instance, update_fields=None, raw=False, **kwargs):
    if raw or _unseen(update_fields):
        return
    before = instance.__dict__.pop("_pagecache_before", None)
    purge_article_states(before, ArticleState.of(instance))


@receiver(published, sender=Article)
@receiver(unpublished, sender=Article)
def purge_published_article(sender, instance, **kwargs):
    # After `published`, the content app may just have set the publication time, which decides
    # the archive pages; the save before it could not know them. After `unpublished` the
    # instance is no longer live but its pages still show it.
    purge_article_states(replace(ArticleState.of(instance), live=True))


@receiver(pre_delete, sender=Article)
def remember_deleted(sender, instance, **kwargs):
    instance._pagecache_before = ArticleState.stored(instance.pk)


@receiver(post_delete, sender=Article)
def purge_deleted_article(sender, instance, **kwargs):
    purge_article_states(instance.__dict__.pop("_pagecache_before", None))


@receiver(articles_imported)
def purge_imported(sender, ids, **kwargs):
    purge_articles(ids)


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
@receiver(post_save, sender=Author)
@receiver(post_delete, sender=Author)
@receiver(post_save, sender=Source)
@receiver(post_save, sender=SiteSettings)
def purge_site(sender, raw=False, **kwargs):
    """Navigation, bylines and the site's own name appear on every page."""
    if not raw:
        purge_everything()
