"""The rest of issue 14's newsroom day, in a real browser: the author writes with a link to
another article chosen by title, watches the word count, previews and sends to review; the
editor compares with the live version, schedules to the minute and shares a preview link that
an anonymous browser opens; the administrator sets the navigation order by dragging.
Screenshots go to artifacts/desk-*.png."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from peninsula.content.models import Article, Category
from peninsula.content.tests.admin_helpers import (
    ADMINISTRATOR,
    AUTHOR,
    EDITOR,
    article_url,
    make_user,
)
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from tests.browser.test_newsroom import log_in, more_actions, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

TITLE = "港口复航：首批货轮靠泊"


def test_author_links_counts_previews_and_submits(page, live_server, screenshot):
    category = CategoryFactory(name="国内", slug="china")
    earlier = ArticleFactory(title="台风过境：港口停航三天", category=category)
    make_user("li", AUTHOR, family_name="李", given_name="华")

    log_in(page, live_server, "li")
    page.goto(live_server.url + article_url("add"))
    page.click("#id_title")
    page.keyboard.insert_text(TITLE)
    page.get_by_role("button", name="选择 栏目").click()
    page.get_by_role("dialog").get_by_role("link", name=category.name).click()
    page.get_by_role("dialog").wait_for(state="hidden")
    expect(page.locator("select[name=language]")).to_have_value("zh")

    page.click(".Draftail-Editor .public-DraftEditor-content")
    page.keyboard.type("据港务局消息，航线今日恢复，COVID-19 检疫 don't 取消。详见前文")
    count = page.locator("[data-newsroom=word-count]")
    # 20 Chinese characters and 2 words ("COVID-19", "don't"); punctuation counts nothing.
    expect(count).to_have_attribute("data-total", "22")
    expect(count).to_contain_text("字数：22（汉字 20，外文词 2）")
    screenshot(page, "desk-author-word-count")

    # Select "详见前文" and link it to the earlier story, found by its title.
    for _ in range(4):
        page.keyboard.press("Shift+ArrowLeft")
    page.keyboard.press("Control+k")
    modal = page.locator(".modal-content")
    modal.locator("#id_q").fill("台风")
    choice = modal.locator("a.choose-page", has_text=earlier.title)
    expect(choice).to_be_visible()
    screenshot(page, "desk-author-article-link-chooser")
    choice.click()
    expect(
        page.locator(".Draftail-Editor a, .Draftail-Editor [data-draftail-trigger]").first
    ).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('input[name=body]').value.includes('\"LINK\"')"
    )
    page.locator("footer button.action-save").click()
    page.wait_for_url("**/edit/**", wait_until="commit")
    page.wait_for_load_state("networkidle")
    article = Article.objects.get(title=TITLE)
    body = article.get_latest_revision_as_object().body
    assert 'linktype="article"' in body and f'id="{earlier.pk}"' in body
    assert Article.objects.count() == 2  # no article made by autosave before the save

    # The preview shows the link at the earlier story's address.
    page.get_by_role("button", name="预览开关").click()
    frame = page.frame_locator("#w-preview-iframe")
    expect(frame.locator("article a", has_text="详见前文")).to_have_attribute(
        "href", earlier.get_absolute_url()
    )
    screenshot(page, "desk-author-preview")

    footer = more_actions(page)
    footer.locator("button[name=action-submit]").click()
    page.wait_for_load_state("networkidle")
    assert Article.objects.get(pk=article.pk).workflow_in_progress


def test_editor_compares_schedules_to_the_minute_and_shares_a_preview(
    browser, page, live_server, screenshot
):
    category = CategoryFactory(name="国际", slug="world")
    author = make_user("li", AUTHOR, family_name="李", given_name="华")
    editor = make_user("zhao", EDITOR, family_name="王", given_name="小明")
    # A live story whose author sent a correction to review.
    live = ArticleFactory(title="峰会开幕", category=category, owner=author)
    live.save_revision(user=editor).publish(user=editor)
    live = Article.objects.get(pk=live.pk)
    live.title = "峰会开幕：两国签署航运协议"
    revision = live.save_revision(user=author)
    from wagtail.models import Workflow

    Workflow.objects.get(name="审核").start(live, author)
    draft = ArticleFactory(
        title="定时稿：台风路径预测", category=category, live=False, published_at=None
    )
    draft.save_revision(user=author)

    log_in(page, live_server, "zhao")
    expect(page.locator("[data-newsroom=site-views] svg")).to_be_visible()
    expect(page.locator("#wagtail-sidebar")).to_contain_text("王小明")
    screenshot(page, "desk-editor-dashboard")

    page.goto(live_server.url + article_url("edit", live.pk))
    page.locator("[data-newsroom=review-compare]").click()
    page.wait_for_load_state("networkidle")
    main = page.locator("main")
    expect(main).to_contain_text("两国签署航运协议")
    expect(main).not_to_contain_text("没有区别")
    assert f"{live.live_revision_id}...{revision.pk}" in page.url
    screenshot(page, "desk-editor-compare")

    # Scheduled to the minute: 09:37 tomorrow, site time.
    go_live = timezone.localtime().replace(second=0, microsecond=0) + dt.timedelta(days=1)
    go_live = go_live.replace(hour=9, minute=37)
    page.goto(live_server.url + article_url("edit", draft.pk))
    page.get_by_role("button", name="状态开关").click()
    page.get_by_role("button", name="设置计划").click()
    dialog = page.get_by_role("dialog", name="设置发布计划")
    dialog.get_by_label("上线日期/时间").fill(go_live.strftime("%Y-%m-%dT%H:%M"))
    screenshot(page, "desk-editor-schedule-minute")
    dialog.get_by_role("button", name="保存计划").click()
    page.wait_for_load_state("networkidle")
    more_actions(page).locator("button[name=action-publish]").click()
    page.wait_for_url("**" + article_url("list"))
    scheduled = Article.objects.scheduled().get()
    assert scheduled.pk == draft.pk
    assert scheduled.scheduled_at == go_live
    screenshot(page, "desk-editor-scheduled-list")

    # A preview link for someone outside the newsroom.
    page.goto(live_server.url + article_url("edit", draft.pk))
    page.locator("[data-newsroom=share-preview]").click()
    page.get_by_role("button", name="生成预览链接").click()
    url = page.locator("[data-newsroom=preview-url]").first.input_value()
    screenshot(page, "desk-editor-preview-links")
    outsider = new_page(browser)
    response = outsider.goto(url)
    assert response.status == 200
    assert "no-store" in response.headers["cache-control"]
    expect(outsider.locator("h1")).to_contain_text("定时稿：台风路径预测")
    screenshot(outsider, "desk-outsider-preview")
    page.get_by_role("button", name="撤销").first.click()
    page.wait_for_load_state("networkidle")
    assert outsider.goto(url).status == 404
    outsider.context.close()


def test_administrator_sets_the_navigation_order_by_dragging(page, live_server, screenshot):
    make_user("boss", ADMINISTRATOR)
    for name, slug in (("国内", "china"), ("国际", "world"), ("体育", "sport")):
        CategoryFactory(name=name, slug=slug)
    log_in(page, live_server, "boss")
    page.goto(live_server.url + "/admin/snippets/content/category/?ordering=sort_order")
    rows = page.locator("table.listing tbody tr")
    expect(rows).to_have_count(3)
    screenshot(page, "desk-admin-categories-before")
    handle = rows.nth(2).locator("[data-w-orderable-target=handle]")
    with page.expect_response(lambda r: "reorder" in r.url):
        handle.drag_to(rows.nth(0))
    assert [c.name for c in Category.objects.in_navigation()] == ["体育", "国内", "国际"]
    page.reload()
    screenshot(page, "desk-admin-categories-after")
    page.goto(live_server.url + "/")
    nav = page.locator("nav").first.inner_text()
    assert nav.index("体育") < nav.index("国内") < nav.index("国际")
    screenshot(page, "desk-reader-navigation")
