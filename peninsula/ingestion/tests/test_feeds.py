import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from django.core.management import CommandError, call_command

from peninsula.content.models import Article

from .conftest import DATA
from .test_import_command import run_import

CST = timezone(timedelta(hours=8))


def serve(site, name, content_type):
    return site.serve(f"/{name}", (DATA / name).read_bytes(), content_type=content_type)


@pytest.mark.django_db
def test_a_gb2312_feed_declared_only_in_its_prolog(site):
    out, _ = run_import(serve(site, "rss2-gb2312.xml", "application/rss+xml"), "--category", "本地")
    assert "2 created, 0 updated, 0 failed" in out
    port = Article.objects.get(external_id="http://news.binhai.example/ binhai-20240922-001")
    assert port.title == "东海之滨新港口开港" and port.original_title == port.title
    assert port.source.name == "滨海日报"
    assert port.source_url == "http://news.binhai.example/2024/09/22/port.html"
    assert port.published_at == datetime(2024, 9, 22, 9, 15, 30, tzinfo=CST)
    assert port.category.name == "本地" and port.language == "zh-CN"
    assert list(port.tags.names()) == ["港口"]
    assert "<script" not in port.body and "onclick" not in port.body
    assert "首批三艘货轮顺利靠泊" in port.body


@pytest.mark.django_db
def test_a_big5_atom_feed_with_xml_base(site):
    run_import(serve(site, "atom-big5.xml", "application/atom+xml"), "--category", "本地")
    entry = Article.objects.get()
    assert entry.title == "新港口開港 首批貨輪靠泊"
    assert entry.byline == "陳美玲" and entry.original_author == "陳美玲"
    assert entry.source_url == "http://tw.binhai.example/news/2024/09/port.html"
    assert 'href="http://tw.binhai.example/about.html"' in entry.body
    assert 'src="http://tw.binhai.example/news/img/port.jpg"' in entry.body
    assert entry.published_at == datetime(2024, 9, 22, 1, 15, 30, tzinfo=UTC)


@pytest.mark.django_db
def test_a_utf16_feed(site):
    run_import(serve(site, "rss-utf16.xml", "application/xml"), "--category", "本地")
    assert Article.objects.get().title == "夜市重新开放"


@pytest.mark.django_db
def test_an_encoding_given_only_by_the_http_header(site):
    url = serve(site, "rss-gbk-header.xml", "application/rss+xml; charset=gbk")
    run_import(url, "--category", "本地")
    assert "镕基项目落户" in Article.objects.get().body  # 镕 is in GBK, not in GB2312


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "title", "published"),
    [
        ("rss1.rdf", "Harbour cranes arrive", datetime(2024, 9, 15, 10, 30, tzinfo=UTC)),
        ("rss091.xml", "Ferry timetable changes", None),
    ],
)
def test_rss_1_0_and_0_91(tmp_path, name, title, published):
    path = tmp_path / name
    path.write_bytes((DATA / name).read_bytes())
    run_import(str(path), "--category", "本地")
    article = Article.objects.get()
    assert article.title == title
    if published:
        assert article.published_at == published


@pytest.mark.django_db
def test_a_json_feed_lists_the_item_it_could_not_import(site):
    url, err = serve(site, "feed.json", "application/feed+json"), io.StringIO()
    with pytest.raises(CommandError, match="2 created, 0 updated, 1 failed") as raised:
        call_command("import", url, "--category", "快讯", "--no-progress", stderr=err)
    assert raised.value.returncode == 1
    assert f"{url}: item 3: item 'flash-3' has no content_html or content_text" in err.getvalue()
    typhoon = Article.objects.get(external_id="http://flash.binhai.example/ flash-1")
    assert typhoon.summary == "台风预警升级为橙色"
    assert "iframe" not in typhoon.body
    assert typhoon.published_at == datetime(2024, 9, 23, 6, 45, 12, tzinfo=CST)
    assert sorted(typhoon.tags.names()) == ["台风", "天气"]
    assert Article.objects.get(external_id="http://flash.binhai.example/ flash-2").body == (
        "<p>地铁三号线今天开始试运行。</p>\n<p>首班车六点发车。</p>"
    )


@pytest.mark.django_db
def test_an_item_seen_again_updates_by_guid_or_by_link(site):
    url = serve(site, "rss2-gb2312.xml", "application/rss+xml")
    run_import(url, "--category", "本地")
    games = Article.objects.get(external_id="http://news.binhai.example/ binhai-20240921-007")
    # The same story imported earlier under another key (say, from its page) keeps that key.
    Article.objects.filter(pk=games.pk).update(external_id="page-import-7")
    out, _ = run_import(url, "--category", "本地")
    assert "0 created, 2 updated, 0 failed" in out
    assert Article.objects.count() == 2
    assert Article.objects.filter(external_id="page-import-7").exists()


@pytest.mark.django_db
def test_what_is_not_a_feed_is_refused(site):
    url = site.serve("/empty.xml", b"<?xml version='1.0'?><rss version='2.0'><channel>")
    with pytest.raises(CommandError, match="nothing was imported"):
        run_import(url)


@pytest.mark.django_db
def test_a_url_that_fails_is_a_clear_error(site):
    with pytest.raises(CommandError, match="HTTP 404"):
        run_import(site.base + "/missing.xml")


def import_file(tmp_path, name, *options):
    """Import a copy of a data file from disk; (stdout, stderr), failures included."""
    path = tmp_path / name
    path.write_bytes((DATA / name).read_bytes())
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import", str(path), *options, "--no-progress", stdout=out, stderr=err)
    except CommandError as error:
        out.write(str(error))
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "title", "source"),
    [
        ("feed-gb2312-undeclared.xml", "渔港夜市今晚开张", "滨海晚报"),
        ("feed-big5-undeclared.xml", "漁港夜市今晚開張", "濱海晚報"),
    ],
)
def test_a_chinese_feed_declaring_no_encoding_is_not_read_as_windows_1252(
    tmp_path, name, title, source
):
    out, _ = import_file(tmp_path, name, "--category", "本地")
    assert "1 created, 0 updated, 0 failed" in out
    article = Article.objects.get()
    assert (article.title, article.source.name) == (title, source)


@pytest.mark.django_db
def test_items_rss_allows_import_and_the_others_are_named(tmp_path):
    out, err = import_file(tmp_path, "feed-odd-items.xml", "--category", "本地")
    assert "3 created, 0 updated, 1 failed" in out
    assert "item 3: item '4' has no text" in err
    assert "item 2: date 'the day before yesterday' could not be read" in err
    # content:encoded alone: the excerpt comes from the body, not the whole HTML as 简介.
    full = Article.objects.get(source_url="https://notes.harbour.example/full-text")
    assert full.summary == ""
    assert full.excerpt.startswith("The ferry terminal reopens")
    # No title: the first sentence of the description stands in.
    untitled = Article.objects.get(external_id="https://notes.harbour.example/ 3")
    assert untitled.title == "The night market opens at the fishing port tonight"
    assert untitled.original_title == ""
    # A reference to no character (beyond U+10FFFF, a surrogate) is read as U+FFFD.
    odd = Article.objects.get(external_id="tag:notes.harbour.example,2024:5")
    assert odd.title == "A reference to no character \ufffd \ufffd A"


@pytest.mark.django_db
def test_a_feed_feedparser_cannot_read_is_refused_in_one_line(tmp_path):
    path = tmp_path / "utf16.xml"
    # UTF-16 hides the reference from the repair; feedparser's own failure must not escape.
    feed = '<?xml version="1.0" encoding="utf-16"?><rss version="2.0"><channel><item>'
    path.write_bytes((feed + "<title>&#1114112;</title></item></channel></rss>").encode("utf-16"))
    with pytest.raises(CommandError, match=r"the feed could not be read .*nothing was imported"):
        call_command("import", str(path), "--no-progress")


@pytest.mark.django_db
def test_ids_of_two_feeds_are_kept_apart_and_absolute_uris_kept(tmp_path):
    import_file(tmp_path, "feed.json", "--category", "快讯")
    out, err = import_file(tmp_path, "feed-other-site.json", "--category", "快讯")
    assert "2 created, 0 updated, 2 failed" in out
    assert "item 2: title must be a string, not a list" in err
    assert "item 4: the item has no content_html or content_text" in err
    fog = Article.objects.get(external_id="https://ferry.example/ flash-1")
    assert fog.title == "Ferry delayed by fog"
    assert (
        Article.objects.get(external_id="http://flash.binhai.example/ flash-1").title != fog.title
    )
    assert Article.objects.filter(external_id="https://ferry.example/id/8").exists()
    out, _ = import_file(tmp_path, "feed-other-site.json", "--category", "快讯")
    assert "0 created, 2 updated, 2 failed" in out


@pytest.mark.django_db
def test_a_json_feed_naming_no_home_is_scoped_by_its_address(site):
    feed = (
        '{"version": "https://jsonfeed.org/version/1.1", "title": "快讯", "items": '
        '[{"id": "1", "title": "渡轮停航", "content_text": "大雾，渡轮停航。"}]}'
    )
    for path in ("/a/feed.json", "/b/feed.json"):
        run_import(
            site.serve(path, feed, content_type="application/feed+json"), "--category", "快讯"
        )
    keys = set(Article.objects.values_list("external_id", flat=True))
    assert keys == {f"{site.base}/a/feed.json 1", f"{site.base}/b/feed.json 1"}


@pytest.mark.django_db
def test_a_link_or_picture_is_read_as_a_browser_reads_it(tmp_path):
    path = tmp_path / "odd.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Odd</title>'
        "<link>https://odd.example/news/</link>"
        "<item><title>One</title><link>https://odd.example/a b.html</link><guid>odd-1</guid>"
        "<description>The first story.</description>"
        '<media:content url="http://[odd.example/x.jpg" medium="image"/></item>'
        "<item><title>Two</title><guid>odd-2</guid><description>The second story.</description>"
        "<category>" + "长" * 120 + "</category></item>"
        "<item><title>Three</title><link>2024/3.html</link><guid>tag:odd.example,2024:3</guid>"
        "<description>The third story.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), "--category", "国际", "--no-progress", stdout=out, stderr=err)
    assert "3 created, 0 updated, 0 failed" in out.getvalue()
    one = Article.objects.get(title="One")
    assert one.source_url == "https://odd.example/a%20b.html"  # as a browser sends it
    assert "image 'http://[odd.example/x.jpg' is not a web address" in err.getvalue()
    assert Article.objects.get(title="Two").tags.get().name == "长" * 99 + "…"
    # A relative link is the channel's; a tag: GUID is no link, and no warning.
    assert Article.objects.get(title="Three").source_url == "https://odd.example/news/2024/3.html"
    assert "tag:" not in err.getvalue()
