"""Sign up, sign in, sign out and the identity endpoint: Django's forms and validators, the
screening's protections on sign-up, django-axes on sign-in, and nothing shared by a cache."""

import pytest
from bs4 import BeautifulSoup
from captcha.models import CaptchaStore
from django.contrib.auth import get_user_model
from django.test import Client

from peninsula.screening.models import ScreeningSettings, SensitiveWord

from .conftest import PASSWORD, accounts, make_reader, signup


def field_errors(response, name):
    """The error messages the page shows under the form field `name`."""
    soup = BeautifulSoup(response.content, "html.parser")
    box = soup.find(attrs={"name": name}).find_parent(class_="form-field")
    return [error.get_text(strip=True) for error in box.select(".form-error")]


pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def optional(db):
    return accounts("optional")


def signed_in_username(client):
    data = client.get("/api/accounts/me").json()
    return data.get("name") if data["signed_in"] else None


def test_the_pages_are_closed_while_accounts_are_off(client):
    accounts("off")
    for path in ("/accounts/signup/", "/accounts/login/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "本站目前未开放读者账号" in response.content.decode()
    assert signup(client).status_code == 404
    assert not User.objects.exists()


def test_a_reader_signs_up_as_a_plain_user_and_is_signed_in(client, optional):
    page = client.get("/accounts/signup/?next=/comments/1/")
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in page.content.decode()

    response = signup(client, next="/comments/1/%23comments")
    assert response.status_code == 302 and response["Location"] == "/comments/1/%23comments"
    user = User.objects.get()
    assert (user.username, user.first_name) == ("lisi", "李四")
    assert not user.is_staff and not user.is_superuser and not user.groups.exists()
    assert not user.has_perm("wagtailadmin.access_admin")
    assert signed_in_username(client) == "李四"
    admin = client.get("/admin/")  # Wagtail sends a user without admin access to its sign-in
    assert admin.status_code == 302 and admin["Location"].startswith("/admin/login/")


def test_sign_up_refuses_weak_passwords_taken_names_and_foreign_redirects(client, optional):
    make_reader("zhangsan")
    checks = [
        ({"password1": "12345678"}, "password2"),
        ({"username": "harbourlights", "password1": "harbourlights1"}, "password2"),
        ({"password2": "another-password-1"}, "password2"),
        ({"username": "ZhangSan"}, "username"),  # taken, in any case
        ({"username": "bad name!"}, "username"),
        ({"first_name": "   "}, "first_name"),
        ({"first_name": "名" * 51}, "first_name"),
        ({"email": "zhangsan@example.com"}, "email"),
    ]
    for fields, field in checks:
        response = signup(client, **fields)
        assert response.status_code == 400, fields
        assert field_errors(response, field), fields
    assert User.objects.count() == 1
    response = signup(client, next="https://evil.example/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_sign_up_screens_like_comments(client, optional, settings):
    SensitiveWord.objects.create(word="傻逼", action="mask")
    SensitiveWord.objects.create(word="管理员", action="hold")
    for name in ("傻 逼", "网站管理员"):
        response = signup(client, first_name=name)
        assert response.status_code == 400
        assert "这个名字含有本站不发布的词语" in response.content.decode()

    robot = signup(client, website="http://spam.example")  # the honeypot: success, nothing kept
    assert robot.status_code == 302
    assert not User.objects.exists()

    row = ScreeningSettings.load()
    row.captcha_enabled = True
    row.save()
    page = client.get("/accounts/signup/").content.decode()
    assert 'name="captcha_1"' in page
    assert signup(client).status_code == 400
    key = CaptchaStore.generate_key()
    answer = CaptchaStore.objects.get(hashkey=key).response
    assert signup(client, captcha_0=key, captcha_1=answer).status_code == 302
    assert User.objects.get().username == "lisi"


def test_sign_up_is_limited_per_address(optional, settings, window_start):
    settings.PENINSULA_ABUSE_RATES = {
        **settings.PENINSULA_ABUSE_RATES,
        "signup": {"address": ["2/h"], "visitor": []},
    }
    statuses = [
        signup(Client(REMOTE_ADDR="203.0.113.9"), username=f"reader{n}").status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    refused = signup(Client(REMOTE_ADDR="203.0.113.9"), username="reader9")
    assert int(refused["Retry-After"]) > 0 and "text/html" in refused["Content-Type"]
    assert User.objects.count() == 2
    other = signup(Client(REMOTE_ADDR="203.0.113.10"), username="reader10")
    assert other.status_code == 302


def test_sign_in_and_out(client, optional):
    make_reader()
    page = client.get("/accounts/login/?next=/news/1.html")
    assert "no-store" in page["Cache-Control"]
    wrong = client.post("/accounts/login/", {"username": "zhangsan", "password": "nope"})
    assert wrong.status_code == 200 and "用户名（或邮箱）与密码不匹配" in wrong.content.decode()
    by_email = client.post(
        "/accounts/login/", {"username": "ZhangSan@Example.com", "password": PASSWORD}
    )
    assert by_email.status_code == 302 and signed_in_username(client) == "张三"
    client.post("/accounts/logout/")
    right = client.post(
        "/accounts/login/",
        {"username": "zhangsan", "password": PASSWORD, "next": "/news/1.html"},
    )
    assert right.status_code == 302 and right["Location"] == "/news/1.html"
    assert signed_in_username(client) == "张三"

    asked = client.get("/accounts/logout/")  # a link signs nobody out
    assert asked.status_code == 200 and signed_in_username(client) == "张三"
    out = client.post("/accounts/logout/", {"next": "/news/1.html"})
    assert out.status_code == 302 and out["Location"] == "/news/1.html"
    assert signed_in_username(client) is None


def test_sign_out_needs_the_csrf_token(optional):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(make_reader())
    assert browser.post("/accounts/logout/").status_code == 403
    token = browser.get("/api/accounts/me").json()["csrf"]
    assert browser.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert signed_in_username(browser) is None


def test_sign_in_is_locked_out_by_axes(client, optional, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    make_reader()
    statuses = [
        client.post("/accounts/login/", {"username": "zhangsan", "password": "x"}).status_code
        for _ in range(3)
    ]
    assert statuses == [200, 200, 429]
    locked = client.post("/accounts/login/", {"username": "zhangsan", "password": PASSWORD})
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "登录已暂停" in html and "wagtailadmin" not in html  # the site's look
    assert signed_in_username(client) is None


def test_the_identity_endpoint_is_never_stored(client, optional):
    anonymous = client.get("/api/accounts/me")
    assert anonymous.json() == {"signed_in": False}
    assert anonymous["Cache-Control"] == "private, no-store"
    client.force_login(make_reader())
    mine = client.get("/api/accounts/me")
    assert mine["Cache-Control"] == "private, no-store"
    assert mine.json()["name"] == "张三" and mine.json()["csrf"]
    assert client.post("/api/accounts/me").status_code == 405


def test_robots_keep_out_of_the_account_pages(client):
    assert "Disallow: /accounts/" in client.get("/robots.txt").content.decode()


def test_an_account_switched_off_is_signed_out(client, optional):
    user = make_reader()
    client.force_login(user)
    user.is_active = False
    user.save()
    assert signed_in_username(client) is None
    refused = client.post("/accounts/login/", {"username": "zhangsan", "password": PASSWORD})
    assert refused.status_code == 200 and signed_in_username(client) is None


def test_the_pages_in_english(client, optional):
    client.cookies["django_language"] = "en"
    html = client.get("/accounts/signup/").content.decode()
    assert "<h1>Sign up</h1>" in html and "Display name" in html
    assert "Username or email" in client.get("/accounts/login/").content.decode()
