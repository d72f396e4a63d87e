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
