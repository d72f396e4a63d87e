import pytest
from django.contrib.auth import get_user_model

from peninsula.comments.tests.conftest import (  # noqa: F401 - shared fixtures
    BROWSER_UA,
    article,
    post,
    reader,
    site_rules,
    store,
    wsgi,
)
from peninsula.engagement import ratelimit

PASSWORD = "harbour-lights-2026"


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """No posting or sign-up limits unless a test sets them, and no counts carried over."""
    settings.PENINSULA_ABUSE_RATES = {
        **settings.PENINSULA_ABUSE_RATES,
        "comment": {"address": [], "visitor": []},
        "signup": {"address": [], "visitor": []},
    }
    ratelimit.forget()
    yield
    ratelimit.forget()


def accounts(mode):
    return site_rules(accounts=mode, moderation="post")


def make_reader(username="zhangsan", name="张三"):
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, first_name=name, email=f"{username}@example.com"
    )


def signup(client, **fields):
    data = {
        "username": "lisi",
        "first_name": "李四",
        "email": "",
        "password1": PASSWORD,
    }
    data.update(fields)
    data.setdefault("password2", data["password1"])
    return client.post("/accounts/signup/", data)
