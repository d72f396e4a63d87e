"""Slot entries that start or end change pages without any save: the scheduler purges the pages
of their slots (docs/caching.md)."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from peninsula.core import scheduler

from .models import Slot, SlotEntry
from .purge import purge_paths, slot_paths

INTERVAL = 15
_last_check = None


@scheduler.register("curation.timed_purge", every=INTERVAL)
def purge_timed_entries(now=None):
    """Purge the pages of slots whose entries started or ended since the last run.

    The first run looks back as far as a cached page can live, so a restart misses nothing.
    """
    global _last_check
    now = now or timezone.now()
    since = _last_check or now - timedelta(seconds=settings.PAGECACHE_TIMEOUT)
    crossed = SlotEntry.objects.boundaries_between(since, now).values("slot")
    slots = list(Slot.objects.filter(pk__in=crossed))
    if slots:
        purge_paths(slot_paths(slots))
    _last_check = now
    return slots


def reset():
    """Forget the last run (tests)."""
    global _last_check
    _last_check = None
