"""The WSGI wrapper that answers cache hits before Django sees the request.

A hit costs a `stat()`, a cookie parse and two dict look-ups; Django's request handling and
middleware would cost a hundred times more (docs/caching.md has the figures). On a miss the
request goes to Django with its key and the store's generation in the environ, and
`PageCacheMiddleware` stores the response when it is a public page.
"""

import time

from .keys import KeyMaker
from .store import get_store

ENVIRON_KEY = "peninsula.pagecache"
PROXY_EXPIRES = "X-Accel-Expires"


def proxy_expires(now):
    """The value of PROXY_EXPIRES on a shared page: nginx in front (deploy/nginx-cache.conf)
    keeps it to the end of the current second and no longer, so purges reach it within a
    second. Never stored with a page: every answer, hit or miss, carries the current second."""
    return f"@{int(now)}"


class PageCacheApp:
    def __init__(self, app, *, store=None):
        self.app = app
        self._store = store
        self._keys = None

    @property
    def store(self):
        if self._store is None:
            self._store = get_store()
        return self._store

    @property
    def keys(self):
        if self._keys is None:
            self._keys = KeyMaker()
        return self._keys

    def __call__(self, environ, start_response):
        store = self.store
        # Every request applies the purges logged since the last one, cached or not, so that
        # pages and API answers alike are rendered with this process's memos forgotten.
        store.sync()
        key = self.keys.key(environ)
        if key is None:
            return self.app(environ, start_response)
        now = time.time()
        entry = store.get(key.path, key.variant, now)
        if entry is None and hasattr(store, "get_shared"):
            entry = store.get_shared(key.path, key.variant, now)
        if entry is not None:
            headers = [
                *entry.headers,
                ("Age", str(int(now - entry.stored_at))),
                ("X-Cache", "HIT"),
                (PROXY_EXPIRES, proxy_expires(now)),
            ]
            start_response(entry.status, headers)
            return [] if environ["REQUEST_METHOD"] == "HEAD" else [entry.body]
        environ[ENVIRON_KEY] = (key, store.generation(), store)
        return self.app(environ, start_response)
