"""A republished article names where it comes from: on its page, in JSON-LD, feeds and the API."""

import pytest

from peninsula.content.tests.factories import SourceFactory

from .factories import make_article
from .test_head import Head

ORIGINAL = "https://www.koreatimes.co.kr/www/nation/2018/08/103_253283.html"


@pytest.fixture
def republished(site_settings):
    return make_article(
        title="朝鲜半岛无核化谈判或将加速",
        byline="Kim Bo-eun",
        source=SourceFactory(name="The Korea Times", url="https://www.koreatimes.co.kr/"),
        source_url=ORIGINAL,
        original_title="Denuke talks may gain impetus with Kim",
        original_author="Kim Bo-eun",
        responsible_editor="张明",
    )


def test_the_article_page_shows_the_provenance_lines(client, republished, site_settings):
    html = client.get(republished.get_absolute_url()).content.decode()
    assert 'class="article__source"' in html and "The Korea Times" in html
    assert f'<a href="{ORIGINAL}" rel="noopener">{ORIGINAL}</a>' in html
    assert "Denuke talks may gain impetus with Kim" in html  # it differs from the title
    assert 'class="article__original-author"' not in html  # the same as the byline
    assert 'class="article__editor"' in html and "张明" in html
    head = Head(html)
    assert head.ld("NewsArticle")["isBasedOn"] == {
        "@type": "NewsArticle",
        "url": ORIGINAL,
        "headline": "Denuke talks may gain impetus with Kim",
        "author": {"@type": "Person", "name": "Kim Bo-eun"},
        "publisher": {"@type": "Organization", "name": "The Korea Times"},
    }
    [canonical] = [link["href"] for link in head.links if link.get("rel") == "canonical"]
    assert canonical.endswith(republished.get_absolute_url())


def test_the_canonical_link_may_name_the_original(client, republished, site_settings):
    site_settings.republished_canonical = "original"
    site_settings.save()
    head = Head(client.get(republished.get_absolute_url()).content.decode())
    assert [link["href"] for link in head.links if link.get("rel") == "canonical"] == [ORIGINAL]


def test_own_articles_have_no_provenance_lines(client, site_settings):
    article = make_article(title="本网原创")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "article__origin" not in html and "isBasedOn" not in html


def test_feeds_carry_the_source(client, republished):
    rss = client.get("/feeds/rss/").content.decode()
    assert f'<source url="{ORIGINAL}">The Korea Times</source>' in rss
    atom = client.get("/feeds/atom/").content.decode()
    assert f'<link href="{ORIGINAL}" rel="via" title="The Korea Times"/>' in atom


def test_the_api_carries_the_provenance(client, republished):
    data = client.get(f"/api/v1/articles/{republished.pk}").json()
    assert data["source"] == {"name": "The Korea Times", "url": "https://www.koreatimes.co.kr/"}
    assert data["source_url"] == ORIGINAL
    assert data["original_title"] == "Denuke talks may gain impetus with Kim"
    assert data["responsible_editor"] == "张明"
