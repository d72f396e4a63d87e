"""Collection beside the other scheduled jobs: it runs in a thread of its own, so a source that
hangs delays neither scheduled publishing nor counter flushes; one request at a time per host."""

import threading
from datetime import timedelta

import pytest
from django.utils import timezone

from peninsula.collection import jobs
from peninsula.collection.fetching import fetch
from peninsula.collection.models import Feed, Poll
from peninsula.collection.services import feed_add, feeds_collect_due
from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.core import scheduler

from .conftest import STORY, rss


@pytest.mark.django_db(transaction=True)
def test_a_hanging_source_does_not_hold_up_scheduled_publishing(site):
    category = CategoryFactory(name="国际", slug="world")
    url = site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    feed = feed_add(url=url, category=category, every=1, guarded=False)
    site.held_paths, site.hold = {"/rss.xml"}, threading.Event()
    site.arrived.clear()
    scheduled = ArticleFactory(title="定时稿件", category=category, live=False)
    scheduled.save_revision(approved_go_live_at=timezone.now() - timedelta(seconds=1))

    for job in scheduler.jobs():
        job.next_run = 0
    scheduler.run_due()  # publishing, counter flushes, collection … in the scheduler's order
    worker = jobs.collect_feeds()  # the thread the run started, still at work
    site.arrived.wait(timeout=30)
    assert worker.is_alive() and site.in_flight == 1  # the source is still answering
    scheduled.refresh_from_db()
    assert scheduled.live  # published while collection waited

    for job in scheduler.jobs():
        job.next_run = 0
    scheduler.run_due()  # the next run does not start a second collector
    assert jobs.collect_feeds() is worker

    site.hold.set()
    worker.join(timeout=60)
    assert not worker.is_alive()
    poll = Poll.objects.get(feed=feed)
    assert poll.ok and poll.new == 1
    assert Article.objects.filter(title="会谈举行").exists()


@pytest.mark.django_db
def test_a_run_stops_starting_polls_when_its_budget_is_spent(site, category):
    url = site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    feed_add(url=url, category=category, every=1, guarded=False)
    assert feeds_collect_due(budget=0) == []
    assert len(feeds_collect_due(budget=60)) == 1
    assert feeds_collect_due(budget=60) == []  # not due again for a minute
    assert Feed.objects.get().next_poll_at > timezone.now()


def test_one_request_at_a_time_per_host(site):
    for n in range(6):
        site.serve(f"/{n}.xml", rss())
    site.held_paths, site.hold = {f"/{n}.xml" for n in range(6)}, threading.Event()
    threads = [
        threading.Thread(target=fetch, args=(f"{site.base}/{n}.xml",), kwargs={"guarded": False})
        for n in range(6)
    ]
    for thread in threads:
        thread.start()
    site.arrived.wait(timeout=30)
    # Each held request is let go a moment after it arrives; any second one would be in flight.
    releaser = threading.Timer(0.2, site.hold.set)
    releaser.start()
    for thread in threads:
        thread.join(timeout=60)
    releaser.cancel()
    assert len(site.requests) == 6
    assert site.most_in_flight == 1
