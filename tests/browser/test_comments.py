"""Comments in a real browser: a reader comments and replies under an article; an editor
approves a held comment in the 评论审核 queue and it appears.

Screenshots: artifacts/comments-*.png."""

from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from peninsula.comments.models import Comment, CommentSettings, Status
from peninsula.content.tests.admin_helpers import EDITOR, make_user
from peninsula.content.tests.factories import ArticleFactory
from tests.browser.test_engagement import open_article
from tests.browser.test_newsroom import log_in, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]


def moderation(mode):
    row = CommentSettings.load()
    row.moderation = mode
    row.save()


def write(page, name, text):
    form = page.locator("#comment-form")
    form.locator("[name=name]").fill(name)
    form.locator("[name=text]").fill(text)
    form.locator("[type=submit]").click()


@pytest.fixture
def article(settings):
    settings.REDIS_URL = ""
    return ArticleFactory(title="港口开港首日", body="<p>" + "新港口正式开港。" * 30 + "</p>")


def test_a_reader_comments_and_replies(browser, live_server, screenshot, article):
    moderation("post")
    context, page = open_article(browser, live_server.url + article.get_absolute_url())
    expect(page.locator(".js-comments-app")).to_be_visible()
    expect(page.locator(".js-comments-empty")).to_be_visible()
    write(page, "老王", "期待已久！\n终于开港了，见 https://example.com/port")
    first = page.locator(".comments__list > .comment").first
    expect(first.locator(".comment__text")).to_contain_text("终于开港了")
    expect(first.locator(".comment__text a")).to_have_attribute("rel", "nofollow ugc noopener")
    expect(page.locator(".js-comment-count").first).to_have_text("1")

    first.locator(".js-comment-reply").click()
    expect(first.locator("#comment-form")).to_be_visible()
    write(page, "小李", "同意楼上")
    expect(first.locator(".comment__replies .comment__text")).to_have_text("同意楼上")
    expect(page.locator(".js-comment-count").first).to_have_text("2")

    first.locator(".js-comment-up").first.click()
    expect(first.locator(".js-comment-upvotes").first).to_have_text("1")

    page.reload()  # what every reader sees: the comments come from the endpoint
    first = page.locator(".comments__list > .comment").first
    expect(first.locator(".comment__replies .comment__name")).to_have_text("小李")
    expect(first.locator(".js-comment-up").first).to_be_disabled()  # this browser's 顶 is kept
    page.locator("#comments").scroll_into_view_if_needed()
    screenshot(page, "comments-article")
    assert Comment.objects.filter(status=Status.APPROVED).count() == 2
    context.close()

    plain = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = plain.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    link = page.locator(".js-comments-fallback a")
    expect(link).to_be_visible()
    link.click()
    expect(page.locator(".comments__list")).to_contain_text("同意楼上")
    screenshot(page, "comments-page-without-javascript")
    plain.close()


def test_an_editor_approves_a_held_comment_and_it_appears(
    browser, live_server, screenshot, article
):
    moderation("pre")
    context, reader = open_article(browser, live_server.url + article.get_absolute_url())
    expect(reader.locator(".js-comments-app")).to_be_visible()
    write(reader, "读者甲", "请问首批货轮有几艘？")
    expect(reader.locator(".js-comment-status")).to_contain_text("审核")
    expect(reader.locator(".comments__list > .comment")).to_have_count(0)

    # A transactional test's flush dropped what the migration granted to the roles.
    import_module("peninsula.comments.migrations.0002_newsroom_permissions").grant(apps, None)
    make_user("zhao", EDITOR, family_name="赵", given_name="编辑")
    editor = new_page(browser)
    log_in(editor, live_server, "zhao")
    expect(editor.locator("#comments-held-title")).to_contain_text("1 条评论待审核")
    screenshot(editor, "comments-dashboard")
    editor.goto(live_server.url + "/admin/comments/queue/?status=pending")
    row = editor.locator("tr", has_text="请问首批货轮有几艘")
    row.locator("input[type=checkbox]").check()
    editor.locator("[data-bulk-action-button='approve'], a:has-text('通过')").first.click()
    screenshot(editor, "comments-approve-confirm")
    editor.get_by_role("button", name="是", exact=True).click()
    expect(editor.locator(".messages")).to_contain_text("已处理 1 条评论")
    screenshot(editor, "comments-queue")
    assert Comment.objects.get().status == Status.APPROVED

    reader.reload()
    expect(reader.locator(".comments__list .comment__text")).to_have_text("请问首批货轮有几艘？")
    expect(reader.locator(".js-comment-count").first).to_have_text("1")
    reader.locator("#comments").scroll_into_view_if_needed()
    screenshot(reader, "comments-approved")
    context.close()
    editor.context.close()


def test_no_payload_posted_as_a_comment_runs(browser, live_server, screenshot, article):
    """Every line of the XSS list as a name and a comment, shown by the page's script and by
    the plain comments page, with the CSP bypassed: nothing runs, no handler or script URL."""
    from peninsula.comments.services import comment_post
    from peninsula.core.tests.hostile import PAYLOADS
    from tests.browser.test_xss import DOM_AUDIT, SETTLE, TRIPWIRE

    row = CommentSettings.load()
    row.moderation, row.page_size = "post", 100
    row.save()
    for payload in PAYLOADS:
        comment_post(article=article, name=payload[:50], text=payload)
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    context.add_init_script(TRIPWIRE)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (article.get_absolute_url(), f"/comments/{article.pk}/"):
        page.goto(live_server.url + path)
        if path == article.get_absolute_url():
            expect(page.locator(".comments__list > .comment")).to_have_count(len(PAYLOADS))
        page.evaluate(SETTLE)
        page.mouse.move(640, 400)
        page.evaluate(SETTLE)
        assert page.evaluate("window.__xss") == [], path
        assert page.evaluate(DOM_AUDIT) == [], path
        assert dialogs == []
    screenshot(page, "comments-xss")
    context.close()
