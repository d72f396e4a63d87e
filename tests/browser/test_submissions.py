"""投稿 in a real browser: a reader sends a story with a picture (and a script that must stay
text), an editor sees the sender in the edit view and publishes it; screenshots go to
artifacts/submission-*.png."""

import io

import pytest
from playwright.sync_api import expect

from peninsula.content.models import Article
from peninsula.content.tests.admin_helpers import EDITOR, article_url, make_user
from peninsula.content.tests.factories import CategoryFactory
from tests.browser.test_newsroom import log_in, more_actions, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

TITLE = "菜市场门口的积水<script>window.__xss=1</script>"
TEXT = (
    "连续下了三天雨，菜市场门口积水没过脚踝。\n\n"
    '<img src=x onerror="window.__xss=1">摊主们说排水沟堵了很久。'
)


def png():
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (40, 120, 200)).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_reader_submits_and_an_editor_publishes(browser, page, live_server, screenshot):
    CategoryFactory(name="本地", slug="local")
    make_user("zhao", EDITOR)

    page.goto(live_server.url + "/")
    page.locator("footer").get_by_role("link", name="我要投稿").click()
    page.wait_for_url("**/tougao/")
    page.fill("#id_title", TITLE)
    page.fill("#id_text", TEXT)
    page.set_input_files(
        "#id_images", files=[{"name": "water.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.fill("#id_name", "赵读者")
    page.fill("#id_contact", "wechat: reader_zhao")
    # The honeypot is off screen for people (a robot filling every field fills it).
    assert page.locator(".screening-hp").bounding_box()["x"] < -1000
    screenshot(page, "submission-form")
    page.get_by_role("button", name="提交稿件").click()
    page.wait_for_url("**/tougao/thanks/")
    expect(page.locator("h1")).to_have_text("谢谢您的投稿")
    screenshot(page, "submission-thanks")

    article = Article.objects.get()
    assert article.title == TITLE and not article.live and article.workflow_in_progress

    editor_page = new_page(browser)
    log_in(editor_page, live_server, "zhao")
    assert "菜市场门口的积水" in editor_page.inner_text("[data-newsroom=awaiting-review]")
    editor_page.goto(live_server.url + article_url("edit", article.pk))
    sender = editor_page.locator("[data-submission-sender]")
    expect(sender).to_contain_text("赵读者")
    expect(sender).to_contain_text("wechat: reader_zhao")
    screenshot(editor_page, "submission-editor-edit")
    actions = more_actions(editor_page)
    actions.locator(
        "[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    ).click()
    expect(editor_page.locator(".messages .success")).to_be_visible()
    article.refresh_from_db()
    assert article.live
    assert editor_page.evaluate("window.__xss") is None

    page.goto(live_server.url + article.get_absolute_url())
    body = page.inner_text("body")
    assert "<script>window.__xss=1</script>" in body  # shown as text
    assert "积水没过脚踝" in body and "赵读者" not in body and "reader_zhao" not in body
    assert page.locator("article img").count() >= 1
    assert page.evaluate("window.__xss") is None
    screenshot(page, "submission-published")
    editor_page.context.close()
