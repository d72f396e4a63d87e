"""Counters that cannot be rigged cheaply: reloads count once, each address has a ceiling per
article, likes a cap per address per article; what is answered as counted is exactly what is
added. (The limits shared between processes: tests/scaleout/test_counter_limits.py.)"""

import io
import json
import random
import time

import pytest

from peninsula.content.tests.factories import ArticleFactory
from peninsula.engagement import ratelimit, services
from peninsula.engagement.tests.test_api import post, url
from peninsula.engagement.tests.test_wsgi import Recorder, call, keep_the_test_connection  # noqa: F401
from peninsula.engagement.visitors import VISITOR_COOKIE
from peninsula.engagement.wsgi import ViewCounterApp

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["db_counters", "redis_counters"])
def limits(request, settings, window_start):
    """The default limits, kept in the local file (no Redis) or in Redis."""
    request.getfixturevalue(request.param)
    settings.PENINSULA_VIEW_RELOAD_SECONDS = 30
    settings.PENINSULA_VIEW_LIMIT_PER_ADDRESS = 60
    settings.PENINSULA_LIKE_LIMIT_PER_ADDRESS = 10
    ratelimit.forget()
    return request.param


def views_of(article):
    services.counters_flush()
    article.refresh_from_db()
    return article.views


def test_a_visitors_reloads_count_once(limits, browser_client):
    article = ArticleFactory()
    answers = [json.loads(post(browser_client, url(article.pk, "view")).content) for _ in range(5)]
    assert answers[0] == {"views": 1, "likes": 0, "liked": False}
    assert answers[1:] == [{"views": 1, "likes": 0, "liked": False, "counted": False}] * 4
    other = ArticleFactory()  # another article is another view
    assert "counted" not in json.loads(post(browser_client, url(other.pk, "view")).content)
    assert views_of(article) == 1


def test_one_address_without_cookies_is_capped_per_article(limits, browser_client):
    article, other = ArticleFactory.create_batch(2)
    counted = 0
    for _ in range(100):
        browser_client.cookies.clear()  # a new visitor each time, as a script is
        answer = json.loads(post(browser_client, url(article.pk, "view")).content)
        counted += answer.get("counted", True)
    assert counted == 60
    assert views_of(article) == 60
    assert "counted" not in json.loads(post(browser_client, url(other.pk, "view")).content)
    from_elsewhere = post(browser_client, url(article.pk, "view"), REMOTE_ADDR="10.9.9.9")
    assert "counted" not in json.loads(from_elsewhere.content)


def test_the_lean_path_applies_the_same_limits(limits):
    lean = ViewCounterApp(Recorder())
    article = ArticleFactory()
    answers = [
        json.loads(call(lean, "POST", f"/api/articles/{article.pk}/view")[2]) for _ in range(70)
    ]
    assert sum(answer.get("counted", True) for answer in answers) == 60
    assert [a["views"] for a in answers][-1] == 60
    assert lean.app.calls == 0
    assert views_of(article) == 60


def test_the_ceiling_off_counts_every_view(limits, settings, browser_client):
    settings.PENINSULA_VIEW_LIMIT_PER_ADDRESS = 0
    article = ArticleFactory()
    for _ in range(80):
        browser_client.cookies.clear()
        post(browser_client, url(article.pk, "view"))
    assert views_of(article) == 80


def test_likes_from_one_address_are_capped_per_article(limits, browser_client):
    article, other = ArticleFactory.create_batch(2)
    statuses = []
    for _ in range(12):
        browser_client.cookies.clear()  # a new visitor each time
        statuses.append(post(browser_client, url(article.pk, "like")).status_code)
    assert statuses == [200] * 10 + [429] * 2
    refused = post(browser_client, url(article.pk, "like"))
    assert 1 <= int(refused["Retry-After"]) <= 3600
    article.refresh_from_db()
    assert article.likes == 10
    assert post(browser_client, url(other.pk, "like")).status_code == 200


def test_a_limit_takes_a_hit_only_when_every_rule_has_room(limits):
    narrow, wide = ratelimit.Rule("narrow", 1, 60), ratelimit.Rule("wide", 5, 60)
    start = (time.time() // 60 + 1) * 60  # a window that has not begun (Redis expires keys)
    assert ratelimit.take([narrow, wide], now=start) is None
    assert ratelimit.take([narrow, wide], now=start + 30) == (narrow, 30)
    for _ in range(4):  # the refused hit above did not count against `wide`
        assert ratelimit.take([wide], now=start + 30) is None
    assert ratelimit.take([wide], now=start + 30) == (wide, 30)
    assert ratelimit.take([narrow, wide], now=start + 60) is None  # a new window


def test_views_to_random_ids_leave_the_memos_bounded(db_counters, settings):
    """10.7: 60,000 posts to random ids grew a worker for good; every memo is bounded."""
    lean = ViewCounterApp(Recorder())
    published = ArticleFactory.create_batch(3)
    settings.PENINSULA_VIEW_TOTALS_MAX = 2
    rng = random.Random(7)
    for n in range(100_000):
        article_id = published[n % 3].pk if n % 1000 == 0 else rng.randrange(10**6, 10**12)
        call(lean, "POST", f"/api/articles/{article_id}/view")
    assert len(services._published) <= services.PUBLISHED_MEMO_ENTRIES
    services.counters_flush()
    assert len(services.views_buffer._totals) <= 2
    assert services.views_buffer.held() == (0, 0)


def test_the_visitor_cookie_is_secure_behind_a_tls_proxy(settings):
    """10.8b: the lean path follows SECURE_PROXY_SSL_HEADER as Django does."""
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    lean = ViewCounterApp(Recorder())
    article = ArticleFactory()
    path = f"/api/articles/{article.pk}/view"
    _, headers, _ = call(lean, "POST", path, HTTP_X_FORWARDED_PROTO="https")
    assert headers["Set-Cookie"].startswith(f"{VISITOR_COOKIE}=")
    assert "Secure" in headers["Set-Cookie"].split("; ")
    _, headers, _ = call(lean, "POST", path, HTTP_X_FORWARDED_PROTO="http")
    assert "Secure" not in headers["Set-Cookie"].split("; ")


def chunked(app, path, body):
    """A POST with a chunked body, as a server hands it on: no length, a stream that ends."""
    stream = io.BytesIO(body)
    return call(app, "POST", path, HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": stream})


def test_a_chunked_body_over_the_limit_is_refused(settings):
    """10.8c: a chunked body declares no length; past the limit it is a 413 on the lean path
    (views) and in Django's guard (likes), and within it Django reads it."""
    from config.wsgi import application

    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    article = ArticleFactory()
    large = b'{"a": "' + b"x" * 2000 + b'"}'
    for app, action in ((ViewCounterApp(Recorder()), "view"), (application, "like")):
        status, _, content = chunked(app, f"/api/articles/{article.pk}/{action}", large)
        assert status.startswith("413"), (action, status)
        assert json.loads(content)["status"] == 413
    assert views_of(article) == 0
    assert article.likes == 0
    for action, problem in (("like", b"[1]"), ("like", b'{"a": 1}'), ("view", b"[1]")):
        status, _, _ = chunked(application, f"/api/articles/{article.pk}/{action}", problem)
        assert status.startswith("400" if problem == b"[1]" else "200"), (action, problem)


def test_a_reload_across_the_end_of_a_clock_window_counts_once(limits):
    """The reload window starts at the counted view: a reload two seconds later is refused even
    when a minute of the clock ended between the two (the fixed windows of rate limits would
    have counted it)."""
    first = (time.time() // 30) * 30 + 29  # the last second of a 30 s clock window
    sliding = [ratelimit.Rule("reload:v1:1", 1, 30, sliding=True)]
    fixed = [ratelimit.Rule("rate:v1:1", 1, 30)]
    assert ratelimit.take(sliding, now=first) is None
    assert ratelimit.take(fixed, now=first) is None
    refused, wait = ratelimit.take(sliding, now=first + 2)
    assert refused == sliding[0] and 0 < wait <= 30
    assert ratelimit.take(fixed, now=first + 2) is None
