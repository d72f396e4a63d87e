"""Collection in the scheduler: each run starts a thread of its own with a time budget, so a
slow or hanging source never delays scheduled publishing or counter flushes (docs/collection.md)."""

import logging
import threading

from django.conf import settings
from django.db import connection

from peninsula.core import scheduler

from . import services

log = logging.getLogger(__name__)
_worker = None
_worker_lock = threading.Lock()


@scheduler.register("collect_feeds", every=15)
def collect_feeds():
    """Start polling due sources in the background unless the previous run is still going."""
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.is_alive():
            # Not a daemon: `run_scheduler --once` and a stopped scheduler let the run finish
            # (within its budget) instead of cutting a poll short.
            _worker = threading.Thread(target=_collect, name="collection")
            _worker.start()
        return _worker


def _collect():
    try:
        services.feeds_collect_due(budget=settings.COLLECTION_BUDGET)
    except Exception:
        log.exception("Collection failed")
    finally:
        connection.close()
