"""What readers may see, the category tree, and the QuerySet methods the pages are built on."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from peninsula.content.models import Article, Category, Correction, RelatedArticle
from peninsula.content.queries import RELATED_COUNT, article_around, article_for_page
from peninsula.content.services import articles_related_refresh
from peninsula.content.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory
from peninsula.content.tree import category_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def tree_rows():
    world = CategoryFactory(name="国际", slug="world", sort_order=2)
    asia = CategoryFactory(name="亚太", slug="asia", parent=world)
    korea = CategoryFactory(name="朝鲜半岛", slug="korea", parent=asia)
    hidden = CategoryFactory(name="内部", slug="internal", parent=world, in_navigation=False)
    tech = CategoryFactory(name="科技", slug="tech", sort_order=1)
    return world, asia, korea, hidden, tech


def test_a_live_article_saved_without_a_time_is_dated_by_its_go_live_time():
    category = CategoryFactory()
    article = Article(title="Now", category=category, live=True)
    article.save()
    assert article.published_at is not None
    go_live = article.published_at.replace(year=2020)
    scheduled = Article(title="Later", category=category, live=True, go_live_at=go_live)
    scheduled.save()
    assert scheduled.published_at == go_live
    draft = Article(title="Draft", category=category, live=False)
    draft.save()
    assert draft.published_at is None


def test_published_excludes_drafts_scheduled_and_expired_articles():
    now = timezone.now()
    shown = ArticleFactory()
    ArticleFactory(live=False)
    ArticleFactory(published_at=now + datetime.timedelta(minutes=5))
    ArticleFactory(expire_at=now - datetime.timedelta(minutes=5))
    assert list(Article.objects.published()) == [shown]


def test_tree_gives_breadcrumb_chain_descendants_and_roots(tree_rows):
    world, asia, korea, hidden, tech = tree_rows
    tree = category_tree()
    assert tree.ancestors_and_self(korea.pk) == [world, asia, korea]
    assert sorted(tree.descendant_ids(world.pk)) == sorted([world.pk, asia.pk, korea.pk, hidden.pk])
    assert tree.root_id(korea.pk) == world.pk
    assert tree.roots() == [tech, world]


def test_navigation_lists_shown_roots_with_their_shown_children(tree_rows):
    world, asia, _korea, _hidden, tech = tree_rows
    assert category_tree().navigation == [(tech, []), (world, [asia])]


def test_tree_is_cached_and_forgotten_when_a_category_changes(tree_rows, django_assert_num_queries):
    world = tree_rows[0]
    category_tree()
    with django_assert_num_queries(0):
        category_tree()
    world.name = "环球"
    world.save()
    assert category_tree().by_id[world.pk].name == "环球"
    CategoryFactory(name="新栏目", slug="new", parent=world)
    assert "new" in category_tree().by_slug


def test_tree_rereads_when_asked_for_a_category_it_lacks(tree_rows):
    category_tree()
    created = Category.objects.bulk_create([Category(name="别处", slug="elsewhere")])[0]
    assert created.pk not in category_tree()  # as another process's save would leave it
    assert created.pk in category_tree(must_contain=created.pk)


def around(article):
    return article_around(article_for_page(article.pk, now=timezone.now()))


def test_neighbours_order_by_time_then_id():
    category = CategoryFactory()
    at = timezone.now() - datetime.timedelta(hours=2)
    first = ArticleFactory(category=category, published_at=at)
    second = ArticleFactory(category=category, published_at=at)
    third = ArticleFactory(category=category, published_at=at + datetime.timedelta(minutes=1))
    ArticleFactory(published_at=at)  # another category's

    def pks(article):
        previous, following, _related = around(article)
        return (previous and previous.pk, following and following.pk)

    assert pks(second) == (first.pk, third.pk)
    assert pks(first) == (None, second.pk)
    assert pks(third) == (second.pk, None)
    previous, _following, _related = around(second)
    assert previous.title == first.title
    assert previous.published_at == first.published_at  # a time read from JSON, aware
    assert previous.get_absolute_url() == first.get_absolute_url()


def test_neighbours_and_related_come_with_the_article_each_list_whole(django_assert_num_queries):
    """上一篇, 下一篇 and the related list are read with the article; a row can be in two of
    them, and a neighbour further down the stored related list than the page shows is only a
    neighbour."""
    category, other = CategoryFactory(), CategoryFactory()
    at = timezone.now() - datetime.timedelta(days=1)
    article = ArticleFactory(category=category, published_at=at, tags=["港口"])
    previous = ArticleFactory(
        category=category, published_at=at - datetime.timedelta(hours=1), tags=["港口"]
    )
    ArticleFactory(category=category, published_at=at - datetime.timedelta(hours=2))  # older
    ArticleFactory(category=category, published_at=at - datetime.timedelta(minutes=1), live=False)
    following = ArticleFactory(category=category, published_at=at + datetime.timedelta(hours=1))
    child = ArticleFactory(
        category=CategoryFactory(parent=category), published_at=at + datetime.timedelta(minutes=1)
    )
    tagged = [
        ArticleFactory(category=other, published_at=at - datetime.timedelta(hours=3 + n),
                       tags=["港口"])
        for n in range(RELATED_COUNT)
    ]  # fmt: skip
    articles_related_refresh(ids=[article.pk])
    stored = list(
        RelatedArticle.objects.filter(article=article)
        .order_by("rank")
        .values_list("related", flat=True)
    )
    assert stored[0] == previous.pk and following.pk in stored[RELATED_COUNT:]

    with django_assert_num_queries(1):
        found = around(article)
    older, newer, related = found
    assert (older.pk, newer.pk) == (previous.pk, following.pk)
    assert [link.pk for link in related] == stored[:RELATED_COUNT]
    assert child.pk not in [link.pk for link in (older, newer, *related)]
    assert tagged[0].pk in [link.pk for link in related]

    previous.live = False
    previous.save()
    older, _newer, related = around(article)
    assert older.pk != previous.pk and previous.pk not in [link.pk for link in related]


def test_related_to_ranks_shared_tags_then_fills_from_the_category():
    category = CategoryFactory()
    article = ArticleFactory(category=category, tags=["a", "b"])
    both = ArticleFactory(tags=["a", "b"], published_at=timezone.now() - datetime.timedelta(3))
    newer_one = ArticleFactory(tags=["b"])
    older_one = ArticleFactory(tags=["a"], published_at=timezone.now() - datetime.timedelta(2))
    same_category = ArticleFactory(category=category)
    ArticleFactory(category=category, live=False)
    related = list(Article.objects.published().related_to(article)[:10])
    assert related == [both, newer_one, older_one, same_category]
    assert list(Article.objects.published().related_to(article)[:2]) == [both, newer_one]


def test_related_to_without_tags_uses_the_category_only():
    category = CategoryFactory()
    article = ArticleFactory(category=category)
    neighbour = ArticleFactory(category=category)
    ArticleFactory()
    assert list(Article.objects.published().related_to(article)) == [neighbour]


def test_article_for_page_reads_the_article_and_each_kind_of_child_it_has(
    django_assert_num_queries,
):
    """The article with its credits (with their authors) and tags, and whether it has each
    kind of the rarer child rows; then one query for the corrections it has, none for the
    gallery it lacks. Reading them again from the article costs nothing."""
    zhang, li = AuthorFactory(name="张三"), AuthorFactory(name="李四")
    article = ArticleFactory(tags=["b", "a"], authors=[zhang, (li, "translation")])
    Correction.objects.create(article=article, text="更正")
    with django_assert_num_queries(2):
        loaded = article_for_page(article.pk, now=timezone.now())
        assert loaded.category.slug
        assert loaded.ordered_authors() == [zhang, li]
        assert [c.role for c in loaded.credits.all()] == ["text", "translation"]
        assert [t.name for t in loaded.tags.all()] == ["b", "a"]
        assert [c.text for c in loaded.corrections.all()] == ["更正"]
        assert list(loaded.gallery_images.all()) == []


def test_an_article_without_children_is_read_in_one_query(django_assert_num_queries):
    article = ArticleFactory()
    with django_assert_num_queries(1):
        loaded = article_for_page(article.pk, now=timezone.now())
        assert loaded.category.slug and loaded.ordered_authors() == []
        assert [*loaded.tags.all(), *loaded.corrections.all(), *loaded.gallery_images.all()] == []


def test_article_for_page_is_none_for_what_readers_may_not_see():
    now = timezone.now()
    draft = ArticleFactory(live=False)
    expired = ArticleFactory(expire_at=now - datetime.timedelta(minutes=1))
    future = ArticleFactory(published_at=now + datetime.timedelta(minutes=1))
    assert article_for_page(draft.pk, now=now) is None
    assert article_for_page(expired.pk, now=now) is None
    assert article_for_page(future.pk, now=now) is None
    assert article_for_page(future.pk, now=now + datetime.timedelta(minutes=2)).pk == future.pk
    assert article_for_page(10**9, now=now) is None


def test_saving_an_article_keeps_its_tags_and_authors():
    author = AuthorFactory()
    article = ArticleFactory(tags=["a"], authors=[author])
    article = Article.objects.get(pk=article.pk)
    article.title = "New title"
    article.tags.add("b")
    article.save()
    article = Article.objects.get(pk=article.pk)
    assert {t.name for t in article.tags.all()} == {"a", "b"}
    assert list(article.authors.all()) == [author]
    assert article.ordered_authors() == [author]


def test_article_url_holds_its_id_under_the_category_slug():
    article = ArticleFactory(category=CategoryFactory(slug="world"))
    assert article.get_absolute_url() == f"/world/{article.pk}.html"
