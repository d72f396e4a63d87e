"""Cache-Control for every response, and storing public pages for the WSGI wrapper to serve."""

import time

from django.conf import settings
from django.utils.cache import cc_delim_re, patch_vary_headers

from .store import Entry
from .wsgi import ENVIRON_KEY

DEFAULT_VIEWS = (
    "content:home",
    "content:category",
    "content:article",
    "content:tag",
    "content:author",
    "content:archive-year",
    "content:archive-month",
)
DEFAULT_PREFIXES = ("/feeds/", "/sitemap", "/robots.txt")
# Response headers that vary with what the cache key already covers (or never applies to a
# shared entry: the session cookie bypasses the cache, the language is part of the key).
KEYED_VARY = frozenset(["cookie", "accept-language"])
UNSTORED_HEADERS = frozenset(["age", "x-cache", "set-cookie"])


class PageCacheMiddleware:
    """Outermost middleware: it sees the response after every other middleware wrote to it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.views = frozenset(getattr(settings, "PAGECACHE_VIEWS", DEFAULT_VIEWS))
        self.prefixes = tuple(getattr(settings, "PAGECACHE_PATH_PREFIXES", DEFAULT_PREFIXES))
        self.private_prefixes = ("/admin/", "/django-admin/")
        max_age = getattr(settings, "PAGECACHE_MAX_AGE", 60)
        s_maxage = getattr(settings, "PAGECACHE_S_MAXAGE", 600)
        swr = getattr(settings, "PAGECACHE_STALE_WHILE_REVALIDATE", 60)
        self.public = (
            f"public, max-age={max_age}, s-maxage={s_maxage}, stale-while-revalidate={swr}"
        )

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        marker = request.META.get(ENVIRON_KEY)
        anonymous = not self._has_private_cookies(request, marker)
        if self._is_public_page(request) and anonymous and not response.cookies:
            if response.status_code in (200, 301, 404, 410):
                response["Cache-Control"] = self.public
                patch_vary_headers(response, ["Cookie"])
            if marker is not None:
                self._store(request, response, *marker)
                response["X-Cache"] = "MISS"
        elif request.path_info.startswith(self.private_prefixes):
            response["Cache-Control"] = "private, no-store"
        else:
            response["Cache-Control"] = "private, no-cache"
        return response

    def _has_private_cookies(self, request, marker):
        if marker is not None:
            return False  # the wrapper gave it a key, which it never does for such requests
        if "HTTP_AUTHORIZATION" in request.META:
            return True
        return any(name in request.COOKIES for name in (settings.SESSION_COOKIE_NAME, "messages"))

    def _is_public_page(self, request):
        if request.method not in ("GET", "HEAD"):
            return False
        match = request.resolver_match
        if match is not None and match.view_name in self.views:
            return True
        return request.path_info.startswith(self.prefixes)

    def _store(self, request, response, key, generation, store):
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return
        vary = {v.lower() for v in cc_delim_re.split(response.get("Vary", "")) if v}
        if not vary <= KEYED_VARY:
            return
        if response.get("Content-Language", key.language) != key.language:
            return
        headers = tuple(
            (name, value)
            for name, value in response.items()
            if name.lower() not in UNSTORED_HEADERS
        )
        status = f"{response.status_code} {response.reason_phrase}"
        entry = Entry(status, headers, response.content, time.time())
        store.set(key.path, key.variant, entry, generation)
