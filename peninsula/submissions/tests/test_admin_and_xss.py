"""Editors see who sent a story in the article's edit view and in 读者投稿; nothing a reader
sends (tests/data/xss-payloads.txt) reaches a page as markup, in the admin or on the site."""

from pathlib import Path

import pytest
from django.urls import reverse

from peninsula.content.models import Article
from peninsula.content.services import article_publish
from peninsula.content.tests.admin_helpers import AUTHOR, EDITOR, article_url, make_user
from peninsula.submissions.models import Submission

from .conftest import story

pytestmark = pytest.mark.django_db

URL = "/tougao/"
PAYLOADS = [
    line
    for line in (Path(__file__).resolve().parents[3] / "tests/data/xss-payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip()
]


@pytest.fixture(autouse=True)
def generous_limits(settings):
    settings.PENINSULA_ABUSE_RATES = {"submission": {"address": ["0/m"], "visitor": ["0/m"]}}


def test_the_editor_sees_the_sender_in_the_edit_view(client, category):
    client.post(URL, story(name="王五", contact="wangwu@example.com"))
    article = Article.objects.get()
    editor = make_user("zhao", EDITOR)
    client.force_login(editor)
    page = client.get(article_url("edit", article.pk)).text
    assert "data-submission-sender" in page
    assert "王五" in page and "wangwu@example.com" in page
    listing = client.get(reverse("wagtailsnippets_submissions_submission:list")).text
    assert "王五" in listing and article.title in listing


def test_an_author_never_sees_a_sender(client, category):
    client.post(URL, story(name="王五", contact="wangwu@example.com"))
    author = make_user("li", AUTHOR)
    client.force_login(author)
    listing = client.get(reverse("wagtailsnippets_submissions_submission:list"))
    assert listing.status_code in (302, 403)
    assert "王五" not in listing.content.decode()


def payload_pages(client, article):
    """The pages that show what the reader sent: the admin's edit view and lists, the public
    article page."""
    yield client.get(article_url("edit", article.pk))
    yield client.get(article_url("list"))
    yield client.get(reverse("wagtailsnippets_submissions_submission:list"))
    article_publish(article=article)
    client.logout()
    yield client.get(article.get_absolute_url())


@pytest.mark.parametrize("chunk", range(0, 100, 25))
def test_xss_payloads_are_text_everywhere(client, category, chunk):
    editor = make_user("zhao", EDITOR)
    for payload in PAYLOADS[chunk : chunk + 25]:
        client.logout()
        answer = client.post(
            URL,
            story(
                title=f"标题{payload}"[:120],
                text=f"读者来信的正文内容如下：{payload}",
                name=payload[:50],
                contact=payload[:100],
            ),
        )
        assert answer.status_code == 302, (payload, answer.content[:500])
        article = Article.objects.get(submission__isnull=False, live=False)
        client.force_login(editor)
        for page in payload_pages(client, article):
            assert page.status_code == 200
            html = page.content.decode()
            for piece in (payload, payload[:50]):
                if "<" in piece:
                    assert piece not in html, (payload, page.request["PATH_INFO"])
        Submission.objects.all().delete()
        Article.objects.all().delete()
