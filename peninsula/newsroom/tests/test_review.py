"""Reviewing compares with the version last submitted or live, not with the autosave a second
earlier; autosave starts once the article exists and folds its saves into one history row."""

import json

import pytest
from django.urls import reverse
from wagtail.log_actions import registry as log_registry
from wagtail.models import Revision, WorkflowState

from peninsula.content.models import Article
from peninsula.content.tests.admin_helpers import (
    AUTHOR,
    EDITOR,
    article_post,
    article_url,
    make_user,
)
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.newsroom.review import review_base

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("zhao", EDITOR, family_name="王", given_name="小明")


@pytest.fixture
def author():
    return make_user("li", AUTHOR, family_name="李", given_name="华")


def autosave(client, article, **fields):
    """What the editor's autosave posts: the form, asking for JSON, overwriting its revision."""
    latest = article.get_latest_revision()
    data = article_post(article.category, **fields)
    data["loaded_revision_id"] = str(latest.pk) if latest else ""
    data["loaded_revision_created_at"] = latest.created_at.isoformat() if latest else ""
    if overwrite := fields.pop("overwrite", None):
        data["overwrite_revision_id"] = str(overwrite.pk)
    response = client.post(article_url("edit", article.pk), data, HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    assert json.loads(response.content)["success"]
    return Revision.objects.get(pk=Article.objects.get(pk=article.pk).latest_revision_id)


def submit(client, article, **fields):
    client.post(
        article_url("edit", article.pk), article_post(article.category, action="submit", **fields)
    )


def test_the_new_article_page_does_not_autosave(client, author):
    client.force_login(author)
    marker = "data-w-autosave-interval-value"
    assert marker not in client.get(article_url("add")).content.decode()
    edit = ArticleFactory(owner=author, live=False)
    edit.save_revision(user=author)
    assert marker in client.get(article_url("edit", edit.pk)).content.decode()


def test_autosaves_fold_into_one_revision_and_one_history_row(client, author):
    article = ArticleFactory(owner=author, live=False, title="初稿")
    article.save_revision(user=author, log_action=True)
    client.force_login(author)
    first = autosave(client, article, title="第二稿")
    for title in ("第三稿", "第四稿"):
        assert autosave(client, article, title=title, overwrite=first) == first
    assert article.revisions.count() == 2
    # The rows the history page lists: the first save and the folded autosaves.
    rows = log_registry.get_logs_for_instance(article).latest_by_uuid_and_action()
    assert rows.filter(action="wagtail.edit").count() == 2
    history = client.get(article_url("history", article.pk)).content.decode()
    assert "第四稿" in history


def test_review_compares_with_the_version_last_submitted(client, author, editor):
    category = CategoryFactory()
    article = ArticleFactory(owner=author, live=False, title="港口复航", category=category)
    client.force_login(author)
    submit(client, article, title="港口复航")
    submitted = Article.objects.get(pk=article.pk).get_latest_revision()
    state = WorkflowState.objects.get(status=WorkflowState.STATUS_IN_PROGRESS)
    client.force_login(editor)
    client.post(
        article_url("workflow_action", article.pk, "reject", state.current_task_state.pk),
        {"comment": "标题再具体些"},
    )
    client.force_login(author)
    # Edited, autosaved, and sent again with no change since the autosave.
    autosave(client, article, title="港口复航：首批货轮靠泊")
    submit(client, article, title="港口复航：首批货轮靠泊")
    latest = Article.objects.get(pk=article.pk).get_latest_revision()

    assert review_base(Article.objects.get(pk=article.pk)) == submitted
    client.force_login(editor)
    response = client.get(reverse("newsroom_admin:review_compare", args=[article.pk]))
    assert response.status_code == 302
    compare = client.get(response["Location"])
    assert f"/{submitted.pk}...{latest.pk}/" in response["Location"]
    html = compare.content.decode()
    assert "首批货轮靠泊" in html
    assert "没有区别" not in html
    edit = client.get(article_url("edit", article.pk)).content.decode()
    assert 'data-newsroom="review-compare"' in edit


def test_a_live_article_in_review_compares_with_the_live_version(client, author, editor):
    article = ArticleFactory(owner=author, title="台风过境")
    article.save_revision(user=editor).publish(user=editor)
    live = Article.objects.get(pk=article.pk).live_revision
    client.force_login(editor)
    submit(client, article, title="台风过境：航班取消")
    assert review_base(Article.objects.get(pk=article.pk)) == live


def test_a_story_never_reviewed_or_published_has_nothing_to_compare(client, author):
    article = ArticleFactory(owner=author, live=False)
    article.save_revision(user=author)
    assert review_base(article) is None
    client.force_login(author)
    assert (
        client.get(reverse("newsroom_admin:review_compare", args=[article.pk])).status_code == 404
    )
