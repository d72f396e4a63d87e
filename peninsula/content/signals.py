"""Keep `published_at` set: an article published without one takes the time it went live."""

from django.dispatch import receiver
from django.utils import timezone
from wagtail.signals import published

from .models import Article


@receiver(published, sender=Article)
def set_publication_time(sender, instance, **kwargs):
    if instance.published_at is None:
        instance.published_at = instance.last_published_at or timezone.now()
        Article.objects.filter(pk=instance.pk).update(published_at=instance.published_at)
