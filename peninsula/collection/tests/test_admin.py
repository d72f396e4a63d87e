"""Editors manage sources in the Chinese admin and read each source's health and poll log."""

import pytest
from django.urls import reverse

from peninsula.collection.models import Feed, Poll
from peninsula.collection.services import feed_add, feed_poll
from peninsula.content.tests.admin_helpers import EDITOR, make_user

from .conftest import STORY, rss

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_user("zhao", EDITOR))
    return client


def test_editors_see_sources_health_and_log_in_chinese(editor_client, site, category):
    good = feed_add(
        url=site.serve("/ok.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1"))),
        category=category,
        every=10,
        guarded=False,
    )
    bad = feed_add(url=site.serve("/bad.xml", rss()), category=category, every=10, guarded=False)
    site.serve("/bad.xml", "gone", status=410, content_type="text/plain")
    feed_poll(feed=good)
    feed_poll(feed=bad)

    listing = editor_client.get(reverse("wagtailsnippets_collection_feed:list"))
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "采集源" in text and "正常" in text and "失败" in text and "HTTP 410" in text

    log = editor_client.get(reverse("wagtailsnippets_collection_poll:list"), {"feed": bad.pk})
    text = log.content.decode()
    assert "采集日志" in text and "410" in text
    poll = Poll.objects.get(feed=good)
    inspect = editor_client.get(reverse("wagtailsnippets_collection_poll:inspect", args=[poll.pk]))
    assert inspect.status_code == 200

    # The log is collection's own record: no one adds or edits entries.
    assert editor_client.get(reverse("wagtailsnippets_collection_poll:add")).status_code in (
        302,
        403,
    )
    edit = reverse("wagtailsnippets_collection_poll:edit", args=[poll.pk])
    assert editor_client.get(edit).status_code in (302, 403)

    form = editor_client.get(reverse("wagtailsnippets_collection_feed:add")).content.decode()
    assert "发布前审核" in form and "责任编辑" in form
    assert Feed.objects.count() == 2


def test_the_dashboard_shows_failing_sources_and_undecided_duplicates(
    editor_client, site, category
):
    from .conftest import OTHER_STORY, STORY_EDITED

    first = feed_add(
        url=site.serve("/a.xml", rss(("a-1", "韩朝举行会谈", STORY, "https://x.example/1"))),
        category=category,
        every=10,
        guarded=False,
    )
    second = feed_add(
        url=site.serve(
            "/b.xml",
            rss(
                ("b-1", "韩朝在板门店举行会谈", STORY_EDITED, "https://y.example/1"),
                ("b-2", "工业增加值增长", OTHER_STORY, "https://y.example/2"),
            ),
        ),
        category=category,
        every=10,
        guarded=False,
    )
    feed_poll(feed=first)
    feed_poll(feed=second)
    site.serve("/a.xml", "gone", status=410, content_type="text/plain")
    first.etag = ""
    feed_poll(feed=first)

    page = editor_client.get(reverse("wagtailadmin_home")).content.decode()
    failing = page.split('data-collection="failing"')[1].split('data-collection="duplicates"')[0]
    assert "采集失败的来源" in page and "韩联社中文网" in failing and "HTTP 410" in failing
    duplicates = page.split('data-collection="duplicates"')[1]
    assert "韩朝在板门店举行会谈" in duplicates and "工业增加值增长" not in duplicates
