"""Where cached pages live: a bounded LRU in each worker process, kept honest across processes.

Hits are answered from the worker's own memory; only purges are shared, through a log file
(`LocalStore`) or Redis (`RedisStore`). Guarantees and figures: docs/caching.md.
"""

import contextlib
import fcntl
import logging
import os
import pickle
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from django.utils.encoding import repercent_broken_unicode

from peninsula.core.memo import memos_clear

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Entry:
    status: str
    headers: tuple
    body: bytes
    stored_at: float

    @property
    def size(self):
        return len(self.body) + 64 * len(self.headers) + 200


def cache_path(raw):
    """The form a path (bytes, percent-decoded) takes in the cache: Django's `path_info`.

    Keys come from PATH_INFO and purges from `reverse()`'s percent-encoded URLs; both pass
    through here, so a tag named 测试标签 is purged under the very path its page was stored at.
    """
    return repercent_broken_unicode(raw).decode()


def wsgi_cache_path(path_info):
    """The `cache_path` of a WSGI PATH_INFO (the request's bytes, decoded as latin-1)."""
    return path_info if path_info.isascii() else cache_path(path_info.encode("latin-1"))


def url_cache_path(url):
    """The `cache_path` of a percent-encoded path, as `reverse()` gives it."""
    return cache_path(unquote_to_bytes(url))


class Purge:
    """A purge order: exact paths and path prefixes (the prefix "" means everything).

    `paths` and `prefixes` are URLs as `reverse()` gives them (what a CDN is sent); matching
    compares their `cache_path` forms.
    """

    __slots__ = ("cache_paths", "cache_prefixes", "paths", "prefixes")

    def __init__(self, paths=(), prefixes=()):
        self.paths = frozenset(paths)
        self.prefixes = tuple(sorted(set(prefixes)))
        self.cache_paths = frozenset(url_cache_path(p) for p in self.paths)
        self.cache_prefixes = tuple(url_cache_path(p) for p in self.prefixes)

    def __bool__(self):
        return bool(self.paths or self.prefixes)

    def matches(self, path):
        return path in self.cache_paths or path.startswith(self.cache_prefixes)

    def encode(self):
        lines = [f"P {p}" for p in sorted(self.paths)] + [f"X {p}" for p in self.prefixes]
        return "".join(line + "\n" for line in lines)

    @classmethod
    def decode(cls, text):
        paths, prefixes = [], []
        for line in text.splitlines():
            kind, _, value = line.partition(" ")
            (paths if kind == "P" else prefixes).append(value)
        return cls(paths, prefixes)


class MemoryLRU:
    """Entries by path, then by variant (host, query string, language); bounded by bytes."""

    def __init__(self, max_bytes, timeout):
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._paths = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, path, variant, now):
        variants = self._paths.get(path)
        if variants is None:
            return None
        entry = variants.get(variant)
        if entry is None:
            return None
        if now - entry.stored_at >= self.timeout:
            with self._lock:
                self._drop(path, variant)
            return None
        return entry

    def set(self, path, variant, entry):
        if entry.size > self.max_bytes // 4:
            return
        with self._lock:
            self._drop(path, variant)
            self._paths.setdefault(path, {})[variant] = entry
            self._paths.move_to_end(path)
            self._bytes += entry.size
            while self._bytes > self.max_bytes and self._paths:
                _, variants = self._paths.popitem(last=False)
                self._bytes -= sum(e.size for e in variants.values())

    def touch(self, path):
        """Mark a path as recently used; cheap enough to do on every hit."""
        with contextlib.suppress(KeyError):
            self._paths.move_to_end(path)

    def purge(self, purge):
        with self._lock:
            for path in [p for p in self._paths if purge.matches(p)]:
                variants = self._paths.pop(path)
                self._bytes -= sum(e.size for e in variants.values())

    def clear(self):
        with self._lock:
            self._paths.clear()
            self._bytes = 0

    def _drop(self, path, variant):
        variants = self._paths.get(path)
        if variants and variant in variants:
            self._bytes -= variants.pop(variant).size
            if not variants:
                del self._paths[path]


class LocalStore:
    """Per-process memory plus a shared append-only purge log (one machine).

    `_lock` guards applying the log and storing a page, so a page is stored only under the
    generation it was rendered in; it is never held while taking it again.
    """

    def __init__(self, *, directory, max_bytes, timeout, max_log_bytes=1 << 20):
        os.makedirs(directory, exist_ok=True)
        self.log_path = os.path.join(directory, "purge.log")
        self.lock_path = os.path.join(directory, "purge.lock")
        self.max_log_bytes = max_log_bytes
        self.memory = MemoryLRU(max_bytes, timeout)
        self._seen = (None, 0)  # (inode, offset) of the log applied so far
        self._lock = threading.Lock()
        open(self.log_path, "a").close()
        self.sync()

    def _stat(self):
        try:
            return os.stat(self.log_path)
        except FileNotFoundError:
            open(self.log_path, "a").close()
            return os.stat(self.log_path)

    def sync(self):
        """Apply purges other processes logged since the last call; returns a generation token.

        Applying one also forgets this process's memos, so a render that starts afterwards
        reads what the purge was about.
        """
        st = self._stat()
        if (st.st_ino, st.st_size) == self._seen:
            return self._seen
        # Stat the open file under the lock: another thread may have applied more of the log
        # while this one waited, and another process may have replaced it since.
        with self._lock, open(self.log_path, "a+b") as f:
            st = os.fstat(f.fileno())
            inode, offset = self._seen
            rotated = inode != st.st_ino or st.st_size < offset
            if rotated:
                # The log was replaced: what happened in between is unknown, so forget everything.
                self.memory.clear()
                offset = 0
            f.seek(offset)
            data = f.read(st.st_size - offset)
            complete = data[: data.rfind(b"\n") + 1]
            if complete:
                self.memory.purge(Purge.decode(complete.decode()))
            if complete or rotated:
                memos_clear()
            self._seen = (st.st_ino, offset + len(complete))
            return self._seen

    def generation(self):
        return self.sync()

    def close(self):
        self.memory.clear()

    def get(self, path, variant, now):
        entry = self.memory.get(path, variant, now)
        if entry is not None:
            self.memory.touch(path)
        return entry

    def set(self, path, variant, entry, generation):
        if self.sync() != generation:
            return False
        with self._lock:
            if self._seen != generation:
                return False
            self.memory.set(path, variant, entry)
            return True

    def purge(self, purge):
        if purge:
            self._append(purge.encode().encode())
            self.sync()

    def _append(self, data):
        # One write() of a few lines in O_APPEND mode lands whole, so readers never see half a line
        # except at the very end, which `sync` leaves for the next call. The lock file keeps a
        # write from landing in a log another process is replacing.
        with open(self.lock_path, "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if os.path.getsize(self.log_path) > self.max_log_bytes:
                tmp = f"{self.log_path}.{os.getpid()}.new"
                with open(tmp, "wb") as f:
                    f.write(data)
                os.replace(tmp, self.log_path)
                return
            fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)


class RedisStore:
    """Per-process memory in front of pages shared in Redis; purges travel over pub/sub.

    `_local_gen` counts the purges this process applied to its memory; `_lock` makes applying
    one and copying a page into memory exclusive, so no page read before a purge lands after it.
    """

    def __init__(self, *, url, prefix, max_bytes, timeout, client=None):
        import redis

        self.client = client or redis.Redis.from_url(url)
        self.prefix = prefix
        self.timeout = timeout
        self.channel = f"{prefix}:purge"
        self.gen_key = f"{prefix}:gen"
        self.paths_key = f"{prefix}:paths"
        self.memory = MemoryLRU(max_bytes, timeout)
        self._listening = threading.Event()
        self._closed = threading.Event()
        self._pubsub = None
        self._local_gen = 0
        # Purge messages carry their sender: this process applies its own purges at once, and an
        # echo arriving during a render would only keep that page out of the cache.
        self._origin = uuid.uuid4().hex
        self._shared_gen = None  # the Redis generation when this process last forgot its memos
        self._lock = threading.Lock()
        self._store_script = self.client.register_script(
            "if (redis.call('GET', KEYS[1]) or '0') ~= ARGV[1] then return 0 end "
            "redis.call('HSET', KEYS[2], ARGV[2], ARGV[3]) "
            "redis.call('EXPIRE', KEYS[2], ARGV[4]) "
            "redis.call('SADD', KEYS[3], ARGV[5]) "
            "return 1"
        )
        self._listener = threading.Thread(target=self._listen, name="pagecache-purge", daemon=True)
        self._listener.start()

    def _key(self, path):
        return f"{self.prefix}:page:{path}"

    def _apply(self, purge):
        """Drop what a purge names from memory (None: everything, after a lost connection)."""
        with self._lock:
            if purge is None:
                self.memory.clear()
            else:
                self.memory.purge(purge)
            memos_clear()
            self._local_gen += 1

    def _remember(self, path, variant, entry, local_gen):
        with self._lock:
            if self._listening.is_set() and local_gen == self._local_gen:
                self.memory.set(path, variant, entry)

    def _listen(self):
        while not self._closed.is_set():
            try:
                self._pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                self._pubsub.subscribe(self.channel)
                self._apply(None)  # purges sent while not subscribed were missed
                self._listening.set()
                while not self._closed.is_set():
                    message = self._pubsub.get_message(timeout=1.0)
                    if message is not None:
                        origin, _, text = message["data"].decode().partition("\n")
                        if origin != self._origin:
                            self._apply(Purge.decode(text))
            except Exception:
                log.warning("Page cache purge listener lost Redis; retrying", exc_info=True)
                time.sleep(1)
            finally:
                self._listening.clear()
                self._apply(None)
                if self._pubsub is not None:
                    self._pubsub.close()

    def wait_until_listening(self, timeout=5.0):
        return self._listening.wait(timeout)

    def close(self):
        self._closed.set()
        self._listener.join(timeout=3)

    def sync(self):
        return self._local_gen

    def generation(self):
        """This process's purge count and Redis's; a render starting now reads fresh memos.

        A purge's message may still be on its way when its generation is already in Redis:
        seeing a new one forgets the memos at once rather than when the message lands.
        """
        local_gen = self._local_gen
        try:
            shared_gen = self.client.get(self.gen_key) or b"0"
        except Exception:
            return None
        if shared_gen != self._shared_gen:
            memos_clear()
            self._shared_gen = shared_gen
        return (local_gen, shared_gen)

    def get(self, path, variant, now):
        if self._listening.is_set():
            entry = self.memory.get(path, variant, now)
            if entry is not None:
                self.memory.touch(path)
                return entry
        return None

    def get_shared(self, path, variant, now):
        """The page from Redis, asked by the WSGI wrapper when this process's memory missed."""
        local_gen = self._local_gen
        try:
            raw = self.client.hget(self._key(path), variant)
        except Exception:
            return None
        if raw is None:
            return None
        entry = pickle.loads(raw)
        if now - entry.stored_at >= self.timeout:
            return None
        self._remember(path, variant, entry, local_gen)
        return entry

    def set(self, path, variant, entry, generation):
        if generation is None or generation[0] != self._local_gen:
            return False
        try:
            stored = self._store_script(
                keys=[self.gen_key, self._key(path), self.paths_key],
                args=[generation[1], variant, pickle.dumps(entry), int(self.timeout), path],
            )
        except Exception:
            log.warning("Page cache could not store %s in Redis", path, exc_info=True)
            return False
        if stored:
            self._remember(path, variant, entry, generation[0])
        return bool(stored)

    def purge(self, purge):
        if not purge:
            return
        pipe = self.client.pipeline()
        pipe.incr(self.gen_key)
        paths = set(purge.cache_paths)
        if purge.cache_prefixes:
            known = {p.decode() for p in self.client.smembers(self.paths_key)}
            paths |= {p for p in known if p.startswith(purge.cache_prefixes)}
        for path in paths:
            pipe.delete(self._key(path))
        if paths:
            pipe.srem(self.paths_key, *paths)
        pipe.publish(self.channel, f"{self._origin}\n{purge.encode()}")
        pipe.execute()
        self._apply(purge)


_store = None
_store_lock = threading.Lock()


def get_store():
    """This process's store, built from the settings on first use."""
    global _store
    if _store is None:
        with _store_lock:
            if _store is None:
                _store = build_store()
    return _store


def reset_store():
    """Forget this process's store (tests that change the settings)."""
    global _store
    if _store is not None:
        _store.close()
    _store = None


def build_store():
    from django.conf import settings

    sizes = {"max_bytes": settings.PAGECACHE_MAX_BYTES, "timeout": settings.PAGECACHE_TIMEOUT}
    if settings.REDIS_URL:
        return RedisStore(url=settings.REDIS_URL, prefix=settings.PAGECACHE_KEY_PREFIX, **sizes)
    return LocalStore(directory=str(settings.PAGECACHE_DIR), **sizes)
