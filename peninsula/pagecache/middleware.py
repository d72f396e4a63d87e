"""Cache-Control for every response, and storing public pages for the WSGI wrapper to serve."""

import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.urls import NoReverseMatch, reverse
from django.utils.cache import cc_delim_re, patch_vary_headers

from peninsula.core.http import is_public_page

from .encoding import GZIP_VARIANT, accepts_gzip, compress, compressible, gzip_headers
from .store import Entry, url_cache_path
from .wsgi import ENVIRON_KEY, PROXY_EXPIRES, proxy_expires

# Response headers that vary with what the cache key already covers (or never applies to a
# shared entry: the session cookie bypasses the cache; the language and gzip are in the key).
KEYED_VARY = frozenset(["cookie", "accept-language", "accept-encoding"])
UNSTORED_HEADERS = frozenset(["age", "x-cache", "set-cookie", PROXY_EXPIRES.lower()])


class PageCacheMiddleware:
    """Outermost middleware: it sees the response after every other middleware wrote to it."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.private_prefixes = ("/admin/", "/django-admin/")
        self.public = (
            f"public, max-age={settings.PAGECACHE_MAX_AGE}, "
            f"s-maxage={settings.PAGECACHE_S_MAXAGE}, "
            f"stale-while-revalidate={settings.PAGECACHE_STALE_WHILE_REVALIDATE}"
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
                response[PROXY_EXPIRES] = proxy_expires(time.time())
            compressed = self._compress(request, response, marker)
            if marker is not None:
                self._store(request, response, compressed, *marker)
                response["X-Cache"] = "MISS"
            if compressed is not None and self._accepts_gzip(request, marker):
                response.content = compressed
                response["Content-Encoding"] = "gzip"
                response["Content-Length"] = str(len(compressed))
        elif request.path_info.startswith(self.private_prefixes):
            response["Cache-Control"] = "private, no-store"
        else:
            response["Cache-Control"] = "private, no-cache"
        return response

    def _compress(self, request, response, marker):
        """The gzipped body of a shared page when the cache or this reader needs it, or None.

        A page worth compressing varies by Accept-Encoding. It is compressed once, for this
        reader and for the cache; nginx in front keys its cache by the same choice
        (deploy/nginx-cache.conf) and never compresses a page.
        """
        if (
            response.status_code != 200
            or response.streaming
            or response.has_header("Content-Encoding")
            or not compressible(response.get("Content-Type", ""), response.content)
        ):
            return None
        patch_vary_headers(response, ["Accept-Encoding"])
        if marker is None and not self._accepts_gzip(request):
            return None
        return compress(response.content)

    def _accepts_gzip(self, request, marker=None):
        if marker is not None:
            return marker[0].gzip
        return accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING"))

    def _has_private_cookies(self, request, marker):
        if marker is not None:
            return False  # the wrapper gave it a key, which it never does for such requests
        if "HTTP_AUTHORIZATION" in request.META:
            return True
        private = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
        return any(name in request.COOKIES for name in private)

    def _is_public_page(self, request):
        match = request.resolver_match
        return (
            request.method in ("GET", "HEAD") and match is not None and is_public_page(match.func)
        )

    def _is_canonical(self, request):
        """Whether the path is the one `reverse()` gives for this view and its arguments: the
        path purges are computed for. `/news/039.html` is not (`/news/39.html` is)."""
        match = request.resolver_match
        try:
            url = reverse(match.view_name, args=match.args, kwargs=match.captured_kwargs)
        except NoReverseMatch:
            return False
        return url_cache_path(url) == request.path

    def _store(self, request, response, compressed, key, generation, store):
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return
        if not self._is_canonical(request):
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
        now = time.time()
        entry = Entry(status, headers, response.content, now)
        if store.set(key.path, key.plain, entry, generation):
            # Both forms at once: the next reader finds theirs whichever they accept.
            if compressed is not None:
                entry = Entry(status, gzip_headers(headers, compressed), compressed, now)
            store.set(key.path, key.plain + GZIP_VARIANT, entry, generation)
