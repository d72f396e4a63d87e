"""The newsroom roles, proved over HTTP through the admin: authors keep to their own drafts."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from peninsula.content.models import Article
from peninsula.content.tests.admin_helpers import (
    ADMINISTRATOR,
    AUTHOR,
    EDITOR,
    article_post,
    article_url,
    make_user,
)
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def is_denied(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


@pytest.fixture
def author(client):
    return make_user("li", AUTHOR)


@pytest.fixture
def other_author():
    return make_user("wang", AUTHOR)


@pytest.fixture
def editor():
    return make_user("zhao", EDITOR)


def test_roles_carry_the_documented_permissions():
    def perms(name):
        return {
            f"{p.content_type.app_label}.{p.codename}"
            for p in Group.objects.get(name=name).permissions.all()
        }

    assert {"content.add_article", "wagtailadmin.access_admin"} <= perms(AUTHOR)
    assert not {"content.change_article", "content.publish_article"} & perms(AUTHOR)
    assert {
        "content.change_article",
        "content.publish_article",
        "content.change_category",
        "content.add_author",
        "content.change_source",
        "taggit.change_tag",
    } <= perms(EDITOR)
    assert "auth.change_user" not in perms(EDITOR)
    assert {"auth.change_user", "core.change_sitesettings", "content.publish_article"} <= perms(
        ADMINISTRATOR
    )


def test_an_author_creates_a_draft_they_own_and_cannot_publish_it(client, author):
    category = CategoryFactory()
    client.force_login(author)

    response = client.post(article_url("add"), article_post(category, action="publish"))

    article = Article.objects.get()
    assert response.status_code == 302
    assert article.owner == author
    assert not article.live
    assert not Article.objects.published().exists()


def test_an_author_cannot_open_or_change_another_authors_article(client, author, other_author):
    article = ArticleFactory(owner=other_author, live=False, title="别人的稿子")
    article.save_revision(user=other_author)
    revision = article.latest_revision
    client.force_login(author)

    for url in [
        article_url("edit", article.pk),
        article_url("history", article.pk),
        article_url("usage", article.pk),
        article_url("preview_on_edit", article.pk),
        article_url("revisions_view", article.pk, revision.pk),
        article_url("revisions_revert", article.pk, revision.pk),
        reverse(
            "wagtailsnippets_content_article:revisions_compare",
            kwargs={"pk": article.pk, "revision_id_a": "earliest", "revision_id_b": "latest"},
        ),
        article_url("workflow_history", article.pk),
        article_url("lock", article.pk),
    ]:
        assert is_denied(client.get(url)), url

    response = client.post(
        article_url("edit", article.pk), article_post(article.category, title="改掉")
    )
    assert is_denied(response)
    for name in ("delete", "unpublish", "lock"):
        assert is_denied(client.post(article_url(name, article.pk))), name
    article.refresh_from_db()
    assert article.title == "别人的稿子"
    assert article.latest_revision == revision


def test_the_listing_shows_an_author_only_their_own_articles(client, author, other_author):
    ArticleFactory(owner=author, title="我的稿子")
    ArticleFactory(owner=other_author, title="别人的稿子")
    client.force_login(author)

    response = client.get(article_url("list"))

    assert response.status_code == 200
    assert "我的稿子" in response.text
    assert "别人的稿子" not in response.text


def test_an_author_cannot_publish_their_own_article_by_any_admin_route(client, author):
    article = ArticleFactory(owner=author, live=False)
    article.save_revision(user=author)
    client.force_login(author)

    response = client.post(
        article_url("edit", article.pk), article_post(article.category, action="publish")
    )
    assert response.status_code == 302
    bulk = (
        reverse("wagtail_bulk_action", args=("content", "article", "publish")) + f"?id={article.pk}"
    )
    client.post(bulk)

    article.refresh_from_db()
    assert not article.live
    assert is_denied(client.post(article_url("unpublish", article.pk)))


def test_an_author_deletes_only_their_own_never_published_draft(client, author, other_author):
    draft = ArticleFactory(owner=author, live=False)
    once_published = ArticleFactory(owner=author, live=False, first_published_at=timezone.now())
    theirs = ArticleFactory(owner=other_author, live=False)
    client.force_login(author)

    # The edit page offers 删除 exactly where the delete page lets the author in.
    for article, allowed in ((draft, True), (once_published, False)):
        offered = (
            article_url("delete", article.pk) in client.get(article_url("edit", article.pk)).text
        )
        assert offered is allowed
        assert is_denied(client.get(article_url("delete", article.pk))) is not allowed
    assert is_denied(client.post(article_url("delete", once_published.pk)))
    assert is_denied(client.post(article_url("delete", theirs.pk)))
    assert client.post(article_url("delete", draft.pk)).status_code == 302
    assert set(Article.objects.values_list("pk", flat=True)) == {once_published.pk, theirs.pk}


def test_an_editor_edits_and_publishes_anyones_article(client, author, editor):
    article = ArticleFactory(owner=author, live=False, title="初稿")
    client.force_login(editor)

    response = client.post(
        article_url("edit", article.pk),
        article_post(article.category, title="定稿", action="publish"),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live and article.title == "定稿"


def test_an_editor_cannot_manage_users_but_an_administrator_can(client, editor):
    administrator = make_user("admin", ADMINISTRATOR)
    client.force_login(editor)
    assert is_denied(client.get(reverse("wagtailusers_users:index")))
    client.force_login(administrator)
    assert client.get(reverse("wagtailusers_users:index")).status_code == 200


def test_users_without_a_role_are_kept_out(client):
    article = ArticleFactory()
    assert client.get(article_url("edit", article.pk)).status_code == 302
    client.force_login(make_user("nobody", None))
    response = client.get(article_url("edit", article.pk))
    assert response.status_code == 302 and "login" in response["Location"]
