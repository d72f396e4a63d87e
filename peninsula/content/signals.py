"""Announce deleted articles with the "articles changed" event, and drop the cached category tree
when a category changes (see docs/caching.md)."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .changes import articles_touch
from .models import Article, Category
from .tree import category_tree_forget


@receiver(post_delete, sender=Article)
def announce_deleted_article(sender, instance, **kwargs):
    articles_touch([instance.pk])


@receiver(post_save, sender=Category)
@receiver(post_delete, sender=Category)
def forget_category_tree(sender, **kwargs):
    # Once now for this process, once after commit so that no reader re-caches the old rows.
    category_tree_forget()
    transaction.on_commit(category_tree_forget)
