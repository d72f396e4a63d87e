import os

import pytest
import redis
from django.core.cache import cache

from peninsula.engagement import ratelimit, services, store

# The Redis database these tests use when the run itself has no REDIS_URL.
TEST_REDIS_URL = os.environ.get("ENGAGEMENT_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def clear_redis():
    if store.enabled():
        client = store.client()
        for key in client.scan_iter(match=store.prefix() + "*"):
            client.delete(key)


@pytest.fixture(autouse=True)
def clean_state(settings):
    """Counters and memos left by one test must not show in the next (ids are reused); views
    held in memory are written only when a test flushes them (or lets the flusher run). As in
    `make bench`, one client's many views all count: the tests of the limits turn them on."""
    settings.PENINSULA_VIEW_FLUSH_SECONDS = 3600
    settings.PENINSULA_VIEW_RELOAD_SECONDS = 0
    settings.PENINSULA_VIEW_LIMIT_PER_ADDRESS = 0
    settings.PENINSULA_LIKE_LIMIT_PER_ADDRESS = 0
    services.published_memo_clear()
    services.views_buffer.discard()
    cache.clear()
    clear_redis()
    ratelimit.forget()
    yield
    services.views_buffer.discard()
    clear_redis()
    services.published_memo_clear()


@pytest.fixture
def redis_counters(settings):
    """Counting through Redis: the run's REDIS_URL, else a local server, which must answer."""
    if not settings.REDIS_URL:
        settings.REDIS_URL = TEST_REDIS_URL
    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError as exc:
        pytest.fail(f"Redis tests need a server at {settings.REDIS_URL}: {exc}")
    clear_redis()
    yield store.client()
    clear_redis()


@pytest.fixture
def db_counters(settings):
    """Counting straight into the database, as a site without Redis does."""
    settings.REDIS_URL = ""


BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture
def browser_client(client):
    """A test client that looks like a reader's browser on the same site."""
    client.defaults.update(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_FETCH_SITE="same-origin")
    return client
