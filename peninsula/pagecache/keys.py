"""Which requests may share a cached page, and under which key.

The same function decides for the WSGI wrapper (before Django) and for the Django middleware
that stores pages, so a page is only ever stored under the key it will be looked up with.
"""

from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http.cookie import parse_cookie
from django.utils.translation import trans_real

from peninsula.core.memo import Memo
from peninsula.core.site import site_defaults

from .store import wsgi_cache_path

# Supported language by cookie value; bounded, as the cookie is whatever a client sends.
_languages = Memo(timeout=3600, max_entries=1000)


@dataclass(frozen=True, slots=True)
class Key:
    path: str
    variant: str
    language: str  # the page is stored only if Django answered in this language


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
        self.proxy_ssl_header = settings.SECURE_PROXY_SSL_HEADER

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
        if self.proxy_ssl_header and environ.get(self.proxy_ssl_header[0]) is not None:
            header, value = self.proxy_ssl_header
            scheme = "https" if environ.get(header) == value else "http"
        else:
            scheme = environ.get("wsgi.url_scheme", "http")
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        path = wsgi_cache_path(environ.get("PATH_INFO", "/"))
        return Key(path, f"{scheme}://{host.lower()}?{query}#{language}", language)

    def language(self, cookie_language):
        """The language the site's language middleware activates: the reader's choice (the
        language cookie) when the site supports it, else the site's default; the browser's
        Accept-Language is deliberately not followed (peninsula.core.middleware)."""
        default = site_defaults().language
        if not cookie_language:
            return default
        try:
            return _languages.get(
                cookie_language, lambda: trans_real.get_supported_language_variant(cookie_language)
            )
        except LookupError:
            return default
