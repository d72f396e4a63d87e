"""Which requests may share a cached page, and under which key.

The same function decides for the WSGI wrapper (before Django) and for the Django middleware
that stores pages, so a page is only ever stored under the key it will be looked up with.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http.cookie import parse_cookie

from peninsula.core.net import is_secure
from peninsula.core.site import site_language

from .encoding import GZIP_VARIANT, accepts_gzip
from .store import wsgi_cache_path


@dataclass(frozen=True, slots=True)
class Key:
    path: str
    variant: str  # what this request is answered from: `plain`, or its gzipped form
    language: str  # the page is stored only if Django answered in this language
    plain: str  # the variant of the page as rendered; GZIP_VARIANT appended: gzipped

    @property
    def gzip(self):
        return self.variant != self.plain


class KeyMaker:
    """Settings read once; `key(environ)` is called on every request, so it stays lean."""

    def __init__(self):
        self.bypass_cookies = frozenset(
            [
                settings.SESSION_COOKIE_NAME,
                CookieStorage.cookie_name,
                *settings.PAGECACHE_BYPASS_COOKIES,
            ]
        )
        self.language_cookie = settings.LANGUAGE_COOKIE_NAME
        self.query_params = frozenset(settings.PAGECACHE_QUERY_PARAMS)

    def key(self, environ):
        """The cache key for a GET/HEAD request a shared page may answer, or None."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in environ:
            return None
        query = environ.get("QUERY_STRING", "")
        if query:
            try:
                pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
            except ValueError:
                return None
            if any(name not in self.query_params for name, _ in pairs):
                return None
            # A repeated name (?page=2&page=1) reads differently once sorted: not shared.
            if len(pairs) > 1 and len(dict(pairs)) != len(pairs):
                return None
            query = urlencode(sorted(pairs))
        cookie_language = None
        raw_cookie = environ.get("HTTP_COOKIE")
        if raw_cookie:
            cookies = parse_cookie(raw_cookie)
            if not self.bypass_cookies.isdisjoint(cookies):
                return None
            cookie_language = cookies.get(self.language_cookie)
        language = self.language(cookie_language)
        scheme = "https" if is_secure(environ) else "http"
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        path = wsgi_cache_path(environ.get("PATH_INFO", "/"))
        plain = f"{scheme}://{host.lower()}?{query}#{language}"
        if accepts_gzip(environ.get("HTTP_ACCEPT_ENCODING")):
            return Key(path, plain + GZIP_VARIANT, language, plain)
        return Key(path, plain, language, plain)

    def language(self, cookie_language):
        """The language the site's language middleware activates (peninsula.core.site)."""
        return site_language(cookie_language)
