"""View counts held in this process's memory and written out in batches by a background thread.

A view post only adds one to a dict under a lock and answers with the article's cached total
plus the views this process holds that the total does not include yet, so the hot path makes no
database write and no network round trip. Every `PENINSULA_VIEW_FLUSH_SECONDS` (1 s) the
flusher thread writes the pending counts in one batch (the database, or Redis when configured)
and reads back the totals of every article it wrote or answered for, in the same step, so that
the answer stays within about a second of the truth across processes.

Exactness: every batch carries an id, and a batch whose write failed is retried with the same id,
so a write that committed but reported an error is not applied twice. The thread is not a daemon:
Python joins it when the main thread ends (at normal exit, and in granian's workers, which leave
through multiprocessing's bootstrap and `os._exit`, where `atexit` never runs), and it writes what
is left before it returns. Only a process killed outright (SIGKILL, OOM) loses the views it held:
at most one flush interval of that process's views.
"""

import heapq
import logging
import os
import threading
import time
import uuid
from collections import Counter

from django.conf import settings
from django.core.signals import setting_changed

log = logging.getLogger(__name__)

# How often the flusher looks at the clock, the wake-up event and the main thread.
TICK_SECONDS = 0.1
# Cached totals of articles nobody asked about for this long are dropped.
IDLE_SECONDS = 60.0


class Config:
    """The PENINSULA_VIEW_* settings (config/settings/base.py), read once and again when a test
    changes them, as plain attributes on the hot path."""

    @classmethod
    def load(cls, **kwargs):
        cls.flush_seconds = settings.PENINSULA_VIEW_FLUSH_SECONDS
        cls.max_pending = settings.PENINSULA_VIEW_BUFFER_MAX
        cls.fresh_seconds = settings.PENINSULA_VIEW_TOTALS_SECONDS
        cls.max_totals = settings.PENINSULA_VIEW_TOTALS_MAX


setting_changed.connect(Config.load)


class ViewBuffer:
    """Pending view counts, cached totals and the flusher thread of one process.

    `write(batch_id, batch, refresh)` stores `batch` ({(article_id, day): views}) once per
    `batch_id` and returns whether this call stored it, and {article_id: (views, likes)} read
    after the write for the articles in the batch and in `refresh` (a deleted article is
    absent). `read(article_id)` returns one article's (views, likes), or None when it no longer
    exists.
    """

    def __init__(self, *, write, read):
        Config.load()
        self._write = write
        self._read = read
        self._reset()
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self):
        """A forked child starts empty: the parent writes out what it counted itself."""
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._thread = None
        self._pending = {}  # (article_id, day) -> views not handed to a write yet
        self._retry = None  # (batch_id, batch) of a write that failed
        self._unwritten = {}  # article_id -> views counted here that its total does not show
        self._totals = {}  # article_id -> [views, likes, read at, last used]
        self._touched = set()  # articles answered since the last flush: their totals are read
        self._epoch = 0  # moves on each flush, so a total read meanwhile is not trusted blindly

    # The request side.

    def add(self, article_id, day):
        """Count one view; returns (views, likes) including it, or None if the article is gone."""
        self._start_flusher()
        if not self._refresh_if_stale(article_id):
            return None
        with self._lock:
            entry = self._totals.get(article_id)
            if entry is None:  # deleted meanwhile
                return None
            key = (article_id, day)
            self._pending[key] = self._pending.get(key, 0) + 1
            unwritten = self._unwritten.get(article_id, 0) + 1
            self._unwritten[article_id] = unwritten
            self._touched.add(article_id)
            answer = (entry[0] + unwritten, entry[1])
            crowded = len(self._pending) > Config.max_pending
        if crowded:
            self._wake.set()
        return answer

    def counts(self, article_id):
        """(views, likes) without counting, or None if the article is gone."""
        self._start_flusher()
        if not self._refresh_if_stale(article_id):
            return None
        with self._lock:
            entry = self._totals.get(article_id)
            if entry is None:
                return None
            self._touched.add(article_id)
            return entry[0] + self._unwritten.get(article_id, 0), entry[1]

    def likes_seen(self, article_id, likes):
        """A like written in this process: show it at once rather than after the next read."""
        with self._lock:
            entry = self._totals.get(article_id)
            if entry is not None and likes > entry[1]:
                entry[1] = likes

    def is_stale(self, article_id):
        entry = self._totals.get(article_id)
        return entry is None or time.monotonic() - entry[2] >= Config.fresh_seconds

    def _refresh_if_stale(self, article_id):
        """Make sure a recent total is cached; False when the article no longer exists.

        A total read while a flush runs may or may not include that flush's batch, so it
        replaces a cached total only if no flush started meanwhile (the flush stores its own).
        """
        entry = self._totals.get(article_id)
        clock = time.monotonic()
        if entry is not None and clock - entry[2] < Config.fresh_seconds:
            entry[3] = clock
            return True
        epoch = self._epoch
        row = self._read(article_id)
        with self._lock:
            current = self._totals.get(article_id)
            if row is None:
                return current is not None
            if current is None or self._epoch == epoch:
                self._totals[article_id] = [row[0], row[1], clock, clock]
            else:
                current[3] = clock
        return True

    # The flusher side.

    def _start_flusher(self):
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="peninsula-view-flusher", daemon=False
                )
                self._thread.start()

    def _run(self):
        from django.db import close_old_connections, connections

        main = threading.main_thread()
        last = time.monotonic()
        while main.is_alive():
            woken = self._wake.wait(TICK_SECONDS)
            if not woken and time.monotonic() - last < Config.flush_seconds:
                continue
            self._wake.clear()
            last = time.monotonic()
            close_old_connections()  # as a request would: recycle a broken or old connection
            self._flush_logged()
            if self.held() == (0, 0):  # no views came in meanwhile: do not keep a connection
                connections.close_all()
        self._flush_logged()  # the process is ending: write what is left
        connections.close_all()

    def _flush_logged(self):
        try:
            self.flush()
        except Exception:
            log.exception("Writing the view counts failed; they are kept and retried.")

    def flush(self):
        """Write the pending counts now; returns how many views this call wrote."""
        with self._flush_lock:
            written = 0
            if self._retry is not None:
                written += self._flush_batch(*self._retry, set())
                self._retry = None
            with self._lock:
                batch, self._pending = self._pending, {}
                refresh, self._touched = self._touched, set()
                self._epoch += 1
            if batch or refresh:
                written += self._flush_batch(uuid.uuid4().hex, batch, refresh)
            return written

    def _flush_batch(self, batch_id, batch, refresh):
        per_article = Counter()
        for (article_id, _day), views in batch.items():
            per_article[article_id] += views
        wanted = set(per_article) | refresh
        try:
            applied, totals = self._write(batch_id, batch, wanted)
        except Exception:
            if batch:
                self._retry = (batch_id, batch)
            with self._lock:
                self._touched |= refresh
            raise
        clock = time.monotonic()
        with self._lock:
            self._epoch += 1
            for article_id, views in per_article.items():
                left = self._unwritten.get(article_id, 0) - views
                if left > 0:
                    self._unwritten[article_id] = left
                else:
                    self._unwritten.pop(article_id, None)
            for article_id in wanted:
                row = totals.get(article_id)
                if row is None:  # deleted: its counts went with it
                    self._totals.pop(article_id, None)
                    continue
                used = self._totals.get(article_id, (0, 0, 0, clock))[3]
                self._totals[article_id] = [row[0], row[1], clock, used]
            self._drop_idle_totals(clock)
        if not applied:
            return 0
        return sum(views for article_id, views in per_article.items() if article_id in totals)

    def _drop_idle_totals(self, clock):
        """Forget totals nobody asked about for a while, and past `max_totals` the least
        recently used, so that views of many articles do not grow the process for good.
        Totals with unwritten views are kept: answers add those views to them."""
        for article_id, entry in list(self._totals.items()):
            if clock - entry[3] > IDLE_SECONDS and article_id not in self._unwritten:
                del self._totals[article_id]
        excess = len(self._totals) - Config.max_totals
        if excess > 0:
            used = ((e[3], a) for a, e in self._totals.items() if a not in self._unwritten)
            for _used, article_id in heapq.nsmallest(excess, used):
                del self._totals[article_id]

    def discard(self):
        """Forget everything held, unwritten counts included (tests between databases)."""
        with self._flush_lock, self._lock:
            self._pending.clear()
            self._retry = None
            self._unwritten.clear()
            self._totals.clear()
            self._touched.clear()
            self._epoch += 1

    def held(self):
        """Views counted here and not written yet, and the distinct (article, day) pending."""
        with self._lock:
            return sum(self._unwritten.values()), len(self._pending)
