"""The same story from two sources: exact by GUID or canonical link, near by SimHash."""

import pytest

from peninsula.collection.models import Item
from peninsula.collection.services import feed_add, feed_poll
from peninsula.content import fingerprint as duplicates
from peninsula.content.models import Article
from peninsula.screening.models import Action, SensitiveWord

from .conftest import OTHER_STORY, STORY, STORY_EDITED, rss

pytestmark = pytest.mark.django_db


def add(url, category):
    return feed_add(url=url, category=category, every=10, guarded=False)


def test_simhash_is_close_for_an_edited_story_and_far_for_another():
    story = Article.fingerprint_for(title="韩朝举行会谈", body=STORY)
    edited = Article.fingerprint_for(title="韩朝在板门店举行会谈", body=STORY_EDITED)
    other = Article.fingerprint_for(title="前八个月工业增加值增长", body=OTHER_STORY)
    assert duplicates.distance(story, edited) <= duplicates.NEAR
    assert duplicates.distance(story, other) > 2 * duplicates.NEAR
    # too short to judge
    assert Article.fingerprint_for(title="短讯", body="<p>今天下雨。</p>") is None


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


def copy_feed(site, category):
    return add(
        site.serve(
            "/copy.xml",
            rss(("c-1", "韩朝在板门店举行会谈", STORY_EDITED, "https://y.example/1"), title="转"),
        ),
        category,
    )


def test_a_near_duplicate_of_an_article_written_in_the_admin_is_drafted_and_linked(
    admin_client, site, category
):
    from peninsula.content.tests.admin_helpers import article_post, article_url

    admin_client.post(
        article_url("add"),
        article_post(category, title="韩朝举行会谈", body=STORY, action="publish"),
    )
    original = Article.objects.get(title="韩朝举行会谈")
    assert original.live
    assert original.simhash == Article.fingerprint_for(title="韩朝举行会谈", body=original.body)
    poll = feed_poll(feed=copy_feed(site, category))
    assert (poll.new, poll.duplicates) == (1, 1)
    copy = Article.objects.get(source_url="https://y.example/1")
    assert not copy.live
    assert Item.objects.get(article=copy).duplicate_of == original


def test_a_near_duplicate_of_an_imported_article_is_drafted_and_linked(site, category):
    import json

    from peninsula.ingestion.jsonl import import_jsonl

    line = {"external_id": "wp-7", "title": "韩朝举行会谈", "body": STORY, "category": "国际"}
    assert import_jsonl([json.dumps(line, ensure_ascii=False)]).created == 1
    original = Article.objects.get(external_id="wp-7")
    assert original.simhash is not None  # stored by the bulk writer
    poll = feed_poll(feed=copy_feed(site, category))
    assert poll.duplicates == 1
    copy = Article.objects.get(source_url="https://y.example/1")
    assert not copy.live and Item.objects.get(article=copy).duplicate_of == original


def test_an_edit_in_the_admin_refreshes_the_fingerprint(category):
    from peninsula.content.tests.factories import ArticleFactory

    article = ArticleFactory(category=category, title="韩朝举行会谈", body=STORY)
    assert article.simhash == Article.fingerprint_for(title="韩朝举行会谈", body=STORY)
    article.body = OTHER_STORY
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.simhash == Article.fingerprint_for(title="韩朝举行会谈", body=OTHER_STORY)
    article.title = "短讯"
    article.body = "<p>今天下雨。</p>"
    article.save()
    article.refresh_from_db()
    assert article.simhash is None


def test_an_article_older_than_the_window_is_not_compared(site, category):
    from datetime import timedelta

    from django.utils import timezone

    from peninsula.content.tests.factories import ArticleFactory

    old = ArticleFactory(category=category, title="韩朝举行会谈", body=STORY)
    long_ago = timezone.now() - timedelta(days=30)
    Article.objects.filter(pk=old.pk).update(created_at=long_ago, published_at=long_ago)
    poll = feed_poll(feed=copy_feed(site, category))
    assert (poll.new, poll.duplicates) == (1, 0)


def test_a_near_duplicate_of_a_draft_being_written_is_caught(site, category):
    from peninsula.content.tests.factories import ArticleFactory

    draft = ArticleFactory(
        category=category, title="韩朝举行会谈", body=STORY, live=False, published_at=None
    )
    poll = feed_poll(feed=copy_feed(site, category))
    assert poll.duplicates == 1
    copy = Article.objects.get(source_url="https://y.example/1")
    assert Item.objects.get(article=copy).duplicate_of == draft


def test_a_story_with_a_word_to_hold_or_block_waits_as_a_draft(site, category):
    """Collection publishes on its own only what an editor could publish without a warning."""
    SensitiveWord.objects.create(word="开城", action=Action.HOLD)
    SensitiveWord.objects.create(word="增加值", action=Action.MASK)
    feed = add(
        site.serve(
            "/a.xml",
            rss(
                ("a-1", "韩朝举行会谈", STORY, "https://x.example/1"),
                ("a-2", "前八个月工业增加值增长", OTHER_STORY, "https://x.example/2"),
            ),
        ),
        category,
    )
    poll = feed_poll(feed=feed)
    assert poll.new == 2
    assert not Article.objects.get(source_url="https://x.example/1").live
    assert Article.objects.get(source_url="https://x.example/2").live  # a mask is no hold
    assert "item 1: holds listed words (开城); left a draft" in poll.errors
