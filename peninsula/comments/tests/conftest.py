import pytest

from peninsula.comments.models import CommentSettings
from peninsula.content.tests.factories import ArticleFactory
from peninsula.engagement import ratelimit
from peninsula.pagecache.tests.conftest import store, wsgi  # noqa: F401 - the page cache's fixtures

BROWSER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """No posting limits unless a test sets them (test_abuse.py), and no counts carried over."""
    settings.PENINSULA_ABUSE_RATES = {
        **settings.PENINSULA_ABUSE_RATES,
        "comment": {"address": [], "visitor": []},
    }
    ratelimit.forget()
    yield
    ratelimit.forget()


@pytest.fixture
def reader(client):
    """A test client that looks like a reader's browser on the same site."""
    client.defaults.update(HTTP_USER_AGENT=BROWSER_UA, HTTP_SEC_FETCH_SITE="same-origin")
    return client


def site_rules(**fields):
    settings_row = CommentSettings.load()
    for name, value in fields.items():
        setattr(settings_row, name, value)
    settings_row.save()
    return settings_row


@pytest.fixture
def post_moderated(db):
    return site_rules(moderation="post")


@pytest.fixture
def article(db):
    return ArticleFactory(title="半岛观察", body="<p>正文。</p>")


def post(client, article, headers=None, **fields):
    fields.setdefault("name", "网友甲")
    fields.setdefault("text", "说得好")
    return client.post(
        f"/comments/{article.pk}/post",
        fields,
        content_type="application/json",
        headers=headers,
    )
