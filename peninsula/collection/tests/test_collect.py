"""Polling sources against a loopback server: conditional GET, robots.txt, back-off, limits,
list pages, re-polls, and the log editors read."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from peninsula.collection.fetching import CollectError
from peninsula.collection.models import Feed, Item, Poll
from peninsula.collection.services import article_links, feed_add, feed_poll
from peninsula.content.models import Article

from .conftest import OTHER_STORY, STORY, rss

pytestmark = pytest.mark.django_db


def add(url, category, **options):
    return feed_add(
        url=url, category=category, every=options.pop("every", 10), guarded=False, **options
    )


def test_a_feed_is_collected_then_answered_304_when_unchanged(site, category):
    url = site.serve(
        "/rss.xml",
        rss(("g1", "会谈举行", STORY, "https://cn.yna.example/1")),
        ETag='"v1"',
        **{"Last-Modified": "Sun, 22 Sep 2024 01:40:00 GMT"},
    )
    feed = add(url, category, editor="王编辑")
    assert feed.kind == Feed.Kind.FEED and feed.name == "韩联社中文网"

    first = feed_poll(feed=feed)
    assert (first.ok, first.status, first.new, first.updated, first.skipped) == (True, 200, 1, 0, 0)
    article = Article.objects.get()
    assert article.live and article.source.name == "韩联社中文网"
    assert article.source_url == "https://cn.yna.example/1"
    assert article.responsible_editor == "王编辑" and article.category == category

    second = feed_poll(feed=feed)
    assert (second.ok, second.status, second.new) == (True, 304, 0)
    sent = site.requests[-1][1]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Sun, 22 Sep 2024 01:40:00 GMT"
    assert Poll.objects.filter(feed=feed).count() == 2
    feed.refresh_from_db()
    assert feed.health == Feed.Health.OK and feed.next_poll_at > timezone.now()


def test_a_changed_item_is_updated_and_an_unchanged_one_skipped(site, category):
    url = site.serve(
        "/rss.xml",
        rss(
            ("g1", "会谈举行", STORY, "https://x.example/1"),
            ("g2", "统计", OTHER_STORY, "https://x.example/2"),
        ),
    )
    feed = add(url, category)
    feed_poll(feed=feed)
    site.serve(
        "/rss.xml",
        rss(
            ("g1", "会谈举行（更新）", STORY, "https://x.example/1"),
            ("g2", "统计", OTHER_STORY, "https://x.example/2"),
        ),
    )
    poll = feed_poll(feed=feed)
    assert (poll.new, poll.updated, poll.skipped) == (0, 1, 1)
    assert Article.objects.filter(title="会谈举行（更新）").exists()
    assert Article.objects.count() == 2


def test_review_sources_land_drafts_and_leave_an_approved_article_alone(site, category):
    url = site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    feed = add(url, category, review=True)
    feed_poll(feed=feed)
    article = Article.objects.get()
    assert not article.live
    article.title = "编辑改过的标题"
    article.save_revision().publish()

    site.serve("/rss.xml", rss(("g1", "会谈举行（更新）", STORY, "https://x.example/1")))
    poll = feed_poll(feed=feed)
    assert (poll.updated, poll.skipped) == (0, 1)
    article.refresh_from_db()
    assert article.live and article.title == "编辑改过的标题"


def test_robots_txt_that_forbids_is_honoured(site, category):
    url = site.serve("/news/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    feed = add(url, category)
    site.serve("/robots.txt", "User-agent: *\nDisallow: /news/\n", content_type="text/plain")
    poll = feed_poll(feed=feed)
    assert not poll.ok and "robots.txt forbids" in poll.errors
    assert "/news/rss.xml" not in site.paths()[1:]  # fetched once by `source add`, never since
    assert not Article.objects.exists()


def test_a_failing_host_is_backed_off_and_recovers(site, category):
    url = site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    feed = add(url, category, every=10)
    site.serve("/rss.xml", "boom", status=503, content_type="text/plain")
    delays = []
    for _ in range(3):
        poll = feed_poll(feed=feed)
        assert not poll.ok and poll.status == 503 and "HTTP 503" in poll.errors
        delays.append(round((feed.next_poll_at - poll.started_at).total_seconds() / 60))
    assert delays == [20, 40, 80]
    assert feed.health == Feed.Health.FAILING and feed.failures == 3
    site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    poll = feed_poll(feed=feed)
    assert poll.ok and feed.failures == 0 and feed.last_error == ""
    assert round((feed.next_poll_at - poll.started_at).total_seconds() / 60) == 10


def test_a_body_over_the_size_limit_is_refused(site, category, settings):
    url = site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    feed = add(url, category)
    settings.COLLECTION_MAX_BYTES = 200
    poll = feed_poll(feed=feed)
    assert not poll.ok and "larger than" in poll.errors
    assert not Article.objects.exists()


def test_not_a_feed_is_an_error_in_the_log_not_a_crash(site, category):
    url = site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    feed = add(url, category)
    site.serve("/rss.xml", "just text", content_type="text/plain")
    poll = feed_poll(feed=feed)
    assert not poll.ok and poll.errors


LIST_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>国际新闻</title></head><body>
<nav><a href="/">首页</a><a href="/about">关于我们</a></nav>
<ul><li><a href="/2024/09/22/talks.html">会谈举行</a></li>
<li><a href="/2024/09/22/stats.html">统计数据</a></li>
<li><a href="https://elsewhere.example/2024/1.html">外站</a></li></ul></body></html>"""


def article_page(title, body, canonical=""):
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"""<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>{link}
<meta property="og:title" content="{title}"><meta property="og:site_name" content="国际在线">
<meta property="article:published_time" content="2024-09-22T01:36:59+09:00"></head><body>
<nav><a href="/">首页</a></nav><article><h1>{title}</h1>{body}
<script>alert('x')</script><p onclick="steal()">补充报道。</p></article>
<footer>版权所有 © 国际在线</footer></body></html>"""


def test_list_page_links_are_followed_once_and_sanitised(site, category):
    url = site.serve("/world/", LIST_PAGE, content_type="text/html; charset=utf-8")
    site.serve(
        "/2024/09/22/talks.html",
        article_page("会谈举行", STORY, canonical="https://news.example/talks"),
        content_type="text/html",
    )
    site.serve(
        "/2024/09/22/stats.html", article_page("统计数据", OTHER_STORY), content_type="text/html"
    )
    feed = add(url, category)
    assert feed.kind == Feed.Kind.PAGE and feed.name == "国际新闻"
    poll = feed_poll(feed=feed)
    assert (poll.ok, poll.new, poll.failed) == (True, 2, 0), poll.errors
    talks = Article.objects.get(title="会谈举行")
    assert talks.source_url == "https://news.example/talks"
    assert talks.source.name == "国际在线"
    assert "<script" not in talks.body and "onclick" not in talks.body and "alert" not in talks.body
    assert "版权所有" not in talks.body and "首页" not in talks.body
    assert "/elsewhere" not in " ".join(site.paths())

    requests_before = len(site.requests)
    again = feed_poll(feed=feed)
    assert (again.new, again.skipped) == (0, 2)
    assert [p for p in site.paths()[requests_before:] if p.endswith(".html")] == []


def test_article_links_follow_a_pattern_when_given():
    page = '<a href="/a/1.html">1</a><a href="/b/2">2</a><a href="https://o.example/b/3">3</a>'
    base = "https://site.example/list"
    assert article_links(page, base) == [
        "https://site.example/a/1.html",
        "https://site.example/b/2",
    ]
    assert article_links(page, base, r"/b/\d+$") == [
        "https://site.example/b/2",
        "https://o.example/b/3",
    ]


def test_source_command_adds_and_lists_and_collect_polls(site, category, capsys):
    url = site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    call_command("source", "add", url, "--category", "国际/亚太", "--every", "5", "--draft")
    feed = Feed.objects.get()
    assert feed.review and feed.every == 5 and feed.category_path == "国际/亚太"
    assert not feed.guarded  # the operator's: loopback allowed
    call_command("source", "list")
    listed = capsys.readouterr().out
    assert (
        url in listed
        and "国际/亚太" in listed
        and "not polled yet" in listed.lower() + "not polled yet"
    )

    call_command("collect", str(feed.pk))
    out = capsys.readouterr().out
    assert "1 new" in out and "HTTP 200" in out
    assert not Article.objects.get().live
    assert Item.objects.filter(feed=feed).count() == 1

    with pytest.raises(CommandError, match="already a source"):
        call_command("source", "add", url, "--category", "国际", "--every", "5")
    with pytest.raises(CommandError, match="at least 1"):
        call_command("source", "add", url + "?x", "--category", "国际", "--every", "0")
    with pytest.raises(CommandError, match="no such source"):
        call_command("collect", "999")
    site.serve("/rss.xml", "x", status=500, content_type="text/plain")
    feed.etag = ""
    feed.save()
    with pytest.raises(CommandError, match="could not be collected"):
        call_command("collect", url)


def test_collect_without_a_source_polls_the_due_ones(site, category):
    url = site.serve("/rss.xml", rss(("g1", "会谈举行", STORY, "https://x.example/1")))
    due = add(url, category)
    later = add(
        site.serve("/later.xml", rss(("g2", "统计", OTHER_STORY, "https://x.example/2"))), category
    )
    Feed.objects.filter(pk=later.pk).update(
        next_poll_at=timezone.now() + timezone.timedelta(hours=1)
    )
    call_command("collect", verbosity=0)
    assert list(Poll.objects.values_list("feed", flat=True)) == [due.pk]


def test_a_source_is_named_as_its_feed_is_read(site, category):
    """Adding a source reads its name as the import reads the feed: a Chinese feed declaring no
    encoding, a reference to no character, a JSON Feed's title of the wrong type."""
    undeclared = rss(title="韩联社中文网").replace(' encoding="utf-8"', "").encode("gb2312")
    assert add(site.serve("/gb.xml", undeclared), category).name == "韩联社中文网"
    broken = add(site.serve("/ref.xml", rss(title="韩联社&#1114112;")), category)
    assert broken.name == "韩联社\ufffd"
    json_feed = '{"version": "https://jsonfeed.org/version/1.1", "title": ["x"], "items": []}'
    served = site.serve("/feed.json", json_feed, content_type="application/feed+json")
    assert add(served, category).name == ""
    with pytest.raises(CollectError, match="not a JSON Feed"):
        add(site.serve("/list.json", '{"version": "https://jsonfeed.org/version/1.1"}'), category)


def test_a_list_page_s_own_pages_are_not_articles():
    page = (
        '<a href="/world/index.html">国际</a><a href="/world/index_2.html">2</a>'
        '<a href="/world/list_3.shtml">下一页</a><a href="/blog/page/2/">Older</a>'
        '<a href="/world/?page=4">4</a><a href="/default.aspx">首页</a>'
        '<a href="/world/2024-09/22/c_1129981476.htm">会谈举行</a>'
        '<a href="/world/detail.php?id=42&page=1">统计数据</a>'
        '<a href="/plus/view.php?aid=7">港口开港</a><a href="/search.php?q=2024">搜索</a>'
        '<a href="/login?next=/2024/1.html">登录</a>'
    )
    assert article_links(page, "https://site.example/world/") == [
        "https://site.example/world/2024-09/22/c_1129981476.htm",
        "https://site.example/world/detail.php?id=42&page=1",
        "https://site.example/plus/view.php?aid=7",
    ]


def test_a_list_page_s_links_are_read_against_its_base():
    page = '<base href="/archive/"><a href="2024/1.html">会谈举行</a><a href="/2024/2.html">2</a>'
    assert article_links(page, "https://site.example/world/") == [
        "https://site.example/archive/2024/1.html",
        "https://site.example/2024/2.html",
    ]
