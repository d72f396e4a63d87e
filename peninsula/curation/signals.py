"""Purge the pages that show a slot or a topic when it changes, or when one of its articles does
(on `article_pages_stale`, never on counters). See docs/caching.md."""

from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from peninsula.content.changes import article_pages_stale, demo_loaded
from peninsula.content.models import Article

from .models import Slot, SlotEntry, Topic, TopicArticle
from .purge import purge_for_articles, purge_paths, slot_paths, topic_paths


@receiver(pre_save, sender=Slot)
def remember_slot_paths(sender, instance, raw=False, **kwargs):
    old = Slot.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._paths_before = set(old.path_list) if old else set()


@receiver(post_save, sender=Slot)
@receiver(post_delete, sender=Slot)
def purge_slot(sender, instance, raw=False, **kwargs):
    if not raw:
        purge_paths(slot_paths([instance]) | getattr(instance, "_paths_before", set()))


@receiver(post_save, sender=SlotEntry)
@receiver(post_delete, sender=SlotEntry)
def purge_slot_entry(sender, instance, raw=False, **kwargs):
    if raw:
        return
    slot = Slot.objects.filter(pk=instance.slot_id).first()
    purge_paths(slot_paths([slot]) if slot else set())


@receiver(pre_save, sender=Topic)
def remember_topic(sender, instance, raw=False, **kwargs):
    old = Topic.objects.filter(pk=instance.pk).first() if instance.pk else None
    instance._before = (old.slug, set(old.article_ids())) if old else (None, set())


@receiver(post_save, sender=Topic)
@receiver(post_delete, sender=Topic)
def purge_topic(sender, instance, raw=False, **kwargs):
    if raw:
        return
    old_slug, old_ids = getattr(instance, "_before", (None, set()))
    paths = topic_paths(instance.slug, old_ids | set(instance.article_ids()))
    if old_slug and old_slug != instance.slug:
        paths |= topic_paths(old_slug, ())
    purge_paths(paths, prefixes=["/sitemap"])


@receiver(article_pages_stale, sender=Article)
def purge_curated_articles(sender, ids, **kwargs):
    if ids and (
        SlotEntry.objects.filter(article_id__in=ids).exists()
        or TopicArticle.objects.filter(article_id__in=ids).exists()
    ):
        purge_for_articles(ids)


# What the demo's front page shows in each slot, newest articles first: (slot key, first, last).
DEMO_SLOTS = (("lead", 0, 1), ("carousel", 1, 6), ("recommended", 6, 10), ("ticker", 0, 8))


@receiver(demo_loaded)
def fill_demo_slots(sender, **kwargs):
    """The demo opens on a front page as editors run one, not on four empty slots."""
    if SlotEntry.objects.exists():
        return
    slots = Slot.objects.in_bulk([key for key, _, _ in DEMO_SLOTS], field_name="key")
    newest = list(Article.objects.published().order_by("-published_at", "-id")[:10])
    for key, first, last in DEMO_SLOTS:
        if key in slots:
            for order, article in enumerate(newest[first:last]):
                SlotEntry.objects.create(slot=slots[key], article=article, sort_order=order)
