"""Keep `published_at` set, and drop the cached category tree when a category changes."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import published

from .models import Article, Category
from .tree import category_tree_forget


@receiver(published, sender=Article)
def set_publication_time(sender, instance, **kwargs):
    # Scheduling also sends `published` while the article is not live yet; wait for go-live,
    # and date a scheduled article by its go-live time rather than the scheduler's run.
    if instance.live and instance.published_at is None:
        instance.published_at = instance.go_live_at or instance.last_published_at or timezone.now()
        Article.objects.filter(pk=instance.pk).update(published_at=instance.published_at)
        instance.refresh_listings()


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def forget_category_tree(sender, **kwargs):
    # Once now for this process, once after commit so that no reader re-caches the old rows.
    category_tree_forget()
    transaction.on_commit(category_tree_forget)
