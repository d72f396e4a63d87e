"""Concurrent posts, each thread with its own client and database connection: counts are exact."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client

from peninsula.content.tests.factories import ArticleFactory
from peninsula.engagement import services
from peninsula.engagement.models import DailyStat, Like
from peninsula.engagement.tests.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db(transaction=True)

THREADS = 8
VIEWS_PER_THREAD = 25


def _post_views(article_id):
    client = Client(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_FETCH_SITE="same-origin")
    try:
        answers = []
        for _ in range(VIEWS_PER_THREAD):
            response = client.post(f"/api/articles/{article_id}/view", b"", "text/plain")
            assert response.status_code == 200, response.content
            answers.append(json.loads(response.content)["views"])
        return answers
    finally:
        connection.close()


def _like(article_id):
    client = Client(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_FETCH_SITE="same-origin")
    try:
        statuses = [
            client.post(f"/api/articles/{article_id}/like", b"", "text/plain").status_code
            for _ in range(3)
        ]
        return statuses
    finally:
        connection.close()


def _run(func, article_id, n):
    with ThreadPoolExecutor(max_workers=n) as pool:
        return [r for result in pool.map(func, [article_id] * n) for r in result]


def _check_views(article, answers, expected_total):
    article.refresh_from_db()
    assert article.views == expected_total
    assert DailyStat.objects.get(article=article).views == expected_total
    # Every answer is a distinct running total: no two posts saw the same count.
    assert sorted(answers) == list(range(1, expected_total + 1))


def test_concurrent_views_count_exactly_in_the_database(db_counters):
    article = ArticleFactory()
    answers = _run(_post_views, article.pk, THREADS)
    services.counters_flush()
    _check_views(article, answers, THREADS * VIEWS_PER_THREAD)


def test_concurrent_likes_count_one_per_visitor(db_counters, settings):
    settings.PENINSULA_LIKE_RATE = "1000/m"
    article = ArticleFactory()
    statuses = _run(_like, article.pk, THREADS)
    assert statuses == [200] * THREADS * 3
    article.refresh_from_db()
    assert article.likes == THREADS == Like.objects.filter(article=article).count()
    assert DailyStat.objects.get(article=article).likes == THREADS


def test_concurrent_views_count_exactly_through_redis(redis_counters):
    article = ArticleFactory()
    answers = _run(_post_views, article.pk, THREADS)
    services.counters_flush()
    _check_views(article, answers, THREADS * VIEWS_PER_THREAD)


def test_views_flushed_while_posting_are_neither_lost_nor_doubled(redis_counters):
    article = ArticleFactory()
    with ThreadPoolExecutor(max_workers=THREADS + 1) as pool:
        posting = [pool.submit(_post_views, article.pk) for _ in range(THREADS)]
        flushed = 0
        while not all(f.done() for f in posting):
            flushed += services.counters_flush()
        answers = [r for f in posting for r in f.result()]
    flushed += services.counters_flush()
    assert flushed == THREADS * VIEWS_PER_THREAD
    article.refresh_from_db()
    assert article.views == THREADS * VIEWS_PER_THREAD
    assert DailyStat.objects.get(article=article).views == THREADS * VIEWS_PER_THREAD
    assert max(answers) <= THREADS * VIEWS_PER_THREAD
