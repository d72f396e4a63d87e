"""The two query shapes for a tag's articles (see ArticleQuerySet.tagged) give the same answers."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone
from taggit.models import Tag

from peninsula.content.models import Article, tags_are_common
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def decide(tag_ids, common):
    """Fix the plan choice the way `tags_are_common` caches it."""
    cache.set("content:common-tags:" + ",".join(map(str, sorted(tag_ids))), common)


@pytest.fixture
def tagged_articles():
    now = timezone.now()
    rows = [
        ArticleFactory(tags=tags, published_at=now - datetime.timedelta(hours=n))
        for n, tags in enumerate([["a"], ["a", "b"], ["b"], ["a"], [], ["a", "b"]])
    ]
    ArticleFactory(tags=["a"], live=False)
    return rows


@pytest.mark.parametrize("common", [False, True])
def test_tagged_lists_the_same_articles_with_either_shape(tagged_articles, common):
    tag = Tag.objects.get(name="a")
    decide([tag.pk], common)
    found = list(Article.objects.published().tagged(tag.pk).latest())
    assert found == [tagged_articles[i] for i in (0, 1, 3, 5)]


@pytest.mark.parametrize("common", [False, True])
def test_related_to_ranks_the_same_with_either_shape(common):
    category = CategoryFactory()
    article = ArticleFactory(category=category, tags=["a", "b"])
    both = ArticleFactory(tags=["a", "b"], published_at=timezone.now() - datetime.timedelta(3))
    newer_one = ArticleFactory(tags=["b"])
    older_one = ArticleFactory(tags=["a"], published_at=timezone.now() - datetime.timedelta(2))
    decide(list(article.tags.values_list("pk", flat=True)), common)
    related = Article.objects.published().related_to(article, limit=3)
    assert related == [both, newer_one, older_one]


# The bound is taken from the newest id, so ids must start at 1 (PostgreSQL keeps its sequences
# across tests otherwise), and the cached verdict of an earlier test must go.
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_a_tag_on_most_of_a_small_table_is_common():
    cache.clear()
    # 120 articles: the bound is isqrt(111 * 120) = 115 tagged rows.
    for _ in range(120):
        ArticleFactory(tags=["a"])
    tag = Tag.objects.get(name="a")
    assert tags_are_common([tag.pk])
    assert not tags_are_common([Tag.objects.create(name="rare", slug="rare").pk])
