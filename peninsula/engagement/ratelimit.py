"""Limits shared by every web process: in Redis when configured (every machine), else in a small
SQLite file that the workers of one machine share (docs/counters.md). A rule's window is fixed
(the clock's minutes, hours...) or, for a rule `sliding`, starts at the first hit it counts.

A per-process count would let each worker grant the whole allowance again; these do not.
"""

import fcntl
import logging
import math
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import redis
from django.conf import settings

from . import store

log = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*([smhd])\s*$")
# How often a process deletes the windows that have ended from the shared file.
SWEEP_SECONDS = 10.0


def parse_rate(rate):
    """'30/m' → (30, 60)."""
    match = RATE_RE.match(rate or "")
    if not match:
        raise ValueError(f"A rate looks like '30/m' (count per s, m, h or d), not {rate!r}.")
    return int(match[1]), PERIODS[match[2]]


@dataclass(frozen=True, slots=True)
class Rule:
    """At most `limit` hits of `key` in each `period`-second window. A fixed window lets a burst
    straddling its end count twice; a sliding one ("once in the 30 s since the last counted
    reload") does not."""

    key: str
    limit: int
    period: int
    sliding: bool = False

    def window(self, now):
        """(the key of the window `now` falls in, its limit, when it ends)."""
        if self.sliding:
            return self.key, self.limit, now + self.period
        return (
            f"{self.key}:{int(now // self.period)}",
            self.limit,
            (now // self.period + 1) * self.period,
        )


def take(rules, *, now=None):
    """Count one hit against every rule, atomically and only if none is at its limit.

    Returns None when the hit was counted, else the first full rule and the seconds until its
    window ends (for a sliding rule, at most its period).
    """
    if not rules:
        return None
    now = time.time() if now is None else now
    windows = [rule.window(now) for rule in rules]
    if store.enabled():
        try:
            refused = store.take_hits(windows)
        except redis.RedisError:  # counting goes on while Redis is away, unlimited
            log.warning("The counting limits are not enforced: Redis does not answer.")
            return None
    else:
        refused = _local().take(windows, now)
    if refused is None:
        return None
    return rules[refused], max(1, math.ceil(windows[refused][2] - now))


def forget():
    """Drop every count (tests)."""
    if not store.enabled():
        _local().clear()


class LocalLimits:
    """The counts in a SQLite file. Writers of every process take an exclusive `flock` on it
    first, so they queue in the kernel instead of polling SQLite's busy handler."""

    def __init__(self, path):
        self.path = str(path)
        self._local = threading.local()
        self._swept = 0.0

    def _connection(self):
        conn = getattr(self._local, "conn", None)
        if conn is None:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS hits "
                "(key TEXT PRIMARY KEY, n INTEGER NOT NULL, until REAL NOT NULL) WITHOUT ROWID"
            )
            self._local.conn = conn
            self._local.lock = open(self.path + ".lock", "a")  # noqa: SIM115 - kept per thread
        return conn

    def take(self, windows, now):
        conn = self._connection()
        fcntl.flock(self._local.lock, fcntl.LOCK_EX)
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for index, (key, limit, _until) in enumerate(windows):
                    row = conn.execute(
                        "SELECT n FROM hits WHERE key = ? AND until > ?", (key, now)
                    ).fetchone()
                    if row is not None and row[0] >= limit:
                        return index
                # A window that has ended but is not swept yet starts again at this hit.
                conn.executemany(
                    "INSERT INTO hits (key, n, until) VALUES (?, 1, ?) ON CONFLICT (key) DO "
                    "UPDATE SET n = CASE WHEN until > ? THEN n + 1 ELSE 1 END, "
                    "until = CASE WHEN until > ? THEN until ELSE excluded.until END",
                    [(key, until, now, now) for key, _limit, until in windows],
                )
                if now - self._swept > SWEEP_SECONDS:
                    self._swept = now
                    conn.execute("DELETE FROM hits WHERE until < ?", (now,))
            finally:
                conn.execute("COMMIT")
        finally:
            fcntl.flock(self._local.lock, fcntl.LOCK_UN)
        return None

    def clear(self):
        conn = self._connection()
        fcntl.flock(self._local.lock, fcntl.LOCK_EX)
        try:
            conn.execute("DELETE FROM hits")
        finally:
            fcntl.flock(self._local.lock, fcntl.LOCK_UN)


@lru_cache(maxsize=4)
def _limits(path):
    return LocalLimits(path)


os.register_at_fork(after_in_child=_limits.cache_clear)  # a child opens its own connections


def _local():
    return _limits(str(settings.PENINSULA_COUNTER_LIMITS_FILE))
