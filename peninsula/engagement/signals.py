"""When an article changes, forget what this process memoised about its publication state, and
drop the ranked lists that may show its old title or show it at all."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import published, unpublished

from peninsula.content.models import Article

from . import rankings
from .services import published_memo_clear


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
@receiver(published, sender=Article)
@receiver(unpublished, sender=Article)
def forget_publication_state(sender, instance, **kwargs):
    published_memo_clear(instance.pk)
    transaction.on_commit(rankings.invalidate)
