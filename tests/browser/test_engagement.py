"""A reader's view of the counters: page loads count, a like counts once and is remembered."""

import pytest
from playwright.sync_api import expect

from peninsula.content.models import Article
from peninsula.content.tests.factories import ArticleFactory
from peninsula.engagement import services

# Headless Chromium announces itself as HeadlessChrome, which the crawler list rightly ignores;
# these contexts present the user agent of the same browser with a window.
READER_UA = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


def open_article(browser, url):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="zh-CN", user_agent=READER_UA
    )
    page = context.new_page()
    page.goto(url)
    return context, page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_three_readers_count_three_views_and_a_like_stays_liked(
    browser, live_server, screenshot, settings
):
    settings.REDIS_URL = ""
    article = ArticleFactory(title="半岛局势观察", body="<p>" + "正文内容。" * 40 + "</p>")
    url = live_server.url + article.get_absolute_url()

    contexts = []
    for expected in (1, 2, 3):
        context, page = open_article(browser, url)
        contexts.append((context, page))
        expect(page.locator(".js-views").first).to_have_text(str(expected))
    services.counters_flush()  # the live server's process holds the views for about a second
    article.refresh_from_db()
    assert article.views == 3

    context, page = contexts[0]
    button = page.locator(".js-like").first
    expect(button).to_have_attribute("aria-pressed", "false")
    button.click()
    expect(page.locator(".js-likes").first).to_have_text("1")
    expect(button).to_have_attribute("aria-pressed", "true")
    expect(button).to_be_disabled()
    expect(button).to_have_class("like-button js-like is-liked")

    page.reload()  # a reader's reload within VIEW_RELOAD_SECONDS counts once (docs/counters.md)
    expect(page.locator(".js-views").first).to_have_text("3")
    expect(page.locator(".js-likes").first).to_have_text("1")
    expect(page.locator(".js-like").first).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".js-like").first).to_be_disabled()
    page.locator(".js-like").first.scroll_into_view_if_needed()
    screenshot(page, "engagement-liked")

    other = contexts[1][1]
    other.reload()
    expect(other.locator(".js-likes").first).to_have_text("1")
    expect(other.locator(".js-like").first).to_have_attribute("aria-pressed", "false")
    services.counters_flush()
    assert Article.objects.values_list("views", "likes").get(pk=article.pk) == (3, 1)
    for context, _page in contexts:
        context.close()
