"""Shared preview links: a signed, expiring, revocable address of a draft that someone outside
the newsroom opens without signing in; never cached, never indexed."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from peninsula.content.tests.admin_helpers import (
    AUTHOR,
    EDITOR,
    article_post,
    article_url,
    make_user,
)
from peninsula.content.tests.factories import ArticleFactory
from peninsula.newsroom.models import PreviewLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor():
    return make_user("zhao", EDITOR, family_name="王", given_name="小明")


@pytest.fixture
def draft(editor):
    article = ArticleFactory(title="港口复航", live=False, owner=editor)
    article.save_revision(user=editor)
    return article


def links_url(article):
    return reverse("newsroom_admin:preview_links", args=[article.pk])


def share(client, article, days=3):
    response = client.post(links_url(article), {"days": days})
    assert response.status_code == 302
    return PreviewLink.objects.filter(article=article).first()


def test_an_editor_shares_a_draft_that_an_anonymous_reader_opens(client, editor, draft):
    client.force_login(editor)
    # The latest saved version is shown, not the row's (a draft edit waits in a revision).
    client.post(
        article_url("edit", draft.pk), article_post(draft.category, title="港口复航：首批货轮靠泊")
    )
    link = share(client, draft)
    page = client.get(links_url(draft))
    assert link.get_absolute_url() in page.content.decode()
    assert "预览链接" in page.content.decode()

    client.logout()
    response = client.get(link.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "港口复航：首批货轮靠泊" in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "sessionid" not in response.cookies


def test_a_link_lasts_the_days_chosen_and_then_is_gone(client, editor, draft):
    client.force_login(editor)
    link = share(client, draft, days=1)
    assert (
        timezone.timedelta(hours=23)
        < link.expires_at - timezone.now()
        <= timezone.timedelta(days=1)
    )
    client.logout()
    with time_machine.travel(timezone.now() + timezone.timedelta(days=1, minutes=1)):
        assert client.get(link.get_absolute_url()).status_code == 404


def test_a_revoked_link_closes_at_once(client, editor, draft):
    client.force_login(editor)
    link = share(client, draft)
    revoke = reverse("newsroom_admin:preview_link_revoke", args=[draft.pk, link.pk])
    assert client.post(revoke).status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    assert "已撤销" in client.get(links_url(draft)).content.decode()
    client.logout()
    assert client.get(link.get_absolute_url()).status_code == 404


def test_a_forged_or_altered_token_opens_nothing(client, editor, draft):
    client.force_login(editor)
    link = share(client, draft)
    client.logout()
    key, signature = link.token.split(":")
    for token in (key, f"{key}:{signature[:-1]}x", f"x{key}:{signature}", "nonsense"):
        assert client.get(reverse("newsroom:shared_preview", args=[token])).status_code == 404


def test_a_bad_duration_is_a_form_error_and_makes_no_link(client, editor, draft):
    client.force_login(editor)
    response = client.post(links_url(draft), {"days": 365})
    assert response.status_code == 200
    assert not PreviewLink.objects.exists()


def test_an_author_cannot_share_someone_elses_article(client, editor, draft):
    author = make_user("li", AUTHOR)
    client.force_login(author)
    # Wagtail answers a refusal with the dashboard and a message.
    for response in (client.get(links_url(draft)), client.post(links_url(draft), {"days": 3})):
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not PreviewLink.objects.exists()


def test_the_edit_page_offers_share_and_views(client, editor, draft):
    client.force_login(editor)
    html = client.get(article_url("edit", draft.pk)).content.decode()
    assert 'data-newsroom="share-preview"' in html
    assert 'data-newsroom="views-button"' in html
