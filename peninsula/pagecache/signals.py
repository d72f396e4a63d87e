"""Purge on every change readers can see: once per committed change of articles (on
`article_pages_stale`, after the data pages derive from is updated), over the places each article
was listed before its first write in the transaction and is listed now. Counter updates
(queryset F() updates) send no event. See docs/caching.md."""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.urls import reverse

from peninsula.content.changes import article_pages_stale, remember_before, saves_seen
from peninsula.content.models import Article, Author, Category, ImageDetails, Source
from peninsula.core.models import SiteSettings
from peninsula.embeds.models import EmbedSettings
from peninsula.engagement.rankings import rankings_reordered

from .purge import ArticleState, purge_articles, purge_everything, purge_on_commit
from .store import Purge


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
@receiver(post_save, sender=EmbedSettings)
def purge_site(sender, raw=False, **kwargs):
    """Navigation, bylines and the site's own name appear on every page."""
    if not raw:
        purge_everything()


@receiver(rankings_reordered)
def purge_rankings(sender, **kwargs):
    """The refresh job stored lists in a new order: the 排行榜 pages show them in full."""
    purge_on_commit(Purge(prefixes=[reverse("engagement:rankings")]))


@receiver(post_save, sender=ImageDetails)
def purge_image_pages(sender, instance, raw=False, **kwargs):
    """A new caption or credit shows on the pages of the articles that carry the image as their
    cover or in their gallery (in a body it shows within PAGECACHE_TIMEOUT)."""
    if not raw:
        ids = Article.objects.filter(
            Q(cover_image_id=instance.image_id) | Q(gallery_images__image_id=instance.image_id)
        ).values_list("pk", flat=True)
        purge_articles(set(ids))
