"""Reader accounts in a real browser: a reader signs up from under an article, comments under
the account, sees the comment appear, and signs out.

Screenshots: artifacts/reader-accounts-*.png."""

import pytest
from playwright.sync_api import expect

from peninsula.comments.models import Comment, CommentSettings
from peninsula.content.tests.factories import ArticleFactory
from tests.browser.test_engagement import open_article

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


@pytest.fixture
def article(settings):
    settings.REDIS_URL = ""
    row = CommentSettings.load()
    row.moderation = "post"
    row.accounts = "optional"
    row.save()
    return ArticleFactory(title="港口开港首日", body="<p>" + "新港口正式开港。" * 30 + "</p>")


def test_a_reader_signs_up_and_comments_under_the_account(
    browser, live_server, screenshot, article
):
    context, page = open_article(browser, live_server.url + article.get_absolute_url())
    form = page.locator("#comment-form")
    expect(form.locator("[name=name]")).to_be_visible()
    signin = page.locator(".js-comment-signin")
    expect(signin).to_be_visible()
    signin.get_by_role("link", name="注册").click()

    expect(page.locator("h1")).to_have_text("注册")
    page.locator("[name=username]").fill("wangwu")
    page.locator("[name=first_name]").fill("王五")
    page.locator("[name=password1]").fill("harbour-lights-2026")
    page.locator("[name=password2]").fill("harbour-lights-2026")
    screenshot(page, "reader-accounts-signup")
    page.locator(".account__form [type=submit]").click()

    page.wait_for_url(f"**{article.get_absolute_url()}#comments")
    identity = page.locator(".js-comment-identity")
    expect(identity).to_be_visible()
    expect(identity).to_contain_text("以 王五 身份评论")
    expect(form.locator("[name=name]")).to_be_hidden()
    expect(signin).to_be_hidden()
    form.locator("[name=text]").fill("开港当天我也在现场。")
    form.locator("[type=submit]").click()
    first = page.locator(".comments__list > .comment").first
    expect(first.locator(".comment__text")).to_have_text("开港当天我也在现场。")
    expect(first.locator(".comment__name")).to_have_text("王五")
    page.locator("#comments").scroll_into_view_if_needed()
    screenshot(page, "reader-accounts-commented")
    comment = Comment.objects.get()
    assert comment.user.username == "wangwu" and comment.name == "王五"
    assert not comment.user.is_staff

    page.reload()  # the shared page again: the name comes from /api/accounts/me, not the page
    expect(identity).to_contain_text("王五")
    expect(page.locator(".comments__list .comment__name").first).to_have_text("王五")
    identity.get_by_role("button", name="退出").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#comments")
    expect(form.locator("[name=name]")).to_be_visible()
    expect(identity).to_be_hidden()
    context.close()


def test_where_accounts_are_required_anonymous_readers_are_sent_to_sign_in(
    browser, live_server, screenshot, article
):
    row = CommentSettings.load()
    row.accounts = "required"
    row.save()
    context, page = open_article(browser, live_server.url + article.get_absolute_url())
    prompt = page.locator(".js-comment-required")
    expect(prompt).to_be_visible()
    expect(prompt).to_contain_text("登录后才能发表评论")
    expect(page.locator("#comment-form")).to_be_hidden()
    page.locator("#comments").scroll_into_view_if_needed()
    screenshot(page, "reader-accounts-required")
    prompt.get_by_role("link", name="登录").click()
    expect(page.locator("h1")).to_have_text("登录")
    context.close()

    plain = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = plain.new_page()
    page.goto(f"{live_server.url}/comments/{article.pk}/")
    expect(page.locator(".comments__signin-required")).to_be_visible()
    expect(page.locator("#comment-form")).to_have_count(0)
    plain.close()
