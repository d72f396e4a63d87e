"""Parts of the reader's pages come from the fragment memo; none of them may show stale content."""

import pytest
from django.core.cache import cache

from peninsula.content.models import Article, Category
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.core import fragments

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_caches():
    cache.clear()
    fragments.forget_all()
    yield
    cache.clear()
    fragments.forget_all()


@pytest.fixture
def article():
    world = CategoryFactory(name="国际", slug="world")
    asia = CategoryFactory(name="亚太", slug="asia", parent=world)
    return ArticleFactory(
        title="Summit in Hanoi", body="<p>Leaders meet.</p>", category=asia, views=3
    )


def test_a_changed_article_shows_at_once_in_cards_blocks_and_related_lists(
    client, article, django_capture_on_commit_callbacks
):
    other = ArticleFactory(title="Talks resume", category=article.category)
    pages = ["/", "/world/", "/asia/", other.get_absolute_url()]
    for url in pages:
        assert "Summit in Hanoi" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Summit in Singapore"
        article.save()
    for url in pages:
        html = client.get(url).content.decode()
        assert "Summit in Singapore" in html and "Summit in Hanoi" not in html


def test_a_new_view_count_shows_at_once_on_the_cards(client, article):
    assert "3 次阅读" in client.get("/world/").content.decode()
    Article.objects.filter(pk=article.pk).update(views=12)
    assert "12 次阅读" in client.get("/world/").content.decode()


def test_a_renamed_category_shows_at_once_in_the_navigation_and_breadcrumbs(client, article):
    assert "国际" in client.get(article.get_absolute_url()).content.decode()
    world = Category.objects.get(slug="world")
    world.name = "世界"
    world.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/world/" aria-current="true">世界</a>' in html
    assert '<a href="/world/">世界</a>' in html  # the footer and the breadcrumbs
    assert "亚太" in html
    asia = Category.objects.get(slug="asia")
    asia.name = "亚洲"
    asia.save()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "亚太" not in html and '<a href="/asia/">亚洲</a>' in html


def test_the_marked_navigation_item_follows_the_page(client, article):
    home = client.get("/").content.decode()
    world = client.get("/world/").content.decode()
    assert 'href="/" aria-current="page"' in home and 'aria-current="true"' not in home
    assert 'href="/world/" aria-current="true"' in world
    assert 'href="/" aria-current="page"' not in world


def test_pages_in_another_language_get_their_own_fragments(client, article):
    assert "3 次阅读" in client.get("/world/").content.decode()
    client.cookies["django_language"] = "en"
    html = client.get("/world/").content.decode()
    assert "3 views" in html and "次阅读" not in html
