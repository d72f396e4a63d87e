"""Each role's day in the newsroom admin of issue 14, in a real browser: the author lands on 文章
and 写稿 with Chinese tags and 送审; the editor finds it from the dashboard, sees its state and
通过并发布; the administrator adds a 栏目 with a pinyin slug and cannot delete one that holds
articles. Screenshots go to artifacts/newsroom-*.png."""

import pytest
from playwright.sync_api import expect

from peninsula.content.models import Article, Category
from peninsula.content.tests.admin_helpers import ADMINISTRATOR, AUTHOR, EDITOR, make_user
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from tests.browser.test_newsroom import log_in, more_actions, new_page

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

TITLE = "港口复航：首批货轮靠泊"


def test_author_writes_and_editor_approves_from_the_dashboard(
    browser, page, live_server, screenshot
):
    category = CategoryFactory(name="国内", slug="china")
    make_user("li", AUTHOR, family_name="李", given_name="华")
    make_user("zhao", EDITOR, family_name="王", given_name="小明")

    log_in(page, live_server, "li")
    screenshot(page, "newsroom-author-dashboard")
    # 文章 is the menu's first entry; 写稿 sits on the dashboard.
    first = page.locator("nav[aria-label] .sidebar-menu-item").first
    expect(first).to_contain_text("文章")
    page.locator("[data-newsroom=write]").click()
    page.click("#id_title")
    page.keyboard.insert_text(TITLE)
    page.get_by_role("button", name="选择 栏目").click()
    page.get_by_role("dialog").get_by_role("link", name=category.name).click()
    page.click(".Draftail-Editor .public-DraftEditor-content")
    page.keyboard.type("据港务局消息，航线今日恢复。")
    page.wait_for_function(
        "() => document.querySelector('input[name=body]').value.includes('航线今日恢复')"
    )
    page.get_by_role("tab", name="详情").click()
    tags = page.locator("[data-contentpath=tags] .tagit-new input")
    tags.fill("港口，航运、东南亚")
    tags.press("Enter")
    page.locator("footer button.action-save").click()
    page.wait_for_url("**/edit/**", wait_until="commit")
    page.wait_for_load_state("networkidle")
    article = Article.objects.get()
    assert sorted(t.name for t in article.tags.all()) == sorted(["港口", "航运", "东南亚"])

    footer = more_actions(page)
    expect(footer.locator("button[name=action-submit]")).to_contain_text("送审")
    screenshot(page, "newsroom-author-submit-menu")
    footer.locator("button[name=action-submit]").click()
    page.wait_for_load_state("networkidle")
    assert Article.objects.get().workflow_in_progress

    editor = new_page(browser)
    log_in(editor, live_server, "zhao")
    screenshot(editor, "newsroom-editor-dashboard")
    expect(editor.locator("[data-newsroom=bell]")).to_contain_text("待审核（1）")
    expect(editor.locator("[data-newsroom=awaiting-review]")).to_contain_text(TITLE)
    editor.locator("#newsroom-search").fill("港口")
    editor.locator("#newsroom-search").press("Enter")
    editor.wait_for_load_state("networkidle")
    row = editor.locator("table.listing tbody tr", has_text=TITLE)
    expect(row.locator("[data-state]")).to_contain_text("审核中")
    expect(row).to_contain_text("李华")
    screenshot(editor, "newsroom-editor-search-list")
    row.get_by_role("link", name=TITLE).click()
    actions = more_actions(editor)
    approve = actions.locator(
        "[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
    )
    expect(approve).to_contain_text("通过并发布")
    screenshot(editor, "newsroom-editor-approve-menu")
    approve.click()
    expect(editor.locator(".messages .success")).to_be_visible()
    expect(editor.locator("[data-newsroom=view-live]")).to_contain_text("查看线上")
    screenshot(editor, "newsroom-editor-approved")

    editor.goto(live_server.url + "/admin/snippets/content/article/")
    row = editor.locator("table.listing tbody tr", has_text=TITLE)
    expect(row.locator("[data-state]")).to_contain_text("已发布")
    expect(row).to_contain_text("王小明")
    screenshot(editor, "newsroom-editor-list-published")
    editor.context.close()

    page.goto(live_server.url + "/admin/")
    expect(page.locator("[data-newsroom=review-outcomes]")).to_contain_text("已通过")
    screenshot(page, "newsroom-author-review-result")


def test_administrator_adds_a_category_and_cannot_delete_a_full_one(page, live_server, screenshot):
    make_user("boss", ADMINISTRATOR)
    full = CategoryFactory(name="体育", slug="sport")
    ArticleFactory.create_batch(2, category=full)

    log_in(page, live_server, "boss")
    page.goto(live_server.url + "/admin/snippets/content/category/add/")
    page.locator("#id_name").fill("国际新闻")
    screenshot(page, "newsroom-admin-category-add")
    page.locator("footer").get_by_role("button", name="保存").click()
    page.wait_for_load_state("networkidle")
    assert Category.objects.get(name="国际新闻").slug == "guojixinwen"

    page.goto(live_server.url + f"/admin/snippets/content/category/delete/{full.pk}/")
    notice = page.locator("[data-newsroom=category-not-empty]")
    expect(notice).to_contain_text("2 篇文章")
    screenshot(page, "newsroom-admin-category-delete-refused")
    notice.get_by_role("link").click()
    expect(page.locator("table.listing tbody tr")).to_have_count(2)
    screenshot(page, "newsroom-admin-category-articles")
    assert Category.objects.filter(pk=full.pk).exists()
