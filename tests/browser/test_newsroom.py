"""The newsroom in a real browser, signed in through the login form as each role: an author
writes in Chinese and submits, an editor reviews, previews, schedules, unpublishes, reverts and
sets a cover image, an administrator renames the site; screenshots go to artifacts/admin-*.png."""

import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from peninsula.content.models import Article
from peninsula.content.tests.admin_helpers import (
    ADMINISTRATOR,
    AUTHOR,
    EDITOR,
    PASSWORD,
    article_url,
    make_user,
)
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

TITLE = "半岛局势：和谈出现新契机"
BODY = "据报道，双方代表于周五在板门店会面。"


# Everything the admin would fetch from elsewhere (avatars) is refused: tests stay on this host.
NOT_LOCAL = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")


@pytest.fixture
def page(page):
    page.context.route(NOT_LOCAL, lambda route: route.abort())
    return page


def new_page(browser):
    """A second person's browser, for a flow that passes from one role to another."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.route(NOT_LOCAL, lambda route: route.abort())
    return context.new_page()


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_author_writes_in_chinese_and_editor_reviews_and_publishes(
    browser, page, live_server, screenshot
):
    category = CategoryFactory(name="国际", slug="world")
    make_user("li", AUTHOR)
    make_user("zhao", EDITOR)

    log_in(page, live_server, "li")
    page.goto(live_server.url + article_url("add"))
    page.click("#id_title")
    page.keyboard.insert_text(TITLE)
    page.get_by_role("button", name="选择 栏目").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name=category.name).click()
    chooser.wait_for(state="hidden")
    assert page.locator("#id_category").input_value() == str(category.pk)
    page.click(".Draftail-Editor .public-DraftEditor-content")
    page.keyboard.type(BODY)
    # Draftail copies its state into the hidden field on change; wait for the last character.
    page.wait_for_function(
        "(text) => document.querySelector('input[name=body]').value.includes(text)", arg=BODY
    )
    screenshot(page, "admin-author-write")
    page.click("footer button.action-save")
    page.wait_for_url("**/edit/**", wait_until="commit")
    page.wait_for_load_state("networkidle")
    article = Article.objects.get()
    assert article.title == TITLE
    assert BODY in article.body and article.body.count("据报道") == 1
    assert article.owner.username == "li" and not article.live

    page.evaluate("document.querySelector('button[name=action-submit]').click()")
    page.wait_for_load_state("networkidle")
    screenshot(page, "admin-author-submitted")
    assert article.workflow_in_progress

    editor_page = new_page(browser)
    log_in(editor_page, live_server, "zhao")
    screenshot(editor_page, "admin-editor-dashboard")
    assert TITLE in editor_page.inner_text("[data-newsroom=awaiting-review]")

    editor_page.goto(live_server.url + article_url("list"))
    screenshot(editor_page, "admin-article-listing")
    editor_page.goto(live_server.url + article_url("edit", article.pk))
    screenshot(editor_page, "admin-editor-edit")

    # The preview panel renders the form as it stands with the article template.
    editor_page.get_by_role("button", name="预览开关").click()
    frame = editor_page.frame_locator("#w-preview-iframe")
    expect(frame.locator("article")).to_contain_text(TITLE)
    editor_page.get_by_label("手机预览").check()
    screenshot(editor_page, "admin-preview-panel-mobile")

    # "Preview in a new tab" opens the same stored preview full size.
    preview = editor_page.get_by_role("link", name="新标签页预览").get_attribute("href")
    editor_page.goto(preview)
    assert TITLE in editor_page.inner_text("article")
    screenshot(editor_page, "admin-preview-desktop")
    editor_page.set_viewport_size({"width": 375, "height": 812})
    editor_page.reload()
    screenshot(editor_page, "admin-preview-mobile")
    editor_page.set_viewport_size({"width": 1280, "height": 900})

    editor_page.goto(live_server.url + article_url("edit", article.pk))
    # The review task's actions sit in the footer menu; "approve" without a comment publishes.
    actions = more_actions(editor_page)
    screenshot(editor_page, "admin-editor-review-actions")
    actions.locator(
        "[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    ).click()
    expect(editor_page.locator(".messages .success")).to_be_visible()
    article.refresh_from_db()
    assert article.live
    editor_page.goto(live_server.url + article.get_absolute_url())
    assert TITLE in editor_page.inner_text("body")
    screenshot(editor_page, "admin-published-article")
    editor_page.context.close()


def live_article(editor, **fields):
    """A published article with its revision logged, as if an editor had published it."""
    article = ArticleFactory(**fields)
    article.save_revision(user=editor, log_action=True).publish(user=editor)
    return article


def more_actions(page):
    """Open the footer's "more actions" menu (publish, unpublish, submit) and return the footer."""
    footer = page.locator("footer")
    footer.get_by_role("button", name="更多动作").click()
    return footer


def save_draft(page):
    """On a live article 发布 is the main button; 保存草稿 waits in the footer's menu."""
    footer = page.locator("footer")
    if footer.locator("button[name=action-publish]").is_visible():
        more_actions(page)
    footer.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")


def public_text(page, live_server, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200, path
    return page.inner_text("main")


def test_editor_schedules_an_article_that_the_scheduler_publishes(page, live_server, screenshot):
    editor = make_user("zhao", EDITOR)
    category = CategoryFactory(name="国际", slug="world")
    title = "定时发布：半岛峰会明日开幕"
    article = ArticleFactory(title=title, category=category, live=False, published_at=None)
    article.save_revision(user=editor, log_action=True)
    # The dialog takes minutes: the clock stands 5 seconds before the next whole minute.
    go_live = (timezone.now() + timedelta(seconds=65)).replace(second=0, microsecond=0)
    with time_machine.travel(go_live - timedelta(seconds=5), tick=False) as clock:
        log_in(page, live_server, "zhao")
        page.goto(live_server.url + article_url("edit", article.pk))
        page.get_by_role("button", name="状态开关").click()
        page.get_by_role("button", name="设置计划").click()
        dialog = page.get_by_role("dialog", name="设置发布计划")
        # The browser's own picker, to the minute.
        dialog.get_by_label("上线日期/时间").fill(
            timezone.localtime(go_live).strftime("%Y-%m-%dT%H:%M")
        )
        screenshot(page, "admin-schedule-dialog")
        dialog.get_by_role("button", name="保存计划").click()
        page.wait_for_load_state("networkidle")
        screenshot(page, "admin-schedule-saved")
        # With a go-live time set, the publish action reads "Schedule to publish".
        more_actions(page).locator("button[name=action-publish]").click()
        page.wait_for_url("**" + article_url("list"))
        screenshot(page, "admin-schedule-listing")
        article.refresh_from_db()
        assert not article.live
        assert list(Article.objects.scheduled()) == [article]

        page.goto(live_server.url + "/admin/")
        assert title in page.inner_text("[data-newsroom=scheduled]")
        screenshot(page, "admin-schedule-dashboard")
        assert title not in public_text(page, live_server, "/")
        assert title not in public_text(page, live_server, category.get_absolute_url())

        clock.move_to(go_live + timedelta(seconds=1))
        call_command("run_scheduler", "--once")
        article.refresh_from_db()
        assert article.live and article.published_at == go_live
        assert title in public_text(page, live_server, "/")
        screenshot(page, "admin-schedule-live-home")
        assert title in public_text(page, live_server, category.get_absolute_url())
        assert title in public_text(page, live_server, article.get_absolute_url())


def test_editor_unpublishes_a_live_article(page, live_server, screenshot):
    editor = make_user("zhao", EDITOR)
    title = "撤稿：港口航线调整通知"
    article = live_article(editor, title=title, category=CategoryFactory(name="国内", slug="china"))
    url = article.get_absolute_url()
    # Read once first, so that a cached copy of the page would be served if it were not purged.
    assert title in public_text(page, live_server, url)
    assert title in public_text(page, live_server, "/")

    log_in(page, live_server, "zhao")
    page.goto(live_server.url + article_url("edit", article.pk))
    unpublish = article_url("unpublish", article.pk)
    more_actions(page).locator(f"a[href='{unpublish}']").click()
    page.wait_for_url("**" + unpublish)
    screenshot(page, "admin-unpublish-confirm")
    page.locator(f"form[action='{unpublish}'] button[type=submit]").click()
    page.wait_for_url(lambda u: not u.endswith(unpublish))
    screenshot(page, "admin-unpublished")
    article.refresh_from_db()
    assert not article.live

    assert page.goto(live_server.url + url).status == 404
    screenshot(page, "admin-unpublished-article-404")
    assert title not in public_text(page, live_server, "/")


def test_editor_drafts_compares_and_reverts_to_an_older_revision(page, live_server, screenshot):
    editor = make_user("zhao", EDITOR)
    first, second, third = "港口复航初稿", "港口周一复航", "港口推迟复航"
    article = live_article(
        editor,
        title=first,
        body="<p>港口方面表示，航线将分阶段恢复。</p>",
        category=CategoryFactory(name="国内", slug="china"),
    )
    url = article.get_absolute_url()
    edit = live_server.url + article_url("edit", article.pk)

    log_in(page, live_server, "zhao")
    for title in (second, third):
        page.goto(edit)
        page.locator("#id_title").fill(title)
        save_draft(page)
        # A draft never reaches readers: the live page keeps the published title.
        text = public_text(page, live_server, url)
        assert first in text and title not in text
    article.refresh_from_db()
    assert article.title == first and article.has_unpublished_changes

    page.goto(live_server.url + article_url("history", article.pk))
    rows = page.locator("table.listing tbody tr")
    assert "zhao" in rows.first.inner_text()
    screenshot(page, "admin-revision-history")
    # Rows run newest first: the third draft, then the second one.
    second_row = rows.nth(1)
    second_row.get_by_role("button", name="动作").click()
    second_row.get_by_role("link", name="与当前版本进行比较").click()
    page.wait_for_url("**/compare/**")
    comparison = page.inner_text("main")
    assert second in comparison and third in comparison
    screenshot(page, "admin-revision-compare")

    page.go_back()
    rows.nth(1).get_by_role("button", name="动作").click()
    rows.nth(1).get_by_role("link", name="审核这个修订").click()
    page.wait_for_url("**/revisions/**")
    assert page.locator("#id_title").input_value() == second
    screenshot(page, "admin-revision-revert")
    more_actions(page).locator("button[name=action-publish]").click()
    page.wait_for_url(lambda u: "/revisions/" not in u)

    article.refresh_from_db()
    assert article.live and article.title == second and not article.has_unpublished_changes
    text = public_text(page, live_server, url)
    assert second in text and first not in text
    screenshot(page, "admin-revision-reverted-article")


def png_file(name):
    """A small photo-sized PNG made here, as an editor's upload."""
    buffer = io.BytesIO()
    Image.new("RGB", (640, 360), (30, 90, 160)).save(buffer, "PNG")
    return {"name": name, "mimeType": "image/png", "buffer": buffer.getvalue()}


@pytest.fixture
def media_on_disk(settings, tmp_path):
    """Files on disk, so that the live server serves the upload and its renditions."""
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def test_editor_uploads_a_cover_image_with_required_alt_text(
    page, live_server, screenshot, media_on_disk
):
    editor = make_user("zhao", EDITOR)
    alt = "清晨的港口，货轮停靠在码头"
    article = live_article(
        editor, title="港口新貌", category=CategoryFactory(name="国内", slug="china")
    )

    log_in(page, live_server, "zhao")
    page.goto(live_server.url + article_url("edit", article.pk))
    page.get_by_role("tab", name="详情").click()
    page.get_by_role("button", name="选择一个图片").click()
    modal = page.get_by_role("dialog").filter(has=page.get_by_role("heading", name="选择一个图片"))
    modal.get_by_role("tab", name="上传").click()
    modal.get_by_label("文件").set_input_files(png_file("harbour.png"))
    modal.get_by_label("标题").fill("港口全景")
    modal.get_by_role("button", name="上传").click()
    error = modal.locator("[data-contentpath=description] .error-message")
    error.wait_for()
    screenshot(page, "admin-cover-alt-required")

    # The form comes back without the file; choose it again with the alt text.
    modal.get_by_label("文件").set_input_files(png_file("harbour.png"))
    modal.get_by_label("标题").fill("港口全景")
    modal.get_by_label("替代文字").fill(alt)
    modal.get_by_role("button", name="上传").click()
    modal.wait_for(state="hidden")
    page.locator(".modal-backdrop").wait_for(state="detached")
    assert page.locator("#id_cover_image-title").inner_text() == "港口全景"
    screenshot(page, "admin-cover-chosen")
    more_actions(page).locator("button[name=action-publish]").click()
    page.wait_for_url("**" + article_url("list"))

    article.refresh_from_db()
    assert article.cover_image.description == alt
    page.goto(live_server.url + article.get_absolute_url())
    picture = page.locator("article figure picture")
    webp = picture.locator("source[type='image/webp']").get_attribute("srcset")
    img = picture.locator("img")
    assert re.search(r"\.jpe?g$", img.get_attribute("src"))
    # The JPEG fallback is fetched and decoded, and a WebP rendition is served as WebP.
    img.evaluate("img => img.decode()")
    webp_url = webp.split(",")[0].split()[0]
    assert page.request.get(live_server.url + webp_url).headers["content-type"] == "image/webp"
    screenshot(page, "admin-cover-article")
    assert img.get_attribute("alt") == alt, "the cover's alt text is the image's description"


def test_author_has_no_publish_action_and_is_refused_another_authors_article(
    page, live_server, screenshot
):
    li, wang = make_user("li", AUTHOR), make_user("wang", AUTHOR)
    category = CategoryFactory(name="国内", slug="china")
    own = ArticleFactory(title="李记者的稿件", category=category, owner=li, live=False)
    own.save_revision(user=li, log_action=True)
    theirs = ArticleFactory(title="王记者的稿件", category=category, owner=wang, live=False)
    theirs.save_revision(user=wang, log_action=True)

    log_in(page, live_server, "li")
    page.goto(live_server.url + article_url("list"))
    listing = page.inner_text("main")
    assert own.title in listing and theirs.title not in listing
    screenshot(page, "admin-author-listing")

    page.goto(live_server.url + article_url("edit", own.pk))
    footer = more_actions(page)
    assert footer.locator("button[name=action-submit]").is_visible()
    assert footer.locator("button[name=action-publish]").count() == 0
    assert footer.locator("a[href*='/unpublish/']").count() == 0
    screenshot(page, "admin-author-actions")

    # Wagtail answers a refused admin URL with a redirect to the dashboard and an error message.
    response = page.goto(live_server.url + article_url("edit", theirs.pk))
    assert response.request.redirected_from is not None
    assert page.url == f"{live_server.url}/admin/"
    assert page.locator(".messages .error").is_visible()
    assert theirs.title not in page.content()
    screenshot(page, "admin-author-refused")


def test_administrator_renames_the_site_and_readers_see_it(page, live_server, screenshot):
    make_user("boss", ADMINISTRATOR)
    page.goto(live_server.url + "/")
    assert page.inner_text(".site-brand__name") == "半岛新闻网"

    log_in(page, live_server, "boss")
    page.get_by_role("button", name="设置").click()
    page.get_by_role("link", name="站点设置").click()
    page.get_by_role("textbox", name="网站名称").fill("半岛晨报")
    page.locator("footer").get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".messages .success").is_visible()
    screenshot(page, "admin-site-settings-saved")

    page.goto(live_server.url + "/")
    assert page.inner_text(".site-brand__name") == "半岛晨报"
    screenshot(page, "admin-site-renamed-home")
