"""Small answers a worker keeps in its own memory, each with a timeout and a bound on entries.

A request should pay no query for what changes rarely (the site's defaults, the category tree,
rankings, whether an article is published). The timeout bounds how long a change made by another
process can go unseen; `memos_clear()` forgets every memo of the process at once, and the page
cache calls it whenever it applies a purge, so a page rendered after a purge never shows what the
purge removed (docs/caching.md).
"""

import threading
import time
from collections import OrderedDict

_memos = []


class Memo:
    """A bounded map of keys to values loaded on demand, dropped after `timeout` seconds.

    A load that began before `forget()` or `clear()` is not stored, so a value read from the
    database just before a change cannot outlive it.
    """

    def __init__(self, *, timeout, max_entries=1):
        self.timeout = timeout
        self.max_entries = max_entries
        self._entries = OrderedDict()
        self._generation = 0
        self._lock = threading.Lock()
        _memos.append(self)

    def get(self, key, load):
        """The value for `key`, from memory or from `load()` (called without the lock held)."""
        entry = self._entries.get(key)
        now = time.monotonic()
        if entry is not None and entry[0] > now:
            return entry[1]
        generation = self._generation
        value = load()
        with self._lock:
            if generation == self._generation:
                self._entries[key] = (now + self.timeout, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.max_entries:
                    self._entries.popitem(last=False)
        return value

    def is_fresh(self, key):
        """Whether `get(key, …)` would answer from memory."""
        entry = self._entries.get(key)
        return entry is not None and entry[0] > time.monotonic()

    def forget(self, key):
        with self._lock:
            self._generation += 1
            self._entries.pop(key, None)

    def clear(self):
        with self._lock:
            self._generation += 1
            self._entries.clear()

    def __len__(self):
        return len(self._entries)


def memos_clear():
    """Forget every memo of this process (after a purge, and between tests)."""
    for memo in _memos:
        memo.clear()
