"""An ad that starts or ends changes pages without a save: the scheduler purges them."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from peninsula.core import scheduler
from peninsula.pagecache.purge import purge_everything

from . import furniture
from .models import Ad

INTERVAL = 15
_last_check = None


@scheduler.register("furniture.timed_purge", every=INTERVAL)
def purge_timed_ads(now=None):
    """Purge when an ad started or ended since the last run (the first run looks back as far as
    a cached page can live)."""
    global _last_check
    now = now or timezone.now()
    since = _last_check or now - timedelta(seconds=settings.PAGECACHE_TIMEOUT)
    crossed = list(Ad.objects.boundaries_between(since, now).values_list("pk", flat=True))
    if crossed:
        furniture.forget()
        purge_everything()
    _last_check = now
    return crossed


def reset():
    global _last_check
    _last_check = None
