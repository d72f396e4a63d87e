import json
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
from django.template import engines

from peninsula.content.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

from .factories import make_article, make_image

PUBLISHED = datetime(2024, 9, 22, 1, 36, 59, tzinfo=ZoneInfo("Asia/Shanghai"))

pytestmark = pytest.mark.usefixtures("site_settings")


class Head(HTMLParser):
    """The <meta>, <link> and JSON-LD of a page, as a crawler reads them."""

    def __init__(self, html):
        super().__init__()
        self.meta, self.links, self.json_ld, self._in_ld, self._ld = {}, [], [], False, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld, self._ld = True, []

    def handle_data(self, data):
        if self._in_ld:
            self._ld.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_ld:
            self._in_ld = False
            self.json_ld.append(json.loads("".join(self._ld)))

    def one(self, key):
        [value] = self.meta[key]
        return value

    def ld(self, kind):
        [data] = [d for d in self.json_ld if d["@type"] == kind]
        return data

    def feeds(self):
        return [
            (link["type"], link["href"])
            for link in self.links
            if link.get("rel") == "alternate" and "type" in link
        ]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Head(response.content.decode())


@pytest.fixture
def demo(db, site_settings):
    site_settings.logo = make_image("logo", size=(300, 120))
    site_settings.save()
    news = CategoryFactory(name="新闻", slug="news")
    product = CategoryFactory(name="产品中心", slug="product", parent=news)
    return make_article(
        title="Denuke talks may gain impetus with Kim",
        body="<p>By Kim Bo-eun</p><p>Denuclearization talks between North Korea and the U.S.</p>",
        byline="By Kim Bo-eun",
        category=product,
        language="en",
        published_at=PUBLISHED,
        cover_image=make_image(),
        tags=["朝鲜", "summit"],
        authors=[AuthorFactory(name="Kim Bo-eun", slug="kim-bo-eun")],
    )


def test_article_page_describes_the_article(client, demo):
    head = page(client, demo.get_absolute_url())
    url = "http://testserver" + demo.get_absolute_url()

    assert head.one("description") == demo.excerpt
    assert demo.excerpt.startswith("Denuclearization talks")
    assert head.one("og:type") == "article"
    assert head.one("og:title") == demo.title
    assert head.one("og:description") == demo.excerpt
    assert head.one("og:url") == url
    assert head.one("og:site_name") == "半岛新闻网"
    assert head.one("og:locale") == "en_US"
    assert head.one("og:image").startswith("http://testserver/media/images/")
    assert ".fill-1200x630" in head.one("og:image")
    assert head.one("article:published_time") == "2024-09-22T01:36:59+08:00"
    assert head.one("article:section") == "产品中心"
    assert sorted(head.meta["article:tag"]) == ["summit", "朝鲜"]
    assert head.one("twitter:card") == "summary_large_image"
    assert head.one("twitter:image") == head.one("og:image")
    assert ("application/rss+xml", "/feeds/rss/") in head.feeds()
    assert ("application/atom+xml", "/feeds/atom/") in head.feeds()
    assert not [link for link in head.links if "hreflang" in link]


def test_article_json_ld_is_a_complete_news_article(client, demo):
    head = page(client, demo.get_absolute_url())
    url = "http://testserver" + demo.get_absolute_url()

    data = head.ld("NewsArticle")
    assert data["@context"] == "https://schema.org"
    assert data["headline"] == demo.title
    assert data["description"] == demo.excerpt
    assert data["datePublished"] == "2024-09-22T01:36:59+08:00"
    assert datetime.fromisoformat(data["dateModified"]) >= PUBLISHED
    assert data["author"] == [
        {"@type": "Person", "name": "Kim Bo-eun", "url": "http://testserver/author/kim-bo-eun/"}
    ]
    assert data["publisher"]["@type"] == "Organization"
    assert data["publisher"]["name"] == "半岛新闻网"
    assert data["publisher"]["logo"]["url"].startswith("http://testserver/media/images/")
    assert data["image"] == [head.one("og:image")]
    assert data["inLanguage"] == "en"
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["articleSection"] == "产品中心"
    crumbs = head.ld("BreadcrumbList")["itemListElement"]
    assert [c["name"] for c in crumbs] == ["半岛新闻网", "新闻", "产品中心", demo.title]
    assert crumbs[-1]["item"] == url


def test_translated_article_has_hreflang_alternates(client, demo):
    chinese = ArticleFactory(title="无核化谈判或因金正恩获得动力", category=demo.category)
    chinese.translation = demo
    chinese.save()

    head = page(client, demo.get_absolute_url())

    alternates = {link["hreflang"]: link["href"] for link in head.links if "hreflang" in link}
    assert alternates == {
        "en": "http://testserver" + demo.get_absolute_url(),
        "zh": "http://testserver" + chinese.get_absolute_url(),
    }


def render_tag(source, rf, path="/", **context):
    request = rf.get(path)
    html = engines["jinja2"].from_string(source).render({"request": request, **context})
    return Head(html)


def test_byline_credits_the_author_when_none_is_linked(rf, db):
    article = ArticleFactory(byline="By Kim Bo-eun")
    head = render_tag("{{ article_head(article) }}", rf, article=article)
    assert head.ld("NewsArticle")["author"] == [{"@type": "Person", "name": "Kim Bo-eun"}]
    assert head.one("twitter:card") == "summary"
    assert "og:image" not in head.meta


def test_json_ld_cannot_close_its_script_element(rf, db):
    title = "</script><script>alert(1)</script> & <b>"
    article = ArticleFactory(title=title)

    html = (
        engines["jinja2"]
        .from_string("{{ article_head(article) }}")
        .render({"request": rf.get("/"), "article": article})
    )

    scripts = html.split('<script type="application/ld+json">')[1:]
    assert all("</script" not in s.split("</script>")[0].lower() for s in scripts)
    assert "<" not in scripts[0].split("</script>")[0]
    assert Head(html).ld("NewsArticle")["headline"] == title


def test_home_page_has_website_search_action_and_breadcrumbs(client, demo):
    head = page(client, "/")

    website = head.ld("WebSite")
    assert website["url"] == "http://testserver/"
    action = website["potentialAction"]
    assert action["@type"] == "SearchAction"
    assert action["target"]["urlTemplate"] == "http://testserver/search/?q={search_term_string}"
    assert action["query-input"] == "required name=search_term_string"
    crumbs = head.ld("BreadcrumbList")["itemListElement"]
    assert crumbs == [
        {"@type": "ListItem", "position": 1, "name": "半岛新闻网", "item": "http://testserver/"}
    ]
    assert head.feeds() == [
        ("application/rss+xml", "/feeds/rss/"),
        ("application/atom+xml", "/feeds/atom/"),
    ]


def test_category_page_adds_its_feeds_and_breadcrumbs(client, demo):
    head = page(client, "/product/")

    assert ("application/rss+xml", "/feeds/rss/") in head.feeds()
    assert ("application/rss+xml", "/feeds/rss/category/product/") in head.feeds()
    assert ("application/atom+xml", "/feeds/atom/category/product/") in head.feeds()
    crumbs = head.ld("BreadcrumbList")["itemListElement"]
    assert [(c["position"], c["name"], c["item"]) for c in crumbs] == [
        (1, "半岛新闻网", "http://testserver/"),
        (2, "新闻", "http://testserver/news/"),
        (3, "产品中心", "http://testserver/product/"),
    ]
    assert head.ld("WebSite")["potentialAction"]["@type"] == "SearchAction"
    assert head.one("og:type") == "website"


def test_tag_and_author_pages_advertise_their_feeds(client, demo):
    tag_head = page(client, "/tag/summit/")
    assert ("application/rss+xml", "/feeds/rss/tag/summit/") in tag_head.feeds()
    author_head = page(client, "/author/kim-bo-eun/")
    assert ("application/atom+xml", "/feeds/atom/author/kim-bo-eun/") in author_head.feeds()
    assert not author_head.json_ld


def test_other_pages_have_the_site_feed(client, demo):
    head = page(client, "/search/?q=Kim")
    assert ("application/rss+xml", "/feeds/rss/") in head.feeds()


def test_a_listing_head_follows_its_category_and_the_host_asked(client, demo, settings):
    """A listing's head is kept once per version of what it shows: an edited category and
    another host name are new heads, never the old one."""
    settings.ALLOWED_HOSTS = ["testserver", "news.example"]
    assert page(client, "/product/").one("og:description") == "产品中心栏目的最新文章"
    product = demo.category
    product.name, product.description = "产品", "新产品的报道"
    product.save()
    head = page(client, "/product/")
    assert head.one("og:description") == "新产品的报道"
    assert head.ld("BreadcrumbList")["itemListElement"][-1]["name"] == "产品"
    elsewhere = Head(client.get("/product/", HTTP_HOST="news.example").content.decode())
    assert elsewhere.one("og:url") == "http://news.example/product/"
    assert page(client, "/product/").one("og:url") == "http://testserver/product/"
