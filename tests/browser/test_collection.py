"""采集 in a real browser: an editor adds a feed in the admin, the scheduler collects it, the
editor reviews the collected draft and publishes it, and its page shows 来源, 原文链接 and
责任编辑; screenshots go to artifacts/collection-*.png."""

import re
from importlib import import_module

import pytest
from django.apps import apps
from playwright.sync_api import expect

from peninsula.collection import jobs
from peninsula.collection.models import Feed, Poll
from peninsula.collection.tests.conftest import STORY, FeedSite, rss
from peninsula.content.models import Article
from peninsula.content.tests.admin_helpers import EDITOR, PASSWORD, article_url, make_user
from peninsula.content.tests.factories import CategoryFactory
from peninsula.core import scheduler

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("migrated_data"),
]

NOT_LOCAL = re.compile(r"^https?://(?!(localhost|127\.0\.0\.1)[:/])")
ORIGINAL = "https://cn.yna.example/view/AKR20240922000100881"


@pytest.fixture
def feed_site(settings):
    """The feed's server, on loopback: admitted by the explicit setting for its port only."""
    server = FeedSite()
    settings.COLLECTION_PRIVATE_ALLOWED = [f"127.0.0.1:{server.port}"]
    yield server
    server.stop()


def test_editor_adds_a_source_reviews_the_collected_draft_and_publishes_it(
    page, live_server, screenshot, feed_site
):
    # Emptied tables lose the migration's grants; they are made again by its own code.
    import_module("peninsula.collection.migrations.0002_newsroom_permissions").grant(apps, None)
    category = CategoryFactory(name="国际", slug="world")
    make_user("zhao", EDITOR)
    url = feed_site.serve("/rss.xml", rss(("yna-1", "韩朝举行高级别会谈", STORY, ORIGINAL)))
    page.context.route(NOT_LOCAL, lambda route: route.abort())

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", "zhao")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/snippets/collection/feed/add/")
    page.fill("#id_url", url)
    page.get_by_role("button", name="选择 栏目").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_role("link", name=category.name).click()
    chooser.wait_for(state="hidden")
    page.fill("#id_every", "5")
    page.check("#id_review")
    page.fill("#id_editor", "王编辑")
    screenshot(page, "collection-add-source")
    page.locator("footer").get_by_role("button", name="保存").click()
    page.wait_for_url("**/admin/snippets/collection/feed/")
    feed = Feed.objects.get()
    assert feed.name == "韩联社中文网" and feed.guarded and feed.review

    # The scheduler's collection job polls the new source in its own thread.
    for job in scheduler.jobs():
        job.next_run = 0
    scheduler.run_due()
    jobs.collect_feeds().join(timeout=60)
    poll = Poll.objects.get()
    assert poll.ok and poll.new == 1, poll.errors
    article = Article.objects.get()
    assert not article.live  # waiting for review (审核)

    page.reload()
    expect(page.locator("table.listing")).to_contain_text("正常")
    screenshot(page, "collection-sources")
    page.goto(f"{live_server.url}/admin/")
    expect(page.locator("[data-collection=failing]")).to_contain_text("所有来源上次采集均正常")
    screenshot(page, "collection-dashboard")
    page.goto(f"{live_server.url}/admin/snippets/collection/poll/")
    expect(page.locator("table.listing")).to_contain_text("韩联社中文网")
    screenshot(page, "collection-log")

    page.goto(live_server.url + article_url("edit", article.pk))
    screenshot(page, "collection-review-draft")
    page.locator("footer").get_by_role("button", name="更多动作").click()
    page.locator("footer button[name=action-publish]").click()
    page.wait_for_url("**" + article_url("list"))
    article.refresh_from_db()
    assert article.live

    page.goto(live_server.url + article.get_absolute_url())
    text = page.inner_text("article")
    assert "韩联社中文网" in text and ORIGINAL in text and "王编辑" in text
    assert "来源" in text and "原文链接" in text and "责任编辑" in text
    screenshot(page, "collection-published-article")
