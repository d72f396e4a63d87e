"""Announce deleted articles with the "articles changed" event, store the related lists of the
articles it names, and drop the cached category tree when a category changes (docs/caching.md)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.images import get_image_model

from .changes import articles_changed, articles_touch
from .models import Article, Category, ImageDetails
from .services import articles_related_refresh
from .tree import category_tree_forget


@receiver(post_delete, sender=Article)
def announce_deleted_article(sender, instance, **kwargs):
    articles_touch([instance.pk])


@receiver(articles_changed, sender=Article)
def refresh_related_lists(sender, ids, **kwargs):
    # Before `article_pages_stale`: a page re-rendered after the purge reads the new lists.
    articles_related_refresh(ids=ids)


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def forget_category_tree(sender, **kwargs):
    # Once now for this process, once after commit so that no reader re-caches the old rows.
    category_tree_forget()
    transaction.on_commit(category_tree_forget)


@receiver(post_save, sender=get_image_model())
def save_image_details(sender, instance, raw=False, **kwargs):
    """Write the caption and credit the image form left on the instance (forms.ImageForm)."""
    pending = getattr(instance, "pending_details", None)
    if raw or pending is None:
        return
    del instance.pending_details
    caption, credit = pending
    ImageDetails.objects.update_or_create(
        image=instance, defaults={"caption": caption, "credit": credit}
    )
