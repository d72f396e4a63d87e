"""Articles whose publication or expiry time passes change pages without any save or signal."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from peninsula.content.models import Article
from peninsula.core import scheduler

from .purge import purge_articles

INTERVAL = 15
_last_check = None


@scheduler.register("pagecache.timed_purge", every=INTERVAL)
def purge_timed_articles(now=None):
    """Purge the pages of live articles that appeared or expired since the last run.

    The first run looks back as far as a cached page can live, so a restart misses nothing.
    """
    global _last_check
    now = now or timezone.now()
    since = _last_check or now - timedelta(seconds=settings.PAGECACHE_TIMEOUT)
    crossed = Q(published_at__gt=since, published_at__lte=now) | Q(
        expire_at__gt=since, expire_at__lte=now
    )
    ids = list(Article.objects.filter(crossed, live=True).values_list("pk", flat=True))
    if ids:
        purge_articles(ids)
    _last_check = now
    return ids


def reset():
    """Forget the last run (tests)."""
    global _last_check
    _last_check = None
