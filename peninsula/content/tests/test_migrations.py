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


@pytest.mark.django_db(transaction=True)
def test_authors_become_ordered_credits_in_articles_and_their_revisions():
    """Every article keeps its authors, in the order readers saw them (by name), credited
    for the text; a revision's authors become the same credits, so publishing it keeps them."""
    old = migrate([("content", "0008_article_comment_count")])
    category = old.get_model("content", "Category").objects.create(name="国际", slug="world")
    author = old.get_model("content", "Author")
    wang = author.objects.create(name="王小明", slug="wang")
    li = author.objects.create(name="李华", slug="li")
    kim = author.objects.create(name="Kim", slug="kim")
    articles = old.get_model("content", "Article").objects
    links = old.get_model("content", "Article").authors.through.objects
    shared = articles.create(title="合写", category=category)
    for person in (wang, li, kim):
        links.create(article=shared, author=person)
    alone = articles.create(title="独写", category=category)
    links.create(article=alone, author=li)
    nobody = articles.create(title="无名", category=category)
    content_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="content", model="article"
    )
    revision = old.get_model("wagtailcore", "Revision").objects.create(
        content_type=content_type,
        base_content_type=content_type,
        object_id=str(shared.pk),
        object_str="合写",
        created_at=timezone.now(),
        content={"pk": shared.pk, "title": "合写", "authors": [wang.pk, kim.pk]},
    )

    new = migrate([("content", "0009_article_author_credits")])
    credits = new.get_model("content", "ArticleAuthor").objects.order_by("article_id", "sort_order")
    by_name = list(author.objects.order_by("name").values_list("pk", flat=True))
    assert [(c.article_id, c.author_id, c.role) for c in credits] == [
        *((shared.pk, pk, "text") for pk in by_name),
        (alone.pk, li.pk, "text"),
    ]
    assert not credits.filter(article_id=nobody.pk).exists()
    content = new.get_model("wagtailcore", "Revision").objects.get(pk=revision.pk).content
    assert "authors" not in content
    two = [pk for pk in by_name if pk in (wang.pk, kim.pk)]
    assert [(c["author"], c["role"], c["sort_order"]) for c in content["credits"]] == [
        (two[0], "text", 0),
        (two[1], "text", 1),
    ]

    back = migrate([("content", "0008_article_comment_count")])
    restored = back.get_model("content", "Article").objects.get(pk=shared.pk)
    assert set(restored.authors.values_list("pk", flat=True)) == {wang.pk, li.pk, kim.pk}


@pytest.mark.django_db(transaction=True)
def test_articles_already_written_get_their_reading_time():
    from peninsula.core.text import reading_minutes

    old = migrate([("content", "0009_article_author_credits")])
    category = old.get_model("content", "Category").objects.create(name="国际", slug="world")
    articles = old.get_model("content", "Article").objects
    bodies = ["", "<p>" + "朝" * 1200 + "</p>", "<p>" + "word " * 700 + "</p>"]
    pks = [
        articles.create(title=f"旧稿{i}", body=body, category=category).pk
        for i, body in enumerate(bodies)
    ]

    new = migrate([("content", "0010_article_reading_minutes")]).get_model("content", "Article")
    assert (
        [new.objects.get(pk=pk).reading_minutes for pk in pks]
        == [reading_minutes(body) for body in bodies]
        == [1, 3, 4]
    )
