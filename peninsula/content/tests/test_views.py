"""The reader's pages: what they show, their URLs, bad input, language and query counts."""

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone
from django.utils.html import escape
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file

from peninsula.content.models import Article
from peninsula.content.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CategoryFactory,
    SourceFactory,
)
from peninsula.core.models import SiteSettings
from peninsula.core.pagination import decode_key, encode_key
from peninsula.core.views import server_error

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
REFERENCE_BODY = (
    "<p>By Kim Bo-eun</p><p>Denuclearization talks between North Korea and the U.S. that appeared"
    " to have been stalled may gain impetus, with leaders of the countries engaging in"
    " communication.</p><p>U.S. President Donald Trump thanked North Korean leader Kim Jong-un."
    "</p>"
)


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_settings():
    return SiteSettings.objects.create(
        site_name="半岛新闻网", footer_text="关于我们 · 联系方式", icp_number="京ICP备12345678号"
    )


@pytest.fixture
def reference(site_settings):
    """The reference article of ../shared/seed, with its category under a top-level one."""
    world = CategoryFactory(name="国际", slug="world")
    category = CategoryFactory(name="产品中心", slug="chanpinzhongxin", parent=world)
    article = ArticleFactory(
        title="Denuke talks may gain impetus with Kim",
        category=category,
        body=REFERENCE_BODY,
        byline="By Kim Bo-eun",
        language="en",
        source=SourceFactory(name="The Korea Times", url="https://www.koreatimes.co.kr/"),
        source_url="https://www.koreatimes.co.kr/www/nation/2018/08/103_253200.html",
        published_at=datetime.datetime(2024, 9, 22, 1, 36, 59, tzinfo=SHANGHAI),
        views=3,
        likes=4,
        tags=["朝鲜", "denuclearization"],
        authors=[AuthorFactory(name="Kim Bo-eun")],
    )
    return article


def text_of(response):
    """The page's visible text, tags removed and whitespace collapsed."""
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", html)))


# The article page


def test_article_page_reproduces_the_reference(client, reference):
    response = client.get(reference.get_absolute_url())
    html = response.content.decode()
    text = text_of(response)

    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "您现在的位置是:半岛新闻网 > 国际 > 产品中心" in text
    assert len(re.findall(r"<h1[\s>]", html)) == 1
    assert re.search(r'<h1 class="article__title" lang="en">Denuke talks may gain impetus', html)
    assert "半岛新闻网 2024-09-22 01:36:59 【产品中心】 3人已围观" in text
    assert '<span class="js-views">3</span>人已围观' in html
    assert "简介Denuclearization talks between North Korea and the U.S." in text
    body = re.search(r'<div class="article__body richtext" lang="en">(.*?)</div>', html, re.S)
    assert text_of_fragment(body[1]).startswith("By Kim Bo-eun Denuclearization talks")
    assert html.count("By Kim Bo-eun</p>") == 1
    assert re.search(
        r'来源: <a href="https://www\.koreatimes\.co\.kr/www/[^"]+"[^>]*>The Korea', html
    )
    assert f'data-article-id="{reference.pk}"' in html
    assert (
        '很赞哦!(<span class="js-likes">4</span>)</button>' in html
        and 'class="like-button js-like"' in html
    )
    assert '<a href="/author/kim-bo-eun/">Kim Bo-eun</a>' in html
    assert '<a href="/tag/denuclearization/">denuclearization</a>' in html
    assert '<a href="/tag/%E6%9C%9D%E9%B2%9C/">朝鲜</a>' in html
    assert f'<link rel="canonical" href="http://testserver{reference.get_absolute_url()}">' in html
    assert re.search(r'<script src="/static/js/article\.js" defer></script>', html)


def text_of_fragment(fragment):
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment)).strip()


def test_article_page_adds_the_byline_when_the_body_lacks_it(client, reference):
    Article.objects.filter(pk=reference.pk).update(body="<p>Denuclearization talks resume.</p>")
    html = client.get(reference.get_absolute_url()).content.decode()
    assert '<p class="article__byline">By Kim Bo-eun</p>' in html


@pytest.mark.parametrize(
    "body",
    [
        "<p>By Kim &amp; Lee</p><p>Talks resume.</p>",  # as the editor writes it
        "<p>\n  <b>By Kim &#38; Lee</b></p><p>Talks resume.</p>",  # as a wire's HTML may
    ],
)
def test_article_page_shows_a_byline_the_body_opens_with_once(client, reference, body):
    Article.objects.filter(pk=reference.pk).update(byline="By Kim & Lee", body=body)
    html = client.get(reference.get_absolute_url()).content.decode()
    assert 'class="article__byline"' not in html
    assert html.count("By Kim &amp; Lee") + html.count("By Kim &#38; Lee") == 1


def test_article_url_with_a_wrong_category_answers_301_to_the_canonical_url(client, reference):
    response = client.get(f"/world/{reference.pk}.html")
    assert response.status_code == 301
    assert response["Location"] == f"/chanpinzhongxin/{reference.pk}.html"


@pytest.mark.parametrize(
    "changes",
    [
        {"live": False},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
        {"expire_at": timezone.now() - datetime.timedelta(minutes=1)},
    ],
    ids=["draft", "scheduled", "expired"],
)
def test_unpublished_article_answers_404(client, reference, changes):
    Article.objects.filter(pk=reference.pk).update(**changes)
    response = client.get(reference.get_absolute_url())
    assert response.status_code == 404
    assert "site-header" in response.content.decode()


def test_unknown_article_answers_404(client, reference):
    assert client.get(f"/chanpinzhongxin/{reference.pk + 1000}.html").status_code == 404


def test_article_links_its_published_translation_both_ways(client, reference):
    chinese = ArticleFactory(
        title="无核化谈判或因金正恩来信获得动力", category=reference.category, language="zh"
    )
    reference.translation = chinese
    reference.save()
    html = client.get(reference.get_absolute_url()).content.decode()
    assert f'hreflang="zh" href="http://testserver{chinese.get_absolute_url()}"' in html
    assert f'<a href="{chinese.get_absolute_url()}" hreflang="zh" lang="zh">' in html
    back = client.get(chinese.get_absolute_url()).content.decode()
    assert f'<a href="{reference.get_absolute_url()}" hreflang="en" lang="en">' in back


def test_article_hides_an_unpublished_translation(client, reference):
    draft = ArticleFactory(category=reference.category, language="zh", live=False)
    reference.translation = draft
    reference.save()
    html = client.get(reference.get_absolute_url()).content.decode()
    assert draft.get_absolute_url() not in html


def test_previous_and_next_stay_in_the_category_and_order_by_time_then_id(client, reference):
    at = reference.published_at
    older = ArticleFactory(category=reference.category, published_at=at - datetime.timedelta(1))
    same_time = ArticleFactory(category=reference.category, published_at=at)
    ArticleFactory(published_at=at - datetime.timedelta(hours=1))  # another category
    ArticleFactory(category=reference.category, published_at=at, live=False)
    html = client.get(reference.get_absolute_url()).content.decode()
    assert re.search(rf'上一篇</span><a href="{older.get_absolute_url()}" rel="prev">', html)
    assert re.search(rf'下一篇</span><a href="{same_time.get_absolute_url()}" rel="next">', html)
    html = client.get(same_time.get_absolute_url()).content.decode()
    assert re.search(rf'上一篇</span><a href="{reference.get_absolute_url()}"', html)
    assert re.search(r'下一篇</span><span class="article-pager__none">', html)


def test_related_articles_share_tags_first_then_the_category(client, reference):
    two_tags = ArticleFactory(tags=["朝鲜", "denuclearization"])
    one_tag = ArticleFactory(tags=["朝鲜"], published_at=timezone.now() - datetime.timedelta(1))
    neighbour = ArticleFactory(category=reference.category)
    ArticleFactory(tags=["朝鲜"], live=False)
    related = list(Article.objects.published().related_to(reference)[:3])
    assert related == [two_tags, one_tag, neighbour]
    html = client.get(reference.get_absolute_url()).content.decode()
    section = html[html.index('class="related"') :]
    assert (
        section.index(two_tags.title)
        < section.index(one_tag.title)
        < section.index(neighbour.title)
    )


def test_cover_image_renders_responsive_renditions(client, reference):
    image = Image.objects.create(title="Summit", file=get_test_image_file(size=(1600, 900)))
    Article.objects.filter(pk=reference.pk).update(cover_image=image)
    html = client.get(reference.get_absolute_url()).content.decode()
    picture = re.search(r"<picture>.*?</picture>", html, re.S)[0]
    assert 'type="image/avif"' in picture and 'type="image/webp"' in picture
    assert re.search(r'srcset="[^"]*\.width-480[^"]* 480w', picture)


# Home and listings


def test_home_shows_latest_blocks_per_top_level_category_and_most_read(client, site_settings):
    world = CategoryFactory(name="国际", slug="world")
    asia = CategoryFactory(name="亚太", slug="asia", parent=world)
    tech = CategoryFactory(name="科技", slug="tech")
    CategoryFactory(name="空栏目", slug="empty")
    in_sub = ArticleFactory(title="亚太新闻", category=asia, views=50)
    in_tech = ArticleFactory(title="科技新闻", category=tech)
    draft = ArticleFactory(title="草稿", category=tech, live=False)
    response = client.get("/")
    html, text = response.content.decode(), text_of(response)
    block_html = re.findall(r'<section class="block">(.*?)</section>', html, re.S)
    assert len(block_html) == 2
    assert "/world/" in block_html[0] and in_sub.title in block_html[0]
    assert "/tech/" in block_html[1] and in_tech.title in block_html[1]
    assert draft.title not in html
    assert "点击排行" in text
    assert "首页" in text


def test_every_page_has_header_search_language_switcher_and_footer(client, reference):
    for url in ["/", "/world/", reference.get_absolute_url(), "/tag/朝鲜/", "/no-such-page/"]:
        html = client.get(url).content.decode()
        assert '<form class="search-form" role="search" action="/search/" method="get">' in html
        assert re.search(r'<input id="site-search" name="q" type="search"', html)
        switcher = re.search(
            r'<form class="language-switcher" action="/i18n/setlang/" method="post">(.*?)</form>',
            html,
            re.S,
        )[1]
        assert "csrfmiddlewaretoken" not in switcher  # cached pages are shared between readers
        assert 'value="en"' in switcher and 'value="zh-hans"' in switcher
        assert '<a class="site-nav__link" href="/world/"' in html
        assert '<li><a href="/chanpinzhongxin/">产品中心</a></li>' in html
        assert "京ICP备12345678号" in html and "关于我们 · 联系方式" in html


def test_the_header_is_each_page_s_own_where_it_shows_the_page(client, reference):
    """The header is kept once per site and navigation (furniture.jinja2tags.site_header), but
    the language switcher brings each reader back to the page they were on, and the search
    box shows the words searched for, escaped."""
    for url in ["/world/?page=1&x=2", reference.get_absolute_url(), "/search/?q=kim"]:
        html = client.get(url).content.decode()
        switcher = re.search(r'<form class="language-switcher".*?</form>', html, re.S)[0]
        assert f'name="next" value="{escape(url)}"' in switcher
    searched = client.get('/search/?q="><b>朝鲜').content.decode()
    assert 'name="q" type="search" placeholder="搜索新闻" value="&#34;&gt;&lt;b&gt;朝鲜"' in (
        searched
    )
    world = client.get("/world/").content.decode()
    assert 'value=""' in re.search(r'<input id="site-search"[^>]*>', world)[0]
    marked = re.search(r'<a class="site-nav__link[^"]*" href="/world/"[^>]*>', world)[0]
    assert 'aria-current="true"' in marked
    home_link = re.search(
        r'<a class="site-nav__link[^"]*" href="/world/"[^>]*>', client.get("/").content.decode()
    )[0]
    assert home_link != marked  # the current section is marked on its own pages only


def test_the_footer_follows_the_site_settings(client, reference, site_settings):
    assert "京ICP备12345678号" in client.get("/world/").content.decode()
    site_settings.icp_number = "沪ICP备87654321号"
    site_settings.footer_text = "新的页脚"
    site_settings.save()
    html = client.get("/world/").content.decode()
    assert "沪ICP备87654321号" in html and "新的页脚" in html and "京ICP备12345678号" not in html


def test_category_page_lists_descendants_with_breadcrumbs_and_subcategories(client, reference):
    deeper = CategoryFactory(name="朝鲜半岛", slug="peninsula", parent=reference.category)
    deep_article = ArticleFactory(title="更深一层", category=deeper)
    response = client.get("/peninsula/")
    assert "您现在的位置是:半岛新闻网 > 国际 > 产品中心 > 朝鲜半岛" in text_of(response)
    response = client.get("/world/")
    html = response.content.decode()
    assert '<li><a href="/chanpinzhongxin/">产品中心</a></li>' in html.split("subcategories")[1]
    assert deep_article.title in html and reference.title in html
    assert "3 次阅读" in text_of(response)
    assert "<time" in html and reference.excerpt[:40] in html


def test_tag_author_and_archive_pages_list_their_articles(client, reference):
    other = ArticleFactory(
        title="十月新闻", published_at=datetime.datetime(2024, 10, 1, 0, 30, tzinfo=SHANGHAI)
    )
    assert listed(client.get("/tag/denuclearization/")) == [reference.title]
    assert listed(client.get("/author/kim-bo-eun/")) == [reference.title]
    assert listed(client.get("/archive/2024/")) == [other.title, reference.title]
    # 2024-10-01 00:30 in Shanghai is still September in UTC: the site's time zone decides.
    assert listed(client.get("/archive/2024/09/")) == [reference.title]
    assert listed(client.get("/archive/2024/10/")) == [other.title]
    assert listed(client.get("/archive/2023/")) == []


def listed(response):
    """The titles of the article cards on a listing page."""
    assert response.status_code == 200
    return re.findall(r'<h3 class="card__title"><a [^>]+>([^<]+)</a>', response.content.decode())


def test_archive_month_without_zero_redirects_and_bad_months_are_404(client, reference):
    response = client.get("/archive/2024/9/")
    assert response.status_code == 301 and response["Location"] == "/archive/2024/09/"
    assert client.get("/archive/2024/13/").status_code == 404
    assert client.get("/archive/2024/00/").status_code == 404


def test_unknown_tag_author_or_category_answers_404(client, reference):
    for url in ["/tag/nothing/", "/author/nobody/", "/no-such-category/"]:
        assert client.get(url).status_code == 404


# Pagination


@pytest.fixture
def many(site_settings, settings):
    """25 articles in one category, one a minute, with page size 10."""
    settings.PENINSULA_PAGE_SIZE = 10
    category = CategoryFactory(name="要闻", slug="top")
    start = timezone.now() - datetime.timedelta(days=1)
    articles = [
        ArticleFactory(
            category=category,
            title=f"Story {n:02d}",
            published_at=start + datetime.timedelta(minutes=n),
        )
        for n in range(25)
    ]
    return articles[::-1]  # newest first


def titles(response):
    return listed(response)


def test_numbered_pages_and_cursor_links_walk_the_whole_list(client, many):
    first = client.get("/top/")
    assert titles(first) == [a.title for a in many[:10]]
    html = first.content.decode()
    assert 'href="/top/?page=2"' in html and 'href="/top/?page=3"' in html
    assert "?page=4" not in html
    older = re.search(r'class="pagination__older" rel="next" href="([^"]+)"', html)[1]
    second = client.get(older)
    assert titles(second) == [a.title for a in many[10:20]]
    third = client.get(
        re.search(r'class="pagination__older" rel="next" href="([^"]+)"', second.content.decode())[
            1
        ]
    )
    assert titles(third) == [a.title for a in many[20:]]
    assert "pagination__older" not in third.content.decode()
    assert titles(client.get("/top/?page=3")) == [a.title for a in many[20:]]
    newer = re.search(
        r'class="pagination__newer" rel="prev" href="([^"]+)"', third.content.decode()
    )[1]
    assert titles(client.get(newer.replace("&amp;", "&"))) == [a.title for a in many[10:20]]


def test_cursor_pages_do_not_shift_when_an_article_is_published(client, many):
    html = client.get("/top/").content.decode()
    older = re.search(r'class="pagination__older" rel="next" href="([^"]+)"', html)[1]
    ArticleFactory(category=many[0].category, title="Story 99", published_at=timezone.now())
    assert titles(client.get(older)) == [a.title for a in many[10:20]]


def test_newer_link_reaching_the_top_shows_a_full_first_page(client, many):
    key = encode_key(many[3].published_at, many[3].pk)
    response = client.get(f"/top/?after={key}")
    assert titles(response) == [a.title for a in many[:10]]


@pytest.mark.parametrize(
    "query",
    [
        "page=abc",
        "page=0",
        "page=-1",
        "page=4",
        "page=11",
        "page=",
        "before=garbage",
        "before=12_x",
        "before=9999999999999999999_1",
        "page=2&before=1_1",
    ],
)
def test_bad_page_input_answers_404_in_the_site_design(client, many, query):
    response = client.get(f"/top/?{query}")
    assert response.status_code == 404
    assert "site-header" in response.content.decode()


def test_a_cursor_past_the_oldest_article_answers_404(client, many):
    key = encode_key(many[-1].published_at, many[-1].pk)
    assert client.get(f"/top/?before={key}").status_code == 404


def test_cursor_keys_round_trip_to_the_microsecond():
    moment = datetime.datetime(2024, 9, 21, 17, 36, 59, 123456, tzinfo=datetime.UTC)
    assert decode_key(encode_key(moment, 42)) == (moment, 42)


def test_empty_category_renders_its_first_page(client, site_settings):
    CategoryFactory(name="空", slug="empty")
    response = client.get("/empty/")
    assert response.status_code == 200
    assert "这里还没有文章" in text_of(response)


# Language and time zone


def test_browser_language_does_not_switch_the_site_to_english(client, reference):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-CN">' in response.content.decode()
    assert response["Content-Language"] == "zh-hans"


def test_language_switcher_sets_english(client, reference):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get(reference.get_absolute_url())
    html, text = response.content.decode(), text_of(response)
    assert '<html lang="en">' in html
    assert "You are here:" in text and "3 people have read this" in text
    assert "2024-09-22 01:36:59" in text  # still the site's time zone


def test_an_unknown_language_cookie_falls_back_to_the_default(client, reference):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="zh-CN">' in client.get("/").content.decode()


# Error pages


def test_404_page_is_in_the_site_design(client, site_settings):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    text = text_of(response)
    assert "页面不存在" in text and "半岛新闻网" in text


@pytest.mark.django_db(databases=[])
def test_500_page_renders_without_a_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "css/site.css" in html and "500" in html


# Query counts: fixed, whatever the number of articles


def prime(client, url):
    """A first request fills the navigation and ranking caches and creates the settings row."""
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 30])
def test_query_counts_do_not_grow_with_articles(
    client, reference, django_assert_num_queries, extra
):
    category = reference.category
    for n in range(extra):
        ArticleFactory(
            category=category if n % 2 else CategoryFactory(parent=category.parent),
            tags=["朝鲜"],
            authors=list(reference.authors.all()),
        )
    pages = {
        # The site settings are a per-process memo, like the category tree and the rankings.
        "/": 2,  # latest, the blocks
        "/world/": 2,  # bounded count, rows (the category: from the tree)
        "/tag/朝鲜/": 3,  # tag, bounded count, rows
        "/author/kim-bo-eun/": 3,  # author, bounded count, rows
        "/archive/2024/": 2,  # bounded count, rows
        # The article with its translation, authors, tags, previous, next and related list (no
        # corrections or gallery).
        reference.get_absolute_url(): 1,
    }
    for url, expected in pages.items():
        prime(client, url)
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200
