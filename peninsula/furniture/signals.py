"""The footer (pages, friend links) is on every page and an ad may be placed on any: a change
purges every page, as a change of the site settings does (docs/caching.md)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from peninsula.pagecache.purge import purge_everything

from . import furniture
from .models import Ad, FriendLink, StaticPage


@receiver(post_save, sender=StaticPage)
@receiver(post_delete, sender=StaticPage)
@receiver(post_save, sender=FriendLink)
@receiver(post_delete, sender=FriendLink)
@receiver(post_save, sender=Ad)
@receiver(post_delete, sender=Ad)
def purge_furniture(sender, raw=False, **kwargs):
    if not raw:
        furniture.forget()
        purge_everything()
