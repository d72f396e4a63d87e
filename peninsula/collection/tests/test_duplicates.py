"""The same story from two sources: exact by GUID or canonical link, near by SimHash."""

import pytest

from peninsula.collection import duplicates
from peninsula.collection.models import Item
from peninsula.collection.services import feed_add, feed_poll
from peninsula.content.models import Article

from .conftest import OTHER_STORY, STORY, STORY_EDITED, rss

pytestmark = pytest.mark.django_db


def add(url, category):
    return feed_add(url=url, category=category, every=10, guarded=False)


def test_simhash_is_close_for_an_edited_story_and_far_for_another():
    story = duplicates.simhash("韩朝举行会谈", STORY)
    edited = duplicates.simhash("韩朝在板门店举行会谈", STORY_EDITED)
    other = duplicates.simhash("前八个月工业增加值增长", OTHER_STORY)
    assert duplicates.distance(story, edited) <= duplicates.NEAR
    assert duplicates.distance(story, other) > 2 * duplicates.NEAR
    assert duplicates.simhash("短讯", "<p>今天下雨。</p>") is None  # too short to judge


def test_the_same_link_from_a_second_source_is_caught_not_imported_again(site, category):
    first = add(
        site.serve("/a.xml", rss(("a-1", "会谈举行", STORY, "https://x.example/1"))), category
    )
    second = add(
        site.serve("/b.xml", rss(("b-9", "会谈", STORY, "https://x.example/1"), title="转载网")),
        category,
    )
    feed_poll(feed=first)
    poll = feed_poll(feed=second)
    assert (poll.new, poll.skipped, poll.duplicates) == (0, 1, 1)
    article = Article.objects.get()
    assert article.source.name == "韩联社中文网"  # the first source's article stands
    assert Item.objects.get(feed=second).duplicate_of == article
    assert feed_poll(feed=second).skipped == 1 and Article.objects.count() == 1


def test_the_same_guid_from_a_second_source_is_caught(site, category):
    first = add(
        site.serve("/a.xml", rss(("urn:story:1", "会谈举行", STORY, "https://x.example/1"))),
        category,
    )
    second = add(
        site.serve("/b.xml", rss(("urn:story:1", "会谈", STORY, "https://y.example/7"))), category
    )
    feed_poll(feed=first)
    poll = feed_poll(feed=second)
    assert (poll.new, poll.duplicates) == (0, 1)
    assert Article.objects.count() == 1


def test_a_near_duplicate_is_imported_as_a_draft_linked_to_the_first(site, category):
    first = add(
        site.serve("/a.xml", rss(("a-1", "韩朝举行会谈", STORY, "https://x.example/1"))), category
    )
    second = add(
        site.serve(
            "/b.xml",
            rss(
                ("b-1", "韩朝在板门店举行会谈", STORY_EDITED, "https://y.example/1"),
                ("b-2", "前八个月工业增加值增长", OTHER_STORY, "https://y.example/2"),
                title="转载网",
            ),
        ),
        category,
    )
    feed_poll(feed=first)
    poll = feed_poll(feed=second)
    assert (poll.new, poll.duplicates) == (2, 1)
    original = Article.objects.get(source_url="https://x.example/1")
    copy = Article.objects.get(source_url="https://y.example/1")
    assert original.live and not copy.live  # never dropped, held for the editor
    assert Article.objects.get(source_url="https://y.example/2").live
    flagged = Item.objects.get(article=copy)
    assert flagged.duplicate_of == original and flagged.similarity > 0.9


def test_the_duplicates_list_shows_the_pair_to_editors(admin_client, site, category):
    first = add(
        site.serve("/a.xml", rss(("a-1", "韩朝举行会谈", STORY, "https://x.example/1"))), category
    )
    second = add(
        site.serve(
            "/b.xml", rss(("b-1", "韩朝在板门店举行会谈", STORY_EDITED, "https://y.example/1"))
        ),
        category,
    )
    feed_poll(feed=first)
    feed_poll(feed=second)
    page = admin_client.get("/admin/snippets/collection/item/").content.decode()
    assert "韩朝在板门店举行会谈" in page and "韩朝举行会谈" in page
