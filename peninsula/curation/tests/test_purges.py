"""Exact purges through the real WSGI stack: a slot edit purges the pages showing the slot, a
topic edit its pages and feeds, an unpublished article its slots and topics, an entry's start
and end the slot's pages (scheduler job); counters purge nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.db.models import F
from django.utils import timezone

from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.curation.jobs import purge_timed_entries
from peninsula.curation.models import Slot, SlotEntry
from peninsula.pagecache.tests.conftest import store, wsgi  # noqa: F401

from .factories import SlotEntryFactory, SlotFactory, TopicFactory, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(wsgi, settings):  # noqa: F811
    settings.ROOT_URLCONF = "config.urls"
    return wsgi


def warm(site, paths):
    for path in paths:
        site(path)
        assert site(path).cache == "HIT", path


def test_a_slot_edit_purges_the_pages_showing_it_only(site, django_capture_on_commit_callbacks):
    sports = CategoryFactory(slug="sports")
    other = ArticleFactory(category=sports)
    article = ArticleFactory(title="推荐的文章")
    warm(site, ["/", "/sports/", other.get_absolute_url()])
    with django_capture_on_commit_callbacks(execute=True):
        slot = Slot.objects.get(key="recommended")
        slot.entries.add(SlotEntry(article=article))
        slot.save()
    assert site("/").cache == "MISS"
    assert "推荐的文章" in site("/").body
    assert site("/sports/").cache == site(other.get_absolute_url()).cache == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        SlotEntry.objects.get(article=article).delete()
    assert site("/").cache == "MISS"


def test_a_slot_moved_to_other_pages_purges_old_and_new(site, django_capture_on_commit_callbacks):
    ArticleFactory(category=CategoryFactory(slug="world"))
    slot = SlotFactory(key="side", paths="/world/")
    warm(site, ["/world/", "/topics/", "/"])
    with django_capture_on_commit_callbacks(execute=True):
        slot.paths = "/topics/"
        slot.save()
    assert [site(p).cache for p in ("/world/", "/topics/")] == ["MISS", "MISS"]


def test_unpublishing_purges_every_page_showing_its_slots_and_topics(
    site, django_capture_on_commit_callbacks
):
    article = ArticleFactory(title="将撤的稿")
    SlotEntryFactory(slot=SlotFactory(key="side", paths="/topics/"), article=article)
    TopicFactory(slug="korea", sections=[section("最新进展", [article])])
    unrelated = ArticleFactory(category=CategoryFactory(slug="sports"))
    pages = ["/", "/topics/", "/topics/korea/", "/feeds/rss/topic/korea/"]
    warm(site, [*pages, "/sports/", unrelated.get_absolute_url()])
    assert "将撤的稿" in site("/topics/korea/").body
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    for path in pages:
        reply = site(path)
        assert reply.cache == "MISS", path
        assert "将撤的稿" not in reply.body, path
    assert site(unrelated.get_absolute_url()).cache == "HIT"


def test_a_topic_edit_purges_its_page_feeds_list_and_articles(
    site, django_capture_on_commit_callbacks
):
    first, second = ArticleFactory(title="第一篇"), ArticleFactory(title="第二篇")
    bystander = ArticleFactory(category=CategoryFactory(slug="sports"))
    topic = TopicFactory(slug="korea", sections=[section("背景", [first])])
    pages = [
        "/topics/",
        "/topics/korea/",
        "/feeds/rss/topic/korea/",
        "/feeds/atom/topic/korea/",
        first.get_absolute_url(),
        second.get_absolute_url(),
    ]
    warm(site, [*pages, "/sports/", bystander.get_absolute_url()])
    with django_capture_on_commit_callbacks(execute=True):
        topic.sections = [section("背景", [second])]
        topic.save()
    for path in pages:
        assert site(path).cache == "MISS", path
    assert "/topics/korea/" in site(second.get_absolute_url()).body
    assert "/topics/korea/" not in site(first.get_absolute_url()).body
    assert site("/sports/").cache == site(bystander.get_absolute_url()).cache == "HIT"


def test_counters_never_purge_slots_or_topics(site, django_capture_on_commit_callbacks):
    article = ArticleFactory()
    SlotEntryFactory(slot=Slot.objects.get(key="lead"), article=article)
    TopicFactory(slug="korea", sections=[section("背景", [article])])
    warm(site, ["/", "/topics/korea/"])
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=article.pk).update(views=F("views") + 5, likes=F("likes") + 1)
    assert site("/").cache == site("/topics/korea/").cache == "HIT"


def test_the_scheduler_purges_when_an_entry_starts_and_ends(
    site, django_capture_on_commit_callbacks
):
    now = timezone.now()
    article = ArticleFactory(title="限时头条")
    SlotEntryFactory(
        slot=Slot.objects.get(key="lead"),
        article=article,
        starts_at=now + timedelta(minutes=5),
        ends_at=now + timedelta(minutes=30),
    )
    purge_timed_entries(now)
    warm(site, ["/"])
    assert "lead-card" not in site("/").body
    with time_machine.travel(now + timedelta(minutes=5, seconds=10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert [s.key for s in purge_timed_entries()] == ["lead"]
        assert "lead-card" in site("/").body
        assert site("/").cache == "HIT"
    with time_machine.travel(now + timedelta(minutes=9), tick=False):
        assert purge_timed_entries() == []
        assert site("/").cache == "HIT"
    with time_machine.travel(now + timedelta(minutes=30, seconds=10), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert [s.key for s in purge_timed_entries()] == ["lead"]
        reply = site("/")
        assert reply.cache == "MISS" and "lead-card" not in reply.body
