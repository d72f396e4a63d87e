import json
import re
import urllib.parse
from datetime import UTC, datetime, timedelta, timezone

import pytest

from peninsula.content.models import Article
from peninsula.ingestion.pages import decode_html

from .conftest import DATA, png_bytes
from .test_import_command import run_import

CST = timezone(timedelta(hours=8))
CLUTTER = ("首页", "热门排行", "网友评论", "广告", "分享到", "版权所有", "ICP", "alert")


@pytest.mark.django_db
def test_a_gbk_news_page_is_imported_without_its_clutter(site):
    site.serve("/images/2024/port-lead.jpg", png_bytes("teal"), content_type="image/png")
    url = site.serve(
        "/news/2024/09/22/port.html",
        (DATA / "page-gbk.htm").read_bytes(),
        content_type="text/html",  # no charset: the page's meta says GBK
    )
    out, err = run_import(url, "--category", "国内/社会", "--draft")
    assert "1 created, 0 updated, 0 failed" in out and err == ""
    article = Article.objects.get()
    assert article.title == "东海之滨新港口开港 首批货轮靠泊"
    assert article.byline == "林晓燕" and article.original_author == "林晓燕"
    assert article.published_at == datetime(2024, 9, 22, 9, 15, 30, tzinfo=CST)
    assert article.source_url == url and article.external_id == url
    assert not article.live  # --draft: waits for an editor
    assert "新港口设计年吞吐能力为一百二十万标准箱" in article.body
    assert "老船长王建国" in article.body
    assert "<h1" not in article.body  # the headline is the page's own h1
    for clutter in CLUTTER:
        assert clutter not in article.body, clutter
    assert article.cover_image is not None

    out, _ = run_import(url, "--category", "国内/社会")
    assert "0 created, 1 updated, 0 failed" in out


@pytest.mark.parametrize(
    ("body", "charset", "text"),
    [
        ('<meta charset="gb2312"><p>镕基</p>'.encode("gbk"), None, "镕基"),  # GB2312 read as GBK
        ("<p>濱海</p>".encode("big5"), "big5", "濱海"),
        ("<p>滨海</p>".encode(), None, "滨海"),
    ],
)
def test_pages_are_decoded_by_header_then_meta(body, charset, text):
    assert text in decode_html(body, charset)


def test_a_page_without_a_lead_image_is_not_its_own_image():
    from peninsula.ingestion.pages import page_item

    body = (
        "<html><head><title>会谈举行</title></head><body><article><h1>会谈举行</h1>"
        + "<p>韩国和朝鲜代表周五在板门店举行会谈，双方交换了意见。</p>" * 5
        + "</article></body></html>"
    ).encode()
    item = page_item(body, url="https://news.example/2024/1.html")
    assert "image" not in item


@pytest.mark.django_db
def test_text_that_looks_like_svg_is_not_an_image(site):
    from peninsula.ingestion.images import ImageError, store_image

    for n, text in enumerate(["<html><body>hello</body></html>", "<!doctype html><p>hello"]):
        url = site.serve(f"/not-an-image-{n}", text)
        with pytest.raises(ImageError, match="not an image"):
            store_image(url, title="x")


def _page(head, article="", *, lang=None, html_lang=None):
    """A news page: `head` inside <head>, the article's <h1> and paragraphs in <body>."""
    paragraphs = "".join(f"<p>{text}</p>" for text in [article or "会谈在板门店举行。"] * 6)
    attribute = f' lang="{html_lang}"' if html_lang else ""
    return (
        f"<!DOCTYPE html><html{attribute}><head><meta charset='utf-8'>{head}</head><body>"
        f"<nav><a href='/'>首页</a></nav><article>{paragraphs}</article></body></html>"
    ).encode()


def _item(head, *, h1="", **kwargs):
    from peninsula.ingestion.pages import page_item

    body = _page(head, **kwargs).replace(b"<article>", f"<article>{h1}".encode(), 1)
    return page_item(body, url="https://news.example/2024/1.html")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # No zone: the site's (Asia/Shanghai). Before, the whole page was refused.
        ("2013-12-30T21:42:01", datetime(2013, 12, 30, 21, 42, 1, tzinfo=CST)),
        ("November 20, 2019 13:42", datetime(2019, 11, 20, 13, 42, tzinfo=CST)),
        ("2019年11月20日 13:42", datetime(2019, 11, 20, 13, 42, tzinfo=CST)),
        ("2019/11/20 13:42:05", datetime(2019, 11, 20, 13, 42, 5, tzinfo=CST)),
        ("2023-11-06T13:00:15.055Z", datetime(2023, 11, 6, 13, 0, 15, 55000, tzinfo=UTC)),
        ("2015-03-04 10:00 EST", datetime(2015, 3, 4, 15, 0, tzinfo=UTC)),
        ("Saturday, December 27, 2014, 12:06 PM", datetime(2014, 12, 27, 12, 6, tzinfo=CST)),
        # ISO 8601's basic format, as a Japanese paper's JSON-LD gives it.
        ("20180619T055000+0900", datetime(2018, 6, 18, 20, 50, tzinfo=UTC)),
    ],
)
def test_a_page_s_time_is_read_as_news_sites_write_it(value, expected):
    item = _item(f'<meta property="article:published_time" content="{value}">')
    assert datetime.fromisoformat(item["published_at"]) == expected


def test_a_time_that_is_no_time_falls_back_to_the_next_the_page_gives():
    item = _item(
        '<meta property="article:published_time" content="soon">'
        '<meta property="og:published_time" content="March 2024">'  # no day: not today's
        '<meta name="parsely-pub-date" content="2015-03-04T10:00:00+25:00">'
        '<meta name="pubdate" content="0000-00-00 00:00:00">'
        '<meta name="publishdate" content="2024-09-22 09:15:30">'
    )
    assert datetime.fromisoformat(item["published_at"]) == datetime(
        2024, 9, 22, 9, 15, 30, tzinfo=CST
    )


def test_a_profile_address_is_not_a_byline():
    # article:author is an Open Graph profile, often a Facebook page's address.
    item = _item(
        '<meta property="article:author" content="https://www.facebook.com/yonhapenglish">'
    )
    assert "byline" not in item
    item = _item(
        '<meta property="article:author" content="https://www.facebook.com/someone">'
        '<meta name="author" content="Marcus De Guzman">'
    )
    assert item["byline"] == "Marcus De Guzman"
    item = _item(
        '<meta property="article:author" content="facebook.com/someone">'
        '<meta name="byl" content="Reuters/AP">'
    )
    assert item["byline"] == "Reuters/AP"


def test_the_page_s_schema_org_article_is_preferred_for_what_it_gives():
    linked = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Example News"},
            {
                "@type": ["NewsArticle"],
                "headline": "Storm &amp; flood: the day after",
                "author": [
                    {"@type": "Person", "name": "Jeremy Herb"},
                    {"@type": "Person", "name": "Lauren del Valle"},
                    {"@type": "Person", "url": "https://news.example/people/anon"},
                ],
                "datePublished": "2023-11-06T20:03:00-05:00",
                "inLanguage": "en-us",
                "publisher": {"@type": "Organization", "name": "Example News"},
            },
        ],
    }
    item = _item(
        '<script type="application/ld+json">{ not json</script>'
        f'<script type="application/ld+json">{json.dumps(linked)}</script>'
        '<meta property="og:title" content="Storm and flood | Example News">'
        '<meta name="author" content="Example News Desk">'
        '<meta property="article:published_time" content="2023-11-06">',
        article="The storm passed in the night and the river rose by morning.",
        html_lang="fr",
    )
    assert item["title"] == "Storm & flood: the day after"
    assert item["byline"] == "Jeremy Herb, Lauren del Valle"
    assert datetime.fromisoformat(item["published_at"]) == datetime(2023, 11, 7, 1, 3, tzinfo=UTC)
    assert item["language"] == "en-US"
    assert item["source_name"] == "Example News"


def test_chinese_authors_are_joined_as_chinese_writes_them():
    linked = {"@type": "NewsArticle", "author": [{"name": "林晓燕"}, {"name": "王建国"}]}
    item = _item(f'<script type="application/ld+json">{json.dumps(linked)}</script>')
    assert item["byline"] == "林晓燕、王建国"


@pytest.mark.parametrize(
    ("head", "h1", "title"),
    [
        # <title> with the site's name after it, the page's <h1> the headline.
        (
            "<title>短缺药品保供稳价 全力保障临床用药需求-新华网</title>",
            "短缺药品保供稳价 全力保障临床用药需求",
            "短缺药品保供稳价 全力保障临床用药需求",
        ),
        (
            '<meta property="og:title" content="Takeaways from the trial | CNN Politics">'
            '<meta property="og:site_name" content="CNN">',
            "",
            "Takeaways from the trial",
        ),
        (
            '<meta property="og:title" content="N. Korea slams drill | Yonhap News Agency">'
            '<meta property="og:site_name" content="Yonhap News Agency">',
            "<h1>N. Korea slams drill</h1>",
            "N. Korea slams drill",
        ),
        # A hyphen of the headline's own, and a colon before most of it, are not the site's.
        (
            '<meta property="og:title" content="COVID-19 cases fall">',
            "<h1>COVID</h1>",
            "COVID-19 cases fall",
        ),
        (
            '<meta property="og:title" content="Brexit: what happens next">',
            "<h1>Brexit</h1>",
            "Brexit: what happens next",
        ),
        # A trail of sections after the headline, with no site name to match.
        (
            "<title>Anticorrupción recurre la imputación » Local » Noticias » Ultima Hora</title>",
            "",
            "Anticorrupción recurre la imputación",
        ),
        (
            "<title>外国专家：中美合作共赢符合国际社会利益_国际新闻_滨海日报网</title>",
            "",
            "外国专家：中美合作共赢符合国际社会利益",
        ),
        # One separator, or parts after it as long as the part before, are the headline's.
        (
            "<title>Rock / AC/DC / Music news of the week</title>",
            "",
            "Rock / AC/DC / Music news of the week",
        ),
        ("<title>央视快评｜坚定不移推进高质量发展</title>", "", "央视快评｜坚定不移推进高质量发展"),
    ],
)
def test_the_headline_leaves_out_the_site_s_name(head, h1, title):
    item = _item(head, h1=h1 if h1.startswith("<") else f"<h1>{h1}</h1>" if h1 else "")
    assert item["title"] == title
    assert f">{title}<" not in item["body"]  # the headline is not repeated as the body's heading


@pytest.mark.parametrize(
    ("lang", "head", "expected"),
    [
        ("ja", "", "ja"),
        ("zh_CN", "", "zh-CN"),
        (None, '<meta http-equiv="Content-Language" content="ko">', "ko"),
        (None, '<meta property="og:locale" content="en_GB">', "en-GB"),
        ("not a language!", "", None),
    ],
)
def test_the_page_s_language_is_the_article_s(lang, head, expected):
    item = _item(head, html_lang=lang)
    assert item.get("language") == expected


@pytest.mark.django_db
def test_a_page_whose_time_has_no_zone_is_imported(site):
    url = site.serve(
        "/2013/12/30/laws.html",
        _page(
            '<meta property="article:published_time" content="2013-12-30T21:42:01">'
            '<meta property="og:title" content="New Year, new laws">',
            article="Americans will be required to follow a slew of new laws in the new year.",
            html_lang="en",
        ),
        content_type="text/html; charset=utf-8",
    )
    out, err = run_import(url, "--category", "国际")
    assert "1 created, 0 updated, 0 failed" in out and err == ""
    article = Article.objects.get()
    assert article.published_at == datetime(2013, 12, 30, 21, 42, 1, tzinfo=CST)
    assert article.language == "en" and article.title == "New Year, new laws"


@pytest.mark.parametrize(
    ("head", "info", "expected"),
    [
        # No time in the head: the info line under the headline gives it to the second.
        ("", "来源：新华网 2023-11-17 20:52:15", datetime(2023, 11, 17, 20, 52, 15, tzinfo=CST)),
        (
            '<meta name="publishdate" content="2023-11-17">',
            "2023年11月17日 15:13 来源：中国日报网",
            datetime(2023, 11, 17, 15, 13, tzinfo=CST),
        ),
        # A time on another day than the page's is some other event's: the day stands.
        (
            '<meta name="publishdate" content="2023/11/17">',
            "相关新闻 2023-11-16 08:00",
            datetime(2023, 11, 17, tzinfo=CST),
        ),
    ],
)
def test_a_chinese_page_s_info_line_gives_its_time_and_source(head, info, expected):
    item = _item(head, h1=f"<h1>短缺药品保供稳价</h1><div class='info'>{info}</div>")
    assert datetime.fromisoformat(item["published_at"]) == expected
    if "来源" in info:
        assert item["source_name"] in ("新华网", "中国日报网")


def test_meta_names_are_read_as_readability_reads_them():
    # A property may hold several names; DC.title is dc:title; a property outranks a name.
    item = _item(
        '<meta name="DC.title" content="Dublin Core name title">'
        '<meta property="x:title dc:title" content="Preferred title">'
        '<meta property="og:title twitter:title" content="A title">'
        '<meta property="dc:creator twitter:site_name" content="Creator Name">'
        '<meta name="author" content="Not the creator">'
        '<meta name="parsely-pub-date" content="2024-06-01T08:30:00Z">',
        h1="<h1>Test document title</h1>",
    )
    assert item["title"] == "Preferred title"
    assert item["byline"] == "Creator Name"
    assert datetime.fromisoformat(item["published_at"]) == datetime(2024, 6, 1, 8, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("base", "resolved"),
    [
        ("", "https://news.example/2024/"),  # on the page, as a browser reads them
        ('<base href="/archive/a/">', "https://news.example/archive/a/"),
        ('<base href="http://mirror.example/b/">', "http://mirror.example/b/"),
        ('<base href="javascript:alert(1)//">', "https://news.example/2024/"),
    ],
)
def test_relative_links_and_pictures_are_read_as_a_browser_reads_them(base, resolved):
    story = (
        "<p>See <a href='report.html'>the full report</a> and <a href='../up.html'>the "
        "earlier story</a> for what the minister said in the chamber on Friday.</p>"
        "<p><img src='pictures/port.jpg' alt='The port'></p>"
    )
    item = _item(base, h1=f"<h1>Port opens</h1>{story}", article="The port opened on Friday.")
    assert f'href="{resolved}report.html"' in item["body"]
    assert f'href="{urllib.parse.urljoin(resolved, "../up.html")}"' in item["body"]
    assert f'src="{resolved}pictures/port.jpg"' in item["body"]


@pytest.mark.parametrize(
    ("picture", "kept"),
    [
        # WeChat: no src, an address without a file extension in data-src.
        (
            '<img data-src="https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg" data-type="jpeg">',
            "https://mmbiz.qpic.cn/mmbiz_jpg/abc/640?wx_fmt=jpeg",
        ),
        # jQuery lazyload: a grey placeholder in src, the picture in data-original.
        (
            '<img src="/static/grey.gif" data-original="/uploads/2024/port.jpg">',
            "https://news.example/uploads/2024/port.jpg",
        ),
        ('<img src="pictures/port.jpg" alt="港口">', "https://news.example/2024/pictures/port.jpg"),
        ('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">', None),
        ('<img src="javascript:alert(1)">', None),
    ],
)
def test_a_picture_is_kept_from_where_the_page_shows_it(picture, kept):
    story = "".join(
        f"<p>第{n}段：新港口共建成十个万吨级泊位，配备自动化岸桥{n}。</p>" for n in range(6)
    )
    item = _item("", h1=f"<h1>港口开港</h1>{story}<p>{picture}</p>{story}")
    pictures = re.findall(r'<img src="([^"]*)"', item["body"])
    assert pictures == ([kept] if kept else [])


@pytest.mark.django_db
def test_a_picture_whose_address_has_no_file_extension_is_named_by_its_format(site):
    from wagtail.images import get_image_model

    from peninsula.ingestion.images import store_image

    url = site.serve("/mmbiz_png/abc/640?wx_fmt=png", png_bytes("teal"), content_type="image/png")
    image = get_image_model().objects.get(pk=store_image(url, title="港口"))
    assert image.file.name.endswith("640.png")
    assert image.get_rendition("width-100").url.endswith(".png")


WECHAT = """<!DOCTYPE html><html><head><meta charset="utf-8">
<meta name="author" content="王小明">
<meta property="og:title" content="两会之后，钱从哪里来">
<meta property="og:image" content="https://mmbiz.qpic.cn/mmbiz_jpg/abc/0?wx_fmt=jpeg">
<meta property="og:site_name" content="微信公众平台">
<meta property="og:type" content="article">
<meta property="og:article:author" content="王小明">
<title></title>
<script>var __INLINE_SCRIPT__ = (function () {
  var svrDate = '1695238845';
  var oriCreateTime = '1677749458';
  var createTime = '2023-03-02 17:30';
})();</script></head>
<body><div class="rich_media_area_primary">
<h1 class="rich_media_title" id="activity-name">两会之后，钱从哪里来</h1>
<div id="meta_content"><span id="js_author_name_text">点这里关注</span>
%(account)s<em id="publish_time" class="rich_media_meta rich_media_meta_text"></em></div>
<div class="rich_media_content" id="js_content" style="visibility: hidden;">
<section><p>关于两会的重要性，我就不再强调了。两会期间，很多媒体都做了说明和解析，我们也用一篇文章分享了一点我们的看法。</p></section>
<section><p>香帅老师是我特别敬佩的一位老师。她是著名的经济学者，讲过很多关于个人财富的课程，这次我们请她谈谈收入。</p></section>
<p><img data-src="https://mmbiz.qpic.cn/mmbiz_png/xyz/640?wx_fmt=png"
 src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></p>
<section><p>她的回答很简单：先弄清楚钱从哪里来，再决定钱往哪里去。这句话值得每个人在新的一年里反复想一想。</p></section>
</div></div>
<script>var ct = "%(ct)s"; var nickname = htmlDecode("刘&#28070;");</script>
</body></html>"""


@pytest.mark.parametrize(
    ("account", "ct", "expected"),
    [
        ('<a id="js_name"> 刘润 </a>', "1677749458", datetime(2023, 3, 2, 17, 30, 58, tzinfo=CST)),
        # No #js_name: the account its script names; no `var ct`: the other creation time.
        ("", "", datetime(2023, 3, 2, 17, 30, 58, tzinfo=CST)),
    ],
)
def test_a_wechat_article_gives_its_time_and_account(account, ct, expected):
    """WeChat states an article's time only in its script and its account only outside its
    meta; its og:site_name is the platform's (微信公众平台), never the paper's."""
    from peninsula.ingestion.pages import page_item

    body = (WECHAT % {"account": account, "ct": ct}).encode()
    item = page_item(body, url="https://mp.weixin.qq.com/s/WCtsn7qsmwJQE27luF7xJA")
    assert datetime.fromisoformat(item["published_at"]) == expected
    assert item["source_name"] == "刘润"
    assert item["title"] == "两会之后，钱从哪里来" and item["byline"] == "王小明"
    assert "钱从哪里来，再决定钱往哪里去" in item["body"]
    assert "https://mmbiz.qpic.cn/mmbiz_png/xyz/640?wx_fmt=png" in item["body"]


def test_each_author_a_page_names_in_a_repeated_meta_is_credited():
    item = _item(
        '<meta name="author" content="Jenny Smith"><meta name="author" content="John Smith">'
    )
    assert item["byline"] == "Jenny Smith, John Smith"
    item = _item('<meta name="author" content="林晓燕"><meta name="author" content="王建国">')
    assert item["byline"] == "林晓燕、王建国"


def test_a_time_the_page_s_meta_gives_outranks_its_script_s():
    item = _item(
        '<meta property="article:published_time" content="2024-06-01T08:30:00Z">'
        '<script>var ct = "1677749458";</script>'
    )
    assert datetime.fromisoformat(item["published_at"]) == datetime(2024, 6, 1, 8, 30, tzinfo=UTC)
