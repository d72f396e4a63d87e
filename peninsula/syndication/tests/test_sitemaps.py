import xml.etree.ElementTree as ET
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from peninsula.content.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from peninsula.syndication.sitemaps import ArticleSitemap

from .factories import make_article

SM = "http://www.sitemaps.org/schemas/sitemap/0.9"
NS = {"sm": SM, "news": "http://www.google.com/schemas/sitemap-news/0.9"}
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2024, 9, 22, 12, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.usefixtures("site_settings")


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/xml"
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def locs(root):
    return [loc.text for loc in root.findall("sm:url/sm:loc", NS)]


def test_index_names_every_section_with_lastmod(client):
    ArticleFactory()

    root = xml(client, "/sitemap.xml")

    assert root.tag == f"{{{SM}}}sitemapindex"
    sections = [s.findtext("sm:loc", namespaces=NS) for s in root.findall("sm:sitemap", NS)]
    assert sections == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("articles", "news", "categories", "tags", "authors", "topics")
    ]
    lastmod = root.find("sm:sitemap/sm:lastmod", NS).text
    assert datetime.fromisoformat(lastmod).utcoffset().total_seconds() == 8 * 3600


def test_article_sitemap_is_paged_and_listed_page_by_page(client, monkeypatch):
    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    articles = [ArticleFactory() for _ in range(5)]
    ArticleFactory(live=False)

    index = [s.text for s in xml(client, "/sitemap.xml").findall("sm:sitemap/sm:loc", NS)]
    assert index[:3] == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    pages = [locs(xml(client, f"/sitemap-articles.xml?p={p}")) for p in (1, 2, 3)]
    assert [len(p) for p in pages] == [2, 2, 1]
    expected = ["http://testserver" + a.get_absolute_url() for a in reversed(articles)]
    assert [loc for page in pages for loc in page] == expected
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-articles.xml?p=abc").status_code == 404


def test_article_lastmod_is_the_last_change_in_site_time(client):
    with time_machine.travel(NOW, tick=False):
        article = ArticleFactory(published_at=NOW - timezone.timedelta(days=3))

    root = xml(client, "/sitemap-articles.xml")

    [url] = root.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == "http://testserver" + article.get_absolute_url()
    assert url.findtext("sm:lastmod", namespaces=NS) == "2024-09-22T12:00:00+08:00"


def test_news_sitemap_has_the_last_two_days_only(client):
    with time_machine.travel(NOW, tick=False):
        fresh = ArticleFactory(
            title="Denuke talks <may> gain & impetus",
            language="en",
            published_at=NOW - timezone.timedelta(hours=5),
        )
        zh = ArticleFactory(title="朝鲜峰会", published_at=NOW - timezone.timedelta(days=1))
        ArticleFactory(published_at=NOW - timezone.timedelta(days=2, minutes=1))
        ArticleFactory(published_at=NOW - timezone.timedelta(hours=1), live=False)

        root = xml(client, "/sitemap-news.xml")

    urls = root.findall("sm:url", NS)
    assert [u.findtext("sm:loc", namespaces=NS) for u in urls] == [
        "http://testserver" + a.get_absolute_url() for a in (fresh, zh)
    ]
    news = urls[0].find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "半岛新闻网"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:publication_date", namespaces=NS) == "2024-09-22T07:00:00+08:00"
    assert news.findtext("news:title", namespaces=NS) == "Denuke talks <may> gain & impetus"
    assert urls[1].findtext("news:news/news:publication/news:language", namespaces=NS) == "zh-cn"


def test_category_tag_and_author_sitemaps(client):
    news = CategoryFactory(slug="news")
    CategoryFactory(slug="empty")
    kim = AuthorFactory(name="Kim", slug="kim")
    AuthorFactory(name="Nobody", slug="nobody")
    make_article(category=news, tags=["朝鲜"], authors=[kim])
    make_article(category=news, tags=["draft-only"], live=False)

    assert locs(xml(client, "/sitemap-categories.xml")) == [
        "http://testserver/news/",
        "http://testserver/empty/",
    ]
    assert locs(xml(client, "/sitemap-tags.xml")) == ["http://testserver/tag/%E6%9C%9D%E9%B2%9C/"]
    assert locs(xml(client, "/sitemap-authors.xml")) == ["http://testserver/author/kim/"]


def test_unknown_section_is_404(client, db):
    assert client.get("/sitemap-nope.xml").status_code == 404


def test_robots_txt_names_the_sitemaps_and_keeps_crawlers_out_of_admin_and_search(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /search/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


def test_sitemap_queries_are_bounded(client, django_assert_num_queries):
    for _ in range(5):
        ArticleFactory()

    # The page count and the page, plus the site defaults, settings and category tree a request
    # reads after a purge (each new article's purge clears this process's memos).
    with django_assert_num_queries(5):
        xml(client, "/sitemap-articles.xml")
