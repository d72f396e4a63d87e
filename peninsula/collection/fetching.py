"""Fetching for collection: conditional GET, bounded in time and size, one request at a time per
host, robots.txt honoured, and for sources added in the admin only public addresses.

The address check runs on the socket actually connected, before a byte is sent, for the first
request and for every redirect, so neither a redirect nor a DNS answer that changes between a
check and the connection (rebinding) reaches a private address. See docs/security.md.
"""

import http.client
import ipaddress
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import urllib.robotparser
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from peninsula.ingestion.fetch import FetchError

USER_AGENT = "Peninsula-Collector/0.1 (+https://github.com/peninsula-news)"
ROBOTS_TTL = 3600  # seconds a host's robots.txt is kept
MAX_REDIRECTS = 5


class CollectError(FetchError):
    """A fetch that gave no usable answer; `status` is the HTTP status when one came."""

    def __init__(self, message, status=None):
        super().__init__(message)
        self.status = status


class Refused(CollectError):
    """An address a guarded fetch may not reach (loopback, private, link-local …)."""


@dataclass
class Response:
    url: str  # after redirects
    status: int
    body: bytes = b""
    headers: dict = field(default_factory=dict)  # lower-case names

    @property
    def content_type(self):
        return self.headers.get("content-type", "")


def check_address(address, port):
    """Refuse an address that is not global, unless settings allow that `address:port`."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip.is_global and not ip.is_multicast:
        return
    if f"{ip}:{port}" in settings.COLLECTION_PRIVATE_ALLOWED:
        return
    raise Refused(f"refused: {ip} is a loopback, private or link-local address")


class _CheckedConnection(http.client.HTTPConnection):
    def connect(self):
        super().connect()
        try:
            check_address(self.sock.getpeername()[0], self.port)
        except Refused:
            self.sock.close()
            raise


class _GuardedHTTPConnection(_CheckedConnection):
    pass


# HTTPSConnection.connect calls up to _CheckedConnection.connect before the TLS handshake.
class _GuardedHTTPSConnection(http.client.HTTPSConnection, _CheckedConnection):
    pass


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    max_redirections = MAX_REDIRECTS

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.startswith(("http://", "https://")):
            raise CollectError(f"refused: a redirect to {newurl}", status=code)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_openers = {
    True: urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _GuardedHTTPHandler, _GuardedHTTPSHandler, _Redirects
    ),
    False: urllib.request.build_opener(_Redirects),
}
_host_locks = defaultdict(threading.Lock)
_host_locks_lock = threading.Lock()


def host_lock(url):
    """The lock that keeps requests to one host one at a time, across this process's threads."""
    host = urllib.parse.urlsplit(url).hostname or ""
    with _host_locks_lock:
        return _host_locks[host]


def fetch(url, *, guarded, etag="", modified="", max_bytes=None, timeout=None):
    """GET `url`, conditionally when `etag`/`modified` are given (a 304 is a Response too).

    Any other status than 2xx or 304, a timeout, a body over the size limit or, when
    `guarded`, a private address at any hop raises CollectError.
    """
    max_bytes = max_bytes or settings.COLLECTION_MAX_BYTES
    timeout = timeout or settings.COLLECTION_TIMEOUT
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    request = urllib.request.Request(url, headers=headers)
    with host_lock(url):
        try:
            with _openers[guarded].open(request, timeout=timeout) as answer:
                return _read(url, answer, answer.status, max_bytes)
        except urllib.error.HTTPError as error:
            if error.code == 304:
                return Response(error.geturl() or url, 304, headers=_headers(error.headers))
            raise CollectError(f"{url}: HTTP {error.code} {error.reason}", error.code) from None
        except urllib.error.URLError as error:
            raise CollectError(f"{url}: {error.reason}") from None
        except (TimeoutError, OSError, http.client.HTTPException) as error:
            raise CollectError(f"{url}: {getattr(error, 'strerror', None) or error}") from None
        except ValueError as error:
            raise CollectError(f"{url}: {error}") from None


def _read(url, answer, status, max_bytes):
    body = answer.read(max_bytes + 1)
    if len(body) > max_bytes:
        raise CollectError(f"{url}: larger than {max_bytes // 1024} KB", status)
    return Response(answer.geturl(), status, body, _headers(answer.headers))


def _headers(message):
    return {name.lower(): value for name, value in (message or {}).items()}


def image_fetcher(guarded):
    """A fetch for `ingestion.images.store_image` with this module's guard and limits."""

    def fetch_image(url, *, max_bytes):
        return fetch(url, guarded=guarded, max_bytes=max_bytes)

    return fetch_image


_robots = {}  # origin → (expires, RobotFileParser)


def robots_allow(url, *, guarded):
    """Whether the host's robots.txt lets this collector fetch `url` (kept for an hour).

    A missing robots.txt allows everything and a 401 or 403 forbids everything, as
    urllib.robotparser reads them; a host that cannot answer for it is not fetched.
    """
    parts = urllib.parse.urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    cached = _robots.get(origin)
    if cached is None or cached[0] < time.monotonic():
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            answer = fetch(origin + "/robots.txt", guarded=guarded, max_bytes=512 * 1024)
            parser.parse(answer.body.decode("utf-8", errors="replace").splitlines())
        except CollectError as error:
            if error.status in (401, 403):
                parser.disallow_all = True
            elif error.status is not None and 400 <= error.status < 500:
                parser.allow_all = True
            else:
                raise CollectError(f"robots.txt unavailable: {error}", error.status) from None
        cached = _robots[origin] = (time.monotonic() + ROBOTS_TTL, parser)
    return cached[1].can_fetch(USER_AGENT, url)
