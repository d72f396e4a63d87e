import gzip
import uuid
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes, urlsplit

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import RequestFactory

from peninsula.pagecache import jobs
from peninsula.pagecache.store import get_store, reset_store
from peninsula.pagecache.wsgi import PageCacheApp


@dataclass
class Reply:
    status: int
    headers: dict
    raw: bytes

    @property
    def body(self):
        """The page as text, gunzipped when it came gzipped."""
        if self.headers.get("Content-Encoding") == "gzip":
            return gzip.decompress(self.raw).decode()
        return self.raw.decode()

    @property
    def cache(self):
        return self.headers.get("X-Cache")


@pytest.fixture
def store(settings, tmp_path):
    """A fresh store for this test: a purge log in a temporary folder, or a Redis key prefix."""
    settings.PAGECACHE_DIR = tmp_path / "pagecache"
    settings.PAGECACHE_KEY_PREFIX = f"test-pagecache-{uuid.uuid4().hex}"
    settings.ROOT_URLCONF = "peninsula.pagecache.tests.urls"
    reset_store()
    jobs.reset()
    built = get_store()
    if hasattr(built, "wait_until_listening"):
        assert built.wait_until_listening()
    yield built
    reset_store()


@pytest.fixture
def wsgi(store):
    """Call the production WSGI stack (cache wrapper around Django) with a built environ."""
    app = PageCacheApp(get_wsgi_application())
    factory = RequestFactory()

    def call(path, method="GET", **headers):
        environ = dict(factory.generic(method, path, **headers).environ)
        # Django's request decoded PATH_INFO in place; a WSGI server sends the bytes as latin-1.
        environ["PATH_INFO"] = unquote_to_bytes(urlsplit(path).path).decode("latin-1")
        result = {}

        def start_response(status, response_headers, exc_info=None):
            result["status"] = int(status.split()[0])
            result["headers"] = dict(response_headers)

        # As Django's test client does: the test's transaction must outlive the request.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            iterable = app(environ, start_response)
            body = b"".join(iterable)
            if hasattr(iterable, "close"):
                iterable.close()
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return Reply(result["status"], result["headers"], body)

    return call
