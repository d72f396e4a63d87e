"""The real reader pages through the page cache: one cached address per page, and purges that
reach it whatever script its tag, category or author is named in."""

from urllib.parse import quote

import pytest
from django.utils import timezone
from taggit.models import Tag

from peninsula.content.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from peninsula.core.models import SiteSettings

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings, wsgi):
    settings.ROOT_URLCONF = "config.urls"
    SiteSettings.objects.create(site_name="半岛新闻网")
    return wsgi


@pytest.fixture
def article(site):
    return ArticleFactory(
        pk=39,
        title="Denuke talks",
        category=CategoryFactory(name="朝鲜", slug="chaoxian"),
        tags=["korea"],
        published_at=timezone.make_aware(timezone.datetime(2024, 3, 22, 1, 36)),
    )


@pytest.mark.parametrize(
    "path, status, location",
    [
        ("/chaoxian/039.html", 301, "/chaoxian/39.html"),
        ("/chaoxian/0000039.html", 301, "/chaoxian/39.html"),
        ("/Chaoxian/39.html", 301, "/chaoxian/39.html"),
        ("/archive/2024/3/", 301, "/archive/2024/03/"),
        ("/archive/2024/003/", 404, None),
        ("/archive/02024/", 404, None),
        ("/chaoxian/?page=01", 404, None),
        ("/tag/korea", 301, "/tag/korea/"),
        ("/tag/Korea/", 404, None),
        ("/feeds/rss/tag/Korea/", 404, None),
    ],
)
def test_another_spelling_of_an_address_redirects_or_is_missing_and_is_never_stored(
    site, article, path, status, location
):
    first = site(path)
    assert (first.status, first.headers.get("Location")) == (status, location)
    assert site(path).cache != "HIT"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/chaoxian/",
        "/chaoxian/39.html",
        "/tag/korea/",
        "/archive/2024/",
        "/archive/2024/03/",
        "/feeds/rss/",
        "/feeds/atom/tag/korea/",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_canonical_addresses_are_cached(site, article, path):
    assert site(path).cache == "MISS"
    assert (site(path).status, site(path).cache) == (200, "HIT")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE"])
@pytest.mark.parametrize("path", ["/", "/chaoxian/39.html", "/feeds/rss/", "/search/?q=x"])
def test_reader_pages_refuse_writes_with_a_message(site, article, path, method):
    reply = site(path, method=method)
    assert (reply.status, reply.headers["Allow"]) == (405, "GET, HEAD")
    assert "<h1>此页面只能读取。</h1>" in reply.body


TAGS = ["测试标签", "Mixed混合-1", "a b?c#d%e+f&g;=@", "%41", "A"]


@pytest.mark.parametrize("slug", TAGS)
def test_purges_reach_tag_pages_named_in_any_script(
    site, article, slug, django_capture_on_commit_callbacks
):
    tag = Tag.objects.create(name=f"tag {slug}", slug=slug)
    with django_capture_on_commit_callbacks(execute=True):
        article.tags.add(tag)
        article.save()
    path = f"/tag/{quote(slug, safe='')}/"
    assert "Denuke talks" in site(path).body
    assert site(path).cache == "HIT"
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Talks resume"
        article.save()
    reply = site(path)
    assert (reply.cache, "Talks resume" in reply.body) == ("MISS", True)


@pytest.mark.parametrize("name", ["朝鲜半岛", "Korea 半岛", "K&R: a/b?"])
def test_purges_reach_category_and_author_pages_named_in_any_script(
    site, article, name, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        category = CategoryFactory(name=name, slug=None)
        author = AuthorFactory(name=name)
        article.category = category
        article.authors.set([author])
        article.save()
    pages = [category.get_absolute_url(), author.get_absolute_url()]
    for path in pages:
        assert "Denuke talks" in site(path).body
        assert site(path).cache == "HIT", path
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Talks resume"
        article.save()
    for path in pages:
        reply = site(path)
        assert (reply.cache, "Talks resume" in reply.body) == ("MISS", True), path
