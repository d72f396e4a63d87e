"""Migrations that fill derived rows do so for a site that already has articles."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("content", "0002_newsroom_roles_and_review")]
AFTER = [("content", "0003_listing_rows")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def _latest_schema_after():
    """Later tests need every migration, including those after AFTER."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_listing_rows_are_filled_for_existing_articles():
    old = migrate(BEFORE)
    category = old.get_model("content", "Category")
    world = category.objects.create(name="国际", slug="world")
    asia = category.objects.create(name="亚太", slug="asia", parent=world)
    published_at = timezone.now() - datetime.timedelta(days=2)
    article = old.get_model("content", "Article").objects.create(
        title="Before the migration", category=asia, live=True, published_at=published_at
    )
    tag = old.get_model("taggit", "Tag").objects.create(name="朝鲜", slug="dprk")
    old.get_model("content", "ArticleTag").objects.create(content_object=article, tag=tag)

    new = migrate(AFTER)
    tag_row = new.get_model("content", "ArticleTag").objects.get()
    assert tag_row.published_at == published_at
    placements = new.get_model("content", "ArticlePlacement").objects.filter(article_id=article.pk)
    assert set(placements.values_list("category_id", "published_at")) == {
        (asia.pk, published_at),
        (world.pk, published_at),
    }


@pytest.mark.django_db(transaction=True)
def test_recent_articles_get_their_fingerprint():
    from peninsula.content.models import Article

    old = migrate([("content", "0004_provenance")])
    category = old.get_model("content", "Category").objects.create(name="国际", slug="world")
    body = "<p>" + "韩国和朝鲜代表周五在板门店举行会谈，双方就缓和军事紧张局势交换了意见。" * 3
    articles = old.get_model("content", "Article").objects
    recent = articles.create(title="会谈", body=body, category=category)
    long_ago = timezone.now() - datetime.timedelta(days=90)
    older = articles.create(title="旧闻", body=body, category=category)
    articles.filter(pk=older.pk).update(created_at=long_ago, published_at=long_ago)
    fingerprints = migrate([("content", "0005_article_fingerprint")]).get_model(
        "content", "Article"
    )
    assert fingerprints.objects.get(pk=recent.pk).simhash == Article.fingerprint_for(
        title="会谈", body=body
    )
    assert fingerprints.objects.get(pk=older.pk).simhash is None
