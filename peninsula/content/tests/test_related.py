"""Stored related lists (相关文章): written with the "articles changed" event, read in one query."""

import io

import pytest
from django.core.management import call_command
from django.test import TestCase

from peninsula.content.models import Article, RelatedArticle
from peninsula.content.services import article_publish, article_unpublish
from peninsula.content.tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def stored(article):
    rows = RelatedArticle.objects.filter(article=article).order_by("rank")
    return list(rows.values_list("related_id", flat=True))


def shown(client, article):
    """The titles in the article page's related section."""
    html = client.get(article.get_absolute_url()).content.decode()
    if 'class="related"' not in html:
        return []
    start = html.index('class="related"')
    section = html[start : html.index("</section>", start)]
    titles = [a.title for a in Article.objects.all() if f">{a.title}<" in section]
    return sorted(titles, key=lambda title: section.index(f">{title}<"))


def test_a_published_article_lists_what_shares_its_tags_and_older_lists_gain_it(client):
    older = ArticleFactory(title="旧闻", tags=["朝鲜"])
    assert stored(older) == []
    newer = ArticleFactory(title="新闻", tags=["朝鲜"])
    assert stored(newer) == [older.pk]
    # The older article's list gains the new story, and its page shows it.
    assert stored(older) == [newer.pk]
    assert shown(client, older) == ["新闻"]


def test_the_list_follows_the_article_when_its_tags_change(client):
    article = ArticleFactory(title="主文", tags=["朝鲜"])
    korea = ArticleFactory(title="朝鲜新闻", tags=["朝鲜"])
    economy = ArticleFactory(title="经济新闻", tags=["经济"])
    assert stored(article) == [korea.pk]

    with TestCase.captureOnCommitCallbacks(execute=True):
        article.tags.set(["经济"])
        article.save()
    assert stored(article) == [economy.pk]
    assert shown(client, article) == ["经济新闻"]
    # And it leaves the list of the article it no longer shares a tag with.
    assert article.pk not in stored(korea)
    assert article.pk in stored(economy)


def test_an_unpublished_article_leaves_every_list_it_was_in(client):
    article = ArticleFactory(title="主文", tags=["朝鲜", "外交"])
    leaving = ArticleFactory(title="将撤下", tags=["朝鲜", "外交"])
    staying = ArticleFactory(title="留下", tags=["朝鲜"])
    assert stored(article) == [leaving.pk, staying.pk]
    assert shown(client, article) == ["将撤下", "留下"]

    with TestCase.captureOnCommitCallbacks(execute=True):
        article_unpublish(article=leaving)
    assert stored(article) == [staying.pk]
    assert shown(client, article) == ["留下"]
    assert stored(leaving) == []  # a draft keeps no list

    # Published again, it is back where it was.
    leaving.refresh_from_db()
    with TestCase.captureOnCommitCallbacks(execute=True):
        article_publish(article=leaving)
    assert stored(article) == [leaving.pk, staying.pk]


def test_a_deleted_article_takes_its_rows_along():
    article = ArticleFactory(tags=["朝鲜"])
    other = ArticleFactory(tags=["朝鲜"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        other.delete()
    assert stored(article) == []
    assert not RelatedArticle.objects.filter(related_id=other.pk).exists()


def test_refresh_related_fills_the_lists_of_an_upgraded_site():
    first = ArticleFactory(tags=["朝鲜"])
    second = ArticleFactory(tags=["朝鲜"])
    RelatedArticle.objects.all().delete()
    call_command("refresh_related", stdout=io.StringIO())
    assert stored(first) == [second.pk]
    assert stored(second) == [first.pk]
