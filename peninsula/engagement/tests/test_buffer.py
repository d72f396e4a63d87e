"""Views held in a web process's memory: written in exact batches, early when too many articles
are pending, once even when a write fails after its commit, and at the end of the process."""

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import OperationalError, connection
from django.db.models import F

from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory
from peninsula.engagement import services
from peninsula.engagement.buffer import ViewBuffer
from peninsula.engagement.models import CounterFlush, DailyStat

ROOT = Path(__file__).resolve().parents[3]


def view(article):
    return services.view_record(article_id=article.pk)


def views_in_database(article):
    article.refresh_from_db()
    daily = DailyStat.objects.filter(article=article).values_list("views", flat=True)
    return article.views, sum(daily)


@pytest.fixture(params=["db_counters", "redis_counters"])
def counters(request):
    """Each test runs without Redis (batches into the database) and with it (into Redis)."""
    request.getfixturevalue(request.param)
    return request.param


@pytest.mark.django_db
def test_views_are_held_until_a_flush_writes_them_in_one_batch(db_counters):
    first, second = ArticleFactory.create_batch(2)
    answers = [view(first).views for _ in range(3)] + [view(second).views]
    assert answers == [1, 2, 3, 1]
    assert services.views_buffer.held() == (4, 2)
    assert views_in_database(first) == (0, 0)
    assert services.counters_flush() == 4
    assert services.views_buffer.held() == (0, 0)
    assert views_in_database(first) == (3, 3)
    assert views_in_database(second) == (1, 1)
    assert CounterFlush.objects.count() == 1
    assert view(first).views == 4
    assert services.counters_flush() == 1


@pytest.mark.django_db
def test_a_flush_reads_back_what_other_processes_wrote(db_counters):
    article = ArticleFactory()
    assert view(article).views == 1
    Article.objects.filter(pk=article.pk).update(views=F("views") + 100)  # another process
    assert services.counts_get(article_id=article.pk).views == 1  # the cached total
    services.counters_flush()
    assert services.counts_get(article_id=article.pk).views == 101
    Article.objects.filter(pk=article.pk).update(views=F("views") + 10)
    services.counters_flush()  # the stats answer above asked for this article: read again
    assert services.counts_get(article_id=article.pk).views == 111


@pytest.mark.django_db
def test_a_stale_total_is_read_again_by_the_request(db_counters, settings):
    settings.PENINSULA_VIEW_TOTALS_SECONDS = 0
    article = ArticleFactory()
    view(article)
    Article.objects.filter(pk=article.pk).update(views=F("views") + 100)
    assert view(article).views == 102  # 100 from elsewhere, 2 held here


@pytest.mark.django_db
def test_views_of_a_deleted_article_go_with_it(db_counters):
    kept, deleted = ArticleFactory.create_batch(2)
    view(kept)
    view(deleted)
    deleted.delete()
    assert services.counters_flush() == 1
    assert views_in_database(kept) == (1, 1)
    assert not DailyStat.objects.filter(article_id=deleted.pk).exists()
    assert services.views_buffer.held() == (0, 0)


@pytest.mark.django_db
def test_a_write_that_failed_after_its_commit_is_not_applied_twice(counters):
    failures = []

    def write_then_fail(batch_id, batch, article_ids):
        totals = services._views_write(batch_id, batch, article_ids)
        if not failures:
            failures.append(batch_id)
            raise OperationalError("connection lost after the commit")
        return totals

    buffer = ViewBuffer(write=write_then_fail, read=services._totals_read)
    article = ArticleFactory()
    day = services._local_day(None)
    for _ in range(3):
        buffer.add(article.pk, day)
    with pytest.raises(OperationalError):
        buffer.flush()
    assert buffer.held() == (3, 0)  # kept as a batch to retry with the same id
    assert buffer.add(article.pk, day) == (4, 0)
    assert buffer.flush() == 1  # the retried batch is recognised: only the new view is added
    assert buffer.held() == (0, 0)
    services.counters_flush()  # with Redis: from Redis to the database
    assert views_in_database(article) == (4, 4)
    assert buffer.counts(article.pk) == (4, 0)


@pytest.mark.django_db(transaction=True)
def test_flushes_during_concurrent_views_lose_and_double_nothing(counters):
    article = ArticleFactory()
    threads, per_thread = 6, 40

    def post_views():
        try:
            return [view(article).views for _ in range(per_thread)]
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        posting = [pool.submit(post_views) for _ in range(threads)]
        while not all(f.done() for f in posting):
            services.counters_flush()
        answers = [answer for f in posting for answer in f.result()]
    services.counters_flush()
    total = threads * per_thread
    # Each answer is a distinct running total, flushes or not.
    assert sorted(answers) == list(range(1, total + 1))
    assert views_in_database(article) == (total, total)


@pytest.mark.django_db(transaction=True)
def test_the_flusher_is_woken_early_when_too_many_articles_are_pending(db_counters, settings):
    settings.PENINSULA_VIEW_BUFFER_MAX = 3  # the flush interval stays an hour (conftest)
    articles = ArticleFactory.create_batch(4)
    for article in articles[:3]:
        view(article)
    assert services.views_buffer.held() == (3, 3)
    view(articles[3])
    deadline = time.monotonic() + 30
    while services.views_buffer.held() != (0, 0) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert services.views_buffer.held() == (0, 0)
    assert [views_in_database(a) for a in articles] == [(1, 1)] * 4


EXIT_SCRIPT = """
import multiprocessing, sys
import django
django.setup()
from django.test import override_settings
from peninsula.engagement import services

override_settings(PENINSULA_VIEW_FLUSH_SECONDS=3600).enable()  # only the exit writes
article_id, views, how = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]

def count():
    for _ in range(views):
        services.view_record(article_id=article_id)
    assert services.views_buffer.held() == (views, 1)

if how == "worker":  # as a granian worker ends: multiprocessing's bootstrap, then os._exit
    worker = multiprocessing.get_context("fork").Process(target=count)
    worker.start()
    worker.join()
    sys.exit(worker.exitcode)
count()
"""


def database_url():
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", ["interpreter", "worker"])
def test_views_held_are_written_when_the_process_ends(db_counters, how):
    article = ArticleFactory()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "REDIS_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", EXIT_SCRIPT, str(article.pk), "7", how],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert views_in_database(article) == (7, 7)
