"""The stores on their own: purges from other processes, threads, and how paths are compared."""

import subprocess
import sys
import threading
import time
import uuid

import pytest

from peninsula.core.memo import Memo
from peninsula.pagecache.store import Entry, LocalStore, Purge, RedisStore, cache_path

# Another process, as another worker is: it logs a purge of /other/ as fast as it can.
PURGER = """
import sys
from peninsula.pagecache.store import LocalStore, Purge
store = LocalStore(directory=sys.argv[1], max_bytes=1 << 20, timeout=600, max_log_bytes=4096)
print("ready", flush=True)
while True:
    store.purge(Purge(["/other/"]))
"""


def entry(body=b"page"):
    return Entry("200 OK", (), body, time.time())


def run_threads(targets, *, timeout=30):
    """Run each target in a thread; fail, rather than hang, when one never returns."""
    threads = [threading.Thread(target=t, daemon=True) for t in targets]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(timeout=max(0, deadline - time.monotonic()))
    assert not any(t.is_alive() for t in threads), "a thread hangs in the store"


def local_store(tmp_path, **kwargs):
    return LocalStore(directory=str(tmp_path), max_bytes=1 << 20, timeout=600, **kwargs)


@pytest.fixture
def purger(tmp_path):
    process = subprocess.Popen(
        [sys.executable, "-c", PURGER, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        yield process
    finally:
        process.kill()
        process.wait(timeout=10)


def test_threads_store_pages_while_another_process_logs_purges(tmp_path, purger):
    store = local_store(tmp_path)
    stored, errors = [], []

    def render(n):
        try:
            for i in range(300):
                generation = store.generation()
                stored.append(store.set(f"/page/{n}/{i}", "v", entry(), generation))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    run_threads([lambda n=n: render(n) for n in range(4)])
    assert errors == []
    assert len(stored) == 1200


def test_a_page_rendered_before_a_purge_is_not_stored(tmp_path):
    store = local_store(tmp_path)
    other = local_store(tmp_path)
    generation = store.generation()
    other.purge(Purge(["/a/"]))
    stored = []
    run_threads([lambda: stored.append(store.set("/a/", "v", entry(), generation))], timeout=5)
    assert stored == [False]
    assert store.set("/a/", "v", entry(), store.generation()) is True
    assert store.get("/a/", "v", time.time()) is not None


def test_applying_another_process_purge_clears_the_memos(tmp_path):
    store = local_store(tmp_path)
    other = local_store(tmp_path)
    memo = Memo(timeout=60)
    memo.get("tree", lambda: "old")
    store.sync()
    assert memo.is_fresh("tree")
    other.purge(Purge(["/a/"]))
    store.sync()
    assert not memo.is_fresh("tree")


def test_rotation_by_another_process_forgets_everything(tmp_path):
    store = local_store(tmp_path)
    other = local_store(tmp_path, max_log_bytes=10)
    store.set("/kept/", "v", entry(), store.generation())
    other.purge(Purge(["/x/" * 10]))
    other.purge(Purge(["/y/"]))  # past max_log_bytes: the log is replaced
    assert store.get("/kept/", "v", time.time()) is not None
    store.sync()
    assert store.get("/kept/", "v", time.time()) is None


@pytest.mark.parametrize(
    "uri, path",
    [
        ("/tag/%E6%B5%8B%E8%AF%95%E6%A0%87%E7%AD%BE/", "/tag/测试标签/"),
        ("/tag/Mixed%E6%B7%B7%E5%90%88-1/", "/tag/Mixed混合-1/"),
        ("/tag/a%20b%3Fc%23d%25e+f&g/", "/tag/a b?c#d%e+f&g/"),
        ("/tag/%2541/", "/tag/%41/"),
    ],
)
def test_purges_compare_paths_as_django_decodes_them(uri, path):
    # A WSGI server hands PATH_INFO over as the request's bytes decoded as latin-1.
    raw = path.encode().decode("latin-1")
    assert cache_path(raw.encode("latin-1")) == path
    purge = Purge([uri], [uri[:5]])
    assert purge.matches(path)
    assert Purge.decode(purge.encode()).matches(path)


@pytest.fixture
def redis_store(settings):
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    store = RedisStore(
        url=settings.REDIS_URL, prefix=f"test-store-{uuid.uuid4().hex}", max_bytes=1 << 20,
        timeout=600,
    )  # fmt: skip
    assert store.wait_until_listening()
    yield store
    store.close()
    names = list(store.client.scan_iter(match=f"{store.prefix}:*"))
    if names:
        store.client.delete(*names)


def test_a_new_redis_generation_forgets_the_memos_before_its_message_lands(redis_store):
    memo = Memo(timeout=60)
    redis_store.generation()
    memo.get("ranking", lambda: "old")
    redis_store.client.incr(redis_store.gen_key)  # another process's purge, message not yet sent
    generation = redis_store.generation()
    assert not memo.is_fresh("ranking")
    assert redis_store.set("/a/", "v", entry(), generation)


def test_a_purge_message_forgets_the_memos_and_the_page(redis_store):
    memo = Memo(timeout=60)
    redis_store.set("/tag/测试/", "v", entry(), redis_store.generation())
    memo.get("ranking", lambda: "old")
    purge = Purge(["/tag/%E6%B5%8B%E8%AF%95/"])
    redis_store.client.publish(redis_store.channel, f"another-process\n{purge.encode()}")
    deadline = time.monotonic() + 5
    while memo.is_fresh("ranking") and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not memo.is_fresh("ranking")
    assert redis_store.get("/tag/测试/", "v", time.time()) is None


def test_a_process_applies_its_own_purge_once(redis_store):
    """Its message coming back must not count as a new purge: a page rendered meanwhile would
    not be stored, and the memos would be read again."""
    before = redis_store.sync()
    redis_store.purge(Purge(["/a/"]))
    time.sleep(0.5)  # the message has come back through Redis by now
    assert redis_store.sync() == before + 1
    generation = redis_store.generation()
    assert redis_store.set("/b/", "v", entry(), generation)
    assert redis_store.get("/b/", "v", time.time()) is not None
