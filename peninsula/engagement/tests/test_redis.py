"""Counting through Redis: answers include unflushed views, and the flush is exact and retryable."""

import json

import pytest
from django.core.management import call_command

from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory
from peninsula.engagement import services, store
from peninsula.engagement.models import CounterFlush, DailyStat, Like
from peninsula.engagement.tests.conftest import clear_redis
from peninsula.engagement.tests.test_api import post, url

pytestmark = pytest.mark.django_db


def test_views_accumulate_in_redis_and_show_at_once(redis_counters, browser_client):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(views=10, likes=3)
    answers = [json.loads(post(browser_client, url(article.pk, "view")).content) for _ in range(3)]
    assert [a["views"] for a in answers] == [11, 12, 13]
    assert answers[-1]["likes"] == 3
    article.refresh_from_db()
    assert article.views == 10  # not yet in the database
    assert not DailyStat.objects.exists()
    stats = json.loads(browser_client.get(url(article.pk, "stats")).content)
    assert stats["views"] == 13


def test_the_flush_writes_totals_and_days_in_one_batch(redis_counters, browser_client):
    first, second = ArticleFactory.create_batch(2)
    for _ in range(3):
        post(browser_client, url(first.pk, "view"))
    post(browser_client, url(second.pk, "view"))
    assert services.counters_flush() == 4
    assert services.counters_flush() == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.views, second.views) == (3, 1)
    assert DailyStat.objects.get(article=first).views == 3
    assert CounterFlush.objects.count() == 1
    answer = json.loads(post(browser_client, url(first.pk, "view")).content)
    assert answer["views"] == 4


def test_a_flush_retried_after_a_crash_adds_nothing_twice(redis_counters, browser_client):
    article = ArticleFactory()
    for _ in range(5):
        post(browser_client, url(article.pk, "view"))
    services.views_buffer.flush()  # this process's views into Redis
    batch, _fields = store.take_batch("crashedbatch")
    CounterFlush.objects.create(batch=batch)
    Article.objects.filter(pk=article.pk).update(views=5)  # what the crashed flush committed
    post(browser_client, url(article.pk, "view"))  # arrives after the crash, before the retry
    assert services.counters_flush() == 0  # the leftover batch is recognised and dropped
    assert services.counters_flush() == 1
    article.refresh_from_db()
    assert article.views == 6


def test_a_flush_that_never_committed_is_applied_on_retry(redis_counters, browser_client):
    article = ArticleFactory()
    for _ in range(2):
        post(browser_client, url(article.pk, "view"))
    services.views_buffer.flush()
    store.take_batch("diedbeforecommit")
    post(browser_client, url(article.pk, "view"))
    assert json.loads(browser_client.get(url(article.pk, "stats")).content)["views"] == 3
    assert services.counters_flush() == 2
    assert services.counters_flush() == 1
    article.refresh_from_db()
    assert article.views == 3


def test_likes_go_to_the_database_at_once(redis_counters, browser_client):
    article = ArticleFactory()
    post(browser_client, url(article.pk, "view"))
    answer = json.loads(post(browser_client, url(article.pk, "like")).content)
    assert answer == {"views": 1, "likes": 1, "liked": True}
    article.refresh_from_db()
    assert article.likes == 1
    assert Like.objects.filter(article=article).count() == 1
    services.views_buffer.flush()  # the view is in Redis now, not yet in the database
    clear_redis()  # a Redis restart loses unflushed views, never likes
    assert services.counters_flush() == 0
    services.views_buffer.discard()  # a web process started after the restart
    stats = json.loads(browser_client.get(url(article.pk, "stats")).content)
    assert stats == {"views": 0, "likes": 1, "liked": True}


def test_flush_counters_command(redis_counters, browser_client):
    article = ArticleFactory()
    post(browser_client, url(article.pk, "view"))
    call_command("flush_counters")
    article.refresh_from_db()
    assert article.views == 1


def test_bots_read_counts_from_redis_without_counting(redis_counters, browser_client):
    article = ArticleFactory()
    post(browser_client, url(article.pk, "view"))
    answer = post(browser_client, url(article.pk, "view"), HTTP_USER_AGENT="GPTBot/1.2")
    assert json.loads(answer.content)["views"] == 1
    assert services.counters_flush() == 1
