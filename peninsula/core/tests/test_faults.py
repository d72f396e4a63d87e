"""Outages answer 503 with a retry hint; the Redis cache reads as empty while Redis is away.

The same behaviour under real servers, databases and Redis is tested in tests/faults/.
"""

import json
import socket

import pytest
import redis.exceptions
from django.db import OperationalError

from peninsula.core import faults


def _raised(exc, request):
    try:
        raise exc
    except Exception:
        return faults.server_error(request)


def test_a_database_outage_answers_503_json_under_the_api(rf):
    response = _raised(OperationalError("database is locked"), rf.post("/api/articles/1/like"))
    assert response.status_code == 503
    assert response["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["status"] == 503


def test_a_redis_outage_answers_the_503_page_elsewhere(rf):
    response = _raised(redis.exceptions.ConnectionError("refused"), rf.post("/admin/login/"))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"503" in response.content


def test_any_other_error_is_still_a_500(rf):
    response = _raised(ValueError("a bug"), rf.get("/"))
    assert response.status_code == 500


def test_the_wsgi_layers_answer_an_outage_with_503():
    def failing_app(environ, start_response):
        raise redis.exceptions.ConnectionError("refused")

    seen = {}

    def start_response(status, headers, exc_info=None):
        seen.update(status=status, headers=dict(headers))

    body = faults.OutageApp(failing_app)({"PATH_INFO": "/api/articles/1/view"}, start_response)
    assert seen["status"] == "503 Service Unavailable"
    assert seen["headers"]["Retry-After"] == str(faults.RETRY_AFTER_SECONDS)
    assert json.loads(b"".join(body))["status"] == 503


@pytest.fixture
def unreachable_cache():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return faults.ResilientRedisCache(f"redis://127.0.0.1:{port}/0", {})


def test_the_cache_reads_as_empty_and_ignores_writes_while_redis_is_away(unreachable_cache):
    cache = unreachable_cache
    assert cache.get("k", "default") == "default"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("k", 1) is False
    cache.set("k", 1)
    assert cache.set_many({"a": 1}) == ["a"]
    assert cache.delete("k") is False
    cache.delete_many(["a"])
    with pytest.raises(ValueError):  # as for a missing key, which callers handle
        cache.incr("k")
