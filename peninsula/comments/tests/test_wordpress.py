"""Comments in a WordPress export come along with its posts, once."""

from pathlib import Path

import pytest

from peninsula.comments.models import Comment, Status
from peninsula.content.models import Article
from peninsula.ingestion.tests.test_import_command import run_import

pytestmark = pytest.mark.django_db

EXPORT = Path(__file__).parent / "data" / "wordpress-comments.xml"


def test_comments_import_approved_public_the_rest_held_and_once():
    out, err = run_import(str(EXPORT))
    assert "1 created" in out, (out, err)
    article = Article.objects.get(external_id="https://old.binhai.example/?p=101")
    comments = {c.name: c for c in Comment.objects.all()}
    assert set(comments) == {"老王", "小李", "小张", "待审网友", "cheap pills"}  # no pingback
    assert comments["老王"].status == Status.APPROVED
    assert comments["老王"].text == "期待已久！终于开港了。"  # plain text
    assert comments["老王"].email == "wang@example.com"
    assert comments["老王"].address == "203.0.113.7"
    assert comments["小李"].address is None
    # WordPress threads nest; here a reply to a reply joins the first comment's thread.
    assert comments["小李"].parent_id == comments["老王"].pk
    assert comments["小张"].parent_id == comments["老王"].pk
    assert comments["待审网友"].status == Status.PENDING
    assert comments["cheap pills"].status == Status.SPAM
    assert str(comments["老王"].created_at) == "2024-09-22 02:00:00+00:00"
    article.refresh_from_db()
    assert article.comments == 3

    # An editor rejects one; importing again neither duplicates nor undoes the decision.
    from peninsula.comments.services import comments_moderate

    comments_moderate(ids=[comments["小张"].pk], status=Status.REJECTED)
    out, err = run_import(str(EXPORT))
    assert "1 updated" in out, (out, err)
    assert Comment.objects.count() == 5
    assert Comment.objects.get(name="小张").status == Status.REJECTED
    article.refresh_from_db()
    assert article.comments == 2
