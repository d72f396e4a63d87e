import re
import pytest
from peninsula.content.tests.admin_helpers import EDITOR, ADMINISTRATOR, PASSWORD, article_url, make_user
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def dump(page, name):
    open(f"/tmp/nr/{name}.html", "w").write(page.content())
    page.screenshot(path=f"/tmp/nr/{name}.png", full_page=True)


def test_explore(page, live_server):
    page.route(re.compile(r"^https?://(?!localhost|127\.0\.0\.1)"), lambda r: r.abort())
    editor = make_user("zhao", EDITOR)
    make_user("boss", ADMINISTRATOR)
    cat = CategoryFactory(name="国际", slug="world")
    a = ArticleFactory(title="旧标题", category=cat)
    a.save_revision(user=editor).publish(user=editor)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "zhao")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(live_server.url + article_url("edit", a.pk))
    page.fill("#id_title", "新标题")
    page.get_by_role("button", name="保存草稿").click()
    page.wait_for_load_state("networkidle")
    dump(page, "after-save")
    page.goto(live_server.url + article_url("history", a.pk))
    dump(page, "history2")
    page.goto(live_server.url + article_url("edit", a.pk))
    page.get_by_role("tab", name="详情").click()
    page.get_by_role("button", name="选择一个图片").click()
    page.wait_for_timeout(2000)
    dump(page, "chooser")
    page.goto(live_server.url + article_url("unpublish", a.pk))
    dump(page, "unpublish")
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "boss")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(live_server.url + "/admin/settings/core/sitesettings/")
    dump(page, "settings")
    print(page.url)
