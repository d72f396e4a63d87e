"""What the site answers while the database or Redis does not (docs/operations.md).

A request that needed a service that is down, locked past its busy timeout, or cut off mid-way
gets 503 with `Retry-After` (JSON under /api/, a page elsewhere) instead of a 500, so clients and
proxies know to try again; nothing is half-written because every write is one transaction.
Cached pages keep being answered, and while Redis is away the cache reads as empty, so pages
are rendered from the database.
"""

import logging
import sys

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
REDIS_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
# The database refused, lost or timed out the connection (a SQLite lock past the busy timeout
# is an OperationalError too), or Redis did not answer.
OUTAGES = (OperationalError, InterfaceError, *REDIS_ERRORS)


def unavailable(path):
    """The 503 answer: JSON for the API, the site's page for everything else."""
    if path.startswith("/api/"):
        message = _("The service is briefly unavailable. Please try again in a few seconds.")
        response = JsonResponse({"error": message, "status": 503}, status=503)
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request):
    """`handler500`: a service outage answers 503, any other error the usual 500 page.

    Django calls it while handling the exception, so `sys.exc_info()` names it; this covers
    views and middleware alike (a session saved into a locked database, for instance).
    """
    from .views import server_error as error_page

    if isinstance(sys.exc_info()[1], OUTAGES):
        return unavailable(request.path)
    return error_page(request)


class OutageApp:
    """The same rule for the WSGI layers in front of Django (the page cache, the lean view
    path), whose exceptions would otherwise reach the server as a bare 500."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        try:
            return self.app(environ, start_response)
        except OUTAGES:
            log.warning("Answered 503: a service is unavailable", exc_info=True)
            response = unavailable(environ.get("PATH_INFO", ""))
            status = f"{response.status_code} {response.reason_phrase}"
            start_response(status, list(response.items()), sys.exc_info())
            return [response.content]


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that reads as empty and ignores writes while Redis does not answer.

    What the site keeps in it (the category tree, rankings, rate-limit windows) can be
    recomputed, so pages keep rendering from the database during an outage and the like rate
    limit lets likes through (they stay one per visitor by the database's unique constraint).
    Sessions use a plain Redis cache (`SESSION_CACHE_ALIAS`), so a login is refused with 503
    rather than silently lost.
    """

    def _unavailable(self, operation):
        log.warning("Redis cache unavailable: %s skipped", operation)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except REDIS_ERRORS:
            self._unavailable("get")
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except REDIS_ERRORS:
            self._unavailable("get_many")
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except REDIS_ERRORS:
            self._unavailable("has_key")
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except REDIS_ERRORS:
            self._unavailable("add")
            return False

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            super().set(key, value, timeout, version)
        except REDIS_ERRORS:
            self._unavailable("set")

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except REDIS_ERRORS:
            self._unavailable("set_many")
            return list(data)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except REDIS_ERRORS:
            self._unavailable("touch")
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except REDIS_ERRORS:
            self._unavailable("delete")
            return False

    def delete_many(self, keys, version=None):
        try:
            super().delete_many(keys, version)
        except REDIS_ERRORS:
            self._unavailable("delete_many")

    def incr(self, key, delta=1, version=None):
        """As for a key that is not there: callers already handle that ValueError."""
        try:
            return super().incr(key, delta, version)
        except REDIS_ERRORS as exc:
            self._unavailable("incr")
            raise ValueError(f"Key {key!r} not found: Redis is unavailable") from exc

    def clear(self):
        try:
            super().clear()
        except REDIS_ERRORS:
            self._unavailable("clear")
