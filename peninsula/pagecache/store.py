"""Where cached pages live: a bounded LRU in each worker process, kept honest across processes.

Every worker answers hits from its own memory (a Redis round trip per hit costs four times the
throughput, see docs/caching.md). What the processes share is the purge stream:

- `LocalStore` (default): purges are lines appended to a log file; each request `stat()`s the
  file (about a microsecond) and applies the new lines before looking anything up.
- `RedisStore` (REDIS_URL set): rendered pages are also kept in Redis so that one render serves
  every process and machine, and purges are published on a channel that a listener thread in
  each process applies. While the listener is not connected the memory tier is skipped.

Both hand out a `generation` token at the start of a request; a page is stored only if no purge
arrived since, so a render that read the database before a publish never outlives it.
"""

import contextlib
import logging
import os
import pickle
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

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


class Purge:
    """A purge order: exact paths and path prefixes (the prefix "" means everything)."""

    __slots__ = ("paths", "prefixes")

    def __init__(self, paths=(), prefixes=()):
        self.paths = frozenset(paths)
        self.prefixes = tuple(sorted(set(prefixes)))

    def matches(self, path):
        return path in self.paths or path.startswith(self.prefixes)

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

    def __len__(self):
        return sum(len(v) for v in self._paths.values())


class LocalStore:
    """Per-process memory plus a shared append-only purge log (one machine)."""

    def __init__(self, *, directory, max_bytes, timeout, max_log_bytes=1 << 20):
        os.makedirs(directory, exist_ok=True)
        self.log_path = os.path.join(directory, "purge.log")
        self.max_log_bytes = max_log_bytes
        self.memory = MemoryLRU(max_bytes, timeout)
        self._seen = (None, 0)  # (inode, offset) of the log applied so far
        self._lock = threading.Lock()
        open(self.log_path, "a").close()
        self.sync()

    def sync(self):
        """Apply purges other processes logged since the last call; returns a generation token."""
        try:
            st = os.stat(self.log_path)
        except FileNotFoundError:
            open(self.log_path, "a").close()
            st = os.stat(self.log_path)
        token = (st.st_ino, st.st_size)
        if token == self._seen:
            return token
        with self._lock:
            inode, offset = self._seen
            if inode != st.st_ino or st.st_size < offset:
                # The log was rotated: what happened in between is unknown, so forget everything.
                self.memory.clear()
                offset = 0
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                data = f.read(st.st_size - offset)
            complete = data[: data.rfind(b"\n") + 1]
            if complete:
                self.memory.purge(Purge.decode(complete.decode()))
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
        with self._lock:
            if self.sync() != generation:
                return False
            self.memory.set(path, variant, entry)
            return True

    def purge(self, purge):
        text = purge.encode() if purge.paths or purge.prefixes else ""
        if not text:
            return
        self._append(text.encode())
        self.sync()

    def _append(self, data):
        # One write() of a few lines in O_APPEND mode lands whole, so readers never see half a line
        # except at the very end, which `sync` leaves for the next call.
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
    """Per-process memory in front of pages shared in Redis; purges travel over pub/sub."""

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

    def _listen(self):
        while not self._closed.is_set():
            try:
                self._pubsub = self.client.pubsub(ignore_subscribe_messages=True)
                self._pubsub.subscribe(self.channel)
                self.memory.clear()
                self._listening.set()
                while not self._closed.is_set():
                    message = self._pubsub.get_message(timeout=1.0)
                    if message is not None:
                        self.memory.purge(Purge.decode(message["data"].decode()))
                        self._local_gen += 1
            except Exception:
                log.warning("Page cache purge listener lost Redis; retrying", exc_info=True)
                time.sleep(1)
            finally:
                self._listening.clear()
                self.memory.clear()
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
        try:
            return (self._local_gen, self.client.get(self.gen_key) or b"0")
        except Exception:
            return None

    def get(self, path, variant, now):
        if self._listening.is_set():
            entry = self.memory.get(path, variant, now)
            if entry is not None:
                self.memory.touch(path)
                return entry
        return None

    def get_shared(self, path, variant, now):
        """The slower tier, asked by Django-side code on a memory miss."""
        try:
            raw = self.client.hget(self._key(path), variant)
        except Exception:
            return None
        if raw is None:
            return None
        entry = pickle.loads(raw)
        if now - entry.stored_at >= self.timeout:
            return None
        if self._listening.is_set():
            self.memory.set(path, variant, entry)
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
        if stored and self._listening.is_set() and generation[0] == self._local_gen:
            self.memory.set(path, variant, entry)
        return bool(stored)

    def purge(self, purge):
        if not purge.paths and not purge.prefixes:
            return
        pipe = self.client.pipeline()
        pipe.incr(self.gen_key)
        paths = set(purge.paths)
        if purge.prefixes:
            known = {p.decode() for p in self.client.smembers(self.paths_key)}
            paths |= {p for p in known if p.startswith(purge.prefixes)}
        for path in paths:
            pipe.delete(self._key(path))
        if paths:
            pipe.srem(self.paths_key, *paths)
        pipe.publish(self.channel, purge.encode())
        pipe.execute()
        self.memory.purge(purge)
        self._local_gen += 1


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

    max_bytes = getattr(settings, "PAGECACHE_MAX_BYTES", 32 << 20)
    timeout = getattr(settings, "PAGECACHE_TIMEOUT", 600)
    redis_url = getattr(settings, "PAGECACHE_REDIS_URL", "") or getattr(settings, "REDIS_URL", "")
    if redis_url:
        prefix = getattr(settings, "PAGECACHE_KEY_PREFIX", "peninsula:pagecache")
        return RedisStore(url=redis_url, prefix=prefix, max_bytes=max_bytes, timeout=timeout)
    directory = getattr(
        settings, "PAGECACHE_DIR", os.path.join(settings.BASE_DIR, "var", "pagecache")
    )
    return LocalStore(directory=str(directory), max_bytes=max_bytes, timeout=timeout)
