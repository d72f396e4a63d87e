"""Ordered authors with roles (作者: 文, 译, 摄影, 编辑): edited inline in the article form, kept
in revisions, shown on the page in the editor's order, written in order by the bulk writer."""

import re

import pytest
from wagtail.test.utils.form_data import inline_formset

from peninsula.content.models import Article, ArticleAuthor
from peninsula.content.services import ArticleWrite, articles_bulk_write
from peninsula.content.tests.admin_helpers import article_post, article_url, credits_post
from peninsula.content.tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return (
        AuthorFactory(name="王小明", slug="wang"),
        AuthorFactory(name="李华", slug="li"),
        AuthorFactory(name="Adams", slug="adams"),
    )


def credits_of(article):
    return [(c.author.slug, c.role) for c in article.credits.all()]


def author_line(html):
    [line] = re.findall(r'<p class="article__authors">(.*?)</p>', html, re.S)
    return re.sub(r"<[^>]+>", "", line)


def test_credits_round_trip_through_the_admin(client, admin_user, people):
    wang, li, adams = people
    article = ArticleFactory(title="半岛会谈")
    client.force_login(admin_user)
    data = article_post(
        article.category,
        action="publish",
        title="半岛会谈",
        credits=credits_post((li, "translation"), (wang, "text")),
    )
    response = client.post(article_url("edit", article.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert credits_of(article) == [("li", "translation"), ("wang", "text")]
    assert [c["author"] for c in article.live_revision.content["credits"]] == [li.pk, wang.pk]

    # The edit form shows them in that order; dragging 王 first, dropping 李 and adding
    # Adams as 摄影 is what the browser then sends.
    html = client.get(article_url("edit", article.pk)).content.decode()
    assert re.findall(r'name="credits-\d+-author" value="(\d+)"', html) == [
        str(li.pk),
        str(wang.pk),
    ]
    first, second = article.credits.all()
    rows = [
        {"id": first.pk, "author": li.pk, "role": "translation", "ORDER": "3", "DELETE": "1"},
        {"id": second.pk, "author": wang.pk, "role": "text", "ORDER": "1"},
        {"author": adams.pk, "role": "photography", "ORDER": "2"},
    ]
    data = article_post(
        article.category,
        action="publish",
        title="半岛会谈",
        credits=inline_formset(rows, initial=2),
    )
    response = client.post(article_url("edit", article.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(pk=article.pk)
    assert credits_of(article) == [("wang", "text"), ("adams", "photography")]
    page = client.get(article.get_absolute_url()).content.decode()
    assert author_line(page) == "作者: 文／王小明 摄影／Adams"


def test_a_draft_keeps_its_credits_in_the_revision_until_published(client, admin_user, people):
    wang, li, _adams = people
    article = ArticleFactory(title="半岛会谈", authors=[wang])
    article.save_revision(user=admin_user).publish(user=admin_user)
    client.force_login(admin_user)
    [existing] = article.credits.all()
    rows = [{"id": existing.pk, "author": wang.pk, "role": "text"}]
    rows.append({"author": li.pk, "role": "editing"})
    data = article_post(article.category, title="半岛会谈", credits=inline_formset(rows, initial=1))
    assert client.post(article_url("edit", article.pk), data).status_code == 302
    article = Article.objects.get(pk=article.pk)
    assert credits_of(article) == [("wang", "text")]  # readers see the live version
    draft = article.get_latest_revision_as_object()
    assert [(c.author_id, c.role) for c in draft.credits.all()] == [
        (wang.pk, "text"),
        (li.pk, "editing"),
    ]
    draft.get_latest_revision().publish(user=admin_user)
    assert credits_of(Article.objects.get(pk=article.pk)) == [("wang", "text"), ("li", "editing")]


def test_an_author_credited_twice_is_refused_with_a_message(client, admin_user, people):
    wang, _li, _adams = people
    article = ArticleFactory(title="半岛会谈", authors=[wang])
    client.force_login(admin_user)
    [existing] = article.credits.all()
    rows = [{"id": existing.pk, "author": wang.pk, "role": "text"}]
    rows.append({"author": wang.pk, "role": "photography"})
    data = article_post(
        article.category, title="改过的标题", credits=inline_formset(rows, initial=1)
    )
    response = client.post(article_url("edit", article.pk), data)
    assert response.status_code == 200
    assert "王小明 已在作者之列。" in response.content.decode()
    article = Article.objects.get(pk=article.pk)
    assert article.title == "半岛会谈" and credits_of(article) == [("wang", "text")]


def test_the_author_chooser_searches_by_name(client, admin_user, people):
    client.force_login(admin_user)
    response = client.get("/admin/snippets/choose/content/author/results/", {"q": "小明"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "王小明" in html and "李华" not in html and "Adams" not in html


def test_the_page_shows_writers_alone_without_labels_in_the_editors_order(client, people):
    wang, li, adams = people
    article = ArticleFactory(authors=[wang, adams, li])
    html = client.get(article.get_absolute_url()).content.decode()
    assert author_line(html) == "作者: 王小明, Adams, 李华"


def test_an_authors_page_lists_the_articles_credited_to_them(client, people):
    wang, li, _adams = people
    ArticleFactory(title="王写的", authors=[wang])
    ArticleFactory(title="李译的", authors=[wang, (li, "translation")])
    page = client.get(li.get_absolute_url()).content.decode()
    assert re.findall(r'<h3 class="card__title"><a [^>]*>([^<]+)</a>', page) == ["李译的"]


def test_the_bulk_writer_keeps_the_order_and_credits_the_text(people):
    wang, li, adams = people
    category = CategoryFactory()
    [pk] = articles_bulk_write(
        writes=[
            ArticleWrite(
                article={"title": "导入", "category_id": category.pk, "published_at": None},
                author_ids=[li.pk, wang.pk, li.pk],
            )
        ]
    )
    article = Article.objects.get(pk=pk)
    assert credits_of(article) == [("li", "text"), ("wang", "text")]
    articles_bulk_write(writes=[ArticleWrite(article=article, author_ids=[adams.pk, li.pk])])
    assert credits_of(Article.objects.get(pk=pk)) == [("adams", "text"), ("li", "text")]
    assert ArticleAuthor.objects.filter(article_id=pk).count() == 2
