"""The article page's pictures, gallery, correction and share block, and the 排行榜 (Chromium)."""

import datetime as dt

import pytest
from django.core.cache import cache
from playwright.sync_api import expect
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Collection

from peninsula.content.models import Correction, GalleryImage, ImageDetails
from peninsula.content.tests.factories import ArticleFactory, CategoryFactory
from peninsula.core.models import SiteSettings
from peninsula.engagement import rankings

Image = get_image_model()


def picture(title, caption, credit="", colour="steelblue"):
    image = Image.objects.create(
        title=title, description=title, file=get_test_image_file(colour=colour, size=(1200, 800))
    )
    ImageDetails.objects.create(image=image, caption=caption, credit=credit)
    return image


@pytest.fixture
def story(transactional_db):
    cache.clear()
    if not Collection.objects.exists():  # a transactional test before this one flushed it
        Collection.add_root(name="Root")
    SiteSettings.objects.create(site_name="半岛新闻网")
    category = CategoryFactory(name="财经", slug="caijing")
    article = ArticleFactory(
        title="釜山港吞吐量创新高",
        category=category,
        body="<p>" + "釜山港今年前十个月的集装箱吞吐量创下新高。" * 60 + "</p>",
        cover_image=picture("釜山港", "釜山港的集装箱码头", "李明"),
        published_at=dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC),
    )
    shots = (("清晨的码头", "lightsalmon"), ("港区夜景", "midnightblue"), ("检修吊机", "goldenrod"))
    for n, (caption, colour) in enumerate(shots):
        GalleryImage.objects.create(
            article=article,
            image=picture(caption, caption, colour=colour),
            credit="赵六",
            sort_order=n,
        )
    Correction.objects.create(article=article, text="本文此前将吞吐量的单位写错，现已更正。")
    return article


@pytest.mark.browser
def test_the_article_shows_pictures_gallery_correction_and_share_block(
    page, live_server, story, screenshot
):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.locator(".article__cover figcaption")).to_have_text("釜山港的集装箱码头 摄影：李明")
    cover = page.locator(".article__cover img")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=cover.element_handle()
    )
    expect(page.locator(".article__reading")).to_have_text("阅读约3分钟")  # 1,200 characters
    gallery = page.locator(".gallery")
    expect(gallery.get_by_role("heading", name="图集")).to_be_visible()
    expect(gallery.locator(".gallery__item")).to_have_count(3)
    expect(gallery.locator("figcaption").first).to_have_text("清晨的码头 摄影：赵六")
    # The row scrolls sideways from the keyboard: focus it, press the right arrow.
    row = gallery.locator(".gallery__list")
    row.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    for _ in range(50):
        if row.evaluate("list => list.scrollLeft") > 0:
            break
        page.wait_for_timeout(100)
    assert row.evaluate("list => list.scrollLeft") > 0
    expect(page.locator(".corrections")).to_contain_text("本文此前将吞吐量的单位写错")
    share = page.locator(".share")
    code = share.get_by_role("img", name="本文地址的二维码")
    code.scroll_into_view_if_needed()
    expect(code).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=code.element_handle())
    assert code.bounding_box()["width"] == 132
    button = share.get_by_role("button", name="复制链接")
    expect(button).to_be_visible()  # shown by share.js
    button.click()
    expect(share.locator(".js-copy-status")).to_have_text("链接已复制")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == live_server.url + story.get_absolute_url()
    screenshot(page, "article-pictures-gallery-share")


@pytest.mark.browser
def test_the_rankings_page_lists_and_links(page, live_server, story, screenshot):
    rankings.refresh_all()
    page.goto(live_server.url + "/rankings/")
    expect(page.locator("h1")).to_have_text("排行榜")
    expect(page.locator(".ranking__heading")).to_have_count(5)
    most_read = page.locator(".ranking--most_read")
    expect(most_read.get_by_role("link", name=story.title)).to_be_visible()
    page.locator(".subcategories").get_by_role("link", name="财经").click()
    expect(page).to_have_url(live_server.url + "/rankings/caijing/")
    expect(page.locator("h1")).to_have_text("财经排行榜")
    screenshot(page, "rankings")
