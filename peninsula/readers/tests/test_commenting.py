"""The reader-accounts switch (设置 → 评论设置 → 读者账号) on posting, on the comments page and
on what the page cache shares."""

import json

import pytest

from peninsula.comments.models import Comment

from .conftest import accounts, make_reader, post

pytestmark = pytest.mark.django_db


def test_off_is_names_only_even_for_a_signed_in_user(reader, article):
    accounts("off")
    user = make_reader()
    reader.force_login(user)
    response = post(reader, article, name="路人甲")
    assert response.status_code == 201
    comment = Comment.objects.get()
    assert comment.name == "路人甲" and comment.user is None
    data = reader.get(f"/api/articles/{article.pk}/comments").json()
    assert data["accounts"] == "off"


def test_optional_takes_names_and_accounts(reader, article):
    accounts("optional")
    assert post(reader, article, name="路人甲").status_code == 201
    user = make_reader()
    reader.force_login(user)
    response = post(reader, article, name="冒名顶替", email="other@example.com")
    assert response.status_code == 201
    assert json.loads(response.content)["comment"]["name"] == "张三"
    guest, member = Comment.objects.order_by("pk")
    assert (guest.name, guest.user) == ("路人甲", None)
    assert (member.name, member.user, member.email) == ("张三", user, "zhangsan@example.com")


def test_required_refuses_anonymous_posts_with_a_way_to_sign_in(reader, article):
    accounts("required")
    refused = post(reader, article)
    assert refused.status_code == 403
    body = json.loads(refused.content)
    assert "登录" in body["error"]
    assert body["login_url"] == f"/accounts/login/?next=%2Fcomments%2F{article.pk}%2F"
    assert refused["Cache-Control"] == "no-store"

    form = reader.post(f"/comments/{article.pk}/post", {"name": "甲", "text": "无脚本"})
    assert form.status_code == 403
    html = form.content.decode()
    assert "本站只接受登录读者的评论" in html and 'href="/accounts/login/?next=' in html
    assert 'id="comment-form"' not in html
    assert Comment.objects.count() == 0

    reader.force_login(make_reader())
    assert post(reader, article, name="").status_code == 201
    assert Comment.objects.get().user.username == "zhangsan"


def test_the_comments_page_follows_the_mode_without_javascript(reader, article):
    page = f"/comments/{article.pk}/"
    accounts("off")
    html = reader.get(page).content.decode()
    assert 'name="name"' in html and "/accounts/login/" not in html

    accounts("optional")
    html = reader.get(page).content.decode()
    assert 'name="name"' in html
    assert "已有账号？" in html
    assert f'href="/accounts/login/?next=/comments/{article.pk}/%23comments"' in html

    accounts("required")
    anonymous = reader.get(page)
    html = anonymous.content.decode()
    assert "登录后才能发表评论" in html and 'id="comment-form"' not in html
    assert "Cache-Control" not in anonymous or "private" not in anonymous["Cache-Control"]

    reader.force_login(make_reader())
    signed_in = reader.get(page)
    html = signed_in.content.decode()
    assert signed_in["Cache-Control"] == "private, no-store"
    assert '以 <strong class="js-comment-account">张三</strong> 身份评论' in html
    assert 'name="name"' not in html and 'id="comment-form"' in html
    assert 'name="csrfmiddlewaretoken"' in html  # for 退出


def test_a_form_post_from_a_signed_in_reader_links_the_account(reader, article):
    accounts("required")
    user = make_reader()
    reader.force_login(user)
    response = reader.post(f"/comments/{article.pk}/post", {"text": "无脚本的评论"})
    assert response.status_code == 302
    assert Comment.objects.get().user == user


def session_cookie(client, user):
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


@pytest.fixture
def cached_site(store, settings):
    settings.ROOT_URLCONF = "config.urls"  # the page cache's tests use stand-in pages


@pytest.mark.parametrize("mode", ["optional", "required"])
def test_a_cached_page_never_holds_a_readers_name(cached_site, wsgi, client, article, mode):
    accounts(mode)
    cookie = session_cookie(client, make_reader(name="独一无二的名字"))
    for path in (article.get_absolute_url(), f"/comments/{article.pk}/"):
        own = wsgi(path, HTTP_COOKIE=cookie)  # the signed-in reader's render comes first
        assert own.status == 200 and own.cache is None
        assert "private" in own.headers["Cache-Control"]
        shared = wsgi(path)
        assert shared.cache == "MISS", path  # the reader's render was not stored
        assert "独一无二的名字" not in shared.body
        assert "csrfmiddlewaretoken" not in shared.body
        again = wsgi(path)
        assert again.cache == "HIT" and "独一无二的名字" not in again.body


def test_changing_the_mode_purges_the_cached_comments(
    cached_site, wsgi, article, django_capture_on_commit_callbacks
):
    path = f"/api/articles/{article.pk}/comments"
    wsgi(path)
    assert json.loads(wsgi(path).body)["accounts"] == "off"
    with django_capture_on_commit_callbacks(execute=True):
        accounts("required")
    reply = wsgi(path)
    assert reply.cache == "MISS" and json.loads(reply.body)["accounts"] == "required"
