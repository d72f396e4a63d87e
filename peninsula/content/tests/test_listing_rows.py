"""Tag and category pages list articles from rows that copy each article's publication time:
ArticleTag and ArticlePlacement. These tests hold the copies to the articles they list."""

import datetime
import html
import json
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag

from peninsula.content.models import Article, ArticlePlacement, ArticleTag
from peninsula.content.services import article_move
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.ingestion.jsonl import import_jsonl

pytestmark = pytest.mark.django_db


def tag_times(article):
    return set(
        ArticleTag.objects.filter(content_object=article).values_list("published_at", flat=True)
    )


def listed(response):
    """The addresses of the articles a listing page shows, in order."""
    assert response.status_code == 200
    return re.findall(r'<h3 class="card__title"><a href="([^"]+)"', response.content.decode())


def walk_older(client, path):
    """Every article of a listing, following its "older" links from the first page."""
    seen, url = [], path
    while url:
        response = client.get(url)
        seen += listed(response)
        older = re.search(
            r'<a class="pagination__older" rel="next" href="([^"]+)"', response.content.decode()
        )
        url = html.unescape(older[1]) if older else None
    return seen


def urls(articles):
    return [article.get_absolute_url() for article in articles]


@pytest.fixture
def tagged_articles():
    now = timezone.now()
    rows = [
        ArticleFactory(tags=tags, published_at=now - datetime.timedelta(hours=n))
        for n, tags in enumerate([["a"], ["a", "b"], ["b"], ["a"], [], ["a", "b"]])
    ]
    ArticleFactory(tags=["a"], live=False)
    ArticleFactory(tags=["a"], published_at=now + datetime.timedelta(days=1))
    return rows


def test_tagged_lists_the_published_articles_newest_first(tagged_articles):
    tag = Tag.objects.get(name="a")
    found = list(Article.objects.published().tagged(tag.pk).latest())
    assert found == [tagged_articles[i] for i in (0, 1, 3, 5)]


def test_tag_pages_walk_by_cursor_without_repeats(client, tagged_articles, settings):
    settings.PENINSULA_PAGE_SIZE = 1
    assert walk_older(client, "/tag/a/") == urls(tagged_articles[i] for i in (0, 1, 3, 5))


def test_a_tag_listing_reads_the_tag_index_not_the_articles_time(tagged_articles):
    tag = Tag.objects.get(name="a")
    with CaptureQueriesContext(connection) as queries:
        list(Article.objects.published().tagged(tag.pk).latest()[:20])
    sql = queries.captured_queries[-1]["sql"]
    assert 'ORDER BY "content_articletag"."published_at" DESC' in sql


def test_tag_rows_follow_the_article_publication_time():
    article = ArticleFactory(tags=["a", "b"])
    assert tag_times(article) == {article.published_at}
    later = article.published_at + datetime.timedelta(hours=5)
    article.published_at = later
    article.save()
    assert tag_times(article) == {later}
    article.tags.add("c")
    article.save()
    assert tag_times(article) == {later}


def test_publishing_a_revision_moves_the_tag_rows():
    article = ArticleFactory(tags=["a"])
    moved = article.published_at - datetime.timedelta(days=3)
    article.published_at = moved
    article.save_revision().publish()
    assert tag_times(article) == {moved}


def test_imported_articles_carry_the_time_on_their_tag_rows():
    record = {
        "external_id": "wire-1",
        "title": "Tagged on import",
        "body": "<p>Body</p>",
        "category": "World",
        "tags": ["x", "y"],
        "published_at": "2024-03-01T08:00:00+08:00",
    }
    assert import_jsonl([json.dumps(record)]).ok
    article = Article.objects.get(external_id="wire-1")
    assert tag_times(article) == {article.published_at}
    record["published_at"] = "2024-03-02T08:00:00+08:00"
    assert import_jsonl([json.dumps(record)]).ok
    article.refresh_from_db()
    assert article.published_at.day == 2
    assert tag_times(article) == {article.published_at}


def test_related_to_ranks_by_shared_tags_then_newest():
    category = CategoryFactory()
    article = ArticleFactory(category=category, tags=["a", "b"])
    both = ArticleFactory(tags=["a", "b"], published_at=timezone.now() - datetime.timedelta(3))
    newer_one = ArticleFactory(tags=["b"])
    older_one = ArticleFactory(tags=["a"], published_at=timezone.now() - datetime.timedelta(2))
    ArticleFactory(tags=["a", "b"], live=False)
    related = list(Article.objects.published().related_to(article)[:3])
    assert related == [both, newer_one, older_one]


def test_related_to_fills_up_from_the_category():
    category = CategoryFactory()
    article = ArticleFactory(category=category, tags=["a"])
    tagged = ArticleFactory(tags=["a"])
    neighbour = ArticleFactory(category=category)
    assert list(Article.objects.published().related_to(article)[:3]) == [tagged, neighbour]


def placements(article):
    return set(
        ArticlePlacement.objects.filter(article=article).values_list("category_id", "published_at")
    )


@pytest.fixture
def tree():
    """world > asia > korea, and sports."""
    world = CategoryFactory(slug="world")
    asia = CategoryFactory(slug="asia", parent=world)
    korea = CategoryFactory(slug="korea", parent=asia)
    return SimpleNamespace(
        world=world, asia=asia, korea=korea, sports=CategoryFactory(slug="sports")
    )


def test_an_article_is_placed_in_its_category_and_every_one_above(tree):
    article = ArticleFactory(category=tree.korea)
    at = article.published_at
    assert placements(article) == {(tree.korea.pk, at), (tree.asia.pk, at), (tree.world.pk, at)}


def test_placements_follow_an_edit_of_category_or_time(tree):
    article = ArticleFactory(category=tree.korea)
    article.category = tree.sports
    article.published_at -= datetime.timedelta(days=1)
    article.save()
    assert placements(article) == {(tree.sports.pk, article.published_at)}


def test_a_moved_category_takes_its_articles_along(client, tree):
    article = ArticleFactory(category=tree.korea)
    tree.asia.parent = tree.sports
    tree.asia.save()
    at = article.published_at
    assert placements(article) == {(tree.korea.pk, at), (tree.asia.pk, at), (tree.sports.pk, at)}
    assert article.get_absolute_url() in listed(client.get("/sports/"))
    assert article.get_absolute_url() not in listed(client.get("/world/"))


def test_moving_an_article_with_a_pending_draft_moves_its_placements(tree):
    article = ArticleFactory(category=tree.korea)
    article.title = "A change waiting for review"
    article.save_revision()
    article.refresh_from_db()
    article_move(article=article, category=tree.sports)
    assert {c for c, _ in placements(article)} == {tree.sports.pk}


def test_category_pages_walk_subcategories_newest_first_by_cursor(client, tree, settings):
    now = timezone.now()
    filed = [tree.korea, tree.world, tree.asia, tree.sports, tree.korea]
    rows = [
        ArticleFactory(category=c, published_at=now - datetime.timedelta(hours=n))
        for n, c in enumerate(filed)
    ]
    settings.PENINSULA_PAGE_SIZE = 1
    assert walk_older(client, "/world/") == urls(rows[i] for i in (0, 1, 2, 4))


def test_imported_articles_are_placed_under_their_category_path():
    line = json.dumps({"title": "Filed on import", "body": "<p>x</p>", "category": "国际/亚太"})
    assert import_jsonl([line]).ok
    article = Article.objects.get(title="Filed on import")
    chain = {c.pk for c in article.category.ancestors_and_self}
    assert len(chain) == 2
    assert placements(article) == {(pk, article.published_at) for pk in chain}
