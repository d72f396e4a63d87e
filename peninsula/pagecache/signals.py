"""Purge on every change readers can see: once per committed change of articles (on
`article_pages_stale`, after the data pages derive from is updated), over the places each article
was listed before its first write in the transaction and is listed now. Counter updates
(queryset F() updates) send no event. See docs/caching.md."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from peninsula.content.changes import article_pages_stale, remember_before, saves_seen
from peninsula.content.models import Article, Author, Category, Source
from peninsula.core.models import SiteSettings

from .purge import ArticleState, purge_articles, purge_everything


@receiver(pre_save, sender=Article)
def remember_state(sender, instance, update_fields=None, raw=False, **kwargs):
    if not raw and saves_seen(update_fields):
        remember_before(__name__, instance.pk, lambda: ArticleState.stored(instance.pk))


@receiver(pre_delete, sender=Article)
def remember_deleted(sender, instance, **kwargs):
    remember_before(__name__, instance.pk, lambda: ArticleState.stored(instance.pk))


@receiver(article_pages_stale, sender=Article)
def purge_articles_articles(sender, ids, before, **kwargs):
    purge_articles(ids, before.get(__name__, {}))


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
